"""The real nbgrader command line on a copy of the course: release, submit, autograde, feedback,
export, with per-student variants.

Five students hand in the first assignment: alice (all correct for her numbers), bob (a typical
mistake in every part), carol (half right, cells deleted and reordered), o'mallory (hostile: odd
answer text, an answer object that cannot be printed, forging the id to pass alice's answers off,
writing to stderr), eve (the release notebook unchanged), trent, who copies alice's answers
and patches ``membranelab.student.check`` inside the kernel (nbgrader cannot stop that: student
code runs with the grader's rights), cody, who hands in alice's notebook as it is, carl, who
computes his numeric answers in code (``E_K = "{:.6g} {}".format(...)``), and dora, who types
her answers under the prompt's own names (``E_K = "..."`` where the pre-filled variable is
``p4_E_K``).  The audit, which grades answer values without running code, classifies trent's
parts as tampered, carl's as computed, and finds nothing to say about cody and dora.
Expected totals follow from the bank's own answers for each student's variant.
"""

from __future__ import annotations

import csv
import html
import json
import math

import pytest

from membranelab.bank import load_bank
from membranelab.service.assignments import load_assignments

from . import submissions as sub

ASSIGNMENT = load_assignments(sub.COURSE / "assignments.yaml")[0].id
STUDENTS = ("alice", "bob", "carol", "o'mallory", "eve", "trent", "cody", "carl", "dora", "zed")
#: zed answers everything right except one part, where he types an exponent bomb (sympy used to
#: build 1.0000001^(10^9) exactly: the cell hit nbgrader's timeout and the audit hung).
BOMB = "1.0000001^1e9*R*T/F"
PATCH = ("import membranelab.student\n"
         "membranelab.student.check = lambda *args, points=1, **kw: float(points)\n")


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def parts(bank):
    return sub.parts_of(ASSIGNMENT, bank)


def _carol_plan(parts):
    """Which of carol's parts are answered right, which test cell she deletes, which whole part
    (answer and test) she deletes: returns (right, deleted_test, deleted_part)."""
    right = [pc for i, pc in enumerate(parts) if i % 2 == 0]
    deleted_test = right[0]
    deleted_part = right[1] if len(right) > 1 else None
    return right, deleted_test, deleted_part


@pytest.fixture(scope="module")
def graded(tmp_path_factory, bank, parts):
    """Run the whole nbgrader workflow once; return the course folder and the expected totals."""
    course = sub.copy_course(tmp_path_factory.mktemp("course"))
    sub.nbgrader(course, "generate_assignment", ASSIGNMENT)
    release = sub.read_nb(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    variables = {pc.answer_id: pc.variable for pc in parts}
    total = sum(pc.points for pc in parts)

    def answers(student, rule, only=None):
        chosen = parts if only is None else only
        return {pc.answer_id: rule(bank, ASSIGNMENT, student, pc.problem_id, pc.part_id)
                for pc in chosen}

    expected = {}
    sub.submit(course, "alice", ASSIGNMENT,
               sub.with_answers(release, answers("alice", sub.correct_text), variables))
    expected["alice"] = total

    sub.submit(course, "bob", ASSIGNMENT,
               sub.with_answers(release, answers("bob", sub.typical_mistake), variables))
    expected["bob"] = 0.0

    right, deleted_test, deleted_part = _carol_plan(parts)
    nb = sub.with_answers(release, answers("carol", sub.correct_text, right), variables)
    gone = {deleted_test.test_id}
    if deleted_part is not None:
        gone |= {deleted_part.answer_id, deleted_part.test_id}
    nb["cells"] = [c for c in nb["cells"] if sub.grade_id(c) not in gone]
    moved = next(c for c in nb["cells"] if sub.grade_id(c).endswith("-statement"))
    nb["cells"].remove(moved)
    nb["cells"].append(moved)  # reordered: a display cell at the end
    nb["cells"][0], nb["cells"][1] = nb["cells"][1], nb["cells"][0]
    sub.submit(course, "carol", ASSIGNMENT, nb)
    expected["carol"] = sum(pc.points for pc in right if pc is not deleted_part)

    nb = sub.with_answers(
        release,
        {pc.answer_id: sub.HOSTILE[i % len(sub.HOSTILE)] for i, pc in enumerate(parts)},
        variables)
    first, last = parts[0], parts[-1]
    alice_first = sub.correct_text(bank, ASSIGNMENT, "alice", first.problem_id, first.part_id)
    mallory_first = sub.correct_text(bank, ASSIGNMENT, "o'mallory", first.problem_id,
                                     first.part_id)
    assert alice_first != mallory_first, "pick other ids: alice and o'mallory share a variant"
    sub.set_source(nb, first.answer_id, "\n".join([
        "import os, sys",
        "os.environ['MEMBRANELAB_STUDENT'] = 'alice'",
        "os.environ['JUPYTERHUB_USER'] = 'alice'",
        "os.environ['MEMBRANELAB_BANK'] = '/nonexistent'",
        "print('spoofing', file=sys.stderr)",
        f"{first.variable} = {alice_first!r}",
    ]))
    if last is not first:
        sub.set_source(nb, last.answer_id, "\n".join([
            "class Answer:",
            "    def __str__(self):",
            "        raise RuntimeError('no text for you')",
            f"{last.variable} = Answer()",
        ]))
    sub.submit(course, "o'mallory", ASSIGNMENT, nb)
    expected["o'mallory"] = 0.0

    sub.submit(course, "eve", ASSIGNMENT, release)
    expected["eve"] = 0.0

    nb = sub.with_answers(release, answers("alice", sub.correct_text), variables)
    for cell in nb["cells"]:
        if sub.grade_id(cell) == parts[0].answer_id:
            cell["source"] = PATCH + cell["source"]
    sub.submit(course, "trent", ASSIGNMENT, nb)
    expected["trent"] = total  # the patch fools nbgrader; the audit below catches it

    alice_nb = sub.read_nb(course / "submitted" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    sub.submit(course, "cody", ASSIGNMENT, alice_nb)  # the whole notebook, copied
    expected["cody"] = None  # alice's answers on cody's numbers: checked against the audit

    nb = sub.with_answers(release, answers("carl", sub.correct_text), variables)
    for pc in parts:
        if bank.problems[pc.problem_id].part(pc.part_id).kind == "numeric":
            answer = bank.problems[pc.problem_id].variant("carl", ASSIGNMENT).answers()[pc.part_id]
            sub.set_source(nb, pc.answer_id,
                           f"{pc.variable} = '{{:.6g}} {{}}'.format({answer.value!r}, "
                           f"{answer.unit!r})")
    sub.submit(course, "carl", ASSIGNMENT, nb)
    expected["carl"] = total

    nb = sub.with_answers(release, answers("dora", sub.correct_text), variables)
    renamed = [pc for pc in parts if pc.name != pc.variable]
    assert renamed, "the assignment has no part whose variable differs from its prompt name"
    for pc in renamed:
        text = sub.correct_text(bank, ASSIGNMENT, "dora", pc.problem_id, pc.part_id)
        cell = next(c for c in release["cells"] if sub.grade_id(c) == pc.answer_id)
        sub.set_source(nb, pc.answer_id, "".join(cell["source"]) + f"\n{pc.name} = {text!r}")
    sub.submit(course, "dora", ASSIGNMENT, nb)
    expected["dora"] = total

    bombed = next((pc for pc in parts
                   if bank.problems[pc.problem_id].part(pc.part_id).kind == "symbolic"), parts[0])
    zed = answers("zed", sub.correct_text)
    zed[bombed.answer_id] = BOMB
    sub.submit(course, "zed", ASSIGNMENT, sub.with_answers(release, zed, variables))
    expected["zed"] = total - bombed.points

    sub.nbgrader(course, "autograde", ASSIGNMENT)
    sub.nbgrader(course, "generate_feedback", ASSIGNMENT)
    sub.nbgrader(course, "export")
    return course, expected, total


def _feedback(course, student) -> str:
    return (course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(
        encoding="utf-8")


def _autograded(course, student) -> dict:
    return json.loads((course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
                      .read_text(encoding="utf-8"))


class TestAutogradeThroughNbgrader:
    def test_exported_totals_are_the_expected_ones(self, graded):
        """nbgrader export gives each student the total their variant's answers deserve."""
        course, expected, total = graded
        with open(course / "grades.csv", newline="", encoding="utf-8") as fh:
            rows = {row["student_id"]: row for row in csv.DictReader(fh)
                    if row["assignment"] == ASSIGNMENT}
        assert set(rows) == set(STUDENTS)
        for student in STUDENTS:
            assert float(rows[student]["max_score"]) == pytest.approx(total)
            if expected[student] is None:
                continue
            assert float(rows[student]["raw_score"]) == pytest.approx(expected[student]), student
        assert float(rows["cody"]["raw_score"]) < total  # alice's answers are not cody's

    def test_gradebook_agrees_with_export(self, graded):
        """The gradebook's per-submission scores are the exported ones."""
        from nbgrader.api import Gradebook

        course, expected, _ = graded
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "membranelab") as gb:
            for student in STUDENTS:
                score = gb.find_submission(ASSIGNMENT, student).score
                if expected[student] is not None:
                    assert score == pytest.approx(expected[student]), student

    def test_audit_classifies_each_difference(self, graded, bank, parts):
        """Grading the answer values read statically (no student code run) agrees with the
        gradebook everywhere except: trent's parts (tampered: nbgrader was fooled upwards) and
        carl's numeric parts (computed: unverifiable, not cheating).  The copier and the
        student who used the prompt's names agree with the gradebook."""
        from membranelab.course.answers import audit_assignment

        course, _, _ = graded
        assignment = load_assignments(course / "assignments.yaml", bank.problems)[0]
        report = audit_assignment(course, assignment, bank)
        assert report.submissions == len(STUDENTS)
        assert report.parts == len(STUDENTS) * len(parts)
        by_kind = {}
        for d in report.differences:
            by_kind.setdefault(d.kind, set()).add(d.student)
        assert by_kind.get("tampered") == {"trent"}
        assert by_kind.get("computed") == {"carl"}
        assert "missing" not in by_kind and "lower" not in by_kind
        assert all(d.nbgrader > d.direct for d in report.tampered)
        numeric = {pc.test_id for pc in parts
                   if bank.problems[pc.problem_id].part(pc.part_id).kind == "numeric"}
        assert {d.test_id for d in report.differences if d.student == "carl"} == numeric
        assert all(d.direct is None for d in report.differences if d.student == "carl")

    def test_audit_command_flags_the_patcher(self, graded, capsys):
        """`python -m membranelab.course.answers <assignment>` lists trent's parts as tampered,
        carl's as computed, counts what it audited, exit 1."""
        from membranelab.course.answers import main

        course, _, _ = graded
        assert main([ASSIGNMENT, "--course", str(course)]) == 1
        lines = capsys.readouterr().out.splitlines()
        assert lines[-1].startswith(f"audited {len(STUDENTS)} submission(s)")
        assert "tampered" in lines[-1] and "computed" in lines[-1]
        assert all(line.startswith(("tampered\ttrent\t", "computed\tcarl\t"))
                   for line in lines[:-1])

    def test_cli_course_audit(self, graded, capsys):
        """`membranelab course audit <assignment>`: the same classes through the CLI, exit 1."""
        from membranelab.cli import main

        course, _, _ = graded
        assert main(["course", "audit", ASSIGNMENT, "--course-dir", str(course)]) == 1
        lines = [line.strip() for line in capsys.readouterr().out.splitlines() if line.strip()]
        assert lines[-1].startswith(f"audited {len(STUDENTS)} submission(s)")
        kinds = {tuple(line.split()[:2]) for line in lines[:-1]}
        assert kinds == {("tampered", "trent"), ("computed", "carl")}

    def test_audit_without_the_patcher_passes(self, graded, tmp_path, bank, capsys):
        """Without trent's submission, computed answers alone do not fail the audit (exit 0)."""
        import shutil

        from membranelab.cli import main

        course, _, _ = graded
        copy = tmp_path / "course"
        shutil.copytree(course, copy)
        shutil.rmtree(copy / "autograded" / "trent")
        assert main(["course", "audit", ASSIGNMENT, "--course-dir", str(copy)]) == 0
        out = capsys.readouterr().out
        assert "computed" in out and "tampered\t" not in out

    def test_exponent_bomb_scores_zero_in_normal_time(self, graded):
        """zed's bomb is graded like any wrong answer: no cell timed out in his notebook, and
        his feedback does not mention a timeout (the audit above ran over his notebook too)."""
        course, expected, total = graded
        assert expected["zed"] < total
        outputs = json.dumps([cell.get("outputs", []) for cell in _autograded(course, "zed")["cells"]])
        assert "Timeout" not in outputs and "timed out" not in outputs
        assert "Timeout" not in _feedback(course, "zed")

    def test_each_student_sees_own_id_in_feedback(self, graded):
        """The feedback report shows the variant of the id the submission was filed under."""
        course, _, _ = graded
        for student in STUDENTS:
            page = html.unescape(_feedback(course, student))
            assert f"Numbers for student {student!r}" in page, student
            others = [s for s in STUDENTS if s != student and s not in student]
            assert not any(f"Numbers for student {s!r}" in page for s in others)

    def test_typical_mistake_named_in_feedback(self, graded, parts, bank):
        """bob's feedback names the log10-for-ln mistake (when the assignment has such a part)."""
        course, _, _ = graded
        html = _feedback(course, "bob")
        assert any("log10" in bank.problems[pc.problem_id].part(pc.part_id).answer_kind.mistakes for pc in parts)
        assert "log10 instead of the natural log" in html
        assert "Correct." not in html

    def test_hostile_submission_graded_without_stopping(self, graded, parts):
        """Every test cell of the hostile submission ran and printed a message; nothing ran
        from the answer text."""
        course, _, _ = graded
        nb = _autograded(course, "o'mallory")
        tests = [c for c in nb["cells"] if sub.grade_id(c).endswith("-test")]
        assert len(tests) == len(parts)
        for cell in tests:
            kinds = [o["output_type"] for o in cell["outputs"]]
            assert "error" not in kinds and "execute_result" in kinds, sub.grade_id(cell)
        assert not (course / "autograded" / "o'mallory" / ASSIGNMENT / "PWNED").exists()
        assert not any(course.rglob("PWNED"))

    def test_deleted_cells_are_restored_and_graded(self, graded, parts):
        """carol's deleted test cells are back in the autograded notebook, with outputs."""
        course, _, _ = graded
        nb = _autograded(course, "carol")
        ids = [sub.grade_id(c) for c in nb["cells"]]
        for pc in parts:
            assert pc.test_id in ids
        _, deleted_test, _ = _carol_plan(parts)
        cell = nb["cells"][ids.index(deleted_test.test_id)]
        assert cell["outputs"], "restored test cell was not run"
        assert "was missing from the submission" in "".join(cell["source"])
        _, _, deleted_part = _carol_plan(parts)
        if deleted_part is not None:
            answer = nb["cells"][ids.index(deleted_part.answer_id)]
            assert "put back empty" in "".join(answer["source"])
            assert ids.index(deleted_part.answer_id) < ids.index(deleted_part.test_id)

    def test_unchanged_notebook_scores_zero_with_message(self, graded):
        """eve's untouched answer cells score zero and say there is no answer yet."""
        course, _, _ = graded
        assert "no answer yet" in _feedback(course, "eve")

    def test_injected_cells_are_gone(self, graded):
        """The autograded notebooks hold no cell added by InjectStudentId."""
        course, _, _ = graded
        for student in STUDENTS:
            nb = _autograded(course, student)
            assert not any(c["metadata"].get("membranelab_injected") for c in nb["cells"])
            assert not any("".join(c["source"]).startswith("__import__('os')")
                           for c in nb["cells"])


def test_expected_totals_are_not_trivial(bank, parts):
    """The scenario is informative: carol's total is strictly between 0 and the maximum."""
    right, _, deleted_part = _carol_plan(parts)
    carol = sum(pc.points for pc in right if pc is not deleted_part)
    assert 0 < carol < sum(pc.points for pc in parts)
    assert not math.isclose(carol, 0)


def test_every_assignment_full_marks_for_right_answers(tmp_path, bank):
    """Through nbgrader, right answers for the student's own numbers earn full marks in every
    assignment (so every problem of the bank works in the course)."""
    course = sub.copy_course(tmp_path / "course")
    assignments = load_assignments(course / "assignments.yaml", bank.problems)
    totals = {}
    # one nbgrader run releases every assignment, one grades them all (the id is a pattern)
    sub.nbgrader(course, "generate_assignment", "*")
    for a in assignments:
        release = sub.read_nb(course / "release" / a.id / a.notebook)
        parts = sub.parts_of(a.id, bank)
        answers = {pc.answer_id: sub.correct_text(bank, a.id, "dana", pc.problem_id, pc.part_id)
                   for pc in parts}
        variables = {pc.answer_id: pc.variable for pc in parts}
        sub.submit(course, "dana", a.id, sub.with_answers(release, answers, variables))
        totals[a.id] = sum(pc.points for pc in parts)
    sub.nbgrader(course, "autograde", "*")
    sub.nbgrader(course, "export")
    with open(course / "grades.csv", newline="", encoding="utf-8") as fh:
        rows = {row["assignment"]: row for row in csv.DictReader(fh)}
    for aid, total in totals.items():
        lost = _lost_parts(course / "autograded" / "dana" / aid / f"{aid}.ipynb")
        assert float(rows[aid]["raw_score"]) == pytest.approx(total), (aid, lost)


def _lost_parts(path) -> list[str]:
    """The printed feedback of every test cell that did not earn its points (for messages)."""
    lost = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if not meta.get("grade"):
            continue
        text = "".join("".join(o.get("text", "")) for o in cell["outputs"])
        values = [o["data"]["text/plain"] for o in cell["outputs"]
                  if o["output_type"] == "execute_result"]
        if not values or float("".join(values[0])) < meta["points"]:
            lost.append(f"{meta['grade_id']}: {text.strip()}")
    return lost
