"""Sympy nodes of the grammar's student back end: unevaluated builders, the function table, and
the one numeric evaluator of the trees they make.

Builders skip sympy's automatic evaluation (assumption queries, flattening, powers of numbers),
so building costs microseconds and can never start a long computation.  :func:`evaluate` walks a
tree with numpy at many points at once, with a floating-point error bound (the equivalence test);
:func:`constant_value` is the same walk at one point for a tree without symbols (the parser's
bound on exponents).  Neither calls sympy's ``evalf``, ``lambdify`` or generates code.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np
import sympy

__all__ = ["FUNCTIONS", "LOG10_FUNCTIONS", "UnsupportedNode", "add", "constant_value", "evaluate",
           "mul", "negate", "power"]


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


class UnsupportedNode(Exception):
    """An expression node :func:`evaluate` does not know."""


def evaluate(expr: sympy.Basic, env: Mapping[sympy.Symbol, np.ndarray],
             size: int) -> tuple[np.ndarray, np.ndarray]:
    """(value, error bound / eps) of ``expr`` at ``size`` points (``env``: each symbol's values),
    by walking the tree (call under ``np.errstate(all="ignore")``: overflow gives inf, an
    undefined value NaN); UnsupportedNode for a node it does not know."""
    if expr.is_Symbol:
        value = env[expr]
        return value, np.abs(value)
    if expr.is_Number or expr.is_NumberSymbol:
        try:
            number = float(expr)
        except (TypeError, OverflowError):
            number = math.nan
        value = np.full(size, number)
        return value, np.abs(value)
    args = [evaluate(arg, env, size) for arg in expr.args]
    if isinstance(expr, sympy.Add):  # folded left to right, as np.sum(..., axis=0) adds rows
        value, error = args[0]
        for v, e in args[1:]:
            value, error = value + v, error + e
        return value, error + np.abs(value)
    if isinstance(expr, sympy.Mul):
        value, relative = args[0][0], args[0][1] / np.abs(args[0][0])
        for v, e in args[1:]:
            value, relative = value * v, relative + e / np.abs(v)
        return value, np.abs(value) * (relative + 1)
    if isinstance(expr, sympy.Pow):
        (base, base_error), (exponent, exponent_error) = args
        value = np.power(base, exponent)
        relative = (np.abs(exponent) * base_error / np.abs(base)
                    + np.abs(np.log(np.abs(base))) * exponent_error)
        return value, np.abs(value) * (relative + 1)
    if isinstance(expr, sympy.log) and len(args) == 1:
        (inner, inner_error), = args
        value = np.log(inner)
        return value, inner_error / np.abs(inner) + np.abs(value)
    if isinstance(expr, sympy.exp):
        (inner, inner_error), = args
        value = np.exp(inner)
        return value, np.abs(value) * (inner_error + 1)
    if isinstance(expr, sympy.Abs):
        (inner, inner_error), = args
        return np.abs(inner), inner_error
    raise UnsupportedNode(type(expr).__name__)


def constant_value(expr: sympy.Basic) -> float:
    """The float value of an expression without symbols (overflow gives inf, undefined gives
    nan): :func:`evaluate` at one point; never calls sympy's evalf."""
    if expr.is_Number:  # most exponents (x^2): no array needed
        try:
            return float(expr)
        except OverflowError:
            return math.inf
        except TypeError:  # zoo, nan
            return math.nan
    with np.errstate(all="ignore"):
        try:
            value, _ = evaluate(expr, {}, 1)
        except (UnsupportedNode, KeyError, TypeError, ValueError, RecursionError):
            return math.nan
    return float(value[0])
