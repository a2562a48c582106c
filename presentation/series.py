"""Pure transforms of daily frames for cards and charts (no Streamlit, no SQL)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class DayFigure:
    """A figure on a day, the day before, and its recent values (for a sparkline)."""

    value: float | None
    previous: float | None
    sparkline: list[float]

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def day_figure(daily: pd.DataFrame, column: str, day: dt.date, spark_days: int = 30) -> DayFigure:
    """``column`` on ``day`` and on the day before (None when that day has no row), and the
    last ``spark_days`` days up to ``day`` with missing days as gaps filled by 0."""
    if daily is None or daily.empty or column not in daily:
        return DayFigure(None, None, [])
    by_day = daily.set_index("day")[column]
    value = by_day.get(day)
    previous = by_day.get(day - dt.timedelta(days=1))
    days = pd.date_range(end=pd.Timestamp(day), periods=spark_days, freq="D").date
    spark = by_day.reindex(days)
    spark = spark[spark.first_valid_index() :] if spark.first_valid_index() is not None else spark.iloc[:0]
    return DayFigure(
        None if value is None or pd.isna(value) else float(value),
        None if previous is None or pd.isna(previous) else float(previous),
        [float(v) for v in spark.fillna(0).tolist()],
    )


def days_of_cover_series(item_daily: pd.DataFrame, window: int = 7) -> pd.Series:
    """Per day: closing stock ÷ mean outbound over the ``window`` days up to that day."""
    if item_daily.empty:
        return pd.Series(dtype=float)
    consumption = item_daily["outbound_frontline"].astype(float).rolling(window, min_periods=1).mean()
    cover = item_daily["closing_stock"].astype(float) / consumption.where(consumption > 0)
    return pd.Series(cover.to_numpy(), index=item_daily["day"])


def top_and_bottom(frame: pd.DataFrame, column: str, n: int = 3) -> tuple[set, set]:
    """Index labels of the ``n`` highest and ``n`` lowest rows by ``column`` (NaN ignored)."""
    valid = frame[column].dropna()
    if len(valid) <= n:
        return set(valid.nlargest(1).index), set(valid.nsmallest(1).index) if len(valid) > 1 else set()
    return set(valid.nlargest(n).index), set(valid.nsmallest(n).index)


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before ``start``–``end``."""
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


def period_sums(daily: pd.DataFrame, columns: list[str], start: dt.date, end: dt.date) -> pd.Series | None:
    """Column sums over days ``start``–``end`` (None when no day in it has data)."""
    if daily is None or daily.empty:
        return None
    rows = daily[(daily["day"] >= start) & (daily["day"] <= end)]
    if rows.empty:
        return None
    return rows[columns].sum()
