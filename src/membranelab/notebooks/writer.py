"""``practice --notebook``: write a self-study Jupyter notebook (no nbgrader needed).

Statements keep their TeX (Jupyter renders it natively); each part gets an answer cell run by
the ``%%answer`` magic of :mod:`membranelab.notebooks.selfstudy`, checked on the spot.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rich.console import Console

from membranelab.app import bankapi
from membranelab.app.atomic import atomic_write_text
from membranelab.app.errors import CliError
from membranelab.messages import gettext

__all__ = ["ANSWER_PLACEHOLDER", "SOLUTION_COMMENT", "practice_notebook", "problem_notebook",
           "write_practice_notebook"]

#: The comment above a problem's (commented-out) solution command, so "Run all" spoils nothing
#: (the key of its text in the message catalog).
SOLUTION_COMMENT = "notebook.solution_comment"
#: The comment line an answer cell starts with (IPython refuses a cell magic with an empty body;
#: the key of its text in the message catalog).
ANSWER_PLACEHOLDER = "notebook.answer_placeholder"


def _nbformat() -> Any:
    try:
        import nbformat
    except ImportError as exc:
        raise CliError(f"writing notebooks needs nbformat: {exc}") from None
    return nbformat


def _problem_cells(nbf: Any, problem: Any, variant: Any, lang: str = "en") -> list[Any]:
    v4 = nbf.v4
    statement = bankapi.render("statement", variant, "markdown")
    cells = [v4.new_markdown_cell(f"{statement.rstrip()}\n\n*{problem.id} · {problem.topic}*")]
    for part in variant.problem.parts:  # in the notebook's language
        unit = part.answer_kind.unit
        unit = f" {gettext('practice.unit', lang, unit=unit)}" if unit else ""
        points = gettext("practice.points", lang, points=f"{part.points:g}")
        how = gettext("notebook.part_prompt", lang, how=part.how_to_answer("`", lang=lang),
                      hint=f"`%hint {problem.id} {part.id}`")
        cells.append(v4.new_markdown_cell(
            f"**{part.id}** {points} {bankapi.fill(variant, part.prompt)}{unit}\n\n{how}"))
        cells.append(v4.new_code_cell(f"%%answer {problem.id} {part.id}\n"
                                      f"{gettext(ANSWER_PLACEHOLDER, lang)}\n"))
    cells.append(v4.new_code_cell(f"{gettext(SOLUTION_COMMENT, lang)}\n# %solution {problem.id}"))
    return cells


def _setup_cell(nbf: Any, student: str, bank_dir: str | None, lang: str = "en") -> Any:
    bank = f", bank={str(Path(bank_dir).resolve())!r}" if bank_dir else ""
    language = f", lang={lang!r}" if lang != "en" else ""
    return nbf.v4.new_code_cell("from membranelab.notebooks.selfstudy import SelfStudy\n\n"
                                f"study = SelfStudy(student={student!r}{bank}{language})")


def _notebook(nbf: Any, title: str, intro: str, cells: list[Any]) -> str:
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbf.v4.new_markdown_cell(f"# {title}\n\n{intro}")] + cells
    for index, cell in enumerate(nb.cells):  # stable ids: the same input gives the same file
        cell["id"] = f"cell-{index:03d}"
    nbf.validate(nb)
    return nbf.writes(nb) + "\n"


def practice_notebook(problems: list[Any], student: str, bank_dir: str | None = None, *,
                      lang: str = "en") -> str:
    """The notebook JSON for a student's self-study of ``problems``, in ``lang``."""
    nbf = _nbformat()
    cells = [_setup_cell(nbf, student, bank_dir, lang)]
    for problem in problems:
        cells.extend(_problem_cells(nbf, problem,
                                    bankapi.variant_for(problem, student, lang=lang), lang))
    cells.append(nbf.v4.new_code_cell("print(study.score_line())"))
    intro = gettext("notebook.intro", lang, student=student)
    return _notebook(nbf, gettext("notebook.title", lang), intro, cells)


def problem_notebook(problem: Any, variant: Any, *, solution: bool = False,
                     lang: str = "en") -> str:
    """A read-only notebook of one problem (``render --format notebook``), in ``lang``."""
    nbf = _nbformat()
    cells = [nbf.v4.new_markdown_cell(bankapi.render("statement", variant, "markdown"))]
    if solution:
        cells.append(nbf.v4.new_markdown_cell(
            f"## {gettext('notebook.solution_heading', lang)}\n\n"
            + bankapi.render("solution", variant, "markdown")))
    return _notebook(nbf, problem.title, f"*{problem.id} · {problem.topic}*", cells)


def write_practice_notebook(bank: Any, console: Console, *, student: str, topic: str | None,
                            output: str | None, bank_dir: str | None,
                            problem_ids: list[str] | None = None, lang: str = "en") -> int:
    """Write the self-study notebook atomically and say where."""
    problems = bankapi.select_problems(bank, topic, problem_ids, lang=lang)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", student)
    target = Path(output or f"membranelab-practice-{name}.ipynb")
    if target.is_dir():
        raise CliError(f"{target}: is a directory; give a notebook file name")
    text = practice_notebook(problems, student, bank_dir, lang=lang)
    try:
        atomic_write_text(target, text)
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror or exc}") from None
    count = (gettext("notebook.count_one", lang) if len(problems) == 1
             else gettext("notebook.count", lang, n=len(problems)))
    console.print(gettext("notebook.wrote", lang, target=target, count=count), highlight=False,
                  markup=False)
    return 0
