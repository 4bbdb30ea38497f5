"""Tests of membranelab.grading.result: frozen results, weights, JSON round trip."""

from __future__ import annotations

import dataclasses
import json

import pytest

from membranelab.grading import GradeResult, PartResult, check_choice, check_quantity


def part(score: float, weight: float = 1.0, part_id: str = "p", correct: bool | None = None,
         ) -> PartResult:
    return PartResult(correct=score == 1.0 if correct is None else correct, score=score,
                      feedback="f", note="n", expected="\u221294.97 mV", part_id=part_id,
                      weight=weight)


class TestPartResult:
    def test_is_frozen(self) -> None:
        """Assigning a field raises FrozenInstanceError."""
        with pytest.raises(dataclasses.FrozenInstanceError):
            part(1.0).score = 0.0  # type: ignore[misc]

    def test_dict_round_trip(self) -> None:
        """from_dict(to_dict()) gives an equal result."""
        original = check_quantity("-95 V", -94.97, "mV", part_id="E_K", weight=2.0)
        assert PartResult.from_dict(original.to_dict()) == original

    def test_score_out_of_range_raises(self) -> None:
        """A score above 1 raises ValueError."""
        with pytest.raises(ValueError, match=r"score must be a number in \[0, 1\]"):
            part(1.5)

    def test_correct_with_zero_score_raises(self) -> None:
        """A correct result with score 0 is inconsistent and raises."""
        with pytest.raises(ValueError, match="correct answer cannot have score 0"):
            part(0.0, correct=True)

    def test_unknown_key_raises(self) -> None:
        """from_dict refuses unknown keys, naming them."""
        with pytest.raises(ValueError, match="bogus"):
            PartResult.from_dict({**part(1.0).to_dict(), "bogus": 1})

    def test_long_answer_is_cut_to_200_characters(self) -> None:
        """A result keeps the first 200 characters of the answer, whoever built it."""
        long = "1" * 150 + "x" * 350
        assert PartResult(False, 0.0, "f", "n", answer=long).answer == "1" * 150 + "x" * 50
        assert check_choice(long, "out", ["in", "out"]).answer == long[:200]

    def test_notes_default_to_note(self) -> None:
        """notes starts with note when not given."""
        assert part(1.0).notes == ("n",)

    def test_render_hides_expected_unless_asked(self) -> None:
        """render shows the expected value of a wrong part only with show_expected=True."""
        wrong = part(0.0)
        assert "94.97" not in wrong.render()
        assert wrong.render(show_expected=True) == "p: f Expected: \u221294.97 mV."


class TestGradeResult:
    def test_weighted_score(self) -> None:
        """score and max_score are weighted sums over parts."""
        result = GradeResult((part(1.0, 2.0, "a"), part(0.5, 1.0, "b"), part(0.0, 1.0, "c")))
        assert (result.score, result.max_score) == (2.5, 4.0)
        assert result.fraction == pytest.approx(0.625)

    def test_json_round_trip(self) -> None:
        """from_json(to_json()) gives an equal result, with readable non-ASCII text."""
        result = GradeResult((part(1.0, 2.0, "a"), part(0.0, 1.0, "b")), problem_id="nernst",
                             variant="canonical", metadata={"student": "s1"})
        text = result.to_json()
        assert "\u2212" in text
        assert GradeResult.from_json(text) == result
        assert json.loads(text)["score"] == 2.0

    def test_list_of_parts_is_frozen_to_tuple(self) -> None:
        """A list of parts is stored as a tuple."""
        assert isinstance(GradeResult([part(1.0)]).parts, tuple)  # type: ignore[arg-type]

    def test_non_part_raises(self) -> None:
        """A part that is not a PartResult raises ValueError."""
        with pytest.raises(ValueError, match="must hold PartResult"):
            GradeResult(("x",))  # type: ignore[arg-type]

    def test_render_lists_parts_and_total(self) -> None:
        """render gives one line per part and the total score."""
        result = GradeResult((part(1.0, 1.0, "a"), part(0.0, 1.0, "b")))
        assert result.render().splitlines() == ["a: f", "b: f", "Score: 1 / 2."]

    def test_part_lookup_names_known_ids(self) -> None:
        """part() of an unknown id raises KeyError listing the ids."""
        with pytest.raises(KeyError, match="'a'"):
            GradeResult((part(1.0, part_id="a"),)).part("zz")

    def test_empty_result_has_zero_fraction(self) -> None:
        """A result without parts has fraction 0."""
        assert GradeResult(()).fraction == 0.0
