"""Alerts 预警: the rules a command centre watches, with thresholds from ``alerts.toml``.

The queries here gather each rule's figures for a scope (per district, per checkpoint,
per day); the rules themselves are pure functions over those frames, so each can be
tested on hand-built numbers. ``active_alerts(scope)`` runs them all for the scope's
last day and returns the alerts, most severe first.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from functools import partial

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from data_access import inspections, isolation, reporting, supplies, vaccination
from data_access.data_checks import booster_coverage_by_district
from data_access.metrics import per_100k, positivity, ratio
from data_access.parallel import run_all
from data_access.rollups import TESTING
from data_access.schema import (
    ISOLATION_CATEGORIES,
    LEVEL_COLUMN,
    area,
    checkpoint,
    checkpoint_daily,
    sampling_site,
    testing_area_daily,
    testing_daily,
)
from data_access.scope import Scope, as_date, breakdown_level, codes_at, frame, in_scope, resolve_engine, scope_level
from data_access.settings import Thresholds, load_thresholds

SEVERITY_ORDER = {"critical": 0, "warning": 1}


@dataclass(frozen=True)
class Alert:
    """One alert: how bad, which rule, where, the figure, and the view that shows it."""

    severity: str  # critical | warning
    rule: str  # supplies_cover, testing_backlog, testing_turnaround, testing_positivity, checkpoint_fever, vaccination_behind, missing_reports,
    # isolation_occupancy, isolation_days_until_full, isolation_overdue, isolation_rising
    # inspections_overdue, inspections_pass_rate
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
    positives, backlog and turnaround p90 (weighted by samples tested). From the testing
    roll-up (one row per area and day) when it holds the scope's level, else the sites."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    group_level = breakdown_level(level, "street")
    if TESTING.usable(engine, level, group_level):
        r = testing_area_daily.c
        statement = (
            select(
                r.area_code,
                r.day,
                r.samples_collected,
                r.samples_tested,
                r.positives,
                r.pending.label("backlog"),
                (r.turnaround_p90_h_weighted / func.nullif(r.samples_tested, 0)).label("turnaround_p90_h"),
            )
            .where(r.area_code.in_(codes_at(level, scope.area_code, group_level)), r.day.between(scope.start, scope.end))
            .order_by(r.area_code, r.day)
        )
    else:
        group = area.c[LEVEL_COLUMN[group_level]]
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


def checkpoint_fever_figures(
    scope: Scope, day: dt.date, baseline_days: int, min_fever: int = 0, engine: Engine | None = None
) -> pd.DataFrame:
    """Per checkpoint in scope with at least ``min_fever`` fever found on ``day`` and a
    report on one of the ``baseline_days`` days before it: its names and area, fever and
    people on ``day``, and fever, people and days reported over those days before it
    (``FEVER_FIGURES``). Summed in the database: one row per checkpoint."""
    engine = resolve_engine(engine)
    level = scope_level(engine, scope)
    today, before, cp = checkpoint_daily.alias("today"), checkpoint_daily.alias("before"), checkpoint.c
    t, b = today.c, before.c
    # The day's rows (the primary key's day), then each one's days before it (by the
    # checkpoint-day index): no checkpoint-day outside those is read.
    statement = (
        select(
            t.checkpoint_code,
            cp.name_zh,
            cp.name_en,
            cp.area_code,
            t.fever,
            t.people,
            func.sum(b.fever).label("baseline_fever"),
            func.sum(b.people).label("baseline_people"),
            func.count().label("baseline_days"),
        )
        .select_from(
            today.join(checkpoint, cp.code == t.checkpoint_code)
            .join(area, area.c.code == cp.area_code)
            .join(
                before,
                and_(
                    b.checkpoint_code == t.checkpoint_code,
                    b.day >= day - dt.timedelta(days=baseline_days),
                    b.day < day,
                ),
            )
        )
        .where(in_scope(level, scope.area_code), t.day == day, t.fever >= min_fever)
        .group_by(t.checkpoint_code, cp.name_zh, cp.name_en, cp.area_code, t.fever, t.people)
    )
    result = frame(engine, statement, FEVER_FIGURES)
    return _fever_figures_typed(result)


FEVER_FIGURES = [
    "checkpoint_code",
    "name_zh",
    "name_en",
    "area_code",
    "fever",
    "people",
    "baseline_fever",
    "baseline_people",
    "baseline_days",
]


def _fever_figures_typed(figures: pd.DataFrame) -> pd.DataFrame:
    """Counts as integers (MySQL sums as DECIMAL), checkpoints in code order."""
    counts = ["fever", "people", "baseline_fever", "baseline_people", "baseline_days"]
    figures = figures.astype({c: "int64" for c in counts})
    return figures.sort_values("checkpoint_code", kind="stable").reset_index(drop=True)


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
    line on ``day``; positivity on ``day`` above the warning (critical) line.

    ``daily`` holds one row per area and day (``testing_daily_by_area``); the rules are
    judged on all areas at once, and only areas with a row for ``day`` are judged."""
    rows = daily.sort_values(["area_code", "day"], kind="stable")
    rows = rows[rows["day"] <= day]
    today = rows[rows["day"] == day].drop_duplicates("area_code", keep="last").set_index("area_code")
    if today.empty:
        return []
    # The backlog's last N + 1 rows up to the day, each one above the row before it.
    n = th.backlog_rising_days + 1
    window = rows[rows.groupby("area_code").cumcount(ascending=False) < n]
    backlog = window["backlog"].astype(float)
    step = backlog.groupby(window["area_code"]).diff()
    rising = window.assign(up=(step > 0) | step.isna()).groupby("area_code")
    summary = rising.agg(rows=("up", "size"), up=("up", "all")).reindex(today.index)
    last = today["backlog"].astype(float)  # the window's last row is the day's
    backlog_up = (summary["rows"] == n) & summary["up"].astype(bool) & (last > 0)

    turnaround = today["turnaround_p90_h"].astype(float)
    tested = today["samples_tested"].astype(float)
    rate = positivity(today["positives"].astype(float), tested)
    positive = (tested >= th.positivity_min_tested) & rate.notna() & (rate > th.positivity_warning)
    alerts = []
    for area_code in today.index:
        if backlog_up[area_code]:
            alerts.append(
                Alert(
                    "warning",
                    "testing_backlog",
                    area_code,
                    float(last[area_code]),
                    "testing",
                    {"days": th.backlog_rising_days, "query": {"range": "7d"}},
                )
            )
        if turnaround[area_code] > th.turnaround_p90_hours:
            alerts.append(
                Alert(
                    "warning",
                    "testing_turnaround",
                    area_code,
                    float(turnaround[area_code]),
                    "testing",
                    {"threshold": th.turnaround_p90_hours, "query": {"range": "7d"}},
                )
            )
        if positive[area_code]:
            alerts.append(
                Alert(
                    "critical" if rate[area_code] > th.positivity_critical else "warning",
                    "testing_positivity",
                    area_code,
                    float(rate[area_code]),
                    "testing",
                    {"threshold": th.positivity_warning, "query": {"range": "7d"}},
                )
            )
    return alerts


def checkpoint_fever_alerts(daily: pd.DataFrame, day: dt.date, th: Thresholds) -> list[Alert]:
    """A checkpoint whose fever rate on ``day`` is at least ``fever_ratio`` × its own rate
    over the previous ``fever_baseline_days`` days (and at least ``fever_min_cases``).
    ``daily``: one row per checkpoint and day (``checkpoint_fever_daily``)."""
    rows = daily[(daily["day"] >= day - dt.timedelta(days=th.fever_baseline_days)) & (daily["day"] <= day)]
    today = rows[rows["day"] == day].drop_duplicates("checkpoint_code")
    before = (
        rows[rows["day"] < day]
        .groupby("checkpoint_code")
        .agg(baseline_fever=("fever", "sum"), baseline_people=("people", "sum"), baseline_days=("day", "size"))
    )
    figures = today.join(before, on="checkpoint_code", how="inner")
    return fever_alerts(_fever_figures_typed(figures[FEVER_FIGURES]), th)


def fever_alerts(figures: pd.DataFrame, th: Thresholds) -> list[Alert]:
    """The fever rule on each checkpoint's figures (``checkpoint_fever_figures``): its rate
    on the day against its own rate over the days before it. With no fever at all in
    those days, a handful of cases is already far above normal: the reference is then one
    case among the people of an average day."""
    fever, people = figures["fever"], figures["people"]
    baseline = per_100k(figures["baseline_fever"], figures["baseline_people"])
    rate = per_100k(fever, people)
    floor = per_100k(pd.Series(1.0, index=figures.index), figures["baseline_people"] / figures["baseline_days"].clip(lower=1))
    reference = baseline.where(baseline > 0, floor)
    fires = (fever >= th.fever_min_cases) & rate.notna() & (reference != 0) & (rate >= th.fever_ratio * reference)
    return [
        Alert(
            "warning",
            "checkpoint_fever",
            row.area_code,
            float(rate[i]),
            "checkpoints",
            {
                "checkpoint_zh": row.name_zh,
                "checkpoint_en": row.name_en,
                "baseline": round(float(baseline[i]), 2) if pd.notna(baseline[i]) else 0.0,
                "fever": int(row.fever),
            },
        )
        for i, row in zip(figures.index[fires], figures[fires].itertuples(), strict=True)
    ]


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


def isolation_site_alerts(sites: pd.DataFrame, th: Thresholds) -> list[Alert]:
    """Per isolation site that reported the day (``isolation.site_table`` as of it): its
    rooms occupied above the warning (critical) share of its rooms; and, for a site not
    yet full, fewer days until full at the last 7 days' net intake than the warning
    (critical) line. A full site is the occupancy rule's, not "0 days until full"."""
    alerts = []
    reported = sites[sites["reported"].astype(bool)]
    occupancy = pd.to_numeric(reported["occupancy"], errors="coerce")
    days = pd.to_numeric(reported["days_until_full"], errors="coerce")
    near = (occupancy > th.site_occupancy_warning) | ((reported["free_rooms"] > 0) & (days < th.days_until_full_warning))
    for row in reported[near.fillna(False).astype(bool)].itertuples():  # a few of hundreds
        site = {"site": row.code, "site_zh": row.name_zh, "site_en": row.name_en}
        if pd.notna(row.occupancy) and row.occupancy > th.site_occupancy_warning:
            alerts.append(
                Alert(
                    "critical" if row.occupancy > th.site_occupancy_critical else "warning",
                    "isolation_occupancy",
                    row.area_code,
                    float(row.occupancy),
                    "isolation",
                    {**site, "threshold": th.site_occupancy_warning},
                )
            )
        filling = row.free_rooms > 0 and pd.notna(row.days_until_full)
        if filling and row.days_until_full < th.days_until_full_warning:
            alerts.append(
                Alert(
                    "critical" if row.days_until_full < th.days_until_full_critical else "warning",
                    "isolation_days_until_full",
                    row.area_code,
                    float(row.days_until_full),
                    "isolation",
                    {**site, "threshold": th.days_until_full_warning},
                )
            )
    return alerts


def overdue_release_alerts(by_area: pd.DataFrame, th: Thresholds) -> list[Alert]:
    """Areas (``isolation.people_by_area`` as of the day: one level below the scope, down
    to streets) holding at least ``overdue_release_warning`` people past their release date."""
    return [
        Alert("warning", "isolation_overdue", row.area_code, float(row.overdue), "isolation", {"held": int(row.held)})
        for row in by_area[by_area["overdue"] >= th.overdue_release_warning].itertuples()
    ]


def category_rising_alerts(by_category: pd.DataFrame, area_code: str, day: dt.date, th: Thresholds) -> list[Alert]:
    """Categories whose people under management (held at the day's end, every measure)
    rose on each of the ``category_rising_days`` days up to ``day``, to at least
    ``category_rising_min_held``. ``by_category``: per day and category
    (``isolation.people_by_category_daily``); a category without a row on a day that has
    reports held nobody; a day without any report is not judged (nor its category's run)."""
    n = th.category_rising_days
    days = [day - dt.timedelta(days=k) for k in range(n, -1, -1)]
    if by_category.empty:
        return []
    held: dict[tuple, float] = {}  # (day, category): people held, a few rows added up in Python
    for row_day, category, people in zip(by_category["day"], by_category["category"], by_category["held"], strict=True):
        key = (as_date(row_day), category)
        held[key] = held.get(key, 0.0) + float(people)
    reported = {key[0] for key in held}
    if not all(d in reported for d in days):  # a day without any report: not judged
        return []
    alerts = []
    for category in [c for c in ISOLATION_CATEGORIES if c in {key[1] for key in held}]:
        series = [held.get((d, category), 0.0) for d in days]
        if series[-1] < th.category_rising_min_held:
            continue
        if all(later > earlier for earlier, later in itertools.pairwise(series)):
            alerts.append(
                Alert(
                    "warning",
                    "isolation_rising",
                    area_code,
                    series[-1],
                    "isolation",
                    {"category": category, "days": n, "query": {"range": "7d"}},
                )
            )
    return alerts


def inspection_alerts(by_street: pd.DataFrame, start: dt.date, day: dt.date, th: Thresholds) -> list[Alert]:
    """Per street (``inspections.inspections_by_area`` by street over ``start``–``day``, the
    last ``inspection_pass_rate_days`` days): problems overdue for rectification at the end
    of ``day``, at least ``inspection_overdue_warning`` (critical from ``…_critical``); and
    the pass rate over those days below ``inspection_pass_rate_warning`` (critical below
    ``…_critical``), judged only on at least ``inspection_pass_rate_min_checks`` entity
    checks: one failure among two checks is no trend."""
    days = {"range": "custom", "start": start.isoformat(), "end": day.isoformat()}
    rates = ratio(by_street["inspections_passed"], by_street["inspections"])
    alerts = []
    for row, rate in zip(by_street.itertuples(), rates, strict=True):
        if row.overdue >= th.inspection_overdue_warning:
            alerts.append(
                Alert(
                    "critical" if row.overdue >= th.inspection_overdue_critical else "warning",
                    "inspections_overdue",
                    row.area_code,
                    float(row.overdue),
                    "inspections",
                    {
                        "open": int(row.open_problems),
                        "query": {"range": "custom", "start": day.isoformat(), "end": day.isoformat()},
                    },
                )
            )
        if row.inspections >= th.inspection_pass_rate_min_checks and rate < th.inspection_pass_rate_warning:
            alerts.append(
                Alert(
                    "critical" if rate < th.inspection_pass_rate_critical else "warning",
                    "inspections_pass_rate",
                    row.area_code,
                    float(rate),
                    "inspections",
                    {
                        "checks": int(row.inspections),
                        "days": (day - start).days + 1,
                        "threshold": th.inspection_pass_rate_warning,
                        "query": days,
                    },
                )
            )
    return alerts


def sort_alerts(alerts: list[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: (SEVERITY_ORDER[a.severity], a.rule, a.area_code))


# ---------------------------------------------------------------- all together
# Each rule with the figures it reads for a scope, as of the scope's last day. The figures
# are aggregated in the database (per district, area, checkpoint or report type); the
# rules judge those few rows.
def supplies_cover_rule(scope: Scope, engine: Engine, th: Thresholds) -> list[Alert]:
    day = scope.end
    return supplies_cover_alerts(supplies.days_of_cover_by_district(scope.with_days(day - dt.timedelta(days=6), day), engine), th)


def testing_rule(scope: Scope, engine: Engine, th: Thresholds) -> list[Alert]:
    day = scope.end
    recent = scope.with_days(day - dt.timedelta(days=max(th.backlog_rising_days, 1)), day)
    return testing_alerts(testing_daily_by_area(recent, engine), day, th)


def checkpoint_fever_rule(scope: Scope, engine: Engine, th: Thresholds) -> list[Alert]:
    return fever_alerts(checkpoint_fever_figures(scope, scope.end, th.fever_baseline_days, th.fever_min_cases, engine), th)


def vaccination_rule(scope: Scope, engine: Engine, th: Thresholds) -> list[Alert]:
    day = scope.end
    widened = vaccination.effective_scope(scope, engine)
    if scope_level(engine, widened) not in ("city", "district"):
        return []
    first_day = _first_vaccination_day(engine)
    if first_day is None or first_day >= day:
        return []
    both = booster_coverage_by_district(widened, [day, first_day], engine)  # one read for both days
    if both is None:  # the roll-up cannot be read now: the detail, a day at a time
        both = [vaccination.coverage_by_area(widened.with_days(d, d), engine) for d in (day, first_day)]
    now, at_start = both
    return vaccination_alerts(now, at_start, day, first_day, th)


def missing_reports_rule(scope: Scope, engine: Engine, th: Thresholds) -> list[Alert]:
    # Only the report types the centre runs: one never received is not missing every day.
    in_use = reporting.types_in_use(engine)
    return missing_report_alerts(reporting.reporting_completeness(scope, scope.end, engine, in_use), scope.area_code, th)


def isolation_sites_rule(scope: Scope, engine: Engine, th: Thresholds) -> list[Alert]:
    day = scope.end
    return isolation_site_alerts(isolation.site_load(scope.with_days(day, day), engine), th)


def isolation_people_rule(scope: Scope, engine: Engine, th: Thresholds) -> list[Alert]:
    day = scope.end
    on_day = scope.with_days(day, day)
    # An area without reports can only alert when the overdue line is 0 or below.
    reported = th.overdue_release_warning > 0
    by_area = isolation.people_figures_by_area(on_day, engine) if reported else isolation.people_by_area(on_day, engine)
    recent = scope.with_days(day - dt.timedelta(days=th.category_rising_days), day)
    by_category = isolation.people_by_category_daily(recent, engine)
    # Isolation is reported per street: a narrower scope's rising category is its street's.
    area_code = isolation.effective_scope(scope, engine).area_code
    return overdue_release_alerts(by_area, th) + category_rising_alerts(by_category, area_code, day, th)


def inspections_rule(scope: Scope, engine: Engine, th: Thresholds) -> list[Alert]:
    day = scope.end
    start = day - dt.timedelta(days=max(th.inspection_pass_rate_days, 1) - 1)
    recent = scope.with_days(start, day)
    # A street without reports can only alert when the overdue line is 0 or below.
    reported = th.inspection_overdue_warning > 0
    by_street = inspections.street_figures(recent, engine) if reported else inspections.inspections_by_street(recent, engine)
    return inspection_alerts(by_street, start, day, th)


RULES = (
    supplies_cover_rule,
    testing_rule,
    checkpoint_fever_rule,
    vaccination_rule,
    missing_reports_rule,
    isolation_sites_rule,
    isolation_people_rule,
    inspections_rule,
)
# vaccination, missing reports, testing, supplies, fever, isolation people, sites, inspections (bench/queries.py)
LONGEST_FIRST = (3, 4, 1, 0, 2, 6, 5, 7)


def active_alerts(scope: Scope, engine: Engine | None = None, thresholds: Thresholds | None = None) -> list[Alert]:
    """Every rule evaluated for the scope on its last day, most severe first."""
    engine = resolve_engine(engine)
    th = thresholds or load_thresholds()
    # The rules read different tables: two at a time (``parallel.run_all``).
    found = run_all([partial(rule, scope, engine, th) for rule in RULES], LONGEST_FIRST)
    return sort_alerts([alert for alerts in found for alert in alerts])


def _first_vaccination_day(engine: Engine) -> dt.date | None:
    from data_access.schema import vaccination_daily

    result = frame(engine, select(func.min(vaccination_daily.c.day).label("day")))
    value = result["day"].iloc[0] if not result.empty else None
    if value is None or pd.isna(value):
        return None
    return as_date(value)
