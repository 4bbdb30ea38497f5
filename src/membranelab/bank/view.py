"""What a part's answer looks like, independent of the output format: the view atoms.

An answer kind (:mod:`membranelab.bank.kinds`) describes its reference answer as one of these
atoms; each output format renders the atoms it knows (a finite set owned by the formats), so a
new kind that shows its answer as a quantity, a formula or text needs no renderer edit.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["QuantityView", "MathView", "TextView", "AnswerView"]


@dataclass(frozen=True)
class QuantityView:
    """A number as text (significant figures applied) and its display unit (None: a pure
    number)."""

    number: str
    unit: str | None


@dataclass(frozen=True)
class MathView:
    """A formula: its LaTeX, and ``typed`` the way a student would type it."""

    latex: str
    typed: str


@dataclass(frozen=True)
class TextView:
    """Plain text (a choice)."""

    text: str


AnswerView = QuantityView | MathView | TextView
