"""membranelab.course.autograded: the submission as nbgrader's sanitize step leaves it."""

from __future__ import annotations

from membranelab.course.autograded import (
    SourceCell,
    SourceNotebook,
    fill_outputs,
    locked_changes,
    sanitize,
    stream,
    value_output,
)

SOURCE = SourceNotebook("hw", (
    SourceCell("intro", "markdown", "# Homework", True, False, False),
    SourceCell("p-statement", "code", "show_variant('hw', 'p')", True, False, False),
    SourceCell("p-E-answer", "code", 'E = ""', False, True, False),
    SourceCell("p-E-test", "code", "read_back('hw', 'p', 'E', E)", True, False, True, 1.0),
), {"name": "python3"})


def _cell(gid: str | None, source: str, kind: str = "code", **extra) -> dict:
    meta = {"nbgrader": {"grade_id": gid}} if gid else {}
    cell = {"cell_type": kind, "metadata": meta, "source": source, **extra}
    if kind == "code":
        cell.setdefault("outputs", [{"output_type": "stream", "name": "stdout",
                                     "text": "forged 1/1"}])
    return cell


def _submitted(**changes) -> dict:
    cells = [_cell("intro", "# Homework", "markdown"), _cell("p-statement", "show_variant('hw', 'p')"),
             _cell("p-E-answer", 'E = "-95 mV"'), _cell("p-E-test", "read_back('hw', 'p', 'E', E)")]
    for gid, text in changes.items():
        for cell in cells:
            if cell["metadata"]["nbgrader"]["grade_id"] == gid.replace("_", "-"):
                cell["source"] = text
    return {"cells": cells}


class TestSanitize:
    def test_outputs_dropped_and_answers_kept(self):
        """A forged output is gone; the typed answer stays; locked cells carry the source's
        nbgrader metadata (points of a grade cell included)."""
        cells = sanitize(_submitted(), SOURCE)
        assert [c["source"] for c in cells] == ["# Homework", "show_variant('hw', 'p')",
                                                'E = "-95 mV"', "read_back('hw', 'p', 'E', E)"]
        assert all(c.get("outputs", []) == [] for c in cells)
        assert cells[3]["metadata"]["nbgrader"]["points"] == 1.0

    def test_edited_locked_cell_restored(self):
        """A rewritten test cell gets the source's text back."""
        cells = sanitize(_submitted(p_E_test="1  # full marks"), SOURCE)
        assert cells[3]["source"] == "read_back('hw', 'p', 'E', E)"

    def test_deleted_cells_put_back_in_place(self):
        """Deleted answer and test cells come back after the cell before them, the answer with
        the release text."""
        nb = _submitted()
        nb["cells"] = nb["cells"][:2] + [_cell(None, "print('mine')")]
        cells = sanitize(nb, SOURCE)
        assert [c["source"] for c in cells] == ["# Homework", "show_variant('hw', 'p')",
                                                'E = ""', "read_back('hw', 'p', 'E', E)",
                                                "print('mine')"]

    def test_cell_ids_unique(self):
        """Duplicate ids from a student's copy-paste become unique."""
        nb = _submitted()
        for cell in nb["cells"]:
            cell["id"] = "same"
        ids = [c["id"] for c in sanitize(nb, SOURCE)]
        assert len(set(ids)) == len(ids)


class TestLockedChanges:
    def test_unchanged_submission(self):
        assert locked_changes(_submitted(), SOURCE) == []

    def test_edited_and_deleted(self):
        """An edited test cell and a deleted statement cell are both named, in order."""
        nb = _submitted(p_E_test="1")
        nb["cells"] = [c for c in nb["cells"]
                       if c["metadata"]["nbgrader"]["grade_id"] != "p-statement"]
        assert locked_changes(nb, SOURCE) == ["p-statement", "p-E-test"]

    def test_answer_cells_are_the_students(self):
        """Changing an answer cell is not a locked-cell edit."""
        assert locked_changes(_submitted(p_E_answer='E = "1 V"'), SOURCE) == []


def test_fill_outputs_numbers_executions():
    """Outputs go to their cells, execution counts in notebook order, the value numbered."""
    cells = sanitize(_submitted(), SOURCE)
    fill_outputs(cells, {"p-statement": [stream("hi\n")],
                         "p-E-test": [stream("ok\n"), value_output("1", 0)]})
    assert cells[1]["execution_count"] == 1 and cells[3]["execution_count"] == 2
    assert cells[3]["outputs"][1]["execution_count"] == 2
    assert cells[2]["outputs"] == []
