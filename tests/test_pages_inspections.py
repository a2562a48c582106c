"""The inspections page 督导检查 headless (Streamlit AppTest, through dashboard.py) on the
sample city, in both languages and for three filters: the cards and the tables' figures
against raw SQL straight from the database, the checklist's choice of entities, the data
checks on the cards."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from data_access.schema import CHECKLIST_ITEMS
from presentation import formatting as fmt
from presentation.catalogue import name
from presentation.text import text
from tests.app_support import PROJECT_ROOT, _rows, sql_scalar
from tests.test_pages import CITY, FILTERS, FLAG  # the three filters every page is walked with

FLOWS = {
    "inspections": "inspections.inspections",
    "inspector_visits": "inspections.inspector_visits",
    "problems_found": "inspections.problems_found",
    "fixed_on_time": "inspections.fixed_on_time",
    "penalties": "inspections.penalties",
    "masks_seized": "inspections.masks_seized",
}
STOCKS = {"overdue": "inspections.overdue", "entities_open": "inspections.entities_open"}


@pytest.fixture()
def page(sample_database, monkeypatch):
    url, _ = sample_database
    monkeypatch.setenv("DATABASE_URL", url)

    def run(lang: str, params: dict) -> AppTest:
        at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=90)
        for key, value in {**params, "lang": lang}.items():
            at.query_params[key] = value
        at.run()
        at.switch_page("pages/inspections.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


# ---- raw SQL, a different route from the adapter: codes nest by prefix, and teams report
# per street, so a community's figures are its street's.
def prefix(area_code: str) -> str:
    return f"{area_code[:4]}%" if area_code == CITY else f"{area_code[:9]}%"


def where(area_code: str, start: dt.date, end: dt.date) -> tuple[str, dict]:
    return "area_code LIKE :prefix AND day BETWEEN :start AND :end", {
        "prefix": prefix(area_code),
        "start": start.isoformat(),
        "end": end.isoformat(),
    }


def total(engine, column: str, area_code: str, start: dt.date, end: dt.date) -> int:
    condition, params = where(area_code, start, end)
    return sql_scalar(engine, f"SELECT COALESCE(SUM({column}), 0) FROM inspection_daily WHERE {condition}", **params)


def at_last_day(engine, column: str, area_code: str, start: dt.date, end: dt.date) -> int:
    condition, params = where(area_code, start, end)
    return sql_scalar(
        engine,
        f"SELECT COALESCE(SUM({column}), 0) FROM inspection_daily WHERE {condition} "
        f"AND day = (SELECT MAX(day) FROM inspection_daily WHERE {condition})",
        **params,
    )


def cards(at: AppTest) -> dict[str, str]:
    return {m.label.removeprefix(FLAG): m.value for m in at.metric}


def table_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("filter_name", list(FILTERS))
def test_cards_match_the_database(page, sample_database, lang, filter_name):
    _, engine = sample_database
    params, area, start, end = FILTERS[filter_name]
    at = page(lang, params)
    assert [t.value for t in at.title] == [text("insp.title", lang)]
    shown = cards(at)
    for column, key in FLOWS.items():
        assert shown[name(key, lang)] == fmt.count(total(engine, column, area, start, end), lang, compact=True), key
    for column, key in STOCKS.items():
        assert shown[name(key, lang)] == fmt.count(at_last_day(engine, column, area, start, end), lang, compact=True), key
    passed, checks = (total(engine, c, area, start, end) for c in ("inspections_passed", "inspections"))
    assert shown[name("inspections.pass_rate", lang)] == fmt.percent(passed / checks if checks else None, lang)
    fixed = total(engine, "fixed_on_time", area, start, end)
    late = total(engine, "fixed_late", area, start, end)
    # Nothing put right in the dates: no rate (a dash), not 0 %.
    assert shown[name("inspections.on_time_rate", lang)] == fmt.percent(fixed / (fixed + late) if fixed + late else None, lang)
    # Both languages: no page of the other's.
    other = "zh" if lang == "en" else "en"
    assert text("insp.title", other) not in [t.value for t in at.title]
    assert not [e.value for e in at.error]


def test_the_data_checks_reach_the_cards(page):
    # The sample's data ends in 2022: inspections are late, and the entity checks card says so.
    labels = [m.label for m in page("en", {}).metric]
    assert f"{FLAG}{name('inspections.inspections', 'en')}" in labels


def test_the_tables_match_the_database(page, sample_database):
    _, engine = sample_database
    params, area, start, end = FILTERS["district-30d"]
    at = page("en", params)
    for key in ("table_inspections_by_kind", "table_inspections_by_area", "table_inspections_teams"):
        at.toggle(key=key).set_value(True)
    at.run()
    assert not at.exception
    checks = name("inspections.inspections", "en")
    condition, bound = where(area, start, end)

    kinds = table_with(at, "Kind of entity")
    expected = dict(
        _rows(
            engine, f"SELECT entity_type, SUM(inspections) FROM inspection_daily WHERE {condition} GROUP BY entity_type", **bound
        )
    )
    assert dict(zip(kinds["Kind of entity"], kinds[checks], strict=True)) == {
        text(f"insp.kind.{kind}", "en"): expected.get(kind, 0)
        for kind in ("pharmacy", "market", "restaurant", "public_venue", "cold_chain")
    }

    streets = table_with(at, "Area")
    expected = dict(
        _rows(
            engine,
            f"SELECT area_code, SUM(inspections_passed) * 1.0 / SUM(inspections) FROM inspection_daily WHERE {condition} "
            "GROUP BY area_code",
            **bound,
        )
    )
    shown = dict(zip(streets["Code"], streets[f"{name('inspections.pass_rate', 'en')} (%)"], strict=True))
    assert shown == {code: pytest.approx(round(rate * 100, 1)) for code, rate in expected.items()}
    assert list(streets[f"{name('inspections.pass_rate', 'en')} (%)"]) == sorted(shown.values()), "lowest first"

    teams = table_with(at, "Team")
    expected = dict(
        _rows(
            engine, f"SELECT team_code, SUM(inspector_visits) FROM inspection_daily WHERE {condition} GROUP BY team_code", **bound
        )
    )
    assert dict(zip(teams["Code"], teams[name("inspections.inspector_visits", "en")], strict=True)) == expected


def test_the_checklist_of_one_kind_of_entity(page, sample_database):
    _, engine = sample_database
    params, area, start, end = FILTERS["district-30d"]
    at = page("zh", params)
    at.toggle(key="table_inspections_checklist").set_value(True)
    items = name("inspections.item_failed", "zh")
    condition, bound = where(area, start, end)

    def failed(kind: str | None) -> list[int]:
        only = " AND entity_type = :kind" if kind else ""
        sums = ", ".join(f"SUM({item}_failed)" for item in CHECKLIST_ITEMS)
        return list(_rows(engine, f"SELECT {sums} FROM inspection_daily WHERE {condition}{only}", **bound, kind=kind)[0])

    at.run()
    table = table_with(at, text("insp.col.item", "zh"))
    assert list(table[text("insp.col.item", "zh")]) == [text(f"insp.item.{item}", "zh") for item in CHECKLIST_ITEMS]
    assert list(table[items]) == failed(None)
    # Pharmacies: the five points (一戴二亮三测四扫五登记).
    at.selectbox(key="inspections_checklist_kind").set_value("pharmacy").run()
    assert list(table_with(at, text("insp.col.item", "zh"))[items]) == failed("pharmacy")
    # Restaurants: no buyers to register, so four items.
    at.selectbox(key="inspections_checklist_kind").set_value("restaurant").run()
    restaurants = table_with(at, text("insp.col.item", "zh"))
    assert len(restaurants) == 4 and list(restaurants[items]) == failed("restaurant")[:4]
    assert not at.exception
