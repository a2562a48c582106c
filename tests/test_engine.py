"""Engine configuration (data_access.engine) and the test suite's own PostgreSQL policy."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from data_access.engine import DEFAULT_SQLITE_PATH, database_url, get_engine, has_data, make_engine, upgrade_schema
from tests.conftest import postgres_unavailable


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("", f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        ("   ", f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        ("postgres://u:p@db:5432/ops", "postgresql+psycopg://u:p@db:5432/ops"),
        ("postgresql://u@db/ops", "postgresql+psycopg://u@db/ops"),
        ("postgresql+psycopg://u@db/ops", "postgresql+psycopg://u@db/ops"),
        (" sqlite:////srv/ops.sqlite ", "sqlite:////srv/ops.sqlite"),
    ],
)
def test_database_url(monkeypatch, configured, expected):
    monkeypatch.setenv("DATABASE_URL", configured)
    assert database_url() == expected


def test_get_engine_is_one_engine_per_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'one.sqlite'}"
    assert get_engine(url) is get_engine(url)
    assert get_engine(url) is not get_engine(f"sqlite:///{tmp_path / 'two.sqlite'}")
    get_engine(url).dispose()


def test_sqlite_engine_settings(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'db.sqlite'}")  # folders are created
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    finally:
        engine.dispose()


def test_foreign_keys_are_enforced(empty_engine):
    upgrade_schema(empty_engine)
    with pytest.raises(IntegrityError):
        with empty_engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO sampling_site (code, name_zh, name_en, area_code, daily_capacity) VALUES ('S', 's', 's', 'nowhere', 1)"
                )
            )


def test_has_data(empty_engine):
    assert has_data(empty_engine) is False  # no schema at all
    upgrade_schema(empty_engine)
    assert has_data(empty_engine) is False  # schema, no areas


def test_has_data_with_areas(engine):
    assert has_data(engine) is True


# ------------------------------------------------------------------ the suite's policy
def test_unreachable_postgresql_skips_locally(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="unreachable.*connection refused"):
        postgres_unavailable("postgresql+psycopg://postgres:secret@127.0.0.1:1/test", "connection refused")


def test_unreachable_postgresql_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true") as failure:
        postgres_unavailable("postgresql+psycopg://postgres:secret@127.0.0.1:1/test", "connection refused")
    assert "secret" not in str(failure.value)  # the password is not printed
