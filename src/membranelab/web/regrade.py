"""``membranelab regrade --class-db URL``: every stored try of a class graded again.

After a problem is fixed, each submission of the class database is graded again through the
grading service (keyed where ``--course-dir`` marks the assignment graded), with the hint credit
it was recorded with, and scored by the policy in the order the tries came (a choice's second
try, a penalty per wrong try: :mod:`membranelab.service.scoring`; the try limit is not applied
again: the server took each recorded try within the limit of its day, extensions included).  A submission whose verdict changes gets the new one in ``submissions``
(so the gradebook, the exports and the teacher's page show it) and keeps the old one beside it
in ``regrades``, all in one transaction; the command prints whose score changed (student,
assignment, problem, part, old -> new) and how many did not.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from typing import Any

from rich.console import Console

from membranelab.errors import CliError
from membranelab.grading.numformat import points_text
from membranelab.messages import gettext
from membranelab.service import Course, GradeRequest, GradingService, ServiceError
from membranelab.service.problems import open_bank
from membranelab.service.scoring import Stored

from .db import ClassDB, Submission

__all__ = ["Change", "regrade_class", "run"]


@dataclass(frozen=True)
class Change:
    """A submission whose verdict the current bank changes (scores in [0, 1], hint credit in)."""

    submission: Submission
    score: float
    correct: bool
    note: str
    feedback: str


def regrade_class(db: ClassDB, service: GradingService, lang: str = "en"
                  ) -> tuple[list[Change], int]:
    """(the submissions whose verdict changes, how many do not), nothing written."""
    changes: list[Change] = []
    same = 0
    before: dict[tuple[str, str, str, str], Stored] = {}
    services: dict[str, GradingService] = {}
    for sub in db.list_submissions():
        problem = service.bank.problems.get(sub.problem)
        part = next((p for p in getattr(problem, "parts", ()) if p.id == sub.part), None)
        if part is None:  # a problem or part the bank no longer has: kept as recorded
            same += 1
            continue
        key = (sub.student, sub.assignment, sub.problem, sub.part)
        if sub.assignment not in services:
            services[sub.assignment] = _replaying(service, sub.assignment)
        verdict = services[sub.assignment].grade(GradeRequest(sub.problem, sub.part, sub.answer, sub.student,
                                             sub.assignment, lang, sub.level,
                                             stored=before.get(key, Stored())))
        after = verdict.tried.after if verdict.tried is not None else None
        if after is not None:
            before[key] = Stored(after.tries, after.score, after.right)
        credit = part.hint_credit(sub.hints) if verdict.counted else 1.0
        score = round(verdict.score * credit, 9)
        if abs(score - sub.score) > 1e-9 or verdict.note != sub.note:
            changes.append(Change(sub, score, verdict.correct, verdict.note, verdict.text()))
        else:
            same += 1
    return changes, same


def _replaying(service: GradingService, assignment: str) -> GradingService:
    """``service`` for replaying ``assignment``'s recorded tries: its scoring rules (the
    problem files', the assignment's) without a try limit."""
    from membranelab.bank.scoring import Layer
    from membranelab.service.ids import normalize_id
    from membranelab.service.scoring import Context

    layer = next((a.scoring for a in service.course.assignments
                  if normalize_id(a.id) == normalize_id(assignment)), None)
    return GradingService(service.bank, service.course,
                          Context(layers=(layer, Layer(unlimited=True))))


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``membranelab regrade --class-db URL [--course-dir DIR]``."""
    lang = getattr(args, "lang", None) or "en"
    bank = open_bank(args.bank)
    service = GradingService(bank, Course.find(args.course_dir, bank.problems))
    db = ClassDB(args.class_db)
    try:
        try:
            changes, same = regrade_class(db, service, lang)
        except ServiceError as exc:
            raise CliError(exc.text(lang)) from None
        for change in changes:
            sub: Any = change.submission
            out.print(gettext("regrade.class_changed", lang, student=sub.student,
                              assignment=sub.assignment, problem=sub.problem, part=sub.part,
                              old=points_text(round(sub.score * sub.weight, 4)),
                              new=points_text(round(change.score * sub.weight, 4)),
                              points=points_text(sub.weight), note=change.note),
                      markup=False, highlight=False, soft_wrap=True)
        db.regrade(((c.submission, c.score, c.correct, c.note, c.feedback) for c in changes),
                   time.time())
    finally:
        db.close()
    students = len({c.submission.student for c in changes})
    key = "regrade.class_summary" if changes else "regrade.class_nothing_changed"
    out.print(gettext(key, lang, changed=len(changes), students=students, same=same),
              markup=False, highlight=False, soft_wrap=True)
    return 0
