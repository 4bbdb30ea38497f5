"""The grading service: one request in, one :class:`Verdict` out, the same for every front end.

Front ends (``practice``, the notebooks, ``grade``, ``course``, ``serve`` and ``/api/grade``)
parse their own input into a :class:`GradeRequest`, call :meth:`GradingService.grade`, and
present the verdict through one of its serializers; none of them decides whose numbers a student
gets (:func:`.numbers.numbers_for`) or builds a sentence of its own (the message catalog, at the
request's language and feedback level).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from membranelab.messages import gettext, part_text

from .course import NO_COURSE, Course
from .errors import ServiceError
from .numbers import PRACTICE_ASSIGNMENT, numbers_for

if TYPE_CHECKING:
    from membranelab.bank import Bank, Problem, Variant
    from membranelab.grading.result import GradeResult, PartResult

__all__ = ["GradeRequest", "GradingService", "Verdict"]


@dataclass(frozen=True)
class GradeRequest:
    """One answer to grade: which part, whose, in which assignment, and how to say the verdict
    (``lang``; ``level``: full, named or score)."""

    problem: str
    part: str
    answer: object
    student: str | None = None
    assignment: str = PRACTICE_ASSIGNMENT
    lang: str = "en"
    level: str = "named"
    #: The student's own answers to the problem's other parts (part id -> text), so a part
    #: computed from an earlier one is also graded on the student's own earlier answer (error
    #: carried forward, :mod:`membranelab.bank.carry`).
    earlier: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Verdict:
    """The service's answer to a :class:`GradeRequest`: the result (what was read, the verdict,
    the message id and its parameters) and the part's points; the sentence is rendered on demand
    from the message id, so a report or a regrade never parses text."""

    request: GradeRequest
    result: PartResult
    points: float

    @property
    def score(self) -> float:
        """The credit in [0, 1]."""
        return float(self.result.score)

    @property
    def earned(self) -> float:
        """The points earned (credit times the part's points)."""
        return self.score * self.points

    @property
    def correct(self) -> bool:
        """True for a right answer."""
        return bool(self.result.correct)

    @property
    def note(self) -> str:
        """The machine-readable tag (``correct``, ``mistake.log10``, ``parse.error``...)."""
        return str(self.result.note)

    @property
    def message_id(self) -> str:
        """The catalog key of the feedback sentence."""
        return str(self.result.message_id or self.result.note)

    @property
    def counted(self) -> bool:
        """True when the answer was read and judged (an unreadable one costs no try)."""
        return bool(self.result.readable)

    def text(self, lang: str | None = None, level: str | None = None) -> str:
        """The feedback sentence (default: the request's language and level)."""
        return part_text(self.result, lang=lang or self.request.lang,
                         level=level or self.request.level)

    # -- serializers: one per output ----------------------------------------------------------
    def csv_fields(self) -> list[str]:
        """The grades file's result columns: score (points earned), points, correct, note,
        feedback (one line), expected."""
        from membranelab.grading.numformat import csv_number

        return [csv_number(self.earned), csv_number(self.points),
                "true" if self.correct else "false", self.note, " ".join(self.text().split()),
                str(self.result.expected)]

    def cell_text(self) -> str:
        """What a notebook's test cell prints: the sentence, then the points line."""
        from membranelab.grading.numformat import points_text

        return "\n".join((self.text(), gettext(
            "student.points_line", self.request.lang, part=self.request.part,
            earned=points_text(round(self.earned, 6)), points=points_text(self.points))))

    def web_fields(self) -> dict[str, Any]:
        """What a page's script shows (never the expected value)."""
        return {"part": self.request.part, "score": self.score, "correct": self.correct,
                "note": self.note, "message_id": self.message_id, "feedback": self.text(),
                "counted": self.counted}

    def to_json(self) -> dict[str, Any]:
        """The verdict as JSON data (never the expected value)."""
        r = self.request
        return {"problem": r.problem, "part": r.part, "student": r.student or "",
                "assignment": r.assignment, "score": self.score, "points": float(self.points),
                "correct": self.correct, "note": self.note, "message_id": self.message_id,
                "params": dict(self.result.params), "feedback": self.text(),
                "level": r.level, "lang": r.lang, "counted": self.counted}


class GradingService:
    """Grades answers against a bank, for one course context (:data:`NO_COURSE`: public)."""

    def __init__(self, bank: Bank, course: Course = NO_COURSE) -> None:
        self.bank = bank
        self.course = course

    def problem(self, problem_id: str) -> Problem:
        """The bank's problem, or ServiceError."""
        problem = self.bank.problems.get(problem_id)
        if problem is None:
            raise ServiceError("service.unknown_problem", problem=str(problem_id)[:80])
        return problem

    def numbers(self, problem: Problem, student: str | None,
                assignment: str = PRACTICE_ASSIGNMENT, *, lang: str | None = None) -> Variant:
        """Whose numbers (:func:`.numbers.numbers_for`) in this service's course."""
        return numbers_for(problem, student, assignment, self.course, lang=lang)

    def grade(self, request: GradeRequest) -> Verdict:
        """The verdict on one answer (ServiceError for an unknown problem or part, a reserved
        id or a graded assignment without its secret; never raises on the answer)."""
        from membranelab.bank import grade_part

        problem = self.problem(request.problem)
        part = next((p for p in problem.parts if p.id == request.part), None)
        if part is None:
            raise ServiceError("service.unknown_part", problem=problem.id,
                               part=str(request.part)[:80])
        variant = self.numbers(problem, request.student, request.assignment, lang=request.lang)
        earlier = {k: v for k, v in request.earlier.items() if k != part.id}
        result = grade_part(problem, variant, part, request.answer, earlier=earlier or None)
        return Verdict(request, result, float(part.points))

    def grade_problem(self, problem: Problem, student: str | None, assignment: str,
                      answers: Mapping[str, object]) -> GradeResult:
        """Every part of one problem for one student at once (a batch's group)."""
        from membranelab.bank import grade

        return grade(problem, self.numbers(problem, student, assignment), answers)
