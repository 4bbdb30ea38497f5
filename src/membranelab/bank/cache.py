"""A small thread-safe cache of the most recently used values (a problem's variants)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["LruCache"]


class LruCache:
    """The ``size`` most recently used values (a problem's variants), safe to share between
    threads.

    One lock guards the map; a missing variant is built outside it (two threads may build the
    same one: it is deterministic, the first stored wins and both get that one), so threads
    asking for different keys (students) never wait for each other's arithmetic.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The cached value of ``key``, or ``make()`` stored under it (least recent out)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        made = make()
        with self._lock:
            value = self._items.setdefault(key, made)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)
