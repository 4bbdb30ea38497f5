"""Which problems and variants a command works on: the bank it loads (the packaged problems, or
``--bank DIR``), a problem by id (with the closest ids when there is none), the problems selected
by ids or topic in teaching order, and a student's (or the canonical) variant.

Everything else a command needs from the bank it imports from :mod:`membranelab.bank` itself
(``grade_part``, ``fill_text``, ``render_statement``...). The bank's own error, ``BankError`` (a
malformed problem file), is not caught here: :func:`membranelab.cli.main` turns it, like a
:class:`~membranelab.errors.CliError`, into one line and exit code 2.  The bank is imported
only when a function here is called, so ``membranelab --help`` stays fast.
"""

from __future__ import annotations

import difflib
import os
from typing import TYPE_CHECKING

from membranelab.errors import CliError
from membranelab.messages import gettext
from membranelab.service import PRACTICE_ASSIGNMENT, numbers_for

if TYPE_CHECKING:
    from membranelab.bank import Bank, Problem, Variant

__all__ = ["PRACTICE_ASSIGNMENT", "get_problem", "open_bank", "select_problems", "variant_for"]



def open_bank(path: str | os.PathLike[str] | None = None) -> Bank:
    """The bank: the packaged problems, or those under ``path`` (``--bank``), which must be a
    directory."""
    if path is not None and not os.path.isdir(path):
        raise CliError("cli.no_bank_dir", path=str(path))
    from membranelab.bank import load_bank

    return load_bank(path)


def get_problem(bank: Bank, problem_id: str, lang: str = "en") -> Problem:
    """The problem with this id, or a :class:`CliError` naming the closest known ids (in
    ``lang``)."""
    problems = bank.problems
    if problem_id in problems:
        return problems[problem_id]
    close = difflib.get_close_matches(problem_id, list(problems), n=3, cutoff=0.85)
    if close:
        raise CliError(gettext("cli.unknown_problem_suggest", lang, id=repr(problem_id),
                               suggestions=", ".join(close)))
    raise CliError(gettext("cli.unknown_problem", lang, id=repr(problem_id)))


def select_problems(bank: Bank, topic: str | None = None, ids: list[str] | None = None, *,
                    lang: str = "en") -> list[Problem]:
    """The bank's problems in teaching order (``order``: Nernst before GHK before the pump...),
    or those named by ``ids`` (in that order), only those of ``topic`` if given (unknown id or
    topic: error)."""
    problems = ([get_problem(bank, i, lang) for i in dict.fromkeys(ids)] if ids
                else list(bank.ordered()))
    if topic is None:
        return problems
    chosen = [p for p in problems if p.topic == topic]
    if not chosen:
        topics = sorted({p.topic for p in bank.problems.values()})
        raise CliError(gettext("cli.unknown_topic", lang, topic=repr(topic),
                               topics=", ".join(topics)))
    return chosen


def variant_for(problem: Problem, student: str | None, assignment: str = PRACTICE_ASSIGNMENT, *,
                lang: str | None = None) -> Variant:
    """The student's public variant, or the canonical one when ``student`` is None; with
    ``lang``, the same numbers with the text of that language (the service's
    :func:`~membranelab.service.numbers_for`: a reserved id is refused with a ServiceError)."""
    return numbers_for(problem, student, assignment, lang=lang)
