"""Roll-up tables kept in step with their detail, so views read a few rows, not every unit's.

- ``checkpoint_daily`` from ``checkpoint_hourly`` (per checkpoint and day), rebuilt by
  whoever writes hours (``refresh_checkpoint_daily``);
- area roll-ups (``AREA_ROLLUPS``): per area at a few levels (city, district, …), day and
  key, the figures of every unit standing under the area — checkpoint hours, testing
  sites, vaccination sites, grid units, isolation people per street, inspection teams'
  days per street.

The area roll-ups never serve stale figures, whoever writes the detail and however
(imports, COPY, plain INSERT/UPDATE/DELETE): triggers on each detail table mark the days
written in ``rollup_dirty`` (per statement on PostgreSQL, per row on SQLite and MySQL). A query uses a roll-up only when no day of its detail is
marked; otherwise it first rebuilds a few marked days (``AreaRollup.ready``) and, if
marks remain, reads the detail. Writers may call ``refresh_pending`` at the end of an
import so that the next page view finds nothing to rebuild. Units that move to another
area (a site's ``area_code`` changed) need ``refresh_all``.
"""

from __future__ import annotations

import datetime as dt
import logging
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    FromClause,
    Select,
    Table,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.exc import DBAPIError

from data_access.engine import SQLITE_BUSY_TIMEOUT_MS
from data_access.mysql import MYSQL_DIALECTS
from data_access.schema import (
    CHECKLIST_COUNTS,
    CHECKPOINT_COUNTS,
    GRID_ACTIVITY,
    INSPECTION_COUNTS,
    ISOLATION_COUNTS,
    LEVEL_COLUMN,
    RISK_COLOURS,
    area,
    checkpoint,
    checkpoint_area_hourly,
    checkpoint_daily,
    checkpoint_hourly,
    grid_area_daily,
    grid_daily,
    inspection_area_daily,
    inspection_daily,
    isolation_people_area_daily,
    isolation_people_daily,
    rollup_dirty,
    sampling_site,
    testing_area_daily,
    testing_daily,
    vaccination_area_daily,
    vaccination_area_totals,
    vaccination_daily,
    vaccination_site,
)
from data_access.scope import codes_at, one_connection, run

log = logging.getLogger(__name__)

# Marked days a page view rebuilds before it reads a roll-up (more wait for refresh_pending
# or the next views, which read the detail meanwhile).
DAYS_REBUILT_PER_READ = 7
REBUILD_LOCK_WAIT_MS = 1000
FULL_REBUILD_DAYS_PER_PASS = 16


def refresh_checkpoint_daily(conn: Connection, keys: Iterable[tuple[str, dt.date]] | None = None) -> None:
    """Rebuild checkpoint_daily rows from the hourly counts, for ``keys`` (checkpoint, day) or all.

    Only (checkpoint, day) pairs that have hourly rows are touched, so figures that
    arrived as a daily report (no hours) stay as they are.
    """
    h = checkpoint_hourly.c
    summed = select(
        h.day,
        h.checkpoint_code,
        *[func.sum(h[name]).label(name) for name in CHECKPOINT_COUNTS],
        func.count().label("staffed_hours"),
    ).group_by(h.day, h.checkpoint_code)
    target_columns = ["day", "checkpoint_code", *CHECKPOINT_COUNTS, "staffed_hours"]
    if keys is None:
        hourly_keys = select(h.checkpoint_code, h.day).distinct()
        conn.execute(
            delete(checkpoint_daily).where(tuple_(checkpoint_daily.c.checkpoint_code, checkpoint_daily.c.day).in_(hourly_keys))
        )
        conn.execute(insert(checkpoint_daily).from_select(target_columns, summed))
        return
    for code, day in sorted(set(keys)):
        conn.execute(
            delete(checkpoint_daily).where(and_(checkpoint_daily.c.checkpoint_code == code, checkpoint_daily.c.day == day))
        )
        conn.execute(insert(checkpoint_daily).from_select(target_columns, summed.where(h.checkpoint_code == code, h.day == day)))


@dataclass(frozen=True)
class AreaRollup:
    """A roll-up of a detail table by area.

    ``table`` holds one row per (area at one of ``levels``, day, ``keys``) with each
    measure combined (``func.sum`` or ``func.max``) over the detail rows of every unit
    under that area. ``joined`` is the detail joined to its unit and the unit's ``area``
    row; ``day`` its day column; ``keys`` and ``measures`` map the roll-up's columns to
    expressions over one detail row.
    """

    table: Table
    levels: tuple[str, ...]  # top first
    detail: Table
    joined: FromClause
    day: ColumnElement
    keys: dict[str, ColumnElement]
    measures: dict[str, tuple[ColumnElement, Callable]]
    # A unit's code (``unit_code``) and its ``area`` row, joined in ``unit_areas``: which
    # areas stand above the units a report wrote (``refresh_units``). None when a unit's
    # rows may stand in areas its own row does not name (an inspecting team's streets):
    # a report's days are then rebuilt whole.
    unit_areas: FromClause | None
    unit_code: ColumnElement | None
    # The roll-up summed over its keys (one row per area and day, each measure combined as
    # above), rebuilt with it: None when no figure needs it.
    totals: Table | None = None

    def usable(self, engine: Engine, *levels: str) -> bool:
        """True when the roll-up holds ``levels`` and matches its detail now (see ``ready``)."""
        return all(level in self.levels for level in levels) and self.ready(engine)

    def ready(self, engine: Engine) -> bool:
        """True when the roll-up matches its detail, after rebuilding the days marked since
        (a few per call); False when marks remain, the rebuild could not run now, or the
        marking triggers are missing (then nothing can be trusted)."""
        marked = rollup_dirty.c
        name = self.detail.name

        def _clean() -> bool:
            with one_connection(engine) as conn:  # the caller's, when it holds one
                if not _triggers_in_place(engine, conn):
                    return False
                return conn.execute(select(marked.day).where(marked.detail_table == name).limit(1)).first() is None

        if run(_clean):
            return True
        if not _TRIGGERS_IN_PLACE.get(engine, False):
            return False
        try:
            with engine.begin() as conn:
                if conn.dialect.name == "sqlite":  # a page does not wait long behind an import
                    conn.exec_driver_sql(f"PRAGMA busy_timeout = {REBUILD_LOCK_WAIT_MS}")
                try:
                    left = rebuild_marked(conn, self, DAYS_REBUILT_PER_READ)
                finally:
                    if conn.dialect.name == "sqlite":
                        conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        except DBAPIError as error:  # locked, read-only or timed out: read the detail this time
            log.warning("roll-up %s not rebuilt now: %s", self.table.name, error)
            return False
        return left == 0

    def per_area(self, figures: list, level: str, area_code: str, group_level: str, start: dt.date, end: dt.date) -> Select:
        """``figures`` (over the roll-up's columns) per area of ``group_level`` under the area
        ``area_code`` of ``level``, from ``start`` to ``end``, by ``code``."""
        r = self.table.c
        return (
            select(r.area_code.label("code"), *figures)
            .where(r.area_code.in_(codes_at(level, area_code, group_level)), r.day.between(start, end))
            .group_by(r.area_code)
        )

    def refresh(self, conn: Connection, days: Iterable[dt.date] | None = None) -> None:
        """Rebuild the rows of ``days`` (all days when None)."""
        r = self.table.c
        if days is None:
            conn.execute(delete(self.table))
            if self.totals is not None:
                conn.execute(delete(self.totals))
            first, last = conn.execute(
                select(select(func.min(self.day)).scalar_subquery(), select(func.max(self.day)).scalar_subquery())
            ).one()
            if first is None:
                return
            span = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
            # A few days at a time: the detail is then read in day order, not unit by unit.
            for start in range(0, len(span), FULL_REBUILD_DAYS_PER_PASS):
                self._insert(conn, span[start : start + FULL_REBUILD_DAYS_PER_PASS])
            return
        day_list = sorted(set(days))
        if day_list:
            rolled_up = select(area.c.code).where(area.c.level.in_(self.levels))
            conn.execute(delete(self.table).where(r.area_code.in_(rolled_up), r.day.in_(day_list)))
            self._insert(conn, day_list)

    def refresh_units(self, conn: Connection, units: Iterable[str], days: Iterable[dt.date]) -> None:
        """Rebuild, for ``days``, the rows of the areas standing above ``units`` only.

        A report of a few units costs what their areas hold, not what the whole city holds
        on those days (a year of one checkpoint: 365 × 24 hours of each of its 2 areas, not
        365 days of every checkpoint; a grid day: the community, street, district and city
        of the units, not 60,000 units). Each level is rebuilt from the level below, whose
        other areas' rows are left as they are, so the sums stay those of the detail.
        """
        unit_list, day_list = sorted(set(units)), sorted(set(days))
        if not unit_list or not day_list:
            return
        above: dict[str, list[str]] = {}
        for level in self.levels:
            column = area.c[LEVEL_COLUMN[level]]
            found: set[str] = set()
            for part in _chunks(unit_list):
                statement = select(column).select_from(self.unit_areas).where(self.unit_code.in_(part), column.is_not(None))
                found.update(conn.execute(statement.distinct()).scalars())
            above[level] = sorted(found)
        r = self.table.c
        for codes in above.values():
            for part in _chunks(codes):
                conn.execute(delete(self.table).where(r.area_code.in_(part), r.day.in_(day_list)))
        self._insert(conn, day_list, above)

    def _insert(self, conn: Connection, days: list[dt.date], only: dict[str, list[str]] | None = None) -> None:
        """Insert the rows of ``days`` (none there yet), finest level first; with ``only``,
        just the rows of its areas at each level (the other areas' rows stay as they are).

        A level adds up the rows of the level below it plus the detail of units that stand
        under the area but under no area of that lower level, so the detail is read once
        and the result equals summing the detail directly.
        """
        finer: str | None = None
        for level in reversed(self.levels):
            for codes in [None] if only is None else _chunks(only[level]):
                self._insert_level(conn, days, level, finer, codes)
            finer = level
        if self.totals is not None:
            self._rebuild_totals(conn, days, None if only is None else sorted({c for codes in only.values() for c in codes}))

    def _rebuild_totals(self, conn: Connection, days: list[dt.date], codes: list[str] | None) -> None:
        """Replace the totals of ``days`` (of the areas ``codes``, or all) with the roll-up's
        rows of those days summed over its keys."""
        r, t = self.table.c, self.totals.c
        measures = [combine(r[name]).label(name) for name, (_expression, combine) in self.measures.items()]
        for part in [None] if codes is None else _chunks(codes):
            among = [] if part is None else [t.area_code.in_(part)]
            conn.execute(delete(self.totals).where(t.day.in_(days), *among))
            summed = (
                select(r.area_code, r.day, *measures)
                .where(r.day.in_(days), *([] if part is None else [r.area_code.in_(part)]))
                .group_by(r.area_code, r.day)
            )
            conn.execute(insert(self.totals).from_select(["area_code", "day", *self.measures], summed))

    def _insert_level(
        self, conn: Connection, days: list[dt.date], level: str, finer: str | None, codes: list[str] | None
    ) -> None:
        """Insert ``level``'s rows of ``days`` (of the areas ``codes``, or all)."""
        r = self.table.c
        columns = ["area_code", "day", *self.keys, *self.measures]
        level_column = area.c[LEVEL_COLUMN[level]]
        detail = (
            select(
                level_column.label("area_code"),
                self.day.label("day"),
                *[expression.label(name) for name, expression in self.keys.items()],
                *[expression.label(name) for name, (expression, _combine) in self.measures.items()],
            )
            .select_from(self.joined)
            .where(level_column.is_not(None) if codes is None else level_column.in_(codes), self.day.in_(days))
        )
        parts = [detail]
        if finer is not None:
            parts[0] = detail.where(area.c[LEVEL_COLUMN[finer]].is_(None))
            child = area.alias("finer_area")
            parent = child.c[LEVEL_COLUMN[level]]
            parts.append(
                select(parent.label("area_code"), *[r[name] for name in columns[1:]])
                .select_from(self.table.join(child, child.c.code == r.area_code))
                .where(child.c.level == finer, parent.is_not(None) if codes is None else parent.in_(codes), r.day.in_(days))
            )
        rows = union_all(*parts).subquery()
        keys = [rows.c.area_code, rows.c.day, *[rows.c[name] for name in self.keys]]
        combined = select(*keys, *[combine(rows.c[name]).label(name) for name, (_e, combine) in self.measures.items()]).group_by(
            *keys
        )
        conn.execute(insert(self.table).from_select(columns, combined))


def _chunks(values: list, size: int = 900) -> Iterable[list]:
    """``values`` in lists of at most ``size`` (bound parameters per IN list)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


_h = checkpoint_hourly.c
CHECKPOINT_HOURS = AreaRollup(
    table=checkpoint_area_hourly,
    levels=("city", "district"),  # a street has a handful of checkpoints: its hours are read as they are
    detail=checkpoint_hourly,
    joined=checkpoint_hourly.join(checkpoint, checkpoint.c.code == _h.checkpoint_code).join(
        area, area.c.code == checkpoint.c.area_code
    ),
    day=_h.day,
    keys={"hour": _h.hour},
    unit_areas=checkpoint.join(area, area.c.code == checkpoint.c.area_code),
    unit_code=checkpoint.c.code,
    measures={name: (_h[name], func.sum) for name in CHECKPOINT_COUNTS},
)

_t = testing_daily.c
TESTING = AreaRollup(
    table=testing_area_daily,
    levels=("city", "district", "street"),  # a community has about one sampling site
    detail=testing_daily,
    joined=testing_daily.join(sampling_site, sampling_site.c.code == _t.site_code).join(
        area, area.c.code == sampling_site.c.area_code
    ),
    day=_t.day,
    keys={},
    unit_areas=sampling_site.join(area, area.c.code == sampling_site.c.area_code),
    unit_code=sampling_site.c.code,
    measures={
        "samples_collected": (_t.samples_collected, func.sum),
        "samples_tested": (_t.samples_tested, func.sum),
        "positives": (_t.positives, func.sum),
        "pending": (_t.pending, func.sum),
        "pooled_ratio": (_t.pooled_ratio, func.max),
        "turnaround_median_h_weighted": (_t.turnaround_median_h * _t.samples_tested, func.sum),
        "turnaround_p90_h_weighted": (_t.turnaround_p90_h * _t.samples_tested, func.sum),
        "sites_reporting": (literal(1), func.sum),
    },
)

_v = vaccination_daily.c
VACCINATION = AreaRollup(
    table=vaccination_area_daily,
    levels=("city", "district"),  # coverage is counted down to districts
    detail=vaccination_daily,
    joined=vaccination_daily.join(vaccination_site, vaccination_site.c.code == _v.site_code).join(
        area, area.c.code == vaccination_site.c.area_code
    ),
    day=_v.day,
    keys={"site_kind": vaccination_site.c.kind, "age_group": _v.age_group},
    unit_areas=vaccination_site.join(area, area.c.code == vaccination_site.c.area_code),
    unit_code=vaccination_site.c.code,
    measures={
        **{
            name: (case((_v.dose_number == number, _v.doses), else_=0), func.sum)
            for number, name in ((1, "dose1"), (2, "dose2"), (3, "booster"))
        },
        "doses": (_v.doses, func.sum),
    },
    totals=vaccination_area_totals,  # each district's doses up to a day
)

_g = grid_daily.c
GRID = AreaRollup(
    table=grid_area_daily,
    levels=("city", "district", "street", "community"),  # the map draws grid units only inside a community
    detail=grid_daily,
    joined=grid_daily.join(area, area.c.code == _g.unit_code),
    day=_g.day,
    keys={},
    unit_areas=area,
    unit_code=area.c.code,
    measures={
        **{name: (_g[name], func.sum) for name in GRID_ACTIVITY},
        "risk_colour": (_g.risk_colour, func.max),
        **{f"units_{colour}": (case((_g.risk_colour == i, 1), else_=0), func.sum) for i, colour in enumerate(RISK_COLOURS)},
        "units_reporting": (literal(1), func.sum),
    },
)


def _first_of_day(detail: Table, within: list[ColumnElement], order: list[str], joined_area: FromClause | None = None):
    """1 on the row that comes first (by ``order``) among ``detail``'s rows of its day that
    agree on ``within``, else 0: summed over rows, how many distinct ``within`` a day has.

    ``within`` are columns of ``detail`` or of ``area`` (then the other row's area is
    joined); the unique key's ``order`` columns break ties.
    """
    other = detail.alias(f"{detail.name}_other")
    other_area = area.alias("other_area")
    same = [other.c.day == detail.c.day]
    for column in within:
        same.append((other_area if column.table is area else other).c[column.name] == column)
    earlier = []
    for i, name in enumerate(order):
        earlier.append(and_(*[other.c[n] == detail.c[n] for n in order[:i]], other.c[name] < detail.c[name]))
    statement = exists().where(*same, or_(*earlier))
    if any(column.table is area for column in within):
        statement = statement.where(other_area.c.code == other.c.area_code)
    return case((statement, 0), else_=1)


_p = isolation_people_daily.c
ISOLATION_PEOPLE = AreaRollup(
    table=isolation_people_area_daily,
    levels=("city", "district"),  # people are reported per street: a street's rows are few
    detail=isolation_people_daily,
    joined=isolation_people_daily.join(area, area.c.code == _p.area_code),
    day=_p.day,
    keys={"category": _p.category, "measure": _p.measure},
    unit_areas=area,
    unit_code=area.c.code,
    measures={
        **{name: (_p[name], func.sum) for name in ISOLATION_COUNTS},
        "streets_reporting": (_first_of_day(isolation_people_daily, [_p.area_code], ["category", "measure"]), func.sum),
    },
)

_i = inspection_daily.c
_INSPECTION_ORDER = ["area_code", "entity_type"]
INSPECTIONS = AreaRollup(
    table=inspection_area_daily,
    levels=("city", "district"),  # a team's days per street stay on the detail (as many rows per team)
    detail=inspection_daily,
    joined=inspection_daily.join(area, area.c.code == _i.area_code),
    day=_i.day,
    keys={"entity_type": _i.entity_type},
    # A team reports streets outside its own area: its report's days are rebuilt whole.
    unit_areas=None,
    unit_code=None,
    measures={
        **{name: (_i[name], func.sum) for name in INSPECTION_COUNTS + CHECKLIST_COUNTS},
        # A team inspecting in two districts counts once in each, and once in the city.
        "teams_in_city": (
            _first_of_day(inspection_daily, [_i.team_code, area.c.city_code], _INSPECTION_ORDER),
            func.sum,
        ),
        "teams_in_district": (
            _first_of_day(inspection_daily, [_i.team_code, area.c.district_code], _INSPECTION_ORDER),
            func.sum,
        ),
    },
)

AREA_ROLLUPS: tuple[AreaRollup, ...] = (CHECKPOINT_HOURS, TESTING, VACCINATION, GRID, ISOLATION_PEOPLE, INSPECTIONS)


def rebuild_marked(conn: Connection, rollup: AreaRollup, most_days: int | None = None) -> int:
    """Rebuild the days marked for ``rollup`` (the oldest ``most_days`` of them, or all) and
    clear their marks; returns how many marked days are left.

    Deleting the marks first makes a concurrent rebuild of the same days wait for this one
    (PostgreSQL, MySQL) or for the write lock (SQLite), so two never insert the same rows.
    """
    marked = rollup_dirty.c
    name = rollup.detail.name
    oldest = select(marked.day).where(marked.detail_table == name).order_by(marked.day)
    if most_days is not None:
        oldest = oldest.limit(most_days)
    if conn.dialect.name in MYSQL_DIALECTS:
        # MySQL has no DELETE … RETURNING and no LIMIT in an IN subquery: lock the marks, then delete them.
        days = conn.execute(oldest.with_for_update()).scalars().all()
        if days:
            conn.execute(delete(rollup_dirty).where(marked.detail_table == name, marked.day.in_(days)))
    else:
        days = (
            conn.execute(
                delete(rollup_dirty)
                .where(marked.detail_table == name, marked.day.in_(oldest.scalar_subquery()))
                .returning(marked.day)
            )
            .scalars()
            .all()
        )
    rollup.refresh(conn, days)
    return conn.execute(select(func.count()).select_from(rollup_dirty).where(marked.detail_table == name)).scalar_one()


# Above this many units, or half of all units, a report's days are rebuilt whole (its units
# cover much of the city: rebuilding area by area would only add work).
MOST_UNITS_REBUILT_APART = 900


def marked_days(conn: Connection, detail: Table) -> set[dt.date]:
    """The days of ``detail`` marked for rebuilding (e.g. before a writer writes)."""
    marked = rollup_dirty.c
    return set(conn.execute(select(marked.day).where(marked.detail_table == detail.name)).scalars())


def refresh_written(
    conn: Connection, detail: Table, units: Iterable[str], days: Iterable[dt.date], marked_before: set[dt.date]
) -> None:
    """After a writer holding the intake lock replaced ``units``' rows of ``days`` in
    ``detail``: rebuild the roll-up rows above those units for the days that were not
    marked before it wrote (only its own writes marked them) and clear those marks.

    Days marked before stay marked, for ``refresh_pending`` to rebuild whole (someone
    else's writes are in them). Imports write the detail tables one after the other under
    the intake lock, so no other import's rows hide in the days cleared here.
    """
    rollup = next((r for r in AREA_ROLLUPS if r.detail is detail), None)
    own = sorted(set(days) - marked_before)
    if rollup is None or not own:
        return
    unit_list = sorted(set(units))
    if rollup.unit_areas is None or len(unit_list) > MOST_UNITS_REBUILT_APART or 2 * len(unit_list) >= _unit_count(conn, rollup):
        rollup.refresh(conn, own)
    else:
        rollup.refresh_units(conn, unit_list, own)
    marked = rollup_dirty.c
    for part in _chunks(own):
        conn.execute(delete(rollup_dirty).where(marked.detail_table == detail.name, marked.day.in_(part)))


def _unit_count(conn: Connection, rollup: AreaRollup) -> int:
    return conn.execute(select(func.count()).select_from(rollup.unit_areas)).scalar_one()


def refresh_pending(conn: Connection) -> None:
    """Rebuild every roll-up's marked days (e.g. at the end of an import)."""
    for rollup in AREA_ROLLUPS:
        rebuild_marked(conn, rollup)


def refresh_all(conn: Connection) -> None:
    """Rebuild every roll-up from its detail and clear the marks."""
    refresh_checkpoint_daily(conn)
    for rollup in AREA_ROLLUPS:
        rollup.refresh(conn)
    conn.execute(delete(rollup_dirty))


# ------------------------------------------------------------------ marking written days
_TRIGGERS_IN_PLACE: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def _triggers_in_place(engine: Engine, conn: Connection) -> bool:
    """Whether every marking trigger exists (checked once per engine): a migration that
    rebuilds a detail table (SQLite batch mode) would silently drop them."""
    if engine not in _TRIGGERS_IN_PLACE:
        tables = [r.detail.name for r in AREA_ROLLUPS]
        wanted = {name for table in tables for name in _trigger_names(table).values()}
        if conn.dialect.name == "postgresql":
            found = conn.exec_driver_sql(
                "SELECT tgname FROM pg_trigger WHERE tgrelid IN (" + ", ".join(f"to_regclass('{t}')" for t in tables) + ")"
            ).scalars()
        elif conn.dialect.name in MYSQL_DIALECTS:
            found = conn.exec_driver_sql(
                "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = DATABASE()"
            ).scalars()
        else:
            found = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars()
        missing = wanted - set(found)
        if missing:
            log.warning("roll-up marking triggers missing (%s): views read the detail", ", ".join(sorted(missing)))
        _TRIGGERS_IN_PLACE[engine] = not missing
    return _TRIGGERS_IN_PLACE[engine]


def _trigger_names(table: str) -> dict[str, str]:
    return {event: f"trg_{table}_{event.lower()}_marks_rollups" for event in ("INSERT", "UPDATE", "DELETE")}


_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION mark_rollup_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO rollup_dirty (detail_table, day)
        SELECT DISTINCT TG_TABLE_NAME, day FROM new_rows ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO rollup_dirty (detail_table, day)
        SELECT DISTINCT TG_TABLE_NAME, day FROM old_rows ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$
"""


def _trigger_ddl(dialect: str, table: str) -> list[str]:
    names = _trigger_names(table)
    if dialect == "postgresql":
        # Statement triggers with transition tables: one mark per day, also for COPY.
        transition = {
            "INSERT": "NEW TABLE AS new_rows",
            "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "DELETE": "OLD TABLE AS old_rows",
        }
        return [
            f'CREATE TRIGGER {names[event]} AFTER {event} ON "{table}" REFERENCING {transition[event]} '
            f"FOR EACH STATEMENT EXECUTE FUNCTION mark_rollup_days()"
            for event in names
        ]
    rows = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}
    if dialect in MYSQL_DIALECTS:  # row triggers: MySQL has no transition tables
        ignore, quoted, body = "INSERT IGNORE", f"`{table}`", "FOR EACH ROW BEGIN"
    else:
        ignore, quoted, body = "INSERT OR IGNORE", f'"{table}"', "BEGIN"
    mark = f"{ignore} INTO rollup_dirty (detail_table, day) VALUES ('{table}', {{row}}.day);"
    return [
        f"CREATE TRIGGER {names[event]} AFTER {event} ON {quoted} {body} "
        + " ".join(mark.format(row=row) for row in rows[event])
        + " END"
        for event in names
    ]


def create_marking_triggers(conn: Connection, tables: Iterable[Table] | None = None) -> None:
    """Triggers that mark in ``rollup_dirty`` the days written to each roll-up's detail table."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        conn.exec_driver_sql(_PG_FUNCTION)
    for table in tables if tables is not None else [r.detail for r in AREA_ROLLUPS]:
        for statement in _trigger_ddl(dialect, table.name):
            conn.exec_driver_sql(statement)


def drop_marking_triggers(conn: Connection, tables: Iterable[Table] | None = None) -> None:
    """Drop the marking triggers of ``tables`` (all, and on PostgreSQL their function, when None)."""
    dialect = conn.dialect.name
    for table in tables if tables is not None else [r.detail for r in AREA_ROLLUPS]:
        for name in _trigger_names(table.name).values():
            conn.exec_driver_sql(
                f'DROP TRIGGER IF EXISTS {name} ON "{table.name}"'
                if dialect == "postgresql"
                else f"DROP TRIGGER IF EXISTS {name}"
            )
    if tables is None and dialect == "postgresql":
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS mark_rollup_days()")
