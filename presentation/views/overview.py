"""The overview 总览 (and the wall's figures): one card per domain for a day, with the
change against the day before and a 30-day sparkline; reporting completeness and how
fresh each domain's data is."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from presentation import formatting as fmt
from presentation.kpis import Kpi, card
from presentation.series import day_figure
from presentation.tables import display_frame
from presentation.text import text


def day_card(key: str, daily: pd.DataFrame, column: str, day: dt.date, lang: str) -> Kpi:
    """Catalogue figure ``key`` on ``day`` (``column`` of a daily frame), its change
    against the day before and its last 30 days."""
    figure = day_figure(daily, column, day)
    return card(
        key,
        fmt.count(figure.value, lang, compact=True),
        lang,
        delta=fmt.signed_count(figure.change, lang, compact=True) if figure.change is not None else None,
        sparkline=figure.sparkline,
        count=figure.value,
    )


def reported_day_card(key: str, daily: pd.DataFrame, column: str, day: dt.date, lang: str) -> Kpi | None:
    """``day_card`` for a domain a centre may not run at all (isolation, inspections): no
    card when nothing was reported in the month, rather than a dash every day."""
    return None if daily.empty else day_card(key, daily, column, day, lang)


def coverage_card(key: str, column: str, now: pd.DataFrame, before: pd.DataFrame, lang: str) -> Kpi | None:
    """A coverage figure as of the day, and its change in percentage points since the day before."""
    if now.empty:
        return None
    value = now[column].iloc[0]
    previous = before[column].iloc[0] if not before.empty else None
    delta = fmt.signed_percent_points(value - previous, lang) if previous is not None and pd.notna(previous) else None
    return card(key, fmt.percent(value, lang), lang, delta=delta)


def missing_reports_card(completeness: pd.DataFrame, lang: str) -> Kpi | None:
    """Units that have not reported for the day, of those expected to."""
    if completeness.empty:
        return None
    missing, expected = int(completeness["missing"].sum()), int(completeness["expected"].sum())
    value = f"{fmt.count(missing, lang)} / {fmt.count(expected, lang)}"
    return card(
        "reporting.missing", value, lang, delta=text("overview.kpi.missing_note", lang) if missing else None, neutral_delta=True
    )


def grid_red_orange(grid_days: pd.DataFrame) -> pd.DataFrame:
    if grid_days.empty:
        return grid_days
    return grid_days.assign(red_orange=grid_days["units_red"] + grid_days["units_orange"])


def freshness_table(freshness: pd.DataFrame, lang: str) -> pd.DataFrame:
    if freshness is None or freshness.empty:
        return pd.DataFrame()
    shown = freshness.assign(
        domain_name=freshness["domain"].map(lambda d: text(f"domain.{d}", lang)),
        last_day_text=freshness["last_day"].map(lambda d: fmt.day(d, lang)),
        last_report_text=freshness["last_reported_at"].map(lambda v: fmt.local_time(v, lang)),
    )
    return display_frame(
        shown,
        {"domain_name": "common.measure", "last_day_text": "overview.last_day", "last_report_text": "overview.last_report"},
        lang,
    )


def completeness_table(completeness: pd.DataFrame, lang: str) -> pd.DataFrame:
    if completeness.empty:
        return completeness
    shown = completeness.assign(report_type_name=completeness["report_type"].map(lambda r: text(f"report_type.{r}", lang)))
    return display_frame(
        shown,
        {
            "report_type_name": "overview.report_type",
            "expected": "reporting.expected",
            "reported": "reporting.reported",
            "missing": "reporting.missing",
        },
        lang,
    )
