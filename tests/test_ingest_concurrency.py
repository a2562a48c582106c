"""Several processes importing overlapping reports at the same moment, on SQLite and
PostgreSQL: afterwards every accepted report is present exactly once — each (checkpoint,
day) holds the figures of the last accepted report that covered it, whole, with its
roll-up and submission — the rejected ones left no trace, and the history has them all."""

from __future__ import annotations

import json
import subprocess
import sys

from sqlalchemy import select, text, update

from data_access import schema as s
from tests.app_support import PROJECT_ROOT
from tests.intake_worker import CP_A1, CP_A2, CP_B1, DAYS, FILES_PER_PROCESS, PROCESSES, people, planned_files

CHECKPOINTS = (CP_A1, CP_A2, CP_B1)


def run_workers(url: str, schema: str | None, timeout: float = 180) -> list:
    """Start the worker processes, let them go at the same moment, and gather their results."""
    command = [sys.executable, "-m", "tests.intake_worker", url, schema or "-"]
    workers = [
        subprocess.Popen(
            [*command, str(p)], cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for p in range(PROCESSES)
    ]
    try:
        for worker in workers:  # each has its files ready and its engine made
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        for worker in workers:
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outcomes = []
        for worker in workers:
            out, err = worker.communicate(timeout=timeout)
            assert worker.returncode == 0, err
            outcomes += [tuple(json.loads(line)) for line in out.splitlines()]
        return outcomes
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()


def test_concurrent_imports_lose_nothing_and_double_nothing(fresh_city):
    engine = fresh_city
    # The workers' figures tell which file wrote them: up to 40,000 + 2,000 + 110 + 23 =
    # 42,133 people in an hour at one checkpoint. Lanes enough to pass that (20 × 3,600),
    # or the plausibility rule would refuse them (docs/INTAKE.md, "Plausibility").
    with engine.begin() as conn:
        conn.execute(update(s.checkpoint).where(s.checkpoint.c.code.in_(CHECKPOINTS)).values(lanes=20))
    url = engine.url.render_as_string(hide_password=False)
    schema = None
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    outcomes = run_workers(url, schema)
    assert len(outcomes) == PROCESSES * (FILES_PER_PROCESS + 1)

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
    assert {(r["unit_code"], r["day"]): r["import_id"] for r in submitted} == {
        key: accepted[name] for key, name in winner.items()
    }
