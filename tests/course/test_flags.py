"""membranelab.course.flags: the copied flag and the chance of an accidental match."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from membranelab.bank import load_bank
from membranelab.course.build import part_cells
from membranelab.course.flags import accident_chance, copied_flags
from membranelab.service import Course, GradingService
from membranelab.service.assignments import Assignment

SECRET = hashlib.sha256(b"flags test").digest()
ASSIGNMENT = Assignment("hw", "hw", ("nernst-potassium", "nernst-sodium"), graded=True)
ROSTER = ("alice", "bob", "carol", "dave")


def _key(student: str) -> bytes:
    """The student's key by the documented formula (course/README.md)."""
    message = f"membranelab-variant\x1fhw\x1f{student}".encode()
    return hmac.new(SECRET, message, hashlib.sha256).digest()


def _service(bank):
    return GradingService(bank, Course(graded=frozenset({"hw"}), secret=SECRET))


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def _typed(bank, student: str, part_id: str, problem_id: str) -> tuple[str, float]:
    answer = bank.problems[problem_id].variant(student, "hw", key=_key(student)).answer(part_id)
    return f"{answer.text} {answer.unit}", float(answer.text)


class TestAccidentChance:
    def test_by_hand(self):
        """Two parts each accepted by 1 % of variants, 9 classmates: 1 - (1 - 1e-4)^9."""
        assert accident_chance([0.01, 0.01], 9) == pytest.approx(1 - (1 - 1e-4) ** 9)

    def test_certain_match_is_certain(self):
        """Answers every variant accepts match by accident for sure."""
        assert accident_chance([1.0, 1.0], 3) == pytest.approx(1.0)


class TestCopied:
    def _numbers(self, bank, source: str, parts) -> dict[str, tuple[str, float]]:
        return {pc.test_id: _typed(bank, source, pc.part_id, pc.problem_id)
                for pc in parts if pc.part_id in ("E_K", "E_Na", "drive")}

    def test_several_numeric_parts_of_one_classmate(self, bank):
        """bob typed alice's three numeric answers: flagged, naming alice, with a small chance."""
        parts = part_cells(ASSIGNMENT, bank)
        flags = copied_flags({"bob": self._numbers(bank, "alice", parts)}, ROSTER, parts, _service(bank), "hw")
        assert [(f.student, f.other, len(f.parts)) for f in flags] == [("bob", "alice", 3)]
        assert flags[0].chance < 0.05
        assert "alice" in flags[0].text("en") and "alice" in flags[0].text("zh")

    def test_one_part_is_never_enough(self, bank):
        """A single matching numeric part makes no flag."""
        parts = part_cells(ASSIGNMENT, bank)
        one = dict(list(self._numbers(bank, "alice", parts).items())[:1])
        assert copied_flags({"bob": one}, ROSTER, parts, _service(bank), "hw") == []

    def test_classmate_off_the_roster_is_not_named(self, bank):
        """Answers right for someone not on the roster name nobody."""
        parts = part_cells(ASSIGNMENT, bank)
        numbers = {"bob": self._numbers(bank, "zoe", parts)}
        assert copied_flags(numbers, ROSTER, parts, _service(bank), "hw") == []
