"""One submitted notebook, graded from its typed answers: scores, feedback notebook, flags.

:func:`grade_submission` reads the answer cells statically (:mod:`membranelab.service.cells`,
``ast``, never ``exec``), grades each problem's typed answers against the student's keyed
variant through :func:`membranelab.course.verdicts.grade_answer` (the grading service), and builds the notebook
``nbgrader autograde`` would have written (:mod:`membranelab.course.autograded`).  No cell of
the student's is run.  An answer computed by code (``E_K = f"{x} mV"``) cannot be read without
running it: it scores 0, says so in the feedback, and is flagged ``computed`` for the teacher.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from membranelab.messages import gettext

from .autograded import (
    SourceNotebook,
    cell_text,
    fill_outputs,
    locked_changes,
    markdown_output,
    sanitize,
    stream,
    value_output,
)
from .flags import Flag
from .verdicts import grade_answer

__all__ = ["Graded", "grade_submission"]

#: The sentence of each kind of suspicious code (:data:`membranelab.course.codescan.KINDS`).
SUSPICIOUS = {"internals": "flag.suspicious.internals", "patch": "flag.suspicious.patch",
              "environment": "flag.suspicious.environment", "files": "flag.suspicious.files"}
#: Reading forms that carry a number in the part's unit (copy detection compares those).
_NUMBER_FORMS = ("number", "number_converted", "number_bare", "number_pure")


@dataclass(frozen=True)
class Graded:
    """What grading one notebook gives: points per test grade id, the answer grade ids left
    as released ("No response."), flags, and per numeric test id the typed answer (text, value
    in the part's unit) of each part **not** right for the student's own numbers (for the
    ``copied`` flag); ``notebook`` is the autograded notebook (nbformat 4 JSON data)."""

    student: str
    scores: Mapping[str, float]
    unanswered: frozenset[str]
    flags: tuple[Flag, ...] = ()
    numbers: Mapping[str, tuple[str, float]] = field(default_factory=dict)
    review: tuple[str, ...] = ()
    notebook: Mapping[str, Any] = field(default_factory=dict)
    #: Test grade ids of answers computed by code (for the formgrader's "needs manual grade").
    computed: tuple[str, ...] = ()


def _value(part: Any, text: str) -> float | None:
    """The typed number in the part's unit, as the read-back reads it (None: not a number)."""
    try:
        reading = part.answer_kind.read(part, text)
    except Exception:  # noqa: BLE001 - only a hint for the copied flag; recorded
        from membranelab.incident import record_incident

        record_incident(_log(), "reading %s for the copied flag", part.id)
        return None
    if reading.form not in _NUMBER_FORMS:
        return None
    try:
        return float(str(reading.values.get("value", "")).replace("\u2212", "-"))
    except ValueError:
        return None


def _log() -> Any:
    import logging

    return logging.getLogger(__name__)


def _student_code(nb_cells: Sequence[Mapping[str, Any]], source: SourceNotebook
                  ) -> tuple[list[str], list[str]]:
    """(the student's code: every code cell but unchanged locked ones; the locked code)."""
    locked = {c.name: c.source for c in source.cells if c.locked and c.cell_type == "code"}
    own = []
    for cell in nb_cells:
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata")
        info = meta.get("nbgrader") if isinstance(meta, Mapping) else None
        gid = info.get("grade_id") if isinstance(info, Mapping) else None
        text = cell_text(cell)
        if gid in locked and locked[gid] == text:
            continue
        own.append(text)
    return own, list(locked.values())


def grade_submission(nb: Mapping[str, Any], student: str, ctx: Any) -> Graded:
    """Grade ``nb`` (the submitted notebook's JSON data) as ``student``'s.  ``ctx`` carries the
    assignment, bank, part cells, source notebook, the student key function and language."""
    from membranelab.bank.render import build, get_format
    from membranelab.bank.render.formats.notebook import graded_prompt
    from membranelab.grading import NEEDS_REVIEW
    from membranelab.grading.numformat import points_text
    from membranelab.service import GradeRequest

    from .answers import read_cells

    raw = nb.get("cells") if isinstance(nb, Mapping) else None
    cells = [c for c in raw if isinstance(c, Mapping)] if isinstance(raw, list) else []
    plain = {"cells": [dict(c, source=cell_text(c)) for c in cells]}
    found = read_cells(plain, list(ctx.parts))
    lang, level, aid = ctx.assignment.lang, ctx.assignment.feedback, ctx.assignment.id
    scores: dict[str, float] = {}
    numbers: dict[str, tuple[str, float]] = {}
    review, computed = [], []
    outputs: dict[str, list[dict[str, Any]]] = {
        f"{aid}-whoami": [stream(f"{gettext('course.whoami', lang)} {student}\n")]}
    markdown = get_format("markdown")
    by_problem: dict[str, list[Any]] = {}
    for pc in ctx.parts:
        by_problem.setdefault(pc.problem_id, []).append(pc)
    for pid, pcs in by_problem.items():
        problem = ctx.bank.problems[pid]
        variant = ctx.service.numbers(problem, student, aid, lang=lang)  # whose numbers
        typed = {pc.part_id: found[pc.answer_id].text for pc in pcs
                 if found[pc.answer_id].kind == "literal"}
        view = build(variant, lang, solution=True)
        outputs[f"{pid}-statement"] = [
            stream(gettext("student.numbers_for", lang, student=repr(student),
                           assignment=repr(aid)) + "\n"),
            markdown_output(markdown.statement(view, title=False))]
        for pc in pcs:
            outputs[f"{pid}-{pc.part_id}-prompt"] = [
                markdown_output(graded_prompt(view.part(pc.part_id), lang))]
            if found[pc.answer_id].kind == "computed":
                computed.append(pc)
                earned = 0.0
                text = (gettext("course.grade_computed", lang, part=pc.part_id) + "\n"
                        + gettext("student.points_line", lang, part=pc.part_id,
                                  earned=points_text(0.0), points=points_text(pc.points)))
            else:
                verdict = grade_answer(ctx.service, GradeRequest(
                    pid, pc.part_id, typed.get(pc.part_id), student, aid, lang, level))
                earned = round(min(max(verdict.score, 0.0), 1.0) * pc.points, 6)
                text = verdict.cell_text()
                if verdict.note == NEEDS_REVIEW:
                    review.append(pc.test_id)
                answer = typed.get(pc.part_id)
                part = problem.part(pc.part_id)
                # a number read in the part's unit (only a quantity's kind has a unit; a
                # formula's or a choice's reading is never a number: not read, which costs
                # sympy's time)
                value = _value(part, answer) if answer and verdict.score < 1.0 \
                    and part.answer_kind.quantity_unit is not None else None
                if value is not None and answer:
                    numbers[pc.test_id] = (answer, value)
            scores[pc.test_id] = earned
            outputs[pc.test_id] = [stream(f"{text}\n"), value_output(points_text(earned), 0)]
        heading = gettext("student.worked_solution", lang)
        outputs[pcs[-1].test_id].append(markdown_output(f"**{heading}**\n\n"
                                                        + markdown.solution(view)))
    cleaned = sanitize({"cells": cells}, ctx.source)
    fill_outputs(cleaned, outputs)
    release = {c.name: c.source for c in ctx.source.cells if c.solution}
    sources = _answer_sources(cells)
    unanswered = frozenset(pc.answer_id for pc in ctx.parts
                           if sources.get(pc.answer_id) in (None, release.get(pc.answer_id)))
    flags = _flags(student, cells, ctx, computed)
    notebook = {"cells": cleaned, "metadata": {"kernelspec": dict(ctx.source.kernelspec),
                                               "language_info": {"name": "python"}},
                "nbformat": 4, "nbformat_minor": 5}
    return Graded(student, scores, unanswered, tuple(flags), numbers, tuple(review), notebook,
                  tuple(pc.test_id for pc in computed))


def _answer_sources(cells: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Grade id -> the text of the first cell carrying it (one pass over the notebook)."""
    out: dict[str, str] = {}
    for cell in cells:
        meta = cell.get("metadata")
        info = meta.get("nbgrader") if isinstance(meta, Mapping) else None
        gid = info.get("grade_id") if isinstance(info, Mapping) else None
        if isinstance(gid, str) and gid not in out:
            out[gid] = cell_text(cell)
    return out


def _flags(student: str, cells: Sequence[Mapping[str, Any]], ctx: Any,
           computed: Sequence[Any]) -> list[Flag]:
    from .codescan import scan

    flags = []
    if computed:
        labels = tuple(f"{pc.problem_id}/{pc.part_id}" for pc in computed)
        flags.append(Flag(student, "computed", labels, "flag.computed",
                          {"parts": ", ".join(labels)}))
    own, context = _student_code(cells, ctx.source)
    for kind in scan(own, context):
        flags.append(Flag(student, "suspicious", (), SUSPICIOUS[kind], {}))
    changed = locked_changes({"cells": list(cells)}, ctx.source)
    if changed:
        flags.append(Flag(student, "locked", tuple(changed), "flag.locked",
                          {"cells": ", ".join(changed)}))
    return flags
