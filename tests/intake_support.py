"""What the intake tests share: writable copies of the hand-built test city on SQLite and
PostgreSQL, a fingerprint of everything an import may touch (to prove a rejected file
changed nothing), and report files built in code.

Fixtures here are imported by the test modules that use them (``from tests.intake_support
import ...``), like tests/app_support.py's.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from data_access import schema as s
from data_access.engine import upgrade_schema
from data_access.ingest import REPORT_TYPES, import_reports
from data_access.scope import clear_area_cache
from data_access.settings import IntakeSettings
from tests import fixtures_data
from tests.conftest import ENGINE_KINDS

INTAKE_FILES = Path(__file__).resolve().parent / "intake_files"
# A fixed "today", so errors naming it are exact whatever day the tests run.
TODAY = dt.date(2024, 6, 30)
SETTINGS = IntakeSettings(data_start_date=dt.date(2020, 1, 1), max_file_mb=20, max_rows=300_000)

# Every table an import writes to besides report_import (whose new row is checked apart).
TOUCHED_TABLES = (
    s.checkpoint_hourly,
    s.checkpoint_daily,
    s.testing_daily,
    s.lab_daily,
    s.supply_ledger,
    s.vaccination_daily,
    s.grid_daily,
    s.isolation_people_daily,
    s.isolation_site_daily,
    s.inspection_daily,
    s.report_submission,
)


def make_city(new_database, kind: str) -> Engine:
    """A new database holding the hand-built test city (tests/fixtures_data.py)."""
    engine = new_database(kind)
    upgrade_schema(engine)
    fixtures_data.load(engine)
    clear_area_cache(engine)
    return engine


@pytest.fixture(scope="module", params=ENGINE_KINDS)
def city(request, new_database) -> Engine:
    """The test city on each engine, shared by a module's tests: for tests that leave
    the figures as they found them (rejections, dry runs)."""
    return make_city(new_database, request.param)


@pytest.fixture(params=ENGINE_KINDS)
def fresh_city(request, new_database) -> Engine:
    """A test city of its own for a test that imports figures."""
    return make_city(new_database, request.param)


def fingerprint(engine: Engine, tables: Iterable = TOUCHED_TABLES) -> dict[str, tuple[int, str]]:
    """Per table: row count and a SHA-256 of every row (in key order, values as text)."""
    result = {}
    with engine.connect() as conn:
        for table in tables:
            order = list(table.primary_key.columns) or list(table.columns)
            digest = hashlib.sha256()
            count = 0
            for row in conn.execute(select(table).order_by(*order)):
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
                count += 1
            result[table.name] = (count, digest.hexdigest())
    return result


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()[:19]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def import_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(s.report_import)).scalar_one()


def last_import(engine: Engine) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(select(s.report_import).order_by(s.report_import.c.id.desc()).limit(1)).mappings().one())


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def report_csv(report_type: str, rows: Iterable[dict], encoding: str = "utf-8") -> bytes:
    """A CSV report with the English column names, one line per dict (missing keys blank)."""
    columns = [c.name for c in REPORT_TYPES[report_type].columns]
    return csv_bytes(columns, ([row.get(c, "") for c in columns] for row in rows), encoding)


def import_one(engine: Engine, name: str, data: bytes, **kwargs):
    """Import one file as the tests do (fixed today, test settings); its outcome."""
    kwargs = {"user": "tester", "today": TODAY, "settings": SETTINGS, **kwargs}
    (outcome,) = import_reports([(name, data)], engine=engine, **kwargs)
    return outcome


def stored_rows(engine: Engine, table, *order) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(table).order_by(*order)).mappings()]
