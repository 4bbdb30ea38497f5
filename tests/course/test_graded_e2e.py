"""A graded course through the real command lines, as course/README.md's graded recipe says.

Fourteen students of a rostered class hand in ``hw-graded`` (two problems, six parts, six
points): right, typical mistakes, blank, Chinese full-width, a bomb, a copier, a student who
computes an answer with the package, the ``check`` patcher in both spellings, the key-function
caller, the secret reader, a student who edits locked cells, and a late one.  The teacher runs
the recipe command by command: ``course secret``, ``course build``, ``nbgrader db assignment
add`` (a due date), ``nbgrader generate_assignment``, ``course grade``, ``nbgrader
generate_feedback``, ``nbgrader export``.  Expected scores are a teacher's by hand: each typed
answer against that student's keyed numbers, recomputed here with HMAC-SHA256 from the secret
file (the documented formula) and the bank's solver, never from the grading code under test.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import math
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from membranelab.bank import load_bank

from . import submissions as sub

pytestmark = pytest.mark.slow

ASSIGNMENT = "hw-graded"
PROBLEMS = ("nernst-potassium", "nernst-sodium")
NUMERIC = {"E_K", "E_Na", "drive"}
ROSTER = ("alice", "bob", "carol", "dong", "erin", "frank", "grace", "heidi", "ivan", "judy",
          "mallory", "ken", "liu", "nina")  # nina never hands in
DUE = "2026-12-01 23:59:00 UTC"
CONFIG = f"""course:
  id: physio-e2e
  mode: graded
  feedback: named
  roster: roster.txt
assignments:
  - id: {ASSIGNMENT}
    title: "A graded problem set"
    problems: [{", ".join(PROBLEMS)}]
"""
#: Run by anything that executes mallory's answer cell: dumps the kernel's environment and every
#: readable file under its folders and config directory to SNOOP_DIR.
SNOOP = """import os, json, pathlib
seen = {{}}
roots = [pathlib.Path.cwd(), pathlib.Path.cwd().parent, pathlib.Path.home(),
         pathlib.Path(os.environ.get("XDG_CONFIG_HOME", pathlib.Path.home() / ".config"))]
for root in roots:
    for path in root.rglob("*") if root.is_dir() else []:
        try:
            if path.is_file() and path.stat().st_size < 2_000_000:
                seen[str(path)] = path.read_text(errors="replace")
        except OSError:
            pass
out = pathlib.Path({snoop!r}) / f"kernel-{{os.getpid()}}.json"
out.write_text(json.dumps({{"env": dict(os.environ), "files": seen}}))
{variable} = open(pathlib.Path.home() / ".membranelab-secret").read()
"""


def _env(config: Path) -> dict[str, str]:
    env = sub.nbgrader_env()
    env.pop("MEMBRANELAB_COURSE_SECRET", None)
    env["XDG_CONFIG_HOME"] = str(config)
    return env


def _run(course: Path, config: Path, *args: str, ok: bool = True):
    exe = sub.BIN / args[0]
    cmd = [str(exe), *args[1:]] if exe.exists() else [sys.executable, "-m", *args]
    proc = subprocess.run(cmd, cwd=course, env=_env(config), capture_output=True, text=True,
                          timeout=900)
    if ok:
        assert proc.returncode == 0, f"{args} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _key(secret: bytes, student: str) -> bytes:
    """The student's key by the documented formula (course/README.md)."""
    message = "\x1f".join(("membranelab-variant", ASSIGNMENT, student)).encode()
    return hmac.new(secret, message, hashlib.sha256).digest()


def _full_width(text: str) -> str:
    """What a Chinese IME in full-width mode types for ``text``."""
    return "".join("\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c
                   for c in text)


class _Class:
    """The course folder after the recipe, and what the teacher expects by hand."""

    def __init__(self, root: Path, config: Path, snoop: Path, secret: bytes, parts, bank):
        self.root, self.config, self.snoop, self.secret = root, config, snoop, secret
        self.parts, self.bank = parts, bank
        self.grade_out = ""

    def variant(self, student: str, pid: str):
        return self.bank.problems[pid].variant(student, ASSIGNMENT, key=_key(self.secret,
                                                                             student))

    def right(self, student: str, pc) -> str:
        answer = self.variant(student, pc.problem_id).answers()[pc.part_id]
        return f"{answer.text} {answer.unit}" if answer.kind == "numeric" else answer.text

    def mistake(self, student: str, pc) -> str:
        """log10 for ln on numbers, another choice, twice the formula."""
        answer = self.variant(student, pc.problem_id).answers()[pc.part_id]
        part = self.bank.problems[pc.problem_id].part(pc.part_id)
        if answer.kind == "numeric":
            return f"{answer.value / math.log(10):.4g} {answer.unit}"
        if answer.kind == "choice":
            return next(c for c in part.answer_kind.choices if c != answer.text)
        return f"2*({answer.text})"


def _cells(release: dict, parts, text: dict[str, str]) -> dict:
    return sub.with_answers(release, text, {pc.answer_id: pc.variable for pc in parts})


def _hand_in(cls: _Class, release: dict) -> dict[str, float]:
    """Every student's notebook into submitted/; returns each one's score by hand."""
    parts, first = cls.parts, cls.parts[0]
    by_hand: dict[str, float] = {}

    def hand_in(student: str, nb: dict, stamp: str = "2026-12-01 20:00:00 UTC") -> None:
        sub.submit(cls.root, student, ASSIGNMENT, nb)
        (cls.root / "submitted" / student / ASSIGNMENT / "timestamp.txt").write_text(stamp)

    right = {s: {pc.answer_id: cls.right(s, pc) for pc in parts} for s in ROSTER}
    hand_in("alice", _cells(release, parts, right["alice"]))
    by_hand["alice"] = 6
    hand_in("bob", _cells(release, parts, {pc.answer_id: cls.mistake("bob", pc) for pc in parts}))
    by_hand["bob"] = 0
    hand_in("carol", release)
    by_hand["carol"] = 0
    hand_in("dong", _cells(release, parts, {k: _full_width(v) for k, v in right["dong"].items()}))
    by_hand["dong"] = 6
    hand_in("erin", _cells(release, parts, {pc.answer_id: sub.HOSTILE[i % len(sub.HOSTILE)]
                                            for i, pc in enumerate(parts)}))
    by_hand["erin"] = 0
    # frank pastes a classmate's answers: what they are worth for his own numbers, by hand.
    # The secret is new each run: the classmate is the first whose numeric answers all differ
    # from frank's (a finite grid can give two students one equal number)
    def differs(other: str) -> bool:
        return all(abs(cls.variant(other, pc.problem_id).answers()[pc.part_id].value
                       - cls.variant("frank", pc.problem_id).answers()[pc.part_id].value)
                   > 0.02 * abs(cls.variant("frank", pc.problem_id).answers()[pc.part_id].value)
                   for pc in parts if pc.part_id in NUMERIC)
    cls.source = next(s for s in ("alice", "dong", "ken", "liu") if differs(s))
    hand_in("frank", _cells(release, parts, right[cls.source]))
    by_hand["frank"] = sum(1 for pc in parts if pc.part_id not in NUMERIC
                           and right[cls.source][pc.answer_id] == right["frank"][pc.answer_id])
    # grace computes E_Na in her answer cell with the package's physics (not graded: listed);
    # the other parts she worked out and typed
    nb = _cells(release, parts, right["grace"])
    e_na = next(pc for pc in parts if pc.part_id == "E_Na")
    sub.set_source(nb, e_na.answer_id, "from membranelab.physics import nernst_potential\n"
                   f'{e_na.variable} = f"{{1000 * nernst_potential(145, 12, 1, 310.15):.1f}} mV"')
    hand_in("grace", nb)
    by_hand["grace"] = 5
    # heidi replaces check, answers built by code; ivan patches by setattr, answers typed
    nb = _cells(release, parts, {})
    for pc in parts:
        sub.set_source(nb, pc.answer_id, f'{pc.variable} = "".join(["1 mV"])')
    sub.set_source(nb, first.answer_id, "import membranelab.student as ms\n"
                   "ms.check = lambda *a, **k: k.get('points', 1)\n"
                   f'{first.variable} = "".join(["1 mV"])')
    hand_in("heidi", nb)
    nb = _cells(release, parts, {pc.answer_id: "1 mV" for pc in parts})
    sub.set_source(nb, first.answer_id, "from membranelab import student\n"
                   "setattr(student, 'check', lambda *a, points=1, **k: points)\n"
                   f'{first.variable} = "1 mV"')
    hand_in("ivan", nb)
    # judy calls the package's key function in every answer cell
    nb = _cells(release, parts, {})
    for pc in parts:
        sub.set_source(nb, pc.answer_id, "from membranelab.course.key import answer_text\n"
                       f"{pc.variable} = answer_text({ASSIGNMENT!r}, {pc.problem_id!r}, "
                       f"{pc.part_id!r}, graded=True)")
    hand_in("judy", nb)
    # mallory reads the environment and files, and answers with what she found
    nb = _cells(release, parts, {})
    sub.set_source(nb, first.answer_id, SNOOP.format(snoop=str(cls.snoop),
                                                     variable=first.variable))
    hand_in("mallory", nb)
    by_hand.update(heidi=0, ivan=0, judy=0, mallory=0)
    # ken types right answers, rewrites a test cell and deletes a statement cell
    nb = _cells(release, parts, right["ken"])
    test = next(c for c in nb["cells"] if sub.grade_id(c) == first.test_id)
    test["source"] = "print('all correct')\n1"
    nb["cells"] = [c for c in nb["cells"] if sub.grade_id(c) != f"{PROBLEMS[1]}-statement"]
    hand_in("ken", nb)
    by_hand["ken"] = 6
    hand_in("liu", _cells(release, parts, right["liu"]), stamp="2026-12-02 09:30:00 UTC")
    by_hand["liu"] = 6  # raw; the course's late rule (zero) takes it all
    return by_hand


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The recipe of course/README.md, command by command (students' work in between)."""
    from membranelab.course.build import part_cells
    from membranelab.service.assignments import load_assignments

    base = tmp_path_factory.mktemp("graded")
    root, config, snoop = base / "course", base / "teacher-config", base / "snoop"
    root.mkdir()
    snoop.mkdir()
    shutil.copy2(sub.COURSE / "nbgrader_config.py", root / "nbgrader_config.py")
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as fh:
        fh.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    (root / "assignments.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "roster.txt").write_text("\n".join(ROSTER) + "\n", encoding="utf-8")
    made = _run(root, config, "membranelab", "course", "secret", "--course-dir", ".")
    secret_file = config / "membranelab" / "courses" / "physio-e2e.secret"
    assert str(secret_file) in " ".join(made.stdout.split())
    secret = bytes.fromhex(secret_file.read_text().strip())
    _run(root, config, "membranelab", "course", "build", "--course-dir", ".")
    _run(root, config, "nbgrader", "db", "assignment", "add", ASSIGNMENT, f"--duedate={DUE}")
    _run(root, config, "nbgrader", "generate_assignment", ASSIGNMENT)
    bank = load_bank()
    assignment = load_assignments(root / "assignments.yaml", bank.problems)[0]
    cls = _Class(root, config, snoop, secret, part_cells(assignment, bank), bank)
    release = sub.read_nb(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    cls.by_hand = _hand_in(cls, release)
    # a teacher who reaches for nbgrader autograde is refused before any kernel starts
    cls.autograde = _run(root, config, "nbgrader", "autograde", ASSIGNMENT, ok=False)
    shutil.rmtree(root / "autograded", ignore_errors=True)
    cls.grade_out = _run(root, config, "membranelab", "course", "grade", ASSIGNMENT,
                         "--course-dir", ".", "-j", "2").stdout
    _run(root, config, "nbgrader", "generate_feedback", ASSIGNMENT)
    _run(root, config, "nbgrader", "export")
    return cls


def _export(root: Path) -> dict[str, dict[str, str]]:
    with open(root / "grades.csv", newline="", encoding="utf-8") as fh:
        return {row["student_id"]: row for row in csv.DictReader(fh)}


def _flags(root: Path) -> list[dict[str, str]]:
    with open(root / f"{ASSIGNMENT}-flags.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


class TestGradedRecipe:
    def test_exported_scores_are_the_teachers_by_hand(self, graded):
        """nbgrader export gives every student the score a teacher gives by hand."""
        rows = _export(graded.root)
        assert set(rows) == set(graded.by_hand)
        got = {s: float(r["raw_score"]) for s, r in rows.items()}
        assert got == pytest.approx({s: float(v) for s, v in graded.by_hand.items()})
        assert all(float(r["max_score"]) == 6 for r in rows.values())

    def test_the_four_cheats_get_nothing(self, graded):
        """The check patchers, the key-function caller and the secret reader score 0."""
        rows = _export(graded.root)
        for student in ("heidi", "ivan", "judy", "mallory"):
            assert float(rows[student]["score"]) == 0, student

    def test_late_submission_penalised_as_nbgrader_would(self, graded):
        """liu handed in after the due date: the course's 'zero' rule takes the whole score;
        alice, on time, keeps hers."""
        rows = _export(graded.root)
        assert float(rows["liu"]["late_submission_penalty"]) == 6
        assert float(rows["liu"]["score"]) == 0
        assert float(rows["alice"]["late_submission_penalty"]) == 0

    def test_copier_flagged_with_the_classmate(self, graded):
        """frank is flagged copied, naming the classmate he copied, with a small chance of
        accident; nobody else is flagged copied."""
        copied = [r for r in _flags(graded.root) if r["flag"] == "copied"]
        assert [(r["student"], r["other_student"]) for r in copied] == [("frank", graded.source)]
        assert 0 < float(copied[0]["chance"]) < 0.05  # three numbers of a wide grid
        assert len(copied[0]["parts"].split()) == len(NUMERIC)

    def test_flags_name_what_each_notebook_tried(self, graded):
        """computed for grace; suspicious code for the patchers, the key caller and the
        secret reader; locked cell edited for ken; no flag for honest work."""
        flags = {(r["student"], r["flag"], r["detail"].split()[0]) for r in _flags(graded.root)}
        students = {s for s, _, _ in flags}
        assert ("grace", "computed", "answers") in flags
        assert ("heidi", "suspicious code", "patches") in flags
        assert ("ivan", "suspicious code", "patches") in flags
        assert ("judy", "suspicious code", "imports") in flags
        assert ("mallory", "suspicious code", "reads") in flags
        assert any(s == "ken" and f == "locked cell edited" for s, f, _ in flags)
        assert not students & {"alice", "bob", "carol", "dong", "erin", "liu"}
        assert "flag(s)" in graded.grade_out and "running no student code" in graded.grade_out

    def test_feedback_pages_hold_feedback_and_solutions_never_a_secret(self, graded):
        """Every feedback page has the grader's output and the worked solutions, and none
        holds the secret or any student's key."""
        keys = [_key(graded.secret, s).hex() for s in ROSTER]
        pages = sorted((graded.root / "feedback").rglob("*.html"))
        assert len(pages) == len(graded.by_hand)
        for page in pages:
            text = page.read_text(encoding="utf-8")
            assert graded.secret.hex() not in text, page
            assert not any(k in text for k in keys), page
            assert text.count("Worked solution") == len(PROBLEMS), page
        alice = (graded.root / "feedback" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.html")
        assert "Correct" in alice.read_text(encoding="utf-8")

    def test_autograde_is_refused_for_a_graded_course(self, graded):
        """nbgrader autograde names course grade and runs no student's cell."""
        text = graded.autograde.stdout + graded.autograde.stderr
        assert "membranelab course grade" in text
        assert graded.autograde.returncode != 0


class TestNoKeyInAnyKernel:
    def test_no_kernel_ran_at_grading_time(self, graded):
        """mallory's cell dumps any kernel that runs it; after autograde (refused), course
        grade, generate_feedback and export, there is no dump: no kernel ran student code
        where the secret is."""
        assert list(graded.snoop.iterdir()) == []

    def test_a_students_kernel_finds_neither_secret_nor_key(self, graded, tmp_path):
        """mallory's notebook run in a real kernel as on her machine (the release folder, her
        own config directory): its environment and every file it can read under its folders
        and config hold neither the secret nor any student's key."""
        import nbformat
        from nbclient import NotebookClient

        work = tmp_path / "mallory" / ASSIGNMENT
        shutil.copytree(graded.root / "release" / ASSIGNMENT, work)
        nb = nbformat.read(graded.root / "submitted" / "mallory" / ASSIGNMENT
                           / f"{ASSIGNMENT}.ipynb", as_version=4)
        env = _env(tmp_path / "mallory-config")
        env["MEMBRANELAB_STUDENT"] = "mallory"
        env["HOME"] = str(tmp_path / "mallory")
        old = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)
        try:
            NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                           resources={"metadata": {"path": str(work)}}).execute()
        finally:
            os.environ.clear()
            os.environ.update(old)
        dumps = list(graded.snoop.iterdir())
        assert len(dumps) == 1  # the snoop ran: this test can fail
        seen = dumps[0].read_text(encoding="utf-8")
        dumps[0].unlink()
        assert "membranelab-numbers.json" in seen and "MEMBRANELAB_STUDENT" in seen
        assert graded.secret.hex() not in seen
        for student in ROSTER:
            assert _key(graded.secret, student).hex() not in seen, student


class TestTheTeacherDecides:
    def test_manual_score_survives_a_regrade(self, graded):
        """grace's computed answer is marked for a manual grade; the teacher's score (given as
        the formgrader records it) stands through another course grade and reaches the export."""
        from nbgrader.api import Gradebook

        e_na = next(pc for pc in graded.parts if pc.part_id == "E_Na")
        with Gradebook(f"sqlite:///{graded.root / 'gradebook.db'}", "membranelab") as gb:
            grade = gb.find_grade(e_na.test_id, ASSIGNMENT, ASSIGNMENT, "grace")
            assert grade.needs_manual_grade and grade.auto_score == 0
            grade.manual_score = 1.0
            gb.db.commit()
        _run(graded.root, graded.config, "membranelab", "course", "grade", ASSIGNMENT,
             "--course-dir", ".")
        _run(graded.root, graded.config, "nbgrader", "export")
        rows = _export(graded.root)
        assert float(rows["grace"]["raw_score"]) == 6
        assert float(rows["alice"]["raw_score"]) == 6 and float(rows["heidi"]["raw_score"]) == 0


def test_full_width_is_what_an_ime_types():
    """The full-width helper really produces full-width text that NFKC folds back."""
    text = _full_width("-95.2 mV")
    assert text == "－９５．２\u3000ｍＶ"
    assert unicodedata.normalize("NFKC", text) == "-95.2 mV"
