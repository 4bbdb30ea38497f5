"""Answer kinds as types, found in a registry (the protocol, with its phases:
:class:`membranelab.bank.protocols.AnswerKind`).

Built in: :class:`~.numeric.Numeric` (``numeric``), :class:`~.symbolic.Symbolic`
(``symbolic``) and :class:`~.choice.Choices` (``choice``). A new kind is one module: a frozen
dataclass subclassing :class:`AnswerKind`, decorated with :func:`register`, imported before the
bank is loaded (built-in kinds are imported here). Everything about a kind lives in its
module: its fields, reference answer, named mistakes, parsing, grading, examples and its texts
in a translation overlay.
"""

from __future__ import annotations

# The built-in kinds, registered in this order (the order messages list them in).
from . import numeric, symbolic, choice  # noqa: F401, I001  # isort: skip
from .base import (
    EXPECTATIONS,
    KINDS,
    READING_FORMS,
    AnswerKind,
    Example,
    KindFinding,
    Reading,
    SpecContext,
    kind_class,
    kind_names,
    register,
    unregister,
)
from .choice import Choices
from .numeric import Numeric
from .symbolic import Symbolic

__all__ = ["EXPECTATIONS", "KINDS", "READING_FORMS", "AnswerKind", "Choices", "Example",
           "KindFinding", "Numeric", "Reading", "SpecContext",
           "Symbolic", "kind_class", "kind_names", "register", "unregister"]
