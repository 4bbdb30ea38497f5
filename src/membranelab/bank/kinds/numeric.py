"""``numeric``: a number with a unit, within a tolerance, with named mistakes recomputed.

Fields: ``value`` (a derived value's name, or ``solver``/``expr`` on the part itself, which
defines a derived value named after the part), ``unit``, ``tolerance`` (``relative``,
``absolute``, ``sigfigs``; default 1 % relative), ``sigfigs`` (asked for, default 3) and
``mistakes``. Read by :func:`membranelab.grading.reader.read_quantity` (the parse phase: the
reading carries the :class:`~membranelab.grading.reader.ParsedQuantity`), judged by
:func:`membranelab.grading.quantity.judge_quantity` (the grade phase).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from membranelab.grading import PartResult
from membranelab.grading.judge import Tolerance, round_sig
from membranelab.grading.numformat import MINUS, sig_figs, tex_number
from membranelab.grading.quantity import DEFAULT_RELATIVE, judge_quantity
from membranelab.grading.reader import ParsedQuantity, read_quantity
from membranelab.messages import gettext
from membranelab.physics.units import from_si, is_dimensionless, unit_text

from ..dimensions import unit_disagreement
from ..model import Answer
from ..rounding import rounding_widths, shown_figures
from ..variants import canonical_params, to_si_params
from ..view import AnswerView, QuantityView
from .base import AnswerKind, Example, KindFinding, Reading, SpecContext, register
from .mistakes import mistake_applies, with_mistake

if TYPE_CHECKING:
    from ..model import Part, Problem, Variant

__all__ = ["Numeric"]

_TOLERANCE_KEYS = {"relative", "absolute", "sigfigs"}


@register
@dataclass(frozen=True)
class Numeric(AnswerKind):
    """A quantity: the derived value ``value`` shown in ``unit``."""

    name = "numeric"
    fields = frozenset({"value", "solver", "args", "expr", "unit", "tolerance", "sigfigs",
                        "mistakes"})

    value: str
    unit: str
    tolerance: Mapping[str, float] = field(default_factory=dict)
    sigfigs: int = 3
    mistakes: tuple[str, ...] = ()

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any], ctx: SpecContext) -> Numeric:
        c, f = ctx.checker, ctx.field
        if "value" in spec:
            value = spec["value"]
            if value not in ctx.known:
                raise c.fail(f"{f}.value", f"unknown name {value!r}")
        elif "solver" in spec or "expr" in spec:
            if ctx.part_id in ctx.known:
                raise c.fail(f"{f}.id", f"{ctx.part_id!r} is also a parameter or derived name")
            value = ctx.derive(spec)
        else:
            raise c.fail(f"{f}.value", "missing (name a derived value, or give solver/expr)")
        if "unit" not in spec:
            raise c.fail(f"{f}.unit", "missing")
        unit = c.unit(spec["unit"], f"{f}.unit")
        dims = ctx.dimensions.get(value)
        if dims is not None and (disagreement := unit_disagreement(dims, unit)):
            raise c.fail(f"{f}.unit", disagreement)
        tol = c.mapping(spec.get("tolerance", {"relative": DEFAULT_RELATIVE}), f"{f}.tolerance")
        c.keys(tol, _TOLERANCE_KEYS, f"{f}.tolerance")
        tol = {k: c.number(v, f"{f}.tolerance.{k}", minimum=0) for k, v in tol.items()}
        mistakes = spec.get("mistakes", [])
        if not isinstance(mistakes, list) or not all(isinstance(m, str) for m in mistakes):
            raise c.fail(f"{f}.mistakes", "expected a list of mistake names")
        from membranelab.grading.feedback import MISTAKES

        for m in mistakes:
            if m not in MISTAKES:
                raise c.fail(f"{f}.mistakes", f"unknown mistake {m!r}; known: "
                             f"{', '.join(sorted(MISTAKES))}")
        sig = spec.get("sigfigs", 3)
        if not isinstance(sig, int) or not 1 <= sig <= 10:
            raise c.fail(f"{f}.sigfigs", f"expected an integer 1..10, found {sig!r}")
        return cls(value=value, unit=unit, tolerance=tol, sigfigs=sig, mistakes=tuple(mistakes))

    # -- answers and grading ------------------------------------------------------------------
    def named_mistakes(self) -> tuple[str, ...]:
        return self.mistakes

    @property
    def value_name(self) -> str | None:
        return self.value

    @property
    def quantity_unit(self) -> str | None:
        return self.unit

    @property
    def figures_asked(self) -> int | None:
        return self.sigfigs

    def tolerates(self, value: float, reference: float) -> bool:
        tol = self.tolerance
        sigfigs = int(tol["sigfigs"]) if "sigfigs" in tol else None
        return Tolerance(tol.get("relative"), tol.get("absolute"), sigfigs).close(value, reference)

    def reference(self, part: Part, variant: Variant) -> Answer:
        si = variant.values[self.value]
        value = from_si(si, self.unit)
        figures = max(self.sigfigs, shown_figures(variant.problem, self.value, si))
        return Answer(part.id, self.name, value, self.unit, si, sig_figs(value, figures))

    def _solver(self, variant: Variant) -> str:
        for d in variant.problem.derived:
            if d.name == self.value and d.solver:
                return d.solver
        return ""

    def mistake_values(self, part: Part, variant: Variant) -> dict[str, float]:
        """{mistake name: the value the mistake gives, in :attr:`unit`}.

        The whole computation is redone with the mistake applied to every solver call (once per
        variant and mistake, then kept with the variant); mistakes that apply to no call, or
        give the right value or a non-finite one, are left out."""
        right = variant.values[self.value]
        out = {}
        for name in self.mistakes:
            env = variant.memo(("mistake", name), partial(with_mistake, variant, name))
            if env is None:
                continue
            wrong = env[self.value]
            if math.isfinite(wrong) and not math.isclose(wrong, right, rel_tol=1e-9):
                out[name] = from_si(wrong, self.unit)
        return out

    def rounding_width(self, part: Part, variant: Variant) -> float:
        """How far the answer may lie from the reference, in :attr:`unit`, when it is computed
        from the displayed values rounded as shown (:mod:`membranelab.bank.rounding`; 0 for an
        answer that depends on no derived value). The coarse interval (intermediate values
        written to 3 figures) where no named mistake of the part falls within the tolerance of
        it, else the one of the values as the bank shows them. Computed once per variant."""
        widths = variant.memo("rounding", lambda: _rounding_widths(variant))
        fine, coarse = (abs(from_si(w.get(self.value, 0.0), self.unit) - from_si(0.0, self.unit))
                        for w in widths)
        right = variant.answer(part.id).number
        if coarse > fine and not any(self._within_interval(wrong, right, coarse)
                                     for wrong in self.mistake_values(part, variant).values()):
            return coarse
        return fine

    def grade(self, part: Part, variant: Variant, reading: Reading) -> PartResult:
        """The verdict on the quantity :meth:`parse` read, with the part's named mistakes
        recomputed and rounding carried (:meth:`judge`)."""
        return self.judge(part, self._quantity(reading), variant.answer(part.id).number,
                          lambda: self.rounding_width(part, variant),
                          mistakes=self.mistake_values(part, variant),
                          solver=self._solver(variant))

    def _quantity(self, reading: Reading) -> ParsedQuantity:
        parsed = reading.parsed
        if not isinstance(parsed, ParsedQuantity) or parsed.unit != self.unit:
            raise TypeError(f"a numeric part in {self.unit!r} graded on a reading of "
                            f"{type(parsed).__name__} ({reading.form})")
        return parsed

    def judge(self, part: Part, answer: object, reference: float,
              width: float | Callable[[], float] = 0.0, *,
              mistakes: Mapping[str, float] | None = None, solver: str = "") -> PartResult:
        """The verdict on ``answer`` (a :class:`~membranelab.grading.reader.ParsedQuantity` read
        for :attr:`unit`, or text or a number, read here) for the reference value
        ``reference`` (in :attr:`unit`), also right within the part's tolerance of
        ``[reference - width, reference + width]`` (rounding carried:
        :mod:`membranelab.bank.rounding`; note ``rounding.carried``). ``width`` may be a
        function, called only for an answer not right at once."""
        read = answer if isinstance(answer, ParsedQuantity) else read_quantity(answer, self.unit)
        tol = self.tolerance
        options: dict[str, Any] = {
            "relative": tol.get("relative"), "absolute": tol.get("absolute"),
            "sigfigs": int(tol["sigfigs"]) if "sigfigs" in tol else None,
            "min_sigfigs": self.sigfigs, "part_id": part.id, "weight": part.points}
        result = judge_quantity(read, reference, self.unit, mistakes=mistakes or {},
                                solver=solver, **options)
        if result.correct or not result.readable:
            return result
        if callable(width):
            width = width()
        if not width > 0:
            return result
        value = read.value
        if value is None or not math.isfinite(value):
            return result
        nearest = min(max(value, reference - width), reference + width)
        if nearest == reference:
            return result
        within = judge_quantity(read, nearest, self.unit, **options)
        if not within.correct:
            return result
        params = dict(within.params)
        if "expected" in params:
            params["expected"] = result.expected
        return replace(within, feedback="", expected=result.expected, params=params,
                       notes=(*within.notes, "rounding.carried"))

    def value_of(self, answer: object) -> float | None:
        """The number ``answer`` gives in :attr:`unit` (a number: already in it), read as the
        grader reads it (:func:`~membranelab.grading.reader.read_quantity`), or None when it
        does not read as one quantity of the part's dimension."""
        if isinstance(answer, (int, float)) and not isinstance(answer, bool):
            return float(answer)
        if not isinstance(answer, str):
            return None
        value = read_quantity(answer, self.unit).value
        return value if value is not None and math.isfinite(value) else None

    # -- view ---------------------------------------------------------------------------------
    @property
    def display_unit(self) -> str | None:
        return None if is_dimensionless(self.unit) else unit_text(self.unit)

    def how_to_answer(self, quote: str = '"', *, lang: str = "en") -> str:
        unit = "" if is_dimensionless(self.unit) else f" {self.unit}"
        return gettext("how.numeric" if unit else "how.pure_number", lang,
                       sigfigs=self.sigfigs, example=f"{quote}12.3{unit}{quote}")

    def prompt_note(self, lang: str = "en") -> str | None:
        if is_dimensionless(self.unit):
            return gettext("render.pure_number", lang, sigfigs=self.sigfigs)
        unit = unit_text(self.unit)
        if lang == "zh":  # concentrations as Chinese textbooks write them (problems/GLOSSARY.zh.md)
            unit = unit.replace("mM", "mmol/L")
        return gettext("render.answer_in", lang, unit=unit, sigfigs=self.sigfigs)

    def answer_label(self) -> tuple[str, dict[str, Any]]:
        unit = self.display_unit
        return ("web.answer_number_unit", {"unit": unit}) if unit else ("web.answer_number", {})

    def answer_view(self, part: Part, answer: Answer, lang: str = "en") -> AnswerView:
        unit = self.display_unit
        if lang == "zh" and unit:  # problems/GLOSSARY.zh.md: mmol/L in Chinese text
            unit = unit.replace("mM", "mmol/L")
        return QuantityView(answer.text, unit)

    def placeholder(self, part: Part, answer: Answer, sigfigs: int | None = None) -> str:
        return sig_figs(answer.number, sigfigs) if sigfigs else answer.text

    def parse(self, part: Part, text: object, problem: Problem | None = None) -> Reading:
        """How ``text`` reads: the grader's own reading
        (:func:`~membranelab.grading.reader.read_quantity`, kept as the reading's ``parsed`` for
        the grade phase, so whatever grading reads -- a decimal comma, a unit in any case,
        毫伏 -- reads back the same), converted to the part's unit and shown with the figures
        the student wrote (``-0.0950 V`` reads as −95.0 mV)."""
        read = read_quantity(text, self.unit)
        if read.refusal is not None:
            key, params = read.message()
            return Reading.refused(key, params, parsed=read)
        found = read.found
        label = found["unit"]
        figures = max(1, int(found["figures"]))
        value = float(found["value"])
        shown = sig_figs(value, figures).replace("-", MINUS)
        tex = tex_number(float(found["written"]), figures)  # as typed, typeset
        if found["unit_tex"]:
            tex += r"\," + str(found["unit_tex"])
        written = str(found["student_unit"])
        detail = str(found.get("unit_name", ""))
        if not written:
            if not label:
                return Reading("number_pure", {"value": shown}, tex=tex, parsed=read)
            return Reading("number_bare", {"value": shown, "unit": label}, tex=tex, parsed=read)
        if written == label:
            return Reading("number", {"value": shown, "unit": label}, tex=tex, detail=detail,
                           parsed=read)
        return Reading("number_converted", {"value": shown, "unit": label,
                                            "written": _written(text)},
                       tex=tex, detail=detail, parsed=read)

    def examples(self, part: Part, variant: Variant) -> tuple[Example, ...]:
        """The answer to 6 figures with its unit; 1.5 times it (or 1 more, for 0), beyond any
        tolerance; a word where the number goes."""
        value = variant.answer(part.id).number
        unit = "" if is_dimensionless(self.unit) else f" {self.unit}"
        wrong = value * 1.5 if value else 1.0
        return (Example(f"{sig_figs(value, 6)}{unit}", "right"),
                Example(f"{sig_figs(wrong, 6)}{unit}", "wrong"),
                Example(f"about{unit}", "unreadable"))

    # -- self-checks --------------------------------------------------------------------------
    def refusals(self, part: Part, problem: Problem) -> Iterable[KindFinding]:
        """Each named mistake that does not apply to the part (``mistake-applies``): redoing
        the canonical computation with it changes nothing (``volts_for_millivolts``, which the
        grader tells from the unit, applies to parts whose unit is a voltage)."""
        param_si = to_si_params(problem, canonical_params(problem))
        for name in self.mistakes:
            if not self.mistake_applies(problem, name, param_si):
                yield KindFinding(
                    "mistake-applies", name, {"mistake": name}, field="mistakes",
                    refusal=f"mistake {name!r} cannot apply to part {part.id!r}: redoing its "
                            f"computation ({self.value}) with it changes nothing")

    def mistake_applies(self, problem: Problem, name: str,
                        param_si: Mapping[str, float] | None = None) -> bool:
        """Whether mistake ``name`` changes the part's value (canonical parameters by
        default; :func:`~.mistakes.mistake_applies`)."""
        return mistake_applies(problem, self.value, self.unit, name, param_si)

    def _within_tolerance(self, wrong: float, right: float) -> bool:
        """Whether ``wrong`` would pass for ``right``: within the tolerance (relative or
        absolute, default 1 %), or equal to it at the part's significant figures."""
        tol = self.tolerance
        if Tolerance(tol.get("relative"), tol.get("absolute"), None).close(wrong, right):
            return True
        figures = int(tol.get("sigfigs", self.sigfigs))
        return round_sig(wrong, figures) == round_sig(right, figures)

    def variant_findings(self, part: Part, variant: Variant) -> Iterable[KindFinding]:
        """Named mistakes within the tolerance (``mistake``), or within the tolerance of the
        rounding interval (``rounding``: an answer computed from rounded displayed values
        would be taken for the mistake's; the finding says how many more figures shown would
        tell them apart)."""
        right = variant.answer(part.id).number
        width = self.rounding_width(part, variant)
        for name, wrong in self.mistake_values(part, variant).items():
            if self._within_tolerance(wrong, right):
                yield KindFinding("mistake", name, {"mistake": name, "wrong": f"{wrong:.4g}",
                                                    "right": f"{right:.4g}", "unit": self.unit})
            elif width and self._within_interval(wrong, right, width):
                yield KindFinding("rounding", name, {
                    "mistake": name, "wrong": f"{wrong:.4g}", "right": f"{right:.4g}",
                    "low": f"{right - width:.4g}", "high": f"{right + width:.4g}",
                    "unit": self.unit, "more": self._figures_to_tell(part, variant, wrong)})

    def _within_interval(self, wrong: float, right: float, width: float) -> bool:
        """Whether ``wrong`` passes for an answer in ``[right - width, right + width]``."""
        nearest = min(max(wrong, right - width), right + width)
        tol = self.tolerance
        return Tolerance(tol.get("relative"), tol.get("absolute"), None).close(wrong, nearest)

    def _figures_to_tell(self, part: Part, variant: Variant, wrong: float) -> str:
        """How many more figures every displayed value needs for the rounding interval to
        leave ``wrong`` out ("1", "2", "3", or "more than 3")."""
        right = variant.answer(part.id).number
        param_si = {n: variant.values[n] for n in variant.problem.params}
        for extra in (1, 2, 3):
            width_si = rounding_widths(variant.problem, param_si, targets=[self.value],
                                       extra_figures=extra).get(self.value, 0.0)
            width = abs(from_si(width_si, self.unit) - from_si(0.0, self.unit))
            if not self._within_interval(wrong, right, width):
                return str(extra)
        return "more than 3"


def _written(text: object) -> str:
    """What the student wrote, for "you wrote ..." (trimmed, a minus typeset; cut when long)."""
    shown = re.sub(r"-(?=[\d.])", MINUS, " ".join(str(text).split()))
    return shown if len(shown) <= 60 else f"{shown[:57]}..."


def _rounding_widths(variant: Variant) -> tuple[dict[str, float], dict[str, float]]:
    """(as shown, coarse) rounding half-widths (SI) of every numeric part's value."""
    param_si = {n: variant.values[n] for n in variant.problem.params}
    return (rounding_widths(variant.problem, param_si),
            rounding_widths(variant.problem, param_si, coarse=True))
