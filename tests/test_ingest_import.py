"""Importing good reports: the stored figures are the file's, a new report for the same
unit and day replaces the old figures (the history keeps both), roll-ups and
submissions follow, batches are all or nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import select

from data_access import schema as s
from data_access.ingest import ACCEPTED, REJECTED, import_reports
from tests.fixtures_data import (
    COMMUNITY_A1A,
    CP_A1,
    CP_A2,
    D1,
    D2,
    D3,
    G1,
    G2,
    LAB_A,
    LAB_B,
    SS1,
    SS4,
    VS_AF1,
    WH_A,
)
from tests.intake_support import (
    INTAKE_FILES,
    SETTINGS,
    TODAY,
    fingerprint,
    import_count,
    import_one,
    report_csv,
    stored_rows,
)

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


def hour_row(day, hour, code, people, **extra):
    return {
        "day": day.isoformat(),
        "hour": hour,
        "checkpoint_code": code,
        "vehicles": people // 2,
        "people": people,
        "temperature_checks": people,
        "fever": 0,
        **extra,
    }


def rows_for(engine, table, **equal) -> list[dict]:
    with engine.connect() as conn:
        statement = select(table).where(*[table.c[k] == v for k, v in equal.items()])
        return [dict(r) for r in conn.execute(statement.order_by(*table.primary_key.columns)).mappings()]


def submissions(engine, report_type) -> dict[tuple[str, dt.date], int | None]:
    return {(r["unit_code"], r["day"]): r["import_id"] for r in rows_for(engine, s.report_submission, report_type=report_type)}


def test_hourly_report_is_stored_rolled_up_and_replaced_by_a_later_one(fresh_city):
    first = report_csv("checkpoint_hourly", [hour_row(D3, 7, CP_A2, 30), hour_row(D3, 8, CP_A2, 50, fever=1, code_red=2)])
    outcome = import_one(fresh_city, "cp.csv", first)
    assert outcome.outcome == ACCEPTED and outcome.rows == 2 and outcome.units == 1 and outcome.days == [D3]

    hours = rows_for(fresh_city, s.checkpoint_hourly, checkpoint_code=CP_A2, day=D3)
    assert [(h["hour"], h["people"], h["fever"], h["code_red"], h["turned_back"]) for h in hours] == [
        (7, 30, 0, 0, 0),
        (8, 50, 1, 2, 0),
    ]
    (daily,) = rows_for(fresh_city, s.checkpoint_daily, checkpoint_code=CP_A2, day=D3)
    assert (daily["people"], daily["vehicles"], daily["fever"], daily["code_red"], daily["staffed_hours"]) == (80, 40, 1, 2, 2)
    assert submissions(fresh_city, "checkpoint")[(CP_A2, D3)] == outcome.import_id

    # The same checkpoint and day again, with one hour: it replaces both hours.
    second = import_one(fresh_city, "cp.csv", report_csv("checkpoint_hourly", [hour_row(D3, 9, CP_A2, 12)]))
    assert second.outcome == ACCEPTED
    hours = rows_for(fresh_city, s.checkpoint_hourly, checkpoint_code=CP_A2, day=D3)
    assert [(h["hour"], h["people"]) for h in hours] == [(9, 12)]
    (daily,) = rows_for(fresh_city, s.checkpoint_daily, checkpoint_code=CP_A2, day=D3)
    assert (daily["people"], daily["staffed_hours"]) == (12, 1)
    assert submissions(fresh_city, "checkpoint")[(CP_A2, D3)] == second.import_id
    history = stored_rows(fresh_city, s.report_import, s.report_import.c.id)
    assert [(h["file_name"], h["outcome"], h["rows_accepted"], h["imported_by"]) for h in history] == [
        ("cp.csv", ACCEPTED, 2, "tester"),
        ("cp.csv", ACCEPTED, 1, "tester"),
    ]
    # Other checkpoints and days are untouched.
    assert len(rows_for(fresh_city, s.checkpoint_hourly, checkpoint_code=CP_A1)) == 4


def test_daily_report_replaces_the_hours_of_that_day(fresh_city):
    row = {
        "day": D2.isoformat(),
        "checkpoint_code": CP_A1,
        "vehicles": 100,
        "people": "1,500",
        "temperature_checks": 1400,
        "fever": 2,
        "staffed_hours": 16,
    }
    outcome = import_one(fresh_city, "daily.csv", report_csv("checkpoint_daily", [row]))
    assert outcome.outcome == ACCEPTED
    assert rows_for(fresh_city, s.checkpoint_hourly, checkpoint_code=CP_A1, day=D2) == []
    (daily,) = rows_for(fresh_city, s.checkpoint_daily, checkpoint_code=CP_A1, day=D2)
    assert {k: daily[k] for k in ("vehicles", "people", "temperature_checks", "fever", "code_yellow", "staffed_hours")} == {
        "vehicles": 100,
        "people": 1500,
        "temperature_checks": 1400,
        "fever": 2,
        "code_yellow": 0,
        "staffed_hours": 16,
    }
    assert len(rows_for(fresh_city, s.checkpoint_hourly, checkpoint_code=CP_A1, day=D1)) == 2


def test_testing_report_keeps_lab_tubes_in_step(fresh_city):
    rows = [
        # SS1 on the 3rd: 100 tested at 10:1 (stored: 65 at 5:1).
        {
            "day": D3.isoformat(),
            "site_code": SS1,
            "lab_code": LAB_A,
            "samples_collected": 120,
            "samples_tested": 100,
            "positives": 1,
            "pending": 25,
            "pooled_ratio": "10:1",
            "turnaround_median_h": 5.5,
        },
        # SS4 moves from lab B to lab A on the 3rd.
        {
            "day": D3.isoformat(),
            "site_code": SS4,
            "lab_code": LAB_A,
            "samples_collected": 10,
            "samples_tested": 10,
            "positives": 0,
        },
    ]
    outcome = import_one(fresh_city, "testing.csv", report_csv("testing", rows))
    assert outcome.outcome == ACCEPTED, outcome.errors
    (ss1,) = rows_for(fresh_city, s.testing_daily, site_code=SS1, day=D3)
    assert (ss1["samples_tested"], ss1["pooled_ratio"], ss1["pending"], ss1["turnaround_median_h"], ss1["turnaround_p90_h"]) == (
        100,
        10,
        25,
        5.5,
        None,
    )
    (ss4,) = rows_for(fresh_city, s.testing_daily, site_code=SS4, day=D3)
    assert (ss4["lab_code"], ss4["pooled_ratio"], ss4["pending"]) == (LAB_A, 1, 0)
    labs = {r["lab_code"]: (r["tubes_tested"], r["capacity_tubes"]) for r in rows_for(fresh_city, s.lab_daily, day=D3)}
    # Lab A: SS1 100/10 + SS3 20/5 + SS4 10/1 = 24 tubes; lab B has nothing left that day.
    assert labs == {LAB_A: (24, 100), LAB_B: (0, 50)}
    assert set(submissions(fresh_city, "testing")) >= {(SS1, D3), (SS4, D3)}


def test_vaccination_report_replaces_the_whole_site_day(fresh_city):
    rows = [{"day": D2.isoformat(), "site_code": VS_AF1, "age_group": "18-59岁", "dose_number": "加强针", "doses": 7}]
    outcome = import_one(fresh_city, "vacc.csv", report_csv("vaccination", rows))
    assert outcome.outcome == ACCEPTED, outcome.errors
    stored = [
        (r["age_group"], r["dose_number"], r["doses"])
        for r in rows_for(fresh_city, s.vaccination_daily, site_code=VS_AF1, day=D2)
    ]
    assert stored == [("18-59", 3, 7)]  # the stored (60-79, dose 2, 6) row of that site-day is gone


def test_supplies_and_zero_report_for_grid_units(fresh_city):
    ledger = [
        {
            "day": D3.isoformat(),
            "warehouse_code": WH_A,
            "item_code": "GOGGLE",
            "opening_stock": 0,
            "inbound_procured": 0,
            "inbound_allocated": 0,
            "inbound_donated": 0,
            "outbound_frontline": 0,
            "closing_stock": 0,
        }
    ]
    assert import_one(fresh_city, "ledger.csv", report_csv("supplies", ledger)).outcome == ACCEPTED
    (goggles,) = rows_for(fresh_city, s.supply_ledger, warehouse_code=WH_A, item_code="GOGGLE")
    assert (goggles["closing_stock"], goggles["production_capacity"]) == (0, 0)
    assert len(rows_for(fresh_city, s.supply_ledger, warehouse_code=WH_A, day=D3)) == 3  # MASK and N95 kept

    # 零报告: a community reports zeros for its units; that is a report.
    zeros = [
        {
            "day": D3.isoformat(),
            "unit_code": unit,
            "households_visited": 0,
            "people_screened": 0,
            "home_observation": 0,
            "workers_on_duty": 0,
            "risk_colour": "绿",
        }
        for unit in (G1, G2)
    ]
    outcome = import_one(fresh_city, "grid.csv", report_csv("grid", zeros))
    assert outcome.outcome == ACCEPTED and outcome.units == 1
    assert submissions(fresh_city, "grid")[(COMMUNITY_A1A, D3)] == outcome.import_id
    assert [
        (r["unit_code"], r["households_visited"], r["risk_colour"])
        for r in rows_for(fresh_city, s.grid_daily, day=D3)
        if r["unit_code"] in (G1, G2)
    ] == [
        (G1, 0, 0),
        (G2, 0, 0),
    ]


def test_a_batch_is_all_or_nothing(fresh_city):
    good = (INTAKE_FILES / "grid_valid.csv").read_bytes()
    bad = (INTAKE_FILES / "bad_colour.csv").read_bytes()
    before = fingerprint(fresh_city)
    outcomes = import_reports(
        [("good.csv", good), ("bad.csv", bad)], user="tester", engine=fresh_city, together=True, today=TODAY, settings=SETTINGS
    )
    assert [o.outcome for o in outcomes] == [REJECTED, REJECTED]
    assert [e.code for e in outcomes[0].errors] == ["batch_rejected"]
    assert [e.code for e in outcomes[1].errors] == ["bad_colour"]
    assert fingerprint(fresh_city) == before
    assert import_count(fresh_city) == 2

    # Two good files in one batch: both land, in one transaction.
    second = report_csv("checkpoint_hourly", [hour_row(D3, 8, CP_A2, 40)])
    outcomes = import_reports(
        [("good.csv", good), ("cp.csv", second)], user="tester", engine=fresh_city, together=True, today=TODAY, settings=SETTINGS
    )
    assert [o.outcome for o in outcomes] == [ACCEPTED, ACCEPTED]
    assert rows_for(fresh_city, s.grid_daily, unit_code=G1, day=D3)[0]["households_visited"] == 31
    assert rows_for(fresh_city, s.checkpoint_daily, checkpoint_code=CP_A2, day=D3)[0]["people"] == 40


def test_a_batch_rejected_by_the_database_checks_writes_nothing(fresh_city):
    good = (INTAKE_FILES / "grid_valid.csv").read_bytes()
    unknown = (INTAKE_FILES / "bom_unknown_checkpoint.csv").read_bytes()  # only the database knows CP999 is unknown
    before = fingerprint(fresh_city)
    outcomes = import_reports(
        [("good.csv", good), ("unknown.csv", unknown)], user="t", engine=fresh_city, together=True, today=TODAY, settings=SETTINGS
    )
    assert [o.outcome for o in outcomes] == [REJECTED, REJECTED]
    assert [e.code for e in outcomes[1].errors] == ["unknown_code"]
    assert fingerprint(fresh_city) == before


def test_a_dry_run_checks_everything_and_keeps_nothing(city):
    before, imports = fingerprint(city), import_count(city)
    good = (INTAKE_FILES / "grid_valid.csv").read_bytes()
    outcome = import_one(city, "good.csv", good, dry_run=True)
    assert outcome.outcome == ACCEPTED and outcome.import_id is None
    bad = import_one(city, "bad.csv", (INTAKE_FILES / "dose2_above_dose1.csv").read_bytes(), dry_run=True)
    assert bad.outcome == REJECTED and [e.code for e in bad.errors] == ["dose2_above_dose1"]
    assert fingerprint(city) == before and import_count(city) == imports


def test_a_100000_row_report(fresh_city):
    """100,008 hourly rows (3 checkpoints × 24 hours × 1,389 days) in one file."""
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(1389)]
    lines = ["day,hour,checkpoint_code,vehicles,people,temperature_checks,fever"]
    for day in days:
        for code in (CP_A1, CP_A2, "CP990102001"):
            for hour in range(24):
                people = (hour * 37 + day.toordinal()) % 900
                lines.append(f'{day.isoformat()},{hour},{code},{people // 2},"{people:,}",{people},{people % 3}')
    data = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    outcome = import_one(fresh_city, "big.csv", data)
    seconds = time.perf_counter() - started
    assert outcome.outcome == ACCEPTED, outcome.errors[:3]
    assert outcome.rows == 100_008
    assert seconds < 60, f"100,008 rows took {seconds:.1f}s"
    with fresh_city.connect() as conn:
        from sqlalchemy import func

        hourly = conn.execute(
            select(func.count(), func.sum(s.checkpoint_hourly.c.people)).where(s.checkpoint_hourly.c.day < D1)
        ).one()
        daily = conn.execute(
            select(func.count(), func.sum(s.checkpoint_daily.c.people)).where(s.checkpoint_daily.c.day < D1)
        ).one()
    expected_people = sum((h * 37 + d.toordinal()) % 900 for d in days if d < D1 for h in range(24)) * 3
    n_before = sum(1 for d in days if d < D1)
    assert tuple(hourly) == (n_before * 72, expected_people)
    assert tuple(daily) == (n_before * 3, expected_people)
