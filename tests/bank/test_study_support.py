"""Study support (issue 15, content): hint ladders, their cost, teaching order, significant
figures in the prompt, wrong choices that explain themselves."""

import re

import pytest

from membranelab.bank import fill_text, render_statement
from membranelab.bank.model import DEFAULT_HINT_COST

STUDENTS = ["canonical", "alice", "bob", "chen", "dana"]


class TestHints:
    def test_every_part_has_a_ladder(self, bank):
        """Every part has three hints: the idea, the equation, the substitution."""
        for problem in bank:
            for part in problem.parts:
                assert len(part.hints) == 3, (problem.id, part.id)

    def test_substitution_uses_the_students_numbers(self, bank):
        """The last hint of a numeric part names the student's own numbers (placeholders)."""
        for problem in bank:
            for part in problem.parts:
                if part.kind == "numeric":
                    assert "{{" in part.hints[-1], (problem.id, part.id)

    def test_hints_never_give_the_answer(self, bank):
        """No filled hint of a numeric part contains that part's answer as it would be typed."""
        for problem in bank:
            for student in STUDENTS:
                v = problem.variant(student, "hw1")
                for part in problem.parts:
                    if part.kind != "numeric":
                        continue
                    answer = v.answers()[part.id].text
                    if len(answer.strip("-0.")) < 3:
                        continue
                    for hint in part.hints:
                        text = fill_text(v, hint)
                        assert "{{" not in text
                        assert not re.search(rf"(?<![\d.]){re.escape(answer)}(?![\d])", text), \
                            (problem.id, student, part.id, text)

    def test_hint_credit(self, bank):
        """Each hint shown costs hint_cost (default 0.1) of the part's points, at most three."""
        part = bank["nernst-potassium"].part("E_K")
        assert part.hint_cost == DEFAULT_HINT_COST == 0.1
        assert [part.hint_credit(n) for n in (0, 1, 2, 3, 7)] == pytest.approx(
            [1.0, 0.9, 0.8, 0.7, 0.7])


class TestOrder:
    def test_teaching_order(self, bank):
        """Nernst before GHK before the pump; every problem has its own place."""
        ids = [p.id for p in bank.ordered()]
        assert ids[0] == "nernst-potassium"
        assert ids.index("nernst-chloride") < ids.index("ghk-permeability") < \
            ids.index("chord-conductance") < ids.index("pump-steady-state") < \
            ids.index("warming-q10")
        orders = [p.order for p in bank]
        assert len(set(orders)) == len(orders)

    def test_practice_lists_in_teaching_order(self, bank):
        """The command line's problem list (practice, list, notebook) follows the order."""
        from membranelab.service.problems import select_problems

        assert [p.id for p in select_problems(bank)] == [p.id for p in bank.ordered()]


class TestSigfigs:
    def test_prompt_states_the_figures(self, bank):
        """Each numeric prompt says how many significant figures to give."""
        problem = bank["nernst-potassium"]
        text = render_statement(problem.variant("canonical"))
        assert "(answer in mV, 3 significant figures)" in text
        assert "3 significant figures" in problem.part("E_K").how_to_answer()


class TestChoices:
    def test_why_is_on_wrong_choices_only(self, bank):
        """A choice's 'why' is never the right answer, in any of a few variants."""
        for problem in bank:
            for student in STUDENTS:
                answers = problem.variant(student, "hw1").answers()
                for part in problem.parts:
                    if part.kind == "choice":
                        assert answers[part.id].text not in part.answer_kind.why, (problem.id, part.id)

    def test_some_choices_explain_and_have_aliases(self, bank):
        """Wrong choices explain themselves across the bank; common synonyms are aliases."""
        parts = [p for problem in bank for p in problem.parts if p.kind == "choice"]
        assert sum(1 for p in parts if p.answer_kind.why) >= 20
        assert bank["nernst-potassium"].part("direction").answer_kind.aliases["out of the cell"] == (
            "out", "outward", "efflux", "leaves the cell")
