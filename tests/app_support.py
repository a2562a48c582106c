"""What the app tests share: a running dashboard server (``DashboardServer``) and figures
computed straight from the database (raw SQL, independent of the adapter) for checking
what the pages show. The fixtures built on them (``sample_database``, ``dashboard_server``)
are in tests/conftest.py."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DashboardServer:
    """`streamlit run dashboard.py` on a free localhost port, against ``database_url``;
    under ``base_path`` (``server.baseUrlPath``, e.g. ``yqfk``) when given; on the cores
    ``cpus`` only (``taskset -c``, e.g. ``"0"``) when given; the app of ``tree`` (another
    checkout of the project) when given."""

    def __init__(
        self,
        database_url: str,
        log_path: Path,
        extra_env: dict[str, str] | None = None,
        port: int | None = None,
        base_path: str = "",
        cpus: str | None = None,
        tree: Path = PROJECT_ROOT,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}" + (f"/{base_path}" if base_path else "")
        env = {**os.environ, "DATABASE_URL": database_url, **(extra_env or {})}
        self._log = open(log_path, "w")
        self.process = subprocess.Popen(
            [
                *(["taskset", "-c", cpus] if cpus else []),
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "dashboard.py",
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
                *(["--server.baseUrlPath", base_path] if base_path else []),
            ],
            cwd=tree,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.log_path = log_path

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"dashboard server exited with {self.process.returncode}:\n{self.log_path.read_text()[-3000:]}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.read().decode().strip() == "ok":
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"dashboard did not answer on {self.url} within {timeout}s")

    def memory_rss(self) -> int:
        import psutil

        return psutil.Process(self.process.pid).memory_info().rss

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


# ---------------------------------------------------------------- independent figures
# Codes nest by prefix (GB/T 2260 style), so "the area and everything under it" is
# `code LIKE prefix || '%'` here — a different route from the adapter's ancestor columns.
def sqlite_copy(source_url: str, target: Path) -> str:
    """A copy of the SQLite database at ``source_url`` in the file ``target``, by SQLite's
    backup API: the sample file is in WAL mode, so a plain file copy misses what is still in
    its -wal file (the planner's statistics, the last writes). Returns the copy's URL."""
    with sqlite3.connect(source_url.split("///", 1)[1]) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"


def _like(area_code: str, city_code: str) -> str:
    return f"{area_code[:4]}%" if area_code == city_code else f"{area_code}%"


def sql_scalar(engine: Engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def checkpoint_sum(engine: Engine, column: str, area_code: str, start: dt.date, end: dt.date, city_code: str) -> int:
    return sql_scalar(
        engine,
        f"SELECT COALESCE(SUM(h.{column}), 0) FROM checkpoint_hourly h JOIN checkpoint c ON c.code = h.checkpoint_code "
        "WHERE c.area_code LIKE :prefix AND h.day BETWEEN :start AND :end",
        prefix=_like(area_code, city_code),
        start=start.isoformat(),
        end=end.isoformat(),
    )


def testing_sum(engine: Engine, column: str, area_code: str, start: dt.date, end: dt.date, city_code: str) -> int:
    return sql_scalar(
        engine,
        f"SELECT COALESCE(SUM(t.{column}), 0) FROM testing_daily t JOIN sampling_site s ON s.code = t.site_code "
        "WHERE s.area_code LIKE :prefix AND t.day BETWEEN :start AND :end",
        prefix=_like(area_code, city_code),
        start=start.isoformat(),
        end=end.isoformat(),
    )


def doses_sum(
    engine: Engine, area_code: str, start: dt.date, end: dt.date, city_code: str, dose_number: int | None = None
) -> int:
    dose = "" if dose_number is None else f" AND v.dose_number = {int(dose_number)}"
    return sql_scalar(
        engine,
        "SELECT COALESCE(SUM(v.doses), 0) FROM vaccination_daily v JOIN vaccination_site s ON s.code = v.site_code "
        f"WHERE s.area_code LIKE :prefix AND v.day BETWEEN :start AND :end{dose}",
        prefix=_like(area_code, city_code),
        start=start.isoformat(),
        end=end.isoformat(),
    )


def grid_units_with_colour(engine: Engine, colour: int, area_code: str, day: dt.date, city_code: str) -> int:
    return sql_scalar(
        engine,
        "SELECT COUNT(*) FROM grid_daily WHERE unit_code LIKE :prefix AND day = :day AND risk_colour = :colour",
        prefix=_like(area_code, city_code),
        day=day.isoformat(),
        colour=colour,
    )


def lowest_days_of_cover(engine: Engine, district_like: str, end: dt.date) -> float:
    """min over items of (stock on ``end``) ÷ (mean daily outbound over the 7 days to ``end``)."""
    start = end - dt.timedelta(days=6)
    rows = _rows(
        engine,
        "SELECT l.item_code, l.day, SUM(l.closing_stock), SUM(l.outbound_frontline) FROM supply_ledger l "
        "JOIN warehouse w ON w.code = l.warehouse_code WHERE w.area_code LIKE :prefix AND l.day BETWEEN :start AND :end "
        "GROUP BY l.item_code, l.day",
        prefix=district_like,
        start=start.isoformat(),
        end=end.isoformat(),
    )
    by_item: dict[str, dict] = {}
    for item, day, stock, outbound in rows:
        entry = by_item.setdefault(item, {"outbound": [], "stock": None, "last": ""})
        entry["outbound"].append(outbound)
        if str(day) >= entry["last"]:
            entry["last"], entry["stock"] = str(day), stock
    return min(e["stock"] / (sum(e["outbound"]) / len(e["outbound"])) for e in by_item.values())


def lowest_district_days_of_cover(engine: Engine, district_like: str, end: dt.date, city: str) -> float:
    """min over districts and items of (a district's stock on ``end``) ÷ (its mean daily
    outbound over the 7 days to ``end``); the city reserve is no district's."""
    start = end - dt.timedelta(days=6)
    rows = _rows(
        engine,
        "SELECT substr(w.area_code, 1, 6), l.item_code, l.day, SUM(l.closing_stock), SUM(l.outbound_frontline) FROM supply_ledger l "
        "JOIN warehouse w ON w.code = l.warehouse_code WHERE w.area_code LIKE :prefix AND w.area_code <> :city "
        "AND l.day BETWEEN :start AND :end GROUP BY substr(w.area_code, 1, 6), l.item_code, l.day",
        prefix=district_like,
        city=city,
        start=start.isoformat(),
        end=end.isoformat(),
    )
    by_item: dict[tuple, dict] = {}
    for district, item, day, stock, outbound in rows:
        entry = by_item.setdefault((district, item), {"outbound": [], "stock": None, "last": ""})
        entry["outbound"].append(outbound)
        if str(day) >= entry["last"]:
            entry["last"], entry["stock"] = str(day), stock
    return min(e["stock"] / (sum(e["outbound"]) / len(e["outbound"])) for e in by_item.values() if sum(e["outbound"]))


def _rows(engine: Engine, sql: str, **params) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def first_visit(params: dict, timeout: float = 90):
    """A new session's first run of the dashboard (AppTest), with ``params`` in its URL.
    A later ``run()`` of the same AppTest re-runs only the page script, not dashboard.py."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@contextmanager
def postgres_database(server_url: str, suffix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server (dropped afterwards): its URL.
    A database rather than a schema, for what takes a plain DATABASE_URL (a server
    process, a forwarded address). Unreachable: skipped locally, failed under CI=true."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from tests.conftest import postgres_unavailable

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    name = f"t_{secrets.token_hex(5)}_{suffix}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except Exception as error:  # noqa: BLE001 - any failure to connect means "unreachable" here
        admin.dispose()
        postgres_unavailable(server_url, f"{type(error).__name__}: {error}")
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
