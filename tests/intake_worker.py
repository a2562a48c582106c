"""The process a concurrency test starts (tests/test_ingest_concurrency.py), as a command:

    python -m tests.intake_worker URL SCHEMA|- PROCESS

It says "ready", waits for a line on stdin (the start signal, sent to all at once),
imports its files and prints one JSON line per file: name, outcome, import id. A plain
subprocess, not multiprocessing: spawn would re-run whatever ``__main__`` is at the time
(after an AppTest run, dashboard.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sys

from sqlalchemy import create_engine

from data_access.engine import make_engine
from data_access.ingest import import_reports
from data_access.settings import IntakeSettings

CP_A1, CP_A2, CP_B1 = "CP990101001", "CP990101002", "CP990102001"  # tests/fixtures_data.py
TODAY = dt.date(2024, 6, 30)
SETTINGS = IntakeSettings()
COLUMNS = ["day", "hour", "checkpoint_code", "vehicles", "people", "temperature_checks", "fever"]

PROCESSES = 4
FILES_PER_PROCESS = 3
DAYS = [dt.date(2022, 5, 1) + dt.timedelta(days=i) for i in range(4)]
KEYS = [(code, day) for code in (CP_A1, CP_A2, CP_B1) for day in DAYS]


def planned_files() -> dict[str, list[tuple[str, dt.date]]]:
    """File name → the (checkpoint, day) keys it reports; they overlap between processes."""
    rng = random.Random(7)
    return {f"p{p}_f{f}.csv": rng.sample(KEYS, 5) for p in range(PROCESSES) for f in range(FILES_PER_PROCESS)}


def people(file_name: str, key: tuple[str, dt.date], hour: int) -> int:
    """A figure that tells which file wrote it."""
    p, f = int(file_name[1]), int(file_name[4])
    return 10_000 * (p + 1) + 1_000 * f + 10 * KEYS.index(key) % 1_000 + hour


def hourly_csv(rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def file_bytes(file_name: str, keys) -> bytes:
    return hourly_csv(
        [day.isoformat(), hour, code, 1, people(file_name, (code, day), hour), 1, 0] for code, day in keys for hour in range(24)
    )


def _engine(url: str, schema: str | None):
    if schema is None:
        return make_engine(url)
    return create_engine(url, connect_args={"options": f"-c search_path={schema} -c timezone=Asia/Shanghai"})


def main(argv: list[str]) -> int:
    url, schema, process = argv[0], (None if argv[1] == "-" else argv[1]), int(argv[2])
    engine = _engine(url, schema)
    files = [(name, file_bytes(name, keys)) for name, keys in planned_files().items() if name.startswith(f"p{process}_")]
    bad = hourly_csv([[DAYS[0].isoformat(), 1, "CPNOPE", 1, 1, 1, 0]])
    files.insert(1, (f"p{process}_bad.csv", bad))
    print("ready", flush=True)
    sys.stdin.readline()
    for name, data in files:
        (outcome,) = import_reports([(name, data)], user=f"process {process}", engine=engine, today=TODAY, settings=SETTINGS)
        print(json.dumps([name, outcome.outcome, outcome.import_id]), flush=True)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
