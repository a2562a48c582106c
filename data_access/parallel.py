"""Independent reads of one request run two at a time: each on its own connection, so
while one waits for the database (SQLite works outside Python's lock while it reads; a
server database on its own processes) the other's Python runs. Used by the alerts and
the data checks, whose rules read different tables and share nothing.

Each request has its own two threads: a request never waits behind another's parts (in
an outage a part can hang until its connection times out)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")

WORKERS = 2  # the machines the command centres run on: 2 cores and up


def run_all(calls: Sequence[Callable[[], T]], longest_first: Sequence[int] | None = None) -> list[T]:
    """Each of ``calls``' results, in their order; started in the order ``longest_first``
    gives (indexes into ``calls``; default theirs) so the longest do not start last. An
    exception in one is raised here as soon as it happens, and the calls not started yet
    are dropped (but for one a freed thread may already have taken); a call still running
    finishes on its own without holding up the caller."""
    order = list(longest_first) if longest_first is not None else list(range(len(calls)))
    if sorted(order) != list(range(len(calls))):
        raise ValueError("longest_first must list every call once")
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="dashboard-parts")
    try:
        running = {i: pool.submit(calls[i]) for i in order}
        done, _ = wait(running.values(), return_when=FIRST_EXCEPTION)
        failed = next((future for future in running.values() if future in done and future.exception() is not None), None)
        if failed is not None:
            raise failed.exception()
        return [running[i].result() for i in range(len(calls))]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
