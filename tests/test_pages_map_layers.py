"""The grid map's isolation and inspections colourings, headless (AppTest) on the sample
city in both languages: the streets and sites drawn, the legend's counts, the tables, the
summary under the map and a click's panel agree with figures worked out here by plain SQL
(code prefixes, not the adapter's ancestor columns)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from data_access.settings import load_thresholds
from presentation import formatting as fmt
from presentation.catalogue import name
from presentation.map_layers import NO_DATA_RGB
from presentation.text import text
from presentation.views import inspection_map
from presentation.views import isolation_map as view
from tests.app_support import _rows, first_visit
from tests.test_pages import CITY, FILTERS

WAVE = dt.date(2022, 4, 6)  # the sample city's busiest day in its isolation sites: every class of occupancy shows
MAP_FILTERS = {
    "city-wave": ({"range": "custom", "start": WAVE.isoformat(), "end": WAVE.isoformat()}, CITY, WAVE, WAVE),
    "district-30d": FILTERS["district-30d"],
    "community-7d": FILTERS["community-7d"],  # reported per street: the map shows the community's street
}
SMALL_DAY = dt.date(2022, 4, 4)  # a street holds 4 people at home
MAP_FILTERS["city-small"] = (
    {"range": "custom", "start": SMALL_DAY.isoformat(), "end": SMALL_DAY.isoformat()},
    CITY,
    SMALL_DAY,
    SMALL_DAY,
)
CASES = [("city-wave", "en"), ("city-wave", "zh"), ("district-30d", "en"), ("community-7d", "zh")]


@pytest.fixture()
def open_map(sample_database, monkeypatch):
    url, _ = sample_database
    monkeypatch.setenv("DATABASE_URL", url)

    def run(filter_name: str, lang: str, colouring: str):
        at = first_visit({**MAP_FILTERS[filter_name][0], "lang": lang})
        at.switch_page("pages/grid_map.py").run()
        at.segmented_control(key="grid_metric").set_value(colouring).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


# ---------------------------------------------------------------- figures by plain SQL
def street_prefix(area: str) -> str:
    """Streets in scope: the city's or district's, or the one holding a community."""
    return "4188%" if area == CITY else f"{area[:9]}%"


def streets_in(engine, area: str) -> list[str]:
    rows = _rows(engine, "SELECT code FROM area WHERE level = 'street' AND code LIKE :p ORDER BY code", p=street_prefix(area))
    return [code for (code,) in rows]


def people_at_home(engine, area: str, day: dt.date) -> dict[str, int]:
    rows = _rows(
        engine,
        "SELECT area_code, SUM(held) FROM isolation_people_daily WHERE area_code LIKE :p AND day = :day "
        "AND measure IN ('home_isolation', 'home_monitoring') GROUP BY area_code",
        p=street_prefix(area),
        day=day.isoformat(),
    )
    return {code: int(held) for code, held in rows}


def site_rooms(engine, area: str, day: dt.date) -> dict[str, tuple[int, int | None]]:
    """Site in service on ``day`` → (rooms, rooms occupied that day or None)."""
    rows = _rows(
        engine,
        "SELECT s.code, s.rooms, d.rooms_occupied FROM isolation_site s "
        "LEFT JOIN isolation_site_daily d ON d.site_code = s.code AND d.day = :day "
        "WHERE s.area_code LIKE :p AND (s.retired_on IS NULL OR s.retired_on > :day)",
        p=street_prefix(area),
        day=day.isoformat(),
    )
    return {code: (rooms, occupied) for code, rooms, occupied in rows}


def inspected(engine, area: str, start: dt.date, end: dt.date) -> dict[str, tuple[int, int, int]]:
    """Street → (entities with an open problem on ``end``, open problems on ``end``, checks over the range)."""
    rows = _rows(
        engine,
        "SELECT area_code, SUM(CASE WHEN day = :end THEN entities_open ELSE 0 END), "
        "SUM(CASE WHEN day = :end THEN open_problems ELSE 0 END), SUM(inspections) FROM inspection_daily "
        "WHERE area_code LIKE :p AND day BETWEEN :start AND :end GROUP BY area_code",
        p=street_prefix(area),
        start=start.isoformat(),
        end=end.isoformat(),
    )
    return {code: (int(e), int(o), int(c)) for code, e, o, c in rows}


# ---------------------------------------------------------------- what the page shows
def deck_layers(at) -> dict[str, list[dict]]:
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert "mapStyle" not in deck or deck["mapStyle"] == "__MAP_STYLE__", "no online basemap"
    return {layer["id"]: layer["data"] for layer in deck["layers"]}


def legend_sections(at) -> list[list[tuple[str, int | None]]]:
    """Each legend block's rows: (label, count) in order."""
    blocks = [h.proto.body for h in at.get("html") if "font-variant-numeric:tabular-nums" in h.proto.body]
    return [
        [
            (label, int(n.replace(",", "")) if n else None)
            for label, n in re.findall(r"<span>(.*?)</span>(?:<b[^>]*>([\d,]+)</b>)?</div>", b)
        ]
        for b in blocks
    ]


def table(at, index: int, lang: str):
    """The page's ``index``-th table, by code."""
    return at.dataframe[index].value.set_index(text("common.code", lang))


def caption_starting(at, start: str) -> str:
    return next(c.value for c in at.caption if c.value.startswith(start))


def panel(at, title_key: str, lang: str) -> str:
    """The picked-object panel's lines, as rendered (Markdown escapes dropped)."""
    values = [m.value for m in at.markdown]
    return values[values.index(f"**{text(title_key, lang)}**") + 1].replace("\\", "")


@pytest.mark.parametrize(("filter_name", "lang"), CASES)
def test_isolation_map_matches_the_database(open_map, sample_database, filter_name, lang):
    _, engine = sample_database
    _, area, _, day = MAP_FILTERS[filter_name]
    warning = load_thresholds().site_occupancy_warning
    at = open_map(filter_name, lang, "isolation")
    streets, at_home, sites = streets_in(engine, area), people_at_home(engine, area, day), site_rooms(engine, area, day)
    layers = deck_layers(at)

    drawn = {r["code"]: r for r in layers[view.STREETS_LAYER]}
    assert sorted(drawn) == streets
    label = name("isolation.at_home", lang)
    assert {code: r["line1"] for code, r in drawn.items()} == {
        code: f"{label}: {fmt.count(at_home.get(code, 0), lang)}" for code in streets
    }
    kinds = {code: view.occupancy_class(None if occ is None else occ / rooms, warning) for code, (rooms, occ) in sites.items()}
    points = {r["code"]: tuple(r["fill"][:3]) for r in layers.get(view.SITES_LAYER, [])}
    assert points == {code: view.OCCUPANCY_RGB[kind] for code, kind in kinds.items()}

    home, occupancy = legend_sections(at)
    assert sum(n for _, n in home) == len(streets)
    assert home[0] == (text("map.isolation.people", lang, range="0"), sum(1 for c in streets if not at_home.get(c)))
    expected = [(view.occupancy_label(k, warning, lang), list(kinds.values()).count(k)) for k in view.OCCUPANCY_CLASSES]
    assert occupancy == [(label, n) for label, n in expected if n or label != view.occupancy_label("not_reported", warning, lang)]
    if filter_name == "city-wave":
        assert {k for k in kinds.values()} >= {"below", "watch", "above", "full"}, "the wave day shows every class"

    people = table(at, 0, lang)
    assert people[label].to_dict() == {code: at_home.get(code, 0) for code in streets}
    occupied = table(at, 1, lang)[name("isolation.rooms_occupied", lang)]
    assert {code: (None if v != v else int(v)) for code, v in occupied.items()} == {c: o for c, (_, o) in sites.items()}
    counts = {"streets": fmt.count(len(streets), lang), "sites": fmt.count(len(sites), lang), "day": fmt.day(day, lang)}
    summary = caption_starting(at, text("map.isolation.level_note", lang, **counts))
    assert fmt.count(sum(at_home.values()), lang) in summary


@pytest.mark.parametrize(("filter_name", "lang"), CASES)
def test_inspections_map_matches_the_database(open_map, sample_database, filter_name, lang):
    _, engine = sample_database
    _, area, start, end = MAP_FILTERS[filter_name]
    at = open_map(filter_name, lang, "inspections")
    streets, figures = streets_in(engine, area), inspected(engine, area, start, end)
    reported = {c for c, (_, open_problems, checks) in figures.items() if checks or open_problems}
    drawn = {r["code"]: r for r in deck_layers(at)[inspection_map.LAYER_ID]}
    assert sorted(drawn) == streets
    grey = {code for code, r in drawn.items() if tuple(r["fill"][:3]) == NO_DATA_RGB}
    assert grey == set(streets) - reported

    (entries,) = legend_sections(at)
    no_checks = text("map.inspections.not_reported", lang)
    assert entries[-1] == (no_checks, len(grey)) if grey else no_checks not in dict(entries)
    classes = [entry for entry in entries if entry[0] != no_checks]
    assert classes[0] == (text("map.inspections.entities", lang, range="0"), sum(1 for c in reported if figures[c][0] == 0))
    assert sum(n for _, n in classes) == len(reported)

    shown = table(at, 0, lang)
    assert shown[name("inspections.entities_open", lang)].to_dict() == {c: figures.get(c, (0, 0, 0))[0] for c in streets}
    assert shown[name("inspections.inspections", lang)].to_dict() == {c: figures.get(c, (0, 0, 0))[2] for c in streets}
    first = shown.index[0]
    assert figures.get(first, (0,))[0] == max(e for e, _, _ in figures.values()), "most entities open first"
    summary = caption_starting(
        at, text("map.inspections.level_note", lang, n=fmt.count(len(streets), lang), day=fmt.day(end, lang))
    )
    assert fmt.count(sum(e for e, _, _ in figures.values()), lang) in summary
    assert fmt.count(sum(c for _, _, c in figures.values()), lang) in summary


def test_a_click_on_a_site_or_a_street_shows_its_figures_without_drilling_down(open_map, sample_database):
    _, engine = sample_database
    at = open_map("city-wave", "en", "isolation")
    warning = load_thresholds().site_occupancy_warning
    sites = site_rooms(engine, CITY, WAVE)
    code = next(c for c, (rooms, occ) in sites.items() if occ is not None and occ / rooms > warning)
    rooms, occupied = sites[code]
    at.session_state["grid_isolation_map"] = {"selection": {"indices": {}, "objects": {view.SITES_LAYER: [{"code": code}]}}}
    at.run()
    assert not at.exception
    shown = panel(at, "map.isolation.details_title", "en")
    assert "**Isolation site**: " in shown and f"({code})" in shown
    assert f"**Room occupancy**: {fmt.percent(occupied / rooms, 'en')} · Above 85%" in shown
    assert f"**Rooms**: {fmt.count(rooms, 'en')}" in shown and f"**Rooms occupied**: {fmt.count(occupied, 'en')}" in shown
    assert at.caption[0].value.startswith("Qinghe City"), "the filter stays where it was"

    street = max(people_at_home(engine, CITY, WAVE).items(), key=lambda item: item[1])
    at.session_state["grid_isolation_map"] = {
        "selection": {"indices": {}, "objects": {view.STREETS_LAYER: [{"code": street[0]}]}}
    }
    at.run()
    assert f"**Isolated or monitored at home**: {fmt.count(street[1], 'en')}" in panel(at, "map.isolation.details_title", "en")

    at.segmented_control(key="grid_metric").set_value("inspections").run()
    figures = inspected(engine, CITY, WAVE, WAVE)
    worst = max(figures, key=lambda c: figures[c][0])
    at.session_state["grid_inspection_map"] = {
        "selection": {"indices": {}, "objects": {inspection_map.LAYER_ID: [{"code": worst}]}}
    }
    at.run()
    shown = panel(at, "map.inspections.details_title", "en")
    assert f"**Entities with an open problem**: {fmt.count(figures[worst][0], 'en')}" in shown
    assert f"**Entity checks**: {fmt.count(figures[worst][2], 'en')}" in shown


def test_people_per_street_are_shown_exactly_under_small_count_suppression(open_map, sample_database, monkeypatch):
    """The rule covers counts of areas at community level or below; people under isolation
    are reported per street, so the map and its table show them as they are even with the
    rule on screen and covering them."""
    _, engine = sample_database
    monkeypatch.setenv("DASHBOARD_SUPPRESSION_ENABLED", "true")
    monkeypatch.setenv("DASHBOARD_SUPPRESSION_ON_SCREEN", "true")
    monkeypatch.setenv("DASHBOARD_SUPPRESSION_METRICS", "isolation.at_home,isolation.held_home_isolation")
    at = open_map("city-small", "en", "isolation")
    at_home = people_at_home(engine, CITY, SMALL_DAY)
    assert any(0 < n < 5 for n in at_home.values()), "a small count, or this proves nothing"
    drawn = {r["code"]: r["line1"] for r in deck_layers(at)[view.STREETS_LAYER]}
    assert all(drawn[c] == f"Isolated or monitored at home: {fmt.count(n, 'en')}" for c, n in at_home.items())
    assert "<5" not in " ".join(m.value for m in at.markdown)
