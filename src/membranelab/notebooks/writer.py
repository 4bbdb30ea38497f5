"""The notebooks membranelab writes without nbgrader: a student's self-study notebook
(``practice --notebook``) and the read-only notebook of one problem (``render --format notebook``).

Statements keep their TeX (Jupyter renders it natively); in a self-study notebook each part gets
an answer cell run by the ``%%answer`` magic of :mod:`membranelab.notebooks.selfstudy`, checked on
the spot.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from membranelab.app.errors import CliError
from membranelab.app.problems import variant_for
from membranelab.messages import gettext

if TYPE_CHECKING:
    from membranelab.bank import Problem, Variant

__all__ = ["ANSWER_PLACEHOLDER", "SOLUTION_COMMENT", "practice_notebook", "problem_notebook"]

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


def _problem_cells(nbf: Any, problem: Problem, variant: Variant,
                   lang: str = "en") -> list[Any]:
    from membranelab.bank import fill_text, render_statement

    v4 = nbf.v4
    statement = render_statement(variant, fmt="markdown")
    cells = [v4.new_markdown_cell(f"{statement.rstrip()}\n\n*{problem.id} · {problem.topic}*")]
    for part in variant.problem.parts:  # in the notebook's language
        unit = part.answer_kind.unit
        unit = f" {gettext('practice.unit', lang, unit=unit)}" if unit else ""
        points = gettext("practice.points", lang, points=f"{part.points:g}")
        how = gettext("notebook.part_prompt", lang, how=part.how_to_answer("`", lang=lang),
                      hint=f"`%hint {problem.id} {part.id}`")
        cells.append(v4.new_markdown_cell(
            f"**{part.id}** {points} {fill_text(variant, part.prompt)}{unit}\n\n{how}"))
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


def practice_notebook(problems: list[Problem], student: str, bank_dir: str | None = None, *,
                      lang: str = "en") -> str:
    """The notebook JSON for a student's self-study of ``problems``, in ``lang``."""
    nbf = _nbformat()
    cells = [_setup_cell(nbf, student, bank_dir, lang)]
    for problem in problems:
        cells.extend(_problem_cells(nbf, problem,
                                    variant_for(problem, student, lang=lang), lang))
    cells.append(nbf.v4.new_code_cell("print(study.score_line())"))
    intro = gettext("notebook.intro", lang, student=student)
    return _notebook(nbf, gettext("notebook.title", lang), intro, cells)


def problem_notebook(problem: Problem, variant: Variant, *, solution: bool = False,
                     lang: str = "en") -> str:
    """A read-only notebook of one problem (``render --format notebook``), in ``lang``."""
    from membranelab.bank import render_solution, render_statement

    nbf = _nbformat()
    cells = [nbf.v4.new_markdown_cell(render_statement(variant, fmt="markdown"))]
    if solution:
        cells.append(nbf.v4.new_markdown_cell(
            f"## {gettext('notebook.solution_heading', lang)}\n\n"
            + render_solution(variant, fmt="markdown")))
    return _notebook(nbf, problem.title, f"*{problem.id} · {problem.topic}*", cells)
