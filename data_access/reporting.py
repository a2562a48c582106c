"""Who has reported (零报告 completeness) and what was imported: the queries behind the
data-intake page, and the missing-report count for the overview.

A reporting unit is, per report type: a checkpoint (道口), a sampling site (采样点), a
warehouse (物资仓库), a vaccination site (接种点), a community (社区) for its grid
units, a street (街道/镇) for its people under isolation and observation, an isolation
site (集中隔离点) and an inspecting team (督导组). A unit has reported for a day when report_submission holds (type, unit, day):
every accepted import writes one per unit and day in the file, a report of zeros too.
"""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
from sqlalchemy import Date, Engine, String, and_, bindparam, case, exists, func, literal, or_, select, union_all

from data_access import schema as s
from data_access.ingest.types import SUBMISSION_TYPES  # the completeness lists, in the order shown
from data_access.schema import LEVEL_COLUMN, area, report_import, report_submission
from data_access.scope import (
    Scope,
    frame,
    is_root,
    one_connection,
    resolve_engine,
    run,
    scope_level,
    widen_to,
    within_condition,
)

# The finest area level each kind of unit sits at: a narrower scope shows the units of
# its ancestor at that level (a community sees its street's checkpoints).
UNIT_LEVEL = {
    "checkpoint": "street",
    "testing": "community",
    "supplies": "district",
    "vaccination": "street",
    "grid": "community",
    "isolation_people": "street",
    "isolation_site": "street",
    "inspection": "district",  # inspecting teams are based at their district
}

# The facilities that send a report type; the other types are sent by areas (AREA_UNITS).
FACILITY_UNITS = {
    "checkpoint": s.checkpoint,
    "testing": s.sampling_site,
    "supplies": s.warehouse,
    "vaccination": s.vaccination_site,
    "isolation_site": s.isolation_site,
    "inspection": s.inspection_team,
}
# Areas that report themselves: a community for its grid units (when it has any), a
# street for its people under isolation and observation.
AREA_UNITS = {"grid": "community", "isolation_people": "street"}


def area_units_condition(report_type: str, unit_area, day: dt.date):
    """The condition on ``unit_area`` (an alias of area) for the areas that send
    ``report_type`` (one of AREA_UNITS) on ``day``: its level, and for grid reports active
    grid units under it."""
    level = unit_area.c.level == AREA_UNITS[report_type]
    if report_type != "grid":
        return level
    grid_unit = area.alias("grid_unit")
    return and_(
        level,
        exists().where(
            grid_unit.c.community_code == unit_area.c.code, grid_unit.c.level == "grid", active_on(grid_unit.c.retired_on, day)
        ),
    )


UNIT_COLUMNS = [
    "report_type",
    "unit_code",
    "name_zh",
    "name_en",
    "area_code",
    "reported",
    "reported_at",
    "last_day",
    "last_reported_at",
]
COMPLETENESS_COLUMNS = ["report_type", "expected", "reported", "missing"]
HISTORY_COLUMNS = ["id", "imported_at", "file_name", "sha256", "report_type", "rows_accepted", "imported_by", "outcome", "errors"]


def active_on(retired_on, day: dt.date):
    """Not retired by ``day``: a unit retired from a day on is expected until the day before."""
    return or_(retired_on.is_(None), retired_on > day)


def _units(report_type: str, day: dt.date):
    """(code, name_zh, name_en, area_code) of every unit that sends ``report_type`` and is
    active on ``day``."""
    if report_type == "grid":
        has_units = select(area.c.community_code).where(area.c.level == "grid", active_on(area.c.retired_on, day)).distinct()
        return select(area.c.code, area.c.name_zh, area.c.name_en, area.c.code.label("area_code")).where(
            area.c.level == "community", area.c.code.in_(has_units)
        )
    if report_type in AREA_UNITS:
        return select(area.c.code, area.c.name_zh, area.c.name_en, area.c.code.label("area_code")).where(
            area.c.level == AREA_UNITS[report_type]
        )
    table = FACILITY_UNITS[report_type]
    return select(table.c.code, table.c.name_zh, table.c.name_en, table.c.area_code).where(active_on(table.c.retired_on, day))


def _units_in_scope(engine: Engine, scope: Scope, report_type: str, day: dt.date):
    widened = widen_to(engine, scope, UNIT_LEVEL[report_type])
    level = scope_level(engine, widened)
    units = _units(report_type, day).subquery()
    a = area.alias("unit_area")
    return (
        select(units)
        .select_from(units.join(a, a.c.code == units.c.area_code))
        .where(a.c[LEVEL_COLUMN[level]] == widened.area_code, active_on(a.c.retired_on, day))
        .subquery()
    )


def _unit_status(engine: Engine, scope: Scope, report_type: str, day: dt.date, only_missing: bool = False):
    """One row per unit in scope: did it report for ``day``, and its latest report.

    The latest report is two correlated subqueries per unit, each answered from the end
    of report_submission's primary key (type, unit, day): a few index probes per unit,
    where grouping every submission of a year would read millions of rows.
    """
    units = _units_in_scope(engine, scope, report_type, day)
    that_day = report_submission.alias("that_day")
    mine = report_submission.alias("mine")
    latest = and_(mine.c.report_type == report_type, mine.c.unit_code == units.c.code)
    last_day = select(func.max(mine.c.day)).where(latest).scalar_subquery()
    last_reported_at = select(mine.c.reported_at).where(latest).order_by(mine.c.day.desc()).limit(1).scalar_subquery()
    statement = select(
        literal(report_type, String).label("report_type"),
        units.c.code.label("unit_code"),
        units.c.name_zh,
        units.c.name_en,
        units.c.area_code,
        case((that_day.c.unit_code.is_(None), 0), else_=1).label("reported"),
        that_day.c.reported_at,
        last_day.label("last_day"),
        last_reported_at.label("last_reported_at"),
    ).select_from(
        units.outerjoin(
            that_day,
            and_(that_day.c.report_type == report_type, that_day.c.unit_code == units.c.code, that_day.c.day == day),
        )
    )
    return statement.where(that_day.c.unit_code.is_(None)) if only_missing else statement


@functools.lru_cache(maxsize=64)
def _reported_count(report_type: str, level: str | None):
    """The statement counting, for a scope at ``level`` (the bound ``area_code``), the units
    that send ``report_type`` and are active on the bound ``day``, and how many of them
    reported for it. Built once per type and level (building it took longer than running
    it). The day's submissions of the type are one range of the (type, day) index, joined
    by hash rather than looked up unit by unit.

    ``level`` None: the root area's scope, which holds every area. Its units are then not
    looked up in the area table one by one (2,295 sampling sites: two thirds of the
    statement's time) but checked against the few areas retired by the day."""
    day, area_code = bindparam("day", type_=Date), bindparam("area_code", type_=String)
    that_day = report_submission.alias("that_day")
    kind = literal(report_type, String).label("report_type")

    def reported(code):
        return and_(that_day.c.report_type == report_type, that_day.c.day == day, that_day.c.unit_code == code)

    if report_type in AREA_UNITS:
        # A community with active grid units, or a street, is the unit and its own area.
        units = (
            select(kind, that_day.c.unit_code.label("reported"))
            .select_from(area.outerjoin(that_day, reported(area.c.code)))
            .where(area_units_condition(report_type, area, day), active_on(area.c.retired_on, day))
        )
        if level is not None:
            units = units.where(area.c[LEVEL_COLUMN[level]] == area_code)
    else:
        table = FACILITY_UNITS[report_type]
        units = select(kind, that_day.c.unit_code.label("reported")).where(active_on(table.c.retired_on, day))
        if level is None:
            retired = select(area.c.code).where(area.c.retired_on <= day)  # ix_area_retired_on
            units = units.select_from(table.outerjoin(that_day, reported(table.c.code))).where(table.c.area_code.not_in(retired))
        else:
            units = units.select_from(
                table.join(area, area.c.code == table.c.area_code).outerjoin(that_day, reported(table.c.code))
            ).where(area.c[LEVEL_COLUMN[level]] == area_code, active_on(area.c.retired_on, day))
    units = units.subquery("units")
    return select(units.c.report_type, func.count(), func.count(units.c.reported)).group_by(units.c.report_type)


def reporting_units(
    scope: Scope,
    day: dt.date | None = None,
    report_type: str | None = None,
    only_missing: bool = False,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """Every reporting unit in scope (of ``report_type``, or all types; only those that
    did not report when ``only_missing``) with whether it reported for ``day`` (default:
    the scope's last day), when, and its latest report. Missing units first, then by
    type and code."""
    engine = resolve_engine(engine)
    day = day or scope.end
    types = [report_type] if report_type else list(SUBMISSION_TYPES)
    statement = union_all(*[_unit_status(engine, scope, t, day, only_missing) for t in types]).subquery()
    ordered = select(statement).order_by(statement.c.reported, statement.c.report_type, statement.c.unit_code)
    result = frame(engine, ordered, UNIT_COLUMNS)
    result["reported"] = result["reported"].astype(bool)
    order = {t: i for i, t in enumerate(SUBMISSION_TYPES)}
    result = result.sort_values(
        ["reported", "report_type", "unit_code"], key=lambda c: c.map(order) if c.name == "report_type" else c, kind="stable"
    )
    result["last_day"] = result["last_day"].map(
        lambda v: v if v is None or isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])
    )
    return result.reset_index(drop=True)


def types_in_use(engine: Engine | None = None) -> list[str]:
    """The report types this deployment has ever received a report of, in the completeness
    lists' order: a command centre that does not run, say, inspections yet is not told every
    day that all its streets failed to send them. Each type's latest arrival, one index
    probe each (type, reported_at): an EXISTS lets PostgreSQL plan a sequential scan for a
    common type, which reads past every row of the types stored before it (223 ms against
    0.4 ms at city scale)."""
    engine = resolve_engine(engine)
    sent = report_submission.c
    latest = [
        select(func.max(sent.reported_at)).where(sent.report_type == report_type).scalar_subquery().label(f"type_{i}")
        for i, report_type in enumerate(SUBMISSION_TYPES)
    ]
    row = frame(engine, select(*latest)).iloc[0]
    return [report_type for i, report_type in enumerate(SUBMISSION_TYPES) if pd.notna(row[f"type_{i}"])]


def reporting_completeness(
    scope: Scope, day: dt.date | None = None, engine: Engine | None = None, types: list[str] | None = None
) -> pd.DataFrame:
    """Per report type (``types``, default every one): reporting units expected in scope, how
    many reported for ``day`` (default: the scope's last day) and how many are missing.
    Counted in the database."""
    engine = resolve_engine(engine)
    day = day or scope.end
    types = list(SUBMISSION_TYPES) if types is None else types
    counts = []
    for report_type in types:  # each type's units sit at their level: the scope widened to it
        widened = widen_to(engine, scope, UNIT_LEVEL[report_type])
        level = None if is_root(engine, widened.area_code) else scope_level(engine, widened)
        counts.append((_reported_count(report_type, level), {"day": day, "area_code": widened.area_code}))

    def count_each() -> list[tuple]:
        # One statement per type on one connection: as one UNION, PostgreSQL plans the lot
        # for parallel workers and hashes the whole area table (2-3× slower at city scale).
        with one_connection(engine) as conn:
            return [tuple(row) for statement, params in counts for row in conn.execute(statement, params)]

    result = pd.DataFrame(run(count_each), columns=["report_type", "expected", "reported"])
    result = result.set_index("report_type").reindex(types).fillna(0).astype("int64").reset_index()
    result["missing"] = result["expected"] - result["reported"]
    return result[COMPLETENESS_COLUMNS]


def missing_report_count(scope: Scope, day: dt.date | None = None, engine: Engine | None = None) -> int:
    """How many reports are missing for ``day`` (default: the scope's last day), over all
    report types in use (``types_in_use``): the overview's figure."""
    engine = resolve_engine(engine)
    return int(reporting_completeness(scope, day, engine, types_in_use(engine))["missing"].sum())


def import_history(limit: int = 200, engine: Engine | None = None, within: str | None = None) -> pd.DataFrame:
    """The latest ``limit`` imports, newest first (errors as stored: JSON text or None);
    for a reader of ``within``, only imports made by importers inside it."""
    engine = resolve_engine(engine)
    r = report_import.c
    statement = select(*[r[c] for c in HISTORY_COLUMNS]).order_by(r.id.desc()).limit(int(limit))
    inside = within_condition(engine, within)
    if inside is not None:
        statement = statement.where(r.area_code.in_(select(area.c.code).where(inside)))
    return frame(engine, statement, HISTORY_COLUMNS)


def data_version(engine: Engine | None = None) -> tuple:
    """What changes whenever data is written, by any process (the page, a command line,
    another replica): the newest import and the newest master-data change. Cheap: two
    index lookups, so every page run may ask."""
    engine = resolve_engine(engine)
    statement = select(
        select(func.max(report_import.c.id)).scalar_subquery(), select(func.max(s.area_change.c.id)).scalar_subquery()
    )

    def read():
        with engine.connect() as conn:
            return tuple(conn.execute(statement).one())

    return run(read)
