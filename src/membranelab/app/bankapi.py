"""The command line's single door into the problem bank.

Every call into :mod:`membranelab.bank` goes through here, so that bank errors become one-line
:class:`CliError` messages and the rest of the command line does not repeat look-ups.
The bank is imported lazily: ``membranelab --help`` stays fast.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from typing import Any

from membranelab.app.errors import CliError

__all__ = [
    "PRACTICE_ASSIGNMENT",
    "bank_error_types",
    "get_problem",
    "grade",
    "grade_part",
    "fill",
    "html_page",
    "feedback",
    "load",
    "render",
    "select_problems",
    "variant_for",
]

#: The assignment name used for self-study variants (practice, notebook, demo, show --student).
PRACTICE_ASSIGNMENT = "practice"


def _bank_module() -> Any:
    import membranelab.bank as bank_module  # lazily: `membranelab --help` stays fast

    return bank_module


def bank_error_types() -> tuple[type[BaseException], ...]:
    """The bank's own error class, for callers that catch it."""
    return (_bank_module().BankError,)


def load(path: str | os.PathLike[str] | None = None) -> Any:
    """Load the bank (the packaged problems, or ``path``); errors become :class:`CliError`."""
    module = _bank_module()
    if path is not None and not os.path.isdir(path):
        raise CliError(f"problem directory {path} does not exist or is not a directory")
    try:
        return module.load_bank(path) if path is not None else module.load_bank()
    except bank_error_types() as exc:
        raise CliError(f"cannot load the problem bank: {exc}") from exc


def get_problem(bank: Any, problem_id: str, lang: str = "en") -> Any:
    """The problem with this id, or a :class:`CliError` naming the closest known ids (in
    ``lang``)."""
    from membranelab.messages import gettext

    problems: Mapping[str, Any] = bank.problems
    if problem_id in problems:
        return problems[problem_id]
    close = difflib.get_close_matches(problem_id, list(problems), n=3, cutoff=0.85)
    if close:
        raise CliError(gettext("cli.unknown_problem_suggest", lang, id=repr(problem_id),
                               suggestions=", ".join(close)))
    raise CliError(gettext("cli.unknown_problem", lang, id=repr(problem_id)))


def select_problems(bank: Any, topic: str | None = None,
                    ids: list[str] | None = None, *, lang: str = "en") -> list[Any]:
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
        from membranelab.messages import gettext

        raise CliError(gettext("cli.unknown_topic", lang, topic=repr(topic),
                               topics=", ".join(topics)))
    return chosen


def variant_for(problem: Any, student: str | None, assignment: str = PRACTICE_ASSIGNMENT, *,
                lang: str | None = None) -> Any:
    """The student's deterministic variant, or the canonical one when ``student`` is None; with
    ``lang``, the same numbers with the text of that language."""
    try:
        if student is None:
            return problem.variant("canonical", lang=lang)
        return problem.variant(student=student, assignment=assignment, lang=lang)
    except bank_error_types() as exc:
        raise CliError(f"cannot build a variant of {problem.id}: {exc}") from exc


def grade(problem: Any, variant: Any, answers: Mapping[str, str]) -> Any:
    """Grade answers (part id -> text) with the bank's grader (never raises on student text)."""
    return _bank_module().grade(problem, variant, dict(answers))


def grade_part(problem: Any, variant: Any, part: Any, answer: str) -> Any:
    """One part's PartResult (never raises on student text)."""
    return _bank_module().grade_part(problem, variant, part, answer)


def fill(variant: Any, text: str) -> str:
    """A prompt or hint with its ``{{placeholders}}`` filled for ``variant`` (the bank checked
    every placeholder when it loaded)."""
    return _bank_module().fill_text(variant, text)


def render(kind: str, variant: Any, fmt: str = "markdown", **kwargs: Any) -> str:
    """``render_statement`` / ``render_solution`` of the bank, by ``kind``."""
    func = getattr(_bank_module(), f"render_{kind}")
    try:
        return func(variant, fmt=fmt, **kwargs)
    except bank_error_types() as exc:
        raise CliError(f"cannot render the {kind}: {exc}") from exc


def html_page(title: str, body_html: str, *, mathjax: str | None = None, lang: str = "en") -> str:
    """A complete HTML page (stylesheet, MathJax loaded from ``mathjax`` or the CDN) around an
    HTML fragment of the bank, declared in ``lang``."""
    from membranelab.bank.render import html_page as page

    return page(title, body_html, mathjax=mathjax, lang=lang)


def feedback(result: Any, lang: str = "en", level: str = "full") -> str:
    """The student's sentence for a graded part in ``lang`` at a feedback ``level`` (no part
    label: the prompt above names the part)."""
    from membranelab.messages import part_text

    return part_text(result, lang=lang, level=level)
