"""Checksums of locked cells: :func:`membranelab.course.locked.locked_cell_edits` reports a real
edit of a locked cell once, by name, and nothing for an untouched or answered notebook.

(A graded course is no longer autograded by nbgrader -- ``course grade`` grades it and flags an
edited locked cell itself -- so the end-to-end check of nbgrader's checksum warnings on a graded
course went with that path.)
"""

from __future__ import annotations

import copy
import re

import pytest

from membranelab.bank import load_bank
from membranelab.course.locked import LockedCellEdit, locked_cell_edits

from . import submissions as sub

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
