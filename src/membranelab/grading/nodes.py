"""Sympy nodes for the parser: unevaluated builders, the function table, constant values.

Builders skip sympy's automatic evaluation (assumption queries, flattening, powers of numbers),
so building costs microseconds and can never start a long computation; the numeric test
evaluates the tree itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import sympy

__all__ = ["FUNCTIONS", "LOG10_FUNCTIONS", "add", "constant_value", "mul", "negate", "power"]


def add(terms: list[sympy.Expr]) -> sympy.Expr:
    return terms[0] if len(terms) == 1 else sympy.Add(*terms, evaluate=False)


def mul(factors: list[sympy.Expr]) -> sympy.Expr:
    return factors[0] if len(factors) == 1 else sympy.Mul(*factors, evaluate=False)


def power(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    return sympy.Pow(base, exponent, evaluate=False)


def negate(expr: sympy.Expr) -> sympy.Expr:
    return sympy.Mul(sympy.S.NegativeOne, expr, evaluate=False)


def _log(arg: sympy.Expr) -> sympy.Expr:
    return sympy.log(arg, evaluate=False)


def _log10(arg: sympy.Expr) -> sympy.Expr:
    return mul([_log(arg), power(_log(sympy.Integer(10)), sympy.S.NegativeOne)])


#: The grammar's functions (:data:`.grammar.FUNCTION_NAMES`), mapped to builders of sympy
#: objects: ``log`` is natural (as in this course's texts), ``lg`` is log10 (as Chinese
#: textbooks write it).
FUNCTIONS: Mapping[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "abs": lambda arg: sympy.Abs(arg, evaluate=False),
    "ln": _log,
    "log": _log,
    "log10": _log10,
    "lg": _log10,
    "exp": lambda arg: sympy.exp(arg, evaluate=False),
    "sqrt": lambda arg: power(arg, sympy.S.Half),
}
#: The same with ``log`` read as log10 (to recognise an answer written with that convention).
LOG10_FUNCTIONS: Mapping[str, Callable[[sympy.Expr], sympy.Expr]] = {**FUNCTIONS, "log": _log10}


def constant_value(expr: sympy.Basic) -> float:
    """The float value of an expression without symbols, computed with Python floats
    (overflow gives inf, undefined gives nan); never calls sympy's evalf."""
    try:
        if expr.is_Number or expr.is_NumberSymbol:
            return float(expr)
        values = [constant_value(arg) for arg in expr.args]
        if isinstance(expr, sympy.Add):
            return math.fsum(values)
        if isinstance(expr, sympy.Mul):
            return math.prod(values)
        if isinstance(expr, sympy.Pow):
            return math.pow(values[0], values[1])
        if isinstance(expr, sympy.log):
            return math.log(values[0])
        if isinstance(expr, sympy.exp):
            return math.exp(values[0])
    except OverflowError:
        return math.inf
    except (ValueError, TypeError, ZeroDivisionError):
        return math.nan
    return math.nan
