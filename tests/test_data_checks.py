"""Data checks on hand-built figures: each flags exactly the bad day."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data_access.data_checks import (
    DataCheck,
    _median_and_mad,
    cumulative_down,
    expected_last_day,
    jump,
    jumps,
    stale,
    tested_above_collected,
)

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
    from presentation.sentences import flag_rows

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


def test_jumps_judge_every_day_of_the_range():
    # 14 steady days (median 1000), an extreme day 14, then steady again: the extreme day
    # is found whether the range ends on it or later; a range after it finds nothing
    # (its windows hold the extreme day, which the median shrugs off).
    steady = [1000, 1020, 990, 1010, 1005, 995, 1000, 1015, 985, 1000, 1010, 990, 1000, 1005]
    daily = series(steady + [3000, 1000, 1010, 995])
    for end in (14, 15, 17):
        assert [(c.day, c.figure) for c in jumps(daily, "people", "checkpoints", day(7), day(end))] == [(day(14), 3000.0)]
    assert jumps(daily, "people", "checkpoints", day(15), day(17)) == []
    assert jump(daily, "people", "checkpoints", day(17)) == []  # the last day alone: what the list once showed


def test_every_check_names_its_metric():
    assert DataCheck("jump", "testing", "samples_collected", day(0), 1.0).metric == "testing.samples_collected"
    assert DataCheck("stale", "grid", "last_day", day(0), 1.0).metric == "grid.home_observation"  # the domain's headline
    assert DataCheck("stale", "supplies", "last_day", day(0), 1.0).metric == "supplies.stock"
    assert (
        DataCheck("coverage_above_population", "vaccination", "coverage_booster", day(0), 1.1).metric
        == "vaccination.coverage_booster"
    )
    assert DataCheck("x", "checkpoints", "people", day(0), 1.0, metric="checkpoints.vehicles").metric == "checkpoints.vehicles"


def test_breaches_become_one_check_a_day_naming_the_worst_unit():
    from data_access.data_checks import breaches_by_day

    breaches = pd.DataFrame(
        {
            "day": [day(0), day(0), day(0), day(2)],
            "unit": ["CP2", "CP1", "CP2", "CP1"],
            "name_zh": ["乙", "甲", "乙", "甲"],
            "name_en": ["B", "A", "B", "A"],
            "figure": [90, 25, 60, 16],
            "limit": [40, 20, 40, 10],  # over by 50, 5, 20 on day 0; by 6 on day 2
        }
    )
    checks = breaches_by_day(breaches, "above_lane_capacity", "checkpoints", "people")
    assert [(c.day, c.figure, c.details["unit"], c.details["units"], c.details["n"], c.details["rows"]) for c in checks] == [
        (day(0), 90.0, "CP2", ["CP2", "CP1"], 2, 3),
        (day(2), 16.0, "CP1", ["CP1"], 1, 1),
    ]
    assert all(c.metric == "checkpoints.people" for c in checks)


def positives(i: int) -> DataCheck:
    details = {
        "unit": "SS4",
        "name_zh": "北村采样点",
        "name_en": "Bei Village sampling site",
        "limit": 10,
        "units": ["SS4"],
        "n": 1,
    }
    return DataCheck("positives_above_tested", "testing", "positives", day(i), 11.0, details)


COVERAGE = DataCheck(
    "coverage_above_population", "vaccination", "coverage_dose1", day(5), 41 / 40,
    {"breakdown": "age_group", "people": 41, "population": 40, "age_group": "60-79"},
)  # fmt: skip
LANES = DataCheck(
    "above_lane_capacity", "checkpoints", "people", day(4), 7201.0,
    {"unit": "CP1", "name_zh": "东风高速出口道口", "name_en": "Dongfeng expressway exit", "hour": 10, "lanes": 2,
     "per_lane_hour": 3600, "limit": 7200, "hours": 1, "units": ["CP1", "CP2"], "n": 2, "rows": 3},
)  # fmt: skip


def test_a_finding_on_several_days_is_one_line_naming_the_days():
    from presentation.sentences import grouped_texts

    checks = [positives(i) for i in (0, 1, 2, 5)]
    assert grouped_texts(checks, "en") == [
        "Positives above samples tested on 4 days (1 Apr–3 Apr, 6 Apr). Latest: 6 Apr 2022, Bei Village sampling site: 11 positives but only 10 samples tested"
    ]
    assert grouped_texts(checks, "zh") == [
        "阳性数多于检测数：共 4 天（4月1日–4月3日、4月6日）。最近：2022年4月6日 北村采样点：阳性 11 多于检测样本 10"
    ]
    assert grouped_texts(checks[:1], "en") == ["1 Apr 2022, Bei Village sampling site: 11 positives but only 10 samples tested"]


def test_new_checks_read_in_both_languages():
    from presentation.sentences import check_text

    assert (
        check_text(COVERAGE, "en")
        == "Ages 60-79: 1st dose coverage 102.5% is above 100% (41 of a target population of 40, as of 6 Apr 2022)"
    )
    assert check_text(COVERAGE, "zh") == "60-79 岁：第一剂覆盖率 102.5%，超过 100%（41 人 / 目标人群 40，截至 2022年4月6日）"
    assert check_text(LANES, "en") == (
        "5 Apr 2022, Dongfeng expressway exit, hour from 10:00: People checked 7,201, more than 2 lanes × 3,600 per lane-hour (7,200) (and 1 more)"
    )
    assert (
        check_text(LANES, "zh")
        == "2022年4月5日 10时 东风高速出口道口：查验人员 7,201，超过 2 条车道 × 每车道每小时 3,600（7,200）（另有 1 个）"
    )
    capacity = DataCheck(
        "doses_above_capacity", "vaccination", "doses", day(5), 301.0,
        {"unit": "VS1", "name_zh": "东风接种点1", "name_en": "Dongfeng site 1", "limit": 300.0, "capacity": 100, "factor": 3.0, "units": ["VS1"], "n": 1},
    )  # fmt: skip
    assert (
        check_text(capacity, "en")
        == "6 Apr 2022, Dongfeng site 1: 301 doses given, more than 3 × its daily capacity of 100 (300)"
    )
    assert check_text(capacity, "zh") == "2022年4月6日 东风接种点1：接种 301 剂，超过日接种能力 100 的 3 倍（300）"
    daily = DataCheck(
        "above_lane_capacity", "checkpoints", "vehicles", day(5), 72_001.0,
        {"unit": "CP2", "name_zh": "西安路国道道口", "name_en": "Xi'an Road", "hour": None, "lanes": 4, "per_lane_hour": 1800,
         "limit": 72_000, "hours": 10, "units": ["CP2"], "n": 1},
    )  # fmt: skip
    assert (
        check_text(daily, "en")
        == "6 Apr 2022, Xi'an Road: Vehicles checked 72,001 in 10 staffed hours, more than 4 lanes × 1,800 per lane-hour (72,000)"
    )
    assert (
        check_text(daily, "zh")
        == "2022年4月6日 西安路国道道口：查验车辆 72,001（值守 10 小时），超过 4 条车道 × 每车道每小时 1,800 × 10 小时（72,000）"
    )


def test_flags_by_metric_mark_the_card_of_the_figure_concerned():
    from presentation.sentences import flags_by_metric

    checks = [
        positives(0),
        positives(1),
        COVERAGE,
        LANES,
        DataCheck("stale", "grid", "last_day", day(0), 3.0, {"expected": day(3)}),
    ]
    flags = flags_by_metric(checks, "en")
    assert sorted(flags) == ["checkpoints.people", "grid.home_observation", "testing.positives", "vaccination.coverage_dose1"]
    assert flags["testing.positives"].startswith("Positives above samples tested on 2 days (1 Apr–2 Apr).")


def test_flag_rows_by_day_and_by_the_unit_or_age_group_concerned():
    from presentation.sentences import flag_rows

    days = pd.DataFrame({"Day": [day(3), day(4), day(5)], "People": [1, 7201, 2]})
    flagged = flag_rows(days, [LANES, COVERAGE], "checkpoints", "en", "Day")
    assert flagged["Data check"].tolist() == [
        "",
        "⚠ "
        + "5 Apr 2022, Dongfeng expressway exit, hour from 10:00: People checked 7,201, more than 2 lanes × 3,600 per lane-hour (7,200) (and 1 more)",
        "",
    ]
    assert flag_rows(days, [LANES], "checkpoints", "en", "Day", metrics=["checkpoints.vehicles"]) is days

    # Per checkpoint: both checkpoints over that day are flagged, the third is not.
    units = pd.DataFrame({"Code": ["CP1", "CP2", "CP3"]})
    assert [bool(f) for f in flag_rows(units, [LANES], "checkpoints", "en", match={"unit": "Code"})["Data check"]] == [
        True,
        True,
        False,
    ]

    # Coverage (as of the range's end) flags its age group's row, never a day's row.
    ages = pd.DataFrame({"Age group": ["18-59", "60-79"]})
    assert [
        bool(f) for f in flag_rows(ages, [COVERAGE], "vaccination", "en", match={"age_group": "Age group"})["Data check"]
    ] == [False, True]
    assert flag_rows(pd.DataFrame({"Day": [day(5)]}), [COVERAGE], "vaccination", "en", "Day")["Day"].tolist() == [day(5)]
    assert "Data check" not in flag_rows(pd.DataFrame({"Day": [day(5)]}), [COVERAGE], "vaccination", "en", "Day")


@pytest.mark.parametrize("n", [0, 1, 6, 7, 8, 20, 60])
def test_the_jump_checks_window_figures_are_pandas_rolling_median_and_mad(n):
    """``_median_and_mad`` (plain Python) gives what ``shift(1).rolling(14, min_periods=7)``
    gives for the median and the MAD, gaps (NaN) included: to the bit, numpy's."""
    rng = np.random.default_rng(n)
    values = rng.normal(100, 30, n)
    values[rng.random(n) < 0.2] = np.nan
    rolling = pd.Series(values).shift(1).rolling(14, min_periods=7)
    mad = rolling.apply(lambda w: float(np.nanmedian(np.abs(w - np.nanmedian(w)))), raw=True)
    median_fast, mad_fast = _median_and_mad(values, 14, 7)
    assert np.allclose(median_fast, rolling.median().to_numpy(), equal_nan=True)
    assert np.array_equal(mad_fast, mad.to_numpy(), equal_nan=True)
    numpy_median = rolling.apply(lambda w: float(np.nanmedian(w)), raw=True)
    assert np.array_equal(median_fast, numpy_median.to_numpy(), equal_nan=True)
