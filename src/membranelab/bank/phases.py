"""What the answer kinds' and plot kinds' phases take and give, as frozen values.

PrairieLearn's elements go through phases (prepare, parse, grade, test); the bank's kinds do too
(:class:`membranelab.bank.protocols.AnswerKind`):

* **spec** -- a kind checks its fields of a problem file with a :class:`SpecContext` (a plot
  kind with a :class:`PlotContext`);
* **parse** -- a student's text becomes a :class:`Reading` (what was read, or why nothing was);
* **grade** -- a reading becomes a :class:`~membranelab.grading.PartResult`;
* **describe** -- a result becomes the catalog's message ids and parameters;
* **examples** -- a right, a wrong and an unreadable :class:`Example` answer for a part, which
  ``membranelab check`` grades to prove the part works; self-checks give :class:`KindFinding`.

Nothing here knows a problem, a part or a variant: these values sit below the model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from membranelab.messages import render_message

from .values import Parameter

if TYPE_CHECKING:
    from membranelab.grading import PartResult

__all__ = ["EXPECTATIONS", "READING_FORMS", "Example", "KindFinding", "PlotContext", "Reading",
           "SpecContext"]

#: What an example answer must be graded: right (correct), wrong (read, not correct) or
#: unreadable (not read: no try).
EXPECTATIONS = ("right", "wrong", "unreadable")


@dataclass(frozen=True)
class Example:
    """An answer a kind writes for one of its parts in one variant (PrairieLearn's ``test()``
    phase), with the verdict it must get: ``expect`` is one of :data:`EXPECTATIONS`."""

    text: str
    expect: str

    def __post_init__(self) -> None:
        if self.expect not in EXPECTATIONS:
            raise ValueError(f"Example.expect must be one of {EXPECTATIONS}, got {self.expect!r}")

    def verdict(self, result: PartResult) -> str:
        """What ``result`` makes of this example: right, wrong or unreadable."""
        if not result.readable:
            return "unreadable"
        return "right" if result.correct else "wrong"


@dataclass(frozen=True)
class SpecContext:
    """What a kind's spec parser may use: ``checker`` (the file's
    :class:`~membranelab.bank.schema.Checker`: ``fail``, ``text``, ``number``, ``unit``,
    ``mapping``, ``keys``, ``expr``), the part's ``field`` (``parts[2]``) and ``part_id``, the
    names ``known`` so far (parameters, constants, derived values), and ``derive(spec)``, which
    checks a ``solver``/``expr`` written on the part itself, adds it as a derived value named
    after the part, and returns that name; ``dimensions`` maps each name checked so far to its
    pint dimension (:mod:`membranelab.bank.dimensions`)."""

    checker: Any
    field: str
    part_id: str
    known: frozenset[str]
    derive: Callable[[Mapping[str, Any]], str]
    dimensions: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class PlotContext:
    """What a plot's spec parser may use: the file's ``checker``, the figure's ``field``
    (``figures[0]``), the problem's ``params``, the names ``known`` (parameters, constants,
    derived values, numeric parts), ``check_args(value, field)``, which checks solver-style
    arguments (names, numbers, lists and mappings of them), and ``dimensions``, each checked
    name's pint dimension (:mod:`membranelab.bank.dimensions`)."""

    checker: Any
    field: str
    params: Mapping[str, Parameter]
    known: frozenset[str]
    check_args: Callable[[Any, str], None]
    dimensions: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class KindFinding:
    """One thing ``membranelab check`` reports about a part: ``check`` (a key of
    :data:`membranelab.bank.check.TEMPLATES`), its ``subject`` (a mistake, a choice...) and the
    template's named ``values``. A kind's :meth:`~membranelab.bank.protocols.AnswerKind.refusals`
    also give the part's ``field`` at fault and the loader's ``refusal`` (the author-facing
    sentence of its :class:`~membranelab.bank.errors.BankError`)."""

    check: str
    subject: str
    values: Mapping[str, Any] = field(default_factory=dict)
    field: str = ""
    refusal: str = ""


#: What a :class:`Reading` may say it read (besides ``unreadable``).
READING_FORMS = frozenset({"number", "number_converted", "number_bare", "number_pure", "choice",
                           "formula", "text"})


@dataclass(frozen=True)
class Reading:
    """How a student's answer to a part reads, without grading it (nothing expected is known):
    what the parse phase gives the grade phase, the live preview and the notebook's read-back.

    ``form`` says what was read: ``number`` (``value`` in ``unit``), ``number_converted`` (also
    ``written``), ``number_bare`` (no unit: read in ``unit``), ``number_pure``, ``choice``,
    ``formula``, ``text`` -- or ``unreadable``, with the grader's catalog ``key`` and
    ``params`` of the reason. ``tex`` is what was read, as LaTeX (as typed), ``detail`` a short
    gloss (a unit's name).

    ``parsed`` is what the grade phase judges, the kind's own value (the numeric kind's
    :class:`~membranelab.grading.reader.ParsedQuantity`, the symbolic kind's parsed formula, the
    choice kind's option picked), so an answer is read once.  An unreadable reading without one
    is graded by :func:`membranelab.bank.grade_part` itself: wrong, at no try, with the
    reading's message; a kind that keeps its parsed value with an unreadable reading grades it
    (the numeric kind: a refusal's result shows the expected value's form, and a number in a
    unit of another quantity reads as no value of the part yet is judged wrong at a try).
    """

    form: str
    values: Mapping[str, str] = field(default_factory=dict)
    tex: str = ""
    detail: str = ""
    key: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    parsed: Any = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        return self.form != "unreadable"

    def reason(self, lang: str = "en") -> str:
        """The reason an unreadable answer cannot be read, in ``lang``."""
        return render_message(self.key, dict(self.params), lang=lang) if self.key else ""

    @classmethod
    def refused(cls, key: str, params: Mapping[str, Any] | None = None, *,
                parsed: Any = None) -> Reading:
        return cls("unreadable", key=key, params=dict(params or {}), parsed=parsed)
