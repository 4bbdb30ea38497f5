"""Named parameter sets behind the documents' claims (data in ``membranelab/data/scenarios.yaml``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

import yaml

from .units import to_si

__all__ = ["Scenario", "load_scenarios", "scenario"]


@dataclass(frozen=True)
class Scenario:
    """A documented parameter set; ``values`` are SI floats (K, mol/m^3 = mM, S, A, V, s, m, F/m^2)."""

    id: str
    source: str
    claim: str
    notes: str
    values: Mapping[str, float] = field(default_factory=dict)

    def __getitem__(self, name: str) -> float:
        return self.values[name]


@lru_cache(maxsize=1)
def load_scenarios() -> Mapping[str, Scenario]:
    """All scenarios by id, read once from the package data."""
    text = resources.files("membranelab").joinpath("data/scenarios.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    out = {}
    for sid, entry in raw.items():
        values = {name: to_si(pair) for name, pair in entry["values"].items()}
        out[sid] = Scenario(
            id=sid,
            source=entry["source"],
            claim=entry["claim"],
            notes=entry.get("notes", ""),
            values=MappingProxyType(values),
        )
    return MappingProxyType(out)


def scenario(sid: str) -> Scenario:
    """One scenario by id; KeyError naming the known ids otherwise."""
    all_ = load_scenarios()
    if sid not in all_:
        raise KeyError(f"unknown scenario {sid!r}; known: {', '.join(sorted(all_))}")
    return all_[sid]
