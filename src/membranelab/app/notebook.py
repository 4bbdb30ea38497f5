"""``practice --notebook``: write a self-study Jupyter notebook (no nbgrader needed).

Statements keep their TeX (Jupyter renders it natively); each part gets an answer cell run by
the ``%%answer`` magic of :mod:`membranelab.app.selfstudy`, checked on the spot.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rich.console import Console

from membranelab.app import bankapi
from membranelab.app.atomic import atomic_write_text
from membranelab.app.errors import CliError

__all__ = ["ANSWER_PLACEHOLDER", "SOLUTION_COMMENT", "practice_notebook", "problem_notebook",
           "write_practice_notebook"]

#: The comment above a problem's (commented-out) solution command, so "Run all" spoils nothing.
SOLUTION_COMMENT = ("# Worked solution: when you are done, remove the # below and run this cell.\n"
                    "# (Parts you have not answered yet then earn no points.)")
#: The comment line an answer cell starts with (IPython refuses a cell magic with an empty body).
ANSWER_PLACEHOLDER = "# your answer below this line, then run the cell"


def _nbformat() -> Any:
    try:
        import nbformat
    except ImportError as exc:
        raise CliError(f"writing notebooks needs nbformat: {exc}") from None
    return nbformat


def _problem_cells(nbf: Any, problem: Any, variant: Any) -> list[Any]:
    v4 = nbf.v4
    statement = bankapi.render("statement", variant, "markdown")
    cells = [v4.new_markdown_cell(f"{statement.rstrip()}\n\n*{problem.id} · {problem.topic}*")]
    for part in problem.parts:
        unit = f" (in {part.unit})" if part.unit else ""
        cells.append(v4.new_markdown_cell(
            f"**{part.id}** ({part.points:g} pt) {bankapi.fill(variant, part.prompt)}{unit}\n\n"
            f"Write your answer in the cell below: {part.how_to_answer('`')}. Run the cell to check it. "
            f"Hint: `%hint {problem.id} {part.id}`"))
        cells.append(v4.new_code_cell(f"%%answer {problem.id} {part.id}\n{ANSWER_PLACEHOLDER}\n"))
    cells.append(v4.new_code_cell(f"{SOLUTION_COMMENT}\n# %solution {problem.id}"))
    return cells


def _setup_cell(nbf: Any, student: str, bank_dir: str | None) -> Any:
    bank = f", bank={str(Path(bank_dir).resolve())!r}" if bank_dir else ""
    return nbf.v4.new_code_cell("from membranelab.app.selfstudy import SelfStudy\n\n"
                                f"study = SelfStudy(student={student!r}{bank})")


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


def practice_notebook(problems: list[Any], student: str, bank_dir: str | None = None) -> str:
    """The notebook JSON for a student's self-study of ``problems``."""
    nbf = _nbformat()
    cells = [_setup_cell(nbf, student, bank_dir)]
    for problem in problems:
        cells.extend(_problem_cells(nbf, problem, bankapi.variant_for(problem, student)))
    cells.append(nbf.v4.new_code_cell("print(study.score_line())"))
    intro = (f"Self-study for **{student}**: your own numbers, checked as you go. Run the first "
             "code cell, then write each answer under its `%%answer` line and run the cell. "
             "You get feedback on the spot, hints on request and three tries per part; your "
             "tries and points are saved, so re-running a cell does not reset them.")
    return _notebook(nbf, "membranelab — self-study", intro, cells)


def problem_notebook(problem: Any, variant: Any, *, solution: bool = False) -> str:
    """A read-only notebook of one problem (``render --format notebook``)."""
    nbf = _nbformat()
    cells = [nbf.v4.new_markdown_cell(bankapi.render("statement", variant, "markdown"))]
    if solution:
        cells.append(nbf.v4.new_markdown_cell("## Solution\n\n"
                                              + bankapi.render("solution", variant, "markdown")))
    return _notebook(nbf, problem.title, f"*{problem.id} · {problem.topic}*", cells)


def write_practice_notebook(bank: Any, console: Console, *, student: str, topic: str | None,
                            output: str | None, bank_dir: str | None,
                            problem_ids: list[str] | None = None) -> int:
    """Write the self-study notebook atomically and say where."""
    problems = bankapi.select_problems(bank, topic, problem_ids)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", student)
    target = Path(output or f"membranelab-practice-{name}.ipynb")
    if target.is_dir():
        raise CliError(f"{target}: is a directory; give a notebook file name")
    text = practice_notebook(problems, student, bank_dir)
    try:
        atomic_write_text(target, text)
    except OSError as exc:
        raise CliError(f"cannot write {target}: {exc.strerror or exc}") from None
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    console.print(f"wrote {target} ({count}) — open it with "
                  f"`jupyter lab {target}`", highlight=False, markup=False)
    return 0
