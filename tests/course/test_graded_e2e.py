"""A graded course through the real command lines: the answer key stays with the teacher.

``course: {mode: graded}``: the teacher makes a secret, builds the course with it, and nbgrader
releases one notebook plus each rostered student's numbers.  On a student's machine (no secret)
the notebook shows her own numbers and reads answers back without grading them; the public
package computes other numbers for her id.  nbgrader's autograde, holding the secret, grades the
hidden tests with her keyed variant and puts the worked solution in her feedback; the grading
kernels never see the secret.  The secret's keyed seed is recomputed here by hand (HMAC-SHA256),
not taken from the code under test.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from membranelab.bank import load_bank

from . import submissions as sub

ASSIGNMENT = "hw-graded"
PROBLEMS = ("nernst-potassium", "nernst-sodium")
ROSTER = ("alice", "bob", "mallory")
SECRET = hashlib.sha256(b"membranelab graded-course test secret").digest()
CONFIG = f"""course:
  mode: graded
  feedback: named
  roster: roster.txt
assignments:
  - id: {ASSIGNMENT}
    title: "A graded problem set"
    problems: [{", ".join(PROBLEMS)}]
"""
SNOOP = ("import os, pathlib\n"
         "print({k: v for k, v in os.environ.items() if 'SECRET' in k or 'KEY' in k})\n"
         "for folder in [pathlib.Path.cwd(), *pathlib.Path.cwd().parents][:5]:\n"
         "    f = folder / '.membranelab-secret'\n"
         "    print(f, f.read_text() if f.exists() else 'absent')\n")


def _key(student: str) -> bytes:
    """The student's key, by the documented formula (membranelab.service.secret)."""
    message = "\x1f".join(("membranelab-variant", ASSIGNMENT, student)).encode()
    return hmac.new(SECRET, message, hashlib.sha256).digest()


def _env(**extra: str) -> dict[str, str]:
    env = sub.nbgrader_env()
    env.pop("MEMBRANELAB_COURSE_SECRET", None)
    env.update(extra)
    return env


def _run(course, *args, secret: bool, tool: str = "nbgrader"):
    env = _env(MEMBRANELAB_COURSE_SECRET=SECRET.hex()) if secret else _env()
    exe = sub.BIN / tool
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", tool]
    proc = subprocess.run([*cmd, *args], cwd=course, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, f"{tool} {args} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def _answers(bank, student: str, key: bytes | None) -> dict[str, str]:
    """Right answer text per (problem, part) for ``student``'s variant keyed by ``key``."""
    out = {}
    for pid in PROBLEMS:
        problem = bank.problems[pid]
        variant = (problem.variant(student, ASSIGNMENT, key=key) if key
                   else problem.variant(student, ASSIGNMENT))
        for part in problem.parts:
            answer = variant.answers()[part.id]
            out[(pid, part.id)] = (f"{answer.text} {answer.unit}"
                                   if answer.kind == "numeric" and answer.unit else answer.text)
    return out


def _fill(release: dict, parts, answers: dict) -> dict:
    by_id = {pc.answer_id: answers[(pc.problem_id, pc.part_id)] for pc in parts}
    return sub.with_answers(release, by_id, {pc.answer_id: pc.variable for pc in parts})


@pytest.fixture(scope="module")
def course(tmp_path_factory, bank):
    """Secret, build, release, three submissions, autograde and feedback, once."""
    from membranelab.course.build import part_cells
    from membranelab.service.assignments import load_assignments

    root = tmp_path_factory.mktemp("graded") / "course"
    root.mkdir()
    shutil.copy2(sub.COURSE / "nbgrader_config.py", root / "nbgrader_config.py")
    (root / "assignments.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "roster.txt").write_text("# ids\n" + "\n".join(ROSTER) + "\n", encoding="utf-8")
    _run(root, "course", "build", "--course-dir", ".", secret=True, tool="membranelab")
    _run(root, "generate_assignment", ASSIGNMENT, secret=False)
    assignment = load_assignments(root / "assignments.yaml", bank.problems)[0]
    parts = part_cells(assignment, bank)
    release = sub.read_nb(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    sub.submit(root, "alice", ASSIGNMENT, _fill(release, parts, _answers(bank, "alice", _key("alice"))))
    # bob answers with what the public package says about his id (`show --solution`)
    sub.submit(root, "bob", ASSIGNMENT, _fill(release, parts, _answers(bank, "bob", None)))
    nb = json.loads(json.dumps(release))
    sub.set_source(nb, parts[0].answer_id, SNOOP + f"{parts[0].variable} = ''")
    sub.submit(root, "mallory", ASSIGNMENT, nb)
    _run(root, "autograde", ASSIGNMENT, secret=True)
    _run(root, "generate_feedback", ASSIGNMENT, secret=False)
    _run(root, "export", secret=False)
    return root, parts, release


def _grades(root) -> dict[str, float]:
    import csv

    with open(root / "grades.csv", newline="", encoding="utf-8") as fh:
        return {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(fh)}


class TestGradedCourse:
    def test_release_has_no_key_and_no_grading_code(self, course):
        """The released notebook holds no hidden test, no check() call and no answer key."""
        _, _, release = course
        text = json.dumps(release)
        assert "HIDDEN TESTS" not in text and "answer_text" not in text
        assert "check(" not in text and "read_back(" in text

    def test_release_carries_each_students_numbers_never_answers(self, course, bank):
        """membranelab-numbers.json has every rostered student's keyed parameter values, and
        only params, statement and prompts."""
        root, _, _ = course
        data = json.loads((root / "release" / ASSIGNMENT / "membranelab-numbers.json")
                          .read_text(encoding="utf-8"))
        assert set(data["students"]) == set(ROSTER)
        for student in ROSTER:
            for pid in PROBLEMS:
                entry = data["students"][student][pid]
                assert set(entry) == {"params", "statement", "prompts"}
                keyed = bank.problems[pid].variant(student, ASSIGNMENT, key=_key(student))
                assert entry["params"] == pytest.approx(dict(keyed.params))

    def test_public_package_cannot_regenerate_a_variant(self, bank):
        """Without the key, the package draws other numbers for the same ids."""
        differ = [pid for pid in PROBLEMS for s in ROSTER
                  if dict(bank.problems[pid].variant(s, ASSIGNMENT).params)
                  != dict(bank.problems[pid].variant(s, ASSIGNMENT, key=_key(s)).params)]
        assert len(differ) >= len(PROBLEMS) * len(ROSTER) - 1

    def test_student_machine_shows_numbers_and_reads_back(self, course, bank, tmp_path):
        """Run as alice without the secret: her released statement is shown, each test cell
        says how her answer is read and grades nothing."""
        from nbclient import NotebookClient

        root, parts, release = course
        work = tmp_path / "alice"
        shutil.copytree(root / "release" / ASSIGNMENT, work)
        nb = nbformat.reads(json.dumps(_fill(release, parts,
                                             _answers(bank, "alice", _key("alice")))),
                            as_version=4)
        env = _env(MEMBRANELAB_STUDENT="alice")
        old = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)
        try:
            NotebookClient(nb, timeout=120, kernel_name="python3",
                           resources={"metadata": {"path": str(work)}}).execute()
        finally:
            os.environ.clear()
            os.environ.update(old)
        out = {sub.grade_id(c): "".join(o.get("text", "") + o.get("data", {}).get("text/markdown", "")
                                        for o in c.get("outputs", [])) for c in nb.cells}
        numbers = json.loads((work / "membranelab-numbers.json").read_text(encoding="utf-8"))
        for pid in PROBLEMS:
            statement = numbers["students"]["alice"][pid]["statement"]
            assert statement.strip() in out[f"{pid}-statement"]
        for pc in parts:
            text = out[pc.test_id]
            assert f"{pc.part_id}: read as" in text, text
            assert "graded after you submit" in text
            assert "Correct" not in text and "points]" not in text

    def test_autograde_grades_with_the_keyed_variant(self, course):
        """alice's keyed answers earn full marks; bob's answers from the public package do not."""
        root, parts, _ = course
        grades = _grades(root)
        total = sum(pc.points for pc in parts)
        assert grades["alice"] == pytest.approx(total)
        assert grades["bob"] < total
        assert grades["mallory"] == 0

    def test_feedback_carries_the_worked_solution(self, course):
        """After grading, alice's feedback holds each problem's worked solution."""
        root, _, _ = course
        page = (root / "feedback" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(
            encoding="utf-8")
        assert page.count("Worked solution") >= len(PROBLEMS)

    def test_grading_kernels_never_see_the_secret(self, course):
        """mallory printed the grading kernel's environment and looked for the secret file:
        her autograded notebook and feedback hold her own key at most, never the secret."""
        root, _, _ = course
        for folder in ("autograded", "feedback"):
            for path in (root / folder / "mallory").rglob("*"):
                if path.is_file():
                    text = path.read_text(encoding="utf-8", errors="replace")
                    assert SECRET.hex() not in text, path
        nb = (root / "autograded" / "mallory" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text(
            encoding="utf-8")
        assert "absent" in nb and _key("mallory").hex() in nb

    def test_audit_with_the_secret_agrees(self, course):
        """`membranelab course audit` grades the keyed variants directly: nothing differs."""
        root, parts, _ = course
        proc = _run(root, "course", "audit", ASSIGNMENT, "--course-dir", ".", secret=True,
                    tool="membranelab")
        assert (f"audited {len(ROSTER)} submission(s), {len(ROSTER) * len(parts)} part(s): "
                "0 difference(s)") in proc.stdout


@pytest.mark.slow
def test_class_report_in_chromium(course, tmp_path):
    """``membranelab report`` on this graded course (its nbgrader gradebook), in English and
    Chinese, opened in headless Chromium: figures decoded, tables there, nothing fetched; each
    student's total is the raw score nbgrader exported (screenshots in tests/artifacts/)."""
    from report.chromium import figures_loaded, only_local, open_report

    root, parts, _ = course
    for lang, title in (("en", "Class report"), ("zh", "班级报告")):
        out = tmp_path / f"report-{lang}"
        _run(root, "report", ".", "-o", str(out), "--lang", lang, secret=False,
             tool="membranelab")
        seen = open_report(out / "report.html", f"report-graded-{lang}")
        assert seen["title"] == title and figures_loaded(seen, 3) and only_local(seen)
        assert seen["rows"]["parts"] == 1 + len(parts)
        assert seen["rows"]["students"] == 2 + len(ROSTER)
        doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
        totals = {s["student"]: s["total"] for s in doc["assignments"][0]["students"]}
        assert totals == pytest.approx(_grades(root))
