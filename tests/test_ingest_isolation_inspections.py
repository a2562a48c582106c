"""The intake of isolation and inspection reports (isolation_people, isolation_site,
inspection) on every engine: a good file of each is stored as written and replaces the
same unit and day, the words of real reports are read, and every rule refuses the file
whole with its reason, row and column — against the hand-built city
(tests/fixtures_isolation.py), whose 3rd is the day before the reports below."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from data_access import schema as s
from data_access.ingest import ACCEPTED, REJECTED
from tests.fixtures_data import COMMUNITY_A1A, D1, D3, STREET_A1, STREET_A2, STREET_B1
from tests.fixtures_isolation import IS_A1, IS_A2, IS_B1, IT_A1, IT_A2, IT_B1
from tests.intake_support import fingerprint, import_one, report_csv

D4 = D3 + dt.timedelta(days=1)


def people(street=STREET_A1, category="close_contact", measure="centralised", new_in=2, released=1, held=6, **more):
    return {"day": D4.isoformat(), "area_code": street, "category": category, "measure": measure,
            "new_in": new_in, "released": released, "held": held, **more}  # fmt: skip


def site(code=IS_A1, rooms_occupied=6, people=6, staff=4, new_in=2, released=1, **more):
    return {"day": D4.isoformat(), "site_code": code, "rooms_occupied": rooms_occupied, "people": people, "staff": staff,
            "new_in": new_in, "released": released, **more}  # fmt: skip


CLEAN = {f"{item}_{result}": 0 for item in s.CHECKLIST_ITEMS for result in ("passed", "failed")}


def check(team=IT_A1, street=STREET_A1, entity_type="market", inspections=2, passed=2, problems=0, on_time=0, late=1,
          open_=0, overdue=0, entities=0, visits=3, **more):  # fmt: skip
    return {"day": D4.isoformat(), "team_code": team, "area_code": street, "entity_type": entity_type,
            "inspections": inspections, "inspector_visits": visits, "inspections_passed": passed,
            "problems_found": problems, "fixed_on_time": on_time, "fixed_late": late, "open_problems": open_,
            "overdue": overdue, "entities_open": entities, **CLEAN, **more}  # fmt: skip


def stored(engine, table, **equal) -> list[dict]:
    with engine.connect() as conn:
        statement = select(table).where(*[table.c[k] == v for k, v in equal.items()]).order_by(*table.primary_key.columns)
        return [dict(r) for r in conn.execute(statement).mappings()]


def refused(engine, report_type: str, rows: list[dict]) -> list[tuple]:
    """Import ``rows`` as ``report_type``: it must be refused, change nothing, and give these errors."""
    before = fingerprint(engine)
    outcome = import_one(engine, f"{report_type}.csv", report_csv(report_type, rows), report_type=report_type)
    assert outcome.outcome == REJECTED
    assert fingerprint(engine) == before
    return [(e.code, e.row, e.column, e.fields) for e in outcome.errors]


# ------------------------------------------------------------------ good files
def test_a_street_s_people_are_stored_in_words_as_reports_write_them_and_replaced(fresh_city):
    # Dongfeng on the 3rd: close contacts centralised 5 (1 overdue), at home 0, risk-area arrivals monitored 10.
    rows = [
        people(category="密接", measure="集中隔离", new_in=2, released=1, held=6, overdue=0),
        people(category="中高风险地区来返人员", measure="居家健康监测", new_in=0, released=4, held=6),
        people(category="出院康复人员", measure="centralised", new_in=1, released=0, held=1),  # none held the day before
    ]
    outcome = import_one(fresh_city, "隔离管控.csv", report_csv("isolation_people", rows))
    assert outcome.outcome == ACCEPTED and outcome.report_type == "isolation_people" and outcome.units == 1
    got = [(r["category"], r["measure"], r["new_in"], r["released"], r["held"], r["overdue"])
           for r in stored(fresh_city, s.isolation_people_daily, day=D4)]  # fmt: skip
    assert got == [
        ("close_contact", "centralised", 2, 1, 6, 0),
        ("discharged", "centralised", 1, 0, 1, 0),
        ("risk_area_arrival", "home_monitoring", 0, 4, 6, 0),
    ]
    assert [r["unit_code"] for r in stored(fresh_city, s.report_submission, report_type="isolation_people", day=D4)] == [
        STREET_A1
    ]
    # A second report for the street and day replaces the first whole.
    again = import_one(fresh_city, "again.csv", report_csv("isolation_people", [rows[0]]))
    assert again.outcome == ACCEPTED
    assert [r["category"] for r in stored(fresh_city, s.isolation_people_daily, day=D4)] == ["close_contact"]


def test_a_site_report_accepts_people_sharing_rooms(fresh_city):
    # IS_A1 held 5 on the 3rd: 5 + 2 − 1 = 6 people, a family of two in one room (5 rooms).
    rows = [site(rooms_occupied=5, people=6), site(IS_A2, rooms_occupied=1, people=1, staff=2, new_in=1, released=0)]
    outcome = import_one(fresh_city, "sites.xlsx.csv", report_csv("isolation_site", rows))
    assert outcome.outcome == ACCEPTED and outcome.units == 2
    assert [(r["site_code"], r["rooms_occupied"], r["people"]) for r in stored(fresh_city, s.isolation_site_daily, day=D4)] == [
        (IS_A1, 5, 6),
        (IS_A2, 1, 1),
    ]


def test_a_team_s_day_with_its_checklist(fresh_city):
    # IT_A1 on the 3rd: one problem open (overdue) at Dongfeng's markets, fixed late on the 4th;
    # Xi'an Road's pharmacies had nothing open (the team reported the 3rd, without a row there).
    rows = [
        check(**{"mask_passed": 2, "codes_passed": 2, "temperature_passed": 2, "scan_passed": 2}),
        check(
            street=STREET_A2,
            entity_type="药店",
            inspections=3,
            passed=2,
            problems=1,
            on_time=1,
            late=0,
            visits=4,
            penalties=1,
            masks_seized=120,
            **{"mask_passed": 2, "mask_failed": 1, "register_passed": 3},
        ),  # fmt: skip
    ]
    outcome = import_one(fresh_city, "督导.csv", report_csv("inspection", rows))
    assert outcome.outcome == ACCEPTED, [(e.code, e.row, e.fields) for e in outcome.errors]
    got = stored(fresh_city, s.inspection_daily, day=D4)
    assert [
        (r["area_code"], r["entity_type"], r["inspections"], r["fixed_late"], r["mask_failed"], r["masks_seized"]) for r in got
    ] == [
        (STREET_A1, "market", 2, 1, 0, 0),
        (STREET_A2, "pharmacy", 3, 0, 1, 120),
    ]


# ------------------------------------------------------------------ refusals
def test_words_that_name_no_category_measure_or_kind(city):
    assert [e[:3] for e in refused(city, "isolation_people", [people(category="密切人员"), people(measure="方舱")])] == [
        ("bad_kind", 2, "category"),
        ("bad_kind", 3, "measure"),
    ]
    assert [e[:3] for e in refused(city, "inspection", [check(entity_type="网吧")])] == [("bad_kind", 2, "entity_type")]


def test_figures_above_what_holds_them(city):
    assert refused(city, "isolation_people", [people(held=6, overdue=7)]) == [
        ("exceeds", 2, "overdue", {"other": "held", "limit": 6})
    ]
    assert [
        e[:3] + (e[3]["other"],) for e in refused(city, "isolation_site", [site(rooms_occupied=7, people=6, cases_found=2)])
    ] == [
        ("exceeds", 2, "rooms_occupied", "people"),
        ("exceeds", 2, "cases_found", "released"),
    ]
    errors = refused(
        city, "inspection", [check(passed=3), check(street=STREET_A2, open_=1, overdue=2, entities=2, problems=1, late=0)]
    )
    assert [e[:3] + (e[3].get("other"),) for e in errors] == [
        ("exceeds", 2, "inspections_passed", "inspections"),
        ("exceeds", 3, "overdue", "open_problems"),
        ("exceeds", 3, "entities_open", "open_problems"),
    ]


def test_checklist_problems_and_inspectors(city):
    rows = [
        check(problems=1, **{"mask_passed": 2, "mask_failed": 1}),  # 3 results for 2 checks
        check(street=STREET_A2, passed=0, problems=1, late=0, open_=1, entities=1),  # 2 failed checks, 1 problem
        check(
            street=STREET_A2,
            entity_type="restaurant",
            passed=2,
            problems=1,
            late=0,
            open_=1,
            entities=1,
            **{"mask_passed": 2, "codes_failed": 1, "scan_failed": 1},
        ),  # fmt: skip
        check(street=STREET_A2, entity_type="cold_chain", visits=0),
    ]
    assert refused(city, "inspection", rows) == [
        ("checklist_above_inspections", 2, "mask_failed", {"passed": 2, "failed": 1, "inspections": 2}),
        ("problems_below_failures", 3, "problems_found", {"failed": 2, "items": 0}),
        ("problems_below_failures", 4, "problems_found", {"failed": 0, "items": 2}),
        ("no_inspectors", 5, "inspector_visits", {"n": 2}),
    ]


def test_stocks_must_follow_from_the_day_before_stored(city):
    # Dongfeng held 5 close contacts centrally on the 3rd: 5 + 2 − 1 is 6, not 7.
    assert refused(city, "isolation_people", [people(held=7)]) == [
        ("stock_mismatch", 2, "held", {"previous": 5, "added": 2, "removed": 1, "expected": 6})
    ]
    # IS_A2 was empty on the 3rd; IT_A1 had 1 problem open at Dongfeng's markets.
    assert refused(city, "isolation_site", [site(IS_A2, rooms_occupied=3, people=3, new_in=2, released=0)]) == [
        ("stock_mismatch", 2, "people", {"previous": 0, "added": 2, "removed": 0, "expected": 2})
    ]
    assert refused(city, "inspection", [check(late=0, open_=0)]) == [
        ("stock_mismatch", 2, "open_problems", {"previous": 1, "added": 0, "removed": 0, "expected": 1})
    ]


def test_stocks_follow_the_day_before_in_the_same_file_and_are_not_judged_without_one(fresh_city):
    fifth = (D4 + dt.timedelta(days=1)).isoformat()
    rows = [people(held=6), {**people(new_in=0, released=0, held=5), "day": fifth}]  # 6 on the 4th, 5 on the 5th
    assert refused(fresh_city, "isolation_people", rows) == [
        ("stock_mismatch", 3, "held", {"previous": 6, "added": 0, "removed": 0, "expected": 6})
    ]
    # North Harbour did not report on the 3rd: its 4th is not judged against anything.
    outcome = import_one(fresh_city, "bei.csv", report_csv("isolation_people", [people(STREET_B1, new_in=1, released=0, held=9)]))
    assert outcome.outcome == ACCEPTED
    # IT_A2 has a row on the 3rd (Dongfeng's pharmacies, 3 open), so its 4th is judged: 3 + 0 − 1 = 2.
    assert refused(fresh_city, "inspection", [check(IT_A2, entity_type="pharmacy", late=0, on_time=1, open_=3, entities=1)]) == [
        ("stock_mismatch", 2, "open_problems", {"previous": 3, "added": 0, "removed": 1, "expected": 2})
    ]


def test_rooms_above_the_site_s_rooms_and_units_that_cannot_report(city):
    assert refused(city, "isolation_site", [site(IS_A2, rooms_occupied=5, people=5, new_in=5, released=0)])[0] == (
        "rooms_above_capacity",
        2,
        "rooms_occupied",
        {"rooms": 4},
    )
    # A community is not a street; the retired site takes no report from the 3rd on; no such team.
    assert [e[:3] + (e[3],) for e in refused(city, "isolation_people", [people(COMMUNITY_A1A)])] == [
        ("unknown_code", 2, "area_code", {"kind": "street"})
    ]
    retired = {**site(IS_B1, rooms_occupied=0, people=0, staff=1, new_in=0, released=0), "day": D3.isoformat()}
    assert [e[0] for e in refused(city, "isolation_site", [retired])] == ["retired_unit"]
    assert [e[:3] for e in refused(city, "inspection", [check("IT404")])] == [("unknown_code", 2, "team_code")]


def test_a_reporter_of_one_district_may_not_report_another_s_team(city):
    errors = [e[:3] for e in refused_within(city, [check(IT_B1, STREET_B1, "restaurant", late=0)], "990101")]
    assert errors == [("outside_area", 2, "team_code")]


def refused_within(engine, rows, within):
    before = fingerprint(engine)
    outcome = import_one(engine, "inspection.csv", report_csv("inspection", rows), within=within)
    assert outcome.outcome == REJECTED and fingerprint(engine) == before
    return [(e.code, e.row, e.column, e.fields) for e in outcome.errors]


@pytest.mark.parametrize("report_type", ["isolation_people", "isolation_site", "inspection"])
def test_each_type_is_told_from_its_headers(city, report_type):
    rows = {"isolation_people": [people()], "isolation_site": [site()], "inspection": [check()]}[report_type]
    outcome = import_one(city, "x.csv", report_csv(report_type, rows), report_type=None, dry_run=True)
    assert outcome.report_type == report_type and outcome.outcome == ACCEPTED, [e.code for e in outcome.errors]


def test_the_first_day_of_a_street_is_taken_as_it_stands(fresh_city):
    # Nothing stored before the 1st: held 20 with 2 in is accepted (people held from before the data).
    row = {
        **people(STREET_A2, "risk_area_arrival", "home_monitoring", new_in=2, released=0, held=20),
        "day": (D1 - dt.timedelta(days=1)).isoformat(),
    }
    assert import_one(fresh_city, "first.csv", report_csv("isolation_people", [row])).outcome == ACCEPTED
