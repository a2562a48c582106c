"""What the server does while its database is unreachable: wait a little before asking
again, and keep serving the figures it last had, with their age.

One ``Outage`` per process and database (``ui/data.py`` keeps them). When a read fails,
further reads skip the database for ``retry_seconds`` instead of each waiting for its
own timeout, so a page (and the wall) shows the banner at once; then the next read tries
again and the dashboard recovers by itself. Every good result is remembered (bounded by
entries and by size) and handed back, with the time it was read, when a read fails.
No Streamlit here: tested directly in tests/test_outage.py.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pandas as pd

# Results larger than this are not kept for an outage (a whole city's grid frame): the
# page shows its empty state instead of holding hundreds of MB for a rare event. All
# kept answers together stay under MAX_TOTAL_BYTES (the oldest go first).
MAX_KEPT_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Kept:
    value: Any
    read_at: float  # time.time() when the database gave it
    size: int = 0


def _size(value: Any) -> int:
    """About how many bytes a frame holds (8 per cell: exact for numbers, a floor for
    text): cheap enough for every read, where ``memory_usage`` costs a fraction of a ms."""
    if isinstance(value, pd.DataFrame):
        rows, columns = value.shape
        return rows * (columns + 1) * 8
    return 0


class Outage:
    """The process's view of its database: when it last failed, and the last good answers."""

    def __init__(
        self, retry_seconds: float = 10.0, max_entries: int = 256, max_bytes: int = MAX_TOTAL_BYTES, clock=time.monotonic
    ) -> None:
        self.retry_seconds = retry_seconds
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._bytes = 0
        self._clock = clock
        self._failed_at: float | None = None
        self._kept: OrderedDict[tuple, Kept] = OrderedDict()
        self._lock = threading.Lock()

    def failed(self) -> None:
        """A read could not reach the database."""
        with self._lock:
            self._failed_at = self._clock()

    def recovered(self) -> None:
        with self._lock:
            self._failed_at = None

    def waiting(self) -> bool:
        """True while reads should not try the database (it failed moments ago)."""
        with self._lock:
            return self._failed_at is not None and self._clock() - self._failed_at < self.retry_seconds

    def keep(self, key: tuple, value: Any) -> None:
        """Remember a good answer (the newest first out of the way of eviction)."""
        size = _size(value)
        if value is None or size > min(MAX_KEPT_BYTES, self.max_bytes):
            return
        with self._lock:
            previous = self._kept.pop(key, None)
            self._bytes -= previous.size if previous else 0
            self._kept[key] = Kept(value, time.time(), size)
            self._bytes += size
            while len(self._kept) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._kept.popitem(last=False)
                self._bytes -= dropped.size

    def last(self, key: tuple) -> Kept | None:
        with self._lock:
            return self._kept.get(key)

    def __len__(self) -> int:
        return len(self._kept)

    @property
    def kept_bytes(self) -> int:
        return self._bytes
