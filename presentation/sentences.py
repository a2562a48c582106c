"""Alerts and data checks as sentences in the reader's language: one sentence per alert
or check, with its figures formatted for that language (pure; pages, the wall, the
briefing and the command line all say them the same way)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

from data_access.alerts import Alert
from data_access.data_checks import AS_OF_CHECKS, DataCheck
from presentation import formatting as fmt
from presentation.catalogue import METRICS
from presentation.tables import name_column
from presentation.text import join, text

# How each alert rule's figure reads.
_ALERT_FIGURE = {
    "supplies_cover": lambda v, lang: fmt.decimal(v, lang),
    "testing_backlog": lambda v, lang: fmt.count(v, lang),
    "testing_turnaround": lambda v, lang: fmt.decimal(v, lang),
    "testing_positivity": lambda v, lang: fmt.percent(v, lang, 3),
    "checkpoint_fever": lambda v, lang: fmt.decimal(v, lang),
    "vaccination_behind": lambda v, lang: fmt.percent(v, lang),
    "missing_reports": lambda v, lang: fmt.count(v, lang),
    "isolation_occupancy": lambda v, lang: fmt.percent(v, lang),
    "isolation_days_until_full": lambda v, lang: fmt.decimal(v, lang),
    "isolation_overdue": lambda v, lang: fmt.count(v, lang),
    "isolation_rising": lambda v, lang: fmt.count(v, lang),
    "inspections_overdue": lambda v, lang: fmt.count(v, lang),
    "inspections_pass_rate": lambda v, lang: fmt.percent(v, lang),
}


# The figure each alert rule watches (its name and definition are the alert line's help).
ALERT_METRIC = {
    "supplies_cover": "supplies.district_cover",
    "testing_backlog": "testing.backlog",
    "testing_turnaround": "testing.turnaround_p90",
    "testing_positivity": "testing.positivity",
    "checkpoint_fever": "checkpoints.fever_per_100k",
    "vaccination_behind": "vaccination.coverage_booster",
    "missing_reports": "reporting.missing",
    "isolation_occupancy": "isolation.occupancy",
    "isolation_days_until_full": "isolation.days_until_full",
    "isolation_overdue": "isolation.overdue",
    "isolation_rising": "isolation.held",
    "inspections_overdue": "inspections.overdue",
    "inspections_pass_rate": "inspections.pass_rate",
}


def figure_help(key: str, lang: str) -> str | None:
    """A figure's name, definition and formula, for the help of a line that concerns it."""
    if key not in METRICS:
        return None
    entry = METRICS[key]
    return f"**{entry.name(lang)}**: {entry.definition(lang)}  \n`{entry.formula(lang)}`"


def alert_text(alert: Alert, lang: str, area_names: dict[str, str], item_names: dict[str, str]) -> str:
    """The alert as one sentence, figures formatted for ``lang``."""
    d = alert.details
    fields = {"area": area_names.get(alert.area_code, alert.area_code), "figure": _ALERT_FIGURE[alert.rule](alert.figure, lang)}
    if alert.rule == "supplies_cover":
        fields |= {"item": item_names.get(d["item"], d["item"]), "threshold": f"{d['threshold']:g}"}
    elif alert.rule == "testing_backlog":
        fields |= {"days": d["days"]}
    elif alert.rule == "testing_turnaround":
        fields |= {"threshold": f"{d['threshold']:g}"}
    elif alert.rule == "testing_positivity":
        fields |= {"threshold": fmt.percent(d["threshold"], lang, 3)}
    elif alert.rule == "checkpoint_fever":
        checkpoint = d.get(f"checkpoint_{lang}", d["checkpoint_en"])
        fields |= {"checkpoint": checkpoint, "baseline": fmt.decimal(d["baseline"], lang, 2)}
    elif alert.rule == "vaccination_behind":
        fields |= {"target": fmt.percent(d["target"], lang)}
    elif alert.rule == "missing_reports":
        fields |= {"report_type": text(f"report_type.{d['report_type']}", lang), "expected": d["expected"]}
    elif alert.rule == "isolation_occupancy":
        fields |= {"site": d.get(f"site_{lang}", d["site_en"]), "threshold": fmt.percent(d["threshold"], lang, 0)}
    elif alert.rule == "isolation_days_until_full":
        fields |= {"site": d.get(f"site_{lang}", d["site_en"]), "threshold": f"{d['threshold']:g}"}
    elif alert.rule == "isolation_rising":
        fields |= {"category": text(f"isolation.category.{d['category']}", lang), "days": d["days"]}
    elif alert.rule == "inspections_overdue":
        fields |= {"open": fmt.count(d["open"], lang)}
    elif alert.rule == "inspections_pass_rate":
        fields |= {
            "days": d["days"],
            "checks": fmt.count(d["checks"], lang),
            "threshold": fmt.percent(d["threshold"], lang, 0),
        }
    return text(f"alerts.rule.{alert.rule}", lang, **fields)


# ------------------------------------------------------------------ data checks
MAX_DAYS_LISTED = 8  # runs of days named in a grouped line, then "…"


def _sep(lang: str) -> str:
    return text("sentence.separator", lang)


def metric_name(metric: str, lang: str) -> str:
    """A figure's name from the metric catalogue (its key when the catalogue lacks it)."""
    return METRICS[metric].name(lang) if metric in METRICS else metric


def _unit(details: dict, lang: str) -> str:
    name = details.get(name_column(lang))
    return name or details.get("unit") or "—"


def _more(details: dict, lang: str) -> str:
    n = int(details.get("n") or 1)
    return text("checks.more_units", lang, n=n - 1) if n > 1 else ""


def check_text(check: DataCheck, lang: str) -> str:
    """One check as a sentence in ``lang``."""
    domain = text(f"domain.{check.domain}", lang)
    day = fmt.day(check.day, lang) if check.day is not None else "—"
    d = check.details
    if check.check == "tested_above_collected":
        return text(
            "checks.tested_above_collected",
            lang,
            day=day,
            figure=fmt.count(check.figure, lang),
            available=fmt.count(d["available"], lang),
        )
    if check.check == "doses_above_delivered":
        where = d.get(name_column(lang)) or d.get("area_code") or text(f"domain.{check.domain}", lang)
        return text(
            "checks.doses_above_delivered",
            lang,
            where=where,
            day=day,
            figure=fmt.count(check.figure, lang),
            delivered=fmt.count(d["delivered"], lang),
        )
    if check.check == "cumulative_down":
        return text("checks.cumulative_down", lang, domain=domain, day=day, figure=fmt.count(check.figure, lang))
    if check.check == "jump":
        return text(
            "checks.jump", lang, domain=domain, day=day, figure=fmt.count(check.figure, lang), median=fmt.count(d["median"], lang)
        )
    if check.check == "positives_above_tested":
        return text(
            "checks.positives_above_tested", lang,
            day=day, unit=_unit(d, lang), figure=fmt.count(check.figure, lang), limit=fmt.count(d["limit"], lang), more=_more(d, lang),
        )  # fmt: skip
    if check.check == "doses_above_capacity":
        return text(
            "checks.doses_above_capacity", lang,
            day=day, unit=_unit(d, lang), figure=fmt.count(check.figure, lang), capacity=fmt.count(d["capacity"], lang),
            factor=fmt.setting(d["factor"], lang), limit=fmt.count(d["limit"], lang), more=_more(d, lang),
        )  # fmt: skip
    if check.check == "above_lane_capacity":
        fields = {
            "day": day, "unit": _unit(d, lang), "what": metric_name(check.metric, lang), "figure": fmt.count(check.figure, lang),
            "lanes": fmt.count(d["lanes"], lang), "per_lane": fmt.count(d["per_lane_hour"], lang), "limit": fmt.count(d["limit"], lang),
            "more": _more(d, lang),
        }  # fmt: skip
        if d.get("hour") is not None:
            return text("checks.above_lane_capacity_hour", lang, hour=int(d["hour"]), **fields)
        return text(
            "checks.above_lane_capacity_day",
            lang,
            hours=fmt.setting(d["hours"], lang),
            **fields,
        )
    if check.check == "single_room":
        return text(
            "checks.single_room", lang,
            day=day, unit=_unit(d, lang), figure=fmt.count(check.figure, lang), rooms=fmt.count(d["limit"], lang), more=_more(d, lang),
        )  # fmt: skip
    if check.check in ("passed_above_checks", "overdue_above_open"):
        return text(
            f"checks.{check.check}", lang,
            day=day, unit=_unit(d, lang), figure=fmt.count(check.figure, lang), limit=fmt.count(d["limit"], lang), more=_more(d, lang),
        )  # fmt: skip
    if check.check == "coverage_above_population":
        if d.get("breakdown") == "age_group":
            where = text("checks.where_age", lang, age=d.get("age_group", "—"))
        else:
            where = d.get(name_column(lang)) or d.get("area_code") or "—"
        return text(
            "checks.coverage_above_population", lang,
            where=where, what=metric_name(check.metric, lang), figure=fmt.percent(check.figure, lang), day=day,
            people=fmt.count(d["people"], lang), population=fmt.count(d["population"], lang),
        )  # fmt: skip
    return text(
        "checks.stale",
        lang,
        domain=domain,
        day=day,
        expected=fmt.day(check.details["expected"], lang),
        figure=fmt.count(check.figure, lang),
    )


# ------------------------------------------------------------------ several days of one check
def day_runs(days: Iterable[dt.date], lang: str) -> str:
    """Days as a short list, consecutive days as one run: 4月1日–4月3日、4月7日 /
    1 Apr–3 Apr, 7 Apr (with the year when they span more than one)."""
    ordered = sorted(set(days))
    if not ordered:
        return ""
    one_year = ordered[0].year == ordered[-1].year
    shown = (lambda d: fmt.short_day(d, lang)) if one_year else (lambda d: fmt.day(d, lang))
    runs: list[tuple[dt.date, dt.date]] = []
    for day in ordered:
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    parts = [shown(a) if a == b else f"{shown(a)}–{shown(b)}" for a, b in runs]
    if len(parts) > MAX_DAYS_LISTED:
        parts = [*parts[: MAX_DAYS_LISTED - 1], "…", parts[-1]]
    return join(parts, lang)


def group_key(check: DataCheck) -> tuple:
    """Checks that are the same finding on different days share this key."""
    d = check.details
    return (check.check, check.domain, check.metric, d.get("breakdown"), d.get("area_code"), d.get("age_group"))


def grouped(checks: list[DataCheck]) -> list[list[DataCheck]]:
    """The checks grouped by finding (in the order each first appears), each group by day."""
    groups: dict[tuple, list[DataCheck]] = {}
    for check in checks:
        groups.setdefault(group_key(check), []).append(check)
    return [sorted(group, key=lambda c: (c.day is None, c.day or dt.date.min)) for group in groups.values()]


def group_text(group: list[DataCheck], lang: str) -> str:
    """One line for a finding: the check's sentence, or — found on several days — which
    days, then the latest day's sentence."""
    days = [c.day for c in group if c.day is not None]
    if len(set(days)) <= 1:
        return _sep(lang).join(check_text(c, lang) for c in group)
    latest = group[-1]
    name = text(
        f"checks.name.{latest.check}", lang, domain=text(f"domain.{latest.domain}", lang), what=metric_name(latest.metric, lang)
    )
    return text("checks.on_days", lang, name=name, n=len(set(days)), days=day_runs(days, lang), text=check_text(latest, lang))


def grouped_texts(checks: list[DataCheck], lang: str) -> list[str]:
    """The check list's lines: one per finding, naming its days."""
    return [group_text(group, lang) for group in grouped(checks)]


def _flags(checks: list[DataCheck], lang: str, key) -> dict[str, str]:
    by: dict[str, list[DataCheck]] = {}
    for check in checks:
        by.setdefault(key(check), []).append(check)
    return {name: _sep(lang).join(grouped_texts(found, lang)) for name, found in by.items()}


def flags_by_metric(checks: list[DataCheck], lang: str) -> dict[str, str]:
    """Per metric-catalogue key (``testing.positives``), the text of the checks concerning
    that figure: the flag of its KPI card."""
    return _flags(checks, lang, lambda check: check.metric)


# ------------------------------------------------------------------ table rows
def _detail_values(check: DataCheck, name: str) -> list | None:
    """The values of a check's detail ``name`` a row may match: for ``unit``, every unit
    the check concerns; None when the check has no such detail."""
    if name == "unit" and "units" in check.details:
        return list(check.details["units"])
    if name in check.details and check.details[name] is not None:
        return [check.details[name]]
    return None


def flag_rows(
    table,
    checks: list[DataCheck],
    domain: str,
    lang: str,
    day_column: str | None = None,
    *,
    metrics: Iterable[str] | None = None,
    match: dict[str, str] | None = None,
):
    """``table`` with a data-check column naming what is wrong with the rows concerned.

    Rows are found by ``day_column`` (the day a row is about: a table of one row per day)
    and/or ``match`` (a check's detail → the table's column holding it: ``{"unit": "Code"}``
    flags the rows of the checkpoints or sites a check names, ``{"age_group": "Age
    group"}`` or ``{"area_code": …}`` the coverage rows). Only checks of ``domain`` count,
    and of ``metrics`` (metric-catalogue keys) when given. Stale data is no row's problem,
    and coverage above 100 % (as of the range's end) is matched by its details only, never
    by a day row. Returns ``table`` itself when no row is flagged.
    """
    if table is None or table.empty:
        return table
    keys = list(match or {})
    if day_column is None and not keys:
        return table
    wanted = set(metrics) if metrics is not None else None
    found: dict[tuple, list[str]] = {}
    for check in checks:
        if check.domain != domain or (wanted is not None and check.metric not in wanted) or check.check == "stale":
            continue
        if check.check in AS_OF_CHECKS and not keys:
            continue
        if day_column is not None and check.day is None:
            continue
        values = [_detail_values(check, k) for k in keys]
        if any(v is None for v in values):
            continue
        sentence = check_text(check, lang)
        for combination in itertools.product(*values):
            found.setdefault(((check.day,) if day_column is not None else ()) + combination, []).append(sentence)
    if not found:
        return table
    columns = ([day_column] if day_column is not None else []) + [match[k] for k in keys]
    row_keys = zip(*(table[c].tolist() for c in columns), strict=True)
    flags = ["⚠ " + _sep(lang).join(found[key]) if key in found else "" for key in row_keys]
    if not any(flags):
        return table
    return table.assign(**{text("checks.flag", lang): flags})
