"""Grading inside ``fast_only``: the fast path grades as it always does, and every slow step
(sympy's parser, a sympy tree, the symbolic worker) is refused with SlowPath before it runs."""

from __future__ import annotations

import threading

import pytest

from membranelab.bank import grade_part, load_bank
from membranelab.grading import check_formula, check_quantity, symbolic_worker
from membranelab.grading.fastonly import SlowPath, fast_only, is_fast_only, slow_path
from membranelab.grading.lazysympy import sympy as lazy_sympy

NERNST = "R*T/(z*F)*ln(c_o/c_i)"
SYMBOLS = ["R", "T", "z", "F", "c_o", "c_i"]


def test_outside_the_block_nothing_is_refused():
    assert not is_fast_only()
    slow_path("anything")  # returns
    assert check_formula("10^-3*x*1000", "x", ["x"]).correct  # the sympy parser grades it


def test_a_constant_power_needs_the_sympy_parser_and_is_refused():
    """10^-3 is left to bounds.py (the sympy parser): inside fast_only that is SlowPath,
    before sympy's parser is imported or called."""
    with fast_only(), pytest.raises(SlowPath, match="sympy parser"):
        check_formula("10^-3*x*1000", "x", ["x"])
    assert not is_fast_only()  # the block restored the flag


def test_an_undecided_formula_is_refused_before_the_worker(monkeypatch):
    """ln(x-10) is NaN at every sampled point: the numbers cannot decide, sympy would; inside
    fast_only the sympy tree is never built and no worker is asked."""
    asked = []
    monkeypatch.setattr(symbolic_worker, "_pool", lambda: asked.append(1))
    with fast_only(), pytest.raises(SlowPath, match="sympy tree"):
        check_formula("ln(x-10)", "ln(x-10)", ["x"])
    assert asked == []


def test_each_slow_step_refuses_by_itself(monkeypatch):
    """Each guard on its own (a missing one would be hidden behind the one before it in the
    tests above): the sympy tree of a plain reading, sympy's evaluation of a sympy tree, the
    symbolic worker, a formula's sympy expression and the typesetting of a reading."""
    import dataclasses

    import numpy as np
    import sympy

    from membranelab.formulas import FORMULAS
    from membranelab.grading import equivalence
    from membranelab.grading.numtree import parse_tree

    tree = parse_tree("x+1", ("x",))
    x = sympy.Symbol("x", positive=True)
    monkeypatch.setattr(symbolic_worker, "_pool", lambda: pytest.fail("a worker was asked"))
    formula = dataclasses.replace(next(iter(FORMULAS.values())))  # its expr not built yet
    problem = load_bank().problems["nernst-potassium"]
    part = problem.part("formula")
    reading = part.answer_kind.parse(part, "RT/(zF) ln(c_out/c_in)", problem)
    steps = {
        "sympy tree": lambda: tree.expr(),
        "sympy evaluation": lambda: equivalence._values(x + 1, {"x": np.ones(2)}, 2, True),
        "symbolic worker": lambda: symbolic_worker.decide(x, x, (), 1.0),
        "sympy formula": lambda: formula.expr,
        "typesetting": lambda: part.answer_kind.shown(part, reading),
    }
    for step, run in steps.items():
        with fast_only(), pytest.raises(SlowPath, match=step):
            run()


@pytest.mark.parametrize(("answer", "right"), [
    ("R T/(z F) ln(c_o/c_i)", True),
    ("RT/(zF)*ln(c_o/c_i)", True),
    ("R*T/(z*F)*log(c_o/c_i)", True),
    ("R*T/F*ln(c_o/c_i)", False),
    ("(R*T)/(z*F)*ln(c_i/c_o)", False),
])
def test_answers_the_numbers_decide_are_graded_the_same_inside(answer, right):
    """What the fast path decides is graded inside the block exactly as outside (a slow step
    would raise SlowPath and fail the test)."""
    outside = check_formula(answer, NERNST, SYMBOLS)
    assert outside.correct is right
    with fast_only():
        inside = check_formula(answer, NERNST, SYMBOLS)
    assert inside == outside


@pytest.mark.parametrize("answer", ["-91.2 mV", "-0,0912 V", "−91.2 mV", "-91.2 MV", "-91.2",
                                    "hello", "", "-91.2 kg", "1e400 mV"])
def test_numbers_never_take_a_slow_step(answer):
    """A number with a unit is read and judged in pure Python: never SlowPath, and the same
    result as outside (right, wrong, unreadable alike)."""
    outside = check_quantity(answer, -0.0912, "V", sigfigs=3,
                             mistakes={"sign.flipped": 0.0912})
    with fast_only():
        inside = check_quantity(answer, -0.0912, "V", sigfigs=3,
                             mistakes={"sign.flipped": 0.0912})
    assert inside == outside


def test_every_bank_answer_of_a_number_or_choice_stays_fast():
    """Each numeric and choice part of the bank, graded with its own answer (right) and a
    wrong one, for one variant: never a slow step."""
    bank = load_bank()
    graded = 0
    for problem in bank.problems.values():
        variant = problem.variant(student="fast-only-student", assignment="practice")
        answers = variant.answers()
        for part in problem.parts:
            if part.kind not in ("numeric", "choice") or part.id not in answers:
                continue
            for tried in (answers[part.id].text, "0"):
                outside = grade_part(problem, variant, part, tried)
                with fast_only():
                    inside = grade_part(problem, variant, part, tried)
                assert inside == outside, (problem.id, part.id, tried)
                graded += 1
    assert graded >= 40


def test_slow_path_is_not_an_exception_the_grader_would_swallow():
    """``except Exception`` (the grader's guards against its own bugs) lets SlowPath through."""
    with fast_only(), pytest.raises(SlowPath):
        try:
            lazy_sympy()
        except Exception:  # noqa: BLE001 - the guard under test
            pytest.fail("SlowPath was caught as an Exception")


def test_another_thread_does_not_see_the_flag():
    seen = []
    with fast_only():
        thread = threading.Thread(target=lambda: seen.append(is_fast_only()))
        thread.start()
        thread.join()
        assert is_fast_only()
    assert seen == [False]
