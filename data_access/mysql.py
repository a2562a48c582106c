"""What MySQL 8 and MariaDB 10.11+ need beyond SQLAlchemy: session settings, lifting the page
time limits for batch work, the intake lock, and schema upgrades that undo themselves.

MySQL's DDL is not transactional (every CREATE or ALTER commits at once), so a migration
that fails half way would leave tables behind that make the next run fail ("table already
exists"). ``undoing_ddl_on_failure`` notes the schema before an upgrade and, when the
upgrade fails, drops what it created, so the database is as it was and the next run starts
clean — the all-or-nothing that SQLite and PostgreSQL give by rolling back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, event, inspect, text
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

# SQLAlchemy's names for the engine (``mysql+pymysql://`` URLs, MariaDB servers included).
MYSQL_DIALECTS = ("mysql", "mariadb")

# Every session behaves as MySQL 8's defaults, on MariaDB too, so that a query MySQL 8 would
# refuse (a column neither grouped nor aggregated) fails in the MariaDB tests as well.
SQL_MODE = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"
# How long an import waits for another one's intake lock (as PostgreSQL's LOCK_WAIT).
INTAKE_LOCK_WAIT_S = 300


def is_mysql(conn: Connection | Engine) -> bool:
    return conn.dialect.name in MYSQL_DIALECTS


def _is_mariadb(dbapi_connection) -> bool:
    return "mariadb" in dbapi_connection.get_server_info().lower()


def _statement_limit(dbapi_connection) -> str:
    """The session's limit on one statement: MariaDB's max_statement_time counts seconds
    (any statement), MySQL's max_execution_time milliseconds (SELECTs); 0 means none."""
    return "max_statement_time" if _is_mariadb(dbapi_connection) else "max_execution_time"


def _limit_value(dbapi_connection, seconds: float) -> float:
    return seconds if _is_mariadb(dbapi_connection) else int(seconds * 1000)


def configure_sessions(engine: Engine, statement_timeout_s: int) -> None:
    """Every new connection: MySQL 8's SQL mode, UTC, exact division, the page time limit."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET SESSION sql_mode = '{SQL_MODE}'")
        # Timestamps are stored as UTC clock time (schema.UtcDateTime); NOW() agrees with them.
        cursor.execute("SET SESSION time_zone = '+00:00'")
        # x * 1.0 / y keeps 4 decimals by default (a rate of 1/3 would be 0.3333): as many
        # as a double holds, like the other engines.
        cursor.execute("SET SESSION div_precision_increment = 30")
        limit = _statement_limit(dbapi_connection)
        cursor.execute(f"SET SESSION {limit} = {_limit_value(dbapi_connection, statement_timeout_s)}")
        cursor.close()


@contextmanager
def long_statements(conn: Connection) -> Iterator[None]:
    """Within the block, ``conn`` has no statement limit and its socket waits as long as the
    server takes: for imports (waiting on the intake lock), migrations and the generator,
    whose statements may take longer than a page's. No-op on other engines; nests."""
    if not is_mysql(conn):
        yield
        return
    raw = conn.connection.dbapi_connection
    limit = _statement_limit(raw)
    timeouts = raw._read_timeout, raw._write_timeout
    statement_limit = conn.exec_driver_sql(f"SELECT @@SESSION.{limit}").scalar()
    # PyMySQL gives the socket these timeouts before each read and write.
    raw._read_timeout = raw._write_timeout = None
    conn.exec_driver_sql(f"SET SESSION {limit} = 0")
    try:
        yield
    finally:
        raw._read_timeout, raw._write_timeout = timeouts
        try:
            conn.exec_driver_sql(f"SET SESSION {limit} = {statement_limit}")
        except DBAPIError:  # the connection broke meanwhile: it must not go back to the pool
            conn.invalidate()


@contextmanager
def intake_lock(conn: Connection) -> Iterator[None]:
    """Hold the database's intake lock (GET_LOCK, named after the database, so parallel test
    databases on one server do not wait on each other) for the block; released in every case.

    The lock belongs to the session, not the transaction: it is taken and the transaction
    ended before the block, so the import's reads start after the previous import committed.
    """
    from data_access.scope import DatabaseUnavailable

    name = "LEFT(CONCAT(DATABASE(), '.report_intake'), 64)"
    with long_statements(conn):
        granted = conn.execute(text(f"SELECT GET_LOCK({name}, :wait)"), {"wait": INTAKE_LOCK_WAIT_S}).scalar()
        conn.commit()
        if granted != 1:
            raise DatabaseUnavailable(f"the intake lock was not granted within {INTAKE_LOCK_WAIT_S} s")
        try:
            yield
        finally:
            try:
                conn.rollback()  # whatever the block left open: the lock outlives transactions
                conn.execute(text(f"SELECT RELEASE_LOCK({name})"))
                conn.commit()
            except DBAPIError:  # a broken session has lost its lock with it
                conn.invalidate()


# ------------------------------------------------------------------ upgrades that undo themselves
# Byte-exact text comparison, as SQLite and PostgreSQL compare: the default collations ignore
# case and trailing spaces ('cp1 ' would find 'CP1'). MySQL 8 and MariaDB name it differently.
EXACT_COLLATIONS = ("utf8mb4_0900_bin", "utf8mb4_nopad_bin")


def use_exact_collation(conn: Connection) -> None:
    """Make the exact collation the default of a database that has no tables yet, so every
    table the migrations create compares codes and names byte for byte. A database that
    already has tables keeps its collation: a foreign key needs the same on both sides."""
    if conn.exec_driver_sql("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()").scalar():
        return
    listed = ", ".join(f"'{name}'" for name in EXACT_COLLATIONS)
    available = set(
        conn.exec_driver_sql(
            f"SELECT collation_name FROM information_schema.collations WHERE collation_name IN ({listed})"
        ).scalars()
    )
    collation = next((name for name in EXACT_COLLATIONS if name in available), None)
    if collation is not None:
        conn.exec_driver_sql(f"ALTER DATABASE CHARACTER SET utf8mb4 COLLATE {collation}")


@dataclass(frozen=True)
class SchemaState:
    """What an undo needs to know of a schema: tables, each table's columns and indexes,
    triggers, and the Alembic revision."""

    columns: dict[str, list[str]]
    indexes: dict[str, dict[str, tuple[list[str], bool]]]
    triggers: set[str]
    revision: str | None


@contextmanager
def foreign_key_checks_off(conn: Connection) -> Iterator[None]:
    """Within the block MySQL lets tables that foreign keys refer to, and the indexes the keys
    use, be dropped (no-op on other engines)."""
    if not is_mysql(conn):
        yield
        return
    conn.exec_driver_sql("SET SESSION foreign_key_checks = 0")
    try:
        yield
    finally:
        conn.exec_driver_sql("SET SESSION foreign_key_checks = 1")


def schema_state(conn: Connection) -> SchemaState:
    inspector = inspect(conn)
    tables = inspector.get_table_names()
    columns = {t: [c["name"] for c in inspector.get_columns(t)] for t in tables}
    indexes = {t: {i["name"]: (list(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(t)} for t in tables}
    triggers = set(
        conn.exec_driver_sql("SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = DATABASE()").scalars()
    )
    revision = None
    if "alembic_version" in tables:
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return SchemaState(columns, indexes, triggers, revision)


def undo_schema_changes(conn: Connection, before: SchemaState) -> None:
    """Bring the schema back to ``before``: drop the triggers, tables, indexes and columns
    made since, put back the indexes dropped since, and the Alembic revision."""
    now = schema_state(conn)
    quote = conn.dialect.identifier_preparer.quote
    for trigger in sorted(now.triggers - before.triggers):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {quote(trigger)}")
    with foreign_key_checks_off(conn):  # new tables may refer to each other
        for table in [t for t in now.columns if t not in before.columns]:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {quote(table)}")
    for table, columns in before.columns.items():
        if table not in now.columns:
            continue  # dropped since: its rows are gone, nothing can bring it back
        indexes_now = now.indexes[table]
        for index in sorted(set(indexes_now) - set(before.indexes[table])):
            conn.exec_driver_sql(f"DROP INDEX {quote(index)} ON {quote(table)}")
        for index, (index_columns, unique) in sorted(before.indexes[table].items()):
            if index not in indexes_now and all(c in now.columns[table] for c in index_columns):
                listed = ", ".join(quote(c) for c in index_columns)
                conn.exec_driver_sql(f"CREATE {'UNIQUE ' if unique else ''}INDEX {quote(index)} ON {quote(table)} ({listed})")
        for column in [c for c in now.columns[table] if c not in columns]:
            conn.exec_driver_sql(f"ALTER TABLE {quote(table)} DROP COLUMN {quote(column)}")
    if "alembic_version" in before.columns and now.revision != before.revision:
        conn.execute(text("DELETE FROM alembic_version"))
        if before.revision is not None:
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": before.revision})
    conn.commit()


@contextmanager
def undoing_ddl_on_failure(engine: Engine) -> Iterator[None]:
    """Run a schema upgrade in the block; if it fails, undo what it changed (see the module)."""
    with engine.connect() as conn:
        before = schema_state(conn)
        conn.rollback()
    try:
        yield
    except BaseException:
        with engine.connect() as conn:
            try:
                undo_schema_changes(conn, before)
            except DBAPIError:
                log.exception("the failed upgrade could not be undone; the schema may be half made")
        raise
