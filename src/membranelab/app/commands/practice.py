"""``practice``: a student answers their own variants in the terminal, alone.

For each part: read an answer, grade it, print the mistake-specific feedback; ``h`` shows the
next hint, ``s`` the worked solution (after asking: it gives away every later part), ``n`` skips
to the next part, ``q`` saves and quits.  A part allows the tries the scoring policy gives it
(:mod:`membranelab.service.scoring`: 3 by default, a choice earning only on its first), after
which its expected answer is shown and the worked solution offered.  Each answer goes to the
grading service with the part's stored tries; the verdict says what the try earned.

Once a problem's worked solution has been shown, its parts can still be answered for practice
(with feedback), but no answer earns points any more, and the saved progress says ``revealed``.
Progress is saved after every attempt (see :mod:`membranelab.service.progress_store`), so the next
session resumes at the same part with the same tries left.  ``--reset`` forgets the named
problems (``--problem``/``--topic``) only; forgetting everything asks first.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from membranelab.bank.render.formats.terminal import plain, terminal_markdown
from membranelab.errors import CliError
from membranelab.grading.numformat import points_text
from membranelab.messages import gettext
from membranelab.service import GradeRequest, GradingService
from membranelab.service.problems import open_bank, select_problems, variant_for
from membranelab.service.progress_store import ProblemProgress, ProgressStore
from membranelab.service.study import (
    earlier_answers,
    feedback,
    record_try,
    running_score,
    stored,
    tries_left,
)

if TYPE_CHECKING:
    from membranelab.bank import Bank, Part, Problem, Variant
    from membranelab.bank.render import RenderedVariant

__all__ = ["HELP_LINE", "MESSAGES", "PracticeSession", "run", "run_practice"]

#: The reminder printed before the first question (its key in the message catalog).
HELP_LINE = "practice.help_line"
_HINT = {"h", "hint", "?", ":h"}
_SOLUTION = {"s", "solution", ":s"}
_NEXT = {"n", "next", "skip", ":n"}
_QUIT = {"q", "quit", "exit", ":q"}
_YES = {"y", "yes", "是", "好"}

#: The sentences of this module: their keys in the message catalog (membranelab.messages).
MESSAGES = {
    "confirm_solution": "practice.confirm_solution",
    "confirm_end_solution": "practice.confirm_end_solution",
    "solution_kept": "practice.solution_kept",
    "revealed_no_points": "practice.revealed_no_points",
    "revealed_prompt": "practice.revealed_prompt",
    "skipped": "practice.skipped",
    "confirm_reset_all": "practice.confirm_reset_all",
    "reset_done": "practice.reset_done",
    "reset_declined": "practice.reset_declined",
}


class _Quit(Exception):
    """The student asked to stop (q, end of input)."""


class PracticeSession:
    """One student's session over a list of problems (state lives in the progress store)."""

    def __init__(self, console: Console, store: ProgressStore, student: str,
                 read: Callable[[Any], str], lang: str = "en",
                 service: GradingService | None = None) -> None:
        self.console = console
        self.store = store
        self.student = student
        self.read = read
        self.lang = lang
        self._service = service

    def _(self, key: str, **params: Any) -> str:
        """The catalog's text for ``key`` (a key or a name of :data:`MESSAGES`) in the session's
        language."""
        return gettext(MESSAGES.get(key, key), self.lang, **params)

    @property
    def service(self) -> GradingService:
        """The grading service (the default bank's when none was given)."""
        if self._service is None:
            self._service = GradingService(open_bank(None))
        return self._service

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

    def show_solution(self, variant: Variant, progress: ProblemProgress) -> None:
        from membranelab.bank import render_solution

        progress.revealed = True
        self.store.save()
        text = render_solution(variant, fmt="markdown")
        self.console.print(Panel(terminal_markdown(text), title=self._("practice.worked_solution"),
                                 border_style="green"))

    def score_line(self, problems: list[Problem]) -> str:
        earned, possible = running_score(self.store, self.student, problems)
        return self._("practice.running_score", earned=points_text(earned),
                      possible=points_text(possible))

    # -- one part --------------------------------------------------------------------------------
    def run_part(self, problem: Problem, variant: Variant, part: Part,
                 progress: ProblemProgress, view: RenderedVariant | None = None) -> None:
        """Ask one part until it is answered, skipped or out of tries (``view``: the variant's
        rendered model, built here when not given)."""
        from membranelab.bank.render import build

        service = self.service
        rules = service.rules(problem, part.id, student=self.student)
        shown = (view or build(variant)).part(part.id)
        unit = (f" [dim]{plain(self._('practice.unit', unit=shown.unit))}[/]"
                if shown.unit else "")
        points = plain(self._("practice.points", points=points_text(shown.points)))
        self.console.print(f"\n[bold]{plain(part.id)}[/] {points} {plain(shown.prompt)}{unit}",
                           highlight=False)
        for number, option in enumerate(shown.options, start=1):
            self.console.print(f"  {number}. {plain(option)}", highlight=False)
        hints = shown.hints
        while True:
            left = tries_left(progress, part, rules)
            if progress.revealed:
                prompt_text = self._("revealed_prompt", part=part.id)
            elif left is None:
                prompt_text = self._("practice.prompt_unlimited", part=part.id)
            else:
                prompt_text = self._("practice.prompt_one" if left == 1 else "practice.prompt",
                                     part=part.id, left=left)
            text = self.ask(prompt_text)
            command = text.strip().lower()
            if not command:
                continue
            if command in _QUIT:
                raise _Quit
            if command in _NEXT:
                progress.scores.setdefault(part.id, 0.0)
                self.console.print(self._("skipped", part=part.id), highlight=False,
                                   markup=False)
                return
            if command in _HINT:
                n_shown = progress.hints.get(part.id, 0)
                if n_shown < len(hints):
                    progress.hints[part.id] = n_shown + 1
                    self.store.save()
                    label = plain(self._("practice.hint", n=n_shown + 1, total=len(hints)))
                    self.console.print(f"[yellow]{label}[/] {plain(hints[n_shown])}",
                                       highlight=False)
                else:
                    self.console.print(f"[yellow]{plain(self._('practice.no_more_hints'))}[/]",
                                       highlight=False)
                continue
            if command in _SOLUTION:
                if progress.revealed or self.confirm(self._("confirm_solution")):
                    self.show_solution(variant, progress)
                else:
                    self.console.print(self._("solution_kept"), highlight=False, markup=False)
                continue
            verdict = service.grade(GradeRequest(
                problem.id, part.id, text.strip(), self.student, lang=self.lang,
                level="full", earlier=earlier_answers(progress, part.id),
                stored=stored(progress, part)))
            result = verdict.result
            said = feedback(result, self.lang)
            if not result.readable:  # not read as an answer: its message, and no try spent
                self.console.print(f"[yellow]?[/] {plain(said)}\n"
                                   f"[dim]{plain(self._('practice.not_counted'))}[/]",
                                   highlight=False)
                continue
            practice_only = progress.revealed
            outcome = record_try(progress, part, result, rules)
            progress.last[part.id] = {"answer": text.strip(), "result": result.to_dict()}
            earned = outcome.earned
            self.store.save()
            gain = (self._("revealed_no_points") if practice_only
                    else self._("practice.earned", points=points_text(earned)))
            if result.correct:
                self.console.print(f"[bold green]✓ {plain(said)}[/]  {plain(gain)}",
                                   highlight=False)
                return
            mark = (f"[yellow]{plain(self._('practice.partly_right'))}[/] " if result.score > 0
                    else "[bold red]✗[/] ")
            self.console.print(f"{mark}{plain(said)}", highlight=False)
            if practice_only:
                self.console.print(f"[dim]{plain(gain)}[/]", highlight=False)
            if outcome.left == 0:
                expected = (" " + self._("practice.answer_is", expected=result.expected)
                            if result.expected else "")
                self.console.print(f"[red]{plain(self._('practice.no_tries') + expected)}[/]",
                                   highlight=False)
                if not progress.revealed and self.confirm(self._("confirm_solution")):
                    self.show_solution(variant, progress)
                return
            if hints and progress.hints.get(part.id, 0) < len(hints):
                self.console.print(f"[dim]{plain(self._('practice.type_h'))}[/]", highlight=False)

    # -- one problem -----------------------------------------------------------------------------
    def run_problem(self, problem: Problem, problems: list[Problem]) -> None:
        from membranelab.bank.render import build, get_format

        progress = self.store.get(self.student, problem.id)
        variant = variant_for(problem, self.student, lang=self.lang)
        view = build(variant)
        shown = variant.problem  # the problem in the session's language (same parts and numbers)
        self.console.rule(f"[bold]{plain(shown.title)}[/] [dim]({plain(problem.id)})[/]")
        if progress.part:
            resuming = self._("practice.resuming", part=progress.part + 1,
                              total=len(problem.parts))
            self.console.print(f"[cyan]{plain(resuming)}[/]", highlight=False)
        self.console.print(terminal_markdown(get_format("markdown").statement(view)))
        while progress.part < len(problem.parts):
            self.run_part(problem, variant, shown.parts[progress.part], progress, view)
            progress.part += 1
            self.store.save()
            self.console.print(f"[dim]{self.score_line(problems)}[/]")
        if not progress.revealed and self.confirm(self._("confirm_end_solution")):
            self.show_solution(variant, progress)
        progress.done = True
        self.store.save()


def _reset(session: PracticeSession, problems: list[Problem], *, everything: bool,
           yes: bool) -> None:
    """Forget the selected problems' progress; everything only after the student agrees."""
    store, student, console = session.store, session.student, session.console
    if everything:
        count = len(store.started(student))
        if not yes and not session.confirm(session._("confirm_reset_all", student=student,
                                                     count=count)):
            console.print(session._("reset_declined"), highlight=False, markup=False)
            return
        store.reset(student)
    else:
        ids = [p.id for p in problems if store.known(student, p.id)]
        count = len(ids)
        store.reset(student, ids)
    store.save()
    console.print(session._("reset_done", student=student, count=count), highlight=False,
                  markup=False)


def run_practice(bank: Bank, console: Console, store: ProgressStore, *, student: str,
                 topic: str | None = None, problem_ids: list[str] | None = None,
                 reset: bool = False, yes: bool = False,
                 read: Callable[[Any], str] | None = None, lang: str = "en") -> int:
    """The interactive loop over the student's problems (resuming), in ``lang`` (statements,
    hints, feedback and prompts); returns the exit code.

    ``reset`` forgets the progress on the selected problems (``problem_ids``/``topic``), or on
    every problem when none is selected, after asking (``yes`` answers for the student).
    """
    from membranelab.service.ids import check_student

    check_student(student)  # a reserved or empty id is refused before anything is shown
    problems = select_problems(bank, topic, problem_ids, lang=lang)
    session = PracticeSession(console, store, student, read or console.input, lang,
                              GradingService(bank))
    _ = session._
    if reset:
        try:
            _reset(session, problems, everything=not (topic or problem_ids), yes=yes)
        except _Quit:
            console.print(_("reset_declined"), highlight=False, markup=False)
            return 0
    todo = [p for p in problems
            if not (store.known(student, p.id) and store.get(student, p.id).done)]
    started = any(store.known(student, p.id) and (store.get(student, p.id).part
                  or store.get(student, p.id).tries) for p in problems)
    welcome = _("practice.welcome_topic" if topic else "practice.welcome", student=student,
                topic=topic, done=len(problems) - len(todo), total=len(problems))
    back = " " + _("practice.welcome_back") if started else ""
    console.print(Panel.fit(f"{plain(welcome + back)}\n{plain(_(HELP_LINE))}",
                            title="membranelab"))
    try:
        for problem in todo:
            session.run_problem(problem, problems)
    except (_Quit, KeyboardInterrupt):
        saved = store.save()  # False: not written (the store warned on stderr)
        console.print(plain(_("practice.saved" if saved else "practice.not_saved",
                              score=session.score_line(problems))), highlight=False)
        return 0
    console.print(plain(_("practice.all_done", score=session.score_line(problems))),
                  highlight=False)
    return 0


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """``membranelab practice [--student S] [--topic T | --problem ID ...] [--reset]`` (with
    ``--notebook`` :func:`membranelab.cli.main` runs :mod:`membranelab.notebooks.writer`)."""
    bank = open_bank(args.bank)
    if args.output:
        raise CliError("practice.output_needs_notebook")
    return run_practice(bank, out, ProgressStore(lang=args.lang), student=args.student,
                        topic=args.topic, problem_ids=args.problem, reset=args.reset,
                        yes=args.yes, lang=args.lang)
