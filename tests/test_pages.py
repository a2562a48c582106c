"""Every page headless (Streamlit AppTest), in both languages and for three filters: the
whole city on the latest day, one district over 30 days, one community over 7 days.
KPI cards must show the figures computed here straight from the database."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from presentation import formatting as fmt
from presentation.catalogue import name
from tests.app_support import (
    PROJECT_ROOT,
    checkpoint_sum,
    doses_sum,
    grid_units_with_colour,
    lowest_district_days_of_cover,
    sql_scalar,
    testing_sum,
)

CITY, DISTRICT, COMMUNITY = "418800", "418801", "418801001001"
LAST_DAY = dt.date(2022, 4, 30)
FILTERS = {
    "city-latest": ({}, CITY, LAST_DAY, LAST_DAY),
    "district-30d": ({"area": DISTRICT, "range": "30d"}, DISTRICT, LAST_DAY - dt.timedelta(days=29), LAST_DAY),
    "community-7d": ({"area": COMMUNITY, "range": "7d"}, COMMUNITY, LAST_DAY - dt.timedelta(days=6), LAST_DAY),
}
PAGES = ["overview", "checkpoints", "testing", "supplies", "vaccination", "grid_map"]


@pytest.fixture()
def app(sample_database, monkeypatch):
    url, _ = sample_database
    monkeypatch.setenv("DATABASE_URL", url)

    def run(page: str, lang: str, params: dict) -> AppTest:
        at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=90)
        for key, value in {**params, "lang": lang}.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if page != "overview":
            at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


FLAG = ":orange[⚠] "  # a KPI card concerned by a data check carries this before its label


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label.removeprefix(FLAG): m.value for m in at.metric}


def count_or_dash(value: int, has_data: bool, lang: str) -> str:
    return fmt.count(value, lang, compact=True) if has_data else "—"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("filter_name", list(FILTERS))
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_error(app, page, lang, filter_name):
    params, *_ = FILTERS[filter_name]
    at = app(page, lang, params)
    assert at.title, "every page has a title"
    # No untranslated text: the other language's page title must not appear.
    other = "Overview" if lang == "zh" else "总览"
    assert all(other != t.value for t in at.title)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("filter_name", list(FILTERS))
def test_checkpoint_kpis_match_database(app, sample_database, lang, filter_name):
    _, engine = sample_database
    params, area, start, end = FILTERS[filter_name]
    at = app("checkpoints", lang, params)
    shown = metrics(at)
    labels = [
        name(key, lang) for key in ("checkpoints.vehicles", "checkpoints.people", "checkpoints.fever", "checkpoints.turned_back")
    ]
    for label, column in zip(labels, ("vehicles", "people", "fever", "turned_back"), strict=False):
        value = checkpoint_sum(engine, column, area, start, end, CITY)
        people = checkpoint_sum(engine, "people", area, start, end, CITY)
        assert shown[label] == count_or_dash(value, people > 0, lang), label


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("filter_name", list(FILTERS))
def test_testing_kpis_match_database(app, sample_database, lang, filter_name):
    _, engine = sample_database
    params, area, start, end = FILTERS[filter_name]
    shown = metrics(app("testing", lang, params))
    labels = [name(key, lang) for key in ("testing.samples_collected", "testing.samples_tested", "testing.positives")]
    for label, column in zip(labels, ("samples_collected", "samples_tested", "positives"), strict=False):
        value = testing_sum(engine, column, area, start, end, CITY)
        assert shown[label] == fmt.count(value, lang, compact=True), label


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("filter_name", list(FILTERS))
def test_overview_kpis_match_database(app, sample_database, lang, filter_name):
    _, engine = sample_database
    params, area, _, day = FILTERS[filter_name]
    shown = metrics(app("overview", lang, params))
    people = checkpoint_sum(engine, "people", area, day, day, CITY)
    tested = testing_sum(engine, "samples_tested", area, day, day, CITY)
    positives = testing_sum(engine, "positives", area, day, day, CITY)
    doses = doses_sum(engine, area, day, day, CITY)
    red_orange = grid_units_with_colour(engine, 3, area, day, CITY) + grid_units_with_colour(engine, 2, area, day, CITY)
    labels = [
        name(key, lang)
        for key in (
            "checkpoints.people",
            "testing.samples_tested",
            "testing.positives",
            "vaccination.doses",
            "grid.units_red_orange",
        )
    ]
    expected = [
        count_or_dash(people, people > 0, lang),
        fmt.count(tested, lang, True),
        fmt.count(positives, lang, True),
        count_or_dash(doses, doses > 0, lang),
        fmt.count(red_orange, lang, True),
    ]
    for label, value in zip(labels, expected, strict=False):
        assert shown[label] == value, label
    # Isolation and inspections are reported per street: a community reads its street.
    streets = {"p": "4188%" if area == CITY else f"{area[:9]}%", "d": day.isoformat()}
    for key, column, table in (
        ("isolation.held", "held", "isolation_people_daily"),
        ("inspections.overdue", "overdue", "inspection_daily"),
    ):
        value, rows = (
            sql_scalar(engine, f"SELECT {figure} FROM {table} WHERE area_code LIKE :p AND day = :d", **streets)
            for figure in (f"COALESCE(SUM({column}), 0)", "COUNT(*)")
        )
        assert shown[name(key, lang)] == count_or_dash(value, rows > 0, lang), key  # no report that day: a dash
    # The lowest district days of cover (supplies are per district: a community reads its district).
    district_like = f"{area[:6]}%" if area != CITY else "4188%"
    lowest = lowest_district_days_of_cover(engine, district_like, day, CITY)
    assert shown[name("supplies.lowest_district_cover", lang)].split()[0] == fmt.decimal(lowest, lang)


@pytest.mark.parametrize("filter_name", list(FILTERS))
def test_vaccination_and_grid_kpis_match_database(app, sample_database, filter_name):
    _, engine = sample_database
    params, area, start, end = FILTERS[filter_name]
    shown = metrics(app("vaccination", "en", params))
    doses = doses_sum(engine, area, start, end, CITY)
    assert shown["Doses given"] == count_or_dash(doses, doses > 0, "en")
    assert shown["Booster"] == count_or_dash(doses_sum(engine, area, start, end, CITY, dose_number=3), doses > 0, "en")
    shown = metrics(app("grid_map", "en", params))
    assert shown["Red grid units"] == fmt.count(grid_units_with_colour(engine, 3, area, end, CITY), "en")
    assert shown["Orange grid units"] == fmt.count(grid_units_with_colour(engine, 2, area, end, CITY), "en")


def test_grid_map_draws_the_level_below_and_no_basemap(app):
    at = app("grid_map", "en", {"area": DISTRICT})
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert "mapStyle" not in deck or deck["mapStyle"] == "__MAP_STYLE__", "no online basemap"
    layer = deck["layers"][0]
    codes = {record["code"] for record in layer["data"]}
    assert codes and all(len(code) == 9 and code.startswith(DISTRICT) for code in codes), "a district shows its streets"
    fills = {tuple(record["fill"][:3]) for record in layer["data"]}
    assert len(fills) >= 2, "units are coloured by their figures"


def test_every_chart_has_a_table_toggle_and_csv(app):
    at = app("testing", "zh", {"range": "30d"})
    toggles = [t for t in at.toggle if t.label == "以表格显示"]
    assert len(toggles) >= 5
    toggles[0].set_value(True).run()
    assert not at.exception
    assert len(at.dataframe) >= 2  # the first chart now shows as a table


@pytest.mark.parametrize("page", ["isolation", "supplies"])
def test_a_figure_that_is_not_there_shows_as_a_dash_in_the_readers_language(app, sample_database, page):
    """Streamlit draws a missing cell as the English word "None"; a site that is not filling
    up has no days until full, and an item no activity uses up has no use per activity:
    every table draws those as "—", in Chinese as in English."""
    at = app(page, "zh", {"range": "7d"})
    tables = list(at.dataframe)
    assert tables and all(d.proto.placeholder == fmt.DASH for d in tables)
    missing = [d for d in tables if d.value.isna().any().any()]
    assert missing  # the sample has such figures: the dash is what shows for them


@pytest.mark.parametrize(
    ("lang", "banner", "title"),
    [
        ("zh", "数据库暂时无法访问", "疫情防控运行看板"),
        ("en", "The database cannot be reached", "Epidemic-control operations dashboard"),
    ],
)
def test_unreachable_database_shows_a_banner_in_the_chosen_language(monkeypatch, lang, banner, title):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert any(banner in e.value for e in at.error)
    assert [x.value for x in at.title] == [title]
    # The driver's message (host, port, role, database) goes to the log, not the page.
    shown = " ".join(e.value for e in at.error)
    assert not [secret for secret in ("127.0.0.1", "nobody", "none", "port", "psycopg") if secret in shown]


def test_bad_query_values_fall_back_to_defaults(app):
    at = app("overview", "en", {"area": "x' OR '1'='1", "range": "nonsense", "start": "2022-99-99"})
    assert at.title[0].value == "Overview"
    assert "Qinghe City" in at.caption[0].value


def test_a_repeated_filter_key_leaves_one_value_in_the_url(app):
    at = app("checkpoints", "en", {"area": ["418801", "418802"]})
    # One value: a plain string once the page wrote it (a list of both before).
    assert at.query_params["area"] in ("418801", "418802", ["418801"], ["418802"])
