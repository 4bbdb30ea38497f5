"""``practice``: a student answers their own variants in the terminal, alone.

For each part: read an answer, grade it, print the mistake-specific feedback; ``h`` shows the
next hint, ``s`` the worked solution (after asking: it gives away every later part), ``n`` skips
to the next part, ``q`` saves and quits.  A part allows :data:`MAX_TRIES` graded attempts, after
which its expected answer is shown and the worked solution offered.

Once a problem's worked solution has been shown, its parts can still be answered for practice
(with feedback), but no answer earns points any more, and the saved progress says ``revealed``.
Progress is saved after every attempt (see :mod:`membranelab.app.progress_store`), so the next
session resumes at the same part with the same tries left.  ``--reset`` forgets the named
problems (``--problem``/``--topic``) only; forgetting everything asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from membranelab.app import bankapi
from membranelab.app.progress_store import ProblemProgress, ProgressStore
from membranelab.app.termtext import plain, terminal_markdown
from membranelab.messages import gettext

__all__ = ["HELP_LINE", "MAX_TRIES", "MESSAGES", "SELF_STUDY_LEVEL", "feedback", "run_practice"]

#: Feedback level of self-study (practice and the self-study notebook).
SELF_STUDY_LEVEL = "full"
#: Graded attempts per part before the answer is revealed.
MAX_TRIES = 3
#: The reminder printed before the first question.
HELP_LINE = ("Type your answer with its unit.  h = hint, s = worked solution, n = next part, "
             "q = save and quit.")
_HINT = {"h", "hint", "?", ":h"}
_SOLUTION = {"s", "solution", ":s"}
_NEXT = {"n", "next", "skip", ":n"}
_QUIT = {"q", "quit", "exit", ":q"}
_YES = {"y", "yes"}

#: Sentences of this module (named templates, one place; rich markup only around parameters).
MESSAGES = {
    "confirm_solution": ("Show the worked solution? It gives away the parts you have not "
                         "answered yet: they can still be answered for practice but score 0. "
                         "[y/N] "),
    "confirm_end_solution": "Show the worked solution? [y/N] ",
    "solution_kept": "Solution not shown.",
    "revealed_no_points": "(worked solution shown: practice only, no points)",
    "revealed_prompt": "{part} (solution shown, no points)> ",
    "skipped": "Skipped {part}.",
    "confirm_reset_all": ("Forget ALL practice progress of {student} ({count} problems started)? "
                          "[y/N] "),
    "reset_done": "Forgot the progress of {student} on {count} problem(s).",
    "reset_declined": "Nothing was forgotten.",
}


def feedback(result: Any) -> str:
    """A result's feedback at the self-study level (``full``: direction and size of an error),
    in the language chosen for this session."""
    from membranelab.messages import part_text, resolve_lang

    return part_text(result, lang=resolve_lang(), level=SELF_STUDY_LEVEL)


class _Quit(Exception):
    """The student asked to stop (q, end of input)."""


class PracticeSession:
    """One student's session over a list of problems (state lives in the progress store)."""

    def __init__(self, console: Console, store: ProgressStore, student: str,
                 read: Callable[[Any], str]) -> None:
        self.console = console
        self.store = store
        self.student = student
        self.read = read

    # -- input and output ------------------------------------------------------------------------
    def ask(self, prompt: str) -> str:
        try:
            return self.read(Text(prompt, style="bold cyan"))
        except EOFError:
            self.console.print()
            raise _Quit from None

    def confirm(self, prompt: str) -> bool:
        """Ask a yes/no question (no unless the answer is y or yes; q quits)."""
        reply = self.ask(prompt).strip().lower()
        if reply in _QUIT:
            raise _Quit
        return reply in _YES

    def show_solution(self, variant: Any, progress: ProblemProgress) -> None:
        progress.revealed = True
        self.store.save()
        text = bankapi.render("solution", variant, "markdown")
        self.console.print(Panel(terminal_markdown(text), title="Worked solution",
                                 border_style="green"))

    def score_line(self, problems: list[Any]) -> str:
        earned = possible = 0.0
        for problem in problems:
            if not self.store.known(self.student, problem.id):
                continue
            progress = self.store.get(self.student, problem.id)
            for index, part in enumerate(problem.parts):
                if index < progress.part or part.id in progress.scores:
                    earned += progress.scores.get(part.id, 0.0)
                    possible += part.points
        return f"Running score: {earned:g} / {possible:g} points"

    # -- one part --------------------------------------------------------------------------------
    def run_part(self, problem: Any, variant: Any, part: Any, progress: ProblemProgress) -> None:
        unit = f" [dim](in {plain(part.unit)})[/]" if getattr(part, "unit", None) else ""
        prompt = plain(bankapi.fill(variant, part.prompt))
        self.console.print(f"\n[bold]{plain(part.id)}[/] ({part.points:g} pt) {prompt}{unit}",
                           highlight=False)
        for number, choice in enumerate(part.choices or (), start=1):
            self.console.print(f"  {number}. {plain(choice)}", highlight=False)
        hints = [bankapi.fill(variant, hint) for hint in part.hints or ()]
        while True:
            tries = progress.tries.get(part.id, 0)
            left = MAX_TRIES - tries
            if progress.revealed:
                prompt_text = MESSAGES["revealed_prompt"].format(part=part.id)
            else:
                prompt_text = f"{part.id} ({left} {'try' if left == 1 else 'tries'} left)> "
            text = self.ask(prompt_text)
            command = text.strip().lower()
            if not command:
                continue
            if command in _QUIT:
                raise _Quit
            if command in _NEXT:
                progress.scores.setdefault(part.id, 0.0)
                self.console.print(MESSAGES["skipped"].format(part=plain(part.id)),
                                   highlight=False, markup=False)
                return
            if command in _HINT:
                shown = progress.hints.get(part.id, 0)
                if shown < len(hints):
                    progress.hints[part.id] = shown + 1
                    self.store.save()
                    self.console.print(f"[yellow]Hint {shown + 1}/{len(hints)}:[/] "
                                       f"{plain(hints[shown])}", highlight=False)
                else:
                    self.console.print("[yellow]No more hints for this part;[/] "
                                       "s shows the worked solution.")
                continue
            if command in _SOLUTION:
                if progress.revealed or self.confirm(MESSAGES["confirm_solution"]):
                    self.show_solution(variant, progress)
                else:
                    self.console.print(MESSAGES["solution_kept"], highlight=False, markup=False)
                continue
            result = bankapi.grade_part(problem, variant, part, text.strip())
            if not result.readable:  # not read as an answer: its message, and no try spent
                self.console.print(f"[yellow]?[/] {plain(feedback(result))}\n"
                                   f"[dim]{plain(gettext('practice.not_counted'))}[/]",
                                   highlight=False)
                continue
            progress.tries[part.id] = tries + 1
            practice_only = progress.revealed
            earned = 0.0 if practice_only else round(part.points * result.score, 4)
            progress.scores[part.id] = max(progress.scores.get(part.id, 0.0), earned)
            self.store.save()
            gain = MESSAGES["revealed_no_points"] if practice_only else f"(+{earned:g} pt)"
            if result.correct:
                self.console.print(f"[bold green]✓ {plain(feedback(result))}[/]  {plain(gain)}",
                                   highlight=False)
                return
            mark = "[yellow]~ partly right.[/] " if result.score > 0 else "[bold red]✗[/] "
            self.console.print(f"{mark}{plain(feedback(result))}", highlight=False)
            if practice_only:
                self.console.print(f"[dim]{plain(gain)}[/]", highlight=False)
            if tries + 1 >= MAX_TRIES:
                expected = f" The answer is {plain(result.expected)}." if result.expected else ""
                self.console.print(f"[red]No tries left.{expected}[/]", highlight=False)
                if not progress.revealed and self.confirm(MESSAGES["confirm_solution"]):
                    self.show_solution(variant, progress)
                return
            if hints and progress.hints.get(part.id, 0) < len(hints):
                self.console.print("[dim]Type h for a hint.[/]")

    # -- one problem -----------------------------------------------------------------------------
    def run_problem(self, problem: Any, problems: list[Any]) -> None:
        progress = self.store.get(self.student, problem.id)
        variant = bankapi.variant_for(problem, self.student)
        statement = bankapi.render("statement", variant, "markdown")
        self.console.rule(f"[bold]{plain(problem.title)}[/] [dim]({plain(problem.id)})[/]")
        if progress.part:
            self.console.print(f"[cyan]Resuming at part {progress.part + 1} of "
                               f"{len(problem.parts)}.[/]")
        self.console.print(terminal_markdown(statement))
        while progress.part < len(problem.parts):
            self.run_part(problem, variant, problem.parts[progress.part], progress)
            progress.part += 1
            self.store.save()
            self.console.print(f"[dim]{self.score_line(problems)}[/]")
        if not progress.revealed and self.confirm(MESSAGES["confirm_end_solution"]):
            self.show_solution(variant, progress)
        progress.done = True
        self.store.save()


def _reset(session: PracticeSession, problems: list[Any], *, everything: bool,
           yes: bool) -> None:
    """Forget the selected problems' progress; everything only after the student agrees."""
    store, student, console = session.store, session.student, session.console
    if everything:
        count = len(store.started(student))
        if not yes and not session.confirm(MESSAGES["confirm_reset_all"].format(
                student=student, count=count)):
            console.print(MESSAGES["reset_declined"], highlight=False, markup=False)
            return
        store.reset(student)
    else:
        ids = [p.id for p in problems if store.known(student, p.id)]
        count = len(ids)
        store.reset(student, ids)
    store.save()
    console.print(MESSAGES["reset_done"].format(student=student, count=count), highlight=False,
                  markup=False)


def run_practice(bank: Any, console: Console, store: ProgressStore, *, student: str,
                 topic: str | None = None, problem_ids: list[str] | None = None,
                 reset: bool = False, yes: bool = False,
                 read: Callable[[Any], str] | None = None) -> int:
    """The interactive loop over the student's problems (resuming); returns the exit code.

    ``reset`` forgets the progress on the selected problems (``problem_ids``/``topic``), or on
    every problem when none is selected, after asking (``yes`` answers for the student).
    """
    problems = bankapi.select_problems(bank, topic, problem_ids)
    session = PracticeSession(console, store, student, read or console.input)
    if reset:
        try:
            _reset(session, problems, everything=not (topic or problem_ids), yes=yes)
        except _Quit:
            console.print(MESSAGES["reset_declined"], highlight=False, markup=False)
            return 0
    todo = [p for p in problems
            if not (store.known(student, p.id) and store.get(student, p.id).done)]
    started = any(store.known(student, p.id) and (store.get(student, p.id).part
                  or store.get(student, p.id).tries) for p in problems)
    console.print(Panel.fit(
        f"Practice for [bold]{plain(student)}[/]{f' — topic {plain(topic)}' if topic else ''}: "
        f"{len(problems) - len(todo)} of {len(problems)} problems done."
        f"{' Welcome back!' if started else ''}\n{HELP_LINE}", title="membranelab"))
    try:
        for problem in todo:
            session.run_problem(problem, problems)
    except (_Quit, KeyboardInterrupt):
        store.save()
        console.print(f"Progress saved. {session.score_line(problems)}. "
                      "Run the same command to resume.")
        return 0
    console.print(f"[bold]All done![/] {session.score_line(problems)}. "
                  "(--reset starts over.)")
    return 0
