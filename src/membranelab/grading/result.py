"""Grading results as frozen values: PartResult (one answer) and GradeResult (a problem).

Both round-trip through plain dicts and JSON.  A result carries a message id (``message_id``,
else ``note``) and JSON-safe ``params``; :func:`membranelab.messages.render_part` (re-exported
here) and :meth:`GradeResult.render` are the one place where results become sentences, in a
language and at a feedback level (see :mod:`membranelab.messages.render`).  ``feedback`` keeps the English text at the
``full`` level for readers of older output (filled in from the catalog when not given).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from membranelab.messages import part_text, render_message, render_part

from .numformat import points_text

__all__ = ["ANSWER_ECHO_LENGTH", "NEEDS_REVIEW", "GradeResult", "PartResult", "json_safe",
           "render_part"]

#: Characters of the student's answer a result keeps (``PartResult.answer``; longer is cut).
ANSWER_ECHO_LENGTH = 200

#: Note of an answer that could not be decided within the grading budget: score 0, listed for
#: the teacher to review (never silently wrong).
NEEDS_REVIEW = "needs_review"


def _check_fraction(name: str, value: float) -> None:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")


def json_safe(value: Any, where: str = "params") -> Any:
    """``value`` as plain JSON data (tuples become lists); ``ValueError`` naming ``where`` for
    anything else (objects, non-finite floats, non-text keys)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where}: {value!r} is not a finite number")
        return value
    if isinstance(value, (list, tuple)):
        return [json_safe(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise ValueError(f"{where}: keys must be text")
        return {key: json_safe(item, f"{where}.{key}") for key, item in value.items()}
    raise ValueError(f"{where}: {type(value).__name__} is not JSON data")


@dataclass(frozen=True)
class PartResult:
    """The verdict on one answer.

    ``score`` is the credit in [0, 1]; ``note`` is a stable machine-readable tag (``correct``,
    ``units.missing``, ``mistake.log10``...); ``feedback`` is the English sentence at the
    ``full`` level (derived from ``message_id``/``note`` and ``params`` when left empty);
    ``expected`` the display string of the right answer (shown only when asked); ``weight``
    the part's weight in a :class:`GradeResult`; ``notes`` further tags (first one = ``note``);
    ``params`` the message's named parameters (JSON data); ``message_id`` the catalog key of
    the message (often ``note`` itself; finer where several sentences share a note such as
    ``parse.error``; empty for a result made with a sentence only); ``readable`` is False
    when the answer could not be read (parse error, unknown unit...): such an answer is not a
    real try and callers that count tries do not count it.  ``reading`` is what was read, as
    data (a number: ``value`` in the part's ``unit``, the ``figures`` written and the
    ``student_unit`` as typed; a choice: ``choice``; a formula: ``formula``), so a read-back, a
    report or a regrade never parses a sentence.
    """

    correct: bool
    score: float
    feedback: str
    note: str
    expected: str = ""
    part_id: str = ""
    weight: float = 1.0
    answer: str = ""
    notes: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    message_id: str = ""
    readable: bool = True
    reading: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        _check_fraction("PartResult.score", self.score)
        if not (isinstance(self.weight, (int, float)) and math.isfinite(self.weight)
                and self.weight >= 0):
            raise ValueError(f"PartResult.weight must be a finite number >= 0, got {self.weight!r}")
        if self.correct and self.score == 0:
            raise ValueError("PartResult: a correct answer cannot have score 0")
        object.__setattr__(self, "notes", tuple(self.notes) or (self.note,))
        object.__setattr__(self, "answer", str(self.answer)[:ANSWER_ECHO_LENGTH])
        object.__setattr__(self, "params", json_safe(dict(self.params)))
        object.__setattr__(self, "reading", json_safe(dict(self.reading), "reading"))
        if not self.feedback and self.message_id:
            object.__setattr__(self, "feedback", part_text(self))

    def with_part(self, part_id: str, weight: float = 1.0) -> PartResult:
        """The same verdict labelled with a part id and weight."""
        return replace(self, part_id=part_id, weight=weight)

    def render(self, *, lang: str = "en", level: str = "full",
               show_expected: bool = False) -> str:
        """The student's sentence for this part (see :func:`render_part`)."""
        return render_part(self, lang=lang, level=level, show_expected=show_expected)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        return {
            "correct": self.correct,
            "score": self.score,
            "feedback": self.feedback,
            "note": self.note,
            "expected": self.expected,
            "part_id": self.part_id,
            "weight": self.weight,
            "answer": self.answer,
            "notes": list(self.notes),
            "params": dict(self.params),
            "message_id": self.message_id,
            "readable": self.readable,
            "reading": dict(self.reading),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PartResult:
        """Rebuild from :meth:`to_dict` output; unknown keys raise ``ValueError``."""
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"PartResult.from_dict: unknown keys {sorted(unknown)}")
        values = dict(data)
        values["notes"] = tuple(values.get("notes", ()))
        return cls(**values)


@dataclass(frozen=True)
class GradeResult:
    """The verdict on a multi-part answer: weighted sum of the parts' scores."""

    parts: tuple[PartResult, ...]
    problem_id: str = ""
    variant: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        parts = tuple(self.parts)
        for part in parts:
            if not isinstance(part, PartResult):
                raise ValueError(f"GradeResult.parts must hold PartResult, got {type(part).__name__}")
        object.__setattr__(self, "parts", parts)
        object.__setattr__(self, "metadata", dict(self.metadata))

    @classmethod
    def from_parts(cls, parts: Iterable[PartResult], **kwargs: Any) -> GradeResult:
        """Build from any iterable of parts."""
        return cls(tuple(parts), **kwargs)

    @property
    def score(self) -> float:
        """Weighted credit earned: sum of score × weight."""
        return sum(part.score * part.weight for part in self.parts)

    @property
    def max_score(self) -> float:
        """Weighted credit available: sum of weights."""
        return sum(part.weight for part in self.parts)

    @property
    def fraction(self) -> float:
        """score / max_score (0 when there is nothing to score)."""
        return self.score / self.max_score if self.max_score else 0.0

    @property
    def correct(self) -> bool:
        """True when every part is correct."""
        return all(part.correct for part in self.parts)

    @property
    def feedback(self) -> str:
        """The student's text without expected values."""
        return self.render()

    def part(self, part_id: str) -> PartResult:
        """The part with this id (``KeyError`` naming the id and the known ids)."""
        for part in self.parts:
            if part.part_id == part_id:
                return part
        raise KeyError(f"no part {part_id!r}; parts are {[p.part_id for p in self.parts]}")

    def render(self, *, lang: str = "en", level: str = "full",
               show_expected: bool = False) -> str:
        """Every part's sentence, one per line, then the total score."""
        lines = [render_part(part, lang=lang, level=level, show_expected=show_expected)
                 for part in self.parts]
        lines.append(render_message("result.score", {"score": points_text(self.score),
                                                     "max_score": points_text(self.max_score)},
                                    lang=lang))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (scores included for readers; they are recomputed on load)."""
        return {
            "problem_id": self.problem_id,
            "variant": self.variant,
            "metadata": dict(self.metadata),
            "score": self.score,
            "max_score": self.max_score,
            "parts": [part.to_dict() for part in self.parts],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GradeResult:
        """Rebuild from :meth:`to_dict` output."""
        return cls(
            tuple(PartResult.from_dict(part) for part in data.get("parts", ())),
            problem_id=str(data.get("problem_id", "")),
            variant=str(data.get("variant", "")),
            metadata=dict(data.get("metadata", {})),
        )

    def to_json(self, **kwargs: Any) -> str:
        """JSON text of :meth:`to_dict` (non-ASCII kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_json(cls, text: str) -> GradeResult:
        """Rebuild from :meth:`to_json` output."""
        return cls.from_dict(json.loads(text))
