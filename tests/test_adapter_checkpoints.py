"""Checkpoint throughput 道口通行 queries against the hand-built city (figures worked by hand)."""

from __future__ import annotations

import pytest

from data_access.checkpoints import (
    checkpoint_by_area,
    checkpoint_daily_totals,
    checkpoint_hourly_profile,
    checkpoint_table,
)
from tests.fixtures_data import (
    CITY,
    CP_A1,
    CP_A2,
    CP_B1,
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

COUNTS = [
    "vehicles",
    "people",
    "temperature_checks",
    "fever",
    "code_yellow",
    "code_red",
    "risk_area_arrivals",
    "turned_back",
    "to_fever_clinic",
]


def test_daily_totals_for_the_city(engine):
    result = checkpoint_daily_totals(scope(CITY), engine)
    assert list(result.columns) == ["day", *COUNTS, "checkpoints_reporting"]
    assert records(result, "day", "vehicles", "people", "temperature_checks", "fever", "checkpoints_reporting") == [
        # D1: CP_A1 10+5, CP_A2 100, CP_B1 7 = 122 vehicles; people 20+8 + 200 + 7 = 235;
        #     temperature 18+8 + 190 + 7 = 223; fever 1 + 2 + 0 = 3
        (D1, 122, 235, 223, 3, 3),
        # D2: vehicles 12 + (50+30) + 3 = 95; people 25 + (90+60) + 4 = 179; temperature the same; fever 0+1+0
        (D2, 95, 179, 179, 1, 3),
        # D3: CP_A1 reported zeros, CP_A2 nothing, CP_B1 8 / 16 / 15 / 1 — two checkpoints reporting
        (D3, 8, 16, 15, 1, 2),
    ]
    # The other counts: D1 code_yellow 2+0+5+0 = 7, code_red 0+1+1 = 2, turned_back 1+4 = 5, to clinic 1+2 = 3
    assert records(result, "code_yellow", "code_red", "risk_area_arrivals", "turned_back", "to_fever_clinic")[0] == (
        7,
        2,
        14,
        5,
        3,
    )


def test_daily_totals_roll_up_street_to_district_to_city(engine):
    def vehicles(area_code):
        return by_day(checkpoint_daily_totals(scope(area_code), engine), "vehicles")

    # Street A1 has one checkpoint (CP_A1): 15, 12, 0; street A2 (CP_A2): 100, 80 and no D3.
    assert vehicles(STREET_A1) == {D1: 15, D2: 12, D3: 0}
    assert vehicles(STREET_A2) == {D1: 100, D2: 80}
    # District A = its two streets: 15+100, 12+80, 0.
    assert vehicles(DISTRICT_A) == {D1: 115, D2: 92, D3: 0}
    # City = district A + district B (CP_B1: 7, 3, 8).
    assert vehicles(CITY) == {D1: 122, D2: 95, D3: 8}
    assert vehicles(DISTRICT_B) == {D1: 7, D2: 3, D3: 8}


def test_daily_totals_include_both_ends_of_the_range(engine):
    assert records(checkpoint_daily_totals(scope(CITY, D2, D3), engine), "day", "people") == [(D2, 179), (D3, 16)]
    assert records(checkpoint_daily_totals(scope(CITY, D3, D3), engine), "day", "people") == [(D3, 16)]


def test_daily_totals_outside_the_data_are_empty_with_columns(engine):
    result = checkpoint_daily_totals(scope(CITY, *OUTSIDE), engine)
    assert result.empty
    assert list(result.columns) == ["day", *COUNTS, "checkpoints_reporting"]


def test_hourly_profile_for_the_city(engine):
    result = checkpoint_hourly_profile(scope(CITY), engine)
    assert list(result.columns) == ["hour", "vehicles", "people", "fever", "days", "vehicles_per_day", "people_per_day"]
    assert records(result, "hour", "vehicles", "people", "fever", "days") == [
        # 8 o'clock: CP_A1 10+12+0, CP_A2 100+50 = 172 vehicles; people 20+25+0+200+90 = 335;
        #            fever 1+2 = 3; on D1, D2, D3 = 3 days
        (8, 172, 335, 3, 3),
        # 9 o'clock: CP_A1 5, CP_A2 30, CP_B1 7+3+8 = 53 vehicles; people 8+60+7+4+16 = 95; fever 1+1
        (9, 53, 95, 2, 3),
    ]
    assert floats(result, "vehicles_per_day") == pytest.approx([172 / 3, 53 / 3])
    assert floats(result, "people_per_day") == pytest.approx([335 / 3, 95 / 3])


def test_hourly_profile_for_a_district_and_a_single_day(engine):
    # District B: CP_B1 at 9 o'clock only, 7+3+8 = 18 vehicles over 3 days = 6 a day.
    result = checkpoint_hourly_profile(scope(DISTRICT_B), engine)
    assert records(result, "hour", "vehicles", "people", "days", "vehicles_per_day", "people_per_day") == [(9, 18, 27, 3, 6, 9)]
    # D2 alone, whole city: 8 o'clock CP_A1 12 + CP_A2 50; 9 o'clock CP_A2 30 + CP_B1 3.
    one_day = checkpoint_hourly_profile(scope(CITY, D2, D2), engine)
    assert records(one_day, "hour", "vehicles", "days", "vehicles_per_day") == [(8, 62, 1, 62), (9, 33, 1, 33)]


def test_hourly_profile_outside_the_data_is_empty(engine):
    result = checkpoint_hourly_profile(scope(CITY, *OUTSIDE), engine)
    assert result.empty
    assert {"hour", "vehicles", "people", "vehicles_per_day", "people_per_day"} <= set(result.columns)


def test_checkpoint_table_capacity_and_rates(engine):
    result = checkpoint_table(scope(CITY), engine)
    assert records(
        result,
        "code",
        "district_code",
        "vehicles",
        "people",
        "fever",
        "staffed_hours",
        "days_reported",
        "lane_hours",
        "staffed_capacity",
    ) == [
        # CP_A1: 15+12+0 vehicles, 28+25+0 people, hours 2+1+1 = 4, 2 lanes → 8 lane-hours, × 300 = 2,400
        (CP_A1, DISTRICT_A, 27, 53, 1, 4, 3, 8, 2400),
        # CP_A2: 100+80 vehicles, 200+150 people, hours 1+2 = 3 on 2 days, 4 lanes → 12 lane-hours, × 100 = 1,200
        (CP_A2, DISTRICT_A, 180, 350, 3, 3, 2, 12, 1200),
        # CP_B1: 7+3+8, 7+4+16, hours 3, 1 lane → 3 lane-hours, × 200 = 600
        (CP_B1, DISTRICT_B, 18, 27, 1, 3, 3, 3, 600),
    ]
    assert records(result, "name_en", "kind", "lanes")[2] == ("O'Hare provincial road", "provincial_road", 1)
    # people ÷ lane-hours: 53/8, 350/12, 27/3
    assert floats(result, "people_per_lane_hour") == pytest.approx([53 / 8, 350 / 12, 27 / 3])
    # people ÷ staffed capacity: 53/2400, 350/1200, 27/600
    assert floats(result, "utilisation") == pytest.approx([53 / 2400, 350 / 1200, 27 / 600])
    # fever per 100,000 people: 1/53, 3/350, 1/27 × 100,000
    assert floats(result, "fever_per_100k") == pytest.approx([1 / 53 * 100_000, 3 / 350 * 100_000, 1 / 27 * 100_000])


def test_checkpoint_table_on_a_day_nobody_came(engine):
    result = checkpoint_table(scope(CITY, D3, D3), engine)
    # CP_A2 did not report on D3, so it is not listed.
    assert records(result, "code", "people", "staffed_hours", "staffed_capacity") == [
        (CP_A1, 0, 1, 600),  # 2 lanes × 1 hour × 300
        (CP_B1, 16, 1, 200),  # 1 lane × 1 hour × 200
    ]
    # 0 people checked: utilisation 0 %, fever per 100k has no denominator → NaN (not 0, not ∞).
    assert floats(result, "utilisation") == pytest.approx([0.0, 16 / 200])
    assert floats(result, "fever_per_100k") == pytest.approx([float("nan"), 1 / 16 * 100_000], nan_ok=True)


def test_checkpoint_table_for_a_street(engine):
    result = checkpoint_table(scope(STREET_A2), engine)
    assert records(result, "code", "people") == [(CP_A2, 350)]
    empty = checkpoint_table(scope(CITY, *OUTSIDE), engine)
    assert empty.empty
    assert {"code", "district_code", *COUNTS, "staffed_hours", "utilisation", "fever_per_100k"} <= set(empty.columns)


def test_by_area_for_the_city_is_by_district(engine):
    result = checkpoint_by_area(scope(CITY), engine)
    assert list(result.columns) == ["area_code", "name_zh", "name_en", *COUNTS, "checkpoints"]
    assert records(result, "area_code", "name_en", "vehicles", "people", "fever", "checkpoints") == [
        # district A: CP_A1 27 + CP_A2 180 vehicles; 53 + 350 people; fever 1 + 3
        (DISTRICT_A, "Jia District", 207, 403, 4, 2),
        (DISTRICT_B, "O'Brien County", 18, 27, 1, 1),
    ]


def test_by_area_district_equals_sum_of_its_streets(engine):
    streets = checkpoint_by_area(scope(DISTRICT_A), engine)
    assert records(streets, "area_code", "name_zh", "vehicles", "people") == [
        (STREET_A1, "东风街道", 27, 53),
        (STREET_A2, "西安路街道", 180, 350),
    ]
    district_row = checkpoint_by_area(scope(CITY), engine).set_index("area_code").loc[DISTRICT_A]
    for column in COUNTS:
        assert streets[column].sum() == district_row[column], column


def test_by_area_stops_at_streets(engine):
    # Checkpoints stand on a street's roads: a street is broken down no further than itself.
    result = checkpoint_by_area(scope(STREET_A1, D1, D2), engine)
    # D1..D2: 15 + 12 vehicles
    assert records(result, "area_code", "vehicles", "checkpoints") == [(STREET_A1, 27, 1)]
    empty = checkpoint_by_area(scope(CITY, *OUTSIDE), engine)
    assert empty.empty and "area_code" in empty.columns


def test_the_root_reads_its_days_alone_and_gives_what_its_districts_add_up_to(engine):
    """The root area holds every checkpoint, so its reads skip the checkpoint list
    (``scope.is_root``): its figures are still the sum of its districts', day by day and
    checkpoint by checkpoint."""
    from data_access.checkpoints import people_by_day
    from data_access.scope import is_root

    assert is_root(engine, CITY) and not is_root(engine, DISTRICT_A) and not is_root(engine, STREET_A1)
    city, a, b = (checkpoint_daily_totals(scope(code), engine).set_index("day") for code in (CITY, DISTRICT_A, DISTRICT_B))
    both = a[COUNTS].add(b[COUNTS], fill_value=0)
    assert city[COUNTS].astype("int64").equals(both.reindex(city.index).astype("int64"))
    assert people_by_day(scope(CITY), engine).set_index("day")["people"].astype("int64").equals(city["people"].astype("int64"))
    rows = checkpoint_table(scope(CITY), engine)
    parts = [checkpoint_table(scope(code), engine) for code in (DISTRICT_A, DISTRICT_B)]
    assert sorted(rows["code"]) == sorted([c for part in parts for c in part["code"]])
