"""Checkpoint throughput 道口通行: daily totals, hourly profile, per-checkpoint and per-area tables."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import BigInteger, Engine, cast, func, select

from data_access.metrics import per_100k, ratio
from data_access.rollups import CHECKPOINT_HOURS
from data_access.schema import (
    CHECKPOINT_COUNTS,
    LEVEL_COLUMN,
    area,
    checkpoint,
    checkpoint_area_hourly,
    checkpoint_daily,
    checkpoint_hourly,
)
from data_access.scope import Scope, breakdown_level, frame, in_scope, is_root, resolve_engine, scope_level

FINEST_LEVEL = "street"  # checkpoints stand on roads of a street/town


def _rows_in_scope(table, scope: Scope, level: str, engine: Engine) -> list:
    """Conditions for ``table``'s rows of the scope's checkpoints and days. The checkpoints
    are listed once in a subquery: cheaper than joining every row to its checkpoint and area.
    The root area's scope holds every checkpoint: its days alone (half the time of the city's
    month of daily rows, which the subquery's semi-join doubles)."""
    days = table.c.day.between(scope.start, scope.end)
    if is_root(engine, scope.area_code):
        return [days]
    in_scope_codes = (
        select(checkpoint.c.code).join(area, area.c.code == checkpoint.c.area_code).where(in_scope(level, scope.area_code))
    )
    return [table.c.checkpoint_code.in_(in_scope_codes), days]


def _per_checkpoint(scope: Scope, level: str, engine: Engine, *extra):
    """The scope's figures summed per checkpoint over the range (a subquery)."""
    d = checkpoint_daily.c
    return (
        select(d.checkpoint_code, *[func.sum(d[name]).label(name) for name in CHECKPOINT_COUNTS], *extra)
        .where(*_rows_in_scope(checkpoint_daily, scope, level, engine))
        .group_by(d.checkpoint_code)
        .subquery()
    )


def checkpoint_daily_totals(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per day: every count summed over the scope's checkpoints, and how many reported."""
    engine = resolve_engine(engine)
    d = checkpoint_daily.c
    statement = (
        select(
            d.day,
            *[func.sum(d[name]).label(name) for name in CHECKPOINT_COUNTS],
            func.count().label("checkpoints_reporting"),
        )
        .where(*_rows_in_scope(checkpoint_daily, scope, scope_level(engine, scope), engine))
        .group_by(d.day)
        .order_by(d.day)
    )
    return frame(engine, statement)


def people_by_day(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per day: people checked, summed over the scope's checkpoints (``checkpoint_daily_totals``'
    ``people`` alone: a third of its cost, for the data checks)."""
    engine = resolve_engine(engine)
    d = checkpoint_daily.c
    statement = (
        select(d.day, func.sum(d.people).label("people"))
        .where(*_rows_in_scope(checkpoint_daily, scope, scope_level(engine, scope), engine))
        .group_by(d.day)
        .order_by(d.day)
    )
    return frame(engine, statement)


def checkpoint_hourly_profile(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per hour of day: vehicles and people summed over the range, and the daily mean."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    if CHECKPOINT_HOURS.usable(engine, level):
        hours = checkpoint_area_hourly.c
        where = [hours.area_code == scope.area_code, hours.day.between(scope.start, scope.end)]
        days = func.count()  # one roll-up row per day and hour
    else:
        hours = checkpoint_hourly.c
        where = _rows_in_scope(checkpoint_hourly, scope, level, engine)
        days = func.count(func.distinct(hours.day))
    statement = (
        select(
            hours.hour,
            func.sum(hours.vehicles).label("vehicles"),
            func.sum(hours.people).label("people"),
            func.sum(hours.fever).label("fever"),
            days.label("days"),
        )
        .where(*where)
        .group_by(hours.hour)
        .order_by(hours.hour)
    )
    result = frame(engine, statement)
    days = result["days"].where(result["days"] > 0, 1)
    result["vehicles_per_day"] = result["vehicles"] / days
    result["people_per_day"] = result["people"] / days
    return result


def checkpoint_table(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per checkpoint in scope: totals over the range and throughput against staffed capacity.

    Staffed capacity = lanes × people a lane checks per hour × hours staffed (reported
    hours). ``utilisation`` is people checked ÷ that capacity.
    """
    engine = resolve_engine(engine)
    d = checkpoint_daily.c
    per = _per_checkpoint(
        scope,
        scope_level(engine, scope),
        engine,
        func.sum(d.staffed_hours).label("staffed_hours"),
        func.count().label("days_reported"),
    )
    statement = (
        select(
            checkpoint.c.code,
            checkpoint.c.name_zh,
            checkpoint.c.name_en,
            checkpoint.c.kind,
            checkpoint.c.lanes,
            checkpoint.c.people_per_lane_hour.label("rated_people_per_lane_hour"),
            area.c.district_code,
            *[per.c[name] for name in CHECKPOINT_COUNTS],
            per.c.staffed_hours,
            per.c.days_reported,
        )
        .select_from(
            per.join(checkpoint, checkpoint.c.code == per.c.checkpoint_code).join(area, area.c.code == checkpoint.c.area_code)
        )
        .order_by(checkpoint.c.code)
    )
    result = frame(engine, statement)
    result["lane_hours"] = result["lanes"] * result["staffed_hours"]
    result["people_per_lane_hour"] = ratio(result["people"], result["lane_hours"])
    result["staffed_capacity"] = result["lane_hours"] * result["rated_people_per_lane_hour"]
    result["utilisation"] = ratio(result["people"], result["staffed_capacity"])
    result["fever_per_100k"] = per_100k(result["fever"], result["people"])
    return result


def checkpoint_by_area(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per area one level below the scope (down to streets): totals over the range."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    group_level = breakdown_level(level, FINEST_LEVEL)
    per = _per_checkpoint(scope, level, engine)
    child = area.alias("child")
    group_column = area.c[LEVEL_COLUMN[group_level]]
    statement = (
        select(
            group_column.label("area_code"),
            child.c.name_zh,
            child.c.name_en,
            *[cast(func.sum(per.c[name]), BigInteger).label(name) for name in CHECKPOINT_COUNTS],
            func.count().label("checkpoints"),  # one row per checkpoint that reported
        )
        .select_from(
            per.join(checkpoint, checkpoint.c.code == per.c.checkpoint_code)
            .join(area, area.c.code == checkpoint.c.area_code)
            .join(child, child.c.code == group_column)
        )
        .group_by(group_column, child.c.name_zh, child.c.name_en)
        .order_by(group_column)
    )
    return frame(engine, statement)
