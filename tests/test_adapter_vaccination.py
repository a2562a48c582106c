"""Vaccination 疫苗接种 queries against the hand-built city (figures worked by hand).

Targets are per street (A1, A2, B1) and age group; cumulative figures are baseline +
every dose given up to the range's end (including D0, before the usual range).
"""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.vaccination import (
    coverage_by_age_group,
    coverage_by_area,
    coverage_total,
    doses_by_day,
    effective_scope,
    site_capacity,
)
from tests.fixtures_data import CITY, D0, D1, D2, D3, DISTRICT_A, DISTRICT_B, OUTSIDE, STREET_A1, STREET_A2, STREET_B1
from tests.helpers import by_day, floats, records, scope

BEFORE_ANY_DOSE = D0 - dt.timedelta(days=1)
COVERAGE_COLUMNS = ["population", "dose1", "dose2", "booster", "coverage_dose1", "coverage_dose2", "coverage_booster"]


def test_doses_by_day_for_the_city(engine):
    result = doses_by_day(scope(CITY), engine)
    assert list(result.columns) == ["day", "dose1", "dose2", "booster", "doses"]
    assert records(result, *result.columns) == [
        (D1, 8, 4, 20, 32),  # 1st: 5 (A1, 60-79) + 3 (B1); 2nd: 4 (A2); booster 20 (A1)
        (D2, 0, 6, 40, 46),  # 2nd: 6 (A1); booster 30 (A1) + 10 (B1 vehicle)
        (D3, 2, 4, 10, 16),  # 1st: 2 (A2); 2nd: 4 (B1); booster 10 (A1)
    ]


def test_doses_by_day_roll_up_streets_to_district(engine):
    def doses(area_code):
        return by_day(doses_by_day(scope(area_code), engine), "doses")

    assert doses(STREET_A1) == {D1: 25, D2: 36, D3: 10}  # 20+5, 30+6, 10
    assert doses(STREET_A2) == {D1: 4, D3: 2}
    assert doses(DISTRICT_A) == {D1: 29, D2: 36, D3: 12}  # 25+4, 36, 10+2
    assert doses(DISTRICT_B) == {D1: 3, D2: 10, D3: 4}


def test_doses_by_day_range_edges(engine):
    assert records(doses_by_day(scope(CITY, D0, D0), engine), "day", "dose1", "doses") == [(D0, 7, 7)]
    assert records(doses_by_day(scope(CITY, D3, D3), engine), "day", "doses") == [(D3, 16)]
    empty = doses_by_day(scope(CITY, *OUTSIDE), engine)
    assert empty.empty and list(empty.columns) == ["day", "dose1", "dose2", "booster", "doses"]


def test_effective_scope_widens_below_a_district(engine):
    assert effective_scope(scope(STREET_A2), engine) == scope(DISTRICT_A)
    assert effective_scope(scope(DISTRICT_B), engine) == scope(DISTRICT_B)


def test_coverage_total_for_the_city(engine):
    result = coverage_total(scope(CITY), engine)
    assert set(result.columns) == {"area_code", *COVERAGE_COLUMNS}
    assert result["area_code"].tolist() == [CITY]
    # population 300+100+100+80+40 = 620
    # 1st: baselines 250+60+80+70+20 = 480, given up to D3 7+5+3+2 = 17 → 497
    # 2nd: baselines 200+50+70+60+10 = 390, given 4+6+4 = 14 → 404
    # booster: baselines 100+10+30+20+0 = 160, given 20+30+10+10 = 70 → 230
    assert records(result, "population", "dose1", "dose2", "booster") == [(620, 497, 404, 230)]
    assert floats(result, "coverage_dose1") == pytest.approx([497 / 620])
    assert floats(result, "coverage_dose2") == pytest.approx([404 / 620])
    assert floats(result, "coverage_booster") == pytest.approx([230 / 620])


def test_coverage_total_counts_doses_up_to_the_ranges_end(engine):
    # Range ending D1: 1st 480 + 7 (D0) + 5 + 3; 2nd 390 + 4; booster 160 + 20 — the range's start does not matter.
    assert records(coverage_total(scope(CITY, D1, D1), engine), "dose1", "dose2", "booster") == [(495, 394, 180)]
    # Before any dose: baselines only.
    assert records(coverage_total(scope(CITY, BEFORE_ANY_DOSE, BEFORE_ANY_DOSE), engine), "dose1", "dose2", "booster") == [
        (480, 390, 160)
    ]


def test_coverage_total_for_a_street_reads_its_district(engine):
    # District A: population 500; 1st 390 + (7+5+2); 2nd 320 + (4+6); booster 140 + (20+30+10)
    district = coverage_total(scope(DISTRICT_A), engine)
    assert records(district, "population", "dose1", "dose2", "booster") == [(500, 404, 330, 200)]
    assert floats(district, "coverage_booster") == pytest.approx([0.4])
    assert records(coverage_total(scope(STREET_A1), engine), "area_code", "population", "dose1", "dose2", "booster") == [
        (DISTRICT_A, 500, 404, 330, 200)
    ]
    # District B: 120; 1st 90 + 3; 2nd 70 + 4; booster 20 + 10 — and A + B = the city (497, 404, 230)
    assert records(coverage_total(scope(STREET_B1), engine), "population", "dose1", "dose2", "booster") == [(120, 93, 74, 30)]


def test_coverage_by_age_group(engine):
    result = coverage_by_age_group(scope(CITY), engine)
    assert set(result.columns) == {"age_group", *COVERAGE_COLUMNS}
    assert records(result, "age_group", "population", "dose1", "dose2", "booster") == [
        # 18-59: 300+100+80; 1st 250+80+70 + 7 + 2; 2nd 200+70+60 + 4; booster 100+30+20 + 20+30+10+10
        ("18-59", 480, 409, 334, 220),
        # 60-79: 100+40; 1st 60+20 + 5+3; 2nd 50+10 + 6+4; booster 10+0, none given
        ("60-79", 140, 88, 70, 10),
    ]
    assert floats(result, "coverage_dose2") == pytest.approx([334 / 480, 70 / 140])


def test_coverage_by_age_group_for_a_street_reads_its_district(engine):
    result = coverage_by_age_group(scope(STREET_A2), engine)
    assert records(result, "age_group", "population", "dose1", "dose2", "booster") == [
        ("18-59", 400, 339, 274, 190),  # 300+100; 330+7+2; 270+4; 130+20+30+10
        ("60-79", 100, 65, 56, 10),  # A1 only: 60+5; 50+6; 10
    ]


def test_coverage_by_area_ranks_districts_by_booster_coverage(engine):
    result = coverage_by_area(scope(CITY), engine)
    assert set(result.columns) == {"area_code", *COVERAGE_COLUMNS, "name_zh", "name_en"}
    # booster coverage A 200/500 = 40 % before B 30/120 = 25 %
    assert records(result, "area_code", "name_en", "population", "dose1", "dose2", "booster") == [
        (DISTRICT_A, "Jia District", 500, 404, 330, 200),
        (DISTRICT_B, "O'Brien County", 120, 93, 74, 30),
    ]
    assert floats(result, "coverage_booster") == pytest.approx([0.4, 0.25])
    # The districts add up to the city.
    total = coverage_total(scope(CITY), engine)
    for column in ("population", "dose1", "dose2", "booster"):
        assert result[column].sum() == total[column].iloc[0], column


def test_coverage_by_area_below_a_district_is_the_district(engine):
    assert records(coverage_by_area(scope(STREET_B1), engine), "area_code", "name_zh", "dose2") == [(DISTRICT_B, "乙县", 74)]
    assert records(coverage_by_area(scope(DISTRICT_A, D1, D1), engine), "area_code", "booster") == [(DISTRICT_A, 160)]  # 140 + 20


def test_site_capacity_for_the_city(engine):
    result = site_capacity(scope(CITY), engine)
    assert list(result.columns) == ["kind", "sites", "daily_capacity", "doses", "doses_per_day", "utilisation"]
    assert records(result, "kind", "sites", "daily_capacity", "doses") == [
        ("fixed", 2, 180, 78),  # capacity 100 + 80; doses D1..D3 at VS_AF1 20+5+30+6+10 = 71 and VS_BF1 3+4 = 7
        ("mobile_team", 1, 50, 6),  # 4 + 2
        ("vehicle", 1, 40, 10),
    ]
    # doses over 3 days: 78/3 = 26 a day of 180; 6/3 = 2 of 50; 10/3 of 40
    assert floats(result, "doses_per_day") == pytest.approx([26, 2, 10 / 3])
    assert floats(result, "utilisation") == pytest.approx([26 / 180, 2 / 50, (10 / 3) / 40])


def test_site_capacity_for_a_street_and_a_day_without_doses(engine):
    street = site_capacity(scope(STREET_A2), engine)
    assert records(street, "kind", "sites", "daily_capacity", "doses", "doses_per_day") == [("mobile_team", 1, 50, 6, 2)]
    # No dose at all in the range: the sites still count, with zero use.
    quiet = site_capacity(scope(DISTRICT_B, *OUTSIDE), engine)
    assert records(quiet, "kind", "sites", "daily_capacity", "doses", "utilisation") == [
        ("fixed", 1, 80, 0, 0),
        ("vehicle", 1, 40, 0, 0),
    ]
    # D0 alone: VS_AF1's 7 first doses in one day.
    assert records(site_capacity(scope(STREET_A1, D0, D0), engine), "kind", "doses", "doses_per_day") == [("fixed", 7, 7)]
