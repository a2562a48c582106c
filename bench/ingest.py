"""Rows per second importing a 100,000-row hourly report into the city, on SQLite and PostgreSQL.

    .venv/bin/python bench/ingest.py [--scale city|tiny] [--rows 100000] [--runs 3]
        [--engines sqlite,postgresql] [--postgres-url URL]

The import goes into a copy of the sample city of ``--scale``, never into the city itself
(other people read it):

- ``--scale city`` (the default; the many-users issue asks for figures against a database
  of city size): SQLite copies ``bench/.cache/city.sqlite`` (made by ``bench/queries.py
  --scale city``) to a temporary file once per run, with the backup API from a read-only
  connection (about a minute for its 4 GB; the copy is timed and printed apart). PostgreSQL
  makes ``bench_ingest_<random>`` with ``CREATE DATABASE … TEMPLATE bench_city``, waiting
  up to ``--template-wait`` seconds while someone is connected to ``bench_city`` (a
  template must have no other sessions); when ``bench_city`` does not hold the city yet it
  is built first as ``bench/queries.py --scale city --reuse`` would (≈14 min), so both
  benchmarks share one. The copy is dropped at the end.
- ``--scale tiny`` (a quick run): the tiny sample city generated into a temporary SQLite
  file and a schema ``bench_ingest_<random>`` on the server.

The report is an hourly checkpoint report (CSV, UTF-8, thousands separators) of
``--rows`` rows: every checkpoint of the city, 24 hours a day, day after day from
2020-01-01 (before the sample's days). Timed:

- ``parse``: reading and checking the file, no database (``parse_report``), best of ``--runs``;
- ``first import``: the whole import into days not yet stored (parse, checks against the
  database, insert, daily roll-up, area roll-ups, submissions, history, commit) in one
  transaction, once;
- ``re-import``: the same file again, replacing every (checkpoint, day) it covers, best of
  ``--runs``.

For each import, where the time went (exclusive seconds of the writer's steps, timed by
wrapping them; ``other`` is the rest: the intake lock, grouping the daily rows, commit).
The goal (many-users issue, goal 7): at least 20,000 rows/s for the first import and the
re-import into the city database on both engines; PASS or FAIL is printed for each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import secrets
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from data_access import rollups  # noqa: E402
from data_access.engine import STATEMENT_TIMEOUT_MS, make_engine  # noqa: E402
from data_access.ingest import import_reports, parse_report  # noqa: E402
from data_access.ingest import writer as ingest_writer  # noqa: E402
from data_access.schema import dataset_info  # noqa: E402
from sample_data.generate import generate  # noqa: E402

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CITY_SQLITE = ROOT / "bench" / ".cache" / "city.sqlite"
CITY_POSTGRES = "bench_city"
FIRST_DAY = dt.date(2020, 1, 1)
GOAL_ROWS_PER_S = 20_000
PHASES = ("parse", "first import", "re-import")


def hourly_report(checkpoints: list[str], rows: int) -> bytes:
    """``rows`` hourly rows for ``checkpoints``, day after day from FIRST_DAY."""
    lines = ["日期,时段,道口代码,查验车辆,查验人员,体温检测,发热人员,黄码人员,红码人员,劝返"]
    day, n = FIRST_DAY, 0
    while n < rows:
        for code in checkpoints:
            for hour in range(24):
                if n == rows:
                    break
                people = 400 + (hour * 97 + day.toordinal() * 13) % 2600
                lines.append(
                    f'{day.isoformat()},{hour},{code},{people // 2},"{people:,}",{people - 3},{people % 5},{people % 7},{people % 11 // 10},{people % 13}'
                )
                n += 1
        day += dt.timedelta(days=1)
    return ("\n".join(lines) + "\n").encode()


def checkpoint_codes(engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT code FROM checkpoint ORDER BY code"))]


def recorded_scale(engine: Engine) -> str | None:
    if not inspect(engine).has_table("dataset_info"):
        return None
    with engine.connect() as conn:
        return conn.execute(select(dataset_info.c.value).where(dataset_info.c.key == "scale")).scalar()


# ------------------------------------------------------------------ where an import spends its time
class StepTimes:
    """Exclusive seconds per step of the writer: each wrapped function's time minus the
    time of the wrapped functions it called (so the steps add up to the import)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._inner: list[float] = []

    def wrap(self, fn: Callable, label: Callable[..., str]) -> Callable:
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            self._inner.append(0.0)
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                inner = self._inner.pop()
                self.seconds[label(*args, **kwargs)] += elapsed - inner
                if self._inner:
                    self._inner[-1] += elapsed

        return timed


@contextmanager
def step_times() -> Iterator[StepTimes]:
    """Time the writer's steps for the block (by wrapping the names the writer calls)."""
    times = StepTimes()
    steps = {
        (ingest_writer, "parse_report"): lambda *a, **k: "parse + check file",
        (ingest_writer, "check_against_database"): lambda *a, **k: "checks against the database",
        (ingest_writer, "_record"): lambda *a, **k: "history (report_import, audit)",
        (ingest_writer, "delete_keys"): lambda conn, table, keys: f"delete {table.name}",
        (ingest_writer, "bulk_insert"): lambda conn, table, frame: f"insert {table.name}",
        (ingest_writer, "_record_submissions"): lambda *a, **k: "submissions (rest)",
        (rollups, "refresh_written"): lambda *a, **k: "area roll-ups (the report's units)",
        (rollups, "refresh_pending"): lambda *a, **k: "area roll-ups (days marked before)",
        (rollups, "marked_days"): lambda *a, **k: "area roll-ups (days marked before)",
    }
    steps = {key: label for key, label in steps.items() if hasattr(*key)}  # an older tree may lack some
    originals = {key: getattr(*key) for key in steps}
    for (module, name), label in steps.items():
        setattr(module, name, times.wrap(originals[(module, name)], label))
    try:
        yield times
    finally:
        for (module, name), original in originals.items():
            setattr(module, name, original)


def timed_import(engine: Engine, data: bytes, rows: int) -> tuple[float, dict[str, float]]:
    with step_times() as times:
        started = time.perf_counter()
        (outcome,) = import_reports([("bench.csv", data)], user="bench", engine=engine)
        seconds = time.perf_counter() - started
    assert outcome.accepted and outcome.rows == rows, outcome.errors[:3]
    steps = dict(times.seconds)
    steps["other (lock, daily sums, commit)"] = seconds - sum(steps.values())
    return seconds, steps


# ------------------------------------------------------------------ one engine
def bench_engine(name: str, engine: Engine, rows: int, runs: int) -> dict:
    data = hourly_report(checkpoint_codes(engine), rows)
    results: dict = {"steps": {}}
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        report = parse_report("bench.csv", data, today=dt.date.today())
        best = min(best, time.perf_counter() - started)
    assert report.ok, report.errors[:3]
    results["parse"] = best
    # The first import goes into days not yet stored; later runs replace, so it is timed once.
    results["first import"], results["steps"]["first import"] = timed_import(engine, data, rows)
    reimports = [timed_import(engine, data, rows) for _ in range(runs)]
    results["re-import"], results["steps"]["re-import"] = min(reimports, key=lambda r: r[0])
    print(f"{name}: {rows:,} rows, {len(data) / 2**20:.1f} MB")
    for phase in PHASES:
        print(f"  {phase:<13} {results[phase]:6.2f} s  {rows / results[phase]:>10,.0f} rows/s")
    for phase in ("first import", "re-import"):
        print(f"  {phase}, where the time went:")
        for step, seconds in sorted(results["steps"][phase].items(), key=lambda item: -item[1]):
            print(f"    {step:<36} {seconds:6.2f} s")
    return results


# ------------------------------------------------------------------ the copies of the city
@contextmanager
def sqlite_copy(scale: str, city: Path = CITY_SQLITE) -> Iterator[Engine]:
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as folder:
        path = Path(folder) / "bench.sqlite"
        if scale == "city":
            if not city.exists():
                raise SystemExit(f"{city} is missing: build it with bench/queries.py --scale city --engines sqlite")
            started = time.perf_counter()
            source = sqlite3.connect(f"file:{city}?mode=ro", uri=True)
            target = sqlite3.connect(path)
            try:
                source.backup(target)  # a consistent copy even while others read (or write) the city
            finally:
                target.close()
                source.close()
            engine = make_engine(f"sqlite:///{path}")
            if recorded_scale(engine) != "city":
                raise SystemExit(f"{city} holds no finished city (dataset_info): is it still being generated?")
            print(f"SQLite: copied {city} ({path.stat().st_size / 2**30:.1f} GB) in {time.perf_counter() - started:.0f} s")
        else:
            engine = make_engine(f"sqlite:///{path}")
            generate(engine, scale, log=lambda *_: None)
        try:
            yield engine
        finally:
            engine.dispose()


def _server_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


@contextmanager
def postgres_copy(scale: str, server_url: str, template_wait: float) -> Iterator[Engine]:
    url = make_url(_server_url(server_url))
    name = f"bench_ingest_{secrets.token_hex(4)}"
    options = f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c timezone=Asia/Shanghai"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        if scale == "city":
            _ensure_city(url)
            started = time.perf_counter()
            _create_from_template(admin, name, CITY_POSTGRES, template_wait)
            print(f"PostgreSQL: copied {CITY_POSTGRES} into {name} in {time.perf_counter() - started:.0f} s")
            engine = create_engine(url.set(database=name), connect_args={"options": options})
        else:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
            engine = create_engine(url, connect_args={"options": f"-c search_path={name} {options}"})
            generate(engine, scale, log=lambda *_: None)
        try:
            yield engine
        finally:
            engine.dispose()
            with admin.connect() as conn:
                if scale == "city":
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                else:
                    conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    finally:
        admin.dispose()


def _ensure_city(url) -> None:
    """Build bench_city as bench/queries.py --scale city --reuse does, unless it holds the city."""
    from bench import queries

    args = argparse.Namespace(
        scale="city", seed=42, end_date=queries.DEFAULT_END_DATE, reuse=True, postgres_url=url.render_as_string(False)
    )
    engine = queries.open_database("postgresql", "city", args.postgres_url)
    try:
        if recorded_scale(engine) == "city":
            return
    finally:
        engine.dispose()
    print(f"PostgreSQL: {CITY_POSTGRES} holds no city yet; building it (about 14 minutes)")
    engine, _info = queries.dataset("postgresql", args)
    engine.dispose()


def _create_from_template(admin: Engine, name: str, template: str, wait: float) -> None:
    """CREATE DATABASE name TEMPLATE template, retried while others are connected to it."""
    deadline = time.monotonic() + wait
    while True:
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return
        except DBAPIError as error:
            if "is being accessed by other users" not in str(error.orig) or time.monotonic() > deadline:
                raise
            print(f"  {template} is in use by another session; trying again in 10 s", flush=True)
            time.sleep(10)


# ------------------------------------------------------------------ the command
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("city", "tiny"), default="city")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL") or DEFAULT_POSTGRES_URL)
    parser.add_argument("--sqlite-city", type=Path, default=CITY_SQLITE, help="the SQLite city to copy")
    parser.add_argument("--template-wait", type=float, default=900, help="seconds to wait for bench_city to be free")
    args = parser.parse_args(argv)
    engines = args.engines.split(",")
    table = []
    if "sqlite" in engines:
        with sqlite_copy(args.scale, args.sqlite_city) as engine:
            table.append(("SQLite", bench_engine("SQLite", engine, args.rows, args.runs)))
    if "postgresql" in engines:
        with postgres_copy(args.scale, args.postgres_url, args.template_wait) as engine:
            table.append(("PostgreSQL", bench_engine("PostgreSQL", engine, args.rows, args.runs)))
    print(
        f"\n{args.scale} database, {args.rows:,} rows; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end"
    )
    print("\n| engine | parse + check | first import | re-import (replace) |\n|---|---|---|---|")
    for name, results in table:
        cells = " | ".join(f"{args.rows / results[k]:,.0f} rows/s ({results[k]:.2f} s)" for k in PHASES)
        print(f"| {name} | {cells} |")
    steps = sorted({step for _, results in table for phase in PHASES[1:] for step in results["steps"][phase]})
    print("\nSeconds per step (first import / re-import):\n")
    print("| step | " + " | ".join(name for name, _ in table) + " |\n|---|" + "---:|" * len(table))
    for step in steps:
        cells = " | ".join(
            " / ".join(f"{results['steps'][phase].get(step, 0):.2f}" for phase in PHASES[1:]) for _, results in table
        )
        print(f"| {step} | {cells} |")
    print(f"\nGoal: at least {GOAL_ROWS_PER_S:,} rows/s importing into the {args.scale} database")
    for name, results in table:
        for phase in PHASES[1:]:
            rate = args.rows / results[phase]
            print(f"  {name} {phase}: {rate:,.0f} rows/s {'PASS' if rate >= GOAL_ROWS_PER_S else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
