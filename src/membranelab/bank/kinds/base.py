"""The answer-kind registry, and the protocol's names in one place.

An answer kind is one frozen dataclass per kind of answer (``numeric``, ``symbolic``,
``choice``...) subclassing :class:`~membranelab.bank.protocols.AnswerKind` (the protocol and its
phases: spec, reference, parse, grade, describe, examples, view, translation, self-checks; the
values they exchange are in :mod:`membranelab.bank.phases`), decorated with :func:`register`.
It is found by the ``kind:`` field of a part. No module outside this package branches on a
kind's name.
"""

from __future__ import annotations

from ..phases import EXPECTATIONS, READING_FORMS, Example, KindFinding, Reading, SpecContext
from ..protocols import AnswerKind
from ..registry import Registry

__all__ = ["EXPECTATIONS", "KINDS", "READING_FORMS", "AnswerKind", "Example", "KindFinding",
           "Reading", "SpecContext", "kind_class", "kind_names",
           "register", "unregister"]

KINDS: Registry[type[AnswerKind]] = Registry("answer kind")
#: Class decorator: make a kind class the kind named by its ``name``.
register = KINDS.register
#: Forget a kind (tests and plug-ins that add one for a while).
unregister = KINDS.remove
#: The registered kinds' names, in registration order.
kind_names = KINDS.names
#: The kind registered under a name (None when there is none).
kind_class = KINDS.get
