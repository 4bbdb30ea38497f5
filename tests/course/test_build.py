"""membranelab.course.build: the committed course matches the bank; notebooks nbgrader accepts."""

from __future__ import annotations

import json
import re
import shutil

import nbformat
import pytest

from membranelab.bank import load_bank
from membranelab.course import build_course, check_course_drift, load_assignments
from membranelab.course.build import part_cells
from membranelab.physics.units import is_dimensionless

from .submissions import COURSE


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def assignments(bank):
    return load_assignments(COURSE / "assignments.yaml", bank.problems)


def _nb(assignment) -> dict:
    """The committed source notebook, each cell's source joined into one string."""
    path = COURSE / "source" / assignment.id / f"{assignment.id}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        cell["source"] = "".join(cell["source"])
    return nb


def _meta(cell) -> dict:
    return cell["metadata"].get("nbgrader", {})


class TestCommittedCourse:
    def test_no_drift(self, bank):
        """course/source is exactly what `membranelab course build` generates from the bank."""
        assert check_course_drift(COURSE, bank) == []

    def test_assignments_cover_the_bank(self, bank, assignments):
        """Every problem of the bank is in an assignment, and there are at least three."""
        assert len(assignments) >= 3
        covered = [pid for a in assignments for pid in a.problems]
        assert set(covered) == set(bank.problems)

    def test_config_is_an_nbgrader_course(self):
        """nbgrader_config.py names the course, the gradebook in the course dir, and the hooks."""
        text = (COURSE / "nbgrader_config.py").read_text(encoding="utf-8")
        assert 'course_id = "membranelab"' in text
        assert "gradebook.db" in text
        for hook in ("InjectStudentId", "StripStudentId", "RestoreAnswerCells"):
            assert f"membranelab.nbgrader_ext.{hook}" in text


class TestNotebookStructure:
    def test_valid_nbformat_with_stable_ids(self, assignments):
        """Each notebook is valid nbformat 4.5 with unique cell ids derived from grade ids."""
        for a in assignments:
            nb = nbformat.reads(json.dumps(_nb(a)), as_version=4)
            nbformat.validate(nb)
            ids = [c["id"] for c in nb.cells]
            assert len(ids) == len(set(ids))
            assert all(re.fullmatch(r"[A-Za-z0-9_-]{1,64}", i) for i in ids)
            grade_ids = [_meta(c)["grade_id"] for c in nb.cells]
            assert len(grade_ids) == len(set(grade_ids))

    def test_every_part_has_answer_and_locked_test(self, bank, assignments):
        """Per part: an unlocked solution cell, then a locked test cell worth the part's points."""
        for a in assignments:
            cells = {_meta(c)["grade_id"]: c for c in _nb(a)["cells"]}
            order = [_meta(c)["grade_id"] for c in _nb(a)["cells"]]
            for pc in part_cells(a, bank):
                answer, test = cells[pc.answer_id], cells[pc.test_id]
                assert _meta(answer)["solution"] and not _meta(answer)["grade"]
                assert not _meta(answer)["locked"]
                assert "### BEGIN SOLUTION" in answer["source"]
                assert f'{pc.variable} = ""' in answer["source"]
                assert _meta(test)["grade"] and _meta(test)["locked"]
                assert not _meta(test)["solution"]
                assert _meta(test)["points"] == pytest.approx(pc.points)
                points = bank.problems[pc.problem_id].part(pc.part_id).points
                assert pc.points == pytest.approx(points)
                assert order.index(pc.answer_id) < order.index(pc.test_id)

    def test_test_cells_end_with_the_check_score(self, bank, assignments):
        """A test cell's last statement is the check() call (its value, in [0, points], is the
        grade) with the cell's points and the assignment's feedback level."""
        import ast

        for a in assignments:
            cells = {_meta(c)["grade_id"]: c for c in _nb(a)["cells"]}
            for pc in part_cells(a, bank):
                last = ast.parse(cells[pc.test_id]["source"]).body[-1]
                assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)
                call = last.value
                assert call.func.id == "check"
                assert [ast.literal_eval(x) for x in call.args[:3]] == [
                    a.id, pc.problem_id, pc.part_id]
                keywords = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
                language = {"lang": a.lang} if a.lang != "en" else {}  # English: no lang=
                assert keywords == {"points": _meta(cells[pc.test_id])["points"],
                                    "feedback": "named", **language}
                answer = ast.unparse(call.args[3])
                if pc.name == pc.variable:
                    assert answer == f"globals().get({pc.variable!r})"
                else:
                    assert answer.startswith(f"answer_in(globals(), {pc.variable!r}, "
                                             f"{pc.name!r}, ")

    def test_answer_cells_name_variable_and_unit(self, bank, assignments):
        """The pre-filled line names the part and, for a numeric part, its unit; where the
        variable is not the prompt's own name, the cell says that name works too."""
        for a in assignments:
            cells = {_meta(c)["grade_id"]: c for c in _nb(a)["cells"]}
            for pc in part_cells(a, bank):
                source = cells[pc.answer_id]["source"]
                part = bank.problems[pc.problem_id].part(pc.part_id)
                prefilled = next(line for line in source.splitlines()
                                 if line.startswith(f'{pc.variable} = ""'))
                if part.kind == "numeric" and not is_dimensionless(part.answer_kind.unit):
                    assert prefilled.endswith(f"# {pc.part_id}, in {part.answer_kind.unit}")
                if pc.name != pc.variable:
                    works_too = {"en": f'writing {pc.name} = "..." in this cell works too',
                                 "zh": f'在本单元格中写 {pc.name} = "..." 也可以'}
                    assert works_too[a.lang] in source

    def test_answer_variables_unique_per_notebook(self, bank, assignments):
        """Two parts never share an answer variable, so a deleted cell cannot lend another's."""
        for a in assignments:
            names = [pc.variable for pc in part_cells(a, bank)]
            assert len(names) == len(set(names))
            assert all(n.isidentifier() for n in names)

    def test_statement_cells_have_no_numbers_template(self, assignments):
        """Markdown cells hold no raw {{placeholders}}: numbers come from show_variant."""
        for a in assignments:
            for cell in _nb(a)["cells"]:
                if cell["cell_type"] == "markdown":
                    assert "{{" not in cell["source"]
                    assert _meta(cell)["locked"]


class TestBuild:
    def test_build_is_deterministic_and_detects_drift(self, tmp_path, bank):
        """Two builds give identical bytes; an edited or extra notebook is reported."""
        course = tmp_path / "course"
        course.mkdir()
        shutil.copy2(COURSE / "assignments.yaml", course / "assignments.yaml")
        paths = build_course(course, bank)
        first = {p: p.read_bytes() for p in paths}
        assert build_course(course, bank) == paths
        assert {p: p.read_bytes() for p in paths} == first
        assert check_course_drift(course, bank) == []
        paths[0].write_text(paths[0].read_text(encoding="utf-8").replace("points", "pts"),
                            encoding="utf-8")
        (course / "source" / "extra").mkdir()
        (course / "source" / "extra" / "extra.ipynb").write_text("{}", encoding="utf-8")
        drift = check_course_drift(course, bank)
        assert any("differs from the bank" in m for m in drift)
        assert any("extra.ipynb: not generated" in m for m in drift)
        paths[0].unlink()
        assert any("missing" in m for m in check_course_drift(course, bank))

    def test_unknown_problem_is_an_error(self, tmp_path, bank):
        """An assignment naming a problem the bank lacks fails the build, naming the id."""
        (tmp_path / "assignments.yaml").write_text(
            "assignments:\n  - {id: ps1, title: T, problems: [no-such-problem]}\n",
            encoding="utf-8")
        with pytest.raises(ValueError, match="no-such-problem"):
            build_course(tmp_path, bank)


class TestSolutionRegions:
    def test_instructor_answers_earn_full_points(self, monkeypatch, bank, assignments):
        """The answer the source notebook's solution region computes (for the current student)
        earns the part's points from check(), for every part of every assignment."""
        from membranelab.course.key import answer_text
        from membranelab.student import check

        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        for a in assignments:
            for pc in part_cells(a, bank):
                text = answer_text(a.id, pc.problem_id, pc.part_id)
                score = check(a.id, pc.problem_id, pc.part_id, text)
                assert score == pytest.approx(pc.points), (a.id, pc.answer_id, text)
