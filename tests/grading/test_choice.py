"""Tests of membranelab.grading.choice.check_choice."""

from __future__ import annotations

import pytest

from membranelab.grading import check_choice

CHOICES = ["depolarises", "hyperpolarises", "no change"]


@pytest.mark.parametrize(("answer", "correct", "note"), [
    ("depolarises", True, "correct"),
    ("  DEPOLARISES. ", True, "correct"),
    ("a", True, "correct"),
    ("(a)", True, "correct"),
    ("1", True, "correct"),
    ("b", False, "choice.wrong"),
    ("2", False, "choice.wrong"),
    ("No  Change", False, "choice.wrong"),
    ("no-change", False, "choice.wrong"),
    ("up", False, "choice.invalid"),
    ("", False, "answer.empty"),
    (None, False, "answer.empty"),
    ("x" * 1000, False, "limits.too_long"),
])
def test_choice_table(answer: object, correct: bool, note: str) -> None:
    """Each answer gets the expected verdict and note."""
    result = check_choice(answer, "depolarises", CHOICES)
    assert (result.correct, result.note) == (correct, note)


def test_invalid_answer_names_the_choices() -> None:
    """An answer that is no choice gets the list of valid choices."""
    result = check_choice("up", "depolarises", CHOICES)
    assert result.feedback == ("'up' is not one of the choices: a) depolarises, "
                               "b) hyperpolarises, c) no change.")


def test_expected_not_a_choice_raises() -> None:
    """An expected answer outside the choices raises ValueError."""
    with pytest.raises(ValueError, match="not one of the choices"):
        check_choice("a", "sideways", CHOICES)


def test_signed_numbers_are_distinct_choices() -> None:
    """'-1' and '1' are different choices, and U+2212 reads as a minus."""
    choices = ["1", "-1"]
    assert check_choice("-1", "-1", choices).correct
    assert check_choice("\u22121", "-1", choices).correct
    assert not check_choice("1", "-1", choices).correct


def test_choice_text_wins_over_number_label() -> None:
    """Among choices '2' and '1', the answer '1' is the choice '1', not the first choice."""
    assert check_choice("1", "1", ["2", "1"]).correct


def test_choice_with_parentheses_typed_exactly() -> None:
    """A choice whose text ends in a bracket is recognised when typed exactly."""
    choices = ["depolarises (inward)", "hyperpolarises (outward)"]
    result = check_choice("Hyperpolarises (outward)", "hyperpolarises (outward)", choices)
    assert result.correct and result.note == "correct"


def test_bracketed_label() -> None:
    """A bracketed letter '(a)' still selects the first choice."""
    result = check_choice("(a)", "depolarises", ["depolarises", "hyperpolarises"])
    assert result.correct
