"""Area scope and date range: the filter every query takes, and how it becomes SQL.

A scope is an area and everything under it (district → its streets, communities and
grid units) over an inclusive date range, read on behalf of someone who may see only
the area ``within`` (their own district, say). This is the one place that turns a scope
into conditions and the one place that refuses an area outside ``within``: every query
function asks ``scope_level`` (or ``check_within`` for a bare code) before it reads.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TypeVar

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Engine, Select, select
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from data_access.engine import get_engine
from data_access.schema import LEVEL_COLUMN, LEVELS, area


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached or did not answer in time."""


class DatabaseFailed(DatabaseUnavailable):
    """The database was reached but refused the statement: a value it cannot hold (a NUL
    byte on PostgreSQL), a corrupt file, a schema out of step. Shown like an outage,
    without the driver's words; the server's log has them. Not a sign that the server is
    down, so it does not make later reads wait."""


class UnknownArea(LookupError):
    """No area has the requested code."""


class AccessDenied(PermissionError):
    """The area lies outside the area the reader may see."""

    def __init__(self, code: str, within: str) -> None:
        super().__init__(f"area {code} lies outside {within}")
        self.code, self.within = code, within


@dataclass(frozen=True)
class Scope:
    """An area (with everything under it) and an inclusive date range."""

    area_code: str
    start: dt.date
    end: dt.date
    # The area the reader may see (None: everything). Part of the value, so cached
    # results are kept apart per reader's area.
    within: str | None = None

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")

    def with_area(self, area_code: str) -> Scope:
        return replace(self, area_code=area_code)

    def with_days(self, start: dt.date, end: dt.date) -> Scope:
        return replace(self, start=start, end=end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def level_index(level: str) -> int:
    return LEVELS.index(level)


def child_level(level: str) -> str | None:
    i = level_index(level)
    return LEVELS[i + 1] if i + 1 < len(LEVELS) else None


def as_date(value) -> dt.date:
    """A day as a driver or pandas returns it (a date, a datetime or Timestamp, or ISO text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def resolve_engine(engine: Engine | None) -> Engine:
    return engine if engine is not None else get_engine()


# Areas do not move, so their level and ancestors are looked up once per engine.
_AREA_ROWS: weakref.WeakKeyDictionary[Engine, dict[str, dict]] = weakref.WeakKeyDictionary()


def area_row(engine: Engine, code: str) -> dict:
    """The area's code, level and ancestor codes."""
    known = _AREA_ROWS.setdefault(engine, {})
    if code not in known:

        def _lookup():
            with one_connection(engine) as conn:
                return (
                    conn.execute(
                        select(area.c.code, area.c.level, area.c.parent_code, *[area.c[c] for c in LEVEL_COLUMN.values()]).where(
                            area.c.code == code
                        )
                    )
                    .mappings()
                    .first()
                )

        row = run(_lookup)
        if row is None:
            raise UnknownArea(code)
        if len(known) > 100_000:
            known.clear()
        known[code] = dict(row)
    return known[code]


def clear_area_cache(engine: Engine | None = None) -> None:
    if engine is None:
        _AREA_ROWS.clear()
    else:
        _AREA_ROWS.pop(engine, None)


def area_level(engine: Engine, code: str) -> str:
    return area_row(engine, code)["level"]


def is_within(engine: Engine, code: str, within: str | None) -> bool:
    """True when the area ``code`` is ``within`` or lies under it (always, for no ``within``)."""
    if within is None or code == within:
        return True
    limit_level = area_row(engine, within)["level"]
    return area_row(engine, code)[LEVEL_COLUMN[limit_level]] == within


def check_within(engine: Engine, code: str, within: str | None) -> dict:
    """The area's row; AccessDenied when it lies outside ``within``, UnknownArea when
    no such area exists."""
    row = area_row(engine, code)
    if not is_within(engine, code, within):
        raise AccessDenied(code, within)
    return row


def scope_level(engine: Engine, scope: Scope) -> str:
    """The level of the scope's area, once it is known to lie within the reader's area.
    Every query function calls this (or ``check_within``) before it reads anything."""
    return check_within(engine, scope.area_code, scope.within)["level"]


def is_root(engine: Engine, code: str) -> bool:
    """True for the top area (a city, or a district running its own command centre), which
    holds every area of the database: a read of its scope needs no condition on areas."""
    return area_row(engine, code)["parent_code"] is None


def sees_everything(engine: Engine, within: str | None) -> bool:
    """True for a reader of the whole database: no limit, or the top area (a city, or a
    district that runs its own command centre)."""
    return within is None or is_root(engine, within)


def within_condition(engine: Engine, within: str | None, area_table=area) -> ColumnElement[bool] | None:
    """Rows of ``area_table`` inside ``within``; None when the reader may see everything."""
    if sees_everything(engine, within):
        return None
    return in_scope(area_row(engine, within)["level"], within, area_table)


def in_scope(level: str, code: str, area_table=area) -> ColumnElement[bool]:
    """Rows of ``area_table`` that are the area ``code`` (at ``level``) or lie under it."""
    return area_table.c[LEVEL_COLUMN[level]] == code


def codes_at(level: str, code: str, at_level: str) -> Select:
    """The codes of the areas at ``at_level`` that are the area ``code`` (at ``level``) or
    lie under it, as a subquery for ``IN``: the database then reads just their rows."""
    return select(area.c.code).where(in_scope(level, code), area.c.level == at_level)


def widen_to(engine: Engine, scope: Scope, finest_level: str) -> Scope:
    """The scope itself, or its ancestor at ``finest_level`` when the scope lies below it.

    Some figures only exist down to a level (supplies are held by district depots):
    a street's scope then reads its district's figures, unless the reader may see only
    the street.
    """
    row = check_within(engine, scope.area_code, scope.within)
    if level_index(row["level"]) <= level_index(finest_level):
        return scope
    wider = row[LEVEL_COLUMN[finest_level]]
    # Never past the reader's own area: a street's reader does not see the district's depots.
    return scope.with_area(wider) if is_within(engine, wider, scope.within) else scope


def breakdown_level(level: str, finest_level: str = "grid") -> str:
    """The level a scope's figures are broken down by: one below, but not past ``finest_level``."""
    below = child_level(level) or level
    return below if level_index(below) <= level_index(finest_level) else finest_level


def run(fn):
    """Call ``fn``; a database that is down, refuses or times out becomes DatabaseUnavailable,
    one that rejects the statement DatabaseFailed: no driver error reaches a page."""
    try:
        return fn()
    except (OperationalError, InterfaceError) as error:
        raise DatabaseUnavailable(str(getattr(error, "orig", None) or error)) from error
    except DBAPIError as error:
        if error.connection_invalidated:
            raise DatabaseUnavailable(str(error.orig or error)) from error
        raise DatabaseFailed(f"{type(error.orig or error).__name__}: {error.orig or error}") from error


# The connection the reads of this thread share (``one_connection``), with its engine.
T = TypeVar("T")
_HELD: ContextVar[tuple[Engine, Connection] | None] = ContextVar("dashboard_held_connection", default=None)


@contextmanager
def one_connection(engine: Engine) -> Iterator[Connection]:
    """Inside the block, this thread's reads of ``engine`` (``keyed_rows``, ``plain_rows``,
    ``records``, ``frame``) share one connection: one checkout, liveness ping and rollback
    for all of them instead of one each (on PostgreSQL two round trips per statement, a
    third of a short statement's time). Each statement still sees what was committed before
    it (no transaction is begun for reads). For a computation of many short reads: each
    alert rule, each domain's data checks. Nested blocks share the outer one."""
    held = _HELD.get()
    if held is not None and held[0] is engine:
        yield held[1]
        return
    conn = run(engine.connect)
    token = _HELD.set((engine, conn))
    try:
        yield conn
    finally:
        _HELD.reset(token)
        run(conn.close)


def on_one_connection(engine: Engine, call: Callable[[], T]) -> Callable[[], T]:
    """``call`` with its reads of ``engine`` on one connection (``one_connection``): a part
    for ``parallel.run_all``, which runs each on a thread of its own."""

    def held() -> T:
        with one_connection(engine):
            return call()

    return held


def keyed_rows(engine: Engine, statement, params: Mapping | None = None) -> tuple[list[str], list[tuple]]:
    """Execute ``statement`` (with bound ``params``) and return its column names and its
    rows as plain tuples."""

    def _read(conn: Connection) -> tuple[list[str], list[tuple]]:
        result = conn.execute(statement, params)
        # Plain tuples: pandas builds a frame from SQLAlchemy Row objects over ten
        # times slower (50 ms instead of 4 for the 3,211 areas of the picker).
        return list(result.keys()), [tuple(row) for row in result.all()]  # fetchall: one call, not one per row

    def _query() -> tuple[list[str], list[tuple]]:
        held = _HELD.get()
        if held is not None and held[0] is engine:
            return _read(held[1])
        with engine.connect() as conn:
            return _read(conn)

    return run(_query)


def plain_rows(engine: Engine, statement, params: Mapping | None = None) -> list[tuple]:
    """``statement``'s rows as plain tuples: small results judged in Python, no frame."""
    return keyed_rows(engine, statement, params)[1]


def records(engine: Engine, statement, params: Mapping | None = None) -> list[dict]:
    """``statement``'s rows as dicts by column name: what the alert rules judge. A few
    hundred rows read this way cost a tenth of a frame's building and typing."""
    keys, rows = keyed_rows(engine, statement, params)
    return [dict(zip(keys, row, strict=True)) for row in rows]


def frame(engine: Engine, statement: Select, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Execute ``statement`` and return its rows as a DataFrame (empty frames keep their columns)."""
    keys, rows = keyed_rows(engine, statement)
    return pd.DataFrame(rows, columns=list(columns or keys))
