"""Tests of membranelab.grading.parse: whitelist tokenizer and parser."""

from __future__ import annotations

import pytest
import sympy

from membranelab.grading.parse import ParseFailure, ParseSuccess, parse_expression

NAMES = ["x", "y", "R", "T", "F", "z", "c_o", "c_i", "I", "E", "N", "S", "Q", "gamma", "beta"]
x, y, R, T, F, z, c_o, c_i = (sympy.Symbol(n, positive=True)
                              for n in ["x", "y", "R", "T", "F", "z", "c_o", "c_i"])


def parsed(text: str) -> sympy.Expr:
    result = parse_expression(text, NAMES)
    assert isinstance(result, ParseSuccess), result
    return result.expr


def refused(text: str) -> ParseFailure:
    result = parse_expression(text, NAMES)
    assert isinstance(result, ParseFailure), result
    return result


ACCEPTED = [
    ("2*x", 2 * x),
    ("2x", 2 * x),
    ("2(x+1)", 2 * x + 2),
    ("R T/F", R * T / F),
    ("1/2x", x / 2),
    ("(x)(y)", x * y),
    ("x^2", x**2),
    ("x**2", x**2),
    ("-x^2", -(x**2)),
    ("x^-2", x**-2),
    ("2^3^2", sympy.Integer(512)),
    ("1e-3*x", x / 1000),
    (".5x", x / 2),
    ("\u2212x", -x),
    ("3\u00d7x", 3 * x),
    ("ln(x)", sympy.log(x)),
    ("log(x)", sympy.log(x)),
    ("log10(x)", sympy.log(x) / sympy.log(10)),
    ("exp(x)", sympy.exp(x)),
    ("sqrt(x)", sympy.sqrt(x)),
    ("R*T/(z*F)*ln(c_o/c_i)", R * T / (z * F) * sympy.log(c_o / c_i)),
    ("  x  +  y ", x + y),
]


class TestParseExpression:
    @pytest.mark.parametrize(("text", "expected"), ACCEPTED)
    def test_accepts_whitelisted_syntax(self, text: str, expected: sympy.Expr) -> None:
        """Each accepted text gives the expression built independently with sympy."""
        assert sympy.simplify(parsed(text) - expected) == 0

    @pytest.mark.parametrize("name", ["I", "E", "N", "S", "Q", "gamma", "beta"])
    def test_sympy_names_are_plain_positive_symbols(self, name: str) -> None:
        """A declared name that sympy also defines becomes our own positive Symbol."""
        assert parsed(name) == sympy.Symbol(name, positive=True)

    def test_caret_is_power_not_xor(self) -> None:
        """x^3 is a cube, not Python's XOR."""
        assert parsed("x^3") == x**3

    def test_reports_used_symbols(self) -> None:
        """ParseSuccess lists the declared symbols the formula uses."""
        result = parse_expression("R*T/F", NAMES)
        assert isinstance(result, ParseSuccess)
        assert result.symbols == {"R", "T", "F"}

    def test_comma_decimal_is_refused_with_suggestion(self) -> None:
        """1,5 is refused with a message suggesting 1.5 and pointing at the comma."""
        failure = refused("1,5*x")
        assert failure.offset == 1
        assert "write 1.5" in failure.message

    def test_unknown_name_lists_allowed_symbols(self) -> None:
        """An undeclared name is refused with its column and the allowed names."""
        failure = refused("x + foo")
        assert failure.offset == 4
        assert "Unknown name 'foo' at column 5" in failure.message
        assert "c_i" in failure.message

    def test_case_slip_suggests_declared_name(self) -> None:
        """'r' when only 'R' is declared gets "Did you mean R?"."""
        assert "Did you mean R?" in refused("r*T").message

    def test_function_without_parentheses_is_refused(self) -> None:
        """ln x is refused with a message asking for parentheses."""
        assert "needs parentheses" in refused("ln x").message

    def test_missing_operator_between_numbers(self) -> None:
        """'x 2' is refused as a missing operator at the 2."""
        failure = refused("x 2")
        assert failure.offset == 2
        assert failure.message.startswith("Missing operator")

    def test_unbalanced_open_parenthesis(self) -> None:
        """A '(' never closed is named by its column."""
        assert "Missing ')' to close the '(' at column 1" in refused("(x+1").message

    def test_unexpected_close_parenthesis(self) -> None:
        """A ')' with nothing to close is refused at its column."""
        assert refused("x)").offset == 1

    def test_empty_answer(self) -> None:
        """Blank text is refused with note answer.empty."""
        assert refused("   ").note == "answer.empty"

    def test_non_ascii_letter_is_refused_with_unicode_name(self) -> None:
        """A Cyrillic 'х' is refused, named by its Unicode name."""
        failure = refused("2*\u0445")
        assert failure.offset == 2
        assert "CYRILLIC SMALL LETTER HA" in failure.message

    def test_fullwidth_digit_is_read_as_ascii(self) -> None:
        """A full-width digit (Chinese input methods) is NFKC-folded to its ASCII digit."""
        parsed = parse_expression("\uff12*x", NAMES)
        assert isinstance(parsed, ParseSuccess)
        assert parse_expression("2*x", NAMES).expr == parsed.expr

    def test_exponent_bomb_is_refused_before_building(self) -> None:
        """10^10^10 is refused with note limits.exponent."""
        assert refused("10^10^10").note == "limits.exponent"

    def test_large_symbolic_exponent_is_refused(self) -> None:
        """x^1e6 is refused: the exponent exceeds the limit."""
        assert refused("x^1e6").note == "limits.exponent"

    def test_deep_nesting_is_refused(self) -> None:
        """100 nested parentheses are refused with note limits.too_deep."""
        assert refused("(" * 100 + "x" + ")" * 100).note == "limits.too_deep"

    def test_too_long_is_refused(self) -> None:
        """Text over the length bound is refused with limits.too_long."""
        assert refused("x+" * 1000 + "x").note == "limits.too_long"

    def test_non_text_is_refused(self) -> None:
        """None is refused with note answer.invalid_type."""
        assert parse_expression(None, NAMES).note == "answer.invalid_type"  # type: ignore[union-attr]

    def test_explain_contains_caret_under_offending_character(self) -> None:
        """The explanation's caret line points at the offset."""
        failure = refused("x + $")
        lines = failure.explain().splitlines()
        assert lines[-1].index("^") == lines[-2].index("$")

    def test_invalid_symbol_name_is_a_programming_error(self) -> None:
        """A declared name that is not an identifier raises ValueError."""
        with pytest.raises(ValueError, match="not a plain identifier"):
            parse_expression("x", ["__import__('os')"])


def test_leading_assignment_is_ignored() -> None:
    """'E = x' parses as x, and offsets still point into the original text."""
    assert parsed("E_K = 2*x") == parsed("2*x")
    assert refused("E_K = 2*$").offset == 8
