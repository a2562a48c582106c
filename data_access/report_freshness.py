"""Report freshness 上报时效: every reporting unit of a report type in scope, where it is on
the map, its last report up to a day, and how fresh that day's report is — in by the
deadline, late, missing, or missing for two days or more — with the area answering for it.

The units and the day are those of reporting completeness (``data_access.reporting``):
reported = on time + late, missing = missing + missing for 2+ days, per type. The
deadline is the data checks' (``REPORT_DEADLINE_HOUR`` the next morning, local time).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from sqlalchemy import Engine, String, Text, and_, case, cast, func, literal, null, or_, select, union_all

from data_access.data_checks import REPORT_DEADLINE_HOUR
from data_access.reporting import AREA_UNITS, FACILITY_UNITS, SUBMISSION_TYPES, UNIT_LEVEL, active_on, area_units_condition
from data_access.schema import LEVEL_COLUMN, area, report_submission
from data_access.scope import Scope, frame, resolve_engine, scope_level, widen_to
from data_access.settings import local_timezone

# Freshness of a unit's report for the day, best to worst.
STATES: tuple[str, ...] = ("on_time", "late", "missing", "missing_2plus")
REPORTED_STATES = ("on_time", "late")
MISSING_STATES = ("missing", "missing_2plus")

FRESHNESS_COLUMNS = [
    "report_type",
    "unit_code",
    "name_zh",
    "name_en",
    "lon",  # the unit's own place, or its area's centre when it has none (``at_area_centre``)
    "lat",
    "at_area_centre",
    "polygon",  # GeoJSON of a reporting area (a community, a street); none for a site, drawn as a point
    "responsible_code",
    "responsible_zh",
    "responsible_en",
    "last_day",  # the unit's latest report day up to the day shown (None: never reported)
    "last_reported_at",  # when that report arrived (UTC)
    "state",
]


def report_deadline(day: dt.date, timezone: ZoneInfo | None = None) -> dt.datetime:
    """When ``day``'s report is due: ``REPORT_DEADLINE_HOUR`` o'clock the next morning, local time."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(REPORT_DEADLINE_HOUR), timezone or local_timezone())


def freshness_states(
    last_day: pd.Series, last_reported_at: pd.Series, day: dt.date, timezone: ZoneInfo | None = None
) -> pd.Series:
    """Each unit's state for ``day`` from its latest report day up to ``day`` and when that
    report arrived: ``on_time`` (a report for the day, in by the deadline), ``late`` (in
    after it), ``missing`` (none for the day, one for the day before), ``missing_2plus``
    (nothing for the day nor the day before, or never anything)."""
    days = pd.Series(last_day, dtype="object").reset_index(drop=True)
    arrived = pd.to_datetime(pd.Series(last_reported_at).reset_index(drop=True), utc=True)
    reported = (days == day).to_numpy(dtype=bool)
    late = reported & (arrived > pd.Timestamp(report_deadline(day, timezone))).to_numpy(dtype=bool)
    yesterday = (days == day - dt.timedelta(days=1)).to_numpy(dtype=bool)
    states = np.select([reported & ~late, late, yesterday], ["on_time", "late", "missing"], "missing_2plus")
    return pd.Series(states, index=pd.Series(last_day).index, dtype="object")


def _units(engine: Engine, scope: Scope, report_type: str, day: dt.date):
    """The units that owe ``report_type`` for ``day`` in scope (as reporting completeness
    counts them) with their place, the area answering for them, and their latest report
    up to ``day``: two probes of report_submission's key (type, unit, day) per unit."""
    widened = widen_to(engine, scope, UNIT_LEVEL[report_type])
    scope_column = LEVEL_COLUMN[scope_level(engine, widened)]
    if report_type in AREA_UNITS:
        # A community with active grid units, or a street, is the unit; the area above it
        # (the community's street, the street's district) answers for it.
        unit, unit_area = area, area
        responsible = area.alias("responsible")
        above = area.c.street_code if report_type == "grid" else area.c.district_code
        source = area.join(responsible, responsible.c.code == above)
        conditions = [area_units_condition(report_type, area, day)]
        polygon = area.c.polygon
        lon, lat, at_centre = area.c.lon, area.c.lat, literal(0)
    else:
        # A site's own area (its street, community or district) answers for it.
        unit = FACILITY_UNITS[report_type]
        unit_area = responsible = area
        source = unit.join(area, area.c.code == unit.c.area_code)
        conditions = [active_on(unit.c.retired_on, day)]
        polygon = cast(null(), Text)
        # A site loaded without coordinates still shows, at its area's centre.
        at_centre = case((or_(unit.c.lon.is_(None), unit.c.lat.is_(None)), 1), else_=0)
        lon = case((at_centre == 1, area.c.lon), else_=unit.c.lon)
        lat = case((at_centre == 1, area.c.lat), else_=unit.c.lat)
    mine = report_submission.alias("mine")
    up_to_day = and_(mine.c.report_type == report_type, mine.c.unit_code == unit.c.code, mine.c.day <= day)
    return (
        select(
            literal(report_type, String).label("report_type"),
            unit.c.code.label("unit_code"),
            unit.c.name_zh,
            unit.c.name_en,
            lon.label("lon"),
            lat.label("lat"),
            at_centre.label("at_area_centre"),
            polygon.label("polygon"),
            responsible.c.code.label("responsible_code"),
            responsible.c.name_zh.label("responsible_zh"),
            responsible.c.name_en.label("responsible_en"),
            select(func.max(mine.c.day)).where(up_to_day).scalar_subquery().label("last_day"),
            select(mine.c.reported_at)
            .where(up_to_day)
            .order_by(mine.c.day.desc())
            .limit(1)
            .scalar_subquery()
            .label("last_reported_at"),
        )
        .select_from(source)
        .where(*conditions, unit_area.c[scope_column] == widened.area_code, active_on(unit_area.c.retired_on, day))
    )


def report_freshness(
    scope: Scope, report_type: str | None = None, day: dt.date | None = None, engine: Engine | None = None
) -> pd.DataFrame:
    """Every unit in scope that owes ``report_type`` (or any type) for ``day`` (default: the
    scope's last day), with its location, the area answering for it (names zh/en), its
    latest report up to ``day`` and its state (``STATES``). One statement; by type, then code."""
    engine = resolve_engine(engine)
    day = day or scope.end
    types = [report_type] if report_type else list(SUBMISSION_TYPES)
    units = union_all(*[_units(engine, scope, t, day) for t in types]).subquery()
    result = frame(engine, select(units).order_by(units.c.report_type, units.c.unit_code), FRESHNESS_COLUMNS[:-1])
    order = {t: i for i, t in enumerate(SUBMISSION_TYPES)}
    result = result.sort_values(["report_type", "unit_code"], key=lambda c: c.map(order) if c.name == "report_type" else c)
    result = result.reset_index(drop=True)
    result["last_day"] = result["last_day"].map(
        lambda v: None if v is None or pd.isna(v) else v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])
    )
    result["at_area_centre"] = result["at_area_centre"].astype(bool)
    result["state"] = freshness_states(result["last_day"], result["last_reported_at"], day)
    return result[FRESHNESS_COLUMNS]
