"""membranelab.course.submission: one notebook graded from its typed answers, in its language."""

from __future__ import annotations

import hashlib
import json
from types import SimpleNamespace

import pytest

from membranelab.bank import load_bank
from membranelab.course.autograded import SourceCell, SourceNotebook
from membranelab.course.build import assignment_notebook, part_cells
from membranelab.course.submission import grade_submission
from membranelab.service import Course, GradingService
from membranelab.service.assignments import Assignment

SECRET = hashlib.sha256(b"submission test").digest()


def _source(nb) -> SourceNotebook:
    cells = []
    for cell in nb.cells:
        meta = cell.metadata["nbgrader"]
        cells.append(SourceCell(meta["grade_id"], cell.cell_type, cell.source, meta["locked"],
                                meta["solution"], meta["grade"], meta.get("points")))
    return SourceNotebook("hw", tuple(cells), {"name": "python3"})


@pytest.fixture(scope="module")
def setting():
    bank = load_bank()
    assignment = Assignment("hw", "hw", ("nernst-potassium",), graded=True, lang="zh")
    nb = assignment_notebook(assignment, bank)
    course = Course(graded=frozenset({"hw"}), secret=SECRET)
    ctx = SimpleNamespace(assignment=assignment, bank=bank, parts=part_cells(assignment, bank),
                          source=_source(nb), service=GradingService(bank, course))
    return ctx, json.loads(json.dumps(nb))


def _typed(ctx, nb: dict, student: str, computed: str | None = None) -> dict:
    """``nb`` with each answer cell holding the student's keyed right answer (recomputed with
    the bank's solver for the key of the documented formula)."""
    import hmac

    key = hmac.new(SECRET, f"membranelab-variant\x1fhw\x1f{student}".encode(),
                   hashlib.sha256).digest()
    variant = ctx.bank.problems["nernst-potassium"].variant(student, "hw", key=key)
    out = json.loads(json.dumps(nb))
    for pc in ctx.parts:
        answer = variant.answers()[pc.part_id]
        text = f"{answer.text} {answer.unit}" if answer.kind == "numeric" else answer.text
        source = f"{pc.variable} = {json.dumps(text)}"
        if pc.part_id == computed:
            source = f'{pc.variable} = "".join([{json.dumps(text)}])'
        for cell in out["cells"]:
            if cell["metadata"]["nbgrader"]["grade_id"] == pc.answer_id:
                cell["source"] = source
    return out


def _outputs(graded, grade_id: str) -> str:
    cell = next(c for c in graded.notebook["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)
    return "".join(o.get("text", "") + o.get("data", {}).get("text/markdown", "")
                   for o in cell["outputs"])


class TestGradeSubmission:
    def test_right_answers_full_marks_feedback_in_chinese(self, setting):
        """Keyed right answers score every point; the feedback, the points line and the worked
        solution's heading are in the assignment's language."""
        ctx, nb = setting
        graded = grade_submission(_typed(ctx, nb, "alice"), "alice", ctx)
        assert graded.scores == {pc.test_id: pc.points for pc in ctx.parts}
        last = ctx.parts[-1].test_id
        assert "正确" in _outputs(graded, ctx.parts[0].test_id)
        assert "参考解答" in _outputs(graded, last)
        assert graded.flags == () and graded.numbers == {}

    def test_computed_answer_scores_nothing_and_is_listed(self, setting):
        """An answer built by code is not run: 0 points, said in the feedback, flagged."""
        ctx, nb = setting
        graded = grade_submission(_typed(ctx, nb, "bob", computed="E_K"), "bob", ctx)
        test = next(pc.test_id for pc in ctx.parts if pc.part_id == "E_K")
        assert graded.scores[test] == 0
        assert "代码" in _outputs(graded, test)
        assert [f.kind for f in graded.flags] == ["computed"]

    def test_release_untouched_is_no_response(self, setting):
        """The release as it was: 0 everywhere and every answer cell 'No response.'."""
        ctx, nb = setting
        graded = grade_submission(nb, "carol", ctx)
        assert set(graded.scores.values()) == {0.0}
        assert graded.unanswered == {pc.answer_id for pc in ctx.parts}

    def test_someone_elses_answers_are_not_right(self, setting):
        """alice's answers handed in by dave score no numeric point, and are kept for the
        copied flag."""
        ctx, nb = setting
        graded = grade_submission(_typed(ctx, nb, "alice"), "dave", ctx)
        e_k = next(pc.test_id for pc in ctx.parts if pc.part_id == "E_K")
        assert graded.scores[e_k] == 0 and e_k in graded.numbers
