"""Which locked cells of a submitted notebook the student changed: the ``locked cell edited``
flag of ``course grade``, named by grade id, each once.

nbgrader restores a locked cell a student edited (``OverwriteCells``), so an edit never changes
a grade, but a teacher wants to know of it.  Each locked cell of a released notebook carries in
its metadata the checksum nbgrader computed for the cell *as released*
(``metadata.nbgrader.checksum``: md5 of its text, type, flags, grade id and points); a cell whose
checksum no longer matches was edited.  Given the release notebook, the comparison uses the
release's checksums (which a student cannot edit) and also finds locked cells deleted.  Needs the
``[course]`` extra (nbgrader's own checksum function).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["LockedCellEdit", "locked_cell_edits"]


@dataclass(frozen=True)
class LockedCellEdit:
    """A locked cell the submission changed: ``kind`` ``edited`` (its text, type or points) or
    ``deleted`` (in the release, not in the submission)."""

    grade_id: str
    kind: str


def _node(cell: Mapping[str, Any]) -> Any:
    from nbformat import from_dict

    node = from_dict(dict(cell))
    if isinstance(node.get("source"), list):
        node["source"] = "".join(node["source"])
    return node


def _locked(cell: Mapping[str, Any]) -> dict[str, Any] | None:
    meta = (cell.get("metadata") or {}).get("nbgrader") or {}
    if not isinstance(meta, Mapping) or not meta.get("grade_id"):
        return None
    if meta.get("locked") or meta.get("grade") and not meta.get("solution"):
        return dict(meta)
    return None


def locked_cell_edits(notebook: Mapping[str, Any], release: Mapping[str, Any] | None = None
                      ) -> list[LockedCellEdit]:
    """The locked cells of ``notebook`` (a submitted notebook as a JSON mapping or an nbformat
    node) that differ from the release, in notebook order, each once; with ``release`` (the
    released notebook) its checksums are the reference and deleted locked cells are listed
    after the edited ones."""
    from nbgrader.utils import compute_checksum

    reference: dict[str, str] = {}
    if release is not None:
        for cell in release.get("cells", ()):
            meta = _locked(cell)
            if meta is not None:
                reference[meta["grade_id"]] = meta.get("checksum") or compute_checksum(_node(cell))
    edits: list[LockedCellEdit] = []
    seen: set[str] = set()
    for cell in notebook.get("cells", ()):
        meta = _locked(cell)
        if meta is None or meta["grade_id"] in seen:
            continue
        name = meta["grade_id"]
        seen.add(name)
        expected = reference.get(name) if release is not None else meta.get("checksum")
        if expected is None:
            continue  # not a locked cell of the release (or no checksum to compare)
        try:
            actual = compute_checksum(_node(cell))
        except (KeyError, TypeError, ValueError):
            actual = None  # metadata too damaged to checksum: changed all the same
        if actual != expected:
            edits.append(LockedCellEdit(name, "edited"))
    edits += [LockedCellEdit(name, "deleted") for name in reference if name not in seen]
    return edits
