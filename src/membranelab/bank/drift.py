"""Fingerprints of a problem's variants, so a released assignment's numbers can be guarded.

A fingerprint hashes everything that decides which numbers a student draws: the ``uid``, every
parameter (name, unit, grid or choices, canonical value) in file order, and the constraints. Any
edit that changes students' numbers changes it; editing texts, derived values, parts, hints or
the solution does not. ``course/assignments.yaml`` may record, per assignment, the fingerprints
at release (``released: {problem id: fingerprint}``); :func:`released_drift` lists the problems
whose fingerprint has moved since.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import Problem

__all__ = ["fingerprint", "Drift", "released_drift"]

logger = logging.getLogger(__name__)


def fingerprint(problem: Problem) -> str:
    """16 hex digits that change exactly when the numbers students draw can change."""
    data = {
        "uid": problem.seed_key,
        "params": [[p.name, p.unit, list(p.values), p.canonical] for p in problem.params.values()],
        "constraints": [c.text for c in problem.constraints],
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Drift:
    """A released problem whose variants changed (or that is no longer in the bank)."""

    assignment: str
    problem: str
    recorded: str
    current: str | None


def released_drift(assignments_file: str | Path, problems: Mapping[str, Problem]) -> list[Drift]:
    """Released problems of ``assignments_file`` whose fingerprint differs from the bank's.

    Assignments without ``released`` are not released and are skipped; an unreadable file gives
    an empty list (the course commands report its errors)."""
    try:
        data = yaml.safe_load(Path(assignments_file).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        logger.warning("cannot read %s for drift: %s", assignments_file, exc)
        return []
    out = []
    for entry in (data or {}).get("assignments", []) or []:
        released = entry.get("released") if isinstance(entry, dict) else None
        if not isinstance(released, dict):
            continue
        for pid, recorded in released.items():
            current = fingerprint(problems[pid]) if pid in problems else None
            if current != str(recorded):
                out.append(Drift(str(entry.get("id", "")), str(pid), str(recorded), current))
    return out
