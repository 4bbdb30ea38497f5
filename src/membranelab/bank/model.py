"""The bank's model: Part, Figure, Problem, Variant, and the protocols of the kinds a part and
a figure hold (:class:`AnswerKind`, :class:`PlotKind`), over the plain values of
:mod:`membranelab.bank.values` (Parameter, Derived, Choice, Answer; re-exported here).

A :class:`Problem` is what one file of ``problems/`` (plus its worked solution in ``solutions/``)
holds once loaded and checked by :mod:`membranelab.bank.load`; :meth:`Problem.variant` gives a
:class:`Variant`, computed by :mod:`membranelab.bank.variants`. These types refer to each other
(a part holds its kind, a kind grades a part of a variant of a problem), so they live in this one
module; everything that implements them (the kinds, the plots, the translations, the loader)
stands above it and is found through them, never imported from here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .cache import LruCache
from .choice_invariants import ChoiceInvariant
from .expr import Expr
from .phases import Example, KindFinding, PlotContext, Reading, SpecContext
from .scoring import Layer
from .values import Answer, Choice, Derived, Parameter
from .variants import CANONICAL, canonical_params, evaluate, sample, to_si_params, variant_seed
from .view import AnswerView, TextView

if TYPE_CHECKING:
    from membranelab.grading import PartResult

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


class AnswerKind(ABC):
    """One kind of answer (``numeric``, ``symbolic``, ``choice``...): a frozen dataclass holding
    the kind's fields of a part, bringing everything the package needs to know about it, in
    phases as PrairieLearn's elements do (:mod:`membranelab.bank.phases`):

    * **spec** -- :meth:`from_spec` checks the part's fields in a problem file;
    * **reference** -- :meth:`reference` answer of a variant (and :meth:`mistake_values`,
      :meth:`rounding_width`, :meth:`named_mistakes`: the kind's named mistakes and rounding
      carried; :attr:`value_name`, :attr:`quantity_unit`, :attr:`figures_asked`: the value a
      computed answer is, its unit and figures, None for other answers);
    * **parse** -- :meth:`parse` a student's text into a :class:`~.phases.Reading` (text ->
      reading: what :func:`membranelab.bank.grade_part` grades, once per answer, and what the
      graded notebook's read-back and the browser's live preview show);
    * **grade** -- :meth:`grade` a reading (reading -> result; :func:`membranelab.bank.grade_part`
      handles missing answers, unreadable readings with nothing parsed, and internal failures
      for every kind);
    * **describe** -- :meth:`describe` a result as the catalog's message ids and parameters;
    * **examples** -- :meth:`examples`: a right, a wrong and an unreadable answer, which
      ``membranelab check`` grades; :meth:`static_findings`, :meth:`variant_findings`;
    * **view** -- :meth:`answer_view`, :meth:`prompt_note`, :attr:`options`,
      :meth:`how_to_answer`, :meth:`placeholder`;
    * **translation** -- :attr:`overlay_fields` of a translation overlay, read by
      :meth:`translation`, checked by :meth:`check_translation`, applied by :meth:`localized`.

    Class attributes: ``name`` (the ``kind:`` value in problem files) and ``fields`` (the part
    fields the kind reads besides the common ``id``, ``kind``, ``prompt``, ``points``,
    ``hints``, ``hint_cost``). A new kind is one module in :mod:`membranelab.bank.kinds`
    (registered there); nothing outside it branches on a kind's name.
    """

    name: ClassVar[str]
    fields: ClassVar[frozenset[str]] = frozenset()
    #: The fields of a part in a translation overlay this kind reads (besides prompt, hints).
    overlay_fields: ClassVar[frozenset[str]] = frozenset()

    # -- spec and reference -------------------------------------------------------------------
    @classmethod
    @abstractmethod
    def from_spec(cls, spec: Mapping[str, Any], ctx: SpecContext) -> AnswerKind:
        """This kind's fields of a part, checked (``ctx.checker.fail`` for every failure)."""

    @abstractmethod
    def reference(self, part: Part, variant: Variant) -> Answer:
        """The part's reference answer in ``variant``."""

    def mistake_values(self, part: Part, variant: Variant) -> dict[str, float]:
        """{mistake name: the value it gives, in the part's unit} (none by default)."""
        return {}

    def rounding_width(self, part: Part, variant: Variant) -> float:
        """How far a right answer may lie from the reference when computed from the values as
        shown, in the part's unit (0 by default)."""
        return 0.0

    def named_mistakes(self) -> tuple[str, ...]:
        """The named mistakes the grader recomputes for this part by re-running its solver
        chain (:mod:`membranelab.grading.feedback`; none by default)."""
        return ()

    @property
    def value_name(self) -> str | None:
        """The derived value the answer is (a sweep plots it, error carried forward
        substitutes it); None when the answer is not a computed value (the default)."""
        return None

    @property
    def quantity_unit(self) -> str | None:
        """The unit the answer is a quantity in, as written in the bank (``"mV"``,
        ``"dimensionless"``); None when the answer is not a quantity (the default)."""
        return None

    def tolerates(self, value: float, reference: float) -> bool:
        """Whether the number ``value`` (in :attr:`quantity_unit`) is within the part's
        tolerance of ``reference`` (False for answers that are not quantities)."""
        return False

    @property
    def figures_asked(self) -> int | None:
        """The significant figures a quantity's answer is asked with (None: not a number)."""
        return None

    # -- parse, grade, describe ---------------------------------------------------------------
    def parse(self, part: Part, text: object, problem: Problem | None = None) -> Reading:
        """How ``text`` (the student's text, or any object a notebook hands in) reads for this
        part, nothing graded (never raises on the answer; ``problem``: the problem in every
        language). The reading's ``parsed`` is what :meth:`grade` judges."""
        return Reading("text", {"text": str(text).strip()}, parsed=text)

    def read(self, part: Part, text: str, problem: Problem | None = None) -> Reading:
        """:meth:`parse` (the name the read-back and the live preview call)."""
        return self.parse(part, text, problem)

    @abstractmethod
    def grade(self, part: Part, variant: Variant, reading: Reading) -> PartResult:
        """The verdict on a non-empty answer as :meth:`parse` read it (``reading.parsed``:
        what the kind judges, so nothing is read twice). An unreadable reading reaches it only
        when it carries a parsed value; the kind then says why, at no try unless something
        was read that is wrong whatever the variant."""

    def describe(self, result: PartResult) -> tuple[tuple[str, Mapping[str, Any]], ...]:
        """The catalog's (message id, parameters) that say ``result``, in order: its message,
        then each further sentence it adds (``also``), as :mod:`membranelab.messages.render`
        renders them at the ``full`` level (``membranelab check`` makes sure the catalog has
        each one for every example a kind writes)."""
        key = result.message_id or result.note
        params = dict(result.params)
        out: list[tuple[str, Mapping[str, Any]]] = [(key, params)] if key else []
        also = params.get("also", ())
        for extra in also if isinstance(also, (list, tuple)) else ():
            if isinstance(extra, Mapping):
                out.append((str(extra.get("msg", "")),
                            {k: v for k, v in extra.items() if k != "msg"}))
            else:
                out.append((str(extra), {}))
        return tuple(out)

    def examples(self, part: Part, variant: Variant) -> tuple[Example, ...]:
        """A right, a wrong and an unreadable answer to ``part`` in ``variant``: ``membranelab
        check`` grades them to prove the part works (none: the check warns)."""
        return ()

    # -- view ---------------------------------------------------------------------------------
    @property
    def options(self) -> tuple[str, ...]:
        """The choices a student picks from, listed under the prompt (none by default)."""
        return ()

    @property
    def display_unit(self) -> str | None:
        """The unit shown with the answer (None: no unit, or a pure number)."""
        return None

    @abstractmethod
    def how_to_answer(self, quote: str = '"', *, lang: str = "en") -> str:
        """How to write this part's answer, with examples between ``quote`` marks (never the
        answer itself)."""

    def prompt_note(self, lang: str = "en") -> str | None:
        """A short note after the prompt (the unit and figures asked for), or None."""
        return None

    def answer_label(self) -> tuple[str, dict[str, Any]]:
        """The catalog key and parameters of the label of a free-text answer box."""
        return "web.answer_text", {}

    def answer_view(self, part: Part, answer: Answer, lang: str = "en") -> AnswerView:
        """The reference ``answer`` as a view atom (a worked solution's answers)."""
        return TextView(answer.text)

    def placeholder(self, part: Part, answer: Answer, sigfigs: int | None = None) -> str:
        """What ``{{<part id>}}`` becomes in a text (``{{<part id>:4}}``: ``sigfigs`` 4)."""
        return answer.text

    # -- translation and self-checks ----------------------------------------------------------
    def translation(self, texts: Mapping[str, Any], fail: Callable[[str, str], Exception],
                    field: str) -> Any:
        """This kind's texts of a translation overlay's part (``texts``: its
        :attr:`overlay_fields` present), read (``fail(field, message)`` for malformed ones)."""
        return None

    def check_translation(self, translation: Any, fail: Callable[[str, str], Exception],
                          same: Callable[[str, str, str], None], field: str) -> None:
        """Raise ``fail(field, message)`` unless ``translation`` translates this kind's texts
        without changing them (``same(field, original, translated)`` compares two texts'
        placeholders and numbers). Nothing to check by default."""
        return None

    def localized(self, translation: Any) -> AnswerKind:
        """This kind with a translation's texts (:meth:`translation`'s value); kinds without
        texts of their own are unchanged."""
        return self

    def static_findings(self, part: Part) -> Iterable[KindFinding]:
        """What ``membranelab check`` reports about the part itself."""
        return ()

    def refusals(self, part: Part, problem: Problem) -> Iterable[KindFinding]:
        """What makes the part unsound in ``problem`` (its canonical variant): the loader
        refuses the file for the first (``field``, ``refusal``) and ``membranelab check``
        reports each as an error. Nothing by default."""
        return ()

    def variant_findings(self, part: Part, variant: Variant) -> Iterable[KindFinding]:
        """What ``membranelab check`` reports about the part in one variant."""
        return ()


class PlotKind(ABC):
    """One kind of figure of a worked solution (``sweep``, ``noise_trace``...): a frozen
    dataclass holding its fields of a ``figures:`` entry; ``name`` (the ``kind:`` value),
    ``fields`` (besides ``id``, ``kind`` and ``caption``), ``size`` in inches. A new kind is one
    module in :mod:`membranelab.bank.plots` (registered there)."""

    name: ClassVar[str]
    fields: ClassVar[frozenset[str]] = frozenset()
    size: ClassVar[tuple[float, float]] = (6, 4)

    @classmethod
    @abstractmethod
    def from_spec(cls, spec: Mapping[str, Any], ctx: PlotContext) -> PlotKind:
        """This kind's fields of a figure entry, checked."""

    @abstractmethod
    def data(self, variant: Variant, lang: str = "en") -> Any:
        """What ``variant``'s figure shows: its numbers and labels (in ``lang``), computed and
        not drawn (a frozen value of the kind's own; no matplotlib)."""

    @abstractmethod
    def draw(self, data: Any, figure: Any) -> None:
        """Draw ``data`` (from :meth:`data`) on ``figure`` (a ``matplotlib.figure.Figure``)."""


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
