"""The hand-built test city: small enough that every figure can be worked out by hand.

Written with plain ``insert()`` (not the generator, not bulk loading) so the query tests
do not lean on the code they test. Awkward on purpose: apostrophes and spaces in names,
a checkpoint / sampling site / depot / grid unit missing a day, rows of zeros, a grid
unit with no households, a depot at city level (the city reserve), a sampling site whose
round samples exceed its community's residents, doses given before the first day.

The hierarchy (residents / households of grid units, summed upwards):

    990100 测试市 Test City (test)                       720 / 220
      990101 甲区 Jia District                           600 / 220
        990101001 东风街道 Dongfeng Subdistrict          450 / 170
          990101001001 花园社区 Garden Community          250 / 90
            990101001001001 桂苑小区 (G1 100/40, G2 60/20)
            990101001001002 兰亭小区 (G3 90/30)
          990101001002 河畔社区 Riverside Community       200 / 80
            990101001002001 (G4 200/80)
        990101002 西安路街道 Xi'an Road Subdistrict      150 / 50
          990101002001 西门社区 Ximen Community          150 / 50
            990101002001001 (G5 150/50)
      990102 乙县 O'Brien County                         120 / 0
        990102001 北 镇 North Harbour Town                120 / 0
          990102001201 北村 Bei Village                   120 / 0
            990102001201001 (G6 120/0)
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import Engine, insert

from data_access import schema as s
from data_access.rollups import refresh_checkpoint_daily

# The engine kinds the test city is loaded on (conftest's ``engine``, the intake tests'
# ``city``); PostgreSQL's carry the `postgres` mark and MariaDB's the `mariadb` mark, so
# `-m "not postgres and not mariadb"` runs SQLite alone.
ENGINE_KINDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    pytest.param("mariadb", id="mariadb", marks=pytest.mark.mariadb),
]

D0 = dt.date(2022, 3, 31)  # only a few vaccination doses (before the usual range)
D1 = dt.date(2022, 4, 1)
D2 = dt.date(2022, 4, 2)
D3 = dt.date(2022, 4, 3)
OUTSIDE = (dt.date(2022, 5, 1), dt.date(2022, 5, 2))  # no data at all

CITY = "990100"
DISTRICT_A = "990101"
DISTRICT_B = "990102"
STREET_A1 = "990101001"
STREET_A2 = "990101002"
STREET_B1 = "990102001"
COMMUNITY_A1A = "990101001001"
COMMUNITY_A1B = "990101001002"
COMMUNITY_A2A = "990101002001"
COMMUNITY_B1A = "990102001201"
COMPOUND_A1A1 = "990101001001001"
COMPOUND_A1A2 = "990101001001002"
COMPOUND_A1B1 = "990101001002001"
COMPOUND_A2A1 = "990101002001001"
COMPOUND_B1A1 = "990102001201001"
G1 = COMPOUND_A1A1 + "001"
G2 = COMPOUND_A1A1 + "002"
G3 = COMPOUND_A1A2 + "001"
G4 = COMPOUND_A1B1 + "001"
G5 = COMPOUND_A2A1 + "001"
G6 = COMPOUND_B1A1 + "001"

# code, parent, level, name_zh, name_en, residents, households
AREAS = [
    (CITY, None, "city", "测试市", "Test City (test)", 720, 220),
    (DISTRICT_A, CITY, "district", "甲区", "Jia District", 600, 220),
    (DISTRICT_B, CITY, "district", "乙县", "O'Brien County", 120, 0),
    (STREET_A1, DISTRICT_A, "street", "东风街道", "Dongfeng Subdistrict", 450, 170),
    (STREET_A2, DISTRICT_A, "street", "西安路街道", "Xi'an Road Subdistrict", 150, 50),
    (STREET_B1, DISTRICT_B, "street", "北 镇", "North Harbour Town", 120, 0),
    (COMMUNITY_A1A, STREET_A1, "community", "花园社区", "Garden Community", 250, 90),
    (COMMUNITY_A1B, STREET_A1, "community", "河畔社区", "Riverside Community", 200, 80),
    (COMMUNITY_A2A, STREET_A2, "community", "西门社区", "Ximen Community", 150, 50),
    (COMMUNITY_B1A, STREET_B1, "community", "北村", "Bei Village", 120, 0),
    (COMPOUND_A1A1, COMMUNITY_A1A, "compound", "桂苑小区", "Guiyuan Estate", 160, 60),
    (COMPOUND_A1A2, COMMUNITY_A1A, "compound", "兰亭小区", "Lanting Estate", 90, 30),
    (COMPOUND_A1B1, COMMUNITY_A1B, "compound", "河畔小区", "Riverside Estate", 200, 80),
    (COMPOUND_A2A1, COMMUNITY_A2A, "compound", "西门小区", "Ximen Estate", 150, 50),
    (COMPOUND_B1A1, COMMUNITY_B1A, "compound", "北村自然村", "Bei Hamlet", 120, 0),
    (G1, COMPOUND_A1A1, "grid", "第1联防单元", "Joint-defence unit 1", 100, 40),
    (G2, COMPOUND_A1A1, "grid", "第2联防单元", "Joint-defence unit 2", 60, 20),
    (G3, COMPOUND_A1A2, "grid", "第1联防单元", "Joint-defence unit 1", 90, 30),
    (G4, COMPOUND_A1B1, "grid", "第1联防单元", "Joint-defence unit 1", 200, 80),
    (G5, COMPOUND_A2A1, "grid", "第1联防单元", "Joint-defence unit 1", 150, 50),
    (G6, COMPOUND_B1A1, "grid", "第1联防单元", "Joint-defence unit 1", 120, 0),
]

# ------------------------------------------------------------------ checkpoints
CP_A1 = "CP990101001"
CP_A2 = "CP990101002"
CP_B1 = "CP990102001"
CHECKPOINTS = [
    # code, name_zh, name_en, kind, lanes, people_per_lane_hour, street
    (CP_A1, "东风高速出口道口", "Dongfeng expressway exit", "highway_exit", 2, 300, STREET_A1),
    (CP_A2, "西安路国道道口", "Xi'an Road national road", "national_road", 4, 100, STREET_A2),
    (CP_B1, "北镇省道道口", "O'Hare provincial road", "provincial_road", 1, 200, STREET_B1),
]
# day, hour, checkpoint, then the counts in schema order: vehicles, people,
# temperature_checks, fever, code_yellow, code_red, risk_area_arrivals, turned_back, to_fever_clinic
CHECKPOINT_HOURS = [
    (D1, 8, CP_A1, 10, 20, 18, 1, 2, 0, 3, 1, 1),
    (D1, 9, CP_A1, 5, 8, 8, 0, 0, 1, 0, 0, 0),
    (D2, 8, CP_A1, 12, 25, 25, 0, 1, 0, 2, 0, 0),
    (D3, 8, CP_A1, 0, 0, 0, 0, 0, 0, 0, 0, 0),  # open, nobody came
    (D1, 8, CP_A2, 100, 200, 190, 2, 5, 1, 10, 4, 2),
    (D2, 8, CP_A2, 50, 90, 90, 0, 3, 0, 6, 2, 0),
    (D2, 9, CP_A2, 30, 60, 60, 1, 1, 0, 4, 1, 1),
    # CP_A2 did not report on D3
    (D1, 9, CP_B1, 7, 7, 7, 0, 0, 0, 1, 0, 0),
    (D2, 9, CP_B1, 3, 4, 4, 0, 0, 0, 0, 0, 0),
    (D3, 9, CP_B1, 8, 16, 15, 1, 0, 0, 2, 1, 1),
]

# ------------------------------------------------------------------ testing
SS1, SS2, SS3, SS4 = "SS990101001001", "SS990101001002", "SS990101002001", "SS990102001201"
LAB_A, LAB_B = "LAB9901011", "LAB9901021"
SAMPLING_SITES = [
    (SS1, "花园社区采样点", "Garden sampling site", COMMUNITY_A1A, 300),
    (SS2, "河畔社区采样点", "Riverside sampling site", COMMUNITY_A1B, 200),
    (SS3, "西门社区采样点", "Ximen sampling site", COMMUNITY_A2A, 150),
    (SS4, "北村采样点", "Bei Village sampling site", COMMUNITY_B1A, 100),
]
LABS = [
    (LAB_A, "甲区检测实验室", "Jia lab", DISTRICT_A, 100),
    (LAB_B, "乙县检测实验室", "O'Brien lab", DISTRICT_B, 50),
]
# day, site, lab, collected, tested, positives, pending, pooled ratio, turnaround median, p90
TESTING = [
    (D1, SS1, LAB_A, 100, 90, 1, 10, 5, 6.0, 10.0),
    (D1, SS2, LAB_A, 50, 50, 0, 0, 5, 4.0, 8.0),
    (D1, SS3, LAB_A, 30, 20, 0, 10, 5, 8.0, 12.0),
    (D1, SS4, LAB_B, 40, 40, 2, 0, 1, 3.0, 5.0),
    (D2, SS1, LAB_A, 200, 180, 0, 30, 10, 10.0, 20.0),
    (D2, SS2, LAB_A, 80, 60, 1, 20, 10, 12.0, 18.0),
    (D2, SS3, LAB_A, 50, 60, 0, 0, 10, 6.0, 9.0),  # clears D1's backlog
    (D2, SS4, LAB_B, 0, 0, 0, 0, 1, None, None),  # nothing collected, no turnaround
    (D3, SS1, LAB_A, 40, 65, 0, 5, 5, 5.0, 7.0),
    # SS2 did not report on D3
    (D3, SS3, LAB_A, 20, 20, 1, 0, 5, 4.0, 6.0),
    (D3, SS4, LAB_B, 10, 10, 0, 0, 1, 2.0, 3.0),
]
# day, lab, tubes tested, capacity
LAB_DAYS = [
    (D1, LAB_A, 20, 100),
    (D1, LAB_B, 40, 50),
    (D2, LAB_A, 45, 100),
    (D2, LAB_B, 0, 50),
    (D3, LAB_A, 30, 100),
    (D3, LAB_B, 10, 50),
]
# id, name_zh, name_en, start, end (listed latest first: the query must sort)
TESTING_ROUNDS = [
    (2, "第2轮全员核酸检测", "Mass testing round 2", D3, D3),
    (1, "第1轮全员核酸检测", "Mass testing round 1", D1, D2),
]

# ------------------------------------------------------------------ supplies
SUPPLY_ITEMS = [
    ("MASK", "医用外科口罩", "Surgical masks", "ppe", "只", "pcs"),
    ("N95", "N95口罩", "N95 respirators", "ppe", "只", "pcs"),
    ("GOGGLE", "护目镜", "Goggles", "ppe", "个", "pcs"),  # no ledger rows anywhere
    ("DISINF", "消毒液", "Disinfectant", "disinfection", "升", "L"),
]
WH_A, WH_B, WH_CITY = "WH990101", "WH990102", "WH990100"
WAREHOUSES = [
    (WH_A, "甲区防疫物资储备库", "Jia depot", DISTRICT_A),
    (WH_B, "乙县防疫物资储备库", "O'Brien depot", DISTRICT_B),
    (WH_CITY, "市级储备库", "City reserve", CITY),
]
# day, warehouse, item, opening, procured, allocated, donated, outbound, closing, capacity
LEDGER = [
    (D1, WH_A, "MASK", 1000, 100, 0, 0, 300, 800, 150),
    (D2, WH_A, "MASK", 800, 100, 500, 0, 400, 1000, 150),
    (D3, WH_A, "MASK", 1000, 100, 0, 50, 350, 800, 200),
    (D1, WH_A, "N95", 200, 0, 0, 0, 20, 180, 0),
    (D2, WH_A, "N95", 180, 0, 0, 0, 40, 140, 0),
    (D3, WH_A, "N95", 140, 0, 0, 0, 0, 140, 0),
    (D1, WH_B, "MASK", 500, 0, 0, 0, 100, 400, 0),
    (D2, WH_B, "MASK", 400, 0, 0, 0, 100, 300, 0),
    # WH_B did not report masks on D3
    (D1, WH_B, "DISINF", 60, 10, 0, 0, 0, 70, 5),
    (D2, WH_B, "DISINF", 70, 0, 0, 0, 0, 70, 5),
    (D3, WH_B, "DISINF", 70, 0, 0, 0, 0, 70, 5),  # nothing used: cover is unknown, not 0
    (D1, WH_CITY, "MASK", 10000, 0, 0, 0, 0, 10000, 0),
    (D3, WH_CITY, "MASK", 10000, 0, 0, 0, 1000, 9000, 0),
]

# ------------------------------------------------------------------ vaccination
VS_AF1, VS_AM1, VS_BF1, VS_BV1 = "VS990101F01", "VS990101M01", "VS990102F01", "VS990102V01"
VACCINATION_SITES = [
    (VS_AF1, "东风接种点1", "Dongfeng vaccination site 1", "fixed", STREET_A1, 100),
    (VS_AM1, "西安路流动接种队1", "Xi'an Road mobile team 1", "mobile_team", STREET_A2, 50),
    (VS_BF1, "北镇接种点1", "North Harbour vaccination site 1", "fixed", STREET_B1, 80),
    (VS_BV1, "北镇接种车1", "North Harbour vaccination vehicle 1", "vehicle", STREET_B1, 40),
]
# area, age group, population, baseline dose 1, 2, 3
VACCINATION_TARGETS = [
    (STREET_A1, "18-59", 300, 250, 200, 100),
    (STREET_A1, "60-79", 100, 60, 50, 10),
    (STREET_A2, "18-59", 100, 80, 70, 30),
    (STREET_B1, "18-59", 80, 70, 60, 20),
    (STREET_B1, "60-79", 40, 20, 10, 0),
]
# day, site, age group, dose number, doses
DOSES = [
    (D0, VS_AF1, "18-59", 1, 7),
    (D1, VS_AF1, "18-59", 3, 20),
    (D1, VS_AF1, "60-79", 1, 5),
    (D1, VS_AM1, "18-59", 2, 4),
    (D1, VS_BF1, "60-79", 1, 3),
    (D2, VS_AF1, "18-59", 3, 30),
    (D2, VS_AF1, "60-79", 2, 6),
    (D2, VS_BV1, "18-59", 3, 10),
    (D3, VS_AF1, "18-59", 3, 10),
    (D3, VS_AM1, "18-59", 1, 2),
    (D3, VS_BF1, "60-79", 2, 4),
]

# ------------------------------------------------------------------ grid units
# day, unit, households_visited, people_screened, home_observation, key_close_contacts,
# key_risk_area_returnees, key_inbound_travellers, workers_on_duty, risk_colour
GRID_DAYS = [
    (D1, G1, 10, 25, 1, 0, 1, 0, 2, 0),
    (D2, G1, 20, 50, 2, 1, 0, 0, 2, 1),
    (D3, G1, 30, 70, 3, 1, 1, 1, 3, 2),
    (D1, G2, 5, 12, 0, 0, 0, 0, 1, 0),
    (D2, G2, 6, 15, 0, 0, 0, 0, 1, 0),
    (D3, G2, 8, 20, 1, 0, 0, 0, 1, 1),
    (D1, G3, 0, 0, 0, 0, 0, 0, 0, 0),  # a zero report (零报告)
    (D2, G3, 9, 20, 0, 0, 0, 0, 1, 0),
    (D3, G3, 12, 30, 0, 0, 0, 1, 2, 0),
    (D1, G4, 40, 100, 5, 2, 1, 0, 4, 1),
    (D2, G4, 50, 120, 6, 2, 1, 0, 4, 2),
    (D3, G4, 60, 150, 8, 3, 2, 1, 4, 3),
    (D1, G5, 10, 20, 0, 0, 0, 0, 2, 0),
    (D2, G5, 12, 24, 0, 0, 0, 0, 2, 0),
    (D3, G5, 15, 30, 1, 0, 1, 0, 2, 1),
    (D1, G6, 0, 0, 0, 0, 0, 0, 1, 0),
    (D2, G6, 0, 0, 2, 1, 0, 0, 1, 2),
    # G6 did not report on D3
]

# report type, unit, day, reported at (vaccination has no submissions at all)
SUBMISSIONS = [
    ("checkpoint", CP_A1, D3, dt.datetime(2022, 4, 3, 20, 0, tzinfo=dt.UTC)),
    ("checkpoint", CP_B1, D3, dt.datetime(2022, 4, 3, 21, 30, tzinfo=dt.UTC)),
    ("testing", SS1, D3, dt.datetime(2022, 4, 3, 22, 15, tzinfo=dt.UTC)),
    ("supplies", WH_A, D2, dt.datetime(2022, 4, 2, 23, 0, tzinfo=dt.UTC)),
    ("grid", COMMUNITY_A1A, D3, dt.datetime(2022, 4, 3, 18, 45, tzinfo=dt.UTC)),
]


def _ancestors() -> dict[str, dict[str, str | None]]:
    """Each area's code at every level (its own at its level, NULL below), from the parents."""
    by_code = {row[0]: row for row in AREAS}
    result = {}
    for code, _parent, _level, *_ in AREAS:
        chain = {column: None for column in s.LEVEL_COLUMN.values()}
        node = by_code[code]
        while node is not None:
            chain[s.LEVEL_COLUMN[node[2]]] = node[0]
            node = by_code.get(node[1])
        result[code] = chain
    return result


def _square(i: int) -> str:
    x, y = 114.0 + i * 0.01, 33.0
    ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _rows(columns: list[str], values: list[tuple]) -> list[dict]:
    return [dict(zip(columns, row, strict=False)) for row in values]


def load(engine: Engine) -> None:
    """Write the test city into ``engine``'s (empty, migrated) database."""
    ancestors = _ancestors()
    areas = [
        {
            "code": code,
            "parent_code": parent,
            "level": level,
            "name_zh": zh,
            "name_en": en,
            "residents": residents,
            "households": households,
            "lon": 114.0 + i * 0.01,
            "lat": 33.0,
            # One compound without a drawn boundary: the map must still list it.
            "polygon": None if code == COMPOUND_A1A2 else _square(i),
            **ancestors[code],
        }
        for i, (code, parent, level, zh, en, residents, households) in enumerate(AREAS)
    ]
    counts = list(s.CHECKPOINT_COUNTS)
    with engine.begin() as conn:
        conn.execute(insert(s.area), areas)
        conn.execute(
            insert(s.checkpoint),
            _rows(["code", "name_zh", "name_en", "kind", "lanes", "people_per_lane_hour", "area_code"], CHECKPOINTS),
        )
        conn.execute(insert(s.checkpoint_hourly), _rows(["day", "hour", "checkpoint_code", *counts], CHECKPOINT_HOURS))
        refresh_checkpoint_daily(conn)
        conn.execute(
            insert(s.sampling_site), _rows(["code", "name_zh", "name_en", "area_code", "daily_capacity"], SAMPLING_SITES)
        )
        conn.execute(insert(s.lab), _rows(["code", "name_zh", "name_en", "area_code", "daily_capacity_tubes"], LABS))
        conn.execute(
            insert(s.testing_daily),
            _rows(
                [
                    "day",
                    "site_code",
                    "lab_code",
                    "samples_collected",
                    "samples_tested",
                    "positives",
                    "pending",
                    "pooled_ratio",
                    "turnaround_median_h",
                    "turnaround_p90_h",
                ],
                TESTING,
            ),
        )
        conn.execute(insert(s.lab_daily), _rows(["day", "lab_code", "tubes_tested", "capacity_tubes"], LAB_DAYS))
        conn.execute(insert(s.testing_round), _rows(["id", "name_zh", "name_en", "start_day", "end_day"], TESTING_ROUNDS))
        conn.execute(insert(s.supply_item), _rows(["code", "name_zh", "name_en", "category", "unit_zh", "unit_en"], SUPPLY_ITEMS))
        conn.execute(insert(s.warehouse), _rows(["code", "name_zh", "name_en", "area_code"], WAREHOUSES))
        conn.execute(
            insert(s.supply_ledger),
            _rows(
                [
                    "day",
                    "warehouse_code",
                    "item_code",
                    "opening_stock",
                    "inbound_procured",
                    "inbound_allocated",
                    "inbound_donated",
                    "outbound_frontline",
                    "closing_stock",
                    "production_capacity",
                ],
                LEDGER,
            ),
        )
        conn.execute(
            insert(s.vaccination_site),
            _rows(["code", "name_zh", "name_en", "kind", "area_code", "daily_capacity"], VACCINATION_SITES),
        )
        conn.execute(
            insert(s.vaccination_target),
            _rows(
                ["area_code", "age_group", "population", "baseline_dose1", "baseline_dose2", "baseline_dose3"],
                VACCINATION_TARGETS,
            ),
        )
        conn.execute(insert(s.vaccination_daily), _rows(["day", "site_code", "age_group", "dose_number", "doses"], DOSES))
        conn.execute(
            insert(s.grid_daily),
            _rows(
                [
                    "day",
                    "unit_code",
                    "households_visited",
                    "people_screened",
                    "home_observation",
                    "key_close_contacts",
                    "key_risk_area_returnees",
                    "key_inbound_travellers",
                    "workers_on_duty",
                    "risk_colour",
                ],
                GRID_DAYS,
            ),
        )
        conn.execute(insert(s.report_submission), _rows(["report_type", "unit_code", "day", "reported_at"], SUBMISSIONS))
        conn.execute(
            insert(s.dataset_info),
            [
                {"key": "kind", "value": "test"},
                {"key": "city_code", "value": CITY},
                {"key": "note", "value": "hand-built, it's tiny"},
            ],
        )
        from tests import fixtures_isolation  # imports this module's codes and days

        fixtures_isolation.load(conn)
