"""What the stock-out projection reads (data_access/supply_projection.py), against the
hand-built city on every engine (figures worked by hand from tests/fixtures_data.py).

Depots: WH_A (district A), WH_B (district B, no mask report on D3), WH_CITY (the city
reserve, in no district: left out). Activities per district and day: samples tested,
checkpoint staff shifts (lanes × staffed hours ÷ 8) and doses given.
"""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.engine import upgrade_schema
from data_access.rollups import TESTING, VACCINATION, drop_marking_triggers
from data_access.scope import AccessDenied, Scope
from data_access.supply_projection import (
    ACTIVITIES,
    LEDGER_FLOWS,
    district_activity_days,
    district_ledger_days,
    history_window,
)
from tests import fixtures_data
from tests.fixtures_data import CITY, D0, D1, D2, D3, DISTRICT_A, DISTRICT_B, OUTSIDE, STREET_B1
from tests.helpers import records, scope

LEDGER_COLUMNS = ["district_code", "item_code", "day", *LEDGER_FLOWS, "depots_reporting"]


def test_history_window_is_the_28_days_up_to_the_end():
    assert history_window(D3) == (dt.date(2022, 3, 7), D3)
    assert history_window(D3, 7) == (dt.date(2022, 3, 28), D3)


def test_ledger_days_of_the_city_per_district_without_the_reserve(engine):
    result = district_ledger_days(scope(CITY), engine)
    assert list(result.columns) == LEDGER_COLUMNS
    # day, out, procured, allocated, donated, closing, capacity — WH_CITY's masks are not here
    assert records(result, *LEDGER_COLUMNS) == [
        (DISTRICT_A, "MASK", D1, 300, 100, 0, 0, 800, 150, 1),
        (DISTRICT_A, "MASK", D2, 400, 100, 500, 0, 1000, 150, 1),
        (DISTRICT_A, "MASK", D3, 350, 100, 0, 50, 800, 200, 1),
        (DISTRICT_A, "N95", D1, 20, 0, 0, 0, 180, 0, 1),
        (DISTRICT_A, "N95", D2, 40, 0, 0, 0, 140, 0, 1),
        (DISTRICT_A, "N95", D3, 0, 0, 0, 0, 140, 0, 1),
        (DISTRICT_B, "DISINF", D1, 0, 10, 0, 0, 70, 5, 1),
        (DISTRICT_B, "DISINF", D2, 0, 0, 0, 0, 70, 5, 1),
        (DISTRICT_B, "DISINF", D3, 0, 0, 0, 0, 70, 5, 1),
        (DISTRICT_B, "MASK", D1, 100, 0, 0, 0, 400, 0, 1),
        (DISTRICT_B, "MASK", D2, 100, 0, 0, 0, 300, 0, 1),  # no report on D3: no row
    ]


def test_ledger_days_below_a_district_read_the_district_and_the_range(engine):
    street = district_ledger_days(scope(STREET_B1, D2, D3), engine)
    assert records(street, "district_code", "item_code", "day", "closing_stock") == [
        (DISTRICT_B, "DISINF", D2, 70),
        (DISTRICT_B, "DISINF", D3, 70),
        (DISTRICT_B, "MASK", D2, 300),
    ]
    empty = district_ledger_days(scope(CITY, *OUTSIDE), engine)
    assert empty.empty and list(empty.columns) == LEDGER_COLUMNS


def test_activity_days_per_district(engine):
    result = district_activity_days(scope(CITY, D0, D3), engine)
    assert list(result.columns) == ["district_code", "day", *ACTIVITIES]
    assert records(result, "district_code", "day", *ACTIVITIES) == [
        # D0: only VS_AF1's 7 first doses; no testing, no checkpoint report (NaN, not 0)
        (DISTRICT_A, D0, None, None, 7),
        # samples tested SS1 + SS2 + SS3: 90 + 50 + 20; lane-hours CP_A1 2 lanes × 2 h +
        # CP_A2 4 × 1 = 8 → 1 shift; doses 20 + 5 + 4
        (DISTRICT_A, D1, 160, 1, 29),
        # 180 + 60 + 60; 2 × 1 + 4 × 2 = 10 lane-hours → 1.25 shifts; 30 + 6
        (DISTRICT_A, D2, 300, 1.25, 36),
        # SS2 did not report: 65 + 20; CP_A2 did not report: 2 × 1 → 0.25; 10 + 2
        (DISTRICT_A, D3, 85, 0.25, 12),
        # SS4 40; CP_B1 1 lane × 1 h → 0.125; VS_BF1 3
        (DISTRICT_B, D1, 40, 0.125, 3),
        (DISTRICT_B, D2, 0, 0.125, 10),  # a zero report is 0
        (DISTRICT_B, D3, 10, 0.125, 4),
    ]


def test_activity_days_from_the_detail_equal_the_roll_ups(engine, empty_engine):
    # Without the marking triggers the roll-ups cannot be trusted: samples and doses are
    # summed from the sites' own rows. The same figures as through the roll-ups.
    upgrade_schema(empty_engine)
    fixtures_data.load(empty_engine)
    with empty_engine.begin() as conn:
        drop_marking_triggers(conn)
    assert not TESTING.usable(empty_engine, "district") and not VACCINATION.usable(empty_engine, "district")
    assert TESTING.usable(engine, "district") and VACCINATION.usable(engine, "district")
    detail = district_activity_days(scope(CITY, D0, D3), empty_engine)
    rolled_up = district_activity_days(scope(CITY, D0, D3), engine)
    columns = ("district_code", "day", *ACTIVITIES)
    assert records(detail, *columns) == records(rolled_up, *columns)
    assert len(detail) == 7


def test_activity_days_of_one_district_and_outside_the_data(engine):
    result = district_activity_days(scope(STREET_B1, D2, D2), engine)
    assert records(result, "district_code", "day", *ACTIVITIES) == [(DISTRICT_B, D2, 0, 0.125, 10)]
    empty = district_activity_days(scope(CITY, *OUTSIDE), engine)
    assert empty.empty and list(empty.columns) == ["district_code", "day", *ACTIVITIES]


def test_a_district_reader_reads_only_its_district(engine):
    own = district_ledger_days(Scope(DISTRICT_B, D1, D3, within=DISTRICT_B), engine)
    assert set(own["district_code"]) == {DISTRICT_B}
    with pytest.raises(AccessDenied):
        district_ledger_days(Scope(CITY, D1, D3, within=DISTRICT_B), engine)
    with pytest.raises(AccessDenied):
        district_activity_days(Scope(DISTRICT_A, D1, D3, within=DISTRICT_B), engine)
