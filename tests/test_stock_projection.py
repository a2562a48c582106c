"""The stock-out projection (presentation/stock_projection.py) on hand-built ledgers whose
answers are worked out by hand, and its back-test on series whose errors are known."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from presentation.stock_projection import (
    DAMPING,
    HORIZON_DAYS,
    WhatIf,
    at_risk,
    backtest,
    damped_trend,
    forecasters,
    last_day,
    project,
    stock_backtest,
    use_per_activity,
    week_mean,
)

END = dt.date(2022, 4, 30)
NAN = np.nan


def ledger(rows: dict[tuple[str, str], dict[str, list[float]]], days: int = 28) -> pd.DataFrame:
    """A ledger of the ``days`` days up to END: per (district, item), lists of daily figures
    (the last one is END's); a figure of None leaves that day unreported."""
    records = []
    for (district, item), columns in rows.items():
        for n in range(days):
            day = END - dt.timedelta(days=days - 1 - n)
            values = {name: series[n] for name, series in columns.items()}
            if any(v is None for v in values.values()):
                continue
            records.append(
                {
                    "district_code": district,
                    "item_code": item,
                    "day": day,
                    "outbound_frontline": 0,
                    "inbound_procured": 0,
                    "inbound_allocated": 0,
                    "inbound_donated": 0,
                    "production_capacity": 0,
                    **values,
                }
            )
    return pd.DataFrame(records)


def stock(*rows: tuple[str, str, int]) -> pd.DataFrame:
    """Stock on END, as ``supplies.days_of_cover_by_district`` reads it (names as codes)."""
    return pd.DataFrame(
        [(d, d, d, i, s) for d, i, s in rows],
        columns=["district_code", "district_name_zh", "district_name_en", "item_code", "stock"],
    )


def day(h: int) -> dt.date:
    return END + dt.timedelta(days=h)


def summary_of(projection, district: str, item: str) -> pd.Series:
    s = projection.summary
    return s[(s["district_code"] == district) & (s["item_code"] == item)].iloc[0]


# ---------------------------------------------------------------- use forecasts
def test_damped_trend_worked_by_hand():
    # y = 10, 20, (no report), 40 with level weight 0.5, trend weight 0.2, damping 0.8:
    # day 1: level 10, trend 0
    # day 2: predicted 10; level 0.5·20 + 0.5·10 = 15; trend 0.2·(15 − 10) + 0.8·0.8·0 = 1
    # day 3 (no report): level 15 + 0.8·1 = 15.8; trend 0.8
    # day 4: predicted 15.8 + 0.8·0.8 = 16.44; level 0.5·40 + 0.5·16.44 = 28.22;
    #        trend 0.2·(28.22 − 15.8) + 0.8·0.8·0.8 = 2.484 + 0.512 = 2.996
    # forecast: 28.22 + 2.996·0.8 = 30.6168, then + 2.996·0.64 = 32.53424
    forecast = damped_trend(np.array([[10, 20, NAN, 40]]), horizon=2)
    assert forecast[0] == pytest.approx([30.6168, 32.53424])


def test_damped_trend_of_a_steady_series_is_steady_and_a_trend_flattens_out():
    steady = damped_trend(np.full((1, 28), 250.0))
    assert steady[0] == pytest.approx([250.0] * HORIZON_DAYS)
    rising = damped_trend(np.arange(28, dtype=float)[None, :] * 10 + 100)[0]
    steps = np.diff(rising)
    assert (steps > 0).all()
    assert steps[1:] / steps[:-1] == pytest.approx([DAMPING] * (HORIZON_DAYS - 2))  # each day's rise × 0.8


def test_damped_trend_never_goes_below_zero_and_knows_nothing_of_an_empty_series():
    falling = damped_trend(np.array([[500.0, 400, 300, 200, 100, 0]]), horizon=14)
    assert (falling >= 0).all() and falling[0, -1] == 0
    assert np.isnan(damped_trend(np.full((1, 5), NAN), horizon=3)).all()


def test_naive_and_week_mean_forecasts():
    history = np.array([[1, 2, 3, 4, 5, 6, 7, 8, NAN], [7.0] * 9])
    assert last_day(history, 3).tolist() == [[8, 8, 8], [7, 7, 7]]
    # the last 7 days with a report: 3 … 8 → 5.5
    assert week_mean(history, 2).tolist() == [[5.5, 5.5], [7, 7]]


def test_use_per_activity_over_the_days_both_were_reported():
    use = np.array([[100, 200, 300, 40], [5, 5, 5, 5]], dtype=float)
    done = np.array([[50, NAN, 150, 20], [0, 0, 0, 0]], dtype=float)
    # (100 + 300 + 40) / (50 + 150 + 20) = 2; no activity at all: unknown
    assert use_per_activity(use, done, days=4).tolist()[0] == pytest.approx(2.0)
    assert np.isnan(use_per_activity(use, done, days=4)[1])


# ---------------------------------------------------------------- the projection
def test_a_steady_use_runs_out_on_the_day_worked_by_hand():
    # 100 a day, nothing in: 450 → 350, 250, 150, 50, −50: day 5's use cannot be met.
    result = project(ledger({("A", "MASK"): {"outbound_frontline": [100] * 28}}), stock(("A", "MASK", 450)), END)
    row = summary_of(result, "A", "MASK")
    assert row["stockout_day"] == day(5) and row["days_to_stockout"] == 5
    assert row["projected_use"] == pytest.approx(100) and row["due_in"] == 0
    assert row["lowest_cover"] == 0
    days = result.days
    assert days["day"].tolist() == [day(h) for h in range(1, 15)]
    assert days["balance"].tolist()[:6] == pytest.approx([350, 250, 150, 50, -50, -150])
    assert days["projected_stock"].tolist()[:6] == pytest.approx([350, 250, 150, 50, 0, 0])
    assert result.stockouts()["item_code"].tolist() == ["MASK"]


def test_what_comes_in_is_procured_and_allocated_at_the_last_14_days_rate():
    # Use 100 a day. Procured 280 every 7th day (twice in the last 14 days) and allocated 60
    # on one of them: (560 + 60) / 14 = 44.29 a day. Donations (500) and the local daily
    # capacity (1,000) are not counted on: local production arrives as procurement.
    procured = [280 if n % 7 == 6 else 0 for n in range(28)]
    allocated = [0] * 27 + [60]
    rows = {
        ("A", "MASK"): {
            "outbound_frontline": [100] * 28,
            "inbound_procured": procured,
            "inbound_allocated": allocated,
            "inbound_donated": [500] * 28,
            "production_capacity": [1000] * 28,
        }
    }
    result = project(ledger(rows), stock(("A", "MASK", 450)), END)
    row = summary_of(result, "A", "MASK")
    due = 620 / 14
    assert row["due_in"] == pytest.approx(due)
    # 450 − 55.71 h < 0 from h = 9 (450 − 501.4); h = 8: 4.3 left
    assert 450 - 8 * (100 - due) > 0 > 450 - 9 * (100 - due)
    assert row["stockout_day"] == day(9)


def test_days_without_a_report_are_not_zero_inbound():
    # Reported on 7 of the last 14 days, 70 procured on each: 70 a day comes in (not 35).
    reported = [None if n % 2 else 70 for n in range(28)]
    result = project(
        ledger(
            {
                ("A", "GLOVE"): {
                    "outbound_frontline": [50 if v is not None else None for v in reported],
                    "inbound_procured": reported,
                }
            }
        ),
        stock(("A", "GLOVE", 1000)),
        END,
    )
    row = summary_of(result, "A", "GLOVE")
    assert row["due_in"] == pytest.approx(70)
    assert pd.isna(row["stockout_day"]) and pd.isna(row["days_to_stockout"])  # stock grows: not within 14 days
    # 50 a day used on the days reported, the trend carried over the others: 50
    assert row["projected_use"] == pytest.approx(50)


def test_not_within_14_days_and_an_item_without_use():
    rows = {("A", "N95"): {"outbound_frontline": [50] * 28}, ("A", "DISINF"): {"outbound_frontline": [0] * 28}}
    result = project(ledger(rows), stock(("A", "N95", 1000), ("A", "DISINF", 70)), END)
    n95 = summary_of(result, "A", "N95")
    assert pd.isna(n95["stockout_day"])  # 1000 − 14 × 50 = 300 left
    assert n95["lowest_cover"] == pytest.approx(300 / 50)
    disinfectant = summary_of(result, "A", "DISINF")
    assert pd.isna(disinfectant["stockout_day"]) and pd.isna(disinfectant["lowest_cover"])  # no use: no cover figure


def activity_days(rows: dict[str, dict[str, list[float]]], days: int = 28) -> pd.DataFrame:
    records = []
    for district, columns in rows.items():
        for n in range(days):
            records.append(
                {
                    "district_code": district,
                    "day": END - dt.timedelta(days=days - 1 - n),
                    "samples_tested": NAN,
                    "staff_shifts": NAN,
                    "doses": NAN,
                    **{name: series[n] for name, series in columns.items()},
                }
            )
    return pd.DataFrame(records)


def test_testing_fifty_percent_up_from_tomorrow_moves_the_tubes_it_uses():
    # District A: 200 tubes a day for 100 samples tested a day (2 tubes a sample); 1,000 in
    # stock. As it is, 200 a day: 1000 − 5 × 200 = 0 on day 5, below 0 on day 6.
    # Testing +50 %: 150 samples a day, 2 × 50 = 100 more tubes a day, 300 a day: 100 left
    # on day 3, below 0 on day 4. Gloves, used by no recorded activity, do not move;
    # district B has no testing reported, so its tubes have no rate and do not move either.
    rows = {
        ("A", "TESTKIT"): {"outbound_frontline": [200] * 28},
        ("A", "GLOVE"): {"outbound_frontline": [100] * 28},
        ("B", "TESTKIT"): {"outbound_frontline": [200] * 28},
    }
    levels = stock(("A", "TESTKIT", 1000), ("A", "GLOVE", 1000), ("B", "TESTKIT", 1000))
    done = activity_days({"A": {"samples_tested": [100] * 28}, "B": {"doses": [10] * 28}})
    as_is = project(ledger(rows), levels, END, done)
    more = project(ledger(rows), levels, END, done, WhatIf(samples_tested=0.5))
    assert summary_of(as_is, "A", "TESTKIT")["stockout_day"] == day(6)
    assert summary_of(as_is, "A", "TESTKIT")["use_per_activity"] == pytest.approx(2.0)
    assert summary_of(as_is, "A", "TESTKIT")["activity"] == "samples_tested"
    tubes = summary_of(more, "A", "TESTKIT")
    assert tubes["projected_use"] == pytest.approx(300) and tubes["stockout_day"] == day(4)
    assert summary_of(more, "A", "GLOVE")["projected_use"] == pytest.approx(100)
    assert pd.isna(summary_of(more, "A", "GLOVE")["activity"])
    assert summary_of(more, "B", "TESTKIT")["projected_use"] == pytest.approx(200)
    assert pd.isna(summary_of(more, "B", "TESTKIT")["use_per_activity"])
    # A cut: testing −100 % takes the tubes' use to nothing (never below it).
    none = project(ledger(rows), levels, END, done, WhatIf(samples_tested=-1.0))
    assert summary_of(none, "A", "TESTKIT")["projected_use"] == pytest.approx(0)
    assert WhatIf(samples_tested=0.5).changed == ("samples_tested",) and WhatIf().changed == ()


def test_staff_shifts_and_doses_drive_masks_suits_and_vaccine():
    rows = {
        ("A", "MASK"): {"outbound_frontline": [300] * 28},
        ("A", "SUIT"): {"outbound_frontline": [30] * 28},
        ("A", "VACCINE"): {"outbound_frontline": [80] * 28},
    }
    levels = stock(("A", "MASK", 10_000), ("A", "SUIT", 1_000), ("A", "VACCINE", 2_000))
    done = activity_days({"A": {"staff_shifts": [10] * 28, "doses": [80] * 28}})
    # Shifts +20 %: masks 30 a shift × 2 more shifts = 360, suits 3 × 2 = 36; doses −25 %: 60.
    result = project(ledger(rows), levels, END, done, WhatIf(staff_shifts=0.2, doses=-0.25))
    assert summary_of(result, "A", "MASK")["projected_use"] == pytest.approx(360)
    assert summary_of(result, "A", "SUIT")["projected_use"] == pytest.approx(36)
    assert summary_of(result, "A", "VACCINE")["projected_use"] == pytest.approx(60)
    assert summary_of(result, "A", "VACCINE")["use_per_activity"] == pytest.approx(1.0)


def test_a_projection_of_nothing_is_empty():
    result = project(ledger({}), stock(), END)
    assert result.summary.empty and result.days.empty and result.stockouts().empty
    # A read that failed gives frames without columns (ui.data.load): still nothing, no error.
    failed = project(pd.DataFrame(), pd.DataFrame(), END, pd.DataFrame())
    assert failed.summary.empty and list(failed.summary.columns)[:2] == ["district_code", "district_name_zh"]
    no_history = project(pd.DataFrame(), stock(("A", "MASK", 450)), END)
    assert no_history.summary.empty  # not "450 masks and no use": the use was not read


# ---------------------------------------------------------------- back-test
def test_backtest_of_a_step_worked_by_hand():
    # 100 a day for 28 days, then 200 a day for 14: one origin (day 28). The last day and
    # the 7-day mean forecast 100 a day: 1,400 against 2,800, off by half; the damped trend
    # of a flat series too.
    use = np.array([[100.0] * 28 + [200.0] * 14])
    result = backtest(use, forecasters(use)).set_index("method")
    assert result["origins"].tolist() == [1, 1, 1]
    assert result["error_total"].tolist() == pytest.approx([0.5, 0.5, 0.5])
    assert result["bias"].tolist() == pytest.approx([-0.5, -0.5, -0.5])


def test_backtest_counts_only_days_reported_and_finds_the_better_method():
    # A steady series with one unreported future day: no error. A series alternating
    # 0 / 200: the 7-day mean is off by less than the last day.
    steady = [50.0] * 40 + [NAN] + [50.0] * 3
    alternating = [0.0 if n % 2 else 200.0 for n in range(44)]
    use = np.array([steady, alternating])
    result = backtest(use[:1], forecasters(use[:1])).set_index("method")
    assert result["origins"].iloc[0] == 44 - 28 - 14 + 1
    assert result["error_total"].tolist() == pytest.approx([0, 0, 0])
    both = backtest(use[1:], forecasters(use[1:])).set_index("method")["error_total"]
    assert both["week_mean"] < both["last_day"]


def test_backtest_of_the_activity_driven_forecast():
    # Use is exactly 3 tubes a sample: 3 × the samples' damped trend is the use's own.
    samples = np.array([[100.0 + (n % 5) * 10 + n * 2 for n in range(50)]])
    result = backtest(3 * samples, forecasters(3 * samples, samples)).set_index("method")
    assert result.loc["per_activity", "error_total"] == pytest.approx(result.loc["damped_trend", "error_total"])
    assert result.loc["per_activity", "error_total"] > 0
    assert "per_activity" not in backtest(samples, forecasters(samples)).set_index("method").index


def test_stock_backtest_of_a_steady_ledger_is_exact():
    # 100 used and 40 procured a day: stock falls by 60 a day, as projected.
    closing = np.array([[10_000.0 - 60 * n for n in range(60)]])
    use, inbound = np.full((1, 60), 100.0), np.full((1, 60), 40.0)
    methods = forecasters(use)
    errors = stock_backtest(closing, use, inbound, methods["damped_trend"])
    assert errors == {"median_days_off_day_7": 0.0, "median_days_off_day_14": 0.0}
    # Forgetting what comes in (the naive "stock − use") would be off by 40 × 7 / 100 = 2.8 days.
    without = stock_backtest(closing, use, np.zeros((1, 60)), methods["damped_trend"])
    assert without["median_days_off_day_7"] == pytest.approx(2.8)


def test_backtest_of_the_days_counted_only():
    # Two series: one the last day forecasts exactly, one it misses by half. Counting only
    # the first, the last day is off by nothing.
    exact = [100.0] * 42
    step = [100.0] * 28 + [200.0] * 14
    use = np.array([exact, step])
    counted = np.array([[True] * 42, [False] * 42])
    result = backtest(use, forecasters(use), counted=counted).set_index("method")
    assert result.loc["last_day", "error_total"] == 0
    assert backtest(use, forecasters(use)).set_index("method").loc["last_day", "error_total"] == pytest.approx(1400 / 4200)


def test_at_risk_is_under_14_days_of_the_last_weeks_use():
    # 100 a day used; the stock before day 8 is 1,500 (15 days), before day 9 1,300 (13 days).
    closing = np.array([[2000.0] * 7 + [1500.0, 1300.0, 1300.0]])
    use = np.full((1, 10), 100.0)
    assert at_risk(closing, use)[0].tolist() == [False] * 8 + [False, True]
