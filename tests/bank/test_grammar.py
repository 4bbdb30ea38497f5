"""The one grammar: the sympy back end (student text) and the float back end (bank data) read
the same precedence, operators and functions; dialects differ only where stated."""

from __future__ import annotations

import pytest
import sympy

from membranelab.bank.expr import FUNCTIONS as FLOAT_FUNCTIONS
from membranelab.bank.expr import Expr, ExprError
from membranelab.grading import equivalent, grammar
from membranelab.grading.nodes import FUNCTIONS as SYMPY_FUNCTIONS
from membranelab.grading.nodes import constant_value
from membranelab.grading.parse import ParseFailure, ParseSuccess, parse_expression
from membranelab.grading.tokens import BANK, STUDENT, tokenize


def sympy_value(text: str, x: float) -> float:
    """The student back end's tree at x (sympy substitutes into our own tree)."""
    parsed = parse_expression(text, ["x"])
    assert isinstance(parsed, ParseSuccess), parsed
    return float(parsed.expr.subs(sympy.Symbol("x", positive=True), x))


def float_value(text: str, x: float) -> float:
    """The bank back end's value at x."""
    return Expr(text).evaluate({"x": x})


# (text, x, value computed by hand)
CASES = [
    ("-x**2", 3.0, -9.0),            # -(3*3): the sign binds looser than the power
    ("-x^2", 3.0, -9.0),             # ^ is the same operator as **
    ("2^-1", 0.0, 0.5),              # 1/2: the exponent may carry a sign
    ("-2^2", 0.0, -4.0),             # -(2*2)
    ("2**3**2", 0.0, 512.0),         # 2**(3**2) = 2**9: right-associative
    ("2^3^2", 0.0, 512.0),           # the same with ^
    ("(2**3)**2", 0.0, 64.0),        # 8*8 when grouped
    ("2**-1**2", 0.0, 0.5),          # 2**(-(1**2)) = 1/2
    ("x*-2", 3.0, -6.0),             # a sign after *
    ("12/x/2", 3.0, 2.0),            # (12/3)/2: left to right
    ("10 - x - 4", 3.0, 3.0),        # (10-3)-4
    ("sqrt(16) + x", 3.0, 7.0),      # 4 + 3
    ("lg(1000)", 0.0, 3.0),          # log10(10**3)
    ("log10(100)", 0.0, 2.0),        # log10(10**2)
    ("ln(1) + exp(0)", 0.0, 1.0),    # 0 + 1
    ("abs(x - 5)", 3.0, 2.0),        # |3 - 5|
    ("+x", 3.0, 3.0),                # a plus sign changes nothing
]


class TestBothBackEnds:
    @pytest.mark.parametrize(("text", "x", "expected"), CASES)
    def test_same_value(self, text: str, x: float, expected: float) -> None:
        """Each text has the hand-computed value in both back ends."""
        assert sympy_value(text, x) == pytest.approx(expected, rel=1e-12)
        assert float_value(text, x) == pytest.approx(expected, rel=1e-12)

    def test_minus_x_squared_is_minus_nine(self) -> None:
        """-x**2 at x = 3 is -9 in both back ends (the bank's old parser gave +9)."""
        assert sympy_value("-x**2", 3.0) == -9.0
        assert float_value("-x**2", 3.0) == -9.0

    def test_one_function_set(self) -> None:
        """Both back ends implement exactly the grammar's functions."""
        assert set(SYMPY_FUNCTIONS) == set(grammar.FUNCTION_NAMES)
        assert set(FLOAT_FUNCTIONS) == set(grammar.FUNCTION_NAMES)

    def test_log_is_natural_in_both(self) -> None:
        """log(e^2) is 2 for students and the bank alike (log10 is lg or log10)."""
        assert sympy_value("log(exp(2))", 0.0) == pytest.approx(2.0)
        assert float_value("log(exp(2))", 0.0) == pytest.approx(2.0)

    def test_function_without_parentheses_refused_in_both(self) -> None:
        """'ln x' needs parentheses in student text and in bank text."""
        assert isinstance(parse_expression("ln x", ["x"]), ParseFailure)
        with pytest.raises(ExprError, match="needs parentheses"):
            Expr("ln x")


class TestDialects:
    def test_implicit_products_are_student_only(self) -> None:
        """'2x' is 2*x for a student; in the bank it is a missing operator."""
        assert sympy_value("2x", 3.0) == 6.0
        with pytest.raises(ExprError, match="Missing operator"):
            Expr("2 * x y")

    def test_comparisons_are_bank_only(self) -> None:
        """A student's '<' is refused as a character; the bank reads one comparison."""
        failure = parse_expression("x < 2", ["x"])
        assert isinstance(failure, ParseFailure) and failure.offset == 2
        assert Expr("x < 2").evaluate({"x": 1.0}) is True
        with pytest.raises(ExprError):
            Expr("1 < x < 2")

    def test_unit_tokens_are_bank_only(self) -> None:
        """After a number, the bank reads a unit token; a student's '3 mV' stays number, name."""
        assert [(t.kind, t.text) for t in tokenize("3 mV + 55 kJ/mol", dialect=BANK)] == [
            ("number", "3"), ("unit", "mV"), ("op", "+"), ("number", "55"), ("unit", "kJ/mol")]
        assert [t.kind for t in tokenize("3 mV", dialect=STUDENT)] == ["number", "name"]

    def test_unit_ends_at_a_space(self) -> None:
        """'10 K / x' is (10 K)/x: a unit holds no spaces."""
        kinds = [(t.kind, t.text) for t in tokenize("10 K / x", dialect=BANK)]
        assert kinds == [("number", "10"), ("unit", "K"), ("op", "/"), ("name", "x")]


class TestOneNumericWalk:
    def test_abs_is_graded_numerically(self) -> None:
        """abs, now a student function too, is evaluated by the one walker: |x-2| = |2-x|."""
        verdict = equivalent("abs(x - 2)", "abs(2 - x)", {"x": (0.5, 5.0)})
        assert verdict.equivalent is True and verdict.method == "numeric"
        assert equivalent("abs(x - 2)", "x - 2", {"x": (0.5, 5.0)}).equivalent is False

    @pytest.mark.parametrize(("text", "expected"), [
        ("2^-1", 0.5),                 # 1/2
        ("-2^2", -4.0),                # -(2*2)
        ("lg(1000) + sqrt(9)", 6.0),   # 3 + 3
    ])
    def test_constant_value_is_the_same_walk(self, text: str, expected: float) -> None:
        """constant_value of a parsed constant is its hand-computed value."""
        parsed = parse_expression(text, [])
        assert isinstance(parsed, ParseSuccess)
        assert constant_value(parsed.expr) == pytest.approx(expected, rel=1e-12)
