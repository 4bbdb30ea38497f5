"""The runtime of a self-study notebook: answers checked on the spot, hints, worked solutions.

A notebook written by ``membranelab practice --notebook`` starts with::

    from membranelab.notebooks.selfstudy import SelfStudy
    study = SelfStudy(student="alice")

which registers three IPython magics (plain functions work too, outside IPython)::

    %%answer nernst-potassium E_K        <- cell magic: the cell body is the answer, as typed
    # comment lines are ignored
    -89 mV

    %hint nernst-potassium E_K           study.hint(...)
    %solution nernst-potassium           study.solution(...)

Grading, feedback and solutions are the same as ``membranelab practice`` (the bank's grader),
and so is the state: tries, best scores, hints shown and whether the worked solution was shown
live in the same progress store (:mod:`membranelab.service.progress_store`), saved after every try, so
re-running a cell or restarting the kernel does not give the tries back.  Once a problem's worked
solution is shown, its parts can still be checked but earn no points.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from membranelab.grading.numformat import points_text
from membranelab.messages import gettext
from membranelab.service import GradeRequest, GradingService
from membranelab.service.problems import get_problem, open_bank, variant_for
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
    from membranelab.bank import Problem, Variant
    from membranelab.grading.result import PartResult

__all__ = ["SelfStudy"]


def _show_markdown(text: str) -> None:
    """Markdown rendered in a notebook's output; the text itself in plain Python (IPython
    installed but no shell running: ``display`` would print the object's repr)."""
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:  # plain Python
        print(text)
        return
    if get_ipython() is None:
        print(text)
        return
    display(Markdown(text))


class SelfStudy:
    """One student's self-study session in a notebook (state in the progress store)."""

    def __init__(self, student: str, *, bank: str | None = None, register: bool = True,
                 store: ProgressStore | None = None, lang: str = "en") -> None:
        self.student = student
        self.lang = lang
        self.bank = open_bank(bank)
        self.service = GradingService(self.bank)
        self.store = store if store is not None else ProgressStore(lang=lang)
        if register:
            self._register_magics()

    def _progress(self, problem_id: str) -> ProblemProgress:
        """The saved progress on a problem (read afresh: another session may have saved)."""
        self.store = ProgressStore(self.store.path, lang=self.lang)
        return self.store.get(self.student, problem_id)

    def _register_magics(self) -> None:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
        if shell is None:
            return

        def answer(line: str, cell: str) -> None:
            problem_id, part_id = (line.split() + ["", ""])[:2]
            self.check(problem_id, part_id, cell)

        shell.register_magic_function(answer, "cell", "answer")
        shell.register_magic_function(lambda line: self.hint(*line.split()), "line", "hint")
        shell.register_magic_function(lambda line: self.solution(*line.split()), "line", "solution")

    def _problem(self, problem_id: str) -> tuple[Problem, Variant]:
        problem = get_problem(self.bank, problem_id, self.lang)
        # the problem caches it; the variant's problem is in the session's language
        return problem, variant_for(problem, self.student, lang=self.lang)

    def _(self, key: str, **params: Any) -> str:
        """The catalog's text for ``key`` in the session's language."""
        return gettext(key, self.lang, **params)

    def check(self, problem_id: str, part_id: str, answer: str) -> PartResult | None:
        """Grade one answer (the grading service, with the part's stored tries) and show the
        feedback; after the last try, the answer and solution."""
        problem, _ = self._problem(problem_id)
        part = problem.part(part_id)
        text = "\n".join(line for line in answer.splitlines()
                         if not line.lstrip().startswith("#")).strip()
        if not text:
            print(self._("selfstudy.write_answer", part=part_id))
            return None
        progress = self._progress(problem_id)
        rules = self.service.rules(problem, part.id, student=self.student)
        if tries_left(progress, part, rules) == 0 and not stored(progress, part).right:
            print(self._("selfstudy.no_tries", command=f"%solution {problem_id}"))
            return None
        verdict = self.service.grade(GradeRequest(
            problem.id, part.id, text, self.student, lang=self.lang, level="full",
            earlier=earlier_answers(progress, part.id), stored=stored(progress, part)))
        result = verdict.result
        if not result.readable:  # not read as an answer: its message, and no try spent
            print(f"? {feedback(result, self.lang)}\n{self._('practice.not_counted')}")
            return result
        outcome = record_try(progress, part, result, rules)
        progress.last[part.id] = {"answer": text, "result": result.to_dict()}
        self.store.save()
        mark = "✓" if result.correct else ("~" if result.score > 0 else "✗")
        print(f"{mark} {feedback(result, self.lang)}")
        if progress.revealed:
            print(self._("practice.revealed_no_points"))
        left = outcome.left
        if not result.correct:
            if left is None:
                print(self._("selfstudy.try_again", command=f"%hint {problem_id} {part_id}"))
            elif left > 0:
                print(self._("selfstudy.tries_left_one" if left == 1 else "selfstudy.tries_left",
                             left=left, command=f"%hint {problem_id} {part_id}"))
            else:
                print(self._("selfstudy.answer_was", expected=result.expected,
                             command=f"%solution {problem_id}"))
        print(self.score_line())
        return result

    def hint(self, problem_id: str, part_id: str) -> None:
        """Show the part's next hint."""
        from membranelab.bank import fill_text

        _, variant = self._problem(problem_id)
        hints = [fill_text(variant, h) for h in variant.problem.part(part_id).hints]
        progress = self._progress(problem_id)
        shown = progress.hints.get(part_id, 0)
        if shown >= len(hints):
            print(self._("selfstudy.no_more_hints"))
            return
        progress.hints[part_id] = shown + 1
        self.store.save()
        _show_markdown(self._("selfstudy.hint", n=shown + 1, total=len(hints), text=hints[shown]))

    def solution(self, problem_id: str) -> None:
        """Show the worked solution of the student's variant, its figures drawn in the output
        (the problem's parts earn no points from now on; the progress store records it as
        revealed)."""
        from membranelab.bank import render_solution

        _, variant = self._problem(problem_id)
        progress = self._progress(problem_id)
        progress.revealed = True
        self.store.save()
        _show_markdown(render_solution(variant, fmt="markdown", embed_figures=True))

    def score_line(self) -> str:
        """Points earned over the parts attempted so far (in the progress store)."""
        started = [self.bank.problems[p] for p in self.store.started(self.student)
                   if p in self.bank.problems]
        earned, possible = running_score(self.store, self.student, started)
        return self._("practice.running_score", earned=points_text(earned),
                      possible=points_text(possible))
