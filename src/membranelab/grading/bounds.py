"""Powers of numbers, bounded before sympy sees them.

sympy evaluates a power of two exact numbers exactly: ``Rational(10000001, 10**7) ** 10**9``
is a number with eight billion digits, built the moment any sympy code rebuilds the tree
(``xreplace``, ``subs``, unpickling).  :func:`bounded_power` decides, while the parser builds
``base ^ exponent`` from two constant sub-expressions, which of three things it becomes:

* small and exact (``10^300``, ``2^(1/2)``, ``1.5^3``): the unevaluated ``Pow`` as before;
* too large or too small to use (``|log10(value)| > limits.max_numeric_log10``): a
  :class:`~membranelab.grading.tokens.Refusal`;
* anything else (``1.0000001^1e9``, about 2.7e43): a ``Float`` computed in binary floating point
  with as many bits as the exponent needs, so no exact number ever grows with the exponent.

The value is computed from ``log|value| = exponent * ln|base|`` with mpmath at a precision that
grows with ``log2|exponent|`` (a base of 1 + 1e-17 raised to 1e300 is ``exp(1e283)``, refused;
in double precision it would have been 1).
"""

from __future__ import annotations

import logging
from fractions import Fraction

import mpmath
import sympy

from .limits import Limits
from .tokens import Refusal

__all__ = ["bounded_power", "check_exp", "exact_value"]

log = logging.getLogger(__name__)

#: Most bits of an exact power's numerator and denominator together (about 40,000 digits).
MAX_EXACT_BITS = 1 << 17
#: Largest denominator of an exponent kept exact (2^(1/3) is exact; 2^(1/10^6) is a Float).
MAX_EXACT_ROOT = 1_000
#: Highest precision, in bits, used to evaluate a constant power.
MAX_PRECISION_BITS = 1 << 14
#: Largest |argument| of exp/|log magnitude| evaluated while bounding (beyond: out of range).
_MAX_LOG_MAGNITUDE = 1e6
_LN10 = 2.302585092994046

# Catalog keys of the refusals (membranelab.messages).
TOO_LARGE, TOO_SMALL = "parse.power_too_large", "parse.power_too_small"
EXP_TOO_LARGE, EXP_TOO_SMALL = "parse.exp_too_large", "parse.exp_too_small"


class _OutOfRange(Exception):
    """A constant whose magnitude is beyond what the bound allows (sign: +1 large, -1 small)."""

    def __init__(self, direction: int) -> None:
        super().__init__(direction)
        self.direction = direction


def exact_value(expr: sympy.Basic) -> Fraction | None:
    """The exact rational value of a constant tree of numbers, + and * and small integer
    powers; None when it is not rational or would be too large to compute."""
    if isinstance(expr, sympy.Rational):
        return Fraction(int(expr.p), int(expr.q))
    if isinstance(expr, (sympy.Add, sympy.Mul)):
        maybe = [exact_value(arg) for arg in expr.args]
        values = [value for value in maybe if value is not None]
        if len(values) != len(maybe):
            return None
        if sum(_bits(v) for v in values) > MAX_EXACT_BITS:
            return None
        total = Fraction(0) if isinstance(expr, sympy.Add) else Fraction(1)
        for value in values:
            total = total + value if isinstance(expr, sympy.Add) else total * value
        return total
    if isinstance(expr, sympy.Pow):
        base, exponent = exact_value(expr.base), exact_value(expr.exp)
        if base is None or exponent is None or exponent.denominator != 1:
            return None
        power = exponent.numerator
        if base == 0 and power < 0:
            return None
        if abs(power) * _bits(base) > MAX_EXACT_BITS:
            return None
        return base ** power
    return None


def _bits(value: Fraction) -> int:
    return value.numerator.bit_length() + value.denominator.bit_length()


def _mp(expr: sympy.Basic, exact: Fraction | None = None) -> mpmath.mpf:
    """The value of a constant tree in mpmath at the current precision (real only)."""
    if exact is not None:
        return mpmath.mpf(exact.numerator) / exact.denominator
    if isinstance(expr, sympy.Rational):
        return mpmath.mpf(int(expr.p)) / int(expr.q)
    if isinstance(expr, sympy.Float):
        return mpmath.mpf(expr._mpf_)
    args = [_mp(arg, exact_value(arg)) for arg in expr.args]
    if isinstance(expr, sympy.Add):
        return mpmath.fsum(args)
    if isinstance(expr, sympy.Mul):
        return mpmath.fprod(args)
    if isinstance(expr, sympy.Pow):
        return _mp_power(args[0], args[1])
    if isinstance(expr, sympy.exp):
        if abs(args[0]) > _MAX_LOG_MAGNITUDE:
            raise _OutOfRange(1 if args[0] > 0 else -1)
        return mpmath.exp(args[0])
    if isinstance(expr, sympy.log):
        if args[0] <= 0:
            raise ValueError("log of a number <= 0")
        return mpmath.log(args[0])
    raise ValueError(f"no value for {type(expr).__name__}")


def _mp_power(base: mpmath.mpf, exponent: mpmath.mpf) -> mpmath.mpf:
    if base == 0:
        if exponent > 0:
            return mpmath.mpf(0)
        raise ValueError("0 to a power <= 0")
    if base < 0 and exponent != mpmath.floor(exponent):
        raise ValueError("root of a negative number")
    magnitude = exponent * mpmath.log(abs(base))
    if abs(magnitude) > _MAX_LOG_MAGNITUDE:
        raise _OutOfRange(1 if magnitude > 0 else -1)
    sign = -1 if base < 0 and int(exponent) % 2 else 1
    return sign * mpmath.exp(magnitude)


def _precision(exponent: sympy.Basic) -> int:
    """Bits needed so that rounding the base does not change the power's 17 first digits."""
    with mpmath.workprec(64):
        try:
            size = abs(_mp(exponent, exact_value(exponent)))
        except _OutOfRange:
            return MAX_PRECISION_BITS + 1
        except (ValueError, ZeroDivisionError):
            return 64
    grow = int(mpmath.log(size, 2)) if size > 1 else 0
    return 96 + grow


def _exact_bits(expr: sympy.Basic) -> int:
    """An upper bound on the bits of any exact number sympy may build from ``expr``."""
    if isinstance(expr, sympy.Rational):
        return int(expr.p).bit_length() + int(expr.q).bit_length()
    if isinstance(expr, sympy.Float):
        return 64
    if isinstance(expr, sympy.Pow):
        power = exact_value(expr.exp)
        if power is not None:
            return _exact_bits(expr.base) * max(1, abs(power.numerator)) + _bits(power)
    return sum(_exact_bits(arg) for arg in expr.args) + 1


def _keep_exact(base: sympy.Basic, exponent: sympy.Basic, limits: Limits) -> bool:
    """True when sympy may evaluate ``base ** exponent`` exactly at little cost."""
    power = exact_value(exponent)
    if power is None or power.denominator > MAX_EXACT_ROOT:
        return False
    if abs(power) > limits.max_symbolic_exponent:
        return False
    return abs(power.numerator) * _exact_bits(base) <= MAX_EXACT_BITS


def bounded_power(base: sympy.Expr, exponent: sympy.Expr, offset: int,
                  limits: Limits) -> sympy.Expr:
    """``base ^ exponent`` for two constant expressions: the exact unevaluated Pow when that is
    cheap, else a Float of its value; Refusal when the value is out of range.

    The caller (the parser) passes only constants; expressions with symbols are bounded by
    ``limits.max_symbolic_exponent`` there.
    """
    bits = _precision(exponent)
    if bits > MAX_PRECISION_BITS:
        value = None
    else:
        try:
            with mpmath.workprec(bits):
                value = _mp_power(_mp(base, exact_value(base)), _mp(exponent, exact_value(exponent)))
        except _OutOfRange as out:
            raise _refusal(out.direction, offset, limits) from None
        except (ValueError, ZeroDivisionError, TypeError):
            # 0^-1, (-8)^(1/3) and the like: sympy keeps them exact (zoo, a complex root), and
            # the numeric test sees NaN or inf for them
            return sympy.Pow(base, exponent, evaluate=False)
    if value is None:
        exact = exact_value(base)
        direction = 1 if exact is None or abs(exact) >= 1 else -1
        raise _refusal(direction, offset, limits)
    if value != 0:
        log10 = float(mpmath.log10(abs(value)))
        if abs(log10) > limits.max_numeric_log10:
            raise _refusal(1 if log10 > 0 else -1, offset, limits)
    if _keep_exact(base, exponent, limits):
        return sympy.Pow(base, exponent, evaluate=False)
    log.debug("power at column %d evaluated in floating point (%d bits)", offset + 1, bits)
    return sympy.Float(mpmath.mpf(value), 17)


def check_exp(argument: sympy.Expr, offset: int, limits: Limits) -> None:
    """Refuse ``exp`` of a constant whose value is out of range (``exp(1000)``, about 10^434;
    ``exp(exp(exp(1000)))``), as for powers: a number that large is never an answer."""
    try:
        with mpmath.workprec(64):
            value = _mp(argument, exact_value(argument))
    except _OutOfRange as out:
        raise _refusal(out.direction, offset, limits, EXP_TOO_LARGE, EXP_TOO_SMALL) from None
    except (ValueError, ZeroDivisionError, TypeError):
        return  # exp(ln(0)) and the like: the numeric test sees NaN
    if abs(value) > limits.max_numeric_log10 * _LN10:
        raise _refusal(1 if value > 0 else -1, offset, limits, EXP_TOO_LARGE, EXP_TOO_SMALL)


def _refusal(direction: int, offset: int, limits: Limits, large: str = TOO_LARGE,
             small: str = TOO_SMALL) -> Refusal:
    """The refusal of a number out of range (direction +1: too large, -1: too small)."""
    return Refusal(large if direction > 0 else small, offset, "limits.exponent",
                   {"column": offset + 1, "limit": f"{limits.max_numeric_log10:g}"})
