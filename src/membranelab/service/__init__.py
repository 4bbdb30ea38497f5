"""The grading service: one grade of record below every front end.

Layers inside (each imports only those above it in this list)::

    errors      ServiceError (a catalog key + parameters)
    secret      the course secret and the student keys derived from it
    assignments course/assignments.yaml (which assignments, graded or not)
    ids         student ids as compared everywhere; reserved ids
    course      Course: graded assignments + the secret, read from a course folder
    numbers     whose numbers a request is graded against
    scoring     a part's scoring rules in its context, and what a try earns (the bank's policy)
    grading     GradeRequest -> Verdict (the result model and its serializers)

``fast_only`` / ``SlowPath`` (from :mod:`membranelab.grading.fastonly`): grade without any slow
step, or be told to grade again where waiting is allowed.

Front ends (``app`` commands, ``notebooks``, ``course``, ``web``) import this package and
never each other.
"""

from membranelab.grading.fastonly import SlowPath, fast_only, is_fast_only

from .course import NO_COURSE, Course
from .errors import ServiceError
from .grading import GradeRequest, GradingService, Verdict
from .ids import RESERVED_IDS, check_student, is_reserved, normalize_id
from .numbers import PRACTICE_ASSIGNMENT, numbers_for

__all__ = ["NO_COURSE", "PRACTICE_ASSIGNMENT", "RESERVED_IDS", "Course", "GradeRequest",
           "GradingService", "ServiceError", "SlowPath", "Verdict", "check_student",
           "fast_only", "is_fast_only", "is_reserved", "normalize_id", "numbers_for"]
