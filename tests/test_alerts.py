"""Alert rules on hand-built figures: each fires exactly when its threshold is crossed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_access.alerts import (
    Thresholds,
    booster_target_on,
    checkpoint_fever_alerts,
    load_thresholds,
    missing_report_alerts,
    sort_alerts,
    supplies_cover_alerts,
    testing_alerts,
    vaccination_alerts,
)

TH = Thresholds()
DAY = dt.date(2022, 4, 30)


def days(n: int) -> list[dt.date]:
    return [DAY - dt.timedelta(days=n - 1 - i) for i in range(n)]


# ---- supplies: days of cover under 7 → warning, under 3 → critical
@pytest.mark.parametrize(
    ("cover", "expected"),
    [(7.0, None), (6.99, "warning"), (3.0, "warning"), (2.99, "critical"), (float("nan"), None)],
)
def test_supplies_cover_threshold(cover, expected):
    frame = pd.DataFrame({"district_code": ["418801"], "item_code": ["MASK"], "days_of_cover": [cover]})
    alerts = supplies_cover_alerts(frame, TH)
    assert [a.severity for a in alerts] == ([expected] if expected else [])
    if expected:
        assert alerts[0].area_code == "418801" and alerts[0].details["item"] == "MASK" and alerts[0].page == "supplies"


# ---- testing: backlog rising 3 days in a row
def testing_frame(backlog, p90=10.0, positives=0, tested=10_000):
    n = len(backlog)
    return pd.DataFrame(
        {
            "area_code": ["418801"] * n,
            "day": days(n),
            "samples_collected": [tested] * n,
            "samples_tested": [tested] * n,
            "positives": [0] * (n - 1) + [positives],
            "backlog": backlog,
            "turnaround_p90_h": [p90] * n,
        }
    )


@pytest.mark.parametrize(
    ("backlog", "fires"),
    [
        ([10, 20, 30, 40], True),  # up on each of the last 3 days
        ([10, 20, 30, 30], False),  # flat on the last day
        ([40, 20, 30, 40], False),  # only 2 rises in a row
        ([0, 0, 0, 0], False),
        ([20, 30, 40], False),  # not enough days to see 3 rises
    ],
)
def test_backlog_rising(backlog, fires):
    rules = [a.rule for a in testing_alerts(testing_frame(backlog), DAY, TH)]
    assert ("testing_backlog" in rules) is fires


@pytest.mark.parametrize(("p90", "fires"), [(24.0, False), (24.1, True)])
def test_turnaround_p90(p90, fires):
    rules = [a.rule for a in testing_alerts(testing_frame([0, 0, 0, 0], p90=p90), DAY, TH)]
    assert ("testing_turnaround" in rules) is fires


@pytest.mark.parametrize(
    ("positives", "tested", "expected"),
    [
        (5, 10_000, None),  # 0.05 % is not above 0.05 %
        (6, 10_000, "warning"),  # 0.06 %
        (20, 10_000, "warning"),  # 0.2 % is not above the critical 0.2 %
        (21, 10_000, "critical"),  # 0.21 %
        (5, 999, None),  # too few samples to judge
    ],
)
def test_positivity(positives, tested, expected):
    alerts = [
        a
        for a in testing_alerts(testing_frame([0, 0, 0, 0], positives=positives, tested=tested), DAY, TH)
        if a.rule == "testing_positivity"
    ]
    assert [a.severity for a in alerts] == ([expected] if expected else [])


# ---- checkpoints: fever rate ≥ 3 × own recent rate, and ≥ 3 cases
def fever_frame(today_fever, baseline_fever_per_day=1, people=100_000, baseline_days=28):
    rows = [
        {
            "checkpoint_code": "CP1",
            "name_zh": "一号道口",
            "name_en": "CP one",
            "area_code": "418801001",
            "day": d,
            "fever": baseline_fever_per_day,
            "people": people,
        }
        for d in days(baseline_days + 1)[:-1]
    ]
    rows.append(
        {
            "checkpoint_code": "CP1",
            "name_zh": "一号道口",
            "name_en": "CP one",
            "area_code": "418801001",
            "day": DAY,
            "fever": today_fever,
            "people": people,
        }
    )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("today", "fires"), [(2, False), (3, True), (4, True)])
def test_fever_ratio_with_baseline_of_one_per_day(today, fires):
    # Baseline 1 per 100,000 a day: 3 cases is exactly 3 × normal and meets the 3-case floor.
    assert bool(checkpoint_fever_alerts(fever_frame(today), DAY, TH)) is fires


def test_fever_below_ratio_does_not_fire():
    # Baseline 2 per 100,000: 5 cases is 2.5 × normal.
    assert checkpoint_fever_alerts(fever_frame(5, baseline_fever_per_day=2), DAY, TH) == []
    assert checkpoint_fever_alerts(fever_frame(6, baseline_fever_per_day=2), DAY, TH)[0].figure == pytest.approx(6.0)


# ---- vaccination: behind the straight-line target curve by more than 3 points
def test_target_curve_is_a_straight_line():
    th = Thresholds(booster_target=0.70, booster_target_date=dt.date(2022, 12, 31))
    start = dt.date(2022, 1, 1)
    assert booster_target_on(start, start, 0.40, th) == pytest.approx(0.40)
    assert booster_target_on(dt.date(2022, 12, 31), start, 0.40, th) == pytest.approx(0.70)
    assert booster_target_on(dt.date(2023, 3, 1), start, 0.40, th) == pytest.approx(0.70)
    halfway = start + dt.timedelta(days=182)  # 182 of 364 days
    assert booster_target_on(halfway, start, 0.40, th) == pytest.approx(0.55)


@pytest.mark.parametrize(("coverage", "fires"), [(0.52, False), (0.5199, True)])
def test_vaccination_behind(coverage, fires):
    th = Thresholds(booster_target=0.70, booster_target_date=dt.date(2022, 12, 31), booster_behind_points=3.0)
    start = dt.date(2022, 1, 1)
    halfway = start + dt.timedelta(days=182)  # target 55 %; 3 points behind = 52 %
    now = pd.DataFrame({"area_code": ["418801"], "coverage_booster": [coverage]})
    at_start = pd.DataFrame({"area_code": ["418801"], "coverage_booster": [0.40]})
    assert bool(vaccination_alerts(now, at_start, halfway, start, th)) is fires


# ---- reporting
def test_missing_reports():
    completeness = pd.DataFrame(
        {"report_type": ["checkpoint", "grid"], "expected": [40, 400], "reported": [40, 398], "missing": [0, 2]}
    )
    alerts = missing_report_alerts(completeness, "418800", TH)
    assert [(a.details["report_type"], a.figure) for a in alerts] == [("grid", 2.0)]


def test_sorted_most_severe_first():
    frame = pd.DataFrame({"district_code": ["418802", "418801"], "item_code": ["N95", "MASK"], "days_of_cover": [5.0, 1.0]})
    assert [a.severity for a in sort_alerts(supplies_cover_alerts(frame, TH))] == ["critical", "warning"]


def test_thresholds_file_overrides_defaults(tmp_path):
    path = tmp_path / "dashboard.toml"
    path.write_text(
        '[alerts.supplies]\ndays_of_cover_warning = 10\n[alerts.vaccination]\nbooster_target_date = "2023-06-30"\n',
        encoding="utf-8",
    )
    th = load_thresholds(str(path))
    assert th.days_of_cover_warning == 10.0
    assert th.booster_target_date == dt.date(2023, 6, 30)
    assert th.days_of_cover_critical == 3.0  # untouched default


def test_target_date_defaults_to_a_year_after_the_data_begins():
    th = Thresholds(booster_target=0.70, booster_target_days=365)
    start = dt.date(2022, 1, 1)
    assert booster_target_on(start + dt.timedelta(days=365), start, 0.40, th) == pytest.approx(0.70)
    assert booster_target_on(start + dt.timedelta(days=73), start, 0.40, th) == pytest.approx(0.46)  # 73/365 of 30 points
