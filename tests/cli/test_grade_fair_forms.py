"""``membranelab grade`` on the forms of issue 22 (table: ``tests/grading/fair_forms.py``): the
same verdicts as ``grade_part``, and every unreadable answer listed with its reason."""

from __future__ import annotations

import contextlib
import csv
import io
import os

import pytest
from grading.fair_forms import CASES, RIGHT, UNREAD, WRONG  # tests/ is on the path (rootdir)

from membranelab.service.spreadsheet import unescape_cell

HEADER = ["student", "assignment", "problem", "part", "answer"]


STUDENT = "s-forms"


def _answers_csv(path) -> None:
    """One row per case, all of one student; a different assignment per row, so no row
    supersedes another."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for number, (problem, part, _lang, answer, _verdict, _note) in enumerate(CASES):
            out.writerow([STUDENT, f"form{number:03d}", problem, part, answer])


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The table graded once by the command's own entry point, ``membranelab.cli.main`` (in
    this process, its worker pool forked as usual; run from an empty folder, so no
    course/assignments.yaml applies): (exit code, stdout, stderr, grades rows).

    The table is written against the lecture notes' numbers (the canonical variant), which a
    CSV row cannot ask for (the id ``canonical`` is reserved), so the service's choice of
    numbers is replaced, for this one student, by those numbers; the grading is untouched."""
    from membranelab.app.batch.pipeline import grade_group
    from membranelab.bank import load_bank
    from membranelab.cli import main
    from membranelab.service import GradingService
    from membranelab.service.answers_csv import OUTPUT_COLUMNS

    folder = tmp_path_factory.mktemp("forms")
    answers, output = folder / "answers.csv", folder / "grades.csv"
    _answers_csv(answers)
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["grade", str(answers), "-o", str(output), "-j", "1", "--no-progress",
                         "--lang", "en"])
    finally:
        os.chdir(here)
    listed = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))

    class Published(GradingService):
        """The table's numbers: the lecture notes' (a CSV row cannot ask for them)."""

        def numbers(self, problem, student, assignment="practice", *, lang=None):
            return problem.variant("canonical", lang=lang)

    service = Published(load_bank())
    results = []
    for number, (problem, part, _lang, answer, _verdict, _note) in enumerate(CASES):
        [(_, fields)] = grade_group(service, STUDENT, f"form{number:03d}", problem,
                                    [(number, part, answer)], "named", "en")
        results.append(dict(zip(OUTPUT_COLUMNS[5:], fields[:6], strict=True)))
    return code, out.getvalue(), err.getvalue(), listed, results


pytestmark = pytest.mark.slow


def test_grades_every_row(graded) -> None:
    """The command succeeds and grades one row per case, in order."""
    code, _, err, grades, _ = graded
    assert code == 0, err
    assert [(g["problem"], g["part"], unescape_cell(g["answer"])) for g in grades] == [
        (problem, part, answer) for problem, part, _, answer, _, _ in CASES]


@pytest.mark.parametrize("number", range(len(CASES)))
def test_same_verdict_as_grade_part(graded, number) -> None:
    """Each form gets the teacher's verdict in the grades file: right ones full points, wrong
    and unreadable ones 0 with the table's note."""
    _, _, _, _, grades = graded
    problem, part, _lang, answer, verdict, note = CASES[number]
    row = grades[number]
    full = float(row["score"]) == float(row["points"]) and row["correct"] == "true"
    assert full == (verdict == RIGHT), (answer, row["feedback"])
    assert row["note"] == note, (answer, row["feedback"])
    if verdict in (WRONG, UNREAD):
        assert float(row["score"]) == 0


def test_each_unreadable_answer_is_listed_with_its_reason(graded) -> None:
    """Every unreadable answer has a review line on stderr naming its line, part and reason;
    no readable answer has one."""
    _, _, err, _, _ = graded
    lines = [line for line in err.splitlines() if "unreadable answer" in line]
    unread = [(n, case) for n, case in enumerate(CASES) if case[4] == UNREAD]
    assert len(lines) == len(unread)
    for (number, (_p, part, _l, answer, _v, _n)), line in zip(unread, lines, strict=True):
        assert f":{number + 2}: {STUDENT}" in line and f"part {part}" in line
        assert repr(answer) in line and "graded 0 and listed for you to review" in line
    assert any("logarithmic unit" in line for line in lines)
    assert any("says what the answer is not" in line for line in lines)


def test_summary_counts_the_unreadable(graded) -> None:
    """The summary footer says how many answers could not be read."""
    _, out, _, _, _ = graded
    count = sum(case[4] == UNREAD for case in CASES)
    assert f"{count} unreadable" in " ".join(out.split())
