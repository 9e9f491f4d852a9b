"""A cache within a budget of bytes, least recently used first out: what a long-lived process (the
web app, a batch or Dask worker) keeps of what it drew, so that it reuses it without keeping all."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class SizedLRU(Generic[K, V]):
    """Values by key, each with its size in bytes; once they hold more than ``budget``, the least
    recently used are dropped (the newest always stays). Locked: a process's threads share it."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def keep(self, key: K, value: V, size: int) -> V:
        """``value`` (``size`` bytes) kept under ``key``, or the value already kept there, returned
        instead: two threads that made the same value both go on with the first one kept."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found[0]
            self._items[key] = (value, size)
            self.used += size
            while self.used > self.budget and len(self._items) > 1:
                _, (_, dropped) = self._items.popitem(last=False)
                self.used -= dropped
            return value
