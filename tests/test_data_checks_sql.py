"""The vaccination checks' reads on every engine: doses above delivered (the hand-built city
with a vaccine ledger added, figures worked by hand, and the same days as the rule judged
on the per-day frame), coverage as the vaccination pages count it, doses above a site's
capacity behind a later correction, and the inspections per day as the page counts them."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, insert

from data_access import inspections, vaccination
from data_access import schema as s
from data_access.data_checks import (
    VACCINE_ITEM,
    _coverage_figures,
    _inspections_by_day,
    booster_coverage_by_district,
    doses_above_capacity_rows,
    doses_above_delivered,
    doses_above_delivered_rows,
    vaccine_delivered_and_given,
)
from data_access.engine import upgrade_schema
from data_access.scope import clear_area_cache
from tests import fixtures_data
from tests.fixtures_data import CITY, COMMUNITY_A1A, D1, D2, D3, DISTRICT_A, DISTRICT_B, STREET_A1, VS_AF1, WH_A, WH_B, WH_CITY
from tests.helpers import records, scope

# Doses given (tests/fixtures_data.py DOSES), district A: D0 7, D1 29, D2 36, D3 12;
# district B: D1 3, D2 10, D3 4.
# day, warehouse, opening stock, doses procured
VACCINE_LEDGER = [
    (D1, WH_A, 30, 0),  # A from D1: 30 in stock (D0's 7 doses came out of what was there before)
    (D3, WH_A, 0, 10),  # no report on D2
    (D2, WH_B, 12, 0),  # B from D2: its D1 doses are not counted
    (D3, WH_B, 2, 0),
    (D1, WH_CITY, 1000, 0),  # the city reserve is in no district: it covers none
]


def city_with(engine: Engine, *added: tuple) -> Engine:
    """``engine`` holding the hand-built city and ``added``: (table, rows) to insert."""
    upgrade_schema(engine)
    fixtures_data.load(engine)
    with engine.begin() as conn:
        for table, rows in added:
            conn.execute(insert(table), rows)
    clear_area_cache(engine)
    return engine


@pytest.fixture(scope="module", params=fixtures_data.ENGINE_KINDS)
def ledger_city(request, new_database):
    vaccine = {
        "code": VACCINE_ITEM,
        "name_zh": "疫苗",
        "name_en": "Vaccine",
        "category": "vaccine",
        "unit_zh": "剂",
        "unit_en": "doses",
    }
    ledger = [
        {
            "day": day,
            "warehouse_code": warehouse,
            "item_code": VACCINE_ITEM,
            "opening_stock": opening,
            "inbound_procured": procured,
            "inbound_allocated": 0,
            "inbound_donated": 0,
            "outbound_frontline": 0,
            "closing_stock": 0,
            "production_capacity": 0,
        }
        for day, warehouse, opening, procured in VACCINE_LEDGER
    ]
    return city_with(new_database(request.param), (s.supply_item, [vaccine]), (s.supply_ledger, ledger))


COLUMNS = ("day", "district_code", "given", "delivered")


def test_days_given_above_delivered(ledger_city):
    # A: given from D1 29, 65, 77; delivered 30, 30, 40 → over on D2 and D3.
    # B: given from D2 10, 14; delivered 12, 12 → over on D3 (with D1's 3 doses it would be D2 too).
    assert records(doses_above_delivered_rows(scope(CITY), ledger_city), *COLUMNS) == [
        (D2, DISTRICT_A, 65, 30),
        (D3, DISTRICT_A, 77, 40),
        (D3, DISTRICT_B, 14, 12),
    ]
    # Only the range's days are returned; a street reads its district; the names come along.
    assert records(doses_above_delivered_rows(scope(CITY, D3, D3), ledger_city), "district_code") == [
        (DISTRICT_A,),
        (DISTRICT_B,),
    ]
    street = doses_above_delivered_rows(scope(STREET_A1), ledger_city)
    assert records(street, "day", "district_code", "name_en") == [
        (D2, DISTRICT_A, "Jia District"),
        (D3, DISTRICT_A, "Jia District"),
    ]


@pytest.mark.parametrize("area_code", [CITY, DISTRICT_A, DISTRICT_B, STREET_A1])
@pytest.mark.parametrize("start", [D1, D2, D3])
def test_same_days_as_the_rule_on_the_daily_frame(ledger_city, area_code, start):
    expected = [
        (c.day, c.details["area_code"], c.figure, c.details["delivered"], c.details["name_zh"], c.details["name_en"])
        for c in doses_above_delivered(vaccine_delivered_and_given(scope(area_code, start, D3), ledger_city))
        if c.day >= start
    ]
    rows = doses_above_delivered_rows(scope(area_code, start, D3), ledger_city)
    assert records(rows, "day", "district_code", "given", "delivered", "name_zh", "name_en") == expected


@pytest.mark.parametrize("area_code", [CITY, DISTRICT_A, DISTRICT_B, STREET_A1])
@pytest.mark.parametrize("end", [D1, D3])
def test_coverage_figures_are_the_vaccination_pages(engine, area_code, end):
    """The data check's coverage frames, from three statements, hold the same people,
    population and coverage as the vaccination functions it stands in for."""
    within = scope(area_code, D1, end)
    total, by_area, by_age = _coverage_figures(within, engine)
    columns = ["population", "dose1", "dose2", "booster", "coverage_dose1", "coverage_dose2", "coverage_booster"]
    for mine, theirs, keys in (
        (total, vaccination.coverage_total(within, engine), ["area_code"]),
        (by_area, vaccination.coverage_by_area(within, engine), ["area_code", "name_en"]),
        (by_age, vaccination.coverage_by_age_group(within, engine), ["age_group"]),
    ):
        assert records(mine, *keys, *columns) == records(theirs, *keys, *columns)


@pytest.mark.parametrize("area_code", [CITY, DISTRICT_A, STREET_A1])
def test_booster_coverage_by_district_is_the_vaccination_pages_on_each_day(engine, area_code):
    """The vaccination alert's booster coverage per district on two days, from one read,
    is the vaccination page's ranking on each of those days."""
    days = [D3, D1]
    mine = booster_coverage_by_district(scope(area_code, D1, D3), days, engine)
    for day, got in zip(days, mine, strict=True):
        theirs = vaccination.coverage_by_area(scope(area_code, day, day), engine)
        assert dict(records(got, "area_code", "coverage_booster")) == pytest.approx(
            dict(records(theirs, "area_code", "coverage_booster"))
        )
        assert len(got) == len(theirs) > 0


@pytest.fixture(scope="module", params=fixtures_data.ENGINE_KINDS)
def corrected_city(request, new_database):
    """The hand-built city with a correction: 40 doses taken back at a site on D3."""
    correction = {"day": D3, "site_code": VS_AF1, "age_group": "60-79", "dose_number": 1, "doses": -40}
    return city_with(new_database(request.param), (s.vaccination_daily, [correction]))


def test_a_day_above_capacity_is_found_behind_a_later_correction(corrected_city):
    # VS_AF1 (capacity 100, limit 33 at × 0.33): D1 25, D2 36, D3 10 − 40 = −30 doses. The
    # range's 31 doses in all stay under the limit; D2's 36 do not.
    rows = doses_above_capacity_rows(scope(CITY), corrected_city, factor=0.33)
    assert records(rows, "day", "unit", "figure", "capacity") == [(D2, VS_AF1, 36, 100)]
    assert rows["limit"].astype(float).tolist() == pytest.approx([33.0])
    assert doses_above_capacity_rows(scope(CITY, D3, D3), corrected_city, factor=0.33).empty


@pytest.mark.parametrize("area_code", [CITY, DISTRICT_A, STREET_A1, COMMUNITY_A1A])
def test_inspections_per_day_are_the_inspection_pages(engine, area_code):
    """The inspections jump check's daily figure, read alone, is the inspections page's."""
    within = scope(area_code)
    assert _inspections_by_day(within, engine) == records(
        inspections.inspection_daily_totals(within, engine), "day", "inspections"
    )
    assert _inspections_by_day(within, engine)  # the hand-built city has inspections
