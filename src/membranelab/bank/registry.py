"""A registry of named things: answer kinds, plot kinds, output formats.

Each extension point keeps one :class:`Registry`; a module adds its class under its name (a
decorator), and the rest of the package finds it by name. One name, one thing: adding a second,
different thing under a taken name is a programming error. Safe to share between threads.
"""

from __future__ import annotations

import threading
from typing import Generic, Protocol, TypeVar, cast

__all__ = ["Registry"]

T = TypeVar("T")


class _Named(Protocol):
    """A class registered under its ``name`` attribute."""

    @property
    def name(self) -> str: ...


C = TypeVar("C", bound=_Named)


class Registry(Generic[T]):
    """Things of one sort (``what``: "answer kind"), by name, in the order they were added."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._items: dict[str, T] = {}
        self._lock = threading.Lock()

    def add(self, name: str, item: T) -> T:
        """Register ``item`` as ``name`` (again with the same item: nothing changes)."""
        with self._lock:
            taken = self._items.get(name)
            if taken is not None and taken is not item:
                raise ValueError(f"{self.what} {name!r} is already registered ({taken!r})")
            self._items[name] = item
        return item

    def remove(self, name: str) -> None:
        """Forget ``name`` (tests and plug-ins that add something for a while)."""
        with self._lock:
            self._items.pop(name, None)

    def names(self) -> tuple[str, ...]:
        """The registered names, in registration order."""
        with self._lock:
            return tuple(self._items)

    def get(self, name: object) -> T | None:
        """The thing registered as ``name`` (None when there is none or ``name`` is not text)."""
        with self._lock:
            return self._items.get(name) if isinstance(name, str) else None

    def register(self, cls: C) -> C:
        """Class decorator: register ``cls`` under its ``name`` attribute."""
        self.add(cls.name, cast(T, cls))
        return cls

    def expected(self) -> str:
        """The names as a sentence lists them: ``a, b or c``."""
        names = self.names()
        return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)
