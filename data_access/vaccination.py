"""Vaccination coverage 疫苗接种: doses per day by dose, coverage by area and age group, site capacity.

Coverage counts doses where they were given against the population of the same area,
so it is meaningful down to districts; a scope below a district reads its district.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, case, func, select

from data_access.metrics import coverage, ratio
from data_access.rollups import VACCINATION
from data_access.schema import LEVEL_COLUMN, area, vaccination_area_daily, vaccination_daily, vaccination_site, vaccination_target
from data_access.scope import Scope, breakdown_level, codes_at, frame, in_scope, resolve_engine, scope_level, widen_to

FINEST_LEVEL = "district"
DOSE_COLUMNS = {1: "dose1", 2: "dose2", 3: "booster"}


def effective_scope(scope: Scope, engine: Engine | None = None) -> Scope:
    return widen_to(resolve_engine(engine), scope, FINEST_LEVEL)


def _doses_joined():
    v = vaccination_daily.c
    return vaccination_daily.join(vaccination_site, vaccination_site.c.code == v.site_code).join(
        area, area.c.code == vaccination_site.c.area_code
    )


def doses_by_day(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per day: doses given by dose number (1st, 2nd, booster) and in all, in the scope."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    if VACCINATION.usable(engine, level):
        r = vaccination_area_daily.c
        statement = (
            select(r.day, *[func.sum(r[name]).label(name) for name in DOSE_COLUMNS.values()], func.sum(r.doses).label("doses"))
            .where(r.area_code == scope.area_code, r.day.between(scope.start, scope.end))
            .group_by(r.day)
            .order_by(r.day)
        )
        return frame(engine, statement)
    v = vaccination_daily.c
    statement = (
        select(
            v.day,
            *[func.sum(case((v.dose_number == n, v.doses), else_=0)).label(name) for n, name in DOSE_COLUMNS.items()],
            func.sum(v.doses).label("doses"),
        )
        .select_from(_doses_joined())
        .where(in_scope(level, scope.area_code), v.day.between(scope.start, scope.end))
        .group_by(v.day)
        .order_by(v.day)
    )
    return frame(engine, statement)


def _cumulative(scope: Scope, engine: Engine, group_level: str | None, by_age: bool) -> pd.DataFrame:
    """Baseline + doses up to the range's end, grouped by the areas at ``group_level`` and/or age group."""
    level = scope_level(engine, scope)
    group_column_name = LEVEL_COLUMN[group_level] if group_level else None
    tg = vaccination_target.c
    target_area = area.alias("target_area")
    keys_target = []
    if group_column_name:
        keys_target.append(target_area.c[group_column_name].label("area_code"))
    if by_age:
        keys_target.append(tg.age_group)
    if VACCINATION.usable(engine, level, group_level or level):
        given = _given_from_rollup(scope, level, group_level, by_age)
    else:
        given = _given_from_detail(scope, level, group_column_name, by_age)
    targets = (
        select(
            *keys_target,
            func.sum(tg.population).label("population"),
            func.sum(tg.baseline_dose1).label("base_dose1"),
            func.sum(tg.baseline_dose2).label("base_dose2"),
            func.sum(tg.baseline_dose3).label("base_booster"),
        )
        .select_from(vaccination_target.join(target_area, target_area.c.code == tg.area_code))
        .where(in_scope(level, scope.area_code, target_area))
        .group_by(*[k.element if hasattr(k, "element") else k for k in keys_target])
    )
    keys = (["area_code"] if group_column_name else []) + (["age_group"] if by_age else [])
    target_frame = frame(engine, targets)
    given_frame = frame(engine, given)
    if keys:
        result = target_frame.merge(given_frame, on=keys, how="left")
    else:
        result = pd.concat([target_frame, given_frame], axis=1)
    for name in DOSE_COLUMNS.values():
        result[f"given_{name}"] = result.get(f"given_{name}", 0)
        result[name] = result[f"base_{name}"].fillna(0).astype("int64") + result[f"given_{name}"].fillna(0).astype("int64")
        result[f"coverage_{name}"] = coverage(result[name], result["population"])
    return result.drop(columns=[c for c in result.columns if c.startswith(("base_", "given_"))])


def _given_from_rollup(scope: Scope, level: str, group_level: str | None, by_age: bool):
    """Doses up to the range's end from the area roll-up: the scope's own rows, or the rows
    of the areas at ``group_level`` under it."""
    r = vaccination_area_daily.c
    keys = ([r.area_code] if group_level else []) + ([r.age_group] if by_age else [])
    statement = select(*keys, *[func.sum(r[name]).label(f"given_{name}") for name in DOSE_COLUMNS.values()]).where(
        r.day <= scope.end
    )
    if group_level:
        statement = statement.where(r.area_code.in_(codes_at(level, scope.area_code, group_level)))
    else:
        statement = statement.where(r.area_code == scope.area_code)
    return statement.group_by(*keys)


def _given_from_detail(scope: Scope, level: str, group_column_name: str | None, by_age: bool):
    v = vaccination_daily.c
    keys = ([area.c[group_column_name].label("area_code")] if group_column_name else []) + ([v.age_group] if by_age else [])
    return (
        select(
            *keys,
            *[func.sum(case((v.dose_number == n, v.doses), else_=0)).label(f"given_{name}") for n, name in DOSE_COLUMNS.items()],
        )
        .select_from(_doses_joined())
        .where(in_scope(level, scope.area_code), v.day <= scope.end)
        .group_by(*[k.element if hasattr(k, "element") else k for k in keys])
    )


def coverage_by_age_group(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per age group, as of the range's end: target population, people with a 1st dose,
    a full course (2nd dose) and a booster, and coverage of each."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    return _cumulative(scope, engine, None, by_age=True).sort_values("age_group", key=_age_order).reset_index(drop=True)


def coverage_by_area(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per area one level below the scope (down to districts; the district itself below
    that), as of the range's end: population, doses by number and coverage, ranked."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    level = scope_level(engine, scope)
    group_level = breakdown_level(level, FINEST_LEVEL)
    result = _cumulative(scope, engine, group_level, by_age=False)
    names = frame(
        engine,
        select(area.c.code.label("area_code"), area.c.name_zh, area.c.name_en).where(
            area.c.code.in_(result["area_code"].dropna().tolist() or [""])
        ),
    )
    result = result.merge(names, on="area_code", how="left")
    return result.sort_values("coverage_booster", ascending=False).reset_index(drop=True)


def coverage_total(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """One row for the whole scope as of the range's end (population, doses, coverage);
    ``area_code`` names the area actually counted (the district for a scope below one)."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    return _cumulative(scope, engine, None, by_age=False).assign(area_code=scope.area_code)


def site_capacity(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per kind of site (fixed, mobile team, vehicle): count, daily capacity, mean doses a
    day over the range and use of capacity."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    vs = vaccination_site.c
    v = vaccination_daily.c
    sites = (
        select(vs.kind, func.count().label("sites"), func.sum(vs.daily_capacity).label("daily_capacity"))
        .select_from(vaccination_site.join(area, area.c.code == vs.area_code))
        .where(in_scope(level, scope.area_code))
        .group_by(vs.kind)
    )
    if VACCINATION.usable(engine, level):
        r = vaccination_area_daily.c
        given = (
            select(r.site_kind.label("kind"), func.sum(r.doses).label("doses"))
            .where(r.area_code == scope.area_code, r.day.between(scope.start, scope.end))
            .group_by(r.site_kind)
        )
    else:
        given = (
            select(vs.kind, func.sum(v.doses).label("doses"))
            .select_from(_doses_joined())
            .where(in_scope(level, scope.area_code), v.day.between(scope.start, scope.end))
            .group_by(vs.kind)
        )
    result = frame(engine, sites).merge(frame(engine, given), on="kind", how="left")
    result["doses"] = result["doses"].fillna(0).astype("int64")
    result["doses_per_day"] = result["doses"] / scope.days
    result["utilisation"] = ratio(result["doses_per_day"], result["daily_capacity"])
    order = {"fixed": 0, "mobile_team": 1, "vehicle": 2}
    return result.sort_values("kind", key=lambda k: k.map(order)).reset_index(drop=True)


def _age_order(series: pd.Series) -> pd.Series:
    from data_access.schema import AGE_GROUPS

    return series.map({g: i for i, g in enumerate(AGE_GROUPS)})
