"""Markdown with TeX kept as written (``$..$``, ``$$..$$``): the text of every other format too
(HTML is rendered from it, notebooks hold it, the terminal reads it).

A solution's figures are drawn only when ``figures=`` says where (a Markdown file beside its
images: :class:`membranelab.bank.figures.FigureFolder`); otherwise their captions stand in."""

from __future__ import annotations

from typing import Any

from membranelab.messages import gettext

from ...view import AnswerView, MathView, QuantityView, TextView
from ..model import FigureLinks, RenderedPart, RenderedSolution, RenderedVariant
from ..registry import Format, register

__all__ = ["Markdown", "answer_markdown", "part_markdown", "rendered_solution", "solution_body",
           "statement_markdown"]


def part_markdown(part: RenderedPart) -> str:
    """``**(a)** prompt *note*`` and the options listed under it."""
    lines = [f"**({part.letter})** {part.prompt}" + (f" *{part.note}*" if part.note else "")]
    lines.extend(f"   - {option}" for option in part.options)
    return "\n".join(lines)


def statement_markdown(view: RenderedVariant, title: bool = True) -> str:
    """``# title`` (unless ``title`` is false: a notebook has its own heading), the body, then
    every part."""
    parts = "\n\n".join(part_markdown(p) for p in view.parts)
    heading = f"# {view.title}\n\n" if title else ""
    return f"{heading}{view.body}\n\n{parts}\n"


def answer_markdown(answer: AnswerView, lang: str) -> str:
    """A reference answer as Markdown: ``-95.0 mV``, ``$TeX$ (typed: `text`)``, a choice."""
    if isinstance(answer, QuantityView):
        return answer.number if answer.unit is None else f"{answer.number} {answer.unit}"
    if isinstance(answer, MathView):
        return f"${answer.latex}$ ({gettext('render.typed', lang, text=f'`{answer.typed}`')})"
    if isinstance(answer, TextView):
        return answer.text
    raise TypeError(f"no Markdown for {type(answer).__name__}")


def solution_body(view: RenderedVariant, figures: FigureLinks | None = None) -> str:
    """``# Solution: title`` and the worked solution, without the answers; its figures drawn
    and linked by ``figures`` (else their captions)."""
    solution = rendered_solution(view)
    return f"# {solution.title}\n\n{solution.body(figures)}\n"


def rendered_solution(view: RenderedVariant) -> RenderedSolution:
    """The worked solution of ``view`` (ValueError when it was rendered without one)."""
    if view.solution is None:
        raise ValueError(f"{view.title}: rendered without its solution")
    return view.solution


def _answers(view: RenderedVariant) -> str:
    lines = [f"## {gettext('render.answers', view.lang)}", ""]
    lines += [f"- ({a.letter}) {answer_markdown(a.view, view.lang)}"
              for a in rendered_solution(view).answers]
    return "\n".join(lines) + "\n"


@register
class Markdown(Format):
    """Markdown files (``.md``)."""

    name = "markdown"
    suffix = ".md"
    shows_figures = True

    def statement(self, view: RenderedVariant, *, title: bool = True, **options: Any) -> str:
        return statement_markdown(view, title)

    def solution(self, view: RenderedVariant, *, figures: FigureLinks | None = None,
                 **options: Any) -> str:
        return f"{solution_body(view, figures)}\n{_answers(view)}"

    def document(self, view: RenderedVariant, *, figures: FigureLinks | None = None,
                 **options: Any) -> str:
        text = self.statement(view)
        if view.solution is not None:
            text += "\n\n---\n\n" + self.solution(view, figures=figures)
        return text
