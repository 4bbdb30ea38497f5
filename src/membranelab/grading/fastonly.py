"""Grading that stays on the fast path, or says it cannot (:class:`SlowPath`).

Almost every answer is graded in well under a millisecond of pure Python: a number read and
compared, a choice, a formula read by the plain-tree parser and compared at a few points.  What
is slow is rare and known: sympy (imported on first use, then its simplification in a worker
process under a time limit, :mod:`.symbolic_worker`).  A caller that must not wait (a web
server grading on its event loop, where a thread hop and the GIL hand-offs cost more than the
grading) grades inside :func:`fast_only`; every slow step of the grader calls
:func:`slow_path` first, which then raises :class:`SlowPath` before any slow work begins, and
the caller grades the answer again where waiting is allowed (a thread).  Outside
:func:`fast_only`, :func:`slow_path` does nothing.

Grading is a pure function of the answer, so the work before the refusal is only lost, never
half done.  :class:`SlowPath` is a ``BaseException`` (as ``KeyboardInterrupt`` and
``asyncio.CancelledError`` are), so the grader's own ``except Exception`` guards, which turn an
internal failure into an incident, let it through.  The flag is a context variable: another
thread, or another task of the same event loop, never sees it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

__all__ = ["SlowPath", "fast_only", "is_fast_only", "slow_path"]

_FAST_ONLY: ContextVar[bool] = ContextVar("membranelab_grading_fast_only", default=False)


class SlowPath(BaseException):  # noqa: N818 - a signal to the caller, like KeyboardInterrupt
    """Raised inside :func:`fast_only` where grading would take a slow step (``args[0]``
    names it)."""


@contextlib.contextmanager
def fast_only() -> Iterator[None]:
    """Within the block, a slow step of grading raises :class:`SlowPath` instead of running."""
    token = _FAST_ONLY.set(True)
    try:
        yield
    finally:
        _FAST_ONLY.reset(token)


def is_fast_only() -> bool:
    """True inside :func:`fast_only`."""
    return _FAST_ONLY.get()


def slow_path(step: str) -> None:
    """Called before a slow step of grading (``step`` names it): raises :class:`SlowPath`
    inside :func:`fast_only`, else returns at once."""
    if _FAST_ONLY.get():
        raise SlowPath(step)
