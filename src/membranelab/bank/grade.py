"""Grading a student's answers to one variant: each part by its answer kind.

:func:`grade_part` handles what every kind shares -- a missing answer scores 0, and an internal
failure is logged with an incident id and scores 0 with a message naming it -- and leaves the
verdict on a given answer to the part's :class:`~membranelab.bank.kinds.AnswerKind`, in two
phases as PrairieLearn's elements have them: the kind's ``parse`` reads the answer once into a
:class:`~.phases.Reading`, and its ``grade`` judges that reading (numeric parts with
``judge_quantity`` and their named mistakes recomputed, symbolic parts with ``check_formula``,
choice parts with ``check_choice``; see :mod:`membranelab.bank.kinds`).  An unreadable reading
that carries nothing for the kind to judge is wrong at no try, with its reason.  Nothing a
student writes makes :func:`grade` raise.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from membranelab.grading import GradeResult, PartResult
from membranelab.incident import record_incident

from .carry import carried
from .model import Part, Problem, Variant
from .phases import Reading
from .scoring import problem_rules

__all__ = ["grade", "grade_part", "unreadable"]

_log = logging.getLogger(__name__)


def grade_part(problem: Problem, variant: Variant, part: Part, answer: object, *,
               earlier: Mapping[str, object] | None = None,
               carry_forward: float | None = None) -> PartResult:
    """The verdict on one part's answer (0 for a missing answer, never raises on the answer).

    The part is graded as the student saw it: in the variant's language (a choice's texts).
    ``earlier`` (part id -> the student's answer to an earlier part: text, or the number read
    in that part's unit): an answer that is not right but is right given those earlier answers
    earns ``carry_forward`` credit (None: the problem's rule, :mod:`.scoring`; default 1) with
    note ``carried`` naming the earlier parts (:mod:`.carry`)."""
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return PartResult(False, 0.0, "", "missing", part_id=part.id, weight=part.points,
                          params={"part": part.id}, message_id="answer.missing_part",
                          readable=False)
    credit = (problem_rules(problem).part(part.id).carry_forward if carry_forward is None
              else carry_forward)
    if isinstance(credit, bool) or not isinstance(credit, (int, float)) \
            or not 0.0 <= credit <= 1.0:
        raise ValueError(f"carry_forward must be a number in [0, 1], got {carry_forward!r}")
    try:
        shown = variant.problem.part(part.id) if variant.problem is not problem else part
        kind = shown.answer_kind
        reading = kind.parse(part, answer, variant.problem)
        if reading.ok or reading.parsed is not None:
            result = kind.grade(part, variant, reading)
        else:
            result = unreadable(part, answer, reading)
        if earlier and not result.correct and result.readable:
            result = carried(problem, variant, part, answer, earlier, credit=float(credit),
                             expected=result.expected, parsed=reading.parsed) or result
        return result
    except Exception:  # noqa: BLE001 - a grading bug must not lose the other parts' marks
        incident = record_incident(_log, "grading part %s of %s (variant %s), answer %.200r",
                                   part.id, problem.id, variant.key, answer)
        return PartResult(False, 0.0, "", "error.internal", part_id=part.id, weight=part.points,
                          answer=str(answer), params={"incident": incident},
                          message_id="error.internal", readable=False)


def unreadable(part: Part, answer: object, reading: Reading) -> PartResult:
    """The verdict on an answer that cannot be read: wrong, at no try (``readable`` False),
    with the reading's reason."""
    return PartResult(False, 0.0, "", reading.key, part_id=part.id, weight=part.points,
                      answer=str(answer), params=dict(reading.params),
                      message_id=reading.key, readable=False)


def grade(problem: Problem, variant: Variant, answers: Mapping[str, object], *,
          carry_forward: float | None = None) -> GradeResult:
    """Grade ``answers`` (part id -> the student's text) for ``variant`` of ``problem``.

    Parts without an answer score 0; answers for unknown part ids are ignored. Each part is
    also graded on the student's own earlier answers (error carried forward, credit
    ``carry_forward``; None: the problem's rule, default 1).
    """
    if variant.problem is not problem and variant.problem.id != problem.id:
        raise ValueError(f"variant of {variant.problem.id!r} given for problem {problem.id!r}")
    if not isinstance(answers, Mapping):
        answers = {}
    parts = []
    for i, part in enumerate(problem.parts):
        earlier = {p.id: answers[p.id] for p in problem.parts[:i] if answers.get(p.id) is not None}
        parts.append(grade_part(problem, variant, part, answers.get(part.id), earlier=earlier,
                                carry_forward=carry_forward))
    return GradeResult.from_parts(parts, problem_id=problem.id, variant=variant.key)
