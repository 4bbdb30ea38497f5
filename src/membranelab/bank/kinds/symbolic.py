"""``symbolic``: a formula, graded by equivalence with one of :data:`membranelab.formulas.FORMULAS`.

Fields: ``formula`` (its name) and ``mistakes`` (optional: a mistake's name -> the wrong formula
a student who makes it writes, in the answer syntax over the formula's symbols; an answer equal
to one is told that mistake, catalog ``mistake.<name>``). Read by the grader's parser
(:func:`membranelab.grading.parse_expression`: the parse phase, whose reading carries the parsed
formula) and graded by :func:`membranelab.grading.check_formula` on that parse, over the
formula's sampling domains, with the part's relative tolerance.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from membranelab.formulas import FORMULAS, formula_latex
from membranelab.grading import PartResult, check_formula
from membranelab.grading.fastonly import slow_path
from membranelab.grading.quantity import DEFAULT_RELATIVE
from membranelab.incident import record_incident
from membranelab.messages import gettext, has_message

from ..model import Answer
from ..view import AnswerView, MathView
from .base import AnswerKind, Example, KindFinding, Reading, SpecContext, register

if TYPE_CHECKING:
    from ..model import Part, Problem, Variant

__all__ = ["SIGNED_SYMBOLS", "FormulaRead", "Symbolic", "check_formula_domains"]

_log = logging.getLogger(__name__)

#: Quantities that can take either sign: a formula's sampling domain must let the check tell a
#: formula from the one with that symbol's absolute value (``sqrt(z^2)`` for ``z``).
SIGNED_SYMBOLS = frozenset({"z", "V", "V_m", "E", "E_K", "E_Na", "E_Cl"})


def _mistakes(ctx: SpecContext, spec: Any, formula: Any) -> tuple[tuple[str, str], ...]:
    """The ``mistakes`` mapping, checked: each name has a catalog message, each wrong formula
    parses over the formula's symbols and differs from the right one."""
    from membranelab.grading import ParseSuccess, equivalent, parse_expression

    c, f = ctx.checker, f"{ctx.field}.mistakes"
    spec = c.mapping(spec, f)
    out = []
    for name, text in spec.items():
        if not isinstance(name, str) or not has_message(f"mistake.{name}"):
            raise c.fail(f"{f}.{name}", f"no message mistake.{name} in the catalog")
        text = c.text(text, f"{f}.{name}")
        parsed = parse_expression(text, tuple(formula.domains))
        if not isinstance(parsed, ParseSuccess):
            raise c.fail(f"{f}.{name}", f"the wrong formula does not parse: {parsed.message}")
        # the text, not parsed.expr: the numeric fast path decides without building sympy
        # objects, so loading the bank imports no sympy
        if equivalent(text, formula.text, dict(formula.domains),
                      fallback=False).equivalent is not False:
            raise c.fail(f"{f}.{name}", "the wrong formula is not told apart from the right one")
        out.append((name, text))
    return tuple(out)


@dataclass(frozen=True)
class FormulaRead:
    """What the grade phase judges of a formula answer: the ``answer`` as given and the
    grader's parse of its text (``ParseSuccess`` or ``ParseFailure``; None for an answer that
    is not text, which ``check_formula`` refuses itself)."""

    answer: object
    parsed: Any = field(default=None, repr=False)


@register
@dataclass(frozen=True)
class Symbolic(AnswerKind):
    """A closed form: ``formula`` names :data:`~membranelab.formulas.FORMULAS`."""

    name = "symbolic"
    fields = frozenset({"formula", "mistakes"})

    formula: str
    #: the ``mistakes`` field: (mistake name, the wrong formula it gives), in the file's
    #: order (not ``mistakes``, which names the solver's recomputed mistakes of a numeric part)
    wrong_formulas: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any], ctx: SpecContext) -> Symbolic:
        formula = spec.get("formula")
        if formula not in FORMULAS:
            raise ctx.checker.fail(f"{ctx.field}.formula", f"unknown formula {formula!r}; "
                                   f"known: {', '.join(FORMULAS)}")
        return cls(formula=str(formula),
                   wrong_formulas=_mistakes(ctx, spec.get("mistakes", {}),
                                                 FORMULAS[str(formula)]))

    def reference(self, part: Part, variant: Variant) -> Answer:
        return Answer(part.id, self.name, None, None, None, FORMULAS[self.formula].text)

    def grade(self, part: Part, variant: Variant, reading: Reading) -> PartResult:
        """The verdict on the formula :meth:`parse` read (not parsed again)."""
        read = reading.parsed
        if not isinstance(read, FormulaRead):
            raise TypeError(f"a symbolic part graded on a reading of {type(read).__name__}")
        formula = FORMULAS[self.formula]
        return check_formula(read.answer, formula.text, dict(formula.domains), part_id=part.id,
                             weight=part.points, relative=DEFAULT_RELATIVE,
                             mistakes=dict(self.wrong_formulas), parsed=read.parsed)

    def how_to_answer(self, quote: str = '"', *, lang: str = "en") -> str:
        return gettext("how.symbolic", lang, example=f"{quote}2*a*exp(-b/c){quote}")

    def answer_label(self) -> tuple[str, dict[str, Any]]:
        return "web.answer_formula", {}

    def answer_view(self, part: Part, answer: Answer, lang: str = "en") -> AnswerView:
        return MathView(formula_latex(self.formula), answer.text)

    def placeholder(self, part: Part, answer: Answer, sigfigs: int | None = None) -> str:
        return formula_latex(self.formula)

    def parse(self, part: Part, text: object, problem: Problem | None = None) -> Reading:
        """The formula as parsed by the grader's own parser (nothing evaluated), over the
        formula's symbols as grading reads them; the parse is kept for the grade phase."""
        from membranelab.grading import ParseSuccess, parse_expression
        from membranelab.grading.plain import plain_text

        if not isinstance(text, str):  # not text: check_formula says why
            return Reading.refused("answer.invalid_type", parsed=FormulaRead(text))
        text = plain_text(text)
        parsed = parse_expression(text, tuple(sorted(FORMULAS[self.formula].domains)))
        read = FormulaRead(text, parsed)
        if not isinstance(parsed, ParseSuccess):
            return Reading.refused(parsed.key, parsed.params, parsed=read)
        return Reading("formula", parsed=read)

    def shown(self, part: Part, reading: Reading) -> Reading:
        """The formula read, as text and typeset (what grading does without: printing costs
        more than parsing)."""
        slow_path("typesetting")
        import sympy

        read = reading.parsed
        if reading.form != "formula" or not isinstance(read, FormulaRead):
            return reading
        expr = read.parsed.expr
        try:
            tex = sympy.latex(expr, ln_notation=True)
        except Exception:  # noqa: BLE001 - a printing corner case: read, shown untypeset
            record_incident(_log, "cannot print a parsed formula as LaTeX (part %s)", part.id)
            tex = ""
        return replace(reading, values={"formula": sympy.sstr(expr)}, tex=tex,
                       detail="" if tex else str(read.answer).strip())

    def examples(self, part: Part, variant: Variant) -> tuple[Example, ...]:
        """The reference formula as a student types it; twice it; an unclosed bracket."""
        text = variant.answer(part.id).text
        return (Example(text, "right"), Example(f"2*({text})", "wrong"),
                Example(f"({text}", "unreadable"))

    def static_findings(self, part: Part) -> Iterable[KindFinding]:
        """Twins of the formula its sampling domains cannot tell from it (``domain``)."""
        for symbol, twin in check_formula_domains(self.formula):
            yield KindFinding("domain", symbol, {"formula": self.formula, "twin": twin,
                                                 "symbol": symbol})


def check_formula_domains(name: str, samples: int = 64) -> list[tuple[str, str]]:
    """(symbol, twin) for each twin that formula ``name``'s sampling domains cannot tell from it:
    ``|formula|`` (symbol ``""``) and the formula with a signed symbol replaced by its absolute
    value. Twins identical to the formula for every value (even functions) are not counted."""
    import sympy as sp

    from membranelab.formulas import FORMULAS as known  # looked up now: tests add formulas

    formula = known[name]
    # the parser's symbols are positive, so sympy would drop |x|: use real ones
    real = {s: sp.Symbol(str(s), real=True) for s in formula.expr.free_symbols}
    expr = formula.expr.xreplace(real)
    symbols = sorted(real.values(), key=str)
    rng = np.random.default_rng(1)
    points = {s: rng.uniform(*formula.domains[str(s)], size=samples) for s in symbols}
    args = [points[s] for s in symbols]

    def values(e) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.broadcast_to(np.asarray(sp.lambdify(symbols, e, "numpy")(*args),
                                              dtype=float), (samples,))

    base = values(expr)

    def same(twin_values: np.ndarray) -> bool:
        ok = np.isfinite(base) & np.isfinite(twin_values)
        return bool(np.all(np.isclose(twin_values[ok], base[ok], rtol=1e-9, atol=0.0)))

    out = []
    signed = [s for s in symbols if str(s) in SIGNED_SYMBOLS]
    if signed and same(np.abs(base)) and not _identically(sp.Abs(expr), expr):
        out.append(("", f"|{name}|"))
    for s in signed:
        twin = expr.subs(s, sp.Abs(s))
        if same(values(twin)) and not _identically(twin, expr):
            out.append((str(s), f"the formula with |{s}|"))
    return out


def _identically(a, b) -> bool:
    """Whether ``a`` equals ``b`` for every physical value: signed quantities
    (:data:`SIGNED_SYMBOLS`) of both signs, the others positive."""
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    rng = np.random.default_rng(2)
    import sympy as sp

    pts = [(rng.choice([-1.0, 1.0], size=32) if str(s) in SIGNED_SYMBOLS else 1.0)
           * rng.uniform(0.5, 2.0, size=32) for s in symbols]
    with np.errstate(all="ignore"):
        va = np.asarray(sp.lambdify(symbols, a, "numpy")(*pts), dtype=complex)
        vb = np.asarray(sp.lambdify(symbols, b, "numpy")(*pts), dtype=complex)
    ok = np.isfinite(va) & np.isfinite(vb)
    return bool(np.all(np.isclose(va[ok], vb[ok], rtol=1e-9)))
