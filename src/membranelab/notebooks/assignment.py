"""What a student's notebook calls: who am I, show my numbers, check my answer.

The student id decides the numbers (the variant) of every problem.  It is, in order:

1. ``MEMBRANELAB_STUDENT`` -- set by :func:`set_student`, and by the autograder itself (see
   :mod:`membranelab.nbgrader_ext`) from the folder the submission was filed under, so when grading
   it always wins over anything a student's cell set;
2. ``JUPYTERHUB_USER`` -- the hub user name, on JupyterHub;
3. nothing: no numbers are shown and :func:`check` gives no credit, asking for
   ``set_student("<id>")`` in a cell above.  The operating-system login is never used.

Nothing here raises on a student's answer: :func:`check` turns any failure into zero points and a
message, because one broken part must not stop the grading of the others.  There is deliberately
no function returning expected answers.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from membranelab.incident import enable_incident_log, internal_error, record_incident
from membranelab.messages import gettext

if TYPE_CHECKING:
    from membranelab.bank import Bank
    from membranelab.grading.result import PartResult

__all__ = ["answer_in", "check", "current_student", "read_back", "set_student", "show_part",
           "show_variant"]

ENV_VAR = "MEMBRANELAB_STUDENT"
HUB_VAR = "JUPYTERHUB_USER"
#: Feedback level set by the grader (nbgrader_config.py, through the injected cells); it wins
#: over the level written in the test cell.
FEEDBACK_VAR = "MEMBRANELAB_FEEDBACK"
#: The level of check() when neither the grader nor the test cell sets one.
DEFAULT_FEEDBACK = "named"

#: The catalog key of the message shown while no student id is set.
NO_ID_MESSAGE = "student.no_id"

#: The catalog key of the line reporting that a statement or prompt could not be shown.
SHOW_FAILED_MESSAGE = "student.show_failed"
#: An answer object whose text cannot be read (its ``__str__`` raised).
UNREADABLE_MESSAGE = "student.unreadable"

_log = logging.getLogger(__name__)


def current_student() -> str | None:
    """The student id in force: ``MEMBRANELAB_STUDENT``, else ``JUPYTERHUB_USER``, else None."""
    for name in (ENV_VAR, HUB_VAR):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def set_student(student_id: str) -> None:
    """Use ``student_id`` for the numbers in this notebook (the id your submission is filed under)."""
    if not isinstance(student_id, str) or not student_id.strip():
        raise ValueError(f"set_student needs a non-empty text id, got {student_id!r}")
    os.environ[ENV_VAR] = student_id.strip()
    print(f"membranelab: student id set to {student_id.strip()!r}.")


def _bank() -> Bank:
    # Not cached here: the bank caches itself while its files are unchanged, and a cache in this
    # module could be filled by a student's cell before the grader's id and bank are in force.
    from membranelab.bank import load_bank

    return load_bank()


#: Graded course: no kernel holds a key, so no verdict and no keyed variant here.
NO_KEY = object()
#: Graded course, student side: the catalog key for an id not on the released roster.
NOT_ROSTERED_MESSAGE = "student.not_rostered"


def _variant(assignment: str, problem_id: str, student: str, graded: bool = False,
             lang: str = "en"):
    """(problem, variant); in a graded course (problem, :data:`NO_KEY`): no kernel, the
    student's or the teacher's, computes a keyed variant (``membranelab course grade`` grades
    graded work outside every kernel)."""
    problem = _bank().problems[problem_id]
    if graded:
        return problem, NO_KEY
    return problem, problem.variant(student=student, assignment=assignment, lang=lang)


def _released(assignment: str, problem_id: str, student: str) -> dict | None:
    """This student's released numbers for a problem (graded course, student side)."""
    from membranelab.service.released import released_numbers

    entry = released_numbers(assignment, student)
    return None if entry is None else entry.get(problem_id)


def _student_numbers(assignment: str, problem_id: str, student: str, graded: bool, lang: str
                     ) -> tuple[Any, Any, dict | None] | None:
    """(problem, variant, released numbers) of ``student``: the variant when this kernel can
    compute it, else (graded course, no key) the numbers released with the notebook; None after
    saying so when the student has none (not on the roster)."""
    problem, variant = _variant(assignment, problem_id, student, graded, lang)
    if variant is not NO_KEY:
        return problem, variant, None
    released = _released(assignment, problem_id, student)
    if released is None:
        print(gettext(NOT_ROSTERED_MESSAGE, lang, student=repr(student),
                      assignment=repr(assignment)))
        return None
    return problem, variant, released


def _show(assignment: str, problem_id: str, graded: bool, lang: str, what: str,
          text_of: Callable[[Any, Any, dict | None], str], *, heading: bool = False) -> None:
    """Display the Markdown ``text_of(problem, variant, released)`` for the current student
    (``heading``: after the line naming whose numbers they are); the missing-id, not-on-roster
    and internal-failure lines otherwise, each in ``lang``."""
    student = current_student()
    if student is None:
        print(gettext(NO_ID_MESSAGE, lang))
        return
    try:
        found = _student_numbers(assignment, problem_id, student, graded, lang)
        if found is None:
            return
        text = text_of(*found)
    except Exception:  # noqa: BLE001 - a display failure must not look like the student's fault
        _report_show_failure(lang, what, assignment, student)
        return
    if heading:
        print(gettext("student.numbers_for", lang, student=repr(student),
                      assignment=repr(assignment)))
    _display_markdown(text)


def show_variant(assignment: str, problem_id: str, graded: bool = False, *,
                 lang: str = "en") -> None:
    """Display the statement of ``problem_id`` with the current student's numbers (``graded``:
    in a graded course, from the numbers released with the notebook), in ``lang`` (the course's
    language: a generated notebook passes it)."""
    def statement(problem: Any, variant: Any, released: dict | None) -> str:
        from membranelab.bank.render import build, get_format

        if released is not None:
            return released["statement"]
        # the notebook has its own heading
        return get_format("markdown").statement(build(variant), title=False)

    _show(assignment, problem_id, graded, lang, problem_id, statement, heading=True)


def _report_show_failure(lang: str, what: str, assignment: str, student: str) -> None:
    """Log the failure being handled as an incident and print the catalog's line quoting it."""
    enable_incident_log()
    incident = record_incident(_log, "showing %s (%s) for %r", what, assignment, student)
    print(gettext(SHOW_FAILED_MESSAGE, lang, what=what,
                  message=internal_error(incident, lang)))


def _display_markdown(text: str) -> None:
    """Rendered Markdown in Jupyter (and in nbgrader's feedback), plain text elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(Markdown(text))
    else:
        print(text)


def show_part(assignment: str, problem_id: str, part_id: str, graded: bool = False, *,
              lang: str = "en") -> None:
    """Display one part's prompt with the current student's numbers (its ``{{placeholders}}``
    filled), as the notebook's prompt for that part, in ``lang``."""
    def prompt(problem: Any, variant: Any, released: dict | None) -> str:
        from dataclasses import replace

        from membranelab.bank.render import build
        from membranelab.bank.render.formats.notebook import graded_prompt

        if released is not None:  # a graded course without the key: the released numbers
            shown = replace(build(problem.variant("canonical"), lang).part(part_id),
                            prompt=released["prompts"][part_id])
        else:
            shown = build(variant, lang).part(part_id)
        return graded_prompt(shown, lang)

    _show(assignment, problem_id, graded, lang, f"{problem_id}/{part_id}", prompt)


def _last_input(namespace: dict, marker: str) -> str | None:
    """The most recent cell input (IPython's ``In``) with a line starting with ``marker``."""
    inputs = namespace.get("In")
    if not isinstance(inputs, list):
        return None
    for source in reversed(inputs):
        if isinstance(source, str) and any(line.startswith(marker)
                                           for line in source.splitlines()):
            return source
    return None


def answer_in(namespace: dict, variable: str, name: str | None = None,
              marker: str | None = None) -> Any:
    """A part's answer: what its answer cell assigned last to the pre-filled ``variable`` or to
    the prompt's own ``name`` (e.g. ``p4_E_K`` or ``E_K``).

    The answer cell is the most recent input (IPython's ``In``) with a line starting with
    ``marker``; its text is read statically with the audit's rule
    (:func:`membranelab.service.cells.assigned`): a literal gives its text, an expression the
    value the cell left in ``namespace``.  Without that cell, ``namespace[variable]``.
    """
    value = namespace.get(variable)
    if not name or name == variable or not marker:
        return value
    source = _last_input(namespace, marker)
    if source is None:
        return value
    from membranelab.service.cells import assigned

    found = assigned(source, (variable, name))
    if found.kind == "literal":
        return found.text
    if found.kind == "computed":
        return namespace.get(found.name)
    return value


def _level(feedback: Any) -> str:
    """The feedback level in force: the grader's (``MEMBRANELAB_FEEDBACK``), else the test
    cell's, else ``named``; anything unknown counts as ``named``."""
    from membranelab.messages import FEEDBACK_LEVELS

    for value in (os.environ.get(FEEDBACK_VAR, "").strip(), feedback):
        if isinstance(value, str) and value in FEEDBACK_LEVELS:
            return value
    return DEFAULT_FEEDBACK


class UnreadableAnswer(ValueError):
    """A student's answer object whose ``__str__`` raised (recorded as an incident)."""


def _answer_text(answer: Any) -> str | None:
    """The answer as the text the grader reads, or None when there is none;
    :class:`UnreadableAnswer` when the object's own ``__str__`` raises."""
    if answer is None:
        return None
    if isinstance(answer, bool):
        return str(answer)
    if isinstance(answer, (int, float)) and type(answer) in (int, float):
        return repr(answer)
    if type(answer) is str:
        return answer
    try:
        return str(answer)  # other objects: their text
    except Exception:  # noqa: BLE001 - student code may raise anything; the trace helps
        enable_incident_log()
        incident = record_incident(_log, "an answer of type %s cannot be turned into text",
                                   type(answer).__name__)
        raise UnreadableAnswer(incident) from None


def _render(result: PartResult, level: str, lang: str = "en") -> str:
    """The student's text for a part's result at the feedback ``level``, in ``lang`` (the
    course's language, passed by the generated notebook)."""
    from membranelab.messages import render_part

    return render_part(result, lang=lang, level=level)


def _grade(assignment: str, problem_id: str, part_id: str, answer: Any,
           points: float | None, level: str = DEFAULT_FEEDBACK, graded: bool = False,
           lang: str = "en") -> tuple[float, float, str]:
    """(fraction in [0, 1], part points, message); may raise inside the grader (check() catches)."""
    student = current_student()
    if student is None:
        return 0.0, points or 0.0, gettext(NO_ID_MESSAGE, lang)
    try:
        problem, variant = _variant(assignment, problem_id, student, graded, lang)
        part = problem.part(part_id)
        if points is None:
            points = float(part.points)
    except Exception:  # noqa: BLE001 - the course or the bank is broken, not the answer
        enable_incident_log()
        incident = record_incident(_log, "setting up %s/%s (%s) for %r", problem_id, part_id,
                                   assignment, student)
        return 0.0, points or 0.0, f"{part_id}: {internal_error(incident)}."
    try:
        text = _answer_text(answer)
    except UnreadableAnswer:  # the student's own object's __str__ raised: their input
        return 0.0, points, gettext(UNREADABLE_MESSAGE, lang, part=part_id)
    if text is None or not text.strip():
        return 0.0, points, gettext("student.no_answer", lang, part=part_id)
    if variant is NO_KEY:  # a graded course on the student's machine: no key, no verdict
        from membranelab.service.readback import GRADED_LATER
        from membranelab.service.readback import read_back as read

        return 0.0, points, f"{read(part, text, lang, problem)} {gettext(GRADED_LATER, lang)}"
    from membranelab.bank import grade_part  # its own bounds refuse over-long answers

    result = grade_part(problem, variant, part, text)
    fraction = float(result.score)
    if not math.isfinite(fraction):
        fraction = 0.0
    return min(max(fraction, 0.0), 1.0), points, _render(result, level, lang)


def read_back(assignment: str, problem_id: str, part_id: str, answer: Any,
              lang: str = "en") -> None:
    """Print how the answer will be read ("E_K: read as −95.0 mV."), without grading it, in
    ``lang`` (the course's language): what a graded course's test cell shows the student.
    Never raises."""
    with warnings.catch_warnings(), contextlib.redirect_stderr(sys.stdout):
        warnings.simplefilter("ignore")
        try:
            from membranelab.service.readback import GRADED_LATER
            from membranelab.service.readback import read_back as read

            problem = _bank().problems[problem_id]
            part = problem.localized(lang).part(part_id)
            try:
                text = _answer_text(answer)
            except UnreadableAnswer:  # the student's own object's __str__ raised
                print(gettext(UNREADABLE_MESSAGE, lang, part=part_id))
                return
            print(read(part, text, lang, problem))
            print(gettext(GRADED_LATER, lang))
        except Exception:  # noqa: BLE001 - a display failure must not look like theirs
            enable_incident_log()
            incident = record_incident(_log, "reading back %s/%s (%s)", problem_id, part_id,
                                       assignment)
            print(f"{part_id}: {internal_error(incident)}.")


def check(assignment: str, problem_id: str, part_id: str, answer: Any,
          points: float | None = None, feedback: str | None = None, graded: bool = False,
          solution: bool = False, *, lang: str = "en") -> float:
    """Grade one part against the current student's variant; print feedback; return points.

    ``feedback`` is the level of the message (``full``, ``named``, ``score``; default ``named``);
    a level set by the grader (``MEMBRANELAB_FEEDBACK``, from ``nbgrader_config.py``) wins.
    ``graded``: a graded course, whose key no kernel holds: the answer is only read back and
    scores 0 (``membranelab course grade`` grades it, and puts the worked solution in the
    feedback).  ``solution``: accepted for notebooks built before; nothing is shown.

    The result is in ``[0, points]``: ``points`` is the test cell's own value (the generated
    cells pass it, so a bank edited after the release can never return more than nbgrader's
    maximum for the cell, which would fail that student's whole autograde); without it, the
    part's points in the bank.  Never raises: an answer that cannot be read, or any failure inside
    the grader, gives 0 and a message.  Grader warnings and log lines go to standard output,
    because nbgrader gives zero to a test cell that writes to standard error.
    """
    try:
        points = None if points is None else float(points)
        if points is not None and not (math.isfinite(points) and points >= 0):
            points = None
    except (TypeError, ValueError):
        points = None
    with warnings.catch_warnings(), contextlib.redirect_stderr(sys.stdout):
        warnings.simplefilter("ignore")
        try:
            fraction, points, message = _grade(assignment, problem_id, part_id, answer, points,
                                               _level(feedback), bool(graded), lang)
        except Exception:  # noqa: BLE001 - a test cell must never raise: a bug is an incident
            enable_incident_log()
            incident = record_incident(_log, "checking %s/%s (%s), answer %.200r", problem_id,
                                       part_id, assignment, answer)
            if points is None:
                with contextlib.suppress(Exception):
                    points = float(_bank().problems[problem_id].part(part_id).points)
            fraction, message = 0.0, f"{part_id}: {internal_error(incident)}."
        earned = round(fraction * (points or 0.0), 6)
        print(message)
        if points is not None:
            from membranelab.grading.numformat import points_text

            print(gettext("student.points_line", lang, part=part_id, earned=points_text(earned),
                          points=points_text(points)))
    return earned
