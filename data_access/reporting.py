"""Who has reported (零报告 completeness) and what was imported: the queries behind the
data-intake page, and the missing-report count for the overview.

A reporting unit is, per report type: a checkpoint (道口), a sampling site (采样点), a
warehouse (物资仓库), a vaccination site (接种点), and a community (社区) for its grid
units. A unit has reported for a day when report_submission holds (type, unit, day):
every accepted import writes one per unit and day in the file, a report of zeros too.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, String, and_, case, func, literal, select, union_all

from data_access import schema as s
from data_access.schema import LEVEL_COLUMN, area, report_import, report_submission
from data_access.scope import Scope, area_row, frame, resolve_engine, widen_to

SUBMISSION_TYPES: tuple[str, ...] = ("checkpoint", "testing", "supplies", "vaccination", "grid")

# The finest area level each kind of unit sits at: a narrower scope shows the units of
# its ancestor at that level (a community sees its street's checkpoints).
UNIT_LEVEL = {"checkpoint": "street", "testing": "community", "supplies": "district", "vaccination": "street", "grid": "community"}

UNIT_COLUMNS = ["report_type", "unit_code", "name_zh", "name_en", "area_code", "reported", "reported_at", "last_day", "last_reported_at"]
COMPLETENESS_COLUMNS = ["report_type", "expected", "reported", "missing"]
HISTORY_COLUMNS = ["id", "imported_at", "file_name", "sha256", "report_type", "rows_accepted", "imported_by", "outcome", "errors"]


def _units(report_type: str):
    """(code, name_zh, name_en, area_code) of every unit that sends ``report_type``."""
    if report_type == "grid":
        has_units = select(area.c.community_code).where(area.c.level == "grid").distinct()
        return select(area.c.code, area.c.name_zh, area.c.name_en, area.c.code.label("area_code")).where(
            area.c.level == "community", area.c.code.in_(has_units)
        )
    table = {"checkpoint": s.checkpoint, "testing": s.sampling_site, "supplies": s.warehouse, "vaccination": s.vaccination_site}[report_type]
    return select(table.c.code, table.c.name_zh, table.c.name_en, table.c.area_code)


def _units_in_scope(engine: Engine, scope: Scope, report_type: str):
    widened = widen_to(engine, scope, UNIT_LEVEL[report_type])
    level = area_row(engine, widened.area_code)["level"]
    units = _units(report_type).subquery()
    a = area.alias("unit_area")
    return (
        select(units)
        .select_from(units.join(a, a.c.code == units.c.area_code))
        .where(a.c[LEVEL_COLUMN[level]] == widened.area_code)
        .subquery()
    )


def _unit_status(engine: Engine, scope: Scope, report_type: str, day: dt.date):
    """One row per unit in scope: did it report for ``day``, and its latest report."""
    units = _units_in_scope(engine, scope, report_type)
    rs = report_submission.c
    that_day = report_submission.alias("that_day")
    latest_day = (
        select(rs.unit_code, func.max(rs.day).label("last_day"))
        .where(rs.report_type == report_type, rs.unit_code.in_(select(units.c.code)))
        .group_by(rs.unit_code)
        .subquery()
    )
    latest = report_submission.alias("latest")
    return (
        select(
            literal(report_type, String).label("report_type"),
            units.c.code.label("unit_code"),
            units.c.name_zh,
            units.c.name_en,
            units.c.area_code,
            case((that_day.c.unit_code.is_(None), 0), else_=1).label("reported"),
            that_day.c.reported_at,
            latest_day.c.last_day,
            latest.c.reported_at.label("last_reported_at"),
        )
        .select_from(
            units.outerjoin(
                that_day,
                and_(that_day.c.report_type == report_type, that_day.c.unit_code == units.c.code, that_day.c.day == day),
            )
            .outerjoin(latest_day, latest_day.c.unit_code == units.c.code)
            .outerjoin(
                latest,
                and_(latest.c.report_type == report_type, latest.c.unit_code == units.c.code, latest.c.day == latest_day.c.last_day),
            )
        )
    )


def reporting_units(scope: Scope, day: dt.date | None = None, report_type: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """Every reporting unit in scope (of ``report_type``, or all types) with whether it
    reported for ``day`` (default: the scope's last day), when, and its latest report.
    Missing units first, then by type and code."""
    engine = resolve_engine(engine)
    day = day or scope.end
    types = [report_type] if report_type else list(SUBMISSION_TYPES)
    statement = union_all(*[_unit_status(engine, scope, t, day) for t in types]).subquery()
    ordered = select(statement).order_by(statement.c.reported, statement.c.report_type, statement.c.unit_code)
    result = frame(engine, ordered, UNIT_COLUMNS)
    result["reported"] = result["reported"].astype(bool)
    order = {t: i for i, t in enumerate(SUBMISSION_TYPES)}
    result = result.sort_values(["reported", "report_type", "unit_code"], key=lambda c: c.map(order) if c.name == "report_type" else c, kind="stable")
    result["last_day"] = result["last_day"].map(lambda v: v if v is None or isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10]))
    return result.reset_index(drop=True)


def reporting_completeness(scope: Scope, day: dt.date | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """Per report type: reporting units expected in scope, how many reported for ``day``
    (default: the scope's last day) and how many are missing. Counted in the database."""
    engine = resolve_engine(engine)
    day = day or scope.end
    parts = []
    for report_type in SUBMISSION_TYPES:
        status = _unit_status(engine, scope, report_type, day).subquery()
        parts.append(
            select(
                literal(report_type, String).label("report_type"),
                func.count().label("expected"),
                func.coalesce(func.sum(status.c.reported), 0).label("reported"),
            ).select_from(status)
        )
    result = frame(engine, union_all(*parts), ["report_type", "expected", "reported"])
    result = result.set_index("report_type").reindex(list(SUBMISSION_TYPES)).fillna(0).astype("int64").reset_index()
    result["missing"] = result["expected"] - result["reported"]
    return result[COMPLETENESS_COLUMNS]


def missing_report_count(scope: Scope, day: dt.date | None = None, engine: Engine | None = None) -> int:
    """How many reports are missing for ``day`` (default: the scope's last day), over all
    report types: the overview's figure."""
    return int(reporting_completeness(scope, day, engine)["missing"].sum())


def import_history(limit: int = 200, engine: Engine | None = None) -> pd.DataFrame:
    """The latest ``limit`` imports, newest first (errors as stored: JSON text or None)."""
    engine = resolve_engine(engine)
    r = report_import.c
    statement = select(*[r[c] for c in HISTORY_COLUMNS]).order_by(r.id.desc()).limit(int(limit))
    return frame(engine, statement, HISTORY_COLUMNS)

