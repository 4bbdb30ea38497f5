"""The runtime of a self-study notebook: answers checked on the spot, hints, worked solutions.

A notebook written by ``membranelab practice --notebook`` starts with::

    from membranelab.app.selfstudy import SelfStudy
    study = SelfStudy(student="alice")

which registers three IPython magics (plain functions work too, outside IPython)::

    %%answer nernst-potassium E_K        <- cell magic: the cell body is the answer, as typed
    # comment lines are ignored
    -89 mV

    %hint nernst-potassium E_K           study.hint(...)
    %solution nernst-potassium           study.solution(...)

Grading, feedback and solutions are the same as ``membranelab practice`` (the bank's grader).
"""

from __future__ import annotations

from typing import Any

from membranelab.app import bankapi
from membranelab.app.practice import MAX_TRIES

__all__ = ["SelfStudy"]


def _show_markdown(text: str) -> None:
    try:
        from IPython.display import Markdown, display
    except ImportError:  # plain Python
        print(text)
        return
    display(Markdown(text))


class SelfStudy:
    """One student's self-study session in a notebook (state in memory)."""

    def __init__(self, student: str, *, bank: str | None = None, register: bool = True) -> None:
        self.student = student
        self.bank = bankapi.load(bank)
        self.tries: dict[tuple[str, str], int] = {}
        self.scores: dict[tuple[str, str], float] = {}
        self.hints_shown: dict[tuple[str, str], int] = {}
        if register:
            self._register_magics()

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

    def _problem(self, problem_id: str) -> tuple[Any, Any]:
        problem = bankapi.get_problem(self.bank, problem_id)
        return problem, bankapi.variant_for(problem, self.student)  # the problem caches it

    def check(self, problem_id: str, part_id: str, answer: str) -> Any:
        """Grade one answer and show the feedback; after the last try, the answer and solution."""
        problem, variant = self._problem(problem_id)
        part = problem.part(part_id)
        text = "\n".join(line for line in answer.splitlines()
                         if not line.lstrip().startswith("#")).strip()
        if not text:
            print(f"Write your answer for {part_id} in this cell (with its unit), then run it.")
            return None
        key = (problem_id, part_id)
        if self.tries.get(key, 0) >= MAX_TRIES and self.scores.get(key, 0) < part.points:
            print("No tries left for this part; see the worked solution "
                  f"(%solution {problem_id}).")
            return None
        result = bankapi.grade_part(problem, variant, part, text)
        self.tries[key] = self.tries.get(key, 0) + 1
        self.scores[key] = max(self.scores.get(key, 0.0), part.points * result.score)
        mark = "✓" if result.correct else ("~" if result.score > 0 else "✗")
        print(f"{mark} {result.feedback}")
        left = MAX_TRIES - self.tries[key]
        if not result.correct:
            if left > 0:
                print(f"{left} {'try' if left == 1 else 'tries'} left. "
                      f"Hint: %hint {problem_id} {part_id}")
            else:
                print(f"No tries left. The answer is {result.expected}.")
                self.solution(problem_id)
        print(self.score_line())
        return result

    def hint(self, problem_id: str, part_id: str) -> None:
        """Show the part's next hint."""
        problem, variant = self._problem(problem_id)
        hints = [bankapi.fill(variant, h) for h in problem.part(part_id).hints]
        shown = self.hints_shown.get((problem_id, part_id), 0)
        if shown >= len(hints):
            print("No more hints for this part; %solution shows the worked solution.")
            return
        self.hints_shown[(problem_id, part_id)] = shown + 1
        _show_markdown(f"**Hint {shown + 1}/{len(hints)}:** {hints[shown]}")

    def solution(self, problem_id: str) -> None:
        """Show the worked solution of the student's variant."""
        _, variant = self._problem(problem_id)
        _show_markdown(bankapi.render("solution", variant, "markdown"))

    def score_line(self) -> str:
        """Points earned over the parts attempted so far."""
        earned = sum(self.scores.values())
        possible = sum(self._problem(pid)[0].part(part).points for pid, part in self.scores)
        return f"Running score: {earned:g} / {possible:g} points"
