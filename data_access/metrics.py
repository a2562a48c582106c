"""Pure calculations on aggregated figures (no SQL): ratios, days of cover, coverage.

Each works element-wise on numbers or pandas Series and gives NaN where the
denominator is zero or missing, so "no data" never shows as 0 % or infinity.
"""

from __future__ import annotations

import pandas as pd


def number(value) -> float:
    """One figure as a float: NaN for none (SQL NULL, pandas NA or NaN)."""
    return float("nan") if value is None or pd.isna(value) else float(value)


def _as_float(values) -> pd.Series | float:
    if isinstance(values, pd.Series):
        return values.astype(float)
    return number(values)


def ratio(numerator, denominator):
    """numerator ÷ denominator, NaN where the denominator is 0 or missing."""
    num, den = _as_float(numerator), _as_float(denominator)
    if isinstance(den, pd.Series):
        return num / den.where(den > 0)
    return num / den if den and den > 0 else float("nan")


def per_100k(count, population):
    """Cases per 100,000 (e.g. fever found per 100,000 people checked)."""
    return ratio(count, population) * 100_000


def positivity(positives, tested):
    """阳性率: positives ÷ samples tested."""
    return ratio(positives, tested)


def days_of_cover(stock, daily_consumption):
    """可保障天数: stock on hand ÷ recent average daily consumption."""
    return ratio(stock, daily_consumption)


def capacity_gap(daily_demand, daily_capacity):
    """产能缺口: demand − local capacity per day (positive = short, negative = spare)."""
    return _as_float(daily_demand) - _as_float(daily_capacity)


def coverage(people_covered, population):
    """接种/检测覆盖率: people covered ÷ target population."""
    return ratio(people_covered, population)
