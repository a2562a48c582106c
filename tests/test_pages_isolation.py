"""The isolation page 隔离管控 headless (AppTest, through dashboard.py) on the sample city, in
both languages and for three filters: its cards and tables hold the figures computed here
straight from the database by raw SQL (codes nest by prefix; a community reads its street).
Also: the figure picker of the chart by category, the planted single-room breach as a data
check on its card and its site's row, the wall's isolation view and the briefing's section."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from briefing.content import build_briefing
from briefing.html import render_html
from presentation import formatting as fmt
from presentation.catalogue import name
from presentation.text import text
from presentation.views import wall as wall_view
from tests.app_support import first_visit, sql_scalar
from tests.test_pages import CITY, FILTERS, FLAG, LAST_DAY

STREET_OF_COMMUNITY = FILTERS["community-7d"][1][:9]


@pytest.fixture()
def app(sample_database, monkeypatch):
    """``app(lang, params)``: the isolation page on the sample city, reached through dashboard.py."""
    monkeypatch.setenv("DATABASE_URL", sample_database[0])

    def run(lang: str, params: dict) -> AppTest:
        at = first_visit({**params, "lang": lang})
        at.switch_page("pages/isolation.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


# ------------------------------------------------------------------ figures by raw SQL
def streets_like(area: str) -> str:
    """The LIKE pattern of the streets whose figures a filter shows (a community: its street)."""
    if area == CITY:
        return "4188%"
    return f"{area[:9]}%" if len(area) > 9 else f"{area}%"


def people(engine, column: str, area: str, start: dt.date, end: dt.date) -> int:
    return sql_scalar(
        engine,
        f"SELECT COALESCE(SUM({column}), 0) FROM isolation_people_daily WHERE area_code LIKE :p AND day BETWEEN :s AND :e",
        p=streets_like(area),
        s=start.isoformat(),
        e=end.isoformat(),
    )


def site_days(engine, expression: str, area: str, start: dt.date, end: dt.date):
    return sql_scalar(
        engine,
        f"SELECT {expression} FROM isolation_site_daily d JOIN isolation_site s ON s.code = d.site_code "
        "WHERE s.area_code LIKE :p AND d.day BETWEEN :s AND :e",
        p=streets_like(area),
        s=start.isoformat(),
        e=end.isoformat(),
    )


def sites_in_service(engine, area: str, day: dt.date) -> int:
    return sql_scalar(
        engine,
        "SELECT COUNT(*) FROM isolation_site WHERE area_code LIKE :p AND (retired_on IS NULL OR retired_on > :d)",
        p=streets_like(area),
        d=day.isoformat(),
    )


def cards(at: AppTest) -> dict[str, str]:
    return {m.label.removeprefix(FLAG): m.value for m in at.metric}


def table(at: AppTest, first_column: str):
    """The page's table whose first column is ``first_column``."""
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column)


# ------------------------------------------------------------------ the page
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("filter_name", list(FILTERS))
def test_cards_and_tables_match_the_database(app, sample_database, lang, filter_name):
    _, engine = sample_database
    params, area, start, end = FILTERS[filter_name]
    at = app(lang, params)
    assert [t.value for t in at.title] == [text("isolation.title", lang)]
    shown = cards(at)

    def count(value) -> str:
        return fmt.count(value, lang, compact=True)

    assert shown[name("isolation.held", lang)] == count(people(engine, "held", area, end, end))
    assert shown[name("isolation.new_in", lang)] == count(people(engine, "new_in", area, start, end))
    assert shown[name("isolation.released", lang)] == count(people(engine, "released", area, start, end))
    assert shown[name("isolation.overdue", lang)] == count(people(engine, "overdue", area, end, end))
    assert shown[name("isolation.cases_found", lang)] == count(site_days(engine, "SUM(d.cases_found)", area, start, end))
    assert shown[name("isolation.sites", lang)] == count(sites_in_service(engine, area, end))
    occupied = site_days(engine, "SUM(d.rooms_occupied)", area, end, end)
    rooms = site_days(engine, "SUM(s.rooms)", area, end, end)
    assert shown[name("isolation.occupancy", lang)] == fmt.percent(occupied / rooms, lang)
    assert shown[name("isolation.free_rooms", lang)] == count(rooms - occupied)
    breaches = site_days(engine, "SUM(CASE WHEN d.people > d.rooms_occupied THEN 1 ELSE 0 END)", area, end, end)
    assert shown[name("isolation.single_room_breaches", lang)] == count(breaches)

    sites = table(at, text("isolation.site", lang))
    assert len(sites) == sites_in_service(engine, area, end)
    assert sites[name("isolation.rooms", lang)].sum() == sql_scalar(
        engine,
        "SELECT SUM(rooms) FROM isolation_site WHERE area_code LIKE :p AND (retired_on IS NULL OR retired_on > :d)",
        p=streets_like(area),
        d=end.isoformat(),
    )
    assert sites[name("isolation.site_people", lang)].sum() == site_days(engine, "SUM(d.people)", area, end, end)
    assert sites[name("isolation.site_arrivals", lang)].sum() == site_days(engine, "SUM(d.new_in)", area, start, end)
    occupancy = sites[f"{name('isolation.occupancy', lang)} (%)"].dropna().tolist()
    assert occupancy == sorted(occupancy, reverse=True), "fullest first"

    by_area = table(at, text("common.area", lang))
    assert by_area[name("isolation.held", lang)].sum() == people(engine, "held", area, end, end)
    assert by_area[name("isolation.released", lang)].sum() == people(engine, "released", area, start, end)
    below = {"city-latest": 6, "district-30d": None, "community-7d": 1}[filter_name]
    streets = sql_scalar(engine, "SELECT COUNT(*) FROM area WHERE level = 'street' AND code LIKE :p", p=f"{area}%")
    assert len(by_area) == (below or streets)
    widened = [i.value for i in at.info]
    if filter_name == "community-7d":  # reported per street: the page says whose figures these are
        street = sql_scalar(engine, f"SELECT name_{lang} FROM area WHERE code = :c", c=STREET_OF_COMMUNITY)
        assert widened == [text("isolation.widened", lang, name=street)]
    else:
        assert widened == []


def test_every_chart_has_its_table_and_the_category_chart_shows_the_figure_picked(app, sample_database):
    _, engine = sample_database
    at = app("en", {"range": "30d"})
    toggles = [t for t in at.toggle if t.key and t.key.startswith("table_isolation")]
    assert len(toggles) == 6
    chart = next(c for c in at.get("vega_lite_chart") if "Close contacts" in c.proto.spec)
    assert name("isolation.held", "en") in chart.proto.spec
    at.segmented_control(key="isolation_category_figure").set_value("new_in").run()
    assert not at.exception
    chart = next(c for c in at.get("vega_lite_chart") if "Close contacts" in c.proto.spec)
    assert name("isolation.new_in", "en") in chart.proto.spec and name("isolation.held", "en") not in chart.proto.spec
    # As a table: every category's day with the four figures, the same people as the database.
    next(t for t in at.toggle if t.key == "table_isolation_by_category").set_value(True).run()
    by_category = table(at, "Day")
    by_category = by_category[by_category["Category"].notna() & (by_category["Day"] == LAST_DAY)]
    assert by_category["People under management"].sum() == people(engine, "held", CITY, LAST_DAY, LAST_DAY)
    assert set(by_category["Category"]) <= {text(f"isolation.category.{c}", "en") for c in ("close_contact", "secondary_contact", "risk_area_arrival", "inbound_arrival", "discharged", "other")}  # fmt: skip


def test_the_planted_single_room_breach_is_flagged_on_its_card_and_its_row(app, sample_database):
    """The sample plants people sharing rooms in the fullest site on the last four days."""
    _, engine = sample_database
    at = app("en", {})
    card = next(m for m in at.metric if name("isolation.single_room_breaches", "en") in m.label)
    assert card.label.startswith(FLAG) and card.value == "1"
    assert "not one a room" in card.proto.help
    code, people_there, occupied = [
        tuple(row)
        for row in _rows(
            engine,
            "SELECT site_code, people, rooms_occupied FROM isolation_site_daily WHERE day = :d AND people > rooms_occupied",
            d=LAST_DAY.isoformat(),
        )
    ][0]
    sites = table(at, "Isolation site").set_index("Code")
    assert sites.loc[code, "Single rooms"] == f"⚠ {people_there} people in {occupied} rooms"
    assert sites.loc[code, text("checks.flag", "en")].startswith("⚠ ")
    assert (sites.drop(index=code)["Single rooms"].isin(["✓", ""])).all()


def test_the_overview_links_an_isolation_alert_to_this_page(sample_database, monkeypatch):
    url, _ = sample_database
    monkeypatch.setenv("DATABASE_URL", url)
    at = first_visit({"lang": "en"})
    links = [link.proto for link in at.get("page_link") if "isolation" in link.proto.page]
    assert links, "the overdue alert (the planted cohort) opens the isolation page"
    sentences = [m.value.replace("\\", "") for m in at.markdown]  # names are shown escaped, as typed
    assert any("Xinghu County: 23 people held past their release date" in line for line in sentences)


def _rows(engine, sql: str, **params) -> list[tuple]:
    from sqlalchemy import text as sql_text

    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sql_text(sql), params)]


# ------------------------------------------------------------------ the wall and the briefing
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_wall_rotates_to_isolation(sample_database, monkeypatch, lang):
    url, engine = sample_database
    monkeypatch.setenv("DATABASE_URL", url)
    at = first_visit({"mode": "wall", "lang": lang})
    at.session_state["wall_view"] = wall_view.VIEWS.index("isolation") - 1  # the next rotation shows it
    at.run()
    assert not at.exception
    assert any(text("wall.view.isolation", lang) in m.value for m in at.markdown)
    board = next(h.proto.body for h in at.get("html") if "wall-isolation" in h.proto.body)
    overdue = people(engine, "overdue", CITY, LAST_DAY, LAST_DAY)
    assert text("isolation.wall_overdue", lang, n=fmt.count(overdue, lang)) in board
    fullest = _rows(
        engine,
        f"SELECT s.name_{lang} FROM isolation_site_daily d JOIN isolation_site s ON s.code = d.site_code WHERE d.day = :d "
        "ORDER BY 1.0 * d.rooms_occupied / s.rooms DESC, s.code LIMIT 1",
        d=LAST_DAY.isoformat(),
    )[0][0]
    assert fullest in board.split("<li")[1], "the fullest site first"
    chart = json.loads(next(c for c in at.get("vega_lite_chart")).proto.spec)
    assert chart["config"]["background"], "drawn on the wall's dark theme"


def test_the_briefing_has_the_isolation_figures(sample_database):
    _, engine = sample_database
    briefing = build_briefing(CITY, LAST_DAY, engine)
    yesterday = LAST_DAY - dt.timedelta(days=1)
    held = briefing.figure("isolation.held")
    assert (held.value, held.previous) == (
        people(engine, "held", CITY, LAST_DAY, LAST_DAY),
        people(engine, "held", CITY, yesterday, yesterday),
    )
    assert briefing.figure("isolation.overdue").value == people(engine, "overdue", CITY, LAST_DAY, LAST_DAY)
    occupied = site_days(engine, "SUM(d.rooms_occupied)", CITY, LAST_DAY, LAST_DAY)
    rooms = site_days(engine, "SUM(s.rooms)", CITY, LAST_DAY, LAST_DAY)
    assert briefing.figure("isolation.occupancy").value == pytest.approx(occupied / rooms)
    assert briefing.figure("isolation.single_room_breaches").value == 1
    page = render_html(briefing, "zh")
    assert 'data-figure="isolation.held"' in page and 'data-domain="isolation"' in page and "隔离管控" in page
    # A community's briefing counts its street's isolation, and says so.
    community = build_briefing(FILTERS["community-7d"][1], LAST_DAY, engine)
    assert community.section("isolation").counted_in is not None
    street = sql_scalar(engine, "SELECT name_en FROM area WHERE code = :c", c=STREET_OF_COMMUNITY)
    assert f"counted for the street “{street}”" in render_html(community, "en")
