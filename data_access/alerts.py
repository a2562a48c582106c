"""Alerts 预警: the rules a command centre watches, with thresholds from ``alerts.toml``.

The queries here gather each rule's figures for a scope (per district, per checkpoint,
per day); the rules themselves are pure functions over those frames, so each can be
tested on hand-built numbers. ``active_alerts(scope)`` runs them all for the scope's
last day and returns the alerts, most severe first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, func, select

from data_access import reporting, supplies, vaccination
from data_access.metrics import per_100k, positivity
from data_access.schema import LEVEL_COLUMN, area, checkpoint, checkpoint_daily, sampling_site, testing_daily
from data_access.scope import Scope, breakdown_level, frame, in_scope, resolve_engine, scope_level
from data_access.settings import Thresholds, load_thresholds

SEVERITY_ORDER = {"critical": 0, "warning": 1}


@dataclass(frozen=True)
class Alert:
    """One alert: how bad, which rule, where, the figure, and the view that shows it."""

    severity: str  # critical | warning
    rule: str  # supplies_cover, testing_backlog, testing_turnaround, testing_positivity, checkpoint_fever, vaccination_behind, missing_reports
    area_code: str
    figure: float
    page: str  # page file stem that shows it
    details: dict = field(default_factory=dict)  # fields for the alert's text (item, days, threshold…)

    @property
    def query_params(self) -> dict[str, str]:
        """The filter that opens the view on this alert's area (and range)."""
        params = {"area": self.area_code}
        params.update(self.details.get("query", {}))
        return params


# ---------------------------------------------------------------- figures (SQL)
def testing_daily_by_area(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per area one level below the scope (down to streets) and day: collected, tested,
    positives, backlog and turnaround p90 (weighted by samples tested)."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    group = area.c[LEVEL_COLUMN[breakdown_level(level, "street")]]
    t = testing_daily.c
    statement = (
        select(
            group.label("area_code"),
            t.day,
            func.sum(t.samples_collected).label("samples_collected"),
            func.sum(t.samples_tested).label("samples_tested"),
            func.sum(t.positives).label("positives"),
            func.sum(t.pending).label("backlog"),
            (func.sum(t.turnaround_p90_h * t.samples_tested) / func.nullif(func.sum(t.samples_tested), 0)).label(
                "turnaround_p90_h"
            ),
        )
        .select_from(
            testing_daily.join(sampling_site, sampling_site.c.code == t.site_code).join(
                area, area.c.code == sampling_site.c.area_code
            )
        )
        .where(in_scope(level, scope.area_code), t.day.between(scope.start, scope.end))
        .group_by(group, t.day)
        .order_by(group, t.day)
    )
    result = frame(engine, statement)
    result["turnaround_p90_h"] = result["turnaround_p90_h"].astype(float)
    return result


def checkpoint_fever_daily(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per checkpoint in scope and day: fever found and people checked."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    d = checkpoint_daily.c
    statement = (
        select(d.checkpoint_code, checkpoint.c.name_zh, checkpoint.c.name_en, checkpoint.c.area_code, d.day, d.fever, d.people)
        .select_from(
            checkpoint_daily.join(checkpoint, checkpoint.c.code == d.checkpoint_code).join(
                area, area.c.code == checkpoint.c.area_code
            )
        )
        .where(in_scope(level, scope.area_code), d.day.between(scope.start, scope.end))
        .order_by(d.checkpoint_code, d.day)
    )
    return frame(engine, statement)


# ---------------------------------------------------------------- rules (pure)
def supplies_cover_alerts(cover: pd.DataFrame, th: Thresholds) -> list[Alert]:
    """Any item in any district with days of cover under the warning (critical) line."""
    alerts = []
    for row in cover.dropna(subset=["days_of_cover"]).itertuples():
        if row.days_of_cover < th.days_of_cover_warning:
            severity = "critical" if row.days_of_cover < th.days_of_cover_critical else "warning"
            alerts.append(
                Alert(
                    severity,
                    "supplies_cover",
                    row.district_code,
                    float(row.days_of_cover),
                    "supplies",
                    {"item": row.item_code, "threshold": th.days_of_cover_warning},
                )
            )
    return alerts


def testing_alerts(daily: pd.DataFrame, day: dt.date, th: Thresholds) -> list[Alert]:
    """Per area: backlog rising for N days in a row up to ``day``; turnaround p90 above the
    line on ``day``; positivity on ``day`` above the warning (critical) line."""
    alerts = []
    for area_code, rows in daily.groupby("area_code", sort=True):
        rows = rows.set_index("day").sort_index()
        if day not in rows.index:
            continue
        today = rows.loc[day]
        window = rows.loc[:day].tail(th.backlog_rising_days + 1)["backlog"]
        consecutive = len(window) == th.backlog_rising_days + 1 and bool((window.diff().dropna() > 0).all())
        if consecutive and window.iloc[-1] > 0:
            alerts.append(
                Alert(
                    "warning",
                    "testing_backlog",
                    area_code,
                    float(window.iloc[-1]),
                    "testing",
                    {"days": th.backlog_rising_days, "query": {"range": "7d"}},
                )
            )
        if pd.notna(today["turnaround_p90_h"]) and today["turnaround_p90_h"] > th.turnaround_p90_hours:
            alerts.append(
                Alert(
                    "warning",
                    "testing_turnaround",
                    area_code,
                    float(today["turnaround_p90_h"]),
                    "testing",
                    {"threshold": th.turnaround_p90_hours, "query": {"range": "7d"}},
                )
            )
        rate = positivity(today["positives"], today["samples_tested"])
        if today["samples_tested"] >= th.positivity_min_tested and pd.notna(rate) and rate > th.positivity_warning:
            severity = "critical" if rate > th.positivity_critical else "warning"
            alerts.append(
                Alert(
                    severity,
                    "testing_positivity",
                    area_code,
                    float(rate),
                    "testing",
                    {"threshold": th.positivity_warning, "query": {"range": "7d"}},
                )
            )
    return alerts


def checkpoint_fever_alerts(daily: pd.DataFrame, day: dt.date, th: Thresholds) -> list[Alert]:
    """A checkpoint whose fever rate on ``day`` is at least ``fever_ratio`` × its own rate
    over the previous ``fever_baseline_days`` days (and at least ``fever_min_cases``)."""
    alerts = []
    for _code, rows in daily.groupby("checkpoint_code", sort=True):
        today = rows[rows["day"] == day]
        before = rows[(rows["day"] < day) & (rows["day"] >= day - dt.timedelta(days=th.fever_baseline_days))]
        if today.empty or before.empty:
            continue
        fever, people = int(today["fever"].iloc[0]), int(today["people"].iloc[0])
        baseline = per_100k(before["fever"].sum(), before["people"].sum())
        rate = per_100k(fever, people)
        # With no fever at all in the baseline, a handful of cases is already far above normal.
        floor = per_100k(1, before["people"].sum() / max(len(before), 1))
        reference = baseline if baseline and baseline > 0 else floor
        if fever >= th.fever_min_cases and pd.notna(rate) and reference and rate >= th.fever_ratio * reference:
            alerts.append(
                Alert(
                    "warning",
                    "checkpoint_fever",
                    today["area_code"].iloc[0],
                    float(rate),
                    "checkpoints",
                    {
                        "checkpoint_zh": today["name_zh"].iloc[0],
                        "checkpoint_en": today["name_en"].iloc[0],
                        "baseline": round(float(baseline), 2) if pd.notna(baseline) else 0.0,
                        "fever": fever,
                    },
                )
            )
    return alerts


def booster_target_on(day: dt.date, start_day: dt.date, start_coverage: float, th: Thresholds) -> float:
    """The target curve: a straight line from the coverage on ``start_day`` to the target
    coverage on the target date (flat after it). Without a configured date, the target is
    due ``booster_target_days`` after ``start_day``."""
    target_date = th.booster_target_date or start_day + dt.timedelta(days=th.booster_target_days)
    if day >= target_date or start_day >= target_date:
        return th.booster_target
    span = (target_date - start_day).days
    done = (day - start_day).days
    return start_coverage + (th.booster_target - start_coverage) * max(0, done) / span


def vaccination_alerts(
    now: pd.DataFrame, at_start: pd.DataFrame, day: dt.date, start_day: dt.date, th: Thresholds
) -> list[Alert]:
    """Areas whose booster coverage on ``day`` is more than ``booster_behind_points``
    percentage points behind the target curve (which starts from their own coverage on
    ``start_day``)."""
    alerts = []
    start = at_start.set_index("area_code")["coverage_booster"]
    for row in now.itertuples():
        if row.area_code not in start.index or pd.isna(row.coverage_booster):
            continue
        target = booster_target_on(day, start_day, float(start[row.area_code]), th)
        if round((target - row.coverage_booster) * 100, 9) > th.booster_behind_points:
            alerts.append(
                Alert(
                    "warning",
                    "vaccination_behind",
                    row.area_code,
                    float(row.coverage_booster),
                    "vaccination",
                    {"target": round(target, 4)},
                )
            )
    return alerts


def missing_report_alerts(completeness: pd.DataFrame, area_code: str, th: Thresholds) -> list[Alert]:
    """Report types with units that have not reported for the day (零报告 rule)."""
    alerts = []
    for row in completeness.itertuples():
        if row.missing >= th.missing_reports_warning:
            alerts.append(
                Alert(
                    "warning",
                    "missing_reports",
                    area_code,
                    float(row.missing),
                    "data_intake",
                    {"report_type": row.report_type, "expected": int(row.expected)},
                )
            )
    return alerts


def sort_alerts(alerts: list[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: (SEVERITY_ORDER[a.severity], a.rule, a.area_code))


# ---------------------------------------------------------------- all together
def active_alerts(scope: Scope, engine: Engine | None = None, thresholds: Thresholds | None = None) -> list[Alert]:
    """Every rule evaluated for the scope on its last day, most severe first."""
    engine = resolve_engine(engine)
    th = thresholds or load_thresholds()
    day = scope.end
    alerts: list[Alert] = []

    cover = supplies.days_of_cover_by_district(scope.with_days(day - dt.timedelta(days=6), day), engine)
    alerts += supplies_cover_alerts(cover, th)

    recent = scope.with_days(day - dt.timedelta(days=max(th.backlog_rising_days, 1)), day)
    alerts += testing_alerts(testing_daily_by_area(recent, engine), day, th)

    baseline = scope.with_days(day - dt.timedelta(days=th.fever_baseline_days), day)
    alerts += checkpoint_fever_alerts(checkpoint_fever_daily(baseline, engine), day, th)

    widened = vaccination.effective_scope(scope, engine)
    level = scope_level(engine, widened)
    if level in ("city", "district"):
        first_day = _first_vaccination_day(engine)
        if first_day is not None and first_day < day:
            now = vaccination.coverage_by_area(widened.with_days(day, day), engine)
            at_start = vaccination.coverage_by_area(widened.with_days(first_day, first_day), engine)
            alerts += vaccination_alerts(now, at_start, day, first_day, th)

    completeness = reporting.reporting_completeness(scope, day, engine)
    alerts += missing_report_alerts(completeness, scope.area_code, th)
    return sort_alerts(alerts)


def _first_vaccination_day(engine: Engine) -> dt.date | None:
    from data_access.schema import vaccination_daily

    result = frame(engine, select(func.min(vaccination_daily.c.day).label("day")))
    value = result["day"].iloc[0] if not result.empty else None
    if value is None or pd.isna(value):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
