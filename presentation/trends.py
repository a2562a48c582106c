"""Which days a view loads and draws: a period and the one before it (for changes), at
least 30 days (for sparklines), and the trend context of a short range (pure)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from presentation import charts
from presentation.catalogue import name
from presentation.series import previous_period
from presentation.tables import display_frame, mark_selected

CONTEXT_BELOW_DAYS = 7  # a range shorter than this is drawn with the days before it
CONTEXT_DAYS = 30
SPARK_DAYS = 30


def load_window(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """Days to load for a view's cards and trends: the previous period of the same length,
    the last 30 days (sparklines), and the 30 days before a short range (its context)."""
    previous_start, _ = previous_period(start, end)
    first = min(previous_start, end - dt.timedelta(days=SPARK_DAYS - 1))
    if needs_context(start, end):
        first = min(first, start - dt.timedelta(days=CONTEXT_DAYS))
    return first, end


def needs_context(start: dt.date, end: dt.date) -> bool:
    return (end - start).days + 1 < CONTEXT_BELOW_DAYS


def trend(daily: pd.DataFrame, start: dt.date, end: dt.date) -> tuple[pd.DataFrame, tuple[dt.date, dt.date] | None]:
    """The rows a time chart draws, and the selection to highlight in it: the range
    itself when it is a week or longer (no highlight), else the range with the 30 days
    before it, the range highlighted."""
    if daily is None or daily.empty:
        return daily, None
    if not needs_context(start, end):
        return daily[(daily["day"] >= start) & (daily["day"] <= end)].reset_index(drop=True), None
    first = start - dt.timedelta(days=CONTEXT_DAYS)
    return daily[(daily["day"] >= first) & (daily["day"] <= end)].reset_index(drop=True), (start, end)


def in_range(daily: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    if daily is None or daily.empty:
        return daily
    return daily[(daily["day"] >= start) & (daily["day"] <= end)].reset_index(drop=True)


def series_names(columns: dict[str, str], lang: str) -> dict[str, str]:
    """Column → the name of its catalogue figure (a chart's series labels)."""
    return {column: name(key, lang) for column, key in columns.items()}


def trend_chart(daily: pd.DataFrame, start: dt.date, end: dt.date, columns: dict[str, str], lang: str, secondary=(), colors=None):
    """A daily line chart of ``columns`` (column → catalogue key), with a short range's
    context, and its table: (chart or None, table)."""
    rows, selected = trend(daily, start, end)
    if rows is None or rows.empty:
        return None, pd.DataFrame()
    chart = charts.line_chart(
        rows, "day", series_names(columns, lang), lang, colors=colors, secondary=secondary, selected=selected
    )
    return chart, trend_table(rows, columns, selected, lang)


def trend_table(rows: pd.DataFrame, columns: dict[str, str], selected, lang: str) -> pd.DataFrame:
    """A trend's table: its day and ``columns`` (column → catalogue key), the selected days
    marked when the trend shows more than them."""
    return mark_selected(display_frame(rows, {"day": "common.day", **columns}, lang), rows["day"], selected, lang)
