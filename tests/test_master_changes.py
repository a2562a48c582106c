"""Effective-dated changes on the hand-built city: a retired unit refuses new reports but
keeps its figures, completeness stops expecting it, a rename keeps the figures with the
code, a move and a merge carry the figures to the new parent. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from data_access import checkpoints, reporting, testing
from data_access.ingest import import_reports
from data_access.master import changes
from data_access.master.changes import ChangeError
from data_access.scope import Scope
from tests.fixtures_data import (
    CITY,
    COMMUNITY_A1A,
    COMMUNITY_A1B,
    CP_A1,
    CP_A2,
    D1,
    D2,
    D3,
    DISTRICT_A,
    G4,
    STREET_A1,
    STREET_A2,
)

ADMIN = "admin@example.org"
TODAY = D3.replace(month=5)


def checkpoint_report(code, day) -> bytes:
    return f"日期,道口代码,查验车辆,查验人员,体温检测,发热人员\r\n{day.isoformat()},{code},1,2,2,0\r\n".encode()


def expected(engine, report_type: str, day, area_code: str = DISTRICT_A) -> int:
    frame = reporting.reporting_completeness(Scope(area_code, day, day), day, engine)
    return int(frame.set_index("report_type").at[report_type, "expected"])


def listed(engine, report_type: str, day, area_code: str) -> tuple[int, int]:
    """Units expected and reported, counted from the unit-by-unit listing."""
    units = reporting.reporting_units(Scope(area_code, day, day), day, report_type, engine=engine)
    return len(units), int(units["reported"].sum())


def people(engine, area_code: str) -> int:
    return int(checkpoints.checkpoint_daily_totals(Scope(area_code, D1, D3), engine)["people"].sum())


def test_a_retired_checkpoint_refuses_new_reports_and_keeps_its_figures(fresh_city):
    before = people(fresh_city, STREET_A1)
    expected_before = expected(fresh_city, "checkpoint", D3)
    changes.retire_facility("checkpoint", CP_A1, D3, by=ADMIN, engine=fresh_city)

    [refused] = import_reports([("d3.csv", checkpoint_report(CP_A1, D3))], user=ADMIN, engine=fresh_city, today=TODAY)
    assert [(err.code, err.row, err.fields) for err in refused.errors] == [("retired_unit", 2, {"since": D3.isoformat()})]
    [accepted] = import_reports([("d2.csv", checkpoint_report(CP_A1, D2))], user=ADMIN, engine=fresh_city, today=TODAY)
    assert accepted.accepted  # a late report for a day it was still active

    assert people(fresh_city, STREET_A1) == before - 25 + 2  # D2's 25 people replaced by 2; D1 and D3 kept
    assert expected(fresh_city, "checkpoint", D3) == expected_before - 1
    assert expected(fresh_city, "checkpoint", D2) == expected_before  # still expected the day before


def test_a_retired_street_takes_its_checkpoints_and_communities_with_it(fresh_city):
    changes.retire_area(STREET_A2, D3, by=ADMIN, engine=fresh_city)
    [refused] = import_reports([("a2.csv", checkpoint_report(CP_A2, D3))], user=ADMIN, engine=fresh_city, today=TODAY)
    assert [err.code for err in refused.errors] == ["retired_unit"]
    assert expected(fresh_city, "testing", D3) == expected(fresh_city, "testing", D2) - 1  # SS3 of its community
    # The root's counts leave the retired street's units out without looking up each unit's
    # area: the same as the unit-by-unit listing, every type, before and after.
    for day in (D2, D3):
        counts = reporting.reporting_completeness(Scope(CITY, day, day), day, fresh_city).set_index("report_type")
        for report_type, row in counts.iterrows():
            assert (row["expected"], row["reported"]) == listed(fresh_city, report_type, day, CITY), (report_type, day)
    assert expected(fresh_city, "testing", D3, CITY) == expected(fresh_city, "testing", D2, CITY) - 1
    assert expected(fresh_city, "checkpoint", D3, CITY) == expected(fresh_city, "checkpoint", D2, CITY) - 1  # CP_A2
    assert people(fresh_city, STREET_A2) > 0  # history stays
    assert [c["change"] for c in changes.area_changes(STREET_A2, fresh_city)] == ["retire"]


def test_a_rename_keeps_the_figures_with_the_code(fresh_city):
    before = people(fresh_city, STREET_A1)
    changes.rename_area(STREET_A1, "东风新街道", D3, name_en="New Dongfeng", by=ADMIN, engine=fresh_city)
    from data_access.areas import area_info

    info = area_info(STREET_A1, fresh_city)
    assert (info["name_zh"], info["name_en"]) == ("东风新街道", "New Dongfeng")
    assert people(fresh_city, STREET_A1) == before
    [change] = changes.area_changes(STREET_A1, fresh_city)
    assert change["change"] == "rename" and "东风街道" in change["detail"]


def samples(engine, area_code: str) -> int:
    return int(testing.testing_daily_totals(Scope(area_code, D1, D3), engine)["samples_collected"].sum())


def test_a_move_carries_the_figures_to_the_new_parent(fresh_city):
    a1, a2, district = samples(fresh_city, STREET_A1), samples(fresh_city, STREET_A2), samples(fresh_city, DISTRICT_A)
    moved = samples(fresh_city, COMMUNITY_A1B)
    changes.move_area(COMMUNITY_A1B, STREET_A2, D3, by=ADMIN, engine=fresh_city)
    assert (samples(fresh_city, STREET_A1), samples(fresh_city, STREET_A2)) == (a1 - moved, a2 + moved)
    assert samples(fresh_city, DISTRICT_A) == district
    from data_access.scope import area_row

    assert area_row(fresh_city, G4)["street_code"] == STREET_A2  # its grid unit moved with it
    with pytest.raises(ChangeError):
        changes.move_area(COMMUNITY_A1A, DISTRICT_A, D3, by=ADMIN, engine=fresh_city)  # a community under a district


def test_a_merge_moves_the_children_and_retires_the_area(fresh_city):
    street_total = samples(fresh_city, STREET_A1)
    changes.merge_area(COMMUNITY_A1A, COMMUNITY_A1B, D3, by=ADMIN, engine=fresh_city)
    from data_access.areas import area_children, area_info

    assert area_children(COMMUNITY_A1A, fresh_city).empty
    assert len(area_children(COMMUNITY_A1B, fresh_city)) == 3  # its own compound and A1A's two
    assert str(area_info(COMMUNITY_A1A, fresh_city)["code"]) == COMMUNITY_A1A  # still there, with its history
    assert samples(fresh_city, STREET_A1) == street_total


def test_changes_stay_within_the_changer_s_area(fresh_city):
    with pytest.raises(ChangeError) as refused:
        changes.retire_area(STREET_A2, D3, by=ADMIN, within=STREET_A1, engine=fresh_city)
    assert refused.value.code == "area_outside_yours"
    with pytest.raises(ChangeError):
        changes.retire_facility("checkpoint", CP_A2, D3, by=ADMIN, within=STREET_A1, engine=fresh_city)
