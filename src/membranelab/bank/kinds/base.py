"""The answer-kind protocol and its registry.

An answer kind is one frozen dataclass per kind of answer (``numeric``, ``symbolic``,
``choice``...), holding that kind's fields of a part and bringing everything the rest of the
package needs to know about it, as PrairieLearn's elements bring prepare/render/parse/grade:

* **spec parsing** -- :meth:`AnswerKind.from_spec` checks the part's fields in a problem file
  (every failure a :class:`~membranelab.bank.errors.BankError` naming file and field);
* **reference answer** -- :meth:`~AnswerKind.reference` for a variant;
* **grading** -- :meth:`~AnswerKind.grade` a non-empty answer (:func:`membranelab.bank.grade_part`
  handles missing answers and internal failures for every kind);
* **view data** -- :meth:`~AnswerKind.answer_view` (a :mod:`~membranelab.bank.view` atom),
  :meth:`~AnswerKind.prompt_note`, :attr:`~AnswerKind.options`, :meth:`~AnswerKind.how_to_answer`,
  :meth:`~AnswerKind.placeholder`;
* **reading without grading** -- :meth:`~AnswerKind.read` (the graded notebook's read-back and
  the browser's live preview);
* **translation** -- :meth:`~AnswerKind.localized` (a translation overlay's texts);
* **self-checks** -- :meth:`~AnswerKind.static_findings` and :meth:`~AnswerKind.variant_findings`
  for ``membranelab check``.

A new kind is one module defining a subclass decorated with :func:`register`; it is found by
the ``kind:`` field of a part. No module outside this package branches on a kind's name.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from membranelab.messages import render_message

from ..registry import Registry
from ..view import AnswerView, TextView

if TYPE_CHECKING:
    from membranelab.grading import PartResult

    from ..model import Answer, Part, Problem
    from ..variants import Variant

__all__ = ["EXPECTATIONS", "KINDS", "READING_FORMS", "AnswerKind", "Example", "KindFinding",
           "Reading", "SpecContext", "kind_class", "kind_names",
           "register", "unregister"]

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
class KindFinding:
    """One thing ``membranelab check`` reports about a part: ``check`` (a key of
    :data:`membranelab.bank.check.TEMPLATES`), its ``subject`` (a mistake, a choice...) and the
    template's named ``values``."""

    check: str
    subject: str
    values: Mapping[str, Any] = field(default_factory=dict)


#: What a :class:`Reading` may say it read (besides ``unreadable``).
READING_FORMS = frozenset({"number", "number_converted", "number_bare", "number_pure", "choice",
                           "formula", "text"})


@dataclass(frozen=True)
class Reading:
    """How a student's text to a part reads, without grading it (nothing expected is known).

    ``form`` says what was read: ``number`` (``value`` in ``unit``), ``number_converted`` (also
    ``written``), ``number_bare`` (no unit: read in ``unit``), ``number_pure``, ``choice``,
    ``formula``, ``text`` -- or ``unreadable``, with the grader's catalog ``key`` and
    ``params`` of the reason. ``tex`` is what was read, as LaTeX (as typed), ``detail`` a short
    gloss (a unit's name).
    """

    form: str
    values: Mapping[str, str] = field(default_factory=dict)
    tex: str = ""
    detail: str = ""
    key: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.form != "unreadable"

    def reason(self, lang: str = "en") -> str:
        """The reason an unreadable answer cannot be read, in ``lang``."""
        return render_message(self.key, dict(self.params), lang=lang) if self.key else ""

    @classmethod
    def refused(cls, key: str, params: Mapping[str, Any] | None = None) -> Reading:
        return cls("unreadable", key=key, params=dict(params or {}))


class AnswerKind(ABC):
    """One kind of answer (subclasses are frozen dataclasses holding the kind's part fields).

    Class attributes: ``name`` (the ``kind:`` value in problem files) and ``fields`` (the part
    fields the kind reads besides the common ``id``, ``kind``, ``prompt``, ``points``,
    ``hints``, ``hint_cost``). Attributes with defaults here are the capabilities other layers
    may ask any kind about.
    """

    name: ClassVar[str]
    fields: ClassVar[frozenset[str]] = frozenset()

    #: The answer's unit as written in the bank (``"mV"``, ``"dimensionless"``), None when the
    #: answer is not a quantity.
    unit: str | None = None
    #: Named mistakes the grader recomputes for this part (:mod:`membranelab.grading.feedback`).
    mistakes: tuple[str, ...] = ()
    #: The derived value the answer is (None when the answer is not computed).
    value: str | None = None
    #: Further accepted spellings of an option, and one sentence per wrong option saying why
    #: it is wrong (kinds with :attr:`options`).
    aliases: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    why: Mapping[str, str] = MappingProxyType({})

    # -- spec ---------------------------------------------------------------------------------
    @classmethod
    @abstractmethod
    def from_spec(cls, spec: Mapping[str, Any], ctx: SpecContext) -> AnswerKind:
        """This kind's fields of a part, checked (``ctx.checker.fail`` for every failure)."""

    # -- answers and grading ------------------------------------------------------------------
    @abstractmethod
    def reference(self, part: Part, variant: Variant) -> Answer:
        """The part's reference answer in ``variant``."""

    @abstractmethod
    def grade(self, part: Part, variant: Variant, answer: object) -> PartResult:
        """The verdict on a non-empty ``answer`` (the student's text or object)."""

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

    def read(self, part: Part, text: str, problem: Problem | None = None) -> Reading:
        """How ``text`` reads for this part (never raises on the text)."""
        return Reading("text", {"text": text.strip()})

    def examples(self, part: Part, variant: Variant) -> tuple[Example, ...]:
        """A right, a wrong and an unreadable answer to ``part`` in ``variant``: ``membranelab
        check`` grades them to prove the part works (none: the check warns)."""
        return ()

    # -- translation and self-checks ----------------------------------------------------------
    def localized(self, choices: Mapping[str, str], why: Mapping[str, str],
                  aliases: Mapping[str, tuple[str, ...]]) -> AnswerKind:
        """This kind with a translation overlay's texts (``choices``, ``why`` and ``aliases``
        keyed by the original option); kinds without texts of their own are unchanged."""
        return self

    def static_findings(self, part: Part) -> Iterable[KindFinding]:
        """What ``membranelab check`` reports about the part itself."""
        return ()

    def variant_findings(self, part: Part, variant: Variant) -> Iterable[KindFinding]:
        """What ``membranelab check`` reports about the part in one variant."""
        return ()


KINDS: Registry[type[AnswerKind]] = Registry("answer kind")
#: Class decorator: make a kind class the kind named by its ``name``.
register = KINDS.register
#: Forget a kind (tests and plug-ins that add one for a while).
unregister = KINDS.remove
#: The registered kinds' names, in registration order.
kind_names = KINDS.names
#: The kind registered under a name (None when there is none).
kind_class = KINDS.get
