"""The self-study notebook membranelab writes without nbgrader (``practice --notebook``).

Statements are the bank's notebook format (its Markdown, TeX kept: Jupyter renders it); each part
gets an answer cell run by the ``%%answer`` magic of :mod:`membranelab.notebooks.selfstudy`,
checked on the spot.  (The read-only notebook of one problem, ``render --format notebook``, is the
notebook format's document: :mod:`membranelab.bank.render.formats.notebook`.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from membranelab.atomic import atomic_write_text
from membranelab.bank.render import build
from membranelab.bank.render.formats.markdown import statement_markdown
from membranelab.bank.render.formats.notebook import code_cell as new_code_cell
from membranelab.bank.render.formats.notebook import markdown_cell as new_markdown_cell
from membranelab.bank.render.formats.notebook import notebook_text, problem_intro
from membranelab.errors import CliError
from membranelab.grading.numformat import points_text
from membranelab.messages import gettext
from membranelab.messages.oserror import os_reason
from membranelab.service.problems import open_bank, select_problems, variant_for

if TYPE_CHECKING:
    from rich.console import Console

    from membranelab.bank import Bank, Problem, Variant

__all__ = ["ANSWER_PLACEHOLDER", "SOLUTION_COMMENT", "practice_notebook", "run",
           "write_practice_notebook"]

#: The comment above a problem's (commented-out) solution command, so "Run all" spoils nothing
#: (the key of its text in the message catalog).
SOLUTION_COMMENT = "notebook.solution_comment"
#: The comment line an answer cell starts with (IPython refuses a cell magic with an empty body;
#: the key of its text in the message catalog).
ANSWER_PLACEHOLDER = "notebook.answer_placeholder"


def _problem_cells(problem: Problem, variant: Variant, lang: str = "en") -> list[Any]:
    """A problem's statement, then per part its prompt (how to answer, the hint command) and an
    ``%%answer`` cell, then the (commented-out) solution command."""
    view = build(variant)
    cells = [new_markdown_cell(f"{statement_markdown(view).rstrip()}\n\n{problem_intro(view)}")]
    for part, shown in zip(variant.problem.parts, view.parts, strict=True):  # its language
        unit = f" {gettext('practice.unit', lang, unit=shown.unit)}" if shown.unit else ""
        points = gettext("practice.points", lang, points=points_text(shown.points))
        how = gettext("notebook.part_prompt", lang, how=part.how_to_answer("`", lang=lang),
                      hint=f"`%hint {problem.id} {part.id}`")
        cells.append(new_markdown_cell(f"**{part.id}** {points} {shown.prompt}{unit}\n\n{how}"))
        cells.append(new_code_cell(f"%%answer {problem.id} {part.id}\n"
                                   f"{gettext(ANSWER_PLACEHOLDER, lang)}\n"))
    cells.append(new_code_cell(f"{gettext(SOLUTION_COMMENT, lang)}\n# %solution {problem.id}"))
    return cells


def _setup_cell(student: str, bank_dir: str | None, lang: str = "en") -> Any:
    bank = f", bank={str(Path(bank_dir).resolve())!r}" if bank_dir else ""
    language = f", lang={lang!r}" if lang != "en" else ""
    return new_code_cell("from membranelab.notebooks.selfstudy import SelfStudy\n\n"
                         f"study = SelfStudy(student={student!r}{bank}{language})")


def practice_notebook(problems: list[Problem], student: str, bank_dir: str | None = None, *,
                      lang: str = "en") -> str:
    """The notebook JSON for a student's self-study of ``problems``, in ``lang``."""
    cells = [_setup_cell(student, bank_dir, lang)]
    for problem in problems:
        cells.extend(_problem_cells(problem, variant_for(problem, student, lang=lang), lang))
    cells.append(new_code_cell("print(study.score_line())"))
    intro = gettext("notebook.intro", lang, student=student)
    return notebook_text(gettext("notebook.title", lang), intro, cells)


def write_practice_notebook(bank: Bank, console: Console, *, student: str, topic: str | None,
                            output: str | None, bank_dir: str | None,
                            problem_ids: list[str] | None = None, lang: str = "en") -> int:
    """``practice --notebook``: write the self-study notebook
    (:func:`membranelab.notebooks.writer.practice_notebook`) atomically and say where."""
    problems = select_problems(bank, topic, problem_ids, lang=lang)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", student)
    target = Path(output or f"membranelab-practice-{name}.ipynb")
    if target.is_dir():
        raise CliError("practice.notebook_is_dir", path=str(target))
    text = practice_notebook(problems, student, bank_dir, lang=lang)
    try:
        atomic_write_text(target, text)
    except OSError as exc:
        raise CliError("cli.cannot_write", path=str(target), reason=os_reason(exc)) from None
    count = (gettext("notebook.count_one", lang) if len(problems) == 1
             else gettext("notebook.count", lang, n=len(problems)))
    console.print(gettext("notebook.wrote", lang, target=target, count=count), highlight=False,
                  markup=False)
    return 0


def run(args: Any, out: Console, err: Console) -> int:
    """``membranelab practice --notebook [-o FILE] [--student S] [--topic T | --problem ID]``."""
    return write_practice_notebook(open_bank(args.bank), out, student=args.student,
                                   topic=args.topic, output=args.output, bank_dir=args.bank,
                                   problem_ids=args.problem, lang=args.lang)
