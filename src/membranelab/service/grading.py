"""The grading service: one request in, one :class:`Verdict` out, the same for every front end.

Front ends (``practice``, the notebooks, ``grade``, ``course``, ``serve`` and ``/api/grade``)
parse their own input into a :class:`GradeRequest`, call :meth:`GradingService.grade`, and
present the verdict through one of its serializers; none of them decides whose numbers a student
gets (:func:`.numbers.numbers_for`), what a try earns (the scoring policy, :mod:`.scoring`: the
request says where the part stood, the verdict what the try earned and where it stands now) or
builds a sentence of its own (the message catalog, at the request's language and feedback level).
In a graded assignment, formulas are sampled at points drawn with a key derived from the course
secret (:func:`.secret.sampling_key`): the same on every grader holding it, unknown to students.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from membranelab.messages import gettext, part_text

from .course import NO_COURSE, Course
from .errors import ServiceError
from .ids import normalize_id
from .numbers import PRACTICE_ASSIGNMENT, numbers_for
from .scoring import Context, Stored, is_choice, rules_for, score_try
from .secret import sampling_key

if TYPE_CHECKING:
    from membranelab.bank import Bank, Part, Problem, Variant
    from membranelab.bank.scoring import Rules, Try
    from membranelab.grading.result import GradeResult, PartResult

__all__ = ["RULES_KEPT", "GradeRequest", "GradingService", "Verdict"]

#: How many parts' rules a :class:`GradingService` keeps layered.
RULES_KEPT = 4096


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
    #: Where the part stood before this answer, as the front end stored it (tries counted,
    #: best share, right); the default: a first try.
    stored: Stored = Stored()
    #: The student's earlier tries at this part, in order (answers as typed), for a front end
    #: that keeps the answers rather than a :class:`Stored` (``/api/grade``): graded first.
    previous: tuple[object, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """The service's answer to a :class:`GradeRequest`: the result (what was read, the verdict,
    the message id and its parameters) and the part's points; the sentence is rendered on demand
    from the message id, so a report or a regrade never parses text."""

    request: GradeRequest
    result: PartResult
    points: float
    #: What the try earned by the scoring policy and where the part stands after it (None: a
    #: verdict made outside the service, e.g. read back from a stored row: the result's own
    #: score, as recorded).
    tried: Try | None = None

    def __post_init__(self) -> None:
        if self.tried is None:
            from membranelab.bank.scoring import Credit, Try

            score, counted = float(self.result.score), bool(self.result.readable)
            object.__setattr__(self, "tried", Try(score, counted, Credit(
                score, int(counted), None, True, bool(self.result.correct))))

    @property
    def _try(self) -> Try:
        assert self.tried is not None  # set in __post_init__
        return self.tried

    @property
    def score(self) -> float:
        """The share of the part's points this try earns by the scoring policy, in [0, 1]
        (the grader's own score of the answer is ``result.score``)."""
        return float(self._try.earned)

    @property
    def earned(self) -> float:
        """The points this try earns (its credited share times the part's points)."""
        return self.score * self.points

    @property
    def best(self) -> float:
        """The part's credited share after this try: the best of its tries (0..1)."""
        return float(self._try.after.score)

    @property
    def tries(self) -> int:
        """Tries counted at the part with this one."""
        return int(self._try.after.tries)

    @property
    def tries_left(self) -> int | None:
        """Tries left on the part after this one (None: unlimited; 0 once closed)."""
        after = self._try.after
        return 0 if after.closed else after.tries_left

    @property
    def closed(self) -> bool:
        """True when no later try at the part can earn more."""
        return bool(self._try.after.closed)

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
                "level": r.level, "lang": r.lang, "counted": self.counted,
                "tries": self.tries, "tries_left": self.tries_left,
                "closed": self.closed}


class GradingService:
    """Grades answers against a bank, for one course context (:data:`NO_COURSE`: public);
    ``context``: the scoring layers above the problem files (a class file's; None: each
    assignment's own ``scoring:`` in the course's assignments file)."""

    def __init__(self, bank: Bank, course: Course = NO_COURSE,
                 context: Context | None = None) -> None:
        self.bank = bank
        self.course = course
        self.context = context
        #: rules already layered: (problem id, part, assignment, student with an extension or
        #: None) -> (the problem, its rules)
        self._rules: dict[tuple[str, str, str, str | None], tuple[Problem, Rules]] = {}

    def prepare(self) -> None:
        """Read now what grading would otherwise read from a file on its first answer (the
        installation's seed, which formulas are sampled with where the course has no secret),
        so a server's answers, graded on its event loop, do no file I/O."""
        from membranelab.grading.seeds import install_secret

        install_secret()

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

    # -- scoring ------------------------------------------------------------------------------
    def _context(self, assignment: str) -> Context:
        if self.context is not None:
            return self.context
        wanted = normalize_id(assignment)
        for entry in self.course.assignments:
            if normalize_id(entry.id) == wanted:
                return Context(layers=(entry.scoring,))
        return Context()

    def rules(self, problem: Problem, part_id: str, assignment: str = PRACTICE_ASSIGNMENT,
              student: str | None = None) -> Rules:
        """The scoring rules of one part in ``assignment`` for ``student`` (:mod:`.scoring`).

        Remembered per problem, part, assignment and (only where it has an extension) student:
        the bank, the course and the context are fixed for the service's life, and every
        answer and page asks for them (layering them costs about as much as grading a
        number).  At most :data:`RULES_KEPT` are kept (an assignment named in a request is
        anything the caller sends)."""
        context = self._context(assignment)
        who = student if student and student in context.extensions else None
        key = (problem.id, part_id, assignment, who)
        found = self._rules.get(key)
        if found is not None and found[0] is problem:
            return found[1]
        rules = rules_for(problem, part_id, context, student)
        if len(self._rules) >= RULES_KEPT:
            self._rules.clear()
        self._rules[key] = (problem, rules)
        return rules

    def _sampling(self, assignment: str) -> bytes | None:
        """The key formulas are sampled with: derived from the course secret in a graded
        assignment (where it is here), else None (this installation's)."""
        if self.course.secret is not None and self.course.is_graded(assignment):
            return sampling_key(self.course.secret)
        return None

    def verdict(self, request: GradeRequest, result: PartResult,
                problem: Problem | None = None) -> Verdict:
        """The verdict on ``result`` (a grader's result for ``request``'s part), scored by the
        policy from where the request says the part stood."""
        problem = problem or self.problem(request.problem)
        part = self._part(problem, request.part)
        rules = self.rules(problem, part.id, request.assignment, request.student)
        tried = score_try(result, request.stored, rules, choice=is_choice(part))
        return Verdict(request, result, float(part.points), tried)

    def _part(self, problem: Problem, part_id: str) -> Part:
        part = next((p for p in problem.parts if p.id == part_id), None)
        if part is None:
            raise ServiceError("service.unknown_part", problem=problem.id,
                               part=str(part_id)[:80])
        return part

    # -- grading ------------------------------------------------------------------------------
    def grade(self, request: GradeRequest) -> Verdict:
        """The verdict on one answer (ServiceError for an unknown problem or part, a reserved
        id or a graded assignment without its secret; never raises on the answer), scored by
        the policy after the request's earlier tries (``stored``, then ``previous``)."""
        from membranelab.bank import grade_part
        from membranelab.grading.seeds import sampling_secret

        problem = self.problem(request.problem)
        part = self._part(problem, request.part)
        variant = self.numbers(problem, request.student, request.assignment, lang=request.lang)
        rules = self.rules(problem, part.id, request.assignment, request.student)
        earlier = {k: v for k, v in request.earlier.items() if k != part.id} or None
        stored = request.stored
        with sampling_secret(self._sampling(request.assignment)):
            for answer in request.previous:
                before = grade_part(problem, variant, part, answer, earlier=earlier,
                                    carry_forward=rules.carry_forward)
                done = score_try(before, stored, rules, choice=is_choice(part))
                stored = Stored(done.after.tries, done.after.score, done.after.right)
            result = grade_part(problem, variant, part, request.answer, earlier=earlier,
                                carry_forward=rules.carry_forward)
        tried = score_try(result, stored, rules, choice=is_choice(part))
        return Verdict(request, result, float(part.points), tried)

    def grade_problem(self, problem: Problem, student: str | None, assignment: str,
                      answers: Mapping[str, object], *, variant: Variant | None = None
                      ) -> GradeResult:
        """Every part of one problem for one student at once (a batch's group; each part also
        graded on the student's earlier answers, at its rules' carried credit)."""
        from membranelab.bank import grade_part
        from membranelab.grading import GradeResult
        from membranelab.grading.seeds import sampling_secret

        if variant is None:
            variant = self.numbers(problem, student, assignment)
        parts = []
        with sampling_secret(self._sampling(assignment)):
            for index, part in enumerate(problem.parts):
                earlier = {p.id: answers[p.id] for p in problem.parts[:index]
                           if answers.get(p.id) is not None}
                rules = self.rules(problem, part.id, assignment, student)
                parts.append(grade_part(problem, variant, part, answers.get(part.id),
                                        earlier=earlier, carry_forward=rules.carry_forward))
        return GradeResult.from_parts(parts, problem_id=problem.id, variant=variant.key)
