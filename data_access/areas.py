"""Areas and the dataset itself: hierarchy lookups for the filter, data date bounds, freshness."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, String, cast, func, literal, or_, select, union_all

from data_access.schema import (
    LEVELS,
    area,
    checkpoint_daily,
    dataset_info,
    grid_daily,
    inspection_daily,
    isolation_people_daily,
    report_submission,
    supply_ledger,
    testing_daily,
    vaccination_daily,
)
from data_access.scope import (
    UnknownArea,
    area_row,
    as_date,
    check_within,
    frame,
    plain_rows,
    resolve_engine,
    run,
    within_condition,
)

AREA_COLUMNS = (
    area.c.code,
    area.c.parent_code,
    area.c.level,
    area.c.name_zh,
    area.c.name_en,
    area.c.residents,
    area.c.households,
)

# The table and date column each domain's freshness is read from.
DOMAIN_DAY_COLUMNS = {
    "checkpoints": checkpoint_daily.c.day,
    "testing": testing_daily.c.day,
    "supplies": supply_ledger.c.day,
    "vaccination": vaccination_daily.c.day,
    "grid": grid_daily.c.day,
    "isolation": isolation_people_daily.c.day,
    "inspections": inspection_daily.c.day,
}
# The report types whose arrival times say when each domain's data last came in.
DOMAIN_REPORT_TYPES = {
    "checkpoints": ("checkpoint",),
    "testing": ("testing",),
    "supplies": ("supplies",),
    "vaccination": ("vaccination",),
    "grid": ("grid",),
    "isolation": ("isolation_people", "isolation_site"),
    "inspections": ("inspection",),
}


def root_area(engine: Engine | None = None) -> dict:
    """The top area (the city)."""
    engine = resolve_engine(engine)
    rows = frame(engine, select(*AREA_COLUMNS).where(area.c.parent_code.is_(None)).order_by(area.c.code).limit(1))
    if rows.empty:
        raise UnknownArea("no root area: the database holds no areas")
    return rows.iloc[0].to_dict()


def area_info(code: str, engine: Engine | None = None, within: str | None = None) -> dict:
    """One area's code, parent, level, names, residents and households (AccessDenied when
    it lies outside ``within``)."""
    engine = resolve_engine(engine)
    check_within(engine, code, within)
    rows = frame(engine, select(*AREA_COLUMNS).where(area.c.code == code))
    if rows.empty:
        raise UnknownArea(code)
    return rows.iloc[0].to_dict()


def area_children(code: str, engine: Engine | None = None, within: str | None = None) -> pd.DataFrame:
    """The areas directly under ``code``, by code."""
    engine = resolve_engine(engine)
    if within is not None:
        check_within(engine, code, within)
    return frame(engine, select(*AREA_COLUMNS).where(area.c.parent_code == code).order_by(area.c.code))


def area_path(code: str, engine: Engine | None = None, within: str | None = None) -> pd.DataFrame:
    """The area and its ancestors, top (city, or the reader's own area ``within``) first."""
    engine = resolve_engine(engine)
    row = check_within(engine, code, within)
    top = area_row(engine, within)["level"] if within is not None else LEVELS[0]
    codes = [row[f"{level}_code"] for level in LEVELS[LEVELS.index(top) :] if row.get(f"{level}_code")]
    result = frame(engine, select(*AREA_COLUMNS).where(area.c.code.in_(codes)))
    return result.set_index("code").loc[[c for c in codes if c in set(result["code"])]].reset_index()


def search_areas(
    text: str, limit: int = 50, max_level: str = "community", engine: Engine | None = None, within: str | None = None
) -> pd.DataFrame:
    """Areas (down to ``max_level``, inside ``within``) whose code starts with, or whose
    name contains, ``text``."""
    engine = resolve_engine(engine)
    # Control characters (a NUL byte PostgreSQL refuses) match no name; a name is short.
    needle = "".join(ch for ch in text if ch.isprintable()).strip()[:100]
    if not needle:
        return frame(engine, select(*AREA_COLUMNS).where(literal(False)))
    levels = LEVELS[: LEVELS.index(max_level) + 1]
    pattern = f"%{needle.replace('%', '').replace('_', '')}%"
    inside = within_condition(engine, within)
    statement = (
        select(*AREA_COLUMNS)
        .where(
            *([inside] if inside is not None else []),
            area.c.level.in_(levels),
            or_(
                area.c.code.startswith(needle, autoescape=True),
                area.c.name_zh.like(pattern),
                func.lower(area.c.name_en).like(pattern.lower()),
            ),
        )
        .order_by(func.length(area.c.code), area.c.code)
        .limit(limit)
    )
    return frame(engine, statement)


def areas_down_to(level: str, engine: Engine | None = None, within: str | None = None) -> pd.DataFrame:
    """Every area from the city (or the reader's area ``within``) down to ``level`` (for
    the area picker), by code."""
    engine = resolve_engine(engine)
    levels = LEVELS[: LEVELS.index(level) + 1]
    inside = within_condition(engine, within)
    # Sorted here, not in SQL: with ORDER BY, SQLite (which cannot see that grid units
    # outnumber the other levels twenty to one) walks every area in code order instead of
    # reading the few thousand wanted from the level index.
    rows = frame(engine, select(*AREA_COLUMNS).where(area.c.level.in_(levels), *([inside] if inside is not None else [])))
    return rows.sort_values("code", ignore_index=True)


def data_date_bounds(engine: Engine | None = None) -> tuple[dt.date, dt.date] | None:
    """First and last day with any data, or None for an empty database."""
    engine = resolve_engine(engine)
    # min and max as separate subqueries: each is then one step along the day index
    # (together in one SELECT, SQLite reads the whole table).
    parts = [
        select(
            select(func.min(column)).scalar_subquery().label("first"),
            select(func.max(column)).scalar_subquery().label("last"),
        )
        for column in DOMAIN_DAY_COLUMNS.values()
    ]
    result = frame(engine, union_all(*parts))
    result = result.dropna()
    if result.empty:
        return None
    first, last = result["first"].min(), result["last"].max()
    return as_date(first), as_date(last)


def domain_last_days(engine: Engine | None = None) -> list[tuple[str, dt.date | None]]:
    """Per domain, its last day with data, as plain (domain, day) rows: one statement."""
    engine = resolve_engine(engine)
    parts = [
        select(literal(name, String), cast(func.max(column), String)).select_from(column.table)
        for name, column in DOMAIN_DAY_COLUMNS.items()
    ]

    # A domain without any data yet (a new city reports checkpoints first) has no last day.
    rows = plain_rows(engine, union_all(*parts))
    return [(domain, as_date(day) if isinstance(day, (str, dt.date)) and day else None) for domain, day in rows]


def domain_freshness(engine: Engine | None = None) -> pd.DataFrame:
    """Per domain: the last day with data and when the last report arrived."""
    engine = resolve_engine(engine)
    result = pd.DataFrame(domain_last_days(engine), columns=["domain", "last_day"])
    # One indexed lookup per report type rather than grouping every submission.
    sub = report_submission.c
    reported = frame(
        engine,
        union_all(
            *[
                select(
                    literal(report_type, String).label("report_type"),
                    select(func.max(sub.reported_at))
                    .where(sub.report_type == report_type)
                    .scalar_subquery()
                    .label("last_reported_at"),
                )
                for report_type in sorted({t for types in DOMAIN_REPORT_TYPES.values() for t in types})
            ]
        ),
    ).dropna(subset=["last_reported_at"])
    reported["last_reported_at"] = pd.to_datetime(reported["last_reported_at"], utc=True)
    # A domain reported in several types (isolation: people and sites) arrived with the latest.
    by_type = reported.set_index("report_type")["last_reported_at"]
    result["last_reported_at"] = [by_type.reindex(list(DOMAIN_REPORT_TYPES.get(domain, ()))).max() for domain in result["domain"]]
    return result


def master_data_counts(engine: Engine | None = None) -> dict[str, int]:
    """How far a new database has come (the first-run guide): areas below the root, areas
    with a boundary, facilities, and daily-report submissions."""
    from data_access import schema as s

    engine = resolve_engine(engine)
    facilities = [s.checkpoint, s.sampling_site, s.lab, s.vaccination_site, s.warehouse]
    counts = select(
        select(func.count()).select_from(area).where(area.c.parent_code.is_not(None)).scalar_subquery().label("areas"),
        select(func.count()).select_from(area).where(area.c.polygon.is_not(None)).scalar_subquery().label("boundaries"),
        sum((select(func.count()).select_from(table).scalar_subquery() for table in facilities[1:]),
            select(func.count()).select_from(facilities[0]).scalar_subquery()).label("facilities"),
        select(func.count()).select_from(report_submission).scalar_subquery().label("reports"),
    )  # fmt: skip
    row = frame(engine, counts).iloc[0]
    return {key: int(row[key]) for key in ("areas", "boundaries", "facilities", "reports")}


def dataset_description(engine: Engine | None = None) -> dict[str, str]:
    """Key/value facts about the data (``kind`` is "sample" for the generated city)."""
    engine = resolve_engine(engine)
    rows = frame(engine, select(dataset_info.c.key, dataset_info.c.value))
    return dict(zip(rows["key"], rows["value"], strict=False))


def ping(engine: Engine | None = None) -> bool:
    """True when the database answers."""
    engine = resolve_engine(engine)

    def _ping():
        with engine.connect() as conn:
            conn.execute(select(literal(1)))
        return True

    return run(_ping)
