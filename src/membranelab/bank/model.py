"""The bank's values: Parameter, Derived, Part, Figure, Problem, Answer (frozen dataclasses).

A :class:`Problem` is what one file of ``problems/`` (plus its worked solution in ``solutions/``)
holds once loaded and checked by :mod:`membranelab.bank.load`. Sampling and evaluation live in
:mod:`membranelab.bank.variants`; :meth:`Problem.variant` is the entry point.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from membranelab.grading.numformat import param_text
from membranelab.physics.units import to_si

from .expr import Expr

if TYPE_CHECKING:
    from .kinds import AnswerKind
    from .plots import PlotKind
    from .variants import Variant

#: Variants each Problem keeps (most recently used first out); a class of students fits easily.
VARIANT_CACHE_SIZE = 4096

#: Share of a part's points each revealed hint costs in graded contexts unless the part sets
#: ``hint_cost`` (problems/README.md, "Hints").
DEFAULT_HINT_COST = 0.1

#: Teaching position of a problem without ``order`` (after every ordered one).
UNORDERED = 10_000

__all__ = ["Parameter", "Derived", "Part", "Figure", "Problem", "Answer", "Choice",
           "DEFAULT_HINT_COST", "UNORDERED"]


@dataclass(frozen=True)
class Parameter:
    """One parameter of a problem, in its display ``unit``.

    Either a grid ``low, low + step, ..., high`` or a list of ``choices`` (a fixed value is a single
    choice). ``canonical`` is the source document's value. ``integer`` values display without a
    decimal point.
    """

    name: str
    unit: str
    canonical: float
    values: tuple[float, ...]
    integer: bool = False
    label: str = ""

    def to_si(self, value: float) -> float:
        """``value`` (in :attr:`unit`) in SI."""
        return to_si(value, self.unit)

    def display(self, value: float) -> str:
        """``value`` as the statement prints it (no unit)."""
        return param_text(value, self.integer)


@dataclass(frozen=True)
class Derived:
    """A named intermediate value: a solver call (``solver`` + ``args``) or an ``expr``.

    ``args`` values are names (of parameters or earlier derived values), numbers (SI), or lists and
    dicts of these. ``unit`` is only the display unit of ``{{name}}`` in templates (SI otherwise).
    """

    name: str
    solver: str | None = None
    args: Mapping[str, Any] = field(default_factory=dict)
    expr: Expr | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Choice:
    """The answer of a choice part: ``then`` when ``condition`` holds, else ``otherwise``.

    A literal answer is a Choice without a condition (``then`` is the answer).
    """

    then: str
    condition: Expr | None = None
    otherwise: str | None = None

    def pick(self, env: Mapping[str, float]) -> str:
        """The right choice for the values ``env`` (SI)."""
        if self.condition is None or self.condition.evaluate(env):
            return self.then
        return self.otherwise or ""


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


@dataclass(frozen=True)
class Answer:
    """A part's reference answer: ``kind`` its part's kind name, ``value`` in ``unit`` (None
    unless the answer is a quantity), ``si`` the same in SI, ``text`` what a student would write
    (number, formula or choice)."""

    part_id: str
    kind: str
    value: float | None
    unit: str | None
    si: float | None
    text: str

    @property
    def number(self) -> float:
        """``value`` of a quantity answer (ValueError for an answer of another kind)."""
        if self.value is None:
            raise ValueError(f"part {self.part_id}: a {self.kind} answer has no value")
        return self.value


def _make_variant(problem: Problem, student: str, assignment: str, key: bytes | None) -> Any:
    """A new variant (imported on a miss only: variants imports this module)."""
    from .variants import make_variant

    return make_variant(problem, student, assignment, key=key)


class _VariantCache:
    """A problem's most recently used variants, safe to share between threads.

    One lock guards the map; a missing variant is built outside it (two threads may build the
    same one: it is deterministic, the first stored wins and both get that one), so threads
    asking for different students never wait for each other's arithmetic.
    """

    def __init__(self, size: int | None = None) -> None:
        self.size = VARIANT_CACHE_SIZE if size is None else size
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The cached value of ``key``, or ``make()`` stored under it (least recent out)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        made = make()
        with self._lock:
            value = self._items.setdefault(key, made)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


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
    choice_invariants: tuple[Any, ...] = ()  # membranelab.bank.choice_invariants.ChoiceInvariant
    lang: str = "en"
    original: Problem | None = field(default=None, repr=False)
    #: the file's ``scoring:`` rules (a :class:`~membranelab.bank.scoring.Layer`; None: none)
    scoring: Any = None
    _variants: _VariantCache = field(default_factory=_VariantCache, init=False, repr=False,
                                     compare=False)

    @property
    def seed_key(self) -> str:
        """What the variant seed hashes for this problem: its ``uid`` (stable across renames;
        today's problems use their first id as uid, so released numbers stay)."""
        return self.uid or self.id

    def localized(self, lang: str | None) -> Problem:
        """This problem with its text in ``lang`` (``"en"``/None: the original; see
        :mod:`membranelab.bank.i18n`); numbers, answers and ids are the original's."""
        from .i18n import localize

        return localize(self, lang)

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
                                  lambda: _make_variant(self, student, assignment, key))

    def __repr__(self) -> str:
        return f"Problem({self.id!r}, {len(self.parts)} parts)"

