"""``membranelab regrade --class-db URL``: every stored try of a class graded again.

After a problem is fixed, each submission of the class database is graded again through the
grading service (keyed where ``--course-dir`` marks the assignment graded, or as the server keyed
it where the class file is given), with the hint credit it was recorded with, and scored by the
policy in the order the tries came (a choice's second try, a penalty per wrong try:
:mod:`membranelab.service.scoring`; the try limit is not applied again: the server took each
recorded try within the limit of its day, extensions included).

The rules are the server's own when ``--config CLASS.yaml`` names the class file it ran with:
the class file's ``scoring:`` over the assignment's, and its late rule: a submission recorded
as late earns the rule's share of its points again, as the server gave it.  Without the class
file only the problem files' and the assignment's rules are known, and a database holding late
submissions is refused (their share would be a guess), saying to give the class file.

A submission whose verdict changes gets the new one in ``submissions``
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

from .config import ClassSettings
from .db import ClassDB, Submission
from .late import late_credit

__all__ = ["Change", "regrade_class", "run"]


@dataclass(frozen=True)
class Change:
    """A submission whose verdict the current bank changes (scores in [0, 1], hint credit in)."""

    submission: Submission
    score: float
    correct: bool
    note: str
    feedback: str


def regrade_class(db: ClassDB, service: GradingService, lang: str = "en",
                  klass: ClassSettings | None = None) -> tuple[list[Change], int]:
    """(the submissions whose verdict changes, how many do not), nothing written; ``klass``:
    the class the server ran (its scoring rules and late share; CliError when there is none
    and a submission was recorded late)."""
    changes: list[Change] = []
    same = 0
    before: dict[tuple[str, str, str, str], Stored] = {}
    services: dict[str, GradingService] = {}
    submissions = db.list_submissions()
    late = sum(1 for sub in submissions if sub.late)
    if late and klass is None:
        raise CliError("regrade.class_late_needs_config", count=late)
    for sub in submissions:
        problem = service.bank.problems.get(sub.problem)
        part = next((p for p in getattr(problem, "parts", ()) if p.id == sub.part), None)
        if part is None:  # a problem or part the bank no longer has: kept as recorded
            same += 1
            continue
        key = (sub.student, sub.assignment, sub.problem, sub.part)
        if sub.assignment not in services:
            services[sub.assignment] = _replaying(service, sub.assignment, klass)
        verdict = services[sub.assignment].grade(GradeRequest(sub.problem, sub.part, sub.answer, sub.student,
                                             sub.assignment, lang, sub.level,
                                             stored=before.get(key, Stored())))
        after = verdict.tried.after if verdict.tried is not None else None
        if after is not None:
            before[key] = Stored(after.tries, after.score, after.right)
        credit = part.hint_credit(sub.hints) if verdict.counted else 1.0
        share = late_credit(klass) if sub.late and klass is not None else 1.0
        score = round(verdict.score * share * credit, 9)
        if abs(score - sub.score) > 1e-9 or verdict.note != sub.note:
            changes.append(Change(sub, score, verdict.correct, verdict.note, verdict.text()))
        else:
            same += 1
    return changes, same


def _replaying(service: GradingService, assignment: str, klass: ClassSettings | None = None
               ) -> GradingService:
    """``service`` for replaying ``assignment``'s recorded tries: its scoring rules (the
    problem files', the assignment's, and the class file's where ``klass`` ran it) without a
    try limit (extensions only set tries, so they do not matter here)."""
    from membranelab.bank.scoring import Layer
    from membranelab.service.ids import normalize_id
    from membranelab.service.scoring import Context

    unlimited = Layer(unlimited=True)
    if klass is not None and normalize_id(klass.assignment) == normalize_id(assignment):
        layers = (*klass.scoring_context().layers, unlimited)
    else:
        layers = (next((a.scoring for a in service.course.assignments
                        if normalize_id(a.id) == normalize_id(assignment)), None), unlimited)
    return GradingService(service.bank, service.course, Context(layers=layers))


def _class(args: argparse.Namespace) -> ClassSettings | None:
    """The class the server ran, from ``--config CLASS.yaml`` (None without one)."""
    path = getattr(args, "class_config", None)
    if not path:
        return None
    from .server import class_settings

    klass, _ = class_settings(argparse.Namespace(config=path, bank=args.bank))
    if klass is None:
        raise CliError("regrade.class_config_not_class", path=str(path))
    return klass


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``membranelab regrade --class-db URL [--config CLASS.yaml] [--course-dir DIR]``."""
    lang = getattr(args, "lang", None) or "en"
    bank = open_bank(args.bank)
    klass = _class(args)
    if klass is not None and klass.secret is not None:  # keyed as the server keyed it
        course = klass.course()
    else:
        course = Course.find(args.course_dir, bank.problems)
    service = GradingService(bank, course)
    db = ClassDB(args.class_db or (klass.db_url if klass is not None else ""))
    try:
        try:
            changes, same = regrade_class(db, service, lang, klass)
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
