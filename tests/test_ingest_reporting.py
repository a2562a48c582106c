"""Reporting completeness (零报告) and the import history, against the hand-built test
city's submissions (tests/fixtures_data.py SUBMISSIONS), worked out by hand."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from data_access import reporting
from data_access.ingest import import_reports
from tests.fixtures_data import (
    CITY,
    COMMUNITY_A1A,
    CP_A1,
    CP_A2,
    CP_B1,
    D2,
    D3,
    DISTRICT_A,
    WH_A,
)
from tests.helpers import scope, utc_naive
from tests.intake_support import INTAKE_FILES, SETTINGS, TODAY


def counts(frame) -> dict[str, tuple[int, int, int]]:
    return {row.report_type: (row.expected, row.reported, row.missing) for row in frame.itertuples()}


def test_completeness_for_the_whole_city(engine):
    result = reporting.reporting_completeness(scope(CITY, D3, D3), engine=engine)
    assert list(result.columns) == reporting.COMPLETENESS_COLUMNS
    # Checkpoints A1, B1 reported on the 3rd, A2 did not; one sampling site (SS1) of four;
    # no depot (WH_A reported the 2nd); no vaccination site; one community of the four with grid units;
    # two streets of three (North Harbour did not) for isolation; one isolation site of the two
    # in service (IS_B1 is retired from the 3rd); two inspecting teams of three.
    assert counts(result) == {
        "checkpoint": (3, 2, 1),
        "testing": (4, 1, 3),
        "supplies": (3, 0, 3),
        "vaccination": (4, 0, 4),
        "grid": (4, 1, 3),
        "isolation_people": (3, 2, 1),
        "isolation_site": (2, 1, 1),
        "inspection": (3, 2, 1),
    }
    # The overview's count takes the report types in use: this city has never received a
    # vaccination report, so its 4 sites are not counted missing (17 − 4).
    assert "vaccination" not in reporting.types_in_use(engine)
    assert reporting.missing_report_count(scope(CITY, D3, D3), engine=engine) == 13
    assert (
        reporting.missing_report_count(scope(CITY, D2, D3), D2, engine=engine) == 22
    )  # 23 units of the types in use (3 streets, 3 isolation sites and 3 teams among them), only the depot WH_A reported the 2nd


def test_completeness_follows_the_area(engine):
    # District A: its two checkpoints and three sites; the depot is the district's own; its
    # two streets, its two isolation sites and its two teams.
    assert counts(reporting.reporting_completeness(scope(DISTRICT_A, D3, D3), engine=engine)) == {
        "checkpoint": (2, 1, 1),
        "testing": (3, 1, 2),
        "supplies": (1, 0, 1),
        "vaccination": (2, 0, 2),
        "grid": (3, 1, 2),
        "isolation_people": (2, 2, 0),
        "isolation_site": (2, 1, 1),
        "inspection": (2, 1, 1),
    }
    # A community sees its street's checkpoints, vaccination sites, isolation report and
    # isolation sites, and its district's depot and inspecting teams.
    assert counts(reporting.reporting_completeness(scope(COMMUNITY_A1A, D3, D3), engine=engine)) == {
        "checkpoint": (1, 1, 0),
        "testing": (1, 1, 0),
        "supplies": (1, 0, 1),
        "vaccination": (1, 0, 1),
        "grid": (1, 1, 0),
        "isolation_people": (1, 1, 0),
        "isolation_site": (1, 1, 0),
        "inspection": (2, 1, 1),
    }
    # The day is the scope's last day unless given.
    assert counts(reporting.reporting_completeness(scope(DISTRICT_A, D2, D2), engine=engine))["supplies"] == (1, 1, 0)


def test_units_list_says_who_reported_and_when_each_last_did(engine):
    units = reporting.reporting_units(scope(CITY, D3, D3), engine=engine)
    assert list(units.columns) == reporting.UNIT_COLUMNS
    assert units["reported"].tolist() == sorted(units["reported"].tolist())  # missing first
    checkpoints = units[units["report_type"] == "checkpoint"].set_index("unit_code")
    assert checkpoints["reported"].to_dict() == {CP_A2: False, CP_A1: True, CP_B1: True}
    assert utc_naive(checkpoints.at[CP_A1, "reported_at"]) == dt.datetime(2022, 4, 3, 20, 0)
    assert pd.isna(checkpoints.at[CP_A2, "last_day"]) and pd.isna(checkpoints.at[CP_A2, "last_reported_at"])  # never reported
    depot = units[(units["report_type"] == "supplies") & (units["unit_code"] == WH_A)].iloc[0]
    assert not depot["reported"]
    assert depot["last_day"] == D2
    assert utc_naive(depot["last_reported_at"]) == dt.datetime(2022, 4, 2, 23, 0)
    assert reporting.reporting_units(scope(CITY, D3, D3), report_type="grid", engine=engine)["report_type"].unique().tolist() == [
        "grid"
    ]
    missing = reporting.reporting_units(scope(CITY, D3, D3), only_missing=True, engine=engine)
    shown = ["report_type", "unit_code", "reported", "last_day"]
    assert missing[shown].values.tolist() == units.loc[~units["reported"], shown].values.tolist()
    assert len(missing) == 17


def test_an_import_fills_its_gap_and_the_history_keeps_every_attempt(fresh_city):
    before = reporting.missing_report_count(scope(CITY, D3, D3), engine=fresh_city)
    files = [
        ("bad.csv", (INTAKE_FILES / "bad_colour.csv").read_bytes()),
        ("good.csv", (INTAKE_FILES / "grid_valid.csv").read_bytes()),
    ]
    import_reports(files, user="王五", engine=fresh_city, today=TODAY, settings=SETTINGS)
    # grid_valid.csv reports two units of the Garden community, which had reported already.
    assert reporting.missing_report_count(scope(CITY, D3, D3), engine=fresh_city) == before
    zero = "日期,道口代码,查验车辆,查验人员,体温检测,发热人员\r\n2022-04-03,CP990101002,0,0,0,0\r\n".encode()
    import_reports([("zero.csv", zero)], user="王五", engine=fresh_city, today=TODAY, settings=SETTINGS)
    assert reporting.missing_report_count(scope(CITY, D3, D3), engine=fresh_city) == before - 1  # a zero report counts

    history = reporting.import_history(engine=fresh_city)
    assert list(history.columns) == reporting.HISTORY_COLUMNS
    assert history[["file_name", "outcome", "rows_accepted", "imported_by"]].values.tolist() == [
        ["zero.csv", "accepted", 1, "王五"],
        ["good.csv", "accepted", 2, "王五"],
        ["bad.csv", "rejected", 0, "王五"],
    ]
    assert [e["code"] for e in json.loads(history["errors"].iloc[2])] == ["bad_colour"]
    assert history["sha256"].str.len().eq(64).all()
    assert reporting.import_history(limit=1, engine=fresh_city)["file_name"].tolist() == ["zero.csv"]
