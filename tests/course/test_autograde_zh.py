"""A Chinese assignment through the real nbgrader command line: built in zh (``lang: zh`` in
assignments.yaml), released, submitted by two students, autograded, and fed back, with the
feedback in the students' HTML reports in Chinese.

alice answers everything right for her numbers, the choices typed in Chinese; bob makes the
typical mistake in every part. Expected scores come from the bank's own answers.
"""

from __future__ import annotations

import csv
import html
import re
import shutil

import pytest
import yaml

from membranelab.bank import load_bank
from membranelab.course import build_course
from membranelab.course.build import part_cells
from membranelab.service.assignments import load_assignments

from . import submissions as sub

ASSIGNMENT = "zh-demo"
TITLE = "第一次作业：平衡电位"
#: numeric, symbolic and choice parts; a Chinese choice answer; a numeric mistake (log10)
PROBLEMS = ("nernst-potassium", "ghk-permeability")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def zh_answer(bank, student: str, problem_id: str, part_id: str, *, wrong: bool) -> str:
    """What a Chinese student types: numbers with units, formulas, a choice's Chinese text."""
    problem = bank.problems[problem_id]
    zh = problem.variant(student, ASSIGNMENT, lang="zh")
    if problem.part(part_id).kind == "choice":
        right = zh.answers()[part_id].text
        if not wrong:
            return right
        return next(c for c in zh.problem.part(part_id).answer_kind.choices if c != right)
    rule = sub.typical_mistake if wrong else sub.correct_text
    return rule(bank, ASSIGNMENT, student, problem_id, part_id)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Build, release, submit, autograde and feed back once; (course, parts, bank)."""
    bank = load_bank()
    course = tmp_path_factory.mktemp("zhcourse")
    shutil.copy2(sub.COURSE / "nbgrader_config.py", course / "nbgrader_config.py")
    spec = {"assignments": [{"id": ASSIGNMENT, "title": TITLE, "problems": list(PROBLEMS),
                             "lang": "zh"}]}
    (course / "assignments.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True),
                                             encoding="utf-8")
    build_course(course, bank)
    assignment = load_assignments(course / "assignments.yaml", bank.problems)[0]
    parts = part_cells(assignment, bank)
    sub.nbgrader(course, "generate_assignment", ASSIGNMENT)
    release = sub.read_nb(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    variables = {pc.answer_id: pc.variable for pc in parts}
    for student, wrong in (("alice", False), ("bob", True)):
        answers = {pc.answer_id: zh_answer(bank, student, pc.problem_id, pc.part_id, wrong=wrong)
                   for pc in parts}
        sub.submit(course, student, ASSIGNMENT, sub.with_answers(release, answers, variables))
    sub.nbgrader(course, "autograde", ASSIGNMENT)
    sub.nbgrader(course, "generate_feedback", ASSIGNMENT)
    sub.nbgrader(course, "export")
    return course, parts, bank


def feedback_text(course, student: str) -> str:
    """The visible text of a student's HTML feedback report."""
    page = (course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(
        encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_release_is_in_chinese(graded):
    """The released notebook's instructions, headings and prompts are Chinese; its cells pass
    the language to the student's functions."""
    course, parts, _ = graded
    release = sub.read_nb(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    intro = "".join(release["cells"][0]["source"])
    assert intro.startswith(f"# {TITLE}") and "从上到下依次运行各单元格" in intro
    sources = ["".join(c["source"]) for c in release["cells"]]
    assert any("钾离子的平衡电位" in s for s in sources)
    assert any(f"check({ASSIGNMENT!r}" in s and "lang='zh'" in s for s in sources)
    assert release["metadata"]["membranelab"]["lang"] == "zh"


def test_scores(graded):
    """alice (Chinese choice texts included) gets every point, bob none (nbgrader's export)."""
    course, parts, _ = graded
    with open(course / "grades.csv", newline="", encoding="utf-8") as fh:
        rows = {row["student_id"]: row for row in csv.DictReader(fh)}
    assert float(rows["alice"]["raw_score"]) == pytest.approx(sum(pc.points for pc in parts))
    assert float(rows["bob"]["raw_score"]) == 0.0


def test_feedback_report_in_chinese(graded):
    """The HTML reports show the statement and the grader's feedback in Chinese."""
    course, parts, bank = graded
    alice = feedback_text(course, "alice")
    bob = feedback_text(course, "bob")
    # alice's statement, with her numbers, and Chinese verdicts
    assert "细胞膜对 K⁺ 有通透性" in alice
    assert alice.count("正确") >= len(parts)
    # bob: the log10 mistake named in Chinese, the wrong choice called wrong in Chinese
    assert "你似乎用了 log10 而不是自然对数" in bob
    assert "不正确" in bob
    for text in (alice, bob):
        assert "Not correct" not in text and "Correct:" not in text
        assert len(_CJK.findall(text)) > 200
