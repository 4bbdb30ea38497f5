"""The protocols of the kinds a part and a figure hold: :class:`AnswerKind` (``numeric``,
``symbolic``, ``choice``...) and :class:`PlotKind` (``sweep``, ``noise_trace``...).

What a kind must do, apart from the problems' data it works on (:mod:`membranelab.bank.model`:
Part, Figure, Problem, Variant, which hold kinds and re-export these two names).  The model
stands above this module, so the part, variant and problem a kind's phases receive are named
here by the aliases :data:`Part`, :data:`Variant` and :data:`Problem` (typed ``Any`` here);
each kind's own module imports the model's classes for its signatures.  A new kind is one
module in :mod:`membranelab.bank.kinds` or :mod:`membranelab.bank.plots`, registered there.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from .phases import Example, KindFinding, PlotContext, Reading, SpecContext
from .values import Answer
from .view import AnswerView, TextView

if TYPE_CHECKING:
    from membranelab.grading import PartResult

__all__ = ["AnswerKind", "Part", "PlotKind", "Problem", "Variant"]

#: A part of a problem (:class:`membranelab.bank.model.Part`).
Part = Any
#: A variant of a problem (:class:`membranelab.bank.model.Variant`).
Variant = Any
#: A problem (:class:`membranelab.bank.model.Problem`).
Problem = Any


class AnswerKind(ABC):
    """One kind of answer (``numeric``, ``symbolic``, ``choice``...): a frozen dataclass holding
    the kind's fields of a part, bringing everything the package needs to know about it, in
    phases as PrairieLearn's elements do (:mod:`membranelab.bank.phases`):

    * **spec** -- :meth:`from_spec` checks the part's fields in a problem file;
    * **reference** -- :meth:`reference` answer of a variant (and :meth:`mistake_values`,
      :meth:`rounding_width`, :meth:`named_mistakes`: the kind's named mistakes and rounding
      carried; :attr:`value_name`, :attr:`quantity_unit`, :attr:`figures_asked`,
      :meth:`tolerates`: the value a computed answer is, its unit, figures and tolerance,
      None or False for other answers);
    * **parse** -- :meth:`parse` a student's text into a :class:`~.phases.Reading` (text ->
      reading: what :func:`membranelab.bank.grade_part` grades, once per answer, and what the
      graded notebook's read-back and the browser's live preview show, through :meth:`read`,
      which adds what only a person reads: :meth:`shown`);
    * **grade** -- :meth:`grade` a reading (reading -> result; :func:`membranelab.bank.grade_part`
      handles missing answers, unreadable readings with nothing parsed, and internal failures
      for every kind);
    * **describe** -- :meth:`describe` a result as the catalog's message ids and parameters;
    * **examples** -- :meth:`examples`: a right, a wrong and an unreadable answer, which
      ``membranelab check`` grades; :meth:`static_findings`, :meth:`variant_findings`, and
      :meth:`refusals` (what the loader refuses, e.g. a named mistake that cannot apply);
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
        """:meth:`parse`, with what a person reads of it completed (:meth:`shown`): what the
        read-back and the live preview call."""
        return self.shown(part, self.parse(part, text, problem))

    def shown(self, part: Part, reading: Reading) -> Reading:
        """``reading`` with what only a person reads of it filled in (a formula typeset),
        which grading does without; unchanged by default."""
        return reading

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
