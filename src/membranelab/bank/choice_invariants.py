"""Invariants on the computed answer of a choice part: the physiology a direction rule must agree
with (``membranelab check`` verifies them in every variant it draws).

In a problem file they sit among the ``invariants`` as mappings::

    invariants:
      - "E_K < V_rest"                                             # an ordinary invariant
      - {part: direction, is: out of the cell, when: "I_K > 0"}    # on a choice's answer

which reads: part ``direction``'s computed answer is the choice ``out of the cell`` exactly when
``I_K > 0`` (the outward current of a cation), and another choice otherwise. The condition is
written from the physics (the sign of a current, of a potential change), independently of the
part's own ``answer: {if: ...}`` rule, so a reversed rule (``V_rest > E_K`` giving ``into the
cell``) fails the check instead of reaching students.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .expr import Expr

__all__ = ["ChoiceInvariant", "FIELDS"]

#: The keys of a choice invariant's mapping.
FIELDS = frozenset({"part", "is", "when"})


@dataclass(frozen=True)
class ChoiceInvariant:
    """Part ``part``'s answer is ``choice`` exactly when the condition ``when`` holds."""

    part: str
    choice: str
    when: Expr

    @property
    def text(self) -> str:
        """How the check names it."""
        return f"{self.part} is {self.choice!r} exactly when {self.when.text}"

    def holds(self, values: Mapping[str, float], answer: Any) -> bool:
        """Whether the computed ``answer`` (the choice's text) agrees with the condition over
        the variant's SI ``values``."""
        return (answer == self.choice) == bool(self.when.evaluate(values))
