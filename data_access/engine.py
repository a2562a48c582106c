"""The one door to the database: which URL, one engine per process, schema upgrades.

``DATABASE_URL`` (any SQLAlchemy URL) chooses the database; unset, the embedded
SQLite file ``data/epidemic_dashboard.sqlite`` is used. PostgreSQL and MySQL 8 /
MariaDB 10.11+ (``mysql://`` or ``mariadb://``, driven by PyMySQL) are the server engines.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

from data_access.mysql import (
    MYSQL_DIALECTS,
    configure_sessions,
    long_statements,
    undoing_ddl_on_failure,
    use_exact_collation,
)
from data_access.settings import get_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "epidemic_dashboard.sqlite"

# Queries slower than this are cut off (PostgreSQL statement_timeout), so a stuck
# database shows the "database unavailable" banner instead of hanging a page.
STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "15000"))
# A network partition drops packets instead of refusing them: without these a page waits on
# its socket for minutes. Connecting gives up after CONNECT_TIMEOUT_S; an open connection
# whose server stops answering is declared dead by TCP keepalives (probes after 3 s of
# silence, every 2 s, 2 unanswered) or, when a request is unacknowledged, by
# tcp_user_timeout, so a page shows the outage banner within about 5–9 s.
CONNECT_TIMEOUT_S = int(os.environ.get("DATABASE_CONNECT_TIMEOUT_S", "4"))
SOCKET_TIMEOUT_MS = int(os.environ.get("DATABASE_SOCKET_TIMEOUT_MS", "5000"))
POSTGRES_PARTITION_ARGS = {
    "keepalives": 1,
    "keepalives_idle": 3,
    "keepalives_interval": 2,
    "keepalives_count": 2,
    "tcp_user_timeout": SOCKET_TIMEOUT_MS,
}
SQLITE_CACHE_KB = 8192
# How long a SQLite writer waits for another one before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30000
# MySQL / MariaDB: PyMySQL has no keepalive or tcp_user_timeout settings, so a socket that gets
# no answer for MYSQL_SOCKET_TIMEOUT_S fails instead. A page's checkout first pings its pooled
# connection (up to that long), then opens a new one (up to MYSQL_CONNECT_TIMEOUT_S, plenty for
# a connection on a LAN): a partition shows the outage banner within 6 + 2 = 8 s (measured in
# tests/test_partition_mariadb.py). The server cuts a page query a second
# before the socket gives up (max_statement_time on MariaDB, max_execution_time on MySQL), so a
# slow query fails cleanly and its connection stays usable; the heaviest page query of a whole
# city takes about a second. Imports, migrations and the generator lift both limits
# (data_access.mysql.long_statements).
MYSQL_SOCKET_TIMEOUT_S = int(os.environ.get("DATABASE_MYSQL_SOCKET_TIMEOUT_S", "6"))
MYSQL_CONNECT_TIMEOUT_S = min(CONNECT_TIMEOUT_S, 2)
MYSQL_STATEMENT_TIMEOUT_S = max(1, min(STATEMENT_TIMEOUT_MS // 1000, MYSQL_SOCKET_TIMEOUT_S - 1))
MYSQL_CONNECT_ARGS = {
    "charset": "utf8mb4",
    "connect_timeout": MYSQL_CONNECT_TIMEOUT_S,
    "read_timeout": MYSQL_SOCKET_TIMEOUT_S,
    "write_timeout": MYSQL_SOCKET_TIMEOUT_S,
}


def database_url() -> str:
    """The configured SQLAlchemy URL; the embedded SQLite file when unset."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # Accept the plain "postgresql://" spelling and use psycopg 3 for it.
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://") :]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        # MySQL and MariaDB: the pure-Python PyMySQL driver for both spellings.
        for scheme in ("mysql://", "mariadb://"):
            if url.startswith(scheme):
                url = "mysql+pymysql://" + url[len(scheme) :]
        return url
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - trivial
        cursor = dbapi_connection.cursor()
        # WAL lets the dashboard read while an import writes; busy_timeout makes a
        # second writer wait for the first instead of failing at once.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # The page cache is per connection and the pool keeps five: 8 MB each bounds it at
        # 40 MB (64 MB each held 320 MB once 50 sessions had passed, with the same page
        # times: the operating system caches the file's pages anyway).
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
        cursor.close()


def make_engine(url: str) -> Engine:
    """A new engine for ``url`` with the project's connection settings."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        if path and path != ":memory:":
            # Imported here: it needs scope's DatabaseUnavailable, and scope imports this module.
            from data_access.sqlite_file import watch_file

            watch_file(engine, path.split("?", 1)[0])  # a deleted or replaced file: the outage banner
        return engine
    connect_args: dict = {}
    if url.startswith("postgresql"):
        # Options the URL carries (``?options=-csearch_path%3Dyqfk`` for a schema of its
        # own) are kept: the project's settings come after them.
        own = make_url(url).query.get("options") or ""
        own = " ".join(own) if isinstance(own, tuple) else own
        connect_args = {
            "connect_timeout": CONNECT_TIMEOUT_S,
            "options": f"{own} -c statement_timeout={STATEMENT_TIMEOUT_MS} -c timezone={get_settings().timezone}".strip(),
            **POSTGRES_PARTITION_ARGS,
        }
    if url.startswith(MYSQL_DIALECTS):
        # READ COMMITTED, as PostgreSQL: each statement sees what was committed before it.
        engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=5,
            isolation_level="READ COMMITTED",
            connect_args=MYSQL_CONNECT_ARGS,
        )
        configure_sessions(engine, MYSQL_STATEMENT_TIMEOUT_S)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=connect_args)


_engine_lock = threading.Lock()
# A process serves one database; a few more are kept for tools and tests that switch. An
# engine pushed out closes its pooled connections (a server counts them against its limit).
_ENGINES_KEPT = 4
_engines: OrderedDict[str, Engine] = OrderedDict()


def _engine_for(url: str) -> Engine:
    if url in _engines:
        _engines.move_to_end(url)
        return _engines[url]
    _engines[url] = engine = make_engine(url)
    while len(_engines) > _ENGINES_KEPT:
        _, evicted = _engines.popitem(last=False)
        evicted.dispose()  # a connection still in use is closed when it is given back
    return engine


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: the configured one)."""
    with _engine_lock:
        return _engine_for(url or database_url())


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_schema(engine: Engine) -> None:
    """Bring the database's schema to the newest migration (creates it when empty)."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    if engine.dialect.name in MYSQL_DIALECTS:
        # MySQL's DDL commits at once, so a failed upgrade is undone by hand (data_access.mysql).
        with undoing_ddl_on_failure(engine), engine.begin() as connection, long_statements(connection):
            use_exact_collation(connection)
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
        return
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            # pysqlite opens a transaction only before INSERT/UPDATE/DELETE: without this every
            # CREATE of a failed upgrade would stay, and the next run find a half schema.
            connection.exec_driver_sql("BEGIN")
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def has_data(engine: Engine) -> bool:
    """True when the database has the schema and at least one area."""
    from sqlalchemy import func, select

    from data_access.schema import area

    if not inspect(engine).has_table("area"):
        return False
    with engine.connect() as conn:
        return bool(conn.execute(select(func.count()).select_from(area)).scalar())
