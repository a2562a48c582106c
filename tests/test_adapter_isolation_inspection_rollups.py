"""The isolation people and inspection roll-ups (rollups.ISOLATION_PEOPLE, rollups.INSPECTIONS):
every query that reads them for the city or a district gives what the detail gives, on
every engine, and imports keep them in step (a team's rows in another district, a team's
report that drops a street)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select, text

from data_access import inspections, isolation, rollups
from data_access import schema as s
from data_access.ingest import ACCEPTED
from tests.fixtures_data import CITY, D1, D2, D3, DISTRICT_A, DISTRICT_B, STREET_A1, STREET_A2, STREET_B1
from tests.fixtures_isolation import IT_A1
from tests.helpers import scope
from tests.intake_support import fresh_city, import_one, report_csv  # noqa: F401  (fixture)
from tests.test_ingest_isolation_inspections import CLEAN

D4 = D3 + dt.timedelta(days=1)


def _checklist(entity_type: str | None):
    return lambda sc, engine: inspections.checklist_results(sc, entity_type, engine)


# Each function that reads a roll-up for the city or a district, with the level it groups at.
CHANGED = {
    "people_daily_totals": isolation.people_daily_totals,
    "people_by_category": isolation.people_by_category,
    "people_by_category_daily": isolation.people_by_category_daily,
    "people_by_area": isolation.people_by_area,
    "people_by_district": lambda sc, engine: isolation.people_by_area(sc, engine, "district"),
    "inspection_daily_totals": inspections.inspection_daily_totals,
    "inspections_by_type": inspections.inspections_by_type,
    "checklist_results": _checklist(None),
    "checklist_results_pharmacy": _checklist("pharmacy"),
    "inspections_by_area": inspections.inspections_by_area,
    "inspections_by_district": lambda sc, engine: inspections.inspections_by_area(sc, engine, "district"),
}
SCOPES = {
    "city, three days": scope(CITY),
    "city, last day": scope(CITY, D3, D3),
    "city, second day": scope(CITY, D2, D2),
    "city, past the data": scope(CITY, D2, D3 + dt.timedelta(days=10)),
    "district A": scope(DISTRICT_A),
    "district B, two days": scope(DISTRICT_B, D2, D3),
}


def from_detail(function, sc, engine, monkeypatch) -> pd.DataFrame:
    """``function`` with every roll-up unusable: what the detail gives."""
    with monkeypatch.context() as patched:
        patched.setattr(rollups.AreaRollup, "usable", lambda self, engine, *levels: False)
        return function(sc, engine)


def assert_roll_ups_equal_the_detail(engine, monkeypatch, scopes=SCOPES) -> None:
    for rollup in (rollups.ISOLATION_PEOPLE, rollups.INSPECTIONS):
        assert rollup.usable(engine, "city", "district")  # the roll-up path is the one compared
    for scope_name, sc in scopes.items():
        for name, function in CHANGED.items():
            rolled, detail = function(sc, engine), from_detail(function, sc, engine, monkeypatch)
            assert not detail.empty or name.startswith(("people_daily", "people_by_category_daily", "inspection_daily"))
            try:
                pd.testing.assert_frame_equal(rolled, detail)
            except AssertionError as error:
                raise AssertionError(f"{name} for {scope_name}: roll-up differs from the detail\n{error}") from None


def test_every_changed_query_gives_the_detail_s_figures(engine, monkeypatch):
    assert_roll_ups_equal_the_detail(engine, monkeypatch)


def test_the_roll_ups_are_read_at_city_and_district_only(engine):
    for rollup in (rollups.ISOLATION_PEOPLE, rollups.INSPECTIONS):
        assert rollup.levels == ("city", "district")
        assert not rollup.usable(engine, "district", "street")  # a district's streets read the detail
        assert not rollup.usable(engine, "street")


def test_the_roll_ups_hold_fewer_rows_than_the_detail(engine):
    rollups.ISOLATION_PEOPLE.ready(engine)
    rollups.INSPECTIONS.ready(engine)
    with engine.connect() as conn:
        count = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in (
            "isolation_people_area_daily", "inspection_area_daily")}  # fmt: skip
        city_people = conn.execute(
            text("SELECT sum(held) FROM isolation_people_area_daily WHERE area_code = :c AND day = :d"), {"c": CITY, "d": D1}
        ).scalar_one()
    # Hand-worked in test_adapter_isolation: 27 held at the city's end of the 1st.
    assert city_people == 27
    assert count["isolation_people_area_daily"] > 0 and count["inspection_area_daily"] > 0


def check(street, entity_type="market", inspections_=2, passed=2, visits=3, late=0, team=IT_A1):
    return {"day": D4.isoformat(), "team_code": team, "area_code": street, "entity_type": entity_type,
            "inspections": inspections_, "inspector_visits": visits, "inspections_passed": passed, "problems_found": 0,
            "fixed_on_time": 0, "fixed_late": late, "open_problems": 0, "overdue": 0, "entities_open": 0, **CLEAN}  # fmt: skip


def people(street, category, measure, new_in, released, held):
    return {"day": D4.isoformat(), "area_code": street, "category": category, "measure": measure,
            "new_in": new_in, "released": released, "held": held, "overdue": 0}  # fmt: skip


def marks(engine) -> list:
    marked = s.rollup_dirty.c
    details = ("isolation_people_daily", "inspection_daily")
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(marked.detail_table, marked.day).where(marked.detail_table.in_(details)))]


def test_imports_keep_the_roll_ups_in_step(fresh_city, monkeypatch):  # noqa: F811
    engine = fresh_city
    four_days = {
        "city, four days": scope(CITY, D1, D4),
        "city, the new day": scope(CITY, D4, D4),
        "district A, four days": scope(DISTRICT_A, D1, D4),
        "district B, the new day": scope(DISTRICT_B, D4, D4),
    }
    # A team of district A checks a street of each district on a new day; a street's people.
    # (Dongfeng's market problem open on the 3rd is put right late.)
    checks = [check(STREET_A1, late=1), check(STREET_A2, "pharmacy", 3, 3, 4), check(STREET_B1, "restaurant", 1, 1, 2)]
    outcome = import_one(engine, "督导.csv", report_csv("inspection", checks))
    assert outcome.outcome == ACCEPTED, [(e.code, e.row, e.fields) for e in outcome.errors]
    rows = [
        people(STREET_A1, "close_contact", "centralised", 2, 1, 6),
        people(STREET_B1, "close_contact", "centralised", 1, 0, 1),
    ]
    outcome = import_one(engine, "隔离管控.csv", report_csv("isolation_people", rows))
    assert outcome.outcome == ACCEPTED, [(e.code, e.row, e.fields) for e in outcome.errors]
    assert marks(engine) == []  # the imports rebuilt their days themselves
    # The team counts once in the city and once in each district it checked.
    totals = {
        area_code: inspections.inspection_daily_totals(scope(area_code, D4, D4), engine).iloc[0]
        for area_code in (CITY, DISTRICT_A, DISTRICT_B)
    }
    assert [int(totals[a]["teams_reporting"]) for a in (CITY, DISTRICT_A, DISTRICT_B)] == [1, 1, 1]
    assert [int(totals[a]["inspections"]) for a in (CITY, DISTRICT_A, DISTRICT_B)] == [6, 5, 1]
    held = isolation.people_daily_totals(scope(CITY, D4, D4), engine).iloc[0]
    assert (int(held["held"]), int(held["streets_reporting"])) == (7, 2)
    assert_roll_ups_equal_the_detail(engine, monkeypatch, four_days)

    # The team's day again without district B's street: its row there goes, and with it the
    # district's figures, though the team itself stands in district A.
    outcome = import_one(engine, "督导 again.csv", report_csv("inspection", checks[:2]))
    assert outcome.outcome == ACCEPTED
    assert marks(engine) == []
    assert inspections.inspection_daily_totals(scope(DISTRICT_B, D4, D4), engine).empty
    assert int(inspections.inspections_by_type(scope(CITY, D4, D4), engine)["inspections"].sum()) == 5
    assert_roll_ups_equal_the_detail(engine, monkeypatch, four_days)

    # What the imports left equals a rebuild from the detail.
    stored = {
        table: pd.read_sql_table(table, engine).sort_values(["area_code", "day", *keys]).reset_index(drop=True)
        for table, keys in (("isolation_people_area_daily", ["category", "measure"]), ("inspection_area_daily", ["entity_type"]))
    }
    with engine.begin() as conn:
        rollups.ISOLATION_PEOPLE.refresh(conn)
        rollups.INSPECTIONS.refresh(conn)
    for table, keys in (("isolation_people_area_daily", ["category", "measure"]), ("inspection_area_daily", ["entity_type"])):
        rebuilt = pd.read_sql_table(table, engine).sort_values(["area_code", "day", *keys]).reset_index(drop=True)
        pd.testing.assert_frame_equal(stored[table], rebuilt)


@pytest.mark.parametrize("table", [s.isolation_people_daily, s.inspection_daily])
def test_plain_writes_to_the_detail_mark_their_days(fresh_city, table, monkeypatch):  # noqa: F811
    """A delete outside an import marks its day; the next read rebuilds it and still agrees."""
    engine = fresh_city
    assert rollups.ISOLATION_PEOPLE.usable(engine, "city") and rollups.INSPECTIONS.usable(engine, "city")
    with engine.begin() as conn:
        conn.execute(table.delete().where(table.c.day == D2, table.c.area_code == STREET_A1))
    assert marks(engine) == [(table.name, D2)]
    assert_roll_ups_equal_the_detail(engine, monkeypatch, {"city": scope(CITY), "district A": scope(DISTRICT_A)})
    assert marks(engine) == []
