"""Testing volume 核酸检测: collected / tested / positives, backlog, lab use, turnaround, round coverage."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select

from data_access.metrics import coverage, positivity, ratio
from data_access.rollups import TESTING
from data_access.schema import LEVEL_COLUMN, area, lab, lab_daily, sampling_site, testing_area_daily, testing_daily, testing_round
from data_access.scope import Scope, breakdown_level, codes_at, frame, in_scope, resolve_engine, scope_level

FINEST_LEVEL = "community"  # sampling sites serve communities


def _sites_in_scope(level: str, scope: Scope):
    t = testing_daily.c
    joined = testing_daily.join(sampling_site, sampling_site.c.code == t.site_code).join(
        area, area.c.code == sampling_site.c.area_code
    )
    return joined, [in_scope(level, scope.area_code), t.day.between(scope.start, scope.end)]


def testing_daily_totals(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per day: samples collected, tested, positives, backlog (pending), positivity and
    turnaround (median and p90 hours, averaged over sites weighted by samples tested)."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    if TESTING.usable(engine, level):
        r = testing_area_daily.c
        statement = (
            select(
                r.day,
                r.samples_collected,
                r.samples_tested,
                r.positives,
                r.pending.label("backlog"),
                r.pooled_ratio,
                (r.turnaround_median_h_weighted / func.nullif(r.samples_tested, 0)).label("turnaround_median_h"),
                (r.turnaround_p90_h_weighted / func.nullif(r.samples_tested, 0)).label("turnaround_p90_h"),
                r.sites_reporting,
            )
            .where(r.area_code == scope.area_code, r.day.between(scope.start, scope.end))
            .order_by(r.day)
        )
        return _with_rates(frame(engine, statement))
    t = testing_daily.c
    joined, where = _sites_in_scope(level, scope)
    statement = (
        select(
            t.day,
            func.sum(t.samples_collected).label("samples_collected"),
            func.sum(t.samples_tested).label("samples_tested"),
            func.sum(t.positives).label("positives"),
            func.sum(t.pending).label("backlog"),
            func.max(t.pooled_ratio).label("pooled_ratio"),
            (func.sum(t.turnaround_median_h * t.samples_tested) / func.nullif(func.sum(t.samples_tested), 0)).label(
                "turnaround_median_h"
            ),
            (func.sum(t.turnaround_p90_h * t.samples_tested) / func.nullif(func.sum(t.samples_tested), 0)).label(
                "turnaround_p90_h"
            ),
            func.count().label("sites_reporting"),
        )
        .select_from(joined)
        .where(*where)
        .group_by(t.day)
        .order_by(t.day)
    )
    return _with_rates(frame(engine, statement))


def _with_rates(result: pd.DataFrame) -> pd.DataFrame:
    result["positivity"] = positivity(result["positives"], result["samples_tested"])
    for column in ("turnaround_median_h", "turnaround_p90_h"):
        result[column] = result[column].astype(float)
    return result


def lab_utilisation_daily(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per day: tubes tested by the labs located in scope against their capacity."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    ld = lab_daily.c
    statement = (
        select(
            ld.day,
            func.sum(ld.tubes_tested).label("tubes_tested"),
            func.sum(ld.capacity_tubes).label("capacity_tubes"),
            func.count().label("labs"),
        )
        .select_from(lab_daily.join(lab, lab.c.code == ld.lab_code).join(area, area.c.code == lab.c.area_code))
        .where(in_scope(level, scope.area_code), ld.day.between(scope.start, scope.end))
        .group_by(ld.day)
        .order_by(ld.day)
    )
    result = frame(engine, statement)
    result["utilisation"] = ratio(result["tubes_tested"], result["capacity_tubes"])
    return result


def testing_by_area(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per area one level below the scope: totals over the range, positivity, backlog on the last day."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    group_level = breakdown_level(level, FINEST_LEVEL)
    if TESTING.usable(engine, level, group_level):
        # The roll-up rows of the areas one level down, the backlog from the last day's.
        r = testing_area_daily.c
        result = frame(
            engine,
            select(
                area.c.code.label("area_code"),
                area.c.name_zh,
                area.c.name_en,
                func.sum(r.samples_collected).label("samples_collected"),
                func.sum(r.samples_tested).label("samples_tested"),
                func.sum(r.positives).label("positives"),
                func.sum(case((r.day == scope.end, r.pending), else_=0)).label("backlog"),
            )
            .select_from(testing_area_daily.join(area, area.c.code == r.area_code))
            .where(r.area_code.in_(codes_at(level, scope.area_code, group_level)), r.day.between(scope.start, scope.end))
            .group_by(area.c.code, area.c.name_zh, area.c.name_en)
            .order_by(area.c.code),
        )
    else:
        result = _by_area_from_sites(scope, engine, level, group_level)
    result["backlog"] = result["backlog"].fillna(0).astype(int)
    result["positivity"] = positivity(result["positives"], result["samples_tested"])
    return result


def _by_area_from_sites(scope: Scope, engine: Engine, level: str, group_level: str) -> pd.DataFrame:
    t = testing_daily.c
    joined, where = _sites_in_scope(level, scope)
    child = area.alias("child")
    group_column = area.c[LEVEL_COLUMN[group_level]]
    statement = (
        select(
            group_column.label("area_code"),
            child.c.name_zh,
            child.c.name_en,
            func.sum(t.samples_collected).label("samples_collected"),
            func.sum(t.samples_tested).label("samples_tested"),
            func.sum(t.positives).label("positives"),
        )
        .select_from(joined.join(child, child.c.code == group_column))
        .where(*where)
        .group_by(group_column, child.c.name_zh, child.c.name_en)
        .order_by(group_column)
    )
    result = frame(engine, statement)
    backlog = frame(
        engine,
        select(group_column.label("area_code"), func.sum(t.pending).label("backlog"))
        .select_from(joined)
        .where(in_scope(level, scope.area_code), t.day == scope.end)
        .group_by(group_column),
    )
    return result.merge(backlog, on="area_code", how="left")


def testing_rounds(engine: Engine | None = None) -> pd.DataFrame:
    """All mass-testing rounds (全员核酸), oldest first."""
    engine = resolve_engine(engine)
    r = testing_round.c
    return frame(engine, select(r.id, r.name_zh, r.name_en, r.start_day, r.end_day).order_by(r.start_day))


def round_coverage_by_area(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per round overlapping the range and per area below the scope: residents, samples
    collected during the round, and coverage (% of residents sampled, capped at 100 %)."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    group_level = breakdown_level(level, FINEST_LEVEL)
    t = testing_daily.c
    r = testing_round.c
    group_column = area.c[LEVEL_COLUMN[group_level]]
    child = area.alias("child")
    sampled = (
        select(
            r.id.label("round_id"),
            r.name_zh.label("round_zh"),
            r.name_en.label("round_en"),
            group_column.label("area_code"),
            func.sum(t.samples_collected).label("samples_collected"),
        )
        .select_from(
            testing_daily.join(sampling_site, sampling_site.c.code == t.site_code)
            .join(area, area.c.code == sampling_site.c.area_code)
            .join(testing_round, and_(t.day >= r.start_day, t.day <= r.end_day))
        )
        .where(in_scope(level, scope.area_code), r.end_day >= scope.start, r.start_day <= scope.end)
        .group_by(r.id, r.name_zh, r.name_en, group_column)
    )
    result = frame(engine, sampled)
    residents = frame(
        engine,
        select(child.c.code.label("area_code"), child.c.name_zh, child.c.name_en, child.c.residents).where(
            child.c.code.in_(result["area_code"].unique().tolist() or [""])
        ),
    )
    result = result.merge(residents, on="area_code", how="left").sort_values(["round_id", "area_code"])
    result["coverage"] = coverage(result["samples_collected"], result["residents"]).clip(upper=1.0)
    return result.reset_index(drop=True)
