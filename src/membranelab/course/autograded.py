"""The notebook ``nbgrader autograde`` would write, made without running a cell.

``membranelab course grade`` writes ``autograded/<student>/<assignment>/<notebook>.ipynb`` so
that ``nbgrader generate_feedback`` and the formgrader show each student's work.  It is the
submitted notebook put through what nbgrader's own sanitize step does (nbgrader 0.9.6:
``ClearOutput``, ``DeduplicateIds``, ``OverwriteKernelspec``, ``RestoreAnswerCells``,
``OverwriteCells`` with ``add_missing_cells``), with the outputs the grader computed in place of
the outputs of an executed kernel:

* every output the student's notebook carried is dropped (it was never run here);
* a locked cell (a statement, a prompt, a test) gets back the source's text and nbgrader
  metadata; one the student deleted is put back after the source cell before it, and an answer
  cell the student deleted comes back with the release text (``E_K = ""``);
* each test cell's output is the grader's feedback and points line (stdout, in the assignment's
  language) and the points as its value, as a test cell calling ``check`` prints them; the last
  part of each problem also shows the worked solution with the student's numbers;
* the display cells show the statement and prompts with the student's numbers.

:func:`locked_changes` names the locked cells the student changed or deleted (what
``OverwriteCells`` silently undoes), for the teacher's ``locked cell edited`` flag.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["SourceCell", "SourceNotebook", "cell_text", "fill_outputs", "locked_changes",
           "markdown_output", "sanitize", "stream", "value_output"]

_CELL_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class SourceCell:
    """One cell of the assignment as nbgrader's gradebook keeps it (release text, locks)."""

    name: str
    cell_type: str
    source: str
    locked: bool
    solution: bool
    grade: bool
    points: float | None = None
    checksum: str | None = None

    def metadata(self) -> dict[str, Any]:
        """The cell's nbgrader metadata, as ``OverwriteCells`` restores it."""
        meta: dict[str, Any] = {"grade": self.grade, "grade_id": self.name,
                                "locked": self.locked, "schema_version": 3,
                                "solution": self.solution, "task": False}
        if self.grade and self.points is not None:
            meta["points"] = self.points
        if self.checksum:
            meta["checksum"] = self.checksum
        return {"nbgrader": meta}


@dataclass(frozen=True)
class SourceNotebook:
    """The assignment's cells in notebook order, and its kernel spec."""

    name: str
    cells: tuple[SourceCell, ...]
    kernelspec: Mapping[str, Any]

    def cell(self, name: str) -> SourceCell | None:
        """The source cell called ``name``, or None."""
        return next((c for c in self.cells if c.name == name), None)


def cell_text(cell: Mapping[str, Any]) -> str:
    """A notebook cell's source as one string (nbformat allows a list of lines)."""
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def _grade_id(cell: Mapping[str, Any]) -> str | None:
    meta = cell.get("metadata")
    info = meta.get("nbgrader") if isinstance(meta, Mapping) else None
    gid = info.get("grade_id") if isinstance(info, Mapping) else None
    return gid if isinstance(gid, str) else None


def _cells(nb: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    cells = nb.get("cells") if isinstance(nb, Mapping) else None
    if not isinstance(cells, list):
        return []
    return [c for c in cells if isinstance(c, Mapping)
            and c.get("cell_type") in ("code", "markdown", "raw")]


def locked_changes(nb: Mapping[str, Any], source: SourceNotebook) -> list[str]:
    """Grade ids of the locked cells whose text or type the submission changed, or that it
    lacks (deleted, or their nbgrader metadata stripped), in notebook order."""
    present: dict[str, Mapping[str, Any]] = {}
    for cell in _cells(nb):
        gid = _grade_id(cell)
        if gid is not None and gid not in present:
            present[gid] = cell
    changed = []
    for sc in source.cells:
        if not sc.locked:
            continue
        kept = present.get(sc.name)
        if kept is None or kept.get("cell_type") != sc.cell_type or cell_text(kept) != sc.source:
            changed.append(sc.name)
    return changed


def _new_cell(cell_type: str, source: str, metadata: dict[str, Any], cell_id: str
              ) -> dict[str, Any]:
    cell: dict[str, Any] = {"cell_type": cell_type, "id": cell_id, "metadata": metadata,
                            "source": source}
    if cell_type == "code":
        cell["execution_count"] = None
        cell["outputs"] = []
    return cell


def _unique_id(wanted: str, taken: set[str]) -> str:
    cid = wanted if _CELL_ID.match(wanted or "") else re.sub(r"[^A-Za-z0-9_-]", "-",
                                                              wanted or "cell")[:64] or "cell"
    base, n = cid[:58], 1
    while cid in taken:
        cid, n = f"{base}-{n}", n + 1
    taken.add(cid)
    return cid


def sanitize(nb: Mapping[str, Any], source: SourceNotebook) -> list[dict[str, Any]]:
    """The submission's cells as nbgrader's sanitize step leaves them (see the module text):
    outputs cleared, locked cells restored, deleted source cells put back, ids unique."""
    taken: set[str] = set()
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for cell in _cells(nb):
        gid = _grade_id(cell)
        sc = source.cell(gid) if gid is not None and gid not in seen else None
        wanted = str(cell.get("id")) if isinstance(cell.get("id"), str) else ""
        if sc is not None:
            seen.add(sc.name)
            text = sc.source if sc.locked else cell_text(cell)
            out.append(_new_cell(sc.cell_type, text, sc.metadata(), _unique_id(wanted, taken)))
        else:  # the student's own cell: kept as text, never run; a duplicate grade id dropped
            kind = cell.get("cell_type", "code")
            out.append(_new_cell(kind, cell_text(cell), {}, _unique_id(wanted, taken)))
    names = [sc.name for sc in source.cells]
    for index, sc in enumerate(source.cells):
        if sc.name in seen:
            continue
        position = 0
        for earlier in reversed(names[:index]):
            hit = next((i for i, c in enumerate(out) if _grade_id(c) == earlier), None)
            if hit is not None:
                position = hit + 1
                break
        out.insert(position, _new_cell(sc.cell_type, sc.source, sc.metadata(),
                                       _unique_id(sc.name, taken)))
        seen.add(sc.name)
    return out


def stream(text: str) -> dict[str, Any]:
    """A stdout stream output."""
    return {"name": "stdout", "output_type": "stream", "text": text}


def markdown_output(text: str) -> dict[str, Any]:
    """A displayed Markdown output (what ``IPython.display.Markdown`` leaves)."""
    return {"data": {"text/markdown": text, "text/plain": "<IPython.core.display.Markdown "
                                                          "object>"},
            "metadata": {}, "output_type": "display_data"}


def value_output(text: str, count: int) -> dict[str, Any]:
    """A cell's value (``execute_result``), as nbgrader reads a test cell's partial credit."""
    return {"data": {"text/plain": text}, "execution_count": count, "metadata": {},
            "output_type": "execute_result"}


def fill_outputs(cells: Sequence[dict[str, Any]], outputs: Mapping[str, list[dict[str, Any]]]
                 ) -> None:
    """Put ``outputs[grade id]`` into each such code cell, numbering the executions in order."""
    count = 0
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        found = outputs.get(_grade_id(cell) or "")
        if found is None:
            continue
        count += 1
        cell["execution_count"] = count
        cell["outputs"] = [dict(o, execution_count=count) if o["output_type"] == "execute_result"
                           else o for o in found]
