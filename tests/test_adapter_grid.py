"""Grid-unit 网格 queries against the hand-built city (figures worked by hand).

Units G1..G6 report D1..D3, except G6 (the only unit of district B, 0 households) on D3.
"""

from __future__ import annotations

import pytest

from data_access.grid import grid_daily_totals, grid_units_for_map
from tests.fixtures_data import (
    CITY,
    COMMUNITY_A1A,
    COMMUNITY_A1B,
    COMMUNITY_B1A,
    COMPOUND_A1A1,
    D1,
    D2,
    D3,
    DISTRICT_A,
    G1,
    G2,
    G3,
    OUTSIDE,
    STREET_A1,
    STREET_A2,
    STREET_B1,
)
from tests.helpers import by_day, floats, records, scope

NAN = float("nan")
ACTIVITY = [
    "households_visited",
    "people_screened",
    "home_observation",
    "key_close_contacts",
    "key_risk_area_returnees",
    "key_inbound_travellers",
    "workers_on_duty",
]
COLOUR_COUNTS = ["units_green", "units_yellow", "units_orange", "units_red"]


def test_daily_totals_for_the_city(engine):
    result = grid_daily_totals(scope(CITY), engine)
    assert list(result.columns) == ["day", *ACTIVITY, *COLOUR_COUNTS, "units_reporting"]
    assert records(
        result, "day", "households_visited", "people_screened", "home_observation", "workers_on_duty", "units_reporting"
    ) == [
        # D1: visited 10+5+0+40+10+0, screened 25+12+0+100+20+0, observation 1+5, workers 2+1+0+4+2+1
        (D1, 65, 157, 6, 10, 6),
        # D2: 20+6+9+50+12+0; 50+15+20+120+24+0; 2+6+2; 2+1+1+4+2+1
        (D2, 97, 229, 10, 11, 6),
        # D3 (G6 missing): 30+8+12+60+15; 70+20+30+150+30; 3+1+8+1; 3+1+2+4+2
        (D3, 125, 300, 13, 12, 5),
    ]
    assert records(result, *COLOUR_COUNTS) == [
        (5, 1, 0, 0),  # D1 colours 0,0,0,1,0,0
        (3, 1, 2, 0),  # D2 colours 1,0,0,2,0,2
        (1, 2, 1, 1),  # D3 colours 2,1,0,3,1
    ]


def test_daily_totals_roll_up(engine):
    def visited(area_code):
        return by_day(grid_daily_totals(scope(area_code), engine), "households_visited")

    assert visited(COMMUNITY_A1A) == {D1: 15, D2: 35, D3: 50}  # G1+G2+G3: 10+5+0, 20+6+9, 30+8+12
    assert visited(COMMUNITY_A1B) == {D1: 40, D2: 50, D3: 60}  # G4
    assert visited(STREET_A1) == {D1: 55, D2: 85, D3: 110}  # the two communities
    assert visited(STREET_A2) == {D1: 10, D2: 12, D3: 15}  # G5
    assert visited(DISTRICT_A) == {D1: 65, D2: 97, D3: 125}  # the two streets
    assert visited(COMPOUND_A1A1) == {D1: 15, D2: 26, D3: 38}  # G1+G2
    assert visited(G3) == {D1: 0, D2: 9, D3: 12}


def test_daily_totals_range_edges(engine):
    assert records(grid_daily_totals(scope(STREET_B1, D2, D3), engine), "day", "home_observation", "units_orange") == [(D2, 2, 1)]
    empty = grid_daily_totals(scope(CITY, *OUTSIDE), engine)
    assert empty.empty and list(empty.columns) == ["day", *ACTIVITY, *COLOUR_COUNTS, "units_reporting"]


def test_map_of_the_city_draws_streets_on_the_last_day(engine):
    result = grid_units_for_map(scope(CITY), engine)
    assert records(
        result,
        "code",
        "level",
        "name_en",
        "households",
        "households_visited",
        "workers_on_duty",
        "risk_colour",
        "units_reporting",
    ) == [
        # A1 on D3: G1..G4 visited 30+8+12+60 of 170 households; workers 3+1+2+4; worst colour red (3)
        (STREET_A1, "street", "Dongfeng Subdistrict", 170, 110, 10, 3, 4),
        (STREET_A2, "street", "Xi'an Road Subdistrict", 50, 15, 2, 1, 1),
        # B1: G6 did not report on D3 — listed, with zeros and no colour
        (STREET_B1, "street", "North Harbour Town", 0, 0, 0, None, 0),
    ]
    assert records(result, *COLOUR_COUNTS) == [(1, 1, 1, 1), (0, 1, 0, 0), (0, 0, 0, 0)]
    # key persons = close contacts + risk-area returnees + inbound travellers: A1 (1+0+0+3) + (1+0+0+2) + (1+0+1+1)
    assert records(result, "key_persons") == [(10,), (1,), (0,)]
    # visited ÷ households: 110/170, 15/50, 0/0 → NaN
    assert floats(result, "visited_pct") == pytest.approx([110 / 170, 0.3, NAN], nan_ok=True)
    assert floats(result, "workers_per_1000_households") == pytest.approx([10 / 170 * 1000, 2 / 50 * 1000, NAN], nan_ok=True)
    assert result["polygon"].notna().all()


def test_map_of_a_district_draws_its_streets(engine):
    result = grid_units_for_map(scope(DISTRICT_A, D1, D1), engine)
    # D1: A1 visited 10+5+0+40 = 55, worst colour yellow (G4); A2 10
    assert records(result, "code", "households_visited", "risk_colour", "units_green", "units_yellow") == [
        (STREET_A1, 55, 1, 3, 1),
        (STREET_A2, 10, 0, 1, 0),
    ]


def test_map_of_a_street_draws_communities(engine):
    result = grid_units_for_map(scope(STREET_A1), engine)
    assert records(result, "code", "level", "residents", "households", "households_visited", "risk_colour") == [
        (COMMUNITY_A1A, "community", 250, 90, 50, 2),  # G1..G3 on D3: 30+8+12, colours 2,1,0
        (COMMUNITY_A1B, "community", 200, 80, 60, 3),  # G4
    ]
    assert floats(result, "visited_pct") == pytest.approx([50 / 90, 60 / 80])


def test_map_of_a_community_or_compound_draws_grid_units(engine):
    community = grid_units_for_map(scope(COMMUNITY_A1A), engine)
    assert records(
        community, "code", "level", "households", "households_visited", "home_observation", "risk_colour", "units_reporting"
    ) == [
        (G1, "grid", 40, 30, 3, 2, 1),
        (G2, "grid", 20, 8, 1, 1, 1),
        (G3, "grid", 30, 12, 0, 0, 1),
    ]
    assert floats(community, "visited_pct") == pytest.approx([30 / 40, 8 / 20, 12 / 30])
    compound = grid_units_for_map(scope(COMPOUND_A1A1, D2, D2), engine)
    assert records(compound, "code", "households_visited", "risk_colour") == [(G1, 20, 1), (G2, 6, 0)]
    unit = grid_units_for_map(scope(G2), engine)
    assert records(unit, "code", "households_visited") == [(G2, 8)]


def test_map_reads_the_ranges_last_day(engine):
    # Street B1 with the range ending D2: G6 reported 0 visits of 0 households, 2 under observation, orange.
    result = grid_units_for_map(scope(STREET_B1, D1, D2), engine)
    assert records(result, "code", "households_visited", "home_observation", "risk_colour", "units_orange") == [
        (COMMUNITY_B1A, 0, 2, 2, 1)
    ]
    assert floats(result, "visited_pct") == pytest.approx([NAN], nan_ok=True)


def test_map_outside_the_data_still_lists_the_units(engine):
    # The shapes are there even on a day without reports: zero activity, no colour.
    result = grid_units_for_map(scope(STREET_A1, *OUTSIDE), engine)
    assert records(result, "code", "households_visited", "units_reporting", "risk_colour") == [
        (COMMUNITY_A1A, 0, 0, None),
        (COMMUNITY_A1B, 0, 0, None),
    ]
