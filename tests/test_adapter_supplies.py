"""Supplies 物资保障 queries against the hand-built city (figures worked by hand).

Depots: WH_A (district A), WH_B (district B, no mask report on D3), WH_CITY (the city
reserve, at city level, no report on D2). Days of cover are read as of the range's last
day: stock at each depot's last report in the 7 days up to it ÷ mean daily outbound in
those 7 days, whatever the range's first day (issue 9).
"""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.supplies import (
    consumption_window,
    days_of_cover_by_district,
    effective_scope,
    supply_item_daily,
    supply_items,
    supply_status,
)
from tests.fixtures_data import CITY, D1, D2, D3, DISTRICT_A, DISTRICT_B, OUTSIDE, STREET_A1, STREET_B1
from tests.helpers import floats, records, scope

NAN = float("nan")
LATE_END = dt.date(2022, 4, 9)  # a range reaching 6 days past the data: the 7-day window holds only D3
BY_DISTRICT_COLUMNS = [
    "district_code",
    "district_name_zh",
    "district_name_en",
    "item_code",
    "stock",
    "avg_daily_consumption",
    "days_of_cover",
]

STATUS_COLUMNS = [
    "item_code",
    "name_zh",
    "name_en",
    "category",
    "unit_zh",
    "unit_en",
    "stock",
    "production_capacity",
    "as_of",
    "avg_daily_consumption",
    "inbound_procured",
    "inbound_allocated",
    "inbound_donated",
    "outbound_frontline",
    "days_of_cover",
    "capacity_gap",
    "area_code",
]


def test_supply_items_by_category_then_code(engine):
    result = supply_items(engine)
    assert records(result, "code", "category", "unit_zh", "unit_en") == [
        ("DISINF", "disinfection", "升", "L"),
        ("GOGGLE", "ppe", "个", "pcs"),
        ("MASK", "ppe", "只", "pcs"),
        ("N95", "ppe", "只", "pcs"),
    ]


def test_effective_scope_widens_below_a_district(engine):
    assert effective_scope(scope(STREET_A1), engine) == scope(DISTRICT_A)
    assert effective_scope(scope(STREET_B1, D2, D3), engine) == scope(DISTRICT_B, D2, D3)
    assert effective_scope(scope(DISTRICT_A), engine) == scope(DISTRICT_A)
    assert effective_scope(scope(CITY), engine) == scope(CITY)


def test_status_for_a_district(engine):
    result = supply_status(scope(DISTRICT_A), engine)
    assert list(result.columns) == STATUS_COLUMNS
    assert records(
        result,
        "item_code",
        "stock",
        "production_capacity",
        "as_of",
        "inbound_procured",
        "inbound_allocated",
        "inbound_donated",
        "outbound_frontline",
        "area_code",
    ) == [
        # WH_A masks: D3 closing 800, capacity 200; procured 100×3; allocated 500; donated 50; out 300+400+350
        ("MASK", 800, 200, D3, 300, 500, 50, 1050, DISTRICT_A),
        # WH_A N95: D3 closing 140; out 20+40+0
        ("N95", 140, 0, D3, 0, 0, 0, 60, DISTRICT_A),
    ]
    # mean outbound over the (3-day) window: 1050/3 = 350, 60/3 = 20
    assert floats(result, "avg_daily_consumption") == pytest.approx([350, 20])
    assert floats(result, "days_of_cover") == pytest.approx([800 / 350, 140 / 20])
    # demand − local capacity: 350 − 200, 20 − 0
    assert floats(result, "capacity_gap") == pytest.approx([150, 20])


def test_status_for_a_street_reads_its_district(engine):
    street = supply_status(scope(STREET_A1), engine)
    district = supply_status(scope(DISTRICT_A), engine)
    assert street["area_code"].unique().tolist() == [DISTRICT_A]
    assert records(street, "item_code", "stock", "outbound_frontline") == records(
        district, "item_code", "stock", "outbound_frontline"
    )


def test_status_for_the_city_counts_every_depots_last_report(engine):
    result = supply_status(scope(CITY), engine)
    assert records(result, "item_code", "stock", "production_capacity", "as_of", "inbound_procured", "outbound_frontline") == [
        # WH_B disinfectant: 70 on D3, capacity 5, procured 10, nothing used
        ("DISINF", 70, 5, D3, 10, 0),
        # masks: WH_A D3 800 + WH_B D2 (its last report) 300 + WH_CITY D3 9000 = 10,100;
        #        capacity 200 + 0 + 0; out 1050 + 200 + 1000 = 2250
        ("MASK", 10100, 200, D3, 300, 2250),
        ("N95", 140, 0, D3, 0, 60),
    ]
    # DISINF: 0 a day → cover unknown (NaN), gap 0 − 5 = −5 (spare capacity); MASK 2250/3 = 750 a day
    assert floats(result, "avg_daily_consumption") == pytest.approx([0, 750, 20])
    assert floats(result, "days_of_cover") == pytest.approx([NAN, 10100 / 750, 7.0], nan_ok=True)
    assert floats(result, "capacity_gap") == pytest.approx([-5, 550, 20])


def test_consumption_window_is_the_week_up_to_the_last_day():
    assert consumption_window(D3) == (dt.date(2022, 3, 28), D3)
    assert consumption_window(LATE_END) == (D3, LATE_END)


def test_status_on_one_day_reads_the_week_up_to_it(engine):
    result = supply_status(scope(CITY, D3, D3), engine)
    # Flows over the range (D3 alone): masks out 350 + 1000, procured 100, donated 50.
    # Stock at each depot's last report in Mar 28..D3: WH_B's masks count with D2's 300,
    # so 800 + 300 + 9000 = 10,100 — a depot late with one day's report is not "gone".
    assert records(result, "item_code", "stock", "as_of", "outbound_frontline", "inbound_procured", "inbound_donated") == [
        ("DISINF", 70, D3, 0, 0, 0),
        ("MASK", 10100, D3, 1350, 100, 50),
        ("N95", 140, D3, 0, 0, 0),
    ]
    # Daily use over Mar 28..D3 (3 days with reports), not over D3 alone: masks
    # (400 + 500 + 1350) / 3 = 750, N95 (20 + 40 + 0) / 3 = 20.
    assert floats(result, "avg_daily_consumption") == pytest.approx([0, 750, 20])
    assert floats(result, "days_of_cover") == pytest.approx([NAN, 10100 / 750, 7.0], nan_ok=True)


def test_status_days_of_cover_do_not_depend_on_the_range_start(engine):
    # The Supplies page on one day and the overview over a month ending that day: one figure.
    one_day = supply_status(scope(CITY, D3, D3), engine)
    three_days = supply_status(scope(CITY, D1, D3), engine)
    month = supply_status(scope(CITY, D3 - dt.timedelta(days=29), D3), engine)
    columns = ("item_code", "stock", "avg_daily_consumption", "days_of_cover", "production_capacity", "capacity_gap")
    assert records(one_day, *columns) == records(three_days, *columns) == records(month, *columns)


def test_status_consumption_is_the_last_seven_days_of_the_range(engine):
    # Range D1..Apr 9: inbound/outbound over the whole range; stock and consumption over
    # Apr 3..9, where only D3 has data (WH_B's last mask report, D2, falls out of it).
    result = supply_status(scope(CITY, D1, LATE_END), engine).set_index("item_code")
    assert result.loc["MASK", "outbound_frontline"] == 2250  # 400 + 500 + 1350
    assert result.loc["MASK", "avg_daily_consumption"] == pytest.approx(1350)  # (350 + 1000) / 1 day
    assert result.loc["MASK", "stock"] == 9800  # WH_A 800 + WH_CITY 9000
    assert result.loc["MASK", "days_of_cover"] == pytest.approx(9800 / 1350)


def test_status_outside_the_data_is_empty_with_columns(engine):
    result = supply_status(scope(CITY, *OUTSIDE), engine)
    assert result.empty
    assert list(result.columns) == STATUS_COLUMNS


def test_item_daily_for_a_district_and_the_city(engine):
    district = supply_item_daily(scope(DISTRICT_A), "MASK", engine)
    assert list(district.columns) == [
        "day",
        "opening_stock",
        "inbound_procured",
        "inbound_allocated",
        "inbound_donated",
        "outbound_frontline",
        "closing_stock",
        "production_capacity",
    ]
    assert records(district, *district.columns) == [
        (D1, 1000, 100, 0, 0, 300, 800, 150),
        (D2, 800, 100, 500, 0, 400, 1000, 150),
        (D3, 1000, 100, 0, 50, 350, 800, 200),
    ]
    city = supply_item_daily(scope(CITY), "MASK", engine)
    assert records(city, "day", "opening_stock", "outbound_frontline", "closing_stock") == [
        (D1, 11500, 400, 11200),  # 1000+500+10000, 300+100+0, 800+400+10000
        (D2, 1200, 500, 1300),  # WH_A + WH_B (no city reserve report): 800+400, 400+100, 1000+300
        (D3, 11000, 1350, 9800),  # WH_A + WH_CITY: 1000+10000, 350+1000, 800+9000
    ]


def test_item_daily_for_a_street_reads_its_district(engine):
    result = supply_item_daily(scope(STREET_B1, D2, D3), "MASK", engine)
    # WH_B masks: D2 only (no D3 report); D1 is outside the range
    assert records(result, "day", "opening_stock", "closing_stock") == [(D2, 400, 300)]


def test_item_daily_for_an_item_without_rows_is_empty(engine):
    assert supply_item_daily(scope(CITY), "GOGGLE", engine).empty
    assert supply_item_daily(scope(CITY), "no such item", engine).empty
    empty = supply_item_daily(scope(CITY, *OUTSIDE), "MASK", engine)
    assert empty.empty and list(empty.columns)[:2] == ["day", "opening_stock"]


def test_days_of_cover_by_district(engine):
    result = days_of_cover_by_district(scope(CITY), engine)
    assert list(result.columns) == BY_DISTRICT_COLUMNS
    assert records(result, "district_code", "district_name_zh", "district_name_en")[-1] == (DISTRICT_B, "乙县", "O'Brien County")
    # The city reserve belongs to no district and is left out.
    assert records(result, "district_code", "item_code", "stock") == [
        (DISTRICT_A, "MASK", 800),
        (DISTRICT_A, "N95", 140),
        (DISTRICT_B, "DISINF", 70),
        # WH_B sent no mask report on D3: its last known stock (D2) counts, not 0 — a depot that
        # is late with its report must not raise an "out of stock" alarm.
        (DISTRICT_B, "MASK", 300),
    ]
    # A masks (300+400+350)/3, N95 (20+40+0)/3, B disinfectant 0/3, B masks (100+100)/2 days reported
    assert floats(result, "avg_daily_consumption") == pytest.approx([350, 20, 0, 100])
    assert floats(result, "days_of_cover") == pytest.approx([800 / 350, 7.0, NAN, 3.0], nan_ok=True)


def test_days_of_cover_by_district_for_a_street_and_a_late_window(engine):
    street = days_of_cover_by_district(scope(STREET_B1), engine)
    assert records(street, "district_code", "item_code") == [(DISTRICT_B, "DISINF"), (DISTRICT_B, "MASK")]
    # Window Apr 3..9: only D3 rows; WH_B's masks (last report D2) fall out of it.
    late = days_of_cover_by_district(scope(CITY, D1, LATE_END), engine)
    assert records(late, "district_code", "item_code", "stock", "avg_daily_consumption") == [
        (DISTRICT_A, "MASK", 800, 350),
        (DISTRICT_A, "N95", 140, 0),
        (DISTRICT_B, "DISINF", 70, 0),
    ]
    empty = days_of_cover_by_district(scope(CITY, *OUTSIDE), engine)
    assert empty.empty
    assert list(empty.columns) == BY_DISTRICT_COLUMNS


def test_days_of_cover_by_district_do_not_depend_on_the_range_start(engine):
    # One day (D3) reads the week up to it, as D1..D3 does: A masks 1050 / 3 = 350 a day
    # (not D3's 350 / 1), and B's masks keep their D2 stock (300) and use (100 + 100) / 2.
    one_day = days_of_cover_by_district(scope(CITY, D3, D3), engine)
    assert records(one_day, *BY_DISTRICT_COLUMNS) == records(days_of_cover_by_district(scope(CITY), engine), *BY_DISTRICT_COLUMNS)
    assert floats(one_day, "avg_daily_consumption") == pytest.approx([350, 20, 0, 100])


def test_districts_and_the_reserve_add_up_to_the_city(engine):
    # The pooled (city) stock is the districts' stock plus the city reserve's (9000 masks).
    city = supply_status(scope(CITY, D3, D3), engine).set_index("item_code")["stock"]
    districts = days_of_cover_by_district(scope(CITY, D3, D3), engine).groupby("item_code")["stock"].sum()
    assert districts.to_dict() == {"DISINF": 70, "MASK": 1100, "N95": 140}
    assert city["MASK"] == districts["MASK"] + 9000
    assert city["DISINF"] == districts["DISINF"] and city["N95"] == districts["N95"]
