"""Rows per second for a 100,000-row daily report, on SQLite and PostgreSQL.

    .venv/bin/python bench/ingest.py [--rows 100000] [--engines sqlite,postgresql] [--postgres-url URL]

Each engine gets the tiny sample city (the reference codes) in a place of its own: a
temporary SQLite file, and a schema ``bench_ingest_<random>`` on the PostgreSQL server
(``--postgres-url``, default ``$BENCH_POSTGRES_URL`` or postgresql://postgres@127.0.0.1:5432/test),
dropped afterwards. The report is an hourly checkpoint report (CSV, UTF-8, thousands
separators) of ``--rows`` rows. Timed, best of ``--runs``:

- ``parse``: reading and checking the file, no database (``parse_report``);
- ``first import``: the whole import into days not yet stored (checks against the
  database, insert, daily roll-up, submissions, history) in one transaction;
- ``re-import``: the same file again, replacing every (checkpoint, day) it covers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from data_access.engine import STATEMENT_TIMEOUT_MS, make_engine  # noqa: E402
from data_access.ingest import import_reports, parse_report  # noqa: E402
from sample_data.generate import generate  # noqa: E402

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FIRST_DAY = dt.date(2020, 1, 1)


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


def timed(fn, runs: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def bench_engine(name: str, engine, rows: int, runs: int) -> dict[str, float]:
    generate(engine, "tiny", log=lambda *_: None)
    data = hourly_report(checkpoint_codes(engine), rows)
    results = {}
    seconds, report = timed(lambda: parse_report("bench.csv", data, today=dt.date.today()), runs)
    assert report.ok, report.errors[:3]
    results["parse"] = seconds
    # The first import goes into days not yet stored; later runs would replace, so time it once.
    seconds, (outcome,) = timed(lambda: import_reports([("bench.csv", data)], user="bench", engine=engine), 1)
    assert outcome.accepted and outcome.rows == rows, outcome.errors[:3]
    results["first import"] = seconds
    seconds, (outcome,) = timed(lambda: import_reports([("bench.csv", data)], user="bench", engine=engine), runs)
    assert outcome.accepted, outcome.errors[:3]
    results["re-import"] = seconds
    print(f"{name}: {rows:,} rows, {len(data) / 2**20:.1f} MB")
    for stage, seconds in results.items():
        print(f"  {stage:<13} {seconds:6.2f} s  {rows / seconds:>10,.0f} rows/s")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL") or DEFAULT_POSTGRES_URL)
    args = parser.parse_args(argv)
    engines = args.engines.split(",")
    table = []
    if "sqlite" in engines:
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{folder}/bench.sqlite")
            table.append(("SQLite", bench_engine("SQLite", engine, args.rows, args.runs)))
            engine.dispose()
    if "postgresql" in engines:
        schema = f"bench_ingest_{secrets.token_hex(4)}"
        admin = create_engine(args.postgres_url)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        options = f"-c search_path={schema} -c statement_timeout={STATEMENT_TIMEOUT_MS} -c timezone=Asia/Shanghai"
        engine = create_engine(args.postgres_url, connect_args={"options": options})
        try:
            table.append(("PostgreSQL", bench_engine("PostgreSQL", engine, args.rows, args.runs)))
        finally:
            engine.dispose()
            with admin.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            admin.dispose()
    print("\n| engine | parse + check | first import | re-import (replace) |\n|---|---|---|---|")
    for name, results in table:
        cells = " | ".join(
            f"{args.rows / results[k]:,.0f} rows/s ({results[k]:.1f} s)" for k in ("parse", "first import", "re-import")
        )
        print(f"| {name} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
