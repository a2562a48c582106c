"""Engine configuration (data_access.engine, data_access.mysql) and the test suite's own
policy for the PostgreSQL and MariaDB servers."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from data_access import mysql
from data_access.engine import (
    DEFAULT_SQLITE_PATH,
    MYSQL_SOCKET_TIMEOUT_S,
    MYSQL_STATEMENT_TIMEOUT_S,
    database_url,
    get_engine,
    has_data,
    make_engine,
    upgrade_schema,
)
from data_access.ingest.writer import intake_transaction
from data_access.scope import DatabaseUnavailable
from tests.conftest import mariadb_unavailable, postgres_unavailable


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("", f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        ("   ", f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        ("postgres://u:p@db:5432/ops", "postgresql+psycopg://u:p@db:5432/ops"),
        ("postgresql://u@db/ops", "postgresql+psycopg://u@db/ops"),
        ("postgresql+psycopg://u@db/ops", "postgresql+psycopg://u@db/ops"),
        (" sqlite:////srv/ops.sqlite ", "sqlite:////srv/ops.sqlite"),
        ("mysql://u:p@db:3306/ops", "mysql+pymysql://u:p@db:3306/ops"),
        ("mariadb://u@db/ops", "mysql+pymysql://u@db/ops"),
        ("mysql+pymysql://u@db/ops", "mysql+pymysql://u@db/ops"),
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


@pytest.mark.mariadb
def test_mysql_engine_settings(mysql_databases):
    engine = mysql_databases.new_engine()
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert (raw._read_timeout, raw._write_timeout) == (MYSQL_SOCKET_TIMEOUT_S, MYSQL_SOCKET_TIMEOUT_S)
        assert MYSQL_STATEMENT_TIMEOUT_S < MYSQL_SOCKET_TIMEOUT_S  # the server cuts a slow query first
        assert conn.exec_driver_sql("SELECT @@SESSION.max_statement_time").scalar() == MYSQL_STATEMENT_TIMEOUT_S
        assert "ONLY_FULL_GROUP_BY" in conn.exec_driver_sql("SELECT @@SESSION.sql_mode").scalar()  # as MySQL 8
        assert conn.exec_driver_sql("SELECT @@SESSION.time_zone").scalar() == "+00:00"
        assert conn.exec_driver_sql("SELECT @@SESSION.character_set_client").scalar() == "utf8mb4"
        assert conn.get_isolation_level() == "READ COMMITTED"
        assert float(conn.exec_driver_sql("SELECT 1.0 * 1 / 3").scalar()) == pytest.approx(1 / 3, rel=1e-15)
        conn.exec_driver_sql("SET SESSION max_statement_time = 1")  # the limit, shortened for the test
        with pytest.raises(OperationalError, match="max_statement_time"):  # a page query that runs too long
            conn.exec_driver_sql("SELECT SLEEP(2)").all()


@pytest.mark.mariadb
def test_long_statements_lift_the_page_limits_and_put_them_back(mysql_databases):
    engine = mysql_databases.new_engine()
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        conn.exec_driver_sql("SET SESSION max_statement_time = 1")  # the page limit, shortened for the test
        with mysql.long_statements(conn):
            with mysql.long_statements(conn):  # nested (an import's lock inside the import)
                assert raw._read_timeout is None
            assert conn.exec_driver_sql("SELECT @@SESSION.max_statement_time").scalar() == 0
            assert conn.exec_driver_sql("SELECT SLEEP(2)").scalar() == 0  # not cut
        assert raw._read_timeout == MYSQL_SOCKET_TIMEOUT_S
        assert conn.exec_driver_sql("SELECT @@SESSION.max_statement_time").scalar() == 1


@pytest.mark.mariadb
def test_mysql_compares_codes_byte_for_byte(mysql_databases):
    # The server's default collation ignores case and trailing spaces; the schema's does not.
    engine = mysql_databases.new_engine()
    upgrade_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO dataset_info (`key`, value) VALUES ('kind', 'x')"))
        assert conn.execute(text("SELECT COUNT(*) FROM dataset_info WHERE `key` = 'kind'")).scalar() == 1
        assert conn.execute(text("SELECT COUNT(*) FROM dataset_info WHERE `key` IN ('KIND', 'kind ')")).scalar() == 0
        conn.execute(text("INSERT INTO dataset_info (`key`, value) VALUES ('KIND', 'y')"))  # another key


@pytest.mark.mariadb
def test_the_mysql_intake_lock_is_held_by_one_import_and_released_when_it_fails(mysql_databases):
    engine = mysql_databases.new_engine()
    upgrade_schema(engine)
    lock = "CONCAT(DATABASE(), '.report_intake')"
    with pytest.raises(RuntimeError, match="half way"):
        with intake_transaction(engine):
            with engine.connect() as other:
                assert other.exec_driver_sql(f"SELECT GET_LOCK({lock}, 0)").scalar() == 0  # waits its turn
            raise RuntimeError("the import failed half way")
    with engine.connect() as other:
        assert other.exec_driver_sql(f"SELECT IS_FREE_LOCK({lock})").scalar() == 1
        # Held elsewhere for longer than an import waits: the import says the database is busy.
        assert other.exec_driver_sql(f"SELECT GET_LOCK({lock}, 0)").scalar() == 1
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(mysql, "INTAKE_LOCK_WAIT_S", 1)
            with pytest.raises(DatabaseUnavailable, match="intake lock"):
                with intake_transaction(engine):
                    pass


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


def test_unreachable_mariadb_skips_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="MariaDB.*unreachable.*TEST_MYSQL_URL"):
        mariadb_unavailable("mysql+pymysql://root:secret@127.0.0.1:1/test", "connection refused")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true") as failure:
        mariadb_unavailable("mysql+pymysql://root:secret@127.0.0.1:1/test", "connection refused")
    assert "secret" not in str(failure.value)
