"""Independent reads of one request run two at a time: each on its own connection, so
while one waits for the database (SQLite works outside Python's lock while it reads; a
server database on its own processes) the other's Python runs. Used by the alerts and
the data checks, whose rules read different tables and share nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")

WORKERS = 2  # the machines the command centres run on: 2 cores and up
_PREFIX = "dashboard-parts"
_POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix=_PREFIX)


def run_all(calls: Sequence[Callable[[], T]], longest_first: Sequence[int] | None = None) -> list[T]:
    """Each of ``calls``' results, in their order; started in the order ``longest_first``
    gives (indexes into ``calls``; default theirs) so the longest do not start last. An
    exception in one is raised here as soon as it happens, and the calls not started yet
    are dropped (but for one a freed thread may already have taken). Called from one of the pool's own threads, they run
    one after another there (a part waiting for parts queued behind it would never end)."""
    if threading.current_thread().name.startswith(_PREFIX):
        return [call() for call in calls]
    order = list(longest_first) if longest_first is not None else list(range(len(calls)))
    if sorted(order) != list(range(len(calls))):
        raise ValueError("longest_first must list every call once")
    running = {i: _POOL.submit(calls[i]) for i in order}
    done, waiting = wait(running.values(), return_when=FIRST_EXCEPTION)
    failed = next((future for future in running.values() if future in done and future.exception() is not None), None)
    if failed is not None:
        # The database is down or refused: the parts not started yet are dropped, not left
        # to wait out their own timeouts one after another in the shared pool.
        for future in waiting:
            future.cancel()
        raise failed.exception()
    return [running[i].result() for i in range(len(calls))]
