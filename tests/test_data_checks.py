"""Data checks on hand-built figures: each flags exactly the bad day."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.data_checks import cumulative_down, expected_last_day, jump, stale, tested_above_collected

D0 = dt.date(2022, 4, 1)


def day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def test_tested_above_collected_uses_the_previous_backlog():
    daily = pd.DataFrame(
        {
            "day": [day(0), day(1), day(2)],
            "samples_collected": [100, 50, 50],
            "samples_tested": [80, 70, 71],  # day 1: 50 + 20 waiting = 70 ok; day 2: 50 + 0 = 50 < 71
            "backlog": [20, 0, 0],
        }
    )
    checks = tested_above_collected(daily)
    assert [(c.day, c.figure, c.details["available"]) for c in checks] == [(day(2), 71.0, 50.0)]


def test_cumulative_going_down_is_a_negative_day():
    daily = pd.DataFrame({"day": [day(0), day(1), day(2)], "doses": [10, -3, 5]})
    assert [c.day for c in cumulative_down(daily, "doses", "vaccination")] == [day(1)]
    assert cumulative_down(daily.assign(doses=[10, 0, 5]), "doses", "vaccination") == []


def series(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"day": [day(i) for i in range(len(values))], "people": values})


def test_jump_far_outside_recent_range():
    steady = [1000, 1020, 990, 1010, 1005, 995, 1000, 1015, 985, 1000, 1010, 990, 1000, 1005]
    assert jump(series(steady + [1040]), "people", "checkpoints", day(14)) == []
    flagged = jump(series(steady + [3000]), "people", "checkpoints", day(14))
    # Sorted, the 7th and 8th of the 14 values are both 1000: the median is 1000.
    assert len(flagged) == 1 and flagged[0].details["median"] == 1000.0
    assert jump(series(steady + [100]), "people", "checkpoints", day(14))  # a collapse counts too


def test_jump_needs_a_week_of_history():
    assert jump(series([1000] * 5 + [5000]), "people", "checkpoints", day(5)) == []


def test_expected_last_day_follows_the_10_oclock_deadline():
    before = dt.datetime(2022, 5, 2, 1, 59, tzinfo=dt.UTC)  # 09:59 in Shanghai
    after = dt.datetime(2022, 5, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
    assert expected_last_day(before) == dt.date(2022, 4, 30)
    assert expected_last_day(after) == dt.date(2022, 5, 1)


def test_stale_domains():
    freshness = pd.DataFrame({"domain": ["testing", "grid"], "last_day": [dt.date(2022, 5, 1), dt.date(2022, 4, 29)]})
    now = dt.datetime(2022, 5, 2, 3, 0, tzinfo=dt.UTC)  # 11:00: 1 May is due
    checks = stale(freshness, now)
    assert [(c.domain, c.figure) for c in checks] == [("grid", 2.0)]


def test_flagged_rows_name_the_check():
    from data_access.data_checks import DataCheck
    from ui.checks_view import flag_rows

    table = pd.DataFrame({"Day": [day(0), day(1)], "Samples tested": [80, 71]})
    checks = [
        DataCheck("tested_above_collected", "testing", "samples_tested", day(1), 71.0, {"available": 50.0}),
        DataCheck("stale", "testing", "last_day", day(1), 3.0, {"expected": day(4)}),  # not a row's problem
    ]
    flagged = flag_rows(table, checks, "testing", "en", "Day")
    assert flagged["Data check"].tolist() == ["", "⚠ 2 Apr 2022: 71 samples tested but only 50 were waiting"]
    assert flag_rows(table, checks[1:], "testing", "en", "Day") is table  # nothing to flag


def test_doses_given_above_doses_delivered():
    from data_access.data_checks import doses_above_delivered

    daily = pd.DataFrame(
        {
            "day": [day(0), day(1), day(2)],
            "opening_stock": [100, 0, 0],  # only the first day's opening stock counts
            "delivered": [0, 50, 0],  # delivered in all: 100, 150, 150
            "given": [60, 80, 20],  # given in all: 60, 140, 160 → over on day 2
        }
    )
    checks = doses_above_delivered(daily)
    assert [(c.day, c.figure, c.details["delivered"]) for c in checks] == [(day(2), 160.0, 150.0)]
