"""Grid units 网格: activity and 四色 risk colours, aggregated to the level the map draws."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, case, func, select

from data_access.metrics import ratio
from data_access.rollups import GRID
from data_access.schema import GRID_ACTIVITY, LEVEL_COLUMN, RISK_COLOURS, area, grid_area_daily, grid_daily
from data_access.scope import Scope, codes_at, frame, in_scope, resolve_engine, scope_level

FINEST_LEVEL = "grid"
ACTIVITY_COLUMNS = GRID_ACTIVITY


def _colour_counts(g):
    return [func.sum(case((g.risk_colour == i, 1), else_=0)).label(f"units_{name}") for i, name in enumerate(RISK_COLOURS)]


_COLOUR_COUNTS = [grid_area_daily.c[f"units_{name}"] for name in RISK_COLOURS]


# What the map draws for a scope at each level: the whole city or a district by streets,
# a street by communities, a community (or compound) by its joint-defence grid units.
MAP_LEVEL = {
    "city": "street",
    "district": "street",
    "street": "community",
    "community": "grid",
    "compound": "grid",
    "grid": "grid",
}


def grid_units_for_map(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """The units the map draws for the scope (see MAP_LEVEL) with their polygon and, for
    the range's last day, grid activity summed over their grid units, units per risk
    colour and the worst colour (四色)."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    group_level = MAP_LEVEL[level]
    if GRID.usable(engine, group_level):
        # The roll-up row of each area drawn already sums its grid units.
        r = grid_area_daily.c
        activity = select(
            r.area_code.label("code"), *[r[c] for c in ACTIVITY_COLUMNS], r.risk_colour, *_COLOUR_COUNTS, r.units_reporting
        ).where(r.area_code.in_(codes_at(level, scope.area_code, group_level)), r.day == scope.end)
    else:
        g = grid_daily.c
        group_column = area.c[LEVEL_COLUMN[group_level]]
        activity = (
            select(
                group_column.label("code"),
                *[func.sum(g[c]).label(c) for c in ACTIVITY_COLUMNS],
                func.max(g.risk_colour).label("risk_colour"),
                *_colour_counts(g),
                func.count().label("units_reporting"),
            )
            .select_from(grid_daily.join(area, area.c.code == g.unit_code))
            .where(in_scope(level, scope.area_code), g.day == scope.end)
            .group_by(group_column)
        )
    child = area.c
    shapes = select(
        child.code,
        child.name_zh,
        child.name_en,
        child.level,
        child.residents,
        child.households,
        child.lon,
        child.lat,
        child.polygon,
    ).where(in_scope(level, scope.area_code), child.level == group_level)
    result = frame(engine, shapes).merge(frame(engine, activity), on="code", how="left")
    counts = [c for c in result.columns if c.startswith("units_")]
    result[list(ACTIVITY_COLUMNS) + counts] = result[list(ACTIVITY_COLUMNS) + counts].fillna(0).astype("int64")
    result["visited_pct"] = ratio(result["households_visited"], result["households"])
    result["workers_per_1000_households"] = ratio(result["workers_on_duty"], result["households"]) * 1000
    result["key_persons"] = result[["key_close_contacts", "key_risk_area_returnees", "key_inbound_travellers"]].sum(axis=1)
    result["risk_colour"] = result["risk_colour"].astype("Int64")
    return result.sort_values("code").reset_index(drop=True)


def grid_daily_totals(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per day in the range: grid activity summed over the scope's units, and units per colour."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    if GRID.usable(engine, level):
        r = grid_area_daily.c
        statement = (
            select(r.day, *[r[c] for c in ACTIVITY_COLUMNS], *_COLOUR_COUNTS, r.units_reporting)
            .where(r.area_code == scope.area_code, r.day.between(scope.start, scope.end))
            .order_by(r.day)
        )
        return frame(engine, statement)
    g = grid_daily.c
    statement = (
        select(
            g.day,
            *[func.sum(g[c]).label(c) for c in ACTIVITY_COLUMNS],
            *_colour_counts(g),
            func.count().label("units_reporting"),
        )
        .select_from(grid_daily.join(area, area.c.code == g.unit_code))
        .where(in_scope(level, scope.area_code), g.day.between(scope.start, scope.end))
        .group_by(g.day)
        .order_by(g.day)
    )
    return frame(engine, statement)
