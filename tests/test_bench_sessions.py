"""bench/sessions.py's protocol client still speaks to the dashboard: two sessions over
websockets (no browser) open the overview and pick a district, and every run finishes
successfully, draws the page and takes a positive time."""

from __future__ import annotations

import asyncio
import sys

from tests.app_support import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import sessions  # noqa: E402  (bench/ is not a package)


async def two_sessions(url: str) -> list[sessions.Run]:
    async def one(order: int, query: str) -> list[sessions.Run]:
        session = sessions.Session(sessions.stream_url(url), query, order=order)
        await session.open()
        try:
            first = await session.first_run()
            return [first, await session.pick_next_district(), await session.pick_next_district()]
        finally:
            await session.close()

    runs = await asyncio.gather(one(0, "range=7d"), one(1, "range=30d"))
    return [run for session_runs in runs for run in session_runs]


def test_protocol_client_runs_pages_and_changes_the_filter(dashboard_server):
    runs = asyncio.run(two_sessions(dashboard_server.url))

    assert [run.outcome for run in runs] == ["ok"] * 6
    assert all(run.seconds > 0 and run.deltas >= sessions.MIN_DELTAS for run in runs)


def test_a_rerun_that_fails_is_reported(dashboard_server):
    """A page that does not exist is a failed run, not a fast one."""

    async def lost() -> sessions.Run:
        session = sessions.Session(sessions.stream_url(dashboard_server.url), "range=7d", page="no_such_page")
        await session.open()
        try:
            return await session.first_run()
        finally:
            await session.close()

    assert not asyncio.run(lost()).ok
