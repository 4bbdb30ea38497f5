"""``show``: one problem's statement (a student's variant, or the canonical one), and its worked
solution when asked, in the terminal, as a document of another output format (``--format``), or
as JSON."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from rich.console import Console

from membranelab.bank.render.formats.terminal import plain
from membranelab.messages import gettext
from membranelab.service.problems import get_problem, open_bank, variant_for

if TYPE_CHECKING:
    from membranelab.bank import Answer, Bank, Part, Problem, Variant
    from membranelab.bank.render import RenderedVariant

__all__ = ["part_info", "run", "show_problem"]


def part_info(part: Part, variant: Variant | None = None) -> dict[str, Any]:
    """A part's public description (no answer); with ``variant``, its prompt's
    ``{{placeholders}}`` filled with that variant's numbers."""
    from membranelab.bank import fill_text

    prompt = fill_text(variant, part.prompt) if variant is not None else part.prompt
    return {"id": part.id, "kind": part.kind, "prompt": prompt, "unit": part.answer_kind.quantity_unit,
            "points": part.points, "choices": list(part.answer_kind.options),
            "hints": len(part.hints or ())}


def _describe(problem: Problem, variant: Variant, view: RenderedVariant, student: str | None,
              assignment: str) -> dict[str, Any]:
    from membranelab.bank.render import get_format

    markdown = get_format("markdown")
    data: dict[str, Any] = {
        "id": problem.id, "title": problem.title, "topic": problem.topic,
        "student": student, "assignment": assignment if student else None,
        "variant": getattr(variant, "key", None),
        "params": dict(getattr(variant, "params", {})),
        "statement": markdown.statement(view),
        "parts": [part_info(p, variant) for p in problem.parts],
    }
    if view.solution is not None:
        data["solution"] = markdown.solution(view)
        data["answers"] = {pid: _answer_text(a) for pid, a in variant.answers().items()}
    return data


def _answer_text(answer: Answer) -> str:
    for name in ("text", "display"):
        value = getattr(answer, name, None)
        if isinstance(value, str):
            return value
    return str(answer)


def show_problem(bank: Bank, console: Console, problem_id: str, *, student: str | None,
                 assignment: str, solution: bool, as_json: bool, lang: str = "en",
                 fmt: str = "terminal") -> int:
    """Print one problem's statement (the student's variant if given), and its solution if
    asked, in ``lang``: on the terminal, or as a document of the output format ``fmt``."""
    from membranelab.bank.render import build, get_format

    layout = get_format(fmt)
    variant = variant_for(get_problem(bank, problem_id, lang), student, assignment, lang=lang)
    problem = variant.problem
    view = build(variant, solution=solution)
    if as_json:
        print(json.dumps(_describe(problem, variant, view, student, assignment),
                         ensure_ascii=False, indent=2, default=str))
        return 0
    who = (gettext("browse.variant_of", lang, student=student, assignment=assignment) if student
           else gettext("browse.canonical", lang))
    layout.show(view, console,
                header=f"[bold]{plain(problem.title)}[/] [dim]{plain(f'{problem.id} — {who}')}[/]",
                solution_heading=gettext("browse.worked_solution", lang))
    return 0


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``membranelab show ID [--student S --assignment A] [--solution] [--json]
    [--format F]``."""
    return show_problem(open_bank(args.bank), out, args.id, student=args.student,
                        assignment=args.assignment, solution=args.solution, as_json=args.json,
                        lang=args.lang, fmt=args.format)
