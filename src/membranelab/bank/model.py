"""The bank's model: Part, Figure, Problem, Variant, over the plain values of
:mod:`membranelab.bank.values` (Parameter, Derived, Choice, Answer) and holding the kinds of
:mod:`membranelab.bank.protocols` (:class:`AnswerKind`, :class:`PlotKind`); all re-exported here.

A :class:`Problem` is what one file of ``problems/`` (plus its worked solution in ``solutions/``)
holds once loaded and checked by :mod:`membranelab.bank.load`; :meth:`Problem.variant` gives a
:class:`Variant`, computed by :mod:`membranelab.bank.variants`. These types refer to each other
(a part holds its variant's answers, a variant its problem), so they live in this one module;
the kinds' protocols stand below it; everything that implements them (the kinds, the plots, the
translations, the loader) stands above it and is found through them, never imported from here.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .cache import LruCache
from .choice_invariants import ChoiceInvariant
from .expr import Expr
from .protocols import AnswerKind, PlotKind
from .scoring import Layer
from .values import Answer, Choice, Derived, Parameter
from .variants import CANONICAL, canonical_params, evaluate, sample, to_si_params, variant_seed

#: Variants each Problem keeps (most recently used first out); a class of students fits easily.
VARIANT_CACHE_SIZE = 4096

#: Share of a part's points each revealed hint costs in graded contexts unless the part sets
#: ``hint_cost`` (problems/README.md, "Hints").
DEFAULT_HINT_COST = 0.1

#: Teaching position of a problem without ``order`` (after every ordered one).
UNORDERED = 10_000

#: The language the problem files are written in.
BASE_LANG = "en"
#: Languages a problem may have translation overlays in (``problems/<id>.<lang>.md``,
#: :mod:`membranelab.bank.i18n`).
OVERLAY_LANGS = ("zh",)

__all__ = ["Parameter", "Derived", "Part", "Figure", "Problem", "Answer", "Choice", "Variant",
           "AnswerKind", "PlotKind", "make_variant", "DEFAULT_HINT_COST", "UNORDERED",
           "BASE_LANG", "OVERLAY_LANGS"]


@dataclass(frozen=True)
class Part:
    """One question of a problem.

    ``answer_kind`` is what the part asks for and how it is graded: an
    :class:`~membranelab.bank.kinds.AnswerKind` (``numeric``, ``symbolic``, ``choice``, or any
    registered kind) holding that kind's fields; ``kind`` is its name. ``points`` is the part's
    weight (default 1). ``hints`` is a ladder (the idea, the equation, the substitution); each
    hint shown costs ``hint_cost`` of the points in graded contexts (:meth:`hint_credit`).
    """

    id: str
    answer_kind: AnswerKind
    prompt: str
    points: float = 1.0
    hints: tuple[str, ...] = ()
    hint_cost: float = DEFAULT_HINT_COST

    @property
    def kind(self) -> str:
        """The answer kind's name (``numeric``, ``symbolic``, ``choice``...)."""
        return self.answer_kind.name

    def hint_credit(self, hints_shown: int) -> float:
        """Share of the part's points still available after ``hints_shown`` hints (0..1)."""
        shown = max(0, min(int(hints_shown), len(self.hints)))
        return max(0.0, 1.0 - shown * self.hint_cost)

    def how_to_answer(self, quote: str = '"', *, lang: str = "en") -> str:
        """How to write this part's answer in ``lang``, with examples between ``quote`` marks
        (no answer given away: the formula example is a neutral one)."""
        return self.answer_kind.how_to_answer(quote, lang=lang)


@dataclass(frozen=True)
class Figure:
    """A plot a worked solution shows, drawn at render time: ``plot`` is its
    :class:`~membranelab.bank.plots.PlotKind` (``sweep``, ``noise_trace``, or any registered
    kind) holding that kind's fields; ``kind`` is its name."""

    id: str
    caption: str
    plot: PlotKind

    @property
    def kind(self) -> str:
        """The plot kind's name."""
        return self.plot.name


@dataclass(frozen=True, eq=False)
class Problem:
    """A parameterized exercise (see ``problems/README.md`` for the file format)."""

    id: str
    title: str
    topic: str
    source: str
    params: Mapping[str, Parameter]
    constraints: tuple[Expr, ...]
    derived: tuple[Derived, ...]
    parts: tuple[Part, ...]
    body: str
    solution: str
    errata: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    file: Path | None = None
    solution_file: Path | None = None
    uid: str = ""
    order: float = UNORDERED
    invariants: tuple[Expr, ...] = ()
    choice_invariants: tuple[ChoiceInvariant, ...] = ()
    lang: str = BASE_LANG
    original: Problem | None = field(default=None, repr=False)
    #: what gives this problem in another language (the loader's :func:`~.i18n.localize`;
    #: None: a problem without translations)
    localizer: Callable[[Problem, str | None], Problem] | None = field(
        default=None, repr=False, compare=False)
    #: the file's ``scoring:`` rules (:mod:`membranelab.bank.scoring`; None: none)
    scoring: Layer | None = None
    _variants: LruCache = field(default_factory=lambda: LruCache(VARIANT_CACHE_SIZE),
                                init=False, repr=False, compare=False)

    @property
    def seed_key(self) -> str:
        """What the variant seed hashes for this problem: its ``uid`` (stable across renames;
        today's problems use their first id as uid, so released numbers stay)."""
        return self.uid or self.id

    def localized(self, lang: str | None) -> Problem:
        """This problem with its text in ``lang`` (``"en"``/None: the original; see
        :mod:`membranelab.bank.i18n`); numbers, answers and ids are the original's. ValueError
        for a language of neither :data:`BASE_LANG` nor :data:`OVERLAY_LANGS`."""
        if self.localizer is not None:
            return self.localizer(self, lang)
        base = self.original or self
        if lang and lang != BASE_LANG and lang not in OVERLAY_LANGS:
            raise ValueError(f"unknown language {lang!r}; known: {BASE_LANG}, "
                             f"{', '.join(OVERLAY_LANGS)}")
        return base

    def every_language(self) -> tuple[Problem, ...]:
        """The original, then the problem in each of :data:`OVERLAY_LANGS` (the original again
        where it has no translation in use)."""
        base = self.original or self
        return (base, *(base.localized(lang) for lang in OVERLAY_LANGS))

    def part(self, part_id: str) -> Part:
        """The part with id ``part_id`` (KeyError naming the known ids otherwise)."""
        for p in self.parts:
            if p.id == part_id:
                return p
        raise KeyError(f"{self.id}: no part {part_id!r}; parts are {[p.id for p in self.parts]}")

    def variant(self, student: str = "canonical", assignment: str = "", *,
                lang: str | None = None, key: bytes | None = None) -> Variant:
        """The variant of ``student`` in ``assignment`` (deterministic); ``"canonical"`` gives the
        source document's own case. ``lang`` gives the same numbers with the text of that language
        (its ``variant.problem`` is :meth:`localized`); ``key`` keys the seed (a graded course's
        student key). Variants are immutable, so the most recent :data:`VARIANT_CACHE_SIZE` are
        kept and shared (with the mistake values they cache), by every thread: the cache takes a
        lock."""
        if lang is not None and lang != self.lang:
            return self.localized(lang).variant(student, assignment, key=key)
        return self._variants.get((student, assignment, key),
                                  lambda: make_variant(self, student, assignment, key=key))

    def __repr__(self) -> str:
        return f"Problem({self.id!r}, {len(self.parts)} parts)"


def make_variant(problem: Problem, student: str = CANONICAL, assignment: str = "", *,
                 key: bytes | None = None) -> Variant:
    """The variant of ``student`` in ``assignment`` (``"canonical"``: the document's case);
    ``key``: a graded course's student key (the seed is keyed with it). See
    :mod:`membranelab.bank.variants` for the seed."""
    if student == CANONICAL:
        display, name = canonical_params(problem), CANONICAL
    else:
        seed = variant_seed(student, assignment, problem.seed_key, key)
        display, name = sample(problem, np.random.default_rng(seed)), f"{seed:016x}"
    values, _ = evaluate(problem, to_si_params(problem, display))
    return Variant(problem=problem, key=name, params=display, values=values,
                   student=None if student == CANONICAL else student, assignment=assignment)


@dataclass(frozen=True, eq=False)
class Variant:
    """One set of numbers for a problem.

    ``params`` are display values (in each parameter's unit); ``values`` every SI value (constants,
    parameters, derived); ``key`` is ``"canonical"`` or the seed in hex. What its parts' kinds
    compute from it once (mistake values, rounding intervals) is kept with it (:meth:`memo`).
    """

    problem: Problem
    key: str
    params: Mapping[str, float]
    values: Mapping[str, float] = field(repr=False)
    student: str | None = None
    assignment: str = ""
    _memo: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False,
                                       compare=False)

    def memo(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value kept under ``key``, or ``make()`` kept under it (a variant's values never
        change, so neither does what is computed from them; two threads may both compute it,
        the first kept wins)."""
        if key not in self._memo:
            self._memo.setdefault(key, make())
        return self._memo[key]

    def _answers(self) -> dict[str, Answer]:
        return self.memo("answers", lambda: {part.id: part.answer_kind.reference(part, self)
                                             for part in self.problem.parts})

    def answer(self, part_id: str) -> Answer:
        """One part's reference answer (KeyError for an unknown part id)."""
        return self._answers()[part_id]

    def answers(self) -> dict[str, Answer]:
        """Every part's reference answer, by part id."""
        return dict(self._answers())

    def mistake_values(self, part_id: str) -> dict[str, float]:
        """{mistake name: the value the mistake gives, in the part's unit}, as the part's kind
        computes it (a numeric part: the chain redone with the mistake; other kinds: none)."""
        part = self.problem.part(part_id)
        return part.answer_kind.mistake_values(part, self)

    def rounding_width(self, part_id: str) -> float:
        """How far the part's answer may lie from the reference, in the part's unit, when it is
        computed from the displayed values rounded as shown (:mod:`.rounding`; 0 for a kind
        without it, or a part whose answer depends on no derived value)."""
        part = self.problem.part(part_id)
        return part.answer_kind.rounding_width(part, self)

    def __repr__(self) -> str:
        return f"Variant({self.problem.id!r}, key={self.key!r})"
