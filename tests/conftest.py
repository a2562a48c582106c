"""Every fixture the tests share, in one place: the test databases, the sample city, the
dashboard server and the browser.

``engine`` is the hand-built dataset (tests/fixtures_data.py) on each engine kind,
loaded once per session and only read by the tests; ``empty_engine`` is a new empty
database per test; ``city`` / ``fresh_city`` (tests/intake_support.py) are writable copies
of it for the intake tests, per module / per test. PostgreSQL comes from
``TEST_DATABASE_URL``; every session works in schemas of its own (``t_<random>_<n>``),
dropped at the end, so parallel runs and benchmarks on the same server never see each
other's tables. MariaDB / MySQL comes from ``TEST_MYSQL_URL``, likewise in databases of
its own (``t_<random>_<n>``). ``sample_database`` is the generated small sample city (SQLite), which
``dashboard_server`` serves and the page, export and briefing tests read; ``browser`` is
Chromium for the browser tests (tests/browser_pages.py).

    .venv/bin/pytest tests/test_metrics.py tests/test_adapter_*.py tests/test_engine.py \
        tests/test_migrations.py tests/test_generator.py     # adapter + generator, both engines
    … -m "not postgres and not mariadb"                      # SQLite only
    … -m mariadb                                             # MariaDB / MySQL only
    TEST_DATABASE_URL=postgresql+psycopg://user@host/db …   # another PostgreSQL server
    TEST_MYSQL_URL=mysql+pymysql://user@host:3306/db …      # another MariaDB / MySQL server
    CI=true …                   # an unreachable PostgreSQL or MariaDB fails instead of skipping
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from data_access.engine import STATEMENT_TIMEOUT_MS, make_engine, upgrade_schema
from data_access.scope import clear_area_cache
from sample_data.generate import generate
from tests import fixtures_data
from tests.app_support import DashboardServer
from tests.browser_pages import launch_browser

# ENGINE_KINDS is bound here before tests.intake_support is imported (the import order
# keeps it so): that module reads ``tests.conftest.ENGINE_KINDS`` while this one loads.
from tests.fixtures_data import ENGINE_KINDS

# The intake tests' copies of the test city, defined beside their helpers (the ``as``
# marks a re-export: pytest finds the fixtures here, ruff does not call them unused).
from tests.intake_support import city as city
from tests.intake_support import fresh_city as fresh_city

DEFAULT_TEST_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_TEST_MYSQL_URL = "mysql+pymysql://root@127.0.0.1:3306/test"

# The page and browser tests point DATABASE_URL at throw-away databases, which would make
# the app ask for sign-in; they test the views themselves, so they run in the explicit
# open mode. Tests of sign-in and access set their own mode (tests/test_access_*.py).
os.environ["DASHBOARD_AUTH_MODE"] = "open"


def postgres_url() -> str:
    """The PostgreSQL server the tests use (``TEST_DATABASE_URL``)."""
    return os.environ.get("TEST_DATABASE_URL", "").strip() or DEFAULT_TEST_DATABASE_URL


def mysql_url() -> str:
    """The MariaDB / MySQL server the tests use (``TEST_MYSQL_URL``)."""
    return os.environ.get("TEST_MYSQL_URL", "").strip() or DEFAULT_TEST_MYSQL_URL


def server_unavailable(engine: str, variable: str, url: str, reason: str):
    """Skip (locally) or fail (CI=true) a test that needs the unreachable ``engine`` server."""
    shown = make_url(url).render_as_string(hide_password=True)
    message = f"{engine} test database {shown} is unreachable ({reason.strip().splitlines()[0]})"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{message}; CI=true, so the {engine} tests must run: start the server or set {variable}", pytrace=False)
    pytest.skip(f"{message}; start it or set {variable} to run the {engine} tests")


def postgres_unavailable(url: str, reason: str):
    server_unavailable("PostgreSQL", "TEST_DATABASE_URL", url, reason)


def mariadb_unavailable(url: str, reason: str):
    server_unavailable("MariaDB", "TEST_MYSQL_URL", url, reason)


class ServerDatabases:
    """Fresh namespaces (``t_<random>_<n>``) on a test server, each with its own engine; all
    dropped by ``close``. A subclass says which server it is, and how one is made, reached
    and dropped."""

    label = variable = ""  # the server's name and the variable that points at it

    def __init__(self, url: str) -> None:
        self.url = url
        self.prefix = f"t_{secrets.token_hex(5)}"
        self._admin = create_engine(url, connect_args={"connect_timeout": 5})
        self._names: list[str] = []
        self._engines: list[Engine] = []

    def check_reachable(self) -> None:
        try:
            with self._admin.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as error:  # any failure to connect means "unreachable" here
            self._admin.dispose()
            server_unavailable(self.label, self.variable, self.url, f"{type(error).__name__}: {error}")

    def _new_name(self, create: str) -> str:
        name = f"{self.prefix}_{len(self._names)}"
        with self._admin.begin() as conn:
            conn.exec_driver_sql(create.format(name=name))
        self._names.append(name)
        return name

    # Engines whose idle pooled connections are kept open; older ones are emptied (still
    # usable: they connect again when next used). Hundreds of test databases, five pooled
    # connections each, ran two workers out of the server's 100 connections.
    POOLS_KEPT = 3

    def _keep(self, engine: Engine) -> Engine:
        for older in self._engines[: -self.POOLS_KEPT or None]:
            if older.pool.checkedin():
                older.dispose()  # a connection still in use is closed when it is given back
        self._engines.append(engine)
        return engine

    def close(self, drop: str) -> None:
        for engine in self._engines:
            clear_area_cache(engine)
            engine.dispose()
        # One transaction per name: dropping dozens of PostgreSQL schemas (with their tables
        # and triggers) at once runs out of the server's lock table (max_locks_per_transaction).
        for name in self._names:
            with self._admin.begin() as conn:
                conn.exec_driver_sql(drop.format(name=name))
        self._admin.dispose()


class PostgresSchemas(ServerDatabases):
    """Fresh schemas on the PostgreSQL test server."""

    label, variable = "PostgreSQL", "TEST_DATABASE_URL"

    def new_engine(self) -> Engine:
        name = self._new_name('CREATE SCHEMA "{name}"')
        # The project's own PostgreSQL settings (make_engine), plus the session's schema.
        options = f"-c search_path={name} -c statement_timeout={STATEMENT_TIMEOUT_MS} -c timezone=Asia/Shanghai"
        return self._keep(create_engine(self.url, pool_pre_ping=True, connect_args={"connect_timeout": 5, "options": options}))

    def close(self) -> None:
        super().close('DROP SCHEMA IF EXISTS "{name}" CASCADE')


class MysqlDatabases(ServerDatabases):
    """Fresh databases on the MariaDB / MySQL test server, each with an engine made as the
    dashboard makes its own (make_engine)."""

    label, variable = "MariaDB", "TEST_MYSQL_URL"

    def new_url(self) -> str:
        name = self._new_name("CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def new_engine(self) -> Engine:
        return self._keep(make_engine(self.new_url()))

    def close(self) -> None:
        super().close("DROP DATABASE IF EXISTS `{name}`")


def _opened(databases: ServerDatabases) -> Iterator:
    databases.check_reachable()
    try:
        yield databases
    finally:
        databases.close()


@pytest.fixture(scope="session")
def mysql_databases() -> Iterator[MysqlDatabases]:
    yield from _opened(MysqlDatabases(mysql_url()))


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[PostgresSchemas]:
    yield from _opened(PostgresSchemas(postgres_url()))


@pytest.fixture(scope="session")
def new_database(request, tmp_path_factory):
    """A factory: ``new_database(kind)`` is a new, empty database of that kind."""
    sqlite_engines: list[Engine] = []

    def make(kind: str) -> Engine:
        if kind == "postgresql":
            return request.getfixturevalue("postgres_schemas").new_engine()
        if kind == "mariadb":
            return request.getfixturevalue("mysql_databases").new_engine()
        path = tmp_path_factory.mktemp("db") / "test.sqlite"
        engine = make_engine(f"sqlite:///{path}")
        sqlite_engines.append(engine)
        return engine

    yield make
    for engine in sqlite_engines:
        clear_area_cache(engine)
        engine.dispose()


@pytest.fixture(scope="session", params=ENGINE_KINDS)
def engine(request, new_database) -> Engine:
    """The hand-built dataset at the newest schema, on every engine kind (read only)."""
    engine = new_database(request.param)
    upgrade_schema(engine)
    fixtures_data.load(engine)
    clear_area_cache(engine)
    return engine


@pytest.fixture(params=ENGINE_KINDS)
def empty_engine(request, new_database) -> Engine:
    """A new database with no tables at all, on every engine kind."""
    return new_database(request.param)


@pytest.fixture(scope="session")
def sample_database(tmp_path_factory) -> Iterator[tuple[str, Engine]]:
    """The small sample city (the one `make run` loads) in a throw-away SQLite file: (URL, engine),
    one for the whole session: a test that changes figures works on a copy (SQLite's backup
    API, as test_access_pages's ``db`` and test_browser_wall's server do)."""
    path = tmp_path_factory.mktemp("app") / "sample.sqlite"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    generate(engine, "small", seed=42, log=lambda *_: None)
    yield url, engine
    engine.dispose()


@pytest.fixture(scope="session")
def dashboard_server(sample_database, tmp_path_factory) -> Iterator[DashboardServer]:
    """`streamlit run dashboard.py` against the sample city, ready to answer."""
    url, _ = sample_database
    server = DashboardServer(url, tmp_path_factory.mktemp("server") / "streamlit.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, once per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()
