"""``demo``: the README's first command, non-interactive and quick.

For student "alice" it shows her variant of a few problems (Nernst K+, chord conductance,
selectivity when the bank has them) and grades three answers to a numeric part of each: the right
one, a typical mistake (log10 for ln, when the part knows it), and a hostile input.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from membranelab.bank.render.formats.terminal import plain, terminal_markdown
from membranelab.messages import gettext, part_text
from membranelab.physics.units import is_dimensionless
from membranelab.service.problems import open_bank, variant_for

if TYPE_CHECKING:
    from membranelab.bank import Bank, Part, Problem, Variant

__all__ = ["DEMO_STUDENT", "HOSTILE_INPUT", "demo_problems", "mistake_label", "next_commands",
           "run", "run_demo"]

DEMO_STUDENT = "alice"
#: What a hostile student might type: it must be refused as text, never run.
HOSTILE_INPUT = "__import__('os').system('rm -rf /')"
#: Problems the demo prefers: (exact id, else the first whose id or topic holds the word).
PREFERRED = (("nernst-potassium", "nernst"), ("chord-conductance", "chord"),
             ("selectivity-barrier", "selectivity"))
_MISTAKE_ORDER = ("log10", "celsius_as_kelvin", "swapped_in_out", "valence_sign")


def _is_quantity(part: Part) -> bool:
    """Whether ``part``'s answer is a number with a unit (what the demo grades)."""
    return part.answer_kind.quantity_unit is not None


def demo_problems(bank: Bank, count: int = 3) -> list[Problem]:
    """Problems with a part whose answer is a quantity, the preferred topics first."""
    numeric = [p for p in bank.problems.values() if any(_is_quantity(pt) for pt in p.parts)]
    chosen: list[Problem] = []
    for problem_id, word in PREFERRED:
        exact = [p for p in numeric if p.id == problem_id and p not in chosen]
        similar = [p for p in numeric if p not in chosen and (word in p.id or word in p.topic)]
        if exact or similar:
            chosen.append((exact or similar)[0])
    chosen += [p for p in numeric if p not in chosen]
    return chosen[:count]


def _with_unit(value: str, unit: str | None) -> str:
    return value if is_dimensionless(unit) else f"{value} {unit}"


def _typical_mistake(variant: Variant, part: Part) -> tuple[str, str] | None:
    values: dict[str, float] = getattr(variant, "mistake_values", lambda _pid: {})(part.id)
    if not values:
        return None
    name = next((m for m in _MISTAKE_ORDER if m in values), next(iter(values)))
    return name, _with_unit(f"{values[name]:.4g}", part.answer_kind.quantity_unit)


def run_demo(bank: Bank, console: Console, *, lang: str = "en") -> int:
    """Show and grade, in ``lang``; returns 0."""
    from membranelab.bank import fill_text, grade_part, render_statement

    def _(key: str, **params: Any) -> str:
        return plain(gettext(key, lang, **params))

    console.rule(f"[bold]membranelab demo[/] — {_('demo.student', student=DEMO_STUDENT)}")
    problems = demo_problems(bank)
    if not problems:
        console.print(_("demo.no_problems"))
        return 0
    for problem in problems:
        variant = variant_for(problem, DEMO_STUDENT, lang=lang)
        part = next(pt for pt in variant.problem.parts if _is_quantity(pt))
        console.rule(f"[bold]{plain(variant.problem.title)}[/] [dim]({plain(problem.id)})[/]")
        console.print(terminal_markdown(render_statement(variant, fmt="markdown")))
        answer = variant.answer(part.id)
        right = _with_unit(getattr(answer, "text", None) or str(answer.value),
                           part.answer_kind.quantity_unit)
        attempts = [(_("demo.right"), right)]
        mistake = _typical_mistake(variant, part)
        if mistake:
            attempts.append((mistake_label(mistake[0], lang), mistake[1]))
        attempts.append((_("demo.hostile"), HOSTILE_INPUT))
        prompt = plain(fill_text(variant, part.prompt))
        table = Table(title=_("demo.part", part=part.id, prompt=prompt), show_lines=True,
                      title_justify="left")
        table.add_column(_("demo.col_answer"), overflow="fold")
        table.add_column(_("demo.col_score"), justify="right")
        table.add_column(_("demo.col_feedback"), overflow="fold")
        for label, text in attempts:
            result = grade_part(problem, variant, part, text)
            colour = "green" if result.correct else "red"
            table.add_row(f"[dim]{plain(label)}[/]\n{plain(text)}",
                          f"[{colour}]{result.score:g}[/]", plain(part_text(result, lang=lang, level="full")))
        console.print(table)
    console.print("\n" + gettext("demo.try", lang, **next_commands(lang)))
    return 0


def mistake_label(name: str, lang: str = "en") -> str:
    """"typical mistake (log10 in place of ln)": the mistake's name as the catalog words it
    (``mistake_name.<id>``), never its internal id; without a name, "typical mistake"."""
    from membranelab.messages import has_message

    key = f"mistake_name.{name}"
    if not has_message(key):
        return plain(gettext("demo.mistake_any", lang))
    return plain(gettext("demo.mistake", lang, name=gettext(key, lang)))


def next_commands(lang: str = "en") -> dict[str, str]:
    """The commands the closing line suggests, in ``lang`` (``--lang`` when not English)."""
    flag = f"--lang {lang} " if lang != "en" else ""
    return {"practice": f"[bold]membranelab {flag}practice --student {DEMO_STUDENT}[/]",
            "grade": f"[bold]membranelab {flag}grade answers.csv -o grades.csv[/]"}


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``membranelab demo``."""
    return run_demo(open_bank(args.bank), out, lang=args.lang)
