"""KPI cards as plain data: a figure of the catalogue, its value for the selected range,
its change against the period before and a sparkline. Streamlit draws them (ui.components)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from presentation import formatting as fmt
from presentation.catalogue import NEITHER, metric
from presentation.series import period_sums, previous_period
from presentation.text import text


@dataclass(frozen=True)
class Kpi:
    """One card: label, value text, change text, sparkline values, which direction is good
    (the change's colour) and the catalogue entry its help links to."""

    label: str
    value: str
    metric: str | None = None
    delta: str | None = None
    sparkline: Sequence[float] | None = None
    better: str = NEITHER
    delta_note: str | None = None  # what the change is against (None: the day before)
    neutral_delta: bool = False  # the delta is a note (an item's name), not a change
    flag: str | None = None  # a data check concerning this figure
    count: float | None = None  # the value as a number, for small-count suppression (presentation/suppression.py)


def card(key: str, value, lang: str, **fields) -> Kpi:
    """A card for catalogue figure ``key``: its name, its value in its unit."""
    entry = metric(key)
    value_text = value if isinstance(value, str) else fmt.figure(value, entry.unit, lang)
    if entry.unit in ("days", "hours") and value_text != fmt.DASH:
        value_text = fmt.with_unit(value_text, entry.unit, lang)
    return Kpi(label=entry.name(lang), value=value_text, metric=key, better=entry.better, **fields)


def period_cards(daily: pd.DataFrame, columns: dict[str, str], start: dt.date, end: dt.date, lang: str) -> list[Kpi]:
    """Cards for sums over ``start``–``end`` of daily columns (column → catalogue key), each
    with the change against the period of the same length before it and a sparkline (the
    range, or the last 30 days for a single day)."""
    current = period_sums(daily, list(columns), start, end)
    before = period_sums(daily, list(columns), *previous_period(start, end))
    one_day = start == end
    spark_start = end - dt.timedelta(days=29) if one_day else start
    in_range = daily[(daily["day"] >= spark_start) & (daily["day"] <= end)] if daily is not None and not daily.empty else None
    cards = []
    for column, key in columns.items():
        value = current[column] if current is not None else None
        change = value - before[column] if value is not None and before is not None else None
        cards.append(
            card(
                key,
                fmt.count(value, lang, compact=True),
                lang,
                delta=fmt.signed_count(change, lang, compact=True) if change is not None else None,
                sparkline=in_range[column].tolist() if in_range is not None else None,
                delta_note=text("common.vs_yesterday" if one_day else "common.vs_previous", lang),
                count=value,
            )
        )
    return cards


def with_flags(cards: list[Kpi], flags: dict[str, str]) -> list[Kpi]:
    """``cards`` with the data-check text of their figure (catalogue key → text) attached."""
    return [replace(c, flag=flags.get(c.metric)) if c.metric in flags else c for c in cards]
