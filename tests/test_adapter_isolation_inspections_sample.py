"""The isolation and inspection queries on the small sample city (the one `make run` loads)
agree with plain SQL written apart from them, for the whole city, a district and a street
over the last 30 days."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from data_access.inspections import checklist_results, inspection_daily_totals, inspections_by_area, inspections_by_type
from data_access.isolation import people_by_area, people_by_category, people_daily_totals, site_daily_totals, site_table
from data_access.scope import Scope

END = dt.date(2022, 4, 30)
START = END - dt.timedelta(days=29)
AREAS = ["418800", "418802", "418802003"]  # the city, a district, a street


def sql(engine, statement: str, **params) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(statement), {"start": START, "end": END, **params})]


def streets_of(code: str) -> str:
    """Raw SQL for the codes of the streets under ``code`` (by code prefix, as the codes nest)."""
    return f"SELECT code FROM area WHERE level = 'street' AND code LIKE '{code[:4] if code.endswith('00') else code}%'"


@pytest.fixture(scope="module")
def sample(sample_database):
    return sample_database[1]


@pytest.mark.parametrize("area", AREAS)
def test_people_agree_with_sql(sample, area):
    scope = Scope(area, START, END)
    daily = people_daily_totals(scope, sample)
    expected = sql(
        sample,
        f"SELECT day, SUM(new_in), SUM(released), SUM(held), SUM(overdue), "
        f"SUM(CASE WHEN measure = 'centralised' THEN held ELSE 0 END) FROM isolation_people_daily "
        f"WHERE area_code IN ({streets_of(area)}) AND day BETWEEN :start AND :end GROUP BY day ORDER BY day",
    )
    got = daily[["new_in", "released", "held", "overdue", "held_centralised"]].values.tolist()
    assert got == [list(row[1:]) for row in expected] and len(got) == 30
    by_category = people_by_category(scope, sample).set_index(["category", "measure"])
    for category, measure, held in sql(
        sample,
        f"SELECT category, measure, SUM(held) FROM isolation_people_daily WHERE area_code IN ({streets_of(area)}) "
        "AND day = :end GROUP BY category, measure",
    ):
        assert by_category.loc[(category, measure), "held"] == held
    assert people_by_area(scope, sample)["held"].sum() == daily["held"].iloc[-1]


@pytest.mark.parametrize("area", AREAS)
def test_sites_agree_with_sql(sample, area):
    scope = Scope(area, START, END)
    sites = site_table(scope, sample)
    expected = sql(
        sample,
        f"SELECT s.code, s.rooms, d.rooms_occupied, d.people FROM isolation_site s LEFT JOIN isolation_site_daily d "
        f"ON d.site_code = s.code AND d.day = :end WHERE s.area_code IN ({streets_of(area)}) ORDER BY s.code",
    )
    assert [(r.code, r.rooms) for r in sites.itertuples()] == [row[:2] for row in expected]
    assert sites["rooms_occupied"].fillna(-1).tolist() == [-1 if row[2] is None else row[2] for row in expected]
    (net,) = sql(
        sample,
        f"SELECT SUM(new_in - released) FROM isolation_site_daily WHERE day BETWEEN :from AND :end "
        f"AND site_code IN (SELECT code FROM isolation_site WHERE area_code IN ({streets_of(area)}))",
        **{"from": END - dt.timedelta(days=6)},
    )[0]
    assert sites["net_intake_7d"].sum() * 7 == pytest.approx(net or 0)
    daily = site_daily_totals(scope, sample)
    assert daily["people"].iloc[-1] == sum(row[3] or 0 for row in expected)


@pytest.mark.parametrize("area", AREAS)
def test_inspections_agree_with_sql(sample, area):
    scope = Scope(area, START, END)
    where = f"WHERE area_code IN ({streets_of(area)}) AND day BETWEEN :start AND :end"
    expected = sql(
        sample,
        f"SELECT day, SUM(inspections), SUM(inspections_passed), SUM(open_problems) FROM inspection_daily {where} GROUP BY day ORDER BY day",
    )
    daily = inspection_daily_totals(scope, sample)
    assert daily[["inspections", "inspections_passed", "open_problems"]].values.tolist() == [list(row[1:]) for row in expected]
    by_type = inspections_by_type(scope, sample).set_index("entity_type")
    for entity_type, checks, passed, overdue in sql(
        sample,
        f"SELECT entity_type, SUM(inspections), SUM(inspections_passed), SUM(CASE WHEN day = :end THEN overdue ELSE 0 END) "
        f"FROM inspection_daily {where} GROUP BY entity_type",
    ):
        assert tuple(by_type.loc[entity_type, ["inspections", "inspections_passed", "overdue"]]) == (checks, passed, overdue)
    ((mask_failed, register_passed),) = sql(
        sample, f"SELECT SUM(mask_failed), SUM(register_passed) FROM inspection_daily {where}"
    )
    items = checklist_results(scope, engine=sample).set_index("item")
    assert (items.at["mask", "failed"], items.at["register", "passed"]) == (mask_failed, register_passed)
    assert inspections_by_area(scope, sample)["inspections"].sum() == daily["inspections"].sum()
