"""``symbolic``: a formula, graded by equivalence with one of :data:`membranelab.formulas.FORMULAS`.

Fields: ``formula`` (its name) and ``mistakes`` (optional: a mistake's name -> the wrong formula
a student who makes it writes, in the answer syntax over the formula's symbols; an answer equal
to one is told that mistake, catalog ``mistake.<name>``). Graded by
:func:`membranelab.grading.check_formula` over the formula's sampling domains, with the part's
relative tolerance.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from membranelab.formulas import FORMULAS, formula_latex
from membranelab.grading import PartResult, check_formula
from membranelab.grading.quantity import DEFAULT_RELATIVE
from membranelab.incident import record_incident
from membranelab.messages import gettext, has_message

from ..model import Answer
from ..view import AnswerView, MathView
from .base import AnswerKind, Example, KindFinding, Reading, SpecContext, register

if TYPE_CHECKING:
    from ..model import Part, Problem
    from ..variants import Variant

__all__ = ["Symbolic"]

_log = logging.getLogger(__name__)


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
        if equivalent(parsed.expr, formula.text, dict(formula.domains),
                      fallback=False).equivalent is not False:
            raise c.fail(f"{f}.{name}", "the wrong formula is not told apart from the right one")
        out.append((name, text))
    return tuple(out)


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

    def grade(self, part: Part, variant: Variant, answer: object) -> PartResult:
        formula = FORMULAS[self.formula]
        return check_formula(answer, formula.text, dict(formula.domains), part_id=part.id,
                             weight=part.points, relative=DEFAULT_RELATIVE,
                             mistakes=dict(self.wrong_formulas))

    def how_to_answer(self, quote: str = '"', *, lang: str = "en") -> str:
        return gettext("how.symbolic", lang, example=f"{quote}2*a*exp(-b/c){quote}")

    def answer_label(self) -> tuple[str, dict[str, Any]]:
        return "web.answer_formula", {}

    def answer_view(self, part: Part, answer: Answer, lang: str = "en") -> AnswerView:
        return MathView(formula_latex(self.formula), answer.text)

    def placeholder(self, part: Part, answer: Answer, sigfigs: int | None = None) -> str:
        return formula_latex(self.formula)

    def read(self, part: Part, text: str, problem: Problem | None = None) -> Reading:
        """The formula as parsed by the grader's own parser (nothing evaluated)."""
        import sympy

        from membranelab.grading import ParseSuccess, parse_expression

        parsed = parse_expression(text, tuple(FORMULAS[self.formula].domains))
        if not isinstance(parsed, ParseSuccess):
            return Reading.refused(parsed.key, parsed.params)
        try:
            tex = sympy.latex(parsed.expr, ln_notation=True)
        except Exception:  # noqa: BLE001 - a printing corner case: read, shown untypeset
            record_incident(_log, "cannot print a parsed formula as LaTeX (part %s)", part.id)
            tex = ""
        return Reading("formula", {"formula": sympy.sstr(parsed.expr)}, tex=tex,
                       detail="" if tex else text.strip())

    def examples(self, part: Part, variant: Variant) -> tuple[Example, ...]:
        """The reference formula as a student types it; twice it; an unclosed bracket."""
        text = variant.answer(part.id).text
        return (Example(text, "right"), Example(f"2*({text})", "wrong"),
                Example(f"({text}", "unreadable"))

    def static_findings(self, part: Part) -> Iterable[KindFinding]:
        from ..check import check_formula_domains

        for symbol, twin in check_formula_domains(self.formula):
            yield KindFinding("domain", symbol, {"formula": self.formula, "twin": twin,
                                                 "symbol": symbol})
