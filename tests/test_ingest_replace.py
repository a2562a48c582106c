"""A report replaces exactly the (checkpoint, day) keys it covers, whatever lies around
them: the neighbours that share a checkpoint or a day with a covered key keep their rows,
in the hours, the daily roll-up, the area roll-up and the submissions. Checked by plain
SQL on every engine (the writer deletes by a join on the keys, so a wrong join — every
code × every day, say — would show here)."""

from __future__ import annotations

from sqlalchemy import text

from data_access import rollups
from data_access.ingest import ACCEPTED
from tests.fixtures_data import CP_A1, CP_A2, CP_B1, D1, D2, D3, G1, G2, LAB_A, SS1, VS_AF1
from tests.intake_support import import_one, report_csv

COVERED = {(CP_A1, D2), (CP_A2, D1), (CP_B1, D3)}


def report() -> bytes:
    rows = [
        (CP_A1, D2, 10, 101),
        (CP_A1, D2, 11, 102),
        (CP_A2, D1, 7, 303),
        (CP_B1, D3, 20, 5),
    ]
    return report_csv(
        "checkpoint_hourly",
        [
            {
                "day": day.isoformat(),
                "hour": hour,
                "checkpoint_code": code,
                "vehicles": 1,
                "people": people,
                "temperature_checks": people,
                "fever": 0,
            }
            for code, day, hour, people in rows
        ],
    )


def select_all(engine, sql: str) -> list[tuple]:
    """Rows of ``sql`` with every value as text (dates come back as text on SQLite)."""
    with engine.connect() as conn:
        return sorted(tuple(str(v) for v in row) for row in conn.execute(text(sql)))


def hours(engine) -> list[tuple]:
    return select_all(engine, "SELECT checkpoint_code, day, hour, people FROM checkpoint_hourly")


def days(engine) -> list[tuple]:
    return select_all(engine, "SELECT checkpoint_code, day, people, staffed_hours FROM checkpoint_daily")


def submissions(engine) -> list[tuple]:
    return select_all(engine, "SELECT report_type, unit_code, day, import_id FROM report_submission")


def covered(row: tuple) -> bool:
    return (row[0], row[1]) in {(code, day.isoformat()) for code, day in COVERED}


def test_a_report_replaces_exactly_the_keys_it_covers(fresh_city):
    engine = fresh_city
    before_hours, before_days, before_submissions = hours(engine), days(engine), submissions(engine)

    first = import_one(engine, "cp.csv", report())
    again = import_one(engine, "cp.csv", report())  # the same file again: the same figures
    assert first.outcome == again.outcome == ACCEPTED

    expected_hours = sorted(
        [r for r in before_hours if not covered(r)]
        + [
            (CP_A1, D2.isoformat(), "10", "101"),
            (CP_A1, D2.isoformat(), "11", "102"),
            (CP_A2, D1.isoformat(), "7", "303"),
            (CP_B1, D3.isoformat(), "20", "5"),
        ]
    )
    assert hours(engine) == expected_hours
    expected_days = sorted(
        [r for r in before_days if not covered(r)]
        + [
            (CP_A1, D2.isoformat(), "203", "2"),
            (CP_A2, D1.isoformat(), "303", "1"),
            (CP_B1, D3.isoformat(), "5", "1"),
        ]
    )
    assert days(engine) == expected_days
    # The stored submission for CP_B1 on D3 is replaced; CP_A1's on D3 stays.
    mine = str(again.import_id)
    assert submissions(engine) == sorted(
        [r for r in before_submissions if not (r[0] == "checkpoint" and covered(r[1:]))]
        + [("checkpoint", code, day.isoformat(), mine) for code, day in COVERED]
    )
    assert ("checkpoint", CP_A1, D3.isoformat(), "None") in submissions(engine)

    # The city and district hours roll up every checkpoint's hours of the days touched.
    for level in ("city", "district"):
        column = f"{level}_code"
        detail = select_all(
            engine,
            f"SELECT a.{column}, h.day, h.hour, SUM(h.people) FROM checkpoint_hourly h "
            "JOIN checkpoint c ON c.code = h.checkpoint_code JOIN area a ON a.code = c.area_code "
            f"GROUP BY a.{column}, h.day, h.hour",
        )
        rolled_up = select_all(
            engine,
            "SELECT r.area_code, r.day, r.hour, r.people FROM checkpoint_area_hourly r "
            f"JOIN area a ON a.code = r.area_code WHERE a.level = '{level}'",
        )
        assert rolled_up == detail
    assert select_all(engine, "SELECT detail_table, day FROM rollup_dirty") == []


def rollup_rows(engine) -> dict[str, list[tuple]]:
    """Every area roll-up's rows and its totals' rows, values as text."""
    tables = [t for r in rollups.AREA_ROLLUPS for t in (r.table, r.totals) if t is not None]
    return {table.name: select_all(engine, f"SELECT * FROM {table.name}") for table in tables}


def test_roll_ups_rebuilt_for_the_units_written_equal_a_full_rebuild(fresh_city):
    """An import rebuilds only the roll-up rows above its own units (rollups.refresh_units)
    when they are few: after a grid report for two units of one community, a testing report
    for one site, a vaccination report for one site, an hourly report of one checkpoint and
    the hourly report above (all three checkpoints: whole days), every roll-up and its
    totals hold what rebuilding them from all the detail gives."""
    engine = fresh_city
    grid = [
        {
            "day": D3.isoformat(),
            "unit_code": unit,
            "households_visited": visited,
            "people_screened": visited * 3,
            "home_observation": 1,
            "workers_on_duty": 2,
            "risk_colour": colour,
        }
        for unit, visited, colour in ((G1, 40, "黄"), (G2, 7, "绿"))
    ]
    testing = [
        {
            "day": D2.isoformat(),
            "site_code": SS1,
            "lab_code": LAB_A,
            "samples_collected": 90,
            "samples_tested": 80,
            "positives": 1,
        }
    ]
    one_checkpoint = report_csv(
        "checkpoint_hourly",
        [
            {
                "day": D1.isoformat(),
                "hour": 6,
                "checkpoint_code": CP_A2,
                "vehicles": 3,
                "people": 9,
                "temperature_checks": 9,
                "fever": 0,
            }
        ],
    )
    # One vaccination site's day: its district's rows and their totals (``VACCINATION.totals``).
    vaccination = [{"day": D2.isoformat(), "site_code": VS_AF1, "age_group": "18-59岁", "dose_number": "加强针", "doses": 7}]
    reports = {
        "grid.csv": report_csv("grid", grid),
        "t.csv": report_csv("testing", testing),
        "v.csv": report_csv("vaccination", vaccination),
        "cp1.csv": one_checkpoint,
    }
    for name, data in [*reports.items(), ("cp.csv", report())]:
        assert import_one(engine, name, data).outcome == ACCEPTED
    stored = rollup_rows(engine)
    assert select_all(engine, "SELECT detail_table, day FROM rollup_dirty") == []
    with engine.begin() as conn:
        rollups.refresh_all(conn)
    assert rollup_rows(engine) == stored
