"""The boundary of a problem's parameter grid: its corners (each parameter at its lowest or
highest value) and points on its edges (one parameter at an inner grid value, the others at
their extremes). Random students rarely land there, and a problem's invariants break there
first (a pump effect of -5.03 mV where the documents allow -1 to -5): ``membranelab check``
(:mod:`membranelab.bank.check`) checks these points besides its random variants.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Problem

__all__ = ["Boundary", "boundary_points", "describe_point", "MAX_BOUNDARY"]

#: Most boundary points checked per problem (all corners first, then edge points).
MAX_BOUNDARY = 1024


@dataclass(frozen=True)
class Boundary:
    """What the boundary check did: corners and edge points checked of how many there are, and
    how many of those checked lie outside the constraints (no variant: skipped)."""

    corners: int
    corners_total: int
    edges: int
    edges_total: int
    outside: int

    @property
    def complete(self) -> bool:
        """Whether every corner and edge point was checked."""
        return self.corners == self.corners_total and self.edges == self.edges_total


def _spread(total: int, wanted: int) -> list[int]:
    """``wanted`` indexes of ``range(total)`` spread evenly (all when there are few enough)."""
    if wanted >= total:
        return list(range(total))
    if wanted <= 0:
        return []
    return sorted({round(j * (total - 1) / max(wanted - 1, 1)) for j in range(wanted)})


def boundary_points(problem: Problem, limit: int = MAX_BOUNDARY
                    ) -> tuple[list[tuple[str, dict[str, float]]], Boundary]:
    """The grid's corners, then points on its edges (one parameter at an inner grid value, the
    others at their extremes), at most ``limit`` in all, each as (``corner`` | ``edge``,
    display values); and the counts (the ``outside`` count is left 0 here)."""
    params = problem.params
    varying = [name for name, p in params.items() if len(set(p.values)) > 1]
    fixed = {name: p.values[0] for name, p in params.items() if name not in varying}
    ends = {name: (min(params[name].values), max(params[name].values)) for name in varying}
    inner = {name: sorted(set(params[name].values) - set(ends[name])) for name in varying}
    k = len(varying)

    def corner(bits: int, skip: str = "") -> dict[str, float]:
        others = [name for name in varying if name != skip]
        return {name: ends[name][(bits >> i) & 1] for i, name in enumerate(others)}

    corners_total = 2 ** k
    corner_ids = _spread(corners_total, limit)
    points = [("corner", {**fixed, **corner(b)}) for b in corner_ids]
    per_value = 2 ** (k - 1) if k else 0
    blocks = [(name, len(inner[name]) * per_value) for name in varying]
    edges_total = sum(size for _, size in blocks)
    edge_ids = _spread(edges_total, limit - len(points))
    for index in edge_ids:
        for name, size in blocks:
            if index < size:
                value = inner[name][index // per_value]
                points.append(("edge", {**fixed, **corner(index % per_value, name),
                                        name: value}))
                break
            index -= size
    return points, Boundary(len(corner_ids), corners_total, len(edge_ids), edges_total, 0)


def describe_point(problem: Problem, display: dict[str, float]) -> str:
    """The varying parameters of a point, with their units (``K_out=3 mM, g_K=80 nS``)."""
    return ", ".join(f"{name}={problem.params[name].display(v)}"
                     + (f" {problem.params[name].unit}" if problem.params[name].unit
                        not in ("", "dimensionless") else "")
                     for name, v in display.items() if len(set(problem.params[name].values)) > 1)
