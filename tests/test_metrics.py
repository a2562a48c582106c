"""Pure calculations (data_access.metrics) with hand-worked numbers; no database."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from data_access.metrics import capacity_gap, coverage, days_of_cover, per_100k, positivity, ratio

NAN = float("nan")


def series(*values) -> pd.Series:
    return pd.Series(values, dtype=float)


def test_ratio_of_numbers():
    assert ratio(3, 4) == 0.75
    assert ratio(0, 7) == 0.0
    assert isinstance(ratio(1, 2), float)


@pytest.mark.parametrize(("numerator", "denominator"), [(1, 0), (0, 0), (1, None), (None, 4), (5, -1), (1, NAN)])
def test_ratio_without_a_positive_denominator_is_nan(numerator, denominator):
    assert math.isnan(ratio(numerator, denominator))


def test_ratio_of_series():
    result = ratio(pd.Series([1, 2, 3, 4]), pd.Series([2, 0, None, 8]))
    assert result.tolist() == pytest.approx([0.5, NAN, NAN, 0.5], nan_ok=True)
    # integer and nullable-integer series (as the database returns them) work the same
    nullable = ratio(pd.Series([6, 9], dtype="Int64"), pd.Series([3, pd.NA], dtype="Int64"))
    assert nullable.tolist() == pytest.approx([2.0, NAN], nan_ok=True)
    assert ratio(pd.Series([10, 20]), 4).tolist() == [2.5, 5.0]


def test_ratio_of_decimals_from_postgresql():
    from decimal import Decimal

    assert ratio(pd.Series([Decimal("1.5"), Decimal("3")], dtype=object), pd.Series([3, 4])).tolist() == [0.5, 0.75]


def test_per_100k():
    # Jiading: 194 fever cases in 6.81 M temperature checks = 194 / 6,810,000 × 100,000 ≈ 2.8488
    assert per_100k(194, 6_810_000) == pytest.approx(2.848752, rel=1e-6)
    # 3 in 124,000 people = 2.4194 per 100,000
    assert per_100k(3, 124_000) == pytest.approx(2.419355, rel=1e-6)
    assert math.isnan(per_100k(1, 0))
    assert per_100k(series(1, 5), series(100_000, 0)).tolist() == pytest.approx([1.0, NAN], nan_ok=True)


def test_positivity():
    assert positivity(2, 400) == 0.005  # 2 ÷ 400
    assert math.isnan(positivity(0, 0))


def test_days_of_cover():
    assert days_of_cover(250_000, 50_000) == 5.0  # stock ÷ daily use
    assert days_of_cover(100, 40) == 2.5
    assert math.isnan(days_of_cover(100, 0))  # nothing used: cover unknown, not infinite
    assert days_of_cover(series(300, 0, 10), series(100, 100, 0)).tolist() == pytest.approx([3.0, 0.0, NAN], nan_ok=True)


def test_capacity_gap():
    # Jiading: demand 250,000 masks a day against 300,000 capacity → 50,000 spare (negative gap)
    assert capacity_gap(250_000, 300_000) == -50_000
    assert capacity_gap(1_200, 1_000) == 200
    assert capacity_gap(series(10, 0), series(4, 6)).tolist() == [6.0, -6.0]
    assert math.isnan(capacity_gap(None, 5))


def test_coverage():
    assert coverage(197, 200) == 0.985
    assert math.isnan(coverage(5, 0))
    assert coverage(series(50, 0), series(200, 0)).tolist() == pytest.approx([0.25, NAN], nan_ok=True)


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@given(numerator=finite, denominator=finite)
def test_ratio_of_a_number_matches_ratio_of_a_series(numerator, denominator):
    assert ratio(numerator, denominator) == pytest.approx(ratio(series(numerator), series(denominator)).iloc[0], nan_ok=True)
