"""Inspections and enforcement 督导检查 queries against the hand-built city
(tests/fixtures_isolation.py), every figure worked by hand, on every engine."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from data_access.inspections import FLOWS as ALL_FLOWS
from data_access.inspections import STOCKS as ALL_STOCKS
from data_access.inspections import (
    checklist_results,
    inspection_daily_totals,
    inspection_map_units,
    inspections_by_area,
    inspections_by_day_and_type,
    inspections_by_street,
    inspections_by_team,
    inspections_by_type,
    street_figures,
)
from data_access.schema import CHECKLIST_ITEMS, INSPECTION_ENTITY_TYPES
from tests.fixtures_data import CITY, COMMUNITY_A1A, D1, D2, D3, DISTRICT_A, DISTRICT_B, OUTSIDE, STREET_A1, STREET_A2, STREET_B1
from tests.fixtures_isolation import IT_A1, IT_A2, IT_B1
from tests.helpers import records, scope

FIGURES = ["inspections", "inspector_visits", "inspections_passed", "problems_found", "fixed_on_time", "fixed_late"]
STOCKS = ["open_problems", "overdue", "entities_open"]


def test_inspections_per_day_for_the_city(engine):
    result = inspection_daily_totals(scope(CITY), engine)
    assert records(result, "day", *FIGURES, *STOCKS, "penalties", "masks_seized", "teams_reporting") == [
        # D1: checks 10 (A1 markets) + 6 (A2 pharmacies) + 2 (B1 restaurants); visits 18 + 6 + 4; passed 8 + 6 + 2
        (D1, 18, 28, 16, 3, 1, 0, 2, 0, 2, 0, 0, 3),
        # D2: 5 + 4 (A1 at Xi'an Road's pharmacies) + 3; visits 8 + 6 + 3; passed 5 + 3 + 2; 500 masks
        (D2, 12, 17, 10, 3, 3, 0, 2, 0, 2, 1, 500, 2),
        # D3: 0 (a stock row: 1 open, overdue) + 3 + 1 + 2; open 1 + 3 + 0
        (D3, 6, 9, 4, 4, 1, 1, 4, 1, 3, 1, 0, 3),
    ]
    assert result["pass_rate"].tolist() == pytest.approx([16 / 18, 10 / 12, 4 / 6])
    assert result["on_time_rate"].tolist() == pytest.approx([1.0, 1.0, 0.5])


def test_inspections_follow_the_area(engine):
    def checks(area_code):
        return dict(records(inspection_daily_totals(scope(area_code), engine), "day", "inspections"))

    assert checks(DISTRICT_A) == {D1: 16, D2: 9, D3: 3}
    assert checks(DISTRICT_B) == {D1: 2, D2: 3, D3: 3}
    assert checks(STREET_A2) == {D2: 4}
    assert checks(COMMUNITY_A1A) == checks(STREET_A1) == {D1: 16, D2: 5, D3: 3}
    assert inspection_daily_totals(scope(CITY, *OUTSIDE), engine).empty


def test_checks_per_day_by_kind_of_entity(engine):
    columns = ("day", "entity_type", "inspections", "inspector_visits", "inspections_passed")
    assert records(inspections_by_day_and_type(scope(CITY), engine), *columns) == [
        (D1, "market", 10, 18, 8),
        (D1, "pharmacy", 6, 6, 6),
        (D1, "restaurant", 2, 4, 2),
        (D2, "market", 5, 8, 5),
        (D2, "pharmacy", 4, 6, 3),  # IT_A1 at Xi'an Road's pharmacies
        (D2, "restaurant", 3, 3, 2),
        # D3: IT_A1's market row holds only an open problem, no check: no row
        (D3, "pharmacy", 3, 5, 1),
        (D3, "public_venue", 2, 2, 2),
        (D3, "restaurant", 1, 2, 1),
    ]
    # Summed over the kinds, each day's checks are the day's total.
    by_day = inspections_by_day_and_type(scope(CITY), engine).groupby("day")["inspections"].sum().to_dict()
    assert by_day == dict(records(inspection_daily_totals(scope(CITY), engine), "day", "inspections"))
    assert records(inspections_by_day_and_type(scope(STREET_A2), engine), *columns) == [(D2, "pharmacy", 4, 6, 3)]
    assert records(inspections_by_day_and_type(scope(COMMUNITY_A1A, D3, D3), engine), *columns) == [(D3, "pharmacy", 3, 5, 1)]
    assert inspections_by_day_and_type(scope(CITY, *OUTSIDE), engine).empty


def test_by_kind_of_entity(engine):
    result = inspections_by_type(scope(CITY), engine)
    assert list(result["entity_type"]) == list(INSPECTION_ENTITY_TYPES)
    assert records(result, "entity_type", *FIGURES, *STOCKS, "penalties", "masks_seized") == [
        ("pharmacy", 13, 17, 10, 6, 3, 0, 3, 0, 2, 2, 500),  # 4 + 6 + 3 checks; open on the 3rd: IT_A2's 3
        ("market", 15, 26, 13, 3, 2, 0, 1, 1, 1, 0, 0),
        ("restaurant", 6, 9, 5, 1, 0, 1, 0, 0, 0, 0, 0),
        ("public_venue", 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0),
        ("cold_chain", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),  # never inspected
    ]
    rates = result.set_index("entity_type")
    assert rates["pass_rate"].tolist()[:4] == pytest.approx([10 / 13, 13 / 15, 5 / 6, 1.0])
    assert math.isnan(rates.at["cold_chain", "pass_rate"]) and math.isnan(rates.at["public_venue", "on_time_rate"])
    assert (rates.at["pharmacy", "on_time_rate"], rates.at["restaurant", "on_time_rate"]) == (1.0, 0.0)


def test_by_team(engine):
    result = inspections_by_team(scope(CITY), engine)
    assert records(result, "code", "agency", "area_code", *FIGURES, "open_problems", "penalties", "days_reported") == [
        (IT_A1, "market_regulation", DISTRICT_A, 19, 32, 16, 5, 4, 0, 1, 1, 3),
        (IT_A2, "medical_insurance", DISTRICT_A, 9, 11, 7, 4, 1, 0, 3, 1, 2),
        (IT_B1, "health_supervision", DISTRICT_B, 8, 11, 7, 1, 0, 1, 0, 0, 3),
    ]
    # District B is inspected by its own team only; the name keeps its apostrophe.
    assert records(inspections_by_team(scope(DISTRICT_B), engine), "code", "name_en") == [
        (IT_B1, "O'Brien health supervision team")
    ]
    # Xi'an Road saw one team, on one day.
    assert records(inspections_by_team(scope(STREET_A2), engine), "code", "inspections", "days_reported") == [(IT_A1, 4, 1)]


def test_the_five_point_checklist(engine):
    result = checklist_results(scope(CITY), engine=engine)
    assert list(result["item"]) == list(CHECKLIST_ITEMS)
    # Every item was checked at each of the 36 checks; registering buyers at the 13 pharmacy checks only.
    assert records(result, "item", "passed", "failed", "checked") == [
        ("mask", 33, 3, 36),
        ("codes", 34, 2, 36),
        ("temperature", 35, 1, 36),
        ("scan", 35, 1, 36),
        ("register", 12, 1, 13),
    ]
    assert result["pass_rate"].tolist() == pytest.approx([33 / 36, 34 / 36, 35 / 36, 35 / 36, 12 / 13])
    pharmacies = checklist_results(scope(CITY), "pharmacy", engine=engine)
    assert records(pharmacies, "item", "passed", "failed") == [
        ("mask", 12, 1),
        ("codes", 11, 2),
        ("temperature", 13, 0),
        ("scan", 12, 1),
        ("register", 12, 1),
    ]
    nothing = checklist_results(scope(CITY), "cold_chain", engine=engine)
    assert nothing["checked"].tolist() == [0] * 5 and nothing["pass_rate"].isna().all()


def test_by_area_and_its_pass_rate(engine):
    result = inspections_by_area(scope(CITY), engine)
    assert records(result, "area_code", *FIGURES, *STOCKS, "penalties", "masks_seized") == [
        (DISTRICT_A, 28, 43, 23, 9, 5, 0, 4, 1, 3, 2, 500),
        (DISTRICT_B, 8, 11, 7, 1, 0, 1, 0, 0, 0, 0, 0),
    ]
    assert result["pass_rate"].tolist() == pytest.approx([23 / 28, 7 / 8])
    streets = inspections_by_area(scope(DISTRICT_A), engine)
    assert records(streets, "area_code", "inspections", "inspections_passed", "problems_found", "open_problems") == [
        (STREET_A1, 24, 20, 7, 4),
        (STREET_A2, 4, 3, 2, 0),
    ]
    # The last 7 days' pass rate by street (what an alert on a falling pass rate reads), to the 2nd.
    to_the_2nd = inspections_by_area(scope(CITY, D1, D2), engine, level="street")
    assert records(to_the_2nd, "area_code", "inspections", "inspections_passed") == [
        (STREET_A1, 21, 19),
        (STREET_A2, 4, 3),
        (STREET_B1, 5, 4),
    ]
    # By street whatever the scope (what the alert and the wall read): a community reads its street.
    assert inspections_by_street(scope(CITY, D1, D2), engine).equals(to_the_2nd)
    assert records(inspections_by_street(scope(COMMUNITY_A1A), engine), "area_code", "inspections", "overdue") == [
        (STREET_A1, 24, 1)
    ]


@pytest.mark.parametrize(
    ("area_code", "start", "end"), [(CITY, D1, D3), (CITY, D1, D2), (CITY, D3, D3), (DISTRICT_B, D3, D3), (COMMUNITY_A1A, D1, D3)]
)
def test_street_figures_are_the_streets_with_reports(engine, area_code, start, end):
    """The inspection alerts' one grouping: ``inspections_by_street``'s figures for the streets
    with reports in the range; every street left out has nothing to show."""
    full = inspections_by_street(scope(area_code, start, end), engine)
    columns = ["area_code", *ALL_FLOWS, *ALL_STOCKS, "pass_rate", "on_time_rate"]
    rows = street_figures(scope(area_code, start, end), engine)
    assert all(list(row) == columns for row in rows)
    mine = pd.DataFrame(rows, columns=columns)
    assert list(mine.columns) == columns
    assert set(mine["area_code"]) <= set(full["area_code"])
    shown = full[full["area_code"].isin(mine["area_code"])][columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, shown, check_dtype=False)
    left_out = full[~full["area_code"].isin(mine["area_code"])]
    assert (left_out[[*ALL_FLOWS, *ALL_STOCKS]] == 0).all().all()


def test_the_map_shows_entities_with_an_open_problem_per_street(engine):
    result = inspection_map_units(scope(CITY), engine)
    assert records(result, "area_code", "entities_open", "open_problems", "overdue", "inspections") == [
        (STREET_A1, 3, 4, 1, 24),
        (STREET_A2, 0, 0, 0, 4),
        (STREET_B1, 0, 0, 0, 8),
    ]
    assert result["polygon"].str.startswith('{"type": "Polygon"').all()
    assert list(inspection_map_units(scope(COMMUNITY_A1A), engine)["area_code"]) == [STREET_A1]
    # On the 2nd: B1's restaurant had one problem open.
    assert records(inspection_map_units(scope(DISTRICT_B, D2, D2), engine), "area_code", "entities_open") == [(STREET_B1, 1)]
