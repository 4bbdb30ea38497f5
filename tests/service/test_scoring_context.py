"""Where a part's scoring rules come from in each context (problem file < assignment's or class
file's < a student's extension), as the grading service resolves them; and what the progress
store keeps of a part for the policy."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from membranelab.bank import load_bank
from membranelab.bank.scoring import Layer
from membranelab.errors import CliError
from membranelab.service import Course, GradingService
from membranelab.service.assignments import AssignmentsError, load_assignments
from membranelab.service.progress_store import ProgressStore
from membranelab.service.scoring import Context
from membranelab.web import ClassSettings
from membranelab.web.config import Extension

PROBLEM = "nernst-potassium"
REPO = Path(__file__).resolve().parents[2]


def _assignments(folder, scoring: str) -> object:
    path = folder / "assignments.yaml"
    path.write_text("assignments:\n  - id: ps1\n    problems: [nernst-potassium]\n"
                    f"    scoring: {scoring}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bank():
    return load_bank()


class TestAssignment:
    def test_assignment_rules_apply_to_its_answers(self, bank, tmp_path):
        """An assignment's scoring in assignments.yaml is the service's rules there, over the
        problem file's defaults; another assignment keeps the problem file's."""
        _assignments(tmp_path, "{penalty: 0.2, parts: {direction: {choice_first_try: false}}}")
        service = GradingService(bank, Course.open(tmp_path, bank.problems))
        problem = bank.problems[PROBLEM]
        assert service.rules(problem, "E_K", "ps1").penalty == 0.2
        assert service.rules(problem, "direction", "ps1").choice_first_try is False
        assert service.rules(problem, "E_K", "practice").penalty == 0.0

    def test_bad_rule_names_the_field(self, tmp_path):
        """A rule that is not one is refused, naming the assignment and the key."""
        path = _assignments(tmp_path, "{penalty: 2}")
        with pytest.raises(AssignmentsError, match=r"assignments\[0\]\.scoring: penalty must "
                                                   r"be a number in \[0, 1\], got 2"):
            load_assignments(path)


class TestClass:
    def _klass(self, tmp_path, **options) -> ClassSettings:
        return ClassSettings(roster=tmp_path / "r.csv", assignment="ps1", problems=(PROBLEM,),
                             title="ps1", **options)

    def test_class_file_over_assignment_extension_over_both(self, bank, tmp_path):
        """The class file's tries and scoring over the assignment's; a student's extension
        over the class's tries."""
        klass = self._klass(tmp_path, tries=4, scoring=Layer(penalty=0.1),
                            assignment_scoring=Layer(tries=2, penalty=0.3, sign_credit=0.5),
                            extensions={"bob": Extension(tries=6)})
        service = GradingService(bank, context=klass.scoring_context())
        problem = bank.problems[PROBLEM]
        alice = service.rules(problem, "E_K", "ps1", "alice")
        assert (alice.tries, alice.penalty, alice.sign_credit) == (4, 0.1, 0.5)
        assert service.rules(problem, "E_K", "ps1", "bob").tries == 6

    def test_kept_rules_are_each_students_and_each_problems(self, bank, tmp_path):
        """The service keeps the rules it layered; asked again (in any order), each student,
        assignment and problem still gets its own: bob's extension is bob's alone, alice's
        rules are the class's, and a problem of another bank with the same id is layered
        anew, not served from what was kept for the first."""
        klass = self._klass(tmp_path, tries=4, extensions={"bob": Extension(tries=6)})
        service = GradingService(bank, context=klass.scoring_context())
        problem = bank.problems[PROBLEM]
        for _ in range(2):
            assert service.rules(problem, "E_K", "ps1", "bob").tries == 6
            assert service.rules(problem, "E_K", "ps1", "alice").tries == 4
            assert service.rules(problem, "E_K", "ps1", "carol").tries == 4
        assert service.rules(problem, "E_K", "ps1", "alice") is service.rules(
            problem, "E_K", "ps1", "carol")  # kept once for every student without an extension
        plain = GradingService(bank)
        assert plain.rules(problem, "E_K").tries == 3
        other = dataclasses.replace(problem, scoring=Layer(tries=9))  # the same id
        assert plain.rules(other, "E_K").tries == 9
        assert plain.rules(problem, "E_K").tries == 3

    def test_class_without_tries_keeps_the_problem_files(self, bank, tmp_path):
        """A class file that sets no tries leaves the problem file's (or the default 3)."""
        context = self._klass(tmp_path).scoring_context()
        assert context == Context(layers=(None, Layer()), extensions={})
        assert GradingService(bank, context=context).rules(
            bank.problems[PROBLEM], "E_K", "ps1", "alice").tries == 3

    def test_class_file_scoring_checked(self, tmp_path):
        """The class file's scoring is checked like a problem file's: one line saying what."""
        from argparse import Namespace

        from membranelab.web.server import class_settings

        config = tmp_path / "class.yaml"
        roster = tmp_path / "roster.csv"
        roster.write_text("student\nalice\n", encoding="utf-8")
        config.write_text(f"roster: {roster}\nassignment: ps1-equilibrium\n"
                          "scoring: {tries: 0}\n", encoding="utf-8")
        args = Namespace(config=str(config), roster=None, assignment=None, db=None,
                         feedback=None, tries=None, due=None, no_hints=False, late=None,
                         assignments=str(REPO / "course" / "assignments.yaml"), bank=None)
        with pytest.raises(CliError) as caught:
            class_settings(args)
        assert "tries must be an integer >= 1 or None, got 0" in str(caught.value.text("en"))


class TestStore:
    def test_right_kept_and_merged(self, tmp_path):
        """The parts answered right are saved, read back, and merged with what another session
        saved meanwhile (a right part stays right)."""
        path = tmp_path / "progress.json"
        mine, theirs = ProgressStore(path), ProgressStore(path)
        mine.get("alice", PROBLEM).right.append("E_K")
        assert mine.save()
        theirs.get("alice", PROBLEM).right.append("direction")
        assert theirs.save()
        assert sorted(ProgressStore(path).get("alice", PROBLEM).right) == ["E_K", "direction"]

    def test_right_of_another_shape_skips_the_entry(self, tmp_path):
        """A ``right`` that is not a list of part ids is not read as one."""
        path = tmp_path / "progress.json"
        path.write_text('{"version": 1, "students": {"alice": {"problems": {"nernst-potassium":'
                        ' {"part": 0, "right": "E_K"}}}}}', encoding="utf-8")
        assert not ProgressStore(path).known("alice", PROBLEM)
