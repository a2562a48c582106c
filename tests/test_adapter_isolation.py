"""Isolation and observation 隔离管控 queries against the hand-built city
(tests/fixtures_isolation.py), every figure worked by hand, on every engine."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from data_access import isolation
from data_access.isolation import (
    days_until_full,
    isolation_map_units,
    people_by_area,
    people_by_category,
    people_by_category_daily,
    people_daily_totals,
    people_figures_by_area,
    site_daily_totals,
    site_load,
    site_summary,
    site_table,
)
from data_access.schema import ISOLATION_CATEGORIES, ISOLATION_MEASURES
from tests.fixtures_data import (
    CITY,
    COMMUNITY_A1A,
    D1,
    D2,
    D3,
    DISTRICT_A,
    DISTRICT_B,
    OUTSIDE,
    STREET_A1,
    STREET_A2,
    STREET_B1,
)
from tests.fixtures_isolation import IS_A1, IS_A2, IS_B1
from tests.helpers import records, scope

HELD = ["held_centralised", "held_home_isolation", "held_home_monitoring"]


def test_people_per_day_for_the_city(engine):
    result = people_daily_totals(scope(CITY), engine)
    assert list(result.columns) == ["day", "new_in", "released", "held", "overdue", *HELD, "streets_reporting"]
    assert records(result, "day", "new_in", "released", "held", "overdue", *HELD, "streets_reporting") == [
        # D1: in 5 + 1 + 2 (Dongfeng) + 4 (Xi'an Road) + 6 + 1 (North Harbour) = 19; held 5+1+10 + 4 + 6+1 = 27;
        #     centralised 5 + 4, home isolation 1 + 6, home monitoring 10 + 1
        (D1, 19, 0, 27, 0, 9, 7, 11, 3),
        # D2: in 3 + 1 + 2 = 6; out 1 + 3 + 1 = 5; held 7+1+8 + 4+2 + 6+0 = 28
        (D2, 6, 5, 28, 0, 11, 7, 10, 3),
        # D3: North Harbour did not report; in 2; out 2 + 1 + 4 = 7; held 5+0+10 + 0+2 = 17, one overdue
        (D3, 2, 7, 17, 1, 5, 0, 12, 2),
    ]


def test_people_follow_the_area_and_a_community_reads_its_street(engine):
    def held(area_code, **days):
        return dict(records(people_daily_totals(scope(area_code, **days), engine), "day", "held"))

    assert held(DISTRICT_A) == {D1: 20, D2: 22, D3: 17}  # Dongfeng 16, 16, 15 + Xi'an Road 4, 6, 2
    assert held(DISTRICT_B) == {D1: 7, D2: 6}
    assert held(STREET_A2) == {D1: 4, D2: 6, D3: 2}
    assert held(COMMUNITY_A1A) == held(STREET_A1) == {D1: 16, D2: 16, D3: 15}
    assert held(CITY, start=D2, end=D2) == {D2: 28}
    assert people_daily_totals(scope(CITY, *OUTSIDE), engine).empty


def test_every_category_and_measure_over_the_range(engine):
    result = people_by_category(scope(CITY), engine)
    assert list(result.columns) == ["category", "measure", "new_in", "released", "held", "overdue"]
    assert len(result) == len(ISOLATION_CATEGORIES) * len(ISOLATION_MEASURES)  # zeros where none
    shown = {(r[0], r[1]): r[2:] for r in records(result, "category", "measure", "new_in", "released", "held", "overdue")}
    # In and out over the three days; held and overdue as of the 3rd (North Harbour's last report was the 2nd: 0).
    assert {k: v for k, v in shown.items() if any(v)} == {
        ("close_contact", "centralised"): (8, 3, 5, 1),
        ("close_contact", "home_isolation"): (1, 1, 0, 0),
        ("secondary_contact", "home_isolation"): (6, 0, 0, 0),
        ("risk_area_arrival", "home_monitoring"): (5, 3, 10, 0),
        ("inbound_arrival", "centralised"): (4, 4, 0, 0),
        ("discharged", "home_monitoring"): (2, 0, 2, 0),
        ("other", "home_monitoring"): (1, 1, 0, 0),
    }
    assert list(result["category"].drop_duplicates()) == list(ISOLATION_CATEGORIES)
    # Ending on the 2nd: North Harbour's 6 secondary contacts are held.
    second = people_by_category(scope(CITY, D1, D2), engine).set_index(["category", "measure"])
    assert second.loc[("secondary_contact", "home_isolation"), "held"] == 6


def test_categories_per_day(engine):
    result = people_by_category_daily(scope(DISTRICT_A), engine)
    assert records(result[result["category"] == "close_contact"], "day", "new_in", "released", "held", "overdue") == [
        (D1, 6, 0, 6, 0),  # centralised 5 + at home 1
        (D2, 3, 1, 8, 0),
        (D3, 0, 3, 5, 1),
    ]
    assert list(result[result["day"] == D2]["category"]) == [
        "close_contact",
        "risk_area_arrival",
        "inbound_arrival",
        "discharged",
    ]


def test_people_by_area(engine):
    result = people_by_area(scope(CITY), engine)
    columns = ["new_in", "released", "held", "overdue", *HELD]
    assert records(result, "area_code", *columns, "residents") == [
        # A: in 8+1+5 (Dongfeng) + 4+2 (Xi'an Road); out 3+1+3 + 4; held on the 3rd 15 + 2
        (DISTRICT_A, 20, 11, 17, 1, 5, 0, 12, 600),
        (DISTRICT_B, 7, 1, 0, 0, 0, 0, 0, 120),  # nothing reported on the 3rd
    ]
    streets = people_by_area(scope(DISTRICT_A), engine)
    assert records(streets, "area_code", *columns) == [(STREET_A1, 14, 7, 15, 1, 5, 0, 10), (STREET_A2, 6, 4, 2, 0, 0, 0, 2)]
    assert records(people_by_area(scope(COMMUNITY_A1A), engine), "area_code", "held") == [(STREET_A1, 15)]
    assert records(people_by_area(scope(CITY), engine, level="street"), "area_code", "held") == [
        (STREET_A1, 15),
        (STREET_A2, 2),
        (STREET_B1, 0),
    ]


def test_the_map_draws_every_street_with_people_at_home(engine):
    result = isolation_map_units(scope(CITY), engine).set_index("area_code")
    assert list(result.index) == [STREET_A1, STREET_A2, STREET_B1]
    assert result["polygon"].str.startswith('{"type": "Polygon"').all()
    assert records(result.reset_index(), "area_code", "held", "at_home", "held_centralised", "overdue") == [
        (STREET_A1, 15, 10, 5, 1),
        (STREET_A2, 2, 2, 0, 0),
        (STREET_B1, 0, 0, 0, 0),
    ]
    assert result.at[STREET_A1, "held_per_10k"] == pytest.approx(15 / 450 * 10_000)
    # A street's scope draws the street itself.
    assert list(isolation_map_units(scope(COMMUNITY_A1A), engine)["area_code"]) == [STREET_A1]


# ------------------------------------------------------------------ sites
def test_site_table_on_the_last_day(engine):
    result = site_table(scope(CITY), engine).set_index("code")
    assert list(result.index) == [IS_A1, IS_A2]  # IS_B1 is retired from the 3rd
    assert list(result.reset_index().columns) == isolation.SITE_COLUMNS
    a1, a2 = result.loc[IS_A1], result.loc[IS_A2]
    assert (a1.rooms, a1.rooms_occupied, a1.people, a1.staff, a1.new_in, a1.released, a1.cases_found) == (10, 5, 5, 4, 9, 4, 1)
    # 7 days up to the 3rd: in − out = 6 + (3 − 1) + (0 − 3) = 5, a mean of 5/7 a day; 5 rooms free → 7 days.
    assert a1.net_intake_7d == pytest.approx(5 / 7) and a1.free_rooms == 5 and a1.occupancy == 0.5
    assert a1.days_until_full == pytest.approx(7.0) and not a1.single_room_breach
    assert (a1.lon, a1.lat, a1.at_area_centre) == (114.5, 33.2, False)
    # Empty again, nothing coming in net: not filling (NaN), placed at its street's centre (area 4: 114.04).
    assert (a2.people, a2.occupancy, a2.net_intake_7d, a2.free_rooms) == (0, 0, 0, 4)
    assert math.isnan(a2.days_until_full) and a2.at_area_centre and a2.lon == pytest.approx(114.04)
    assert (a1.district_code, a2.district_code) == (DISTRICT_A, DISTRICT_A)


def test_site_table_on_the_2nd_shows_the_breach_and_the_retired_site(engine):
    result = site_table(scope(CITY, D1, D2), engine).set_index("code")
    assert list(result.index) == [IS_A1, IS_A2, IS_B1]
    a1 = result.loc[IS_A1]
    assert (a1.rooms_occupied, a1.people, a1.single_room_breach) == (7, 8, True)  # a family of two in one room
    # in − out up to the 2nd: 6 + 2 = 8, 8/7 a day; 3 rooms free → 2.625 days
    assert a1.days_until_full == pytest.approx(3 / (8 / 7))
    assert result.loc[IS_B1, "occupancy"] == pytest.approx(2 / 6)


@pytest.mark.parametrize(("area_code", "day"), [(CITY, D3), (CITY, D2), (CITY, D1), (DISTRICT_B, D2), (STREET_A1, D3)])
def test_site_load_is_the_site_tables_reporting_sites(engine, area_code, day):
    """The isolation alerts' one-statement read: the site table's figures of the sites that
    reported the day (a range's last day), nothing else."""
    table = site_table(scope(area_code, day, day), engine)
    table = table[table["reported"]].reset_index(drop=True)
    load = pd.DataFrame(site_load(scope(area_code, day, day), engine), columns=isolation.SITE_LOAD_COLUMNS)
    assert list(load.columns) == isolation.SITE_LOAD_COLUMNS and len(load) == len(table) > 0
    pd.testing.assert_frame_equal(load, table[isolation.SITE_LOAD_COLUMNS], check_dtype=False)


@pytest.mark.parametrize(("area_code", "day"), [(CITY, D1), (CITY, D3), (DISTRICT_A, D2), (DISTRICT_B, D3), (COMMUNITY_A1A, D3)])
def test_people_figures_by_area_are_the_areas_with_reports(engine, area_code, day):
    """The overdue-release alert's read: ``people_by_area``'s figures for the areas with
    reports, without names; every area left out holds nobody."""
    full = people_by_area(scope(area_code, day, day), engine)
    columns = [c for c in full.columns if c not in ("name_zh", "name_en", "residents")]
    mine = pd.DataFrame(people_figures_by_area(scope(area_code, day, day), engine))
    mine = mine if len(mine.columns) else pd.DataFrame(columns=columns)
    assert list(mine.columns) == columns and set(mine["area_code"]) <= set(full["area_code"])
    shown = full[full["area_code"].isin(mine["area_code"])][columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, shown, check_dtype=False)
    assert (full[~full["area_code"].isin(mine["area_code"])][columns[1:]] == 0).all().all()


def test_a_retired_site_is_listed_until_its_retirement(engine):
    assert records(site_table(scope(DISTRICT_B, D1, D2), engine), "code", "reported", "people") == [(IS_B1, True, 2)]
    assert site_table(scope(DISTRICT_B), engine).empty  # on the 3rd district B has no site in service


def test_site_summary_adds_up_the_sites(engine):
    summary = site_summary(site_table(scope(CITY), engine))
    assert {k: summary[k] for k in ("sites", "sites_reporting", "rooms", "rooms_occupied", "people", "staff", "free_rooms")} == {
        "sites": 2, "sites_reporting": 2, "rooms": 14, "rooms_occupied": 5, "people": 5, "staff": 5, "free_rooms": 9,
    }  # fmt: skip
    assert summary["occupancy"] == pytest.approx(5 / 14)
    assert summary["net_intake_7d"] == pytest.approx(5 / 7)
    assert summary["days_until_full"] == pytest.approx(9 / (5 / 7))  # 12.6 days
    assert (summary["single_room_breaches"], summary["cases_found"]) == (0, 1)


def test_site_totals_per_day(engine):
    result = site_daily_totals(scope(CITY), engine)
    columns = ["sites_reporting", "rooms", "rooms_occupied", "people", "staff", "new_in", "released", "cases_found"]
    assert records(result, "day", *columns, "single_room_breaches") == [
        (D1, 3, 20, 9, 9, 7, 9, 0, 0, 0),
        (D2, 3, 20, 12, 13, 9, 5, 1, 1, 1),  # IS_A1: 8 people in 7 rooms
        (D3, 2, 14, 5, 5, 5, 0, 6, 0, 0),  # IS_B1 retired, no row
    ]
    assert result["occupancy"].tolist() == pytest.approx([9 / 20, 12 / 20, 5 / 14])
    # District A's sites hold its streets' centralised isolation: 9, 11, 5.
    assert records(site_daily_totals(scope(DISTRICT_A), engine), "people") == [(9,), (11,), (5,)]
    assert records(people_daily_totals(scope(DISTRICT_A), engine), "held_centralised") == [(9,), (11,), (5,)]


def test_days_until_full_by_hand():
    # 10 free at 2 a day; not filling (0 or fewer a day); full already; a site that did not report.
    result = days_until_full([10, 10, 0, -2, 5, None], [2, 0, 3, 1, -1, 1]).tolist()
    assert result[0] == 5.0 and result[2:4] == [0.0, 0.0]
    assert all(math.isnan(result[i]) for i in (1, 4, 5))


def test_frames_keep_their_columns_when_empty(engine):
    empty = scope(CITY, *OUTSIDE)
    assert people_by_category(empty, engine)[["new_in", "held"]].sum().tolist() == [0, 0]
    assert site_daily_totals(empty, engine).empty and "occupancy" in site_daily_totals(empty, engine)
    sites = site_table(empty, engine)  # sites in service, none reported
    assert sites["reported"].tolist() == [False, False] and sites["occupancy"].isna().all()
    assert isinstance(people_by_category_daily(empty, engine), pd.DataFrame)
