"""The bank's plain values: Parameter, Derived, Choice, Answer (frozen dataclasses).

They hold numbers, names and expressions only: nothing here knows a problem, a part or a
variant (:mod:`membranelab.bank.model` holds those, and re-exports these).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from membranelab.grading.numformat import param_text
from membranelab.physics.units import to_si

from .expr import Expr

__all__ = ["Parameter", "Derived", "Choice", "Answer"]


@dataclass(frozen=True)
class Parameter:
    """One parameter of a problem, in its display ``unit``.

    Either a grid ``low, low + step, ..., high`` or a list of ``choices`` (a fixed value is a single
    choice). ``canonical`` is the source document's value. ``integer`` values display without a
    decimal point.
    """

    name: str
    unit: str
    canonical: float
    values: tuple[float, ...]
    integer: bool = False
    label: str = ""

    def to_si(self, value: float) -> float:
        """``value`` (in :attr:`unit`) in SI."""
        return to_si(value, self.unit)

    def display(self, value: float) -> str:
        """``value`` as the statement prints it (no unit)."""
        return param_text(value, self.integer)


@dataclass(frozen=True)
class Derived:
    """A named intermediate value: a solver call (``solver`` + ``args``) or an ``expr``.

    ``args`` values are names (of parameters or earlier derived values), numbers (SI), or lists and
    dicts of these. ``unit`` is only the display unit of ``{{name}}`` in templates (SI otherwise).
    """

    name: str
    solver: str | None = None
    args: Mapping[str, Any] = field(default_factory=dict)
    expr: Expr | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Choice:
    """The answer of a choice part: ``then`` when ``condition`` holds, else ``otherwise``.

    A literal answer is a Choice without a condition (``then`` is the answer).
    """

    then: str
    condition: Expr | None = None
    otherwise: str | None = None

    def pick(self, env: Mapping[str, float]) -> str:
        """The right choice for the values ``env`` (SI)."""
        if self.condition is None or self.condition.evaluate(env):
            return self.then
        return self.otherwise or ""


@dataclass(frozen=True)
class Answer:
    """A part's reference answer: ``kind`` its part's kind name, ``value`` in ``unit`` (None
    unless the answer is a quantity), ``si`` the same in SI, ``text`` what a student would write
    (number, formula or choice)."""

    part_id: str
    kind: str
    value: float | None
    unit: str | None
    si: float | None
    text: str

    @property
    def number(self) -> float:
        """``value`` of a quantity answer (ValueError for an answer of another kind)."""
        if self.value is None:
            raise ValueError(f"part {self.part_id}: a {self.kind} answer has no value")
        return self.value
