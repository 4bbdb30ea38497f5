"""grade(): right answers score full marks, named mistakes are recognised, hostile text scores 0."""

import math

import pytest

from membranelab.bank import grade


def _right_answers(variant):
    out = {}
    for part in variant.problem.parts:
        ans = variant.answers()[part.id]
        if ans.kind == "numeric":
            unit = "" if ans.unit == "dimensionless" else f" {ans.unit}"
            out[part.id] = f"{ans.value!r}{unit}"
        else:
            out[part.id] = ans.text
    return out


class TestGrade:
    @pytest.mark.parametrize("student", ["canonical", "hana"])
    def test_right_answers_full_marks(self, bank, student):
        """The reference answers score full marks on every problem."""
        for problem in bank:
            v = problem.variant(student, "hw1")
            result = grade(problem, v, _right_answers(v))
            assert result.score == result.max_score, (problem.id, [
                (p.part_id, p.feedback) for p in result.parts if not p.correct])

    def test_log10_mistake_named(self, bank):
        """log10 for ln in the Nernst equation is named in the feedback."""
        p = bank.problems["nernst-potassium"]
        v = p.variant("canonical")
        wrong = 8.314462618 * 310.15 / 96485.33212 * math.log10(4 / 140) * 1000
        part = grade(p, v, {"E_K": f"{wrong:.2f} mV"}).parts[0]
        assert not part.correct and part.note == "mistake.log10"
        assert "log10" in part.feedback

    def test_mistake_in_composed_problem(self, bank, warming_log10_mv):
        """log10 inside the Nernst steps of the warming problem is recognised on V_m."""
        p = bank.problems["warming-q10"]
        v = p.variant("canonical")
        wrong = warming_log10_mv
        part = {r.part_id: r for r in grade(p, v, {"V_after": f"{wrong:.3g} mV"}).parts}
        assert part["V_after"].note == "mistake.log10"

    @pytest.mark.parametrize("hostile", [
        "__import__('os').system('true')", "1e99999 mV", "(" * 500, "x" * 10_000,
        "exp(exp(exp(exp(99))))", "", "\x00", "lambda: 0",
    ])
    def test_hostile_scores_zero(self, bank, hostile):
        """Hostile or absurd text scores 0 on every part and never raises."""
        p = bank.problems["ghk-permeability"]
        v = p.variant("canonical")
        result = grade(p, v, {part.id: hostile for part in p.parts})
        assert result.score == 0

    def test_missing_answers(self, bank):
        """Parts without an answer score 0; the others still count."""
        p = bank.problems["nernst-potassium"]
        v = p.variant("canonical")
        result = grade(p, v, {"direction": "out of the cell"})
        assert result.score == 1 and result.max_score == 3

    def test_result_round_trips(self, bank):
        """The GradeResult carries problem id and variant key and survives JSON."""
        p = bank.problems["chord-conductance"]
        v = p.variant("ivan", "hw2")
        result = grade(p, v, _right_answers(v))
        assert result.problem_id == p.id and result.variant == v.key
        assert type(result).from_json(result.to_json()).score == result.score
