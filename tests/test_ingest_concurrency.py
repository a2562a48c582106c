"""Several processes importing overlapping reports at the same moment, on SQLite and
PostgreSQL: afterwards every accepted report is present exactly once — each (checkpoint,
day) holds the figures of the last accepted report that covered it, whole, with its
roll-up and submission — the rejected ones left no trace, and the history has them all."""

from __future__ import annotations

import multiprocessing
import queue
import time

from sqlalchemy import select, text

from data_access import schema as s
from tests.intake_support import fresh_city  # noqa: F401 - fixture
from tests.intake_worker import DAYS, FILES_PER_PROCESS, PROCESSES, people, planned_files, worker

def collect(results, processes, expected: int, timeout: float = 180) -> list:
    """The workers' results; fails at once when a worker dies instead of waiting them out."""
    outcomes, deadline = [], time.monotonic() + timeout
    while len(outcomes) < expected:
        try:
            outcomes.append(results.get(timeout=0.5))
        except queue.Empty:
            dead = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            assert not dead, f"a worker failed (exit codes {dead})"
            assert time.monotonic() < deadline, f"only {len(outcomes)} of {expected} imports finished"
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return outcomes


def test_concurrent_imports_lose_nothing_and_double_nothing(fresh_city):
    engine = fresh_city
    url = engine.url.render_as_string(hide_password=False)
    schema = None
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    processes = [context.Process(target=worker, args=(url, schema, p, barrier, results)) for p in range(PROCESSES)]
    for process in processes:
        process.start()
    outcomes = collect(results, processes, PROCESSES * (FILES_PER_PROCESS + 1))

    accepted = {name: import_id for name, outcome, import_id in outcomes if outcome == "accepted"}
    rejected = {name for name, outcome, _ in outcomes if outcome == "rejected"}
    plan = planned_files()
    assert set(accepted) == set(plan) and rejected == {f"p{p}_bad.csv" for p in range(PROCESSES)}

    with engine.connect() as conn:
        history = {r.file_name: (r.id, r.outcome) for r in conn.execute(select(s.report_import))}
        hours = conn.execute(select(s.checkpoint_hourly).where(s.checkpoint_hourly.c.day >= DAYS[0])).mappings().all()
        daily = conn.execute(select(s.checkpoint_daily).where(s.checkpoint_daily.c.day >= DAYS[0])).mappings().all()
        submitted = conn.execute(select(s.report_submission).where(s.report_submission.c.day >= DAYS[0])).mappings().all()
    # The history: every attempt once, with the id the import returned.
    assert {name: entry for name, entry in history.items() if name.startswith("p")} == {
        **{name: (import_id, "accepted") for name, import_id in accepted.items()},
        **{name: history[name] for name in rejected},
    }
    assert all(history[name][1] == "rejected" for name in rejected)

    # Each key: the hours of the last accepted file that covered it (ids follow commit order).
    winner = {}
    for name, keys in sorted(plan.items(), key=lambda item: accepted[item[0]]):
        for key in keys:
            winner[key] = name
    stored = {}
    for row in hours:
        stored.setdefault((row["checkpoint_code"], row["day"]), {})[row["hour"]] = row["people"]
    assert set(stored) == set(winner), "keys no accepted file covered must be absent; covered ones present"
    for key, name in winner.items():
        assert stored[key] == {hour: people(name, key, hour) for hour in range(24)}, f"{key} is not wholly {name}'s"
    assert len(hours) == 24 * len(winner)
    rolled = {(r["checkpoint_code"], r["day"]): (r["people"], r["staffed_hours"]) for r in daily}
    assert rolled == {key: (sum(people(name, key, h) for h in range(24)), 24) for key, name in winner.items()}
    assert {(r["unit_code"], r["day"]): r["import_id"] for r in submitted} == {key: accepted[name] for key, name in winner.items()}
