"""Alerts 预警: the rules a command centre watches, with thresholds from ``alerts.toml``.

The queries here gather each rule's figures for a scope (per district, per checkpoint,
per day); the rules themselves are pure functions over those frames, so each can be
tested on hand-built numbers. ``active_alerts(scope)`` runs them all for the scope's
last day and returns the alerts, most severe first.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from data_access import inspections, isolation, reporting, supplies, vaccination
from data_access.data_checks import booster_coverage_by_district
from data_access.metrics import number, per_100k, positivity, ratio
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
    vaccination_daily,
)
from data_access.scope import (
    Scope,
    as_date,
    breakdown_level,
    codes_at,
    frame,
    in_scope,
    on_one_connection,
    plain_rows,
    records,
    resolve_engine,
    scope_level,
)
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
    result = pd.DataFrame(testing_rows(scope, engine), columns=TESTING_COLUMNS)
    result["turnaround_p90_h"] = result["turnaround_p90_h"].astype(float)
    return result


TESTING_COLUMNS = ["area_code", "day", "samples_collected", "samples_tested", "positives", "backlog", "turnaround_p90_h"]


def testing_rows(scope: Scope, engine: Engine | None = None) -> list[dict]:
    """``testing_daily_by_area``'s rows as plain dicts: what the testing alerts judge."""
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
    return records(engine, statement)


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
    rows = fever_figure_rows(scope, day, baseline_days, min_fever, engine)
    return _fever_figures_typed(pd.DataFrame(rows, columns=FEVER_FIGURES))


def fever_figure_rows(
    scope: Scope, day: dt.date, baseline_days: int, min_fever: int = 0, engine: Engine | None = None
) -> list[dict]:
    """``checkpoint_fever_figures``' rows as plain dicts, in no order: what the fever alert judges."""
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
    return records(engine, statement)


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
# Each rule judges plain rows (dicts by column name), as the reads below give them, or a
# frame's rows: a few hundred rows are judged in Python in well under a millisecond, where
# a frame's building, typing and grouping cost several (issue 11: alerts within 100 ms).
Rows = Iterable[Mapping] | pd.DataFrame


def _records(rows: Rows) -> list[Mapping]:
    return rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)


def supplies_cover_alerts(cover: Rows, th: Thresholds) -> list[Alert]:
    """Any item in any district with days of cover under the warning (critical) line."""
    alerts = []
    for row in _records(cover):
        days = number(row["days_of_cover"])
        if days < th.days_of_cover_warning:  # False for NaN: no consumption, no cover to judge
            alerts.append(
                Alert(
                    "critical" if days < th.days_of_cover_critical else "warning",
                    "supplies_cover",
                    row["district_code"],
                    days,
                    "supplies",
                    {"item": row["item_code"], "threshold": th.days_of_cover_warning},
                )
            )
    return alerts


def testing_alerts(daily: Rows, day: dt.date, th: Thresholds) -> list[Alert]:
    """Per area: backlog rising for N days in a row up to ``day``; turnaround p90 above the
    line on ``day``; positivity on ``day`` above the warning (critical) line.

    ``daily`` holds one row per area and day (``testing_daily_by_area``); only areas with a
    row for ``day`` are judged."""
    by_area: dict[str, list[Mapping]] = {}
    for row in sorted(_records(daily), key=lambda r: (r["area_code"], as_date(r["day"]))):
        if as_date(row["day"]) <= day:
            by_area.setdefault(row["area_code"], []).append(row)
    n = th.backlog_rising_days + 1  # the backlog's last N + 1 rows, each above the one before
    alerts = []
    for area_code, rows in by_area.items():
        today = rows[-1]
        if as_date(today["day"]) != day:
            continue
        backlog = [number(r["backlog"]) for r in rows[-n:]]
        # A step from or to an unknown backlog does not break the run (as pandas' diff).
        up = all(not later <= earlier for earlier, later in itertools.pairwise(backlog))
        if len(backlog) == n and up and backlog[-1] > 0:
            alerts.append(
                Alert(
                    "warning",
                    "testing_backlog",
                    area_code,
                    backlog[-1],
                    "testing",
                    {"days": th.backlog_rising_days, "query": {"range": "7d"}},
                )
            )
        turnaround = number(today["turnaround_p90_h"])
        if turnaround > th.turnaround_p90_hours:
            alerts.append(
                Alert(
                    "warning",
                    "testing_turnaround",
                    area_code,
                    turnaround,
                    "testing",
                    {"threshold": th.turnaround_p90_hours, "query": {"range": "7d"}},
                )
            )
        tested = number(today["samples_tested"])
        rate = positivity(today["positives"], tested)
        if tested >= th.positivity_min_tested and rate > th.positivity_warning:
            alerts.append(
                Alert(
                    "critical" if rate > th.positivity_critical else "warning",
                    "testing_positivity",
                    area_code,
                    rate,
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


def fever_alerts(figures: Rows, th: Thresholds) -> list[Alert]:
    """The fever rule on each checkpoint's figures (``checkpoint_fever_figures``): its rate
    on the day against its own rate over the days before it. With no fever at all in
    those days, a handful of cases is already far above normal: the reference is then one
    case among the people of an average day."""
    alerts = []
    for row in _records(figures):
        fever = number(row["fever"])
        rate = per_100k(fever, row["people"])  # per 100,000 people checked
        baseline = per_100k(row["baseline_fever"], row["baseline_people"])
        average_day = number(row["baseline_people"]) / max(number(row["baseline_days"]), 1.0)
        reference = baseline if baseline > 0 else per_100k(1.0, average_day)
        if fever >= th.fever_min_cases and reference != 0 and rate >= th.fever_ratio * reference:  # False for NaN
            alerts.append(
                Alert(
                    "warning",
                    "checkpoint_fever",
                    row["area_code"],
                    rate,
                    "checkpoints",
                    {
                        "checkpoint_zh": row["name_zh"],
                        "checkpoint_en": row["name_en"],
                        "baseline": round(baseline, 2) if not math.isnan(baseline) else 0.0,
                        "fever": int(fever),
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


def vaccination_alerts(now: Rows, at_start: Rows, day: dt.date, start_day: dt.date, th: Thresholds) -> list[Alert]:
    """Areas whose booster coverage on ``day`` is more than ``booster_behind_points``
    percentage points behind the target curve (which starts from their own coverage on
    ``start_day``)."""
    alerts = []
    start = {row["area_code"]: number(row["coverage_booster"]) for row in _records(at_start)}
    for row in _records(now):
        coverage = number(row["coverage_booster"])
        if row["area_code"] not in start or math.isnan(coverage):
            continue
        target = booster_target_on(day, start_day, start[row["area_code"]], th)
        if round((target - coverage) * 100, 9) > th.booster_behind_points:
            alerts.append(
                Alert("warning", "vaccination_behind", row["area_code"], coverage, "vaccination", {"target": round(target, 4)})
            )
    return alerts


def missing_report_alerts(completeness: Rows, area_code: str, th: Thresholds) -> list[Alert]:
    """Report types with units that have not reported for the day (零报告 rule)."""
    return [
        Alert(
            "warning",
            "missing_reports",
            area_code,
            float(row["missing"]),
            "data_intake",
            {"report_type": row["report_type"], "expected": int(row["expected"])},
        )
        for row in _records(completeness)
        if row["missing"] >= th.missing_reports_warning
    ]


def isolation_site_alerts(sites: Rows, th: Thresholds) -> list[Alert]:
    """Per isolation site that reported the day (``isolation.site_load`` as of it): its
    rooms occupied above the warning (critical) share of its rooms; and, for a site not
    yet full, fewer days until full at the last 7 days' net intake than the warning
    (critical) line. A full site is the occupancy rule's, not "0 days until full"."""
    alerts = []
    for row in _records(sites):
        if not row["reported"]:
            continue
        site = {"site": row["code"], "site_zh": row["name_zh"], "site_en": row["name_en"]}
        occupancy, days = number(row["occupancy"]), number(row["days_until_full"])
        if occupancy > th.site_occupancy_warning:
            alerts.append(
                Alert(
                    "critical" if occupancy > th.site_occupancy_critical else "warning",
                    "isolation_occupancy",
                    row["area_code"],
                    occupancy,
                    "isolation",
                    {**site, "threshold": th.site_occupancy_warning},
                )
            )
        if number(row["free_rooms"]) > 0 and days < th.days_until_full_warning:  # filling, not yet full
            alerts.append(
                Alert(
                    "critical" if days < th.days_until_full_critical else "warning",
                    "isolation_days_until_full",
                    row["area_code"],
                    days,
                    "isolation",
                    {**site, "threshold": th.days_until_full_warning},
                )
            )
    return alerts


def overdue_release_alerts(by_area: Rows, th: Thresholds) -> list[Alert]:
    """Areas (``isolation.people_by_area`` as of the day: one level below the scope, down
    to streets) holding at least ``overdue_release_warning`` people past their release date."""
    return [
        Alert("warning", "isolation_overdue", row["area_code"], float(row["overdue"]), "isolation", {"held": int(row["held"])})
        for row in _records(by_area)
        if row["overdue"] >= th.overdue_release_warning
    ]


def category_rising_alerts(by_category: Rows, area_code: str, day: dt.date, th: Thresholds) -> list[Alert]:
    """Categories whose people under management (held at the day's end, every measure)
    rose on each of the ``category_rising_days`` days up to ``day``, to at least
    ``category_rising_min_held``. ``by_category``: per day and category
    (``isolation.people_by_category_daily``); a category without a row on a day that has
    reports held nobody; a day without any report is not judged (nor its category's run)."""
    n = th.category_rising_days
    days = [day - dt.timedelta(days=k) for k in range(n, -1, -1)]
    held: dict[tuple, float] = {}  # (day, category): people held, a few rows added up
    for row in _records(by_category):
        key = (as_date(row["day"]), row["category"])
        held[key] = held.get(key, 0.0) + float(row["held"])
    reported = {key[0] for key in held}
    if not held or not all(d in reported for d in days):  # a day without any report: not judged
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


def inspection_alerts(by_street: Rows, start: dt.date, day: dt.date, th: Thresholds) -> list[Alert]:
    """Per street (``inspections.inspections_by_area`` by street over ``start``–``day``, the
    last ``inspection_pass_rate_days`` days): problems overdue for rectification at the end
    of ``day``, at least ``inspection_overdue_warning`` (critical from ``…_critical``); and
    the pass rate over those days below ``inspection_pass_rate_warning`` (critical below
    ``…_critical``), judged only on at least ``inspection_pass_rate_min_checks`` entity
    checks: one failure among two checks is no trend."""
    days = {"range": "custom", "start": start.isoformat(), "end": day.isoformat()}
    alerts = []
    for row in _records(by_street):
        checks = number(row["inspections"])
        rate = ratio(row["inspections_passed"], checks)
        if row["overdue"] >= th.inspection_overdue_warning:
            alerts.append(
                Alert(
                    "critical" if row["overdue"] >= th.inspection_overdue_critical else "warning",
                    "inspections_overdue",
                    row["area_code"],
                    float(row["overdue"]),
                    "inspections",
                    {
                        "open": int(row["open_problems"]),
                        "query": {"range": "custom", "start": day.isoformat(), "end": day.isoformat()},
                    },
                )
            )
        if checks >= th.inspection_pass_rate_min_checks and rate < th.inspection_pass_rate_warning:
            alerts.append(
                Alert(
                    "critical" if rate < th.inspection_pass_rate_critical else "warning",
                    "inspections_pass_rate",
                    row["area_code"],
                    rate,
                    "inspections",
                    {
                        "checks": int(checks),
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
    return supplies_cover_alerts(supplies.district_cover(scope.with_days(day - dt.timedelta(days=6), day), engine), th)


def testing_rule(scope: Scope, engine: Engine, th: Thresholds) -> list[Alert]:
    day = scope.end
    recent = scope.with_days(day - dt.timedelta(days=max(th.backlog_rising_days, 1)), day)
    return testing_alerts(testing_rows(recent, engine), day, th)


def checkpoint_fever_rule(scope: Scope, engine: Engine, th: Thresholds) -> list[Alert]:
    return fever_alerts(fever_figure_rows(scope, scope.end, th.fever_baseline_days, th.fever_min_cases, engine), th)


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
    by_category = isolation.category_daily_rows(recent, engine)
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
    # Each rule's reads on one connection of its own (``scope.on_one_connection``).
    found = run_all([on_one_connection(engine, partial(rule, scope, engine, th)) for rule in RULES], LONGEST_FIRST)
    return sort_alerts([alert for alerts in found for alert in alerts])


def _first_vaccination_day(engine: Engine) -> dt.date | None:
    (value,) = plain_rows(engine, select(func.min(vaccination_daily.c.day)))[0]
    return None if value is None else as_date(value)
