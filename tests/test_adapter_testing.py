"""Testing volume 核酸检测 queries against the hand-built city (figures worked by hand)."""

from __future__ import annotations

import pytest

from data_access.testing import (
    lab_utilisation_daily,
    round_coverage_by_area,
    testing_by_area,
    testing_daily_totals,
    testing_rounds,
)
from tests.fixtures_data import (
    CITY,
    COMMUNITY_A1A,
    COMMUNITY_A1B,
    D1,
    D2,
    D3,
    DISTRICT_A,
    DISTRICT_B,
    OUTSIDE,
    STREET_A1,
    STREET_A2,
)
from tests.helpers import by_day, floats, records, scope

NAN = float("nan")


def test_daily_totals_for_the_city(engine):
    result = testing_daily_totals(scope(CITY), engine)
    assert records(
        result, "day", "samples_collected", "samples_tested", "positives", "backlog", "pooled_ratio", "sites_reporting"
    ) == [
        # D1: collected 100+50+30+40, tested 90+50+20+40, positives 1+2, pending 10+10, max ratio 5
        (D1, 220, 200, 3, 20, 5, 4),
        # D2: collected 200+80+50+0, tested 180+60+60+0, positives 1, pending 30+20, ratio 10:1
        (D2, 330, 300, 1, 50, 10, 4),
        # D3 (SS2 missing): collected 40+20+10, tested 65+20+10, positives 1, pending 5
        (D3, 70, 95, 1, 5, 5, 3),
    ]
    # positives ÷ tested: 3/200, 1/300, 1/95
    assert floats(result, "positivity") == pytest.approx([3 / 200, 1 / 300, 1 / 95])
    # Turnaround weighted by samples tested; SS4's D2 row (0 tested, no turnaround) adds nothing.
    # D1 median (6·90 + 4·50 + 8·20 + 3·40) / 200 = 1020/200; D2 (10·180 + 12·60 + 6·60) / 300 = 2880/300;
    # D3 (5·65 + 4·20 + 2·10) / 95 = 425/95
    assert floats(result, "turnaround_median_h") == pytest.approx([5.1, 9.6, 425 / 95])
    # p90: (10·90 + 8·50 + 12·20 + 5·40)/200 = 8.7; (20·180 + 18·60 + 9·60)/300 = 17.4; (7·65 + 6·20 + 3·10)/95
    assert floats(result, "turnaround_p90_h") == pytest.approx([8.7, 17.4, 605 / 95])


def test_daily_totals_with_nothing_tested_give_nan_rates(engine):
    # District B on D2: SS4 collected and tested 0 → positivity and turnaround unknown, not 0.
    result = testing_daily_totals(scope(DISTRICT_B, D2, D2), engine)
    assert records(result, "day", "samples_collected", "samples_tested", "sites_reporting") == [(D2, 0, 0, 1)]
    assert floats(result, "positivity") == pytest.approx([NAN], nan_ok=True)
    assert floats(result, "turnaround_median_h") == pytest.approx([NAN], nan_ok=True)


def test_daily_totals_roll_up_community_street_district(engine):
    def collected(area_code):
        return by_day(testing_daily_totals(scope(area_code), engine), "samples_collected")

    assert collected(COMMUNITY_A1A) == {D1: 100, D2: 200, D3: 40}  # SS1
    assert collected(COMMUNITY_A1B) == {D1: 50, D2: 80}  # SS2, no D3 report
    assert collected(STREET_A1) == {D1: 150, D2: 280, D3: 40}  # 100+50, 200+80, 40
    assert collected(STREET_A2) == {D1: 30, D2: 50, D3: 20}  # SS3
    assert collected(DISTRICT_A) == {D1: 180, D2: 330, D3: 60}  # 150+30, 280+50, 40+20


def test_daily_totals_range_edges(engine):
    assert records(testing_daily_totals(scope(CITY, D1, D1), engine), "day", "samples_tested") == [(D1, 200)]
    assert records(testing_daily_totals(scope(CITY, D2, D3), engine), "day", "samples_tested") == [(D2, 300), (D3, 95)]
    empty = testing_daily_totals(scope(CITY, *OUTSIDE), engine)
    assert empty.empty
    assert list(empty.columns) == [
        "day",
        "samples_collected",
        "samples_tested",
        "positives",
        "backlog",
        "pooled_ratio",
        "turnaround_median_h",
        "turnaround_p90_h",
        "sites_reporting",
        "positivity",
    ]


def test_lab_utilisation(engine):
    city = lab_utilisation_daily(scope(CITY), engine)
    # tubes LAB_A + LAB_B against 100 + 50: D1 20+40, D2 45+0, D3 30+10
    assert records(city, "day", "tubes_tested", "capacity_tubes", "labs") == [
        (D1, 60, 150, 2),
        (D2, 45, 150, 2),
        (D3, 40, 150, 2),
    ]
    assert floats(city, "utilisation") == pytest.approx([0.4, 0.3, 40 / 150])
    district = lab_utilisation_daily(scope(DISTRICT_A, D2, D3), engine)
    assert records(district, "day", "tubes_tested", "capacity_tubes") == [(D2, 45, 100), (D3, 30, 100)]
    assert floats(district, "utilisation") == pytest.approx([0.45, 0.3])


def test_lab_utilisation_counts_labs_located_in_scope(engine):
    # Labs stand at district level: no lab lies inside a street.
    street = lab_utilisation_daily(scope(STREET_A1), engine)
    assert street.empty and list(street.columns) == ["day", "tubes_tested", "capacity_tubes", "labs", "utilisation"]
    assert lab_utilisation_daily(scope(CITY, *OUTSIDE), engine).empty


def test_by_area_for_the_city_is_by_district(engine):
    result = testing_by_area(scope(CITY), engine)
    assert records(result, "area_code", "name_en", "samples_collected", "samples_tested", "positives", "backlog") == [
        # A: collected SS1 100+200+40, SS2 50+80, SS3 30+50+20 = 340+130+100 = 570;
        #    tested 90+180+65 + 50+60 + 20+60+20 = 335+110+100 = 545; positives 1 + 1 + 1;
        #    backlog on the last day (D3): SS1 5 + SS3 0 (SS2 did not report)
        (DISTRICT_A, "Jia District", 570, 545, 3, 5),
        # B: SS4 40+0+10 collected and tested, 2 positives, no backlog
        (DISTRICT_B, "O'Brien County", 50, 50, 2, 0),
    ]
    assert floats(result, "positivity") == pytest.approx([3 / 545, 2 / 50])


def test_by_area_street_equals_sum_of_its_communities(engine):
    communities = testing_by_area(scope(STREET_A1), engine)
    assert records(communities, "area_code", "samples_collected", "samples_tested", "positives", "backlog") == [
        (COMMUNITY_A1A, 340, 335, 1, 5),  # SS1
        (COMMUNITY_A1B, 130, 110, 1, 0),  # SS2: no D3 report, so no backlog on D3
    ]
    streets = testing_by_area(scope(DISTRICT_A), engine).set_index("area_code")
    assert records(streets.reset_index(), "area_code", "samples_collected", "samples_tested", "positives", "backlog") == [
        (STREET_A1, 470, 445, 2, 5),  # 340+130, 335+110, 1+1, 5+0
        (STREET_A2, 100, 100, 1, 0),  # SS3
    ]
    for column in ("samples_collected", "samples_tested", "positives", "backlog"):
        assert communities[column].sum() == streets.loc[STREET_A1, column], column


def test_by_area_backlog_is_read_on_the_ranges_last_day(engine):
    # Range ending D2: backlog is D2's pending — SS1 30 + SS2 20 for street A1.
    result = testing_by_area(scope(STREET_A1, D1, D2), engine)
    assert records(result, "area_code", "backlog") == [(COMMUNITY_A1A, 30), (COMMUNITY_A1B, 20)]
    # A community is broken down no further than itself.
    assert records(testing_by_area(scope(COMMUNITY_A1B), engine), "area_code", "samples_collected") == [(COMMUNITY_A1B, 130)]
    empty = testing_by_area(scope(CITY, *OUTSIDE), engine)
    assert empty.empty
    assert list(empty.columns) == [
        "area_code",
        "name_zh",
        "name_en",
        "samples_collected",
        "samples_tested",
        "positives",
        "backlog",
        "positivity",
    ]


def test_testing_rounds_oldest_first(engine):
    result = testing_rounds(engine)
    assert records(result, "id", "name_en", "start_day", "end_day") == [
        (1, "Mass testing round 1", D1, D2),
        (2, "Mass testing round 2", D3, D3),
    ]
    assert result["name_zh"].tolist() == ["第1轮全员核酸检测", "第2轮全员核酸检测"]


def test_round_coverage_by_district(engine):
    result = round_coverage_by_area(scope(CITY), engine)
    assert records(result, "round_id", "area_code", "samples_collected", "residents") == [
        # round 1 (D1..D2): A = SS1 100+200 + SS2 50+80 + SS3 30+50 = 510; B = SS4 40+0
        (1, DISTRICT_A, 510, 600),
        (1, DISTRICT_B, 40, 120),
        # round 2 (D3): A = 40 + 20; B = 10
        (2, DISTRICT_A, 60, 600),
        (2, DISTRICT_B, 10, 120),
    ]
    assert floats(result, "coverage") == pytest.approx([510 / 600, 40 / 120, 60 / 600, 10 / 120])
    assert result["round_en"].tolist()[0] == "Mass testing round 1"


def test_round_coverage_is_capped_at_everyone(engine):
    result = round_coverage_by_area(scope(STREET_A1), engine)
    assert records(result, "round_id", "area_code", "samples_collected", "residents") == [
        (1, COMMUNITY_A1A, 300, 250),  # 100+200 samples for 250 residents (visitors, repeats)
        (1, COMMUNITY_A1B, 130, 200),
        (2, COMMUNITY_A1A, 40, 250),  # SS2 did not report on D3
    ]
    # 300/250 = 1.2 is shown as 100 %.
    assert floats(result, "coverage") == pytest.approx([1.0, 130 / 200, 40 / 250])


def test_round_coverage_only_rounds_overlapping_the_range(engine):
    last_day = round_coverage_by_area(scope(STREET_A2, D3, D3), engine)
    assert records(last_day, "round_id", "area_code", "samples_collected") == [(2, "990101002001", 20)]
    # A range inside round 1 still counts the whole round (D1 + D2): SS3 30 + 50.
    inside = round_coverage_by_area(scope(STREET_A2, D2, D2), engine)
    assert records(inside, "round_id", "samples_collected") == [(1, 80)]
    empty = round_coverage_by_area(scope(CITY, *OUTSIDE), engine)
    assert empty.empty and {"round_id", "area_code", "coverage"} <= set(empty.columns)
