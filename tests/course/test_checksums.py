"""Checksums of locked cells: an untouched locked cell raises no nbgrader warning, a real edit is
reported once, by name.

nbgrader keeps a test cell's checksum with its hidden tests and releases the cell without them,
so every hidden-test cell of every graded notebook used to be reported "changed" (one warning per
part, per student).  Through the real command lines on a graded course: alice hands in the
release with her right answers, bob edits one test cell and one statement cell; only bob's two
cells are reported, each once, and alice still gets every point (the hidden tests ran).
:func:`membranelab.course.locked.locked_cell_edits` names the same cells without nbgrader's run.
"""

from __future__ import annotations

import copy
import re
import shutil

import pytest

from membranelab.bank import load_bank
from membranelab.course.locked import LockedCellEdit, locked_cell_edits

from . import submissions as sub
from .test_graded_e2e import ASSIGNMENT, CONFIG, _answers, _fill, _key, _run

_WARNING = re.compile(r"Attribute 'checksum' for cell (\S+) has changed")


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def _edited(release: dict, parts) -> tuple[dict, list[str]]:
    """bob's notebook: the release with one test cell and one statement cell changed."""
    nb = copy.deepcopy(release)
    test_id = parts[0].test_id
    statement = next(sub.grade_id(c) for c in nb["cells"]
                     if sub.grade_id(c).endswith("-statement"))
    for cell in nb["cells"]:
        if sub.grade_id(cell) == test_id:
            cell["source"] = "score = 1.0  # edited by the student\n" + "".join(cell["source"])
        if sub.grade_id(cell) == statement:
            cell["source"] = "print('my own statement')"
    return nb, [test_id, statement]


@pytest.mark.slow
def test_only_real_edits_are_reported(tmp_path, bank):
    """No checksum warning for alice's untouched cells; one per edited cell of bob's, by name;
    alice's right answers earn every point."""
    from membranelab.course.build import part_cells
    from membranelab.service.assignments import load_assignments

    root = tmp_path / "course"
    root.mkdir()
    shutil.copy2(sub.COURSE / "nbgrader_config.py", root / "nbgrader_config.py")
    (root / "assignments.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "roster.txt").write_text("alice\nbob\n", encoding="utf-8")
    _run(root, "course", "build", "--course-dir", ".", secret=True, tool="membranelab")
    _run(root, "generate_assignment", ASSIGNMENT, secret=False)
    parts = part_cells(load_assignments(root / "assignments.yaml", bank.problems)[0], bank)
    release = sub.read_nb(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    assert "HIDDEN TESTS" not in str(release)
    sub.submit(root, "alice", ASSIGNMENT,
               _fill(release, parts, _answers(bank, "alice", _key("alice"))))
    bob, edited = _edited(release, parts)
    sub.submit(root, "bob", ASSIGNMENT, bob)
    proc = _run(root, "autograde", ASSIGNMENT, secret=True)
    _run(root, "export", secret=False)
    warned = _WARNING.findall(proc.stdout + proc.stderr)
    assert sorted(warned) == sorted(edited)
    import csv

    with open(root / "grades.csv", newline="", encoding="utf-8") as fh:
        grades = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(fh)}
    assert grades["alice"] == sum(pc.points for pc in parts)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """A formative course's release notebook (nbgrader generate_assignment)."""
    pytest.importorskip("nbgrader")
    from membranelab.service.assignments import load_assignments

    course = sub.copy_course(tmp_path_factory.mktemp("course"))
    assignment = load_assignments(sub.COURSE / "assignments.yaml")[0].id
    sub.nbgrader(course, "generate_assignment", assignment)
    return sub.read_nb(course / "release" / assignment / f"{assignment}.ipynb")


class TestLockedCellEdits:
    @pytest.mark.slow
    def test_untouched_and_answered_notebooks_have_no_edits(self, release):
        """The release as it is, and with an answer cell filled in: nothing to report."""
        assert locked_cell_edits(release) == []
        answered = copy.deepcopy(release)
        answer = next(c for c in answered["cells"]
                      if c["metadata"].get("nbgrader", {}).get("solution"))
        answer["source"] = 'E_K = "-90 mV"'
        assert locked_cell_edits(answered, release) == []

    @pytest.mark.slow
    def test_edits_and_deletions_by_name(self, release):
        """An edited statement and test cell, each once, in notebook order; with the release, a
        deleted locked cell too; forging the metadata checksum does not hide an edit."""
        nb = copy.deepcopy(release)
        locked = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("locked")]
        first, second, gone = locked[1], locked[3], locked[5]
        first["source"] = "print('edited')"
        second["source"] = "".join(second["source"]) + "\n# and this"
        second["metadata"]["nbgrader"]["checksum"] = "0" * 32  # forged
        nb["cells"].remove(gone)
        names = [sub.grade_id(c) for c in (first, second)]
        assert locked_cell_edits(nb) == [LockedCellEdit(n, "edited") for n in names]
        assert locked_cell_edits(nb, release) == [
            *(LockedCellEdit(n, "edited") for n in names),
            LockedCellEdit(sub.grade_id(gone), "deleted")]
