"""The plain-tree fast path (membranelab.grading.numtree) against the sympy path it stands for.

The fast path must be the sympy path without sympy: the same refusals (message, offset, caret,
note, key, parameters), the same findings (symbols used, letter runs read, ``log``, 2.303), the
same values and error bounds at every sample point, bit for bit, and the same grade.  Where it
does not decide (a power of two constants, exp of a constant) it says so and the sympy path
grades.  Expected values here come from the sympy path (:func:`.parse.parse_sympy`,
:func:`membranelab.grading.nodes.evaluate`), never from the code under test, and for a few
hostile inputs from hand calculation.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from membranelab.grading import check_formula, equivalent, nodes
from membranelab.grading import expression as expression_module
from membranelab.grading import formula as formula_module
from membranelab.grading import parse as parse_module
from membranelab.grading.equivalence import sample_points
from membranelab.grading.numtree import TreeParse, log10_reading, parse_tree
from membranelab.grading.parse import ParseFailure, ParseSuccess, parse_expression, parse_sympy

from .formula_corpus import CORPUS

NERNST = "R*T/(z*F)*ln(c_o/c_i)"
SYMBOLS = ("F", "R", "T", "c_i", "c_o", "z")
SIGNED = {"x": (-2.0, 2.0), "y": (0.5, 5.0)}

#: Hostile and odd inputs: huge and tiny numbers, undefined values, deep nesting, the bounds.
HOSTILE = [
    "x^1000", "x^1001", "x^-1000", "x^(10^3)", "x^1e300", "x^(2*500)", "x^(1/3)", "x^e",
    "(x*y)^(y*1000)", "exp(x*1e300)", "exp(-x*1e300)", "exp(x)^1000", "exp(1000)", "exp(x)",
    "0/0", "x/0", "0*x/0", "x/(x-x)", "ln(-y)", "ln(0*y)", "ln(x)", "sqrt(-y)", "sqrt(x)",
    "abs(x)", "abs(-x)*y", "log10(x)", "lg(y)", "1e300*1e300*y", "1e-300*1e-300*y",
    "99999999999e300*y", "1" * 400 + "*y", "1e-312*y", "0.000000000001e-300*y", "2.303*y",
    "2.3026*ln(y)", "e*y", "e^y", "y^e", "-y", "--y", "-(-(-y))", "y-y-y", "1/y/y/y", "2x y",
    "(" * 59 + "y" + ")" * 59, "(" * 61 + "y" + ")" * 61, "-" * 61 + "y", "y" + "*y" * 200,
    "y^-1^-1", "y^2^3", "(-y)^0.5", "(-y)^2", "0^y", "y^0", "1^y", "10^y", "2^-y",
    "ln(exp(y))", "exp(ln(y))", "y*1e-300/1e-300", "RT", "pi*y", "Y", "ln y", "y(", "y)",
    "3 mV", "y < 2", "y ** 2", "y²", "y⁻¹", "ｙ＊２", "y·2", "Ln(y)", "LOG(y)", "log_e(y)",
    r"\frac{x}{y}", "[x+y]", "E = x*y", "", " ", "*", "y^", "ln()", "1e301*y", "1e-301*y",
    "exp(1)*x", "exp(-1)*y", "exp(-2.5)*x", "exp(1/2)*y", "exp(690)*y", "exp(-690)*y",
    "exp(683)*y", "exp(700)*y", "exp(-700)*y", "exp(1e20+1000-1e20)*y", "exp(--1)*y",
]


def _agree(text: str, names: tuple[str, ...], **options: bool) -> None:
    """The fast path and the sympy path agree on ``text`` (or the fast path defers)."""
    tree = parse_tree(text, names, **options)
    full = parse_sympy(text, names, **options)
    public = parse_expression(text, names, **options)
    if isinstance(full, ParseFailure) or tree is None:
        assert public == full or (isinstance(public, ParseFailure)
                                  and public.explain() == full.explain()), text
    else:
        assert isinstance(public, ParseSuccess) and public.tree is not None
        assert public == ParseSuccess(full.expr, full.symbols, full.readings, full.uses_log,
                                      full.uses_ln10), text
    if tree is None:
        return
    if isinstance(full, ParseFailure):
        assert isinstance(tree, ParseFailure), (text, full)
        assert (tree.message, tree.offset, tree.note, tree.pointer, tree.key,
                dict(tree.params)) == (full.message, full.offset, full.note, full.pointer,
                                       full.key, dict(full.params)), text
        return
    assert isinstance(full, ParseSuccess) and isinstance(tree, TreeParse), (text, tree)
    assert (tree.symbols, tree.readings, tree.uses_log, tree.uses_ln10) == (
        full.symbols, full.readings, full.uses_log, full.uses_ln10), text
    intervals = {name: SIGNED.get(name, (0.5, 5.0)) for name in names}
    columns = sample_points(intervals, seed=7)
    size = len(next(iter(columns.values())))
    env = {sympy.Symbol(name, positive=True): columns[name] for name in names}
    with np.errstate(all="ignore"):
        expected = nodes.evaluate(full.expr, env, size)
        got = tree_values(tree, columns, size)
    for want, have in zip(expected, got, strict=True):
        assert np.array_equal(np.broadcast_to(want, (size,)), have, equal_nan=True), text


def _same_log10_reading(text: str, names: tuple[str, ...]) -> None:
    """log10_reading of the first reading is the tree parse_tree gives with log_base10."""
    first = parse_tree(text, names)
    if not isinstance(first, TreeParse):
        return
    reread = parse_tree(text, names, log_base10=True)
    assert isinstance(reread, TreeParse), text
    made = log10_reading(first)
    assert made.tree == reread.tree, text
    assert (made.symbols, made.readings, made.uses_log, made.uses_ln10, made.source) == (
        reread.symbols, reread.readings, reread.uses_log, reread.uses_ln10, reread.source)


def tree_values(tree: TreeParse, columns: dict[str, np.ndarray], size: int
                ) -> tuple[np.ndarray, np.ndarray]:
    from membranelab.grading.numtree import evaluate

    return evaluate(tree.tree, columns, size)


class TestSameAsSympy:
    @pytest.mark.parametrize("pair", CORPUS, ids=lambda pair: pair.student[:40])
    def test_corpus_answers(self, pair) -> None:
        """Every answer and reference of the labelled corpus: same findings, same values."""
        names = tuple(sorted(pair.symbols))
        _agree(pair.student, names)
        _agree(pair.reference, names)
        _agree(pair.student, names, log_base10=True)
        _agree(pair.student, names, ln10_literals=True)
        _same_log10_reading(pair.student, names)

    @pytest.mark.parametrize("text", HOSTILE)
    def test_hostile_inputs(self, text: str) -> None:
        """Huge exponents, overflow, 0/0, logs of negatives, deep nesting, the limits: the
        same refusal or the same values (NaN and inf where sympy's walk has them)."""
        _agree(text, ("x", "y"))
        _agree(text, ("x", "y"), log_base10=True, ln10_literals=True)
        _same_log10_reading(text, ("x", "y"))

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text(alphabet="0123456789.eE+-*/^() xylog(sqrtabxp,", max_size=40))
    def test_random_formulas(self, text: str) -> None:
        """Random formula-like text: the two paths never disagree."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no numpy warning escapes either walk
            _agree(text, ("x", "y"))
            _same_log10_reading(text, ("x", "y"))

    def test_constant_powers_take_the_sympy_path(self) -> None:
        """A power of two constants and exp of a constant are bounded by bounds.py: the fast
        path leaves them to it (and the grade is still right), but for exp of a plain number
        well inside the bound (exp(1)), which bounds.py always accepts."""
        for text in ("10^-3*x", "2^(1/2)*x", "exp(1/2)*x", "x*10^10^10", "exp(1000)*x",
                     "exp(690)*x", "exp(1e20+1000-1e20)*x"):
            assert parse_tree(text, ("x",)) is None, text
        for text in ("exp(1)*x", "exp(-1)*x", "exp(-2.5)*x", "exp(683)*x"):  # bounded for sure
            assert isinstance(parse_tree(text, ("x",)), TreeParse), text
        assert parse_tree("exp(2.303)*x", ("x",), ln10_literals=True) is None  # exp(ln 10)
        assert check_formula("10^-3*x", "x/1000", ["x"]).correct
        assert check_formula("x*10^10^10", "x", ["x"]).note == "limits.exponent"

    def test_values_by_hand(self) -> None:
        """A few values computed by hand: 0/0 and ln of a negative are NaN, x/0 is inf,
        1e300*1e300 overflows to inf, 2*3^2 is 18, sqrt is a power of one half."""
        columns = {"x": np.array([2.0, -1.0]), "y": np.array([4.0, 9.0])}

        def value(text: str) -> list[float]:
            tree = parse_tree(text, ("x", "y"))
            assert isinstance(tree, TreeParse), tree
            with np.errstate(all="ignore"):
                return [float(v) for v in tree_values(tree, columns, 2)[0]]

        assert value("2*y^2/x") == [16.0, -162.0]
        assert value("sqrt(y)") == [2.0, 3.0]
        assert all(math.isnan(v) for v in value("0*x/0"))
        assert math.isnan(value("ln(x)")[1]) and value("ln(x)")[0] == math.log(2.0)
        assert value("x/0") == [math.inf, -math.inf]
        assert value("1e300*1e300*y") == [math.inf, math.inf]
        assert value("abs(x)*y") == [8.0, 9.0]


class TestSameGrades:
    @pytest.mark.parametrize("pair", CORPUS[::3], ids=lambda pair: pair.student[:40])
    def test_corpus_grades(self, pair, monkeypatch: pytest.MonkeyPatch) -> None:
        """check_formula gives the same result with the fast path as with sympy alone."""
        fast = check_formula(pair.student, pair.reference, pair.symbols, relative=0.01)
        monkeypatch.setattr(expression_module, "parse_tree", lambda *args, **kwargs: None)
        formula_module._parse_reference.cache_clear()
        try:
            slow = check_formula(pair.student, pair.reference, pair.symbols, relative=0.01)
        finally:
            formula_module._parse_reference.cache_clear()
        assert fast == slow

    def test_decided_answers_build_no_sympy_tree(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Right, wrong and unreadable answers decided by the numbers never call the sympy
        parser (the point of the fast path)."""
        check_formula(NERNST, NERNST, SYMBOLS)  # the reference read before the parser is gone

        def forbidden(*args: object, **kwargs: object) -> None:
            raise AssertionError("the sympy parser was called")

        monkeypatch.setattr(parse_module, "parse_sympy", forbidden)
        assert check_formula("R T/(z F) ln(c_o/c_i)", NERNST, SYMBOLS).correct
        assert check_formula("R*T/(z*F)*log(c_o/c_i)", NERNST, SYMBOLS).correct
        wrong = check_formula("R*T/F*ln(c_o/c_i)", NERNST, SYMBOLS)
        assert (wrong.correct, wrong.message_id) == (False, "formula.missing_symbols")
        assert check_formula("-R*T/(z*F)*ln(c_o/c_i)", NERNST, SYMBOLS).note == "sign.flipped"
        assert check_formula("R*T/(z*F)*ln(c_o/c_i", NERNST, SYMBOLS).readable is False
        # an answer kind's parse phase (parse_expression), then its grade phase (parsed=)
        read = parse_expression("R T/(z F) ln(c_o/c_i)", sorted(SYMBOLS))
        assert isinstance(read, ParseSuccess) and read.tree is not None
        assert check_formula("R T/(z F) ln(c_o/c_i)", NERNST, SYMBOLS, parsed=read).correct

    def test_undecided_answer_goes_to_sympy(self) -> None:
        """ln(x-10) is NaN at every point of the default domain: undecided by numbers, so the
        sympy tree is built from the same text and sympy decides."""
        tree = parse_tree("ln(x-10)", ("x",))
        assert isinstance(tree, TreeParse)
        verdict = equivalent(tree, "ln(x-10)", ["x"])
        assert (verdict.equivalent, verdict.method) == (True, "sympy")

    def test_fast_parser_bug_is_recorded_and_sympy_grades(self, monkeypatch, caplog) -> None:
        """A crash of the plain-tree parser is our bug: recorded, and the sympy path grades."""
        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("fast path bug 7")

        monkeypatch.setattr(expression_module, "parse_tree", broken)
        formula_module._parse_reference.cache_clear()
        try:
            assert check_formula("R*T/(z*F)*ln(c_o/c_i)", NERNST, SYMBOLS).correct
        finally:
            formula_module._parse_reference.cache_clear()
        assert "fast path bug 7" in caplog.text

    @pytest.mark.parametrize("names", [["x", "1bad"], ["x", "ln"], ["x", "a b"]])
    def test_bad_declared_name_is_the_callers_error(self, names, caplog) -> None:
        """A declared name that is not a plain identifier raises ValueError, as before the
        fast path, and is not recorded as our own bug."""
        with pytest.raises(ValueError, match="not a plain identifier"):
            check_formula("x", "x", names)
        assert "incident" not in caplog.text.lower()


def test_readings_are_kept_by_every_argument():
    """parse_tree keeps its readings (numtree.PARSED_KEPT), keyed by the text, the names, the
    limits and both reading options: the same call gives the same object, a call differing in
    any of them is read anew.  log10(100)*x is 2x; ln(100)*x is 4.6x."""
    from membranelab.grading.limits import Limits

    first = parse_tree("log(100)*x", ["x"])
    assert parse_tree("log(100)*x", ("x",)) is first  # names in any iterable
    base10 = parse_tree("log(100)*x", ["x"], log_base10=True)
    assert isinstance(first, TreeParse) and isinstance(base10, TreeParse) and base10 is not first
    columns = {"x": np.array([1.0])}
    with np.errstate(all="ignore"):
        assert tree_values(base10, columns, 1)[0][0] == pytest.approx(2.0)
        assert tree_values(first, columns, 1)[0][0] == pytest.approx(math.log(100))
    other_names = parse_tree("log(100)*x", ["x", "y"])
    assert other_names is not first and other_names.source.names == ("x", "y")
    short = parse_tree("log(100)*x", ["x"], limits=Limits(max_formula_length=5))
    assert not isinstance(short, TreeParse)  # refused by the shorter limit, not the kept tree
