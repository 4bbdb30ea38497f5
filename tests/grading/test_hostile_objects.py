"""The grader API given objects that are not plain text (issue 9): a verdict, never an error."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from membranelab.grading import PartResult, check_choice, check_formula, check_quantity


class RaisingFloat(float):
    def __repr__(self) -> str:
        raise RuntimeError("repr")

    __str__ = __repr__

    def __float__(self) -> float:
        raise RuntimeError("float")


class LyingStr(str):
    """Claims 3 characters and refuses to be indexed or stripped."""

    def __len__(self) -> int:
        return 3

    def __getitem__(self, index: Any) -> str:
        raise RuntimeError("getitem")

    def strip(self, *args: Any) -> str:
        raise RuntimeError("strip")


class RaisingStr(str):
    def __len__(self) -> int:
        raise RuntimeError("len")

    def __iter__(self) -> Any:
        raise RuntimeError("iter")

    def lower(self) -> str:
        raise RuntimeError("lower")


class RaisingNumber(Fraction):
    def __float__(self) -> float:
        raise ArithmeticError("no float")


OBJECTS = [10 ** 5000, -(10 ** 5000), Fraction(10 ** 400), Fraction(-(10 ** 400), 3),
           RaisingFloat(12.5), RaisingNumber(1, 3), LyingStr("x" * 100_000),
           RaisingStr("R*T"), LyingStr("1 mV")]


@pytest.mark.parametrize("answer", OBJECTS, ids=range(len(OBJECTS)))
def test_objects_get_a_verdict_with_a_message(answer: Any) -> None:
    """Each grader returns a PartResult with a note and feedback for each object."""
    for result in (check_quantity(answer, -94.97, "mV"),
                   check_formula(answer, "R*T/F", ["R", "T", "F"]),
                   check_choice(answer, "up", ["up", "down"])):
        assert isinstance(result, PartResult)
        assert result.note and result.feedback and not result.correct


def test_huge_numbers_are_out_of_range() -> None:
    """10**5000 and Fraction(10**400) are refused as too large (not printed, not converted)."""
    for answer in (10 ** 5000, Fraction(10 ** 400)):
        assert check_quantity(answer, -94.97, "mV").note == "limits.too_large"


def test_subclass_is_graded_by_its_content() -> None:
    """A str subclass whose methods lie is read by its real characters: 100,000 of them are too
    long whatever __len__ says; a float subclass is read by its value, not its repr."""
    assert check_formula(LyingStr("x" * 100_000), "R", ["R"]).note == "limits.too_long"
    assert check_quantity(RaisingFloat(-94.97), -94.97, "mV").note in {"correct", "units.missing"}
