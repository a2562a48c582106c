"""The hand-built test city's isolation and inspections (loaded with tests/fixtures_data.py,
nothing there changed): small enough to work every figure out by hand.

Awkward on purpose: a row of a street with nobody held but people released, a site
without coordinates, a site retired from the 3rd, a single-room breach on the 2nd
(8 people in 7 rooms), an overdue cohort, a street (North Harbour) that did not report on
the 3rd, a team row with open problems and no checks (a stock row), a team (IT_A2)
without a row on the 2nd, a kind of entity (cold-chain stores) never inspected.

People held in centralised isolation in district A — Dongfeng's close contacts (5, 7, 5)
and Xi'an Road's arrivals from abroad (4, 4, 0) — are those in its two sites
(6 + 3, 8 + 3, 5 + 0); every stock is the day before's + in − out.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, insert

from data_access import schema as s
from tests.fixtures_data import D1, D2, D3, DISTRICT_A, DISTRICT_B, STREET_A1, STREET_A2, STREET_B1

# ------------------------------------------------------------------ isolation
IS_A1, IS_A2, IS_B1 = "IS99010101", "IS99010102", "IS99010201"
ISOLATION_SITES = [
    # code, name_zh, name_en, street, rooms, lon, lat, retired_on
    (IS_A1, "东风集中隔离点1", "Dongfeng isolation site 1", STREET_A1, 10, 114.5, 33.2, None),
    (IS_A2, "西安路隔离酒店", "Xi'an Road isolation hotel", STREET_A2, 4, None, None, None),  # at its street's centre
    (IS_B1, "北镇隔离点", "North Harbour isolation site", STREET_B1, 6, 114.6, 33.3, D3),  # retired from the 3rd
]
# day, site, rooms_occupied, people, staff, new_in, released, cases_found
SITE_DAYS = [
    (D1, IS_A1, 6, 6, 4, 6, 0, 0),
    (D2, IS_A1, 7, 8, 5, 3, 1, 1),  # a family in one room: 8 people, 7 rooms; a case found, gone to hospital
    (D3, IS_A1, 5, 5, 4, 0, 3, 0),
    (D1, IS_A2, 3, 3, 2, 3, 0, 0),
    (D2, IS_A2, 3, 3, 2, 0, 0, 0),
    (D3, IS_A2, 0, 0, 1, 0, 3, 0),  # empty again
    (D1, IS_B1, 0, 0, 1, 0, 0, 0),
    (D2, IS_B1, 2, 2, 2, 2, 0, 0),
]
# day, street, category, measure, new_in, released, held, overdue
PEOPLE = [
    (D1, STREET_A1, "close_contact", "centralised", 5, 0, 5, 0),
    (D2, STREET_A1, "close_contact", "centralised", 3, 1, 7, 0),
    (D3, STREET_A1, "close_contact", "centralised", 0, 2, 5, 1),  # one held past the release date
    (D1, STREET_A1, "close_contact", "home_isolation", 1, 0, 1, 0),
    (D2, STREET_A1, "close_contact", "home_isolation", 0, 0, 1, 0),
    (D3, STREET_A1, "close_contact", "home_isolation", 0, 1, 0, 0),  # nobody held, one released
    (D1, STREET_A1, "risk_area_arrival", "home_monitoring", 2, 0, 10, 0),  # 8 held from before the 1st
    (D2, STREET_A1, "risk_area_arrival", "home_monitoring", 1, 3, 8, 0),
    (D3, STREET_A1, "risk_area_arrival", "home_monitoring", 2, 0, 10, 0),
    (D1, STREET_A2, "inbound_arrival", "centralised", 4, 0, 4, 0),
    (D2, STREET_A2, "inbound_arrival", "centralised", 0, 0, 4, 0),
    (D3, STREET_A2, "inbound_arrival", "centralised", 0, 4, 0, 0),
    (D2, STREET_A2, "discharged", "home_monitoring", 2, 0, 2, 0),
    (D3, STREET_A2, "discharged", "home_monitoring", 0, 0, 2, 0),
    (D1, STREET_B1, "secondary_contact", "home_isolation", 6, 0, 6, 0),
    (D2, STREET_B1, "secondary_contact", "home_isolation", 0, 0, 6, 0),
    (D1, STREET_B1, "other", "home_monitoring", 1, 0, 1, 0),
    (D2, STREET_B1, "other", "home_monitoring", 0, 1, 0, 0),
    # North Harbour (STREET_B1) did not report on the 3rd
]

# ------------------------------------------------------------------ inspections
IT_A1, IT_A2, IT_B1 = "IT99010101", "IT99010102", "IT99010201"
TEAMS = [
    # code, name_zh, name_en, agency, base area, lon, lat
    (IT_A1, "甲区市场监管督导组1", "Jia market regulation team 1", "market_regulation", DISTRICT_A, 114.01, 33.01),
    (IT_A2, "甲区医保督导组", "Jia medical insurance team", "medical_insurance", DISTRICT_A, None, None),
    (IT_B1, "乙县卫生监督组", "O'Brien health supervision team", "health_supervision", DISTRICT_B, 114.02, 33.02),
]
INSPECTION_COLUMNS = ["day", "team_code", "area_code", "entity_type", *s.INSPECTION_COUNTS, *s.CHECKLIST_COUNTS]
# day, team, street, entity type; inspections, inspector_visits, inspections_passed, problems_found,
# fixed_on_time, fixed_late, open_problems, overdue, entities_open, penalties, masks_seized;
# passed / failed of mask, codes, temperature, scan, register
INSPECTIONS = [
    (D1, IT_A1, STREET_A1, "market", 10, 18, 8, 3, 1, 0, 2, 0, 2, 0, 0, 9, 1, 10, 0, 9, 1, 10, 0, 0, 0),
    (D2, IT_A1, STREET_A1, "market", 5, 8, 5, 0, 1, 0, 1, 0, 1, 0, 0, 5, 0, 5, 0, 5, 0, 5, 0, 0, 0),
    (D3, IT_A1, STREET_A1, "market", 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),  # open, overdue, no check
    (D2, IT_A1, STREET_A2, "pharmacy", 4, 6, 3, 2, 2, 0, 0, 0, 0, 1, 500, 4, 0, 3, 1, 4, 0, 4, 0, 3, 1),
    (D1, IT_A2, STREET_A1, "pharmacy", 6, 6, 6, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 6, 0, 6, 0, 6, 0, 6, 0),
    (D3, IT_A2, STREET_A1, "pharmacy", 3, 5, 1, 4, 1, 0, 3, 0, 2, 1, 0, 2, 1, 2, 1, 3, 0, 2, 1, 3, 0),
    (D1, IT_B1, STREET_B1, "restaurant", 2, 4, 2, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0, 2, 0, 2, 0, 0, 0),
    (D2, IT_B1, STREET_B1, "restaurant", 3, 3, 2, 1, 0, 0, 1, 0, 1, 0, 0, 2, 1, 3, 0, 3, 0, 3, 0, 0, 0),
    (D3, IT_B1, STREET_B1, "restaurant", 1, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0),  # fixed late
    (D3, IT_B1, STREET_B1, "public_venue", 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0, 2, 0, 2, 0, 0, 0),
]

# report type, unit, day, reported at (UTC; the 3rd's deadline is 4 Apr 02:00 UTC)
SUBMISSIONS = [
    ("isolation_people", STREET_A1, D3, dt.datetime(2022, 4, 3, 13, 0, tzinfo=dt.UTC)),
    ("isolation_people", STREET_A2, D3, dt.datetime(2022, 4, 4, 3, 0, tzinfo=dt.UTC)),  # late
    ("isolation_site", IS_A1, D3, dt.datetime(2022, 4, 3, 14, 0, tzinfo=dt.UTC)),
    ("inspection", IT_A1, D3, dt.datetime(2022, 4, 3, 15, 0, tzinfo=dt.UTC)),
    ("inspection", IT_B1, D3, dt.datetime(2022, 4, 3, 16, 0, tzinfo=dt.UTC)),
]


def _rows(columns: list[str], values: list[tuple]) -> list[dict]:
    return [dict(zip(columns, row, strict=True)) for row in values]


def load(conn: Connection) -> None:
    """Write the test city's isolation and inspections (its areas already written)."""
    site_columns = ["code", "name_zh", "name_en", "area_code", "rooms", "lon", "lat", "retired_on"]
    conn.execute(insert(s.isolation_site), _rows(site_columns, ISOLATION_SITES))
    conn.execute(insert(s.isolation_site_daily), _rows(["day", "site_code", *s.ISOLATION_SITE_COUNTS], SITE_DAYS))
    conn.execute(
        insert(s.isolation_people_daily), _rows(["day", "area_code", "category", "measure", *s.ISOLATION_COUNTS], PEOPLE)
    )
    conn.execute(insert(s.inspection_team), _rows(["code", "name_zh", "name_en", "agency", "area_code", "lon", "lat"], TEAMS))
    conn.execute(insert(s.inspection_daily), _rows(INSPECTION_COLUMNS, INSPECTIONS))
    conn.execute(insert(s.report_submission), _rows(["report_type", "unit_code", "day", "reported_at"], SUBMISSIONS))
