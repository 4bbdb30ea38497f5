"""check_formula: parse a student's formula, decide equivalence, name the mistake."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from functools import lru_cache

import sympy

from . import feedback as fb
from .equivalence import Verdict, equivalent
from .limits import DEFAULT_LIMITS, Limits
from .parse import ParseFailure, make_symbols, parse_expression
from .result import NEEDS_REVIEW, PartResult

__all__ = ["check_formula"]

log = logging.getLogger(__name__)

SymbolSpec = Iterable[str] | Mapping[str, tuple[float, float]]


@lru_cache(maxsize=256)
def _parse_reference(text: str, names: tuple[str, ...]) -> sympy.Expr:
    parsed = parse_expression(text, names, limits=Limits(max_formula_length=10_000,
                                                           max_tokens=5_000))
    if isinstance(parsed, ParseFailure):
        raise ValueError(f"reference formula {text!r} does not parse: {parsed.message}")
    return parsed.expr


def _reference(reference: str | sympy.Expr, names: tuple[str, ...]) -> sympy.Expr:
    """The reference as an expression over our positive Symbols (trusted input; may raise)."""
    if isinstance(reference, str):
        return _parse_reference(reference, names)
    if not isinstance(reference, sympy.Expr):
        raise ValueError(f"reference must be text or a sympy expression, got {type(reference)}")
    table = make_symbols(names)
    replacements = {}
    for symbol in reference.free_symbols:
        name = getattr(symbol, "name", "")
        if name not in table:
            raise ValueError(f"reference uses {symbol!s}, not among the symbols {list(names)}")
        replacements[symbol] = table[name]
    return reference.xreplace(replacements)


def _text(answer: object) -> str | PartResult:
    if isinstance(answer, str):
        return answer
    if isinstance(answer, bytes):
        try:
            return answer.decode("utf-8")
        except UnicodeDecodeError:
            return PartResult(False, 0.0, "The answer is not readable text (invalid UTF-8).",
                              "answer.invalid_type")
    if answer is None:
        return PartResult(False, 0.0, "No answer was given.", "answer.empty")
    return PartResult(False, 0.0, "The answer must be text.", "answer.invalid_type")


def _explain_difference(verdict: Verdict, student_names: frozenset[str],
                        reference: sympy.Expr) -> tuple[str, str]:
    """(note, message) for a formula that is not equivalent."""
    ratio = verdict.ratio
    if ratio is not None and math.isclose(ratio, -1.0, rel_tol=1e-9):
        return "sign.flipped", "Your formula has the wrong sign: it is minus the expected one."
    if ratio is not None and math.isclose(ratio, 1 / math.log(10), rel_tol=1e-9):
        return "mistake.log10", fb.MISTAKES["log10"].message.format(equation="this formula")
    reference_names = {s.name for s in reference.free_symbols}
    missing = sorted(reference_names - student_names)
    extra = sorted(student_names - reference_names)
    if missing:
        detail = f"your formula does not use {', '.join(missing)}"
    elif extra:
        detail = f"the answer does not depend on {', '.join(extra)}"
    elif ratio is not None:
        detail = f"it is {ratio:.4g} times the expected formula (a constant factor is off)"
    elif verdict.difference is not None:
        detail = f"it differs from the expected formula by a constant ({verdict.difference:.4g})"
    else:
        detail = "the values differ for some values of the symbols"
    return "formula.not_equivalent", fb.FORMULA_WRONG.format(detail=detail)


def check_formula(answer: object, reference: str | sympy.Expr, symbols: SymbolSpec, *,
                  domain: Mapping[str, tuple[float, float]] | None = None,
                  part_id: str = "", weight: float = 1.0,
                  limits: Limits = DEFAULT_LIMITS) -> PartResult:
    """Grade a formula against ``reference`` over positive ``symbols``; never raises on the answer.

    ``symbols``: names, or a mapping name -> (low, high) sampling interval.  ``reference`` is
    trusted text in the same syntax (or a sympy expression); a bad reference raises ValueError.
    """
    names = tuple(sorted(symbols))
    target = _reference(reference, names)
    expected = reference if isinstance(reference, str) else sympy.sstr(target)
    text = _text(answer)
    if isinstance(text, PartResult):
        return PartResult(False, 0.0, text.feedback, text.note, expected, part_id, weight)
    parsed = parse_expression(text, names, limits=limits)
    echo = text[:200]
    if isinstance(parsed, ParseFailure):
        return PartResult(False, 0.0, parsed.explain(), parsed.note, expected, part_id, weight,
                          echo)
    spans = dict(symbols) if isinstance(symbols, Mapping) else None
    try:
        verdict = equivalent(parsed.expr, target, spans or names, domain,
                             timeout=limits.sympy_timeout_seconds)
    except Exception:  # noqa: BLE001 - never raise on a student's formula: ask for a human
        log.exception("equivalence test failed on %r", echo)
        verdict = Verdict(None, "error")
    if verdict.equivalent:
        return PartResult(True, 1.0, fb.FORMULA_CORRECT, "correct", expected, part_id, weight,
                          echo)
    if verdict.equivalent is None:
        return PartResult(False, 0.0, fb.FORMULA_UNDECIDED, NEEDS_REVIEW, expected,
                          part_id, weight, echo)
    note, message = _explain_difference(verdict, parsed.symbols, target)
    return PartResult(False, 0.0, message, note, expected, part_id, weight, echo)
