"""Errata of the source documents (data in ``membranelab/data/errata.yaml``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from .units import from_si, to_si

__all__ = ["Erratum", "Document", "source_errata", "source_documents", "erratum"]


@dataclass(frozen=True)
class Document:
    """A source document as a reader cites it: ``title`` (English), ``title_zh`` (its own)."""

    file: str
    title: str
    title_zh: str
    kind: str = ""


@dataclass(frozen=True)
class Erratum:
    """A wrong claim of a source document: what it says, the right value, and why.

    ``stated`` and ``correct`` are (number, unit) pairs as printed, or None for a statement.
    ``check`` names a physics solver and its arguments (SI floats) that recompute ``correct``.
    ``kind`` is ``error`` (the document is wrong) or ``note`` (right or only loose -- a rounding,
    a supposed example -- but a reader should know more).
    """

    id: str
    document: str
    claim: str
    stated: tuple[float, str] | None
    correct: tuple[float, str] | None
    why: str
    check_solver: str | None = None
    check_args: Mapping[str, float] | None = None
    quantity: str = ""
    section: str = ""
    section_zh: str = ""
    quote_zh: str = ""
    kind: str = "error"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"erratum {self.id}: kind must be one of {', '.join(KINDS)}, "
                             f"not {self.kind!r}")

    @property
    def source(self) -> Document:
        """The document this erratum is about (its title, for citing)."""
        return source_documents()[self.document]

    def recompute(self) -> float | None:
        """The solver's value for ``check``, converted to the unit of ``correct``; None without check."""
        if self.check_solver is None or self.correct is None or self.check_args is None:
            return None
        from . import SOLVERS

        value = float(SOLVERS[self.check_solver](**self.check_args))  # scalar arguments
        return from_si(value, self.correct[1])


#: What an entry of errata.yaml may be.
KINDS = ("error", "note")


def _pair(value: Any) -> tuple[float, str] | None:
    return None if value is None else (float(value[0]), str(value[1]))


@lru_cache(maxsize=1)
def source_errata() -> Mapping[str, Erratum]:
    """All errata by id, read once from the package data."""
    text = resources.files("membranelab").joinpath("data/errata.yaml").read_text("utf-8")
    out = {}
    for entry in yaml.safe_load(text):
        check = entry.get("check")
        out[entry["id"]] = Erratum(
            id=entry["id"],
            document=entry["document"],
            claim=entry["claim"],
            stated=_pair(entry.get("stated")),
            correct=_pair(entry.get("correct")),
            why=" ".join(entry["why"].split()),
            quantity=entry.get("quantity", ""),
            section=entry.get("section", ""),
            section_zh=entry.get("section_zh", ""),
            quote_zh=entry.get("quote_zh", ""),
            kind=entry.get("kind", "error"),
            check_solver=check["solver"] if check else None,
            check_args=(
                MappingProxyType({k: to_si(v) for k, v in check["args"].items()}) if check else None
            ),
        )
    return MappingProxyType(out)


@lru_cache(maxsize=1)
def source_documents() -> Mapping[str, Document]:
    """The source documents by file name, read once from the package data."""
    text = resources.files("membranelab").joinpath("data/documents.yaml").read_text("utf-8")
    return MappingProxyType({name: Document(name, e["title"], e["title_zh"], e.get("kind", ""))
                             for name, e in yaml.safe_load(text).items()})


def erratum(eid: str) -> Erratum:
    """One erratum by id; KeyError naming the known ids otherwise."""
    all_ = source_errata()
    if eid not in all_:
        raise KeyError(f"unknown erratum {eid!r}; known: {', '.join(sorted(all_))}")
    return all_[eid]
