"""check_formula: parse a student's formula, decide equivalence, name the mistake."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from membranelab.incident import INTERNAL_ERROR_KEY, record_incident

from . import lazysympy
from .equivalence import Formula, Verdict, equivalent
from .expression import ParseSuccess, parse_expression
from .limits import DEFAULT_LIMITS, Limits
from .numtree import ParseFailure, TreeParse, log10_reading
from .plain import plain_text
from .result import NEEDS_REVIEW, PartResult
from .seeds import formula_seed

__all__ = ["check_formula"]

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import sympy

SymbolSpec = Iterable[str] | Mapping[str, tuple[float, float]]


#: Bounds of a reference formula (trusted text, possibly long).
_REFERENCE_LIMITS = Limits(max_formula_length=10_000, max_tokens=5_000)


def _parse(text: str, names: tuple[str, ...], limits: Limits, *, log_base10: bool = False,
           ln10_literals: bool = False) -> TreeParse | ParseSuccess | ParseFailure:
    """A formula as :func:`.expression.parse_expression` reads it, as its plain tree when the
    fast path read it (graded without sympy), else as the sympy back end's ``ParseSuccess``
    (a constant power, exp of a constant); a refusal is the same either way.  ValueError for
    a declared name that is not a plain identifier (the caller's error)."""
    parsed = parse_expression(text, names, limits=limits, log_base10=log_base10,
                              ln10_literals=ln10_literals)
    if isinstance(parsed, ParseSuccess) and parsed.tree is not None:
        return parsed.tree
    return parsed


def _formula(parsed: TreeParse | ParseSuccess) -> Formula:
    """What :func:`.equivalence.equivalent` compares: the plain tree, or the sympy tree."""
    return parsed if isinstance(parsed, TreeParse) else parsed.expr


@lru_cache(maxsize=256)
def _parse_reference(text: str, names: tuple[str, ...]) -> Formula:
    parsed = _parse(text, names, _REFERENCE_LIMITS)
    if isinstance(parsed, ParseFailure):
        raise ValueError(f"reference formula {text!r} does not parse: {parsed.message}")
    return _formula(parsed)


def _reference(reference: str | sympy.Expr, names: tuple[str, ...]) -> Formula:
    """The reference as an expression over our positive Symbols (trusted input; may raise)."""
    if isinstance(reference, str):
        return _parse_reference(reference, names)
    if not (lazysympy.is_sympy(reference) and isinstance(reference, lazysympy.sympy().Expr)):
        raise ValueError(f"reference must be text or a sympy expression, got {type(reference)}")
    from .parse import make_symbols

    table = make_symbols(names)
    replacements = {}
    for symbol in reference.free_symbols:
        name = getattr(symbol, "name", "")
        if name not in table:
            raise ValueError(f"reference uses {symbol!s}, not among the symbols {list(names)}")
        replacements[symbol] = table[name]
    return reference.xreplace(replacements)


def _text(answer: object) -> str | tuple[str, str]:
    """The answer's text, or (message key, note) when it is not text."""
    if isinstance(answer, str):
        return plain_text(answer)
    if isinstance(answer, bytes):
        try:
            return answer.decode("utf-8")
        except UnicodeDecodeError:
            return "answer.invalid_utf8", "answer.invalid_type"
    if answer is None:
        return "answer.empty", "answer.empty"
    return "answer.invalid_type", "answer.invalid_type"


def factor_text(ratio: float) -> str:
    """A constant factor with just enough figures to differ from 1 (never "1 times")."""
    for digits in range(4, 13):
        text = f"{ratio:.{digits}g}"
        if float(text) != 1.0:
            return text
    return f"{ratio:.15g}"


def _names(formula: Formula) -> set[str]:
    """The names of the symbols a formula uses."""
    if isinstance(formula, TreeParse):
        return set(formula.symbols)
    return {s.name for s in formula.free_symbols}


def _explain_difference(verdict: Verdict, student_names: frozenset[str],
                        reference: Formula) -> tuple[str, str, dict[str, Any]]:
    """(note, message key, parameters) for a formula that is not equivalent."""
    ratio = verdict.ratio
    if ratio is not None and math.isclose(ratio, -1.0, rel_tol=1e-9):
        return "sign.flipped", "formula.sign_flipped", {}
    if ratio is not None and math.isclose(ratio, 1 / math.log(10), rel_tol=1e-9):
        return "mistake.log10", "mistake.log10", {"equation": {"msg": "equation.this_formula"}}
    reference_names = _names(reference)
    missing = sorted(reference_names - student_names)
    extra = sorted(student_names - reference_names)
    note = "formula.not_equivalent"
    if missing:
        return note, "formula.missing_symbols", {"names": ", ".join(missing)}
    if extra:
        return note, "formula.extra_symbols", {"names": ", ".join(extra)}
    if ratio is not None:
        return note, "formula.factor", {"factor": factor_text(ratio)}
    if verdict.difference is not None:
        return note, "formula.offset", {"difference": f"{verdict.difference:.4g}"}
    return note, "formula.differ", {}


def _decide(student: Formula, target: Formula, names: tuple[str, ...],
            spans: Mapping[str, tuple[float, float]] | None,
            domain: Mapping[str, tuple[float, float]] | None, limits: Limits, echo: str,
            seed: int, fallback: bool = True) -> Verdict:
    try:
        return equivalent(student, target, spans or names, domain, seed=seed,
                          timeout=limits.sympy_timeout_seconds, fallback=fallback)
    except Exception:  # noqa: BLE001 - never raise on a student's formula: ask for a human
        incident = record_incident(log, "equivalence of %r with %s failed", echo, target)
        return Verdict(None, "incident", detail=incident)


def _named_mistake(student: Formula, mistakes: Mapping[str, Formula],
                   names: tuple[str, ...], spans: Mapping[str, tuple[float, float]] | None,
                   domain: Mapping[str, tuple[float, float]] | None, limits: Limits,
                   echo: str, seed: int) -> str | None:
    """The name of the one wrong formula (``mistakes``) the answer equals on the sample
    points, or None (numeric comparison only: a named mistake never waits for sympy)."""
    found = [name for name, wrong in mistakes.items()
             if _decide(student, wrong, names, spans, domain, limits, echo, seed,
                        fallback=False).equivalent]
    return found[0] if len(found) == 1 else None


def _readings(text: str, parsed: TreeParse | ParseSuccess, names: tuple[str, ...],
              limits: Limits) -> list[tuple[Formula, tuple[Any, ...], tuple[str, ...]]]:
    """Further readings of an answer that is not right as first read, with the sentence and
    note that say so: ``log`` as log10; 2.303 (ln 10 rounded) as ln 10."""
    found: list[tuple[Formula, tuple[Any, ...], tuple[str, ...]]] = []
    if parsed.uses_log:
        as_log10 = (log10_reading(parsed) if isinstance(parsed, TreeParse)
                    else _parse(text, names, limits, log_base10=True))
        if not isinstance(as_log10, ParseFailure):
            found.append((_formula(as_log10), ("also.log_as_log10",), ("formula.log_as_log10",)))
    if parsed.uses_ln10:
        as_ln10 = _parse(text, names, limits, ln10_literals=True)
        if not isinstance(as_ln10, ParseFailure):
            found.append((_formula(as_ln10), ("also.ln10_literal",), ("formula.ln10_literal",)))
    return found


def check_formula(answer: object, reference: str | sympy.Expr, symbols: SymbolSpec, *,
                  domain: Mapping[str, tuple[float, float]] | None = None,
                  part_id: str = "", weight: float = 1.0, relative: float | None = None,
                  mistakes: Mapping[str, str] | None = None, secret: bytes | None = None,
                  limits: Limits = DEFAULT_LIMITS,
                  parsed: TreeParse | ParseSuccess | ParseFailure | None = None) -> PartResult:
    """Grade a formula against ``reference`` over ``symbols``; never raises on the answer.

    ``symbols``: names, or a mapping name -> (low, high) sampling interval.  ``reference`` is
    trusted text in the same syntax (or a sympy expression); a bad reference raises ValueError.
    ``relative``: a formula that is the reference times a constant within this relative
    tolerance is right, with a note (2.303 for ln 10); None accepts no factor.  Where ``log``
    read as log10 makes the answer right and ln does not, it is right with a note.  Letters
    read as a product of symbols (``RT``), or as a symbol without its ``_`` (``gK``), are said
    in a note; so is 2.303 read as ln 10 where that makes the answer right.
    ``mistakes`` maps a mistake's name to the wrong formula it gives (trusted text): an answer
    equal to one is told that mistake (catalog ``mistake.<name>``).  The sample points are
    drawn from ``secret`` (a course's), else from this installation's secret
    (:mod:`.seeds`), hashed with the reference: the same on every worker and every regrade.
    ``parsed``: the answer's text as :func:`~.parse.parse_expression` already read it over
    the sorted ``symbols`` with ``limits`` (an answer kind's parse phase): not parsed again.
    """
    if relative is not None and not 0.0 <= relative < 1.0:
        raise ValueError(f"relative must be in [0, 1), got {relative!r}")
    names = tuple(sorted(symbols))
    target = _reference(reference, names)
    # a reference given as text is known by its text; as sympy, by its tree (over our Symbols)
    expected = reference if isinstance(reference, str) else lazysympy.sympy().sstr(target)
    wrong = {name: _reference(text, names) for name, text in (mistakes or {}).items()}
    seed = formula_seed(reference if isinstance(reference, str)
                        else lazysympy.sympy().srepr(target),
                        names, secret)

    def result(correct: bool, key: str, note: str, params: Mapping[str, Any] | None = None,
               echo: str = "", readable: bool = True, also: tuple[Any, ...] = (),
               notes: tuple[str, ...] = ()) -> PartResult:
        params = dict(params or {})
        if also:
            params["also"] = list(also)
        return PartResult(correct, 1.0 if correct else 0.0, "", note, expected, part_id, weight,
                          echo, (note, *notes), params=params, message_id=key,
                          readable=readable)

    text = _text(answer)
    if isinstance(text, tuple):
        return result(False, text[0], text[1], readable=False)
    if parsed is None:
        parsed = _parse(text, names, limits)
    elif isinstance(parsed, ParseSuccess) and parsed.tree is not None:
        parsed = parsed.tree  # read by the fast path: its plain tree is graded, no sympy
    echo = text  # PartResult keeps its first ANSWER_ECHO_LENGTH characters
    if isinstance(parsed, ParseFailure):
        params = {**parsed.params, "pointer": parsed.pointer} if parsed.pointer else parsed.params
        return result(False, parsed.key, parsed.note, params, echo, readable=False)
    also: tuple[Any, ...] = ()
    notes: tuple[str, ...] = ()
    distinct = list(dict.fromkeys(parsed.readings))
    products = [(w, r) for w, r in distinct if "·" in r]
    others = [(w, r) for w, r in distinct if "·" not in r]
    for found, key, note in ((products, "also.implicit_product", "formula.implicit_product"),
                             (others, "also.read_as", "formula.read_as")):
        if found:
            notes = (*notes, note)
            also = (*also, {"msg": key, "written": ", ".join(w for w, _ in found),
                            "read": ", ".join(r for _, r in found)})
    spans = dict(symbols) if isinstance(symbols, Mapping) else None
    student = _formula(parsed)
    verdict = _decide(student, target, names, spans, domain, limits, echo, seed)
    if verdict.method == "incident":  # our failure, not the student's: listed for the teacher
        return result(False, INTERNAL_ERROR_KEY, NEEDS_REVIEW, {"incident": verdict.detail},
                      echo)
    if verdict.equivalent:
        return result(True, "formula.correct", "correct", echo=echo, also=also, notes=notes)
    readings = [(verdict, also, notes)]
    if verdict.equivalent is False:
        for other, more_also, more_notes in _readings(text, parsed, names, limits):
            readings.append((_decide(other, target, names, spans, domain, limits, echo,
                                     seed), (*also, *more_also), (*notes, *more_notes)))
    for reading, reading_also, reading_notes in readings:
        if reading.equivalent:
            return result(True, "formula.correct", "correct", echo=echo, also=reading_also,
                          notes=reading_notes)
        ratio = reading.ratio
        if (reading.equivalent is False and ratio is not None and relative
                and abs(ratio - 1.0) <= relative):
            return result(True, "formula.correct_factor", "correct",
                          {"factor": factor_text(ratio)}, echo, also=reading_also,
                          notes=(*reading_notes, "formula.constant_factor"))
    if verdict.equivalent is None:
        key = "formula.undecided" if verdict.method == "timeout" else "formula.undecided_other"
        return result(False, key, NEEDS_REVIEW, echo=echo, also=also, notes=notes)
    mistake = _named_mistake(student, wrong, names, spans, domain, limits, echo, seed)
    if mistake is not None:
        return result(False, f"mistake.{mistake}", f"mistake.{mistake}",
                      {"equation": {"msg": "equation.this_formula"}}, echo, also=also,
                      notes=notes)
    note, key, params = _explain_difference(verdict, parsed.symbols, target)
    return result(False, key, note, params, echo, also=also, notes=notes)
