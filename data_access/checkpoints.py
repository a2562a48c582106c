"""Checkpoint throughput 道口通行: daily totals, hourly profile, per-checkpoint and per-area tables."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from data_access.schema import CHECKPOINT_COUNTS, LEVEL_COLUMN, area, checkpoint, checkpoint_daily, checkpoint_hourly
from data_access.metrics import per_100k, ratio
from data_access.scope import Scope, area_level, breakdown_level, frame, in_scope, resolve_engine

FINEST_LEVEL = "street"  # checkpoints stand on roads of a street/town


def _scoped(select_from, day_column, scope: Scope, level: str):
    return (
        select_from.join(checkpoint, checkpoint.c.code == day_column.table.c.checkpoint_code).join(
            area, area.c.code == checkpoint.c.area_code
        ),
        [in_scope(level, scope.area_code), day_column.between(scope.start, scope.end)],
    )


def checkpoint_daily_totals(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per day: every count summed over the scope's checkpoints, and how many reported."""
    engine = resolve_engine(engine)
    d = checkpoint_daily.c
    joined, where = _scoped(checkpoint_daily, d.day, scope, area_level(engine, scope.area_code))
    statement = (
        select(
            d.day,
            *[func.sum(d[name]).label(name) for name in CHECKPOINT_COUNTS],
            func.count().label("checkpoints_reporting"),
        )
        .select_from(joined)
        .where(*where)
        .group_by(d.day)
        .order_by(d.day)
    )
    return frame(engine, statement)


def checkpoint_hourly_profile(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per hour of day: vehicles and people summed over the range, and the daily mean."""
    engine = resolve_engine(engine)
    h = checkpoint_hourly.c
    joined, where = _scoped(checkpoint_hourly, h.day, scope, area_level(engine, scope.area_code))
    statement = (
        select(
            h.hour,
            func.sum(h.vehicles).label("vehicles"),
            func.sum(h.people).label("people"),
            func.sum(h.fever).label("fever"),
            func.count(func.distinct(h.day)).label("days"),
        )
        .select_from(joined)
        .where(*where)
        .group_by(h.hour)
        .order_by(h.hour)
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
    joined, where = _scoped(checkpoint_daily, d.day, scope, area_level(engine, scope.area_code))
    statement = (
        select(
            checkpoint.c.code,
            checkpoint.c.name_zh,
            checkpoint.c.name_en,
            checkpoint.c.kind,
            checkpoint.c.lanes,
            checkpoint.c.people_per_lane_hour.label("rated_people_per_lane_hour"),
            area.c.district_code,
            *[func.sum(d[name]).label(name) for name in CHECKPOINT_COUNTS],
            func.sum(d.staffed_hours).label("staffed_hours"),
            func.count().label("days_reported"),
        )
        .select_from(joined)
        .where(*where)
        .group_by(
            checkpoint.c.code,
            checkpoint.c.name_zh,
            checkpoint.c.name_en,
            checkpoint.c.kind,
            checkpoint.c.lanes,
            checkpoint.c.people_per_lane_hour,
            area.c.district_code,
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
    level = area_level(engine, scope.area_code)
    group_level = breakdown_level(level, FINEST_LEVEL)
    d = checkpoint_daily.c
    joined, where = _scoped(checkpoint_daily, d.day, scope, level)
    child = area.alias("child")
    group_column = area.c[LEVEL_COLUMN[group_level]]
    statement = (
        select(
            group_column.label("area_code"),
            child.c.name_zh,
            child.c.name_en,
            *[func.sum(d[name]).label(name) for name in CHECKPOINT_COUNTS],
            func.count(func.distinct(d.checkpoint_code)).label("checkpoints"),
        )
        .select_from(joined.join(child, child.c.code == group_column))
        .where(*where)
        .group_by(group_column, child.c.name_zh, child.c.name_en)
        .order_by(group_column)
    )
    return frame(engine, statement)
