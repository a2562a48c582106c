"""A SQLite file deleted or replaced under a running engine (data_access/sqlite_file.py):
reads raise DatabaseUnavailable, an import is refused and nothing is claimed imported,
no empty file is created in its place, the log says why, and a page shows the banner."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data_access import schema as s
from data_access.engine import get_engine
from data_access.ingest import writer
from data_access.scope import DatabaseUnavailable, frame
from data_access.sqlite_file import DatabaseFileChanged
from tests.app_support import PROJECT_ROOT
from tests.fixtures_data import CP_A2, D3
from tests.intake_support import import_count, import_one, make_city, report_csv

HOURS = report_csv(
    "checkpoint_hourly",
    [
        {
            "day": D3.isoformat(),
            "hour": 7,
            "checkpoint_code": CP_A2,
            "vehicles": 5,
            "people": 10,
            "temperature_checks": 10,
            "fever": 0,
        }
    ],
)


@pytest.fixture()
def sqlite_city(new_database):
    return make_city(new_database, "sqlite")


def path_of(engine) -> Path:
    return Path(engine.url.database)


def area_count(engine) -> int:
    return int(frame(engine, select(func.count()).select_from(s.area)).iloc[0, 0])


def count_in_file(path: Path, table: str) -> int:
    """Read straight from the file, past the engine under test."""
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def replace_with_copy(path: Path) -> None:
    """Move a faithful copy of the file over it: same content, another inode."""
    copy = path.with_name("copy.sqlite")
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    os.replace(copy, path)


def test_the_file_untouched_keeps_working(sqlite_city):
    assert area_count(sqlite_city) > 0
    assert import_one(sqlite_city, "cp.csv", HOURS).accepted


def test_deleted_file_fails_reads_and_refuses_imports_without_creating_a_new_file(sqlite_city, caplog):
    path = path_of(sqlite_city)
    assert area_count(sqlite_city) > 0  # pooled connections are open on the file
    path.unlink()
    with caplog.at_level(logging.ERROR, logger="dashboard.database"):
        with pytest.raises(DatabaseUnavailable, match="deleted"):
            area_count(sqlite_city)
    with pytest.raises(DatabaseFileChanged):
        import_one(sqlite_city, "cp.csv", HOURS)
    assert not path.exists(), "no new empty database appears at the path"
    assert any("deleted" in r.getMessage() and "restart" in r.getMessage() for r in caplog.records)


def test_replaced_file_fails_reads_and_the_import_is_not_written_to_either_file(sqlite_city):
    path = path_of(sqlite_city)
    assert area_count(sqlite_city) > 0
    imports_before = import_count(sqlite_city)
    replace_with_copy(path)
    with pytest.raises(DatabaseUnavailable, match="replaced"):
        area_count(sqlite_city)
    with pytest.raises(DatabaseUnavailable):
        import_one(sqlite_city, "cp.csv", HOURS)
    assert count_in_file(path, "report_import") == imports_before


@pytest.mark.parametrize("change", ["delete", "replace"])
def test_a_file_changed_during_an_import_is_caught_before_it_commits(sqlite_city, monkeypatch, change):
    """The connection was checked out before the change: the check before commit refuses."""
    path = path_of(sqlite_city)
    imports_before = import_count(sqlite_city)
    write = writer._write

    def write_then_change_the_file(*args, **kwargs):
        outcome = write(*args, **kwargs)
        path.unlink() if change == "delete" else replace_with_copy(path)
        return outcome

    monkeypatch.setattr(writer, "_write", write_then_change_the_file)
    with pytest.raises(DatabaseFileChanged):
        import_one(sqlite_city, "cp.csv", HOURS)
    if change == "replace":
        assert count_in_file(path, "report_import") == imports_before


def _run_dashboard(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    return at


@pytest.fixture()
def served_copy(sample_database, tmp_path, monkeypatch):
    """A copy of the sample city the app is pointed at, its engine already open."""
    _, sample = sample_database
    path = tmp_path / "served.sqlite"
    raw = sample.raw_connection()
    try:
        with sqlite3.connect(path) as target:
            raw.driver_connection.backup(target)
    finally:
        raw.close()
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    engine = get_engine(url)
    assert area_count(engine) > 0
    yield path
    engine.dispose()


def test_page_shows_the_banner_when_the_file_was_deleted_before_the_first_view(served_copy):
    served_copy.unlink()
    at = _run_dashboard()
    assert not at.exception, [e.value for e in at.exception]
    assert any("The database cannot be reached" in e.value for e in at.error)
    assert not served_copy.exists()


def test_page_shows_the_banner_when_the_file_is_deleted_while_the_app_runs(served_copy):
    at = _run_dashboard()
    assert not at.exception, [e.value for e in at.exception]
    assert not any("The database cannot be reached" in e.value for e in at.error)
    served_copy.unlink()
    at = _run_dashboard()
    assert not at.exception, [e.value for e in at.exception]
    assert any("The database cannot be reached" in e.value for e in at.error)
