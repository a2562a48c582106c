"""Small helpers the adapter tests share: building scopes and reading frames as plain rows."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from data_access.scope import Scope
from tests.fixtures_data import D1, D3


def scope(area_code: str, start: dt.date = D1, end: dt.date = D3) -> Scope:
    return Scope(area_code, start, end)


def _plain(value):
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def records(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    """The frame's ``columns`` as a list of tuples of plain Python values (NaN → None)."""
    return [tuple(_plain(v) for v in row) for row in frame[list(columns)].itertuples(index=False, name=None)]


def floats(frame: pd.DataFrame, column: str) -> list[float]:
    """A column as floats (for pytest.approx with nan_ok=True)."""
    return [float(v) if v is not None and not pd.isna(v) else float("nan") for v in frame[column].tolist()]


def by_day(frame: pd.DataFrame, column: str) -> dict[dt.date, float]:
    return {day: _plain(value) for day, value in zip(frame["day"], frame[column], strict=False)}


def utc_naive(value):
    """An instant as naive UTC: SQLite keeps naive UTC text, PostgreSQL answers in local time."""
    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value)
    return (stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp).to_pydatetime()
