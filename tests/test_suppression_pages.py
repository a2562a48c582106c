"""Small-count suppression through the real app on the sample city: the pages (AppTest)
with the setting off (the default: nothing changes), on for files only, and on for the
screen; the CSV and XLSX a page's table downloads as; the briefing (HTML and PDF). Counts
are checked against the database by raw SQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import text as sql
from streamlit.testing.v1 import AppTest

from briefing import build_briefing, render_html, render_pdf
from data_access.settings import SuppressionSettings
from presentation.catalogue import name
from presentation.suppression import WITHHELD_MARK, RowLevels
from presentation.text import text
from tests.app_support import PROJECT_ROOT, testing_sum
from tests.test_briefing import pdf_text
from ui.exports import ExportContext, csv_bytes, xlsx_bytes
from ui.suppression_view import outgoing

CITY, LAST_DAY = "418800", dt.date(2022, 4, 30)
START_30D = LAST_DAY - dt.timedelta(days=29)
# A street whose three communities had 6, 22 and 1 positives over the 30 days: the 1 is
# "<5", and 1 beside the total 29 would give it away, so the 6 is withheld too.
STREET = "418806008"
SMALL_COMMUNITY = "418806008207"  # its 1 positive in the 30 days
STREET_OF_GRID = "418801001"  # its communities' people under home observation: 0, 2, 0, 8, 0, 1, …
BRIEFED = "418803001007"  # 1 positive on the last day
POSITIVES = "testing.positives"
ENV = ("ENABLED", "ON_SCREEN", "THRESHOLD", "METRICS")


@pytest.fixture()
def app(sample_database, monkeypatch):
    url, _ = sample_database
    monkeypatch.setenv("DATABASE_URL", url)
    for variable in ENV:
        monkeypatch.delenv(f"DASHBOARD_SUPPRESSION_{variable}", raising=False)

    def run(page: str, area: str, lang: str = "en", range_: str = "30d", **setting: str) -> AppTest:
        for variable, value in setting.items():
            monkeypatch.setenv(f"DASHBOARD_SUPPRESSION_{variable.upper()}", value)
        at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=90)
        at.query_params.update({"area": area, "range": range_, "lang": lang})
        at.run()
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def community_positives(engine) -> dict[str, int]:
    """Each community of STREET: its positives over the 30 days, by raw SQL."""
    with engine.connect() as conn:
        rows = conn.execute(
            sql(
                "SELECT a.name_en, COALESCE(SUM(t.positives), 0) FROM area a "
                "LEFT JOIN sampling_site s ON s.area_code = a.code "
                "LEFT JOIN testing_daily t ON t.site_code = s.code AND t.day BETWEEN :start AND :end "
                "WHERE a.parent_code = :street GROUP BY a.code, a.name_en"
            ),
            {"street": STREET, "start": START_30D.isoformat(), "end": LAST_DAY.isoformat()},
        )
        return {name_en: int(total) for name_en, total in rows}


def by_area(at: AppTest):
    """The testing page's table of areas: the last table on the page."""
    return at.dataframe[-1].value


def shown(at: AppTest) -> tuple:
    return [(m.label, m.value, m.delta) for m in at.metric], [d.value.to_dict("list") for d in at.dataframe]


# ---------------------------------------------------------------- the pages
def test_off_by_default_and_off_the_screen_unless_asked(app, sample_database):
    _, engine = sample_database
    default = app("testing", STREET)
    table = by_area(default)
    positives = dict(zip(table["Area"], table[name(POSITIVES, "en")], strict=True))
    assert positives == {k: v for k, v in community_positives(engine).items() if k in positives}
    assert 1 in positives.values(), "the sample street has a community with one positive"
    assert "Total" not in table["Area"].tolist()
    # Suppression on for files only: the page is the same, figure for figure.
    assert shown(app("testing", STREET, enabled="true")) == shown(default)
    community = app("testing", SMALL_COMMUNITY, enabled="true")
    assert shown(community) == shown(app("testing", SMALL_COMMUNITY))


def test_on_screen_a_street_shows_its_communities_suppressed_and_its_total_exact(app, sample_database):
    _, engine = sample_database
    at = app("testing", STREET, enabled="true", on_screen="true")
    table = by_area(at)
    exact = community_positives(engine)
    rows = dict(zip(table["Area"], table[name(POSITIVES, "en")], strict=True))
    total = rows.pop("Total")
    assert total == f"{sum(exact.values()):,}" == f"{testing_sum(engine, 'positives', STREET, START_30D, LAST_DAY, CITY):,}"
    for area, value in rows.items():
        if 0 < exact[area] < 5:
            assert value == "<5"
        else:
            assert value in (f"{exact[area]:,}", WITHHELD_MARK)
            assert value != WITHHELD_MARK or exact[area] >= 5
    assert WITHHELD_MARK in rows.values(), "1 beside the total 29 would give the 1 away: another count is withheld"
    positivity = dict(zip(table["Area"], table[f"{name('testing.positivity', 'en')} (%)"], strict=True))
    assert all(positivity[a] == WITHHELD_MARK for a, v in rows.items() if v in ("<5", WITHHELD_MARK))
    assert any("Small counts suppressed" in c.value for c in at.caption)
    # The street's own cards are not counts of a community: exact.
    cards = {m.label: m.value for m in at.metric}
    assert cards[name(POSITIVES, "en")] == f"{sum(exact.values()):,}"


def test_on_screen_a_community_shows_its_small_count_and_no_chart_of_it(app, sample_database):
    at = app("testing", SMALL_COMMUNITY, lang="zh", enabled="true", on_screen="true")
    card = next(m for m in at.metric if m.label == name(POSITIVES, "zh"))
    assert (card.value, card.delta) == ("<5", "")
    assert next(m for m in at.metric if m.label == name("testing.positivity", "zh")).value == WITHHELD_MARK
    assert any(c.value == text("suppression.chart_as_table", "zh") for c in at.caption)
    for frame in at.dataframe:  # no table on the page shows the one positive
        column = frame.value.get(name(POSITIVES, "zh"))
        if column is not None:
            assert not [v for v in column if str(v) in ("1", "2", "3", "4")]


def test_on_screen_the_grid_map_hides_small_counts_in_its_table_and_tooltips(app, sample_database):
    at = app("grid_map", STREET_OF_GRID, range_="1d", enabled="true", on_screen="true")
    column = name("grid.home_observation", "en")
    table = at.dataframe[-1].value
    communities = table[column].tolist()[:-1]
    assert "<5" in communities and not [v for v in communities if v in (1, 2, 3, 4, "1", "2", "3", "4")]
    layer = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][0]
    tooltips = {record["code"]: record["home_observation"] for record in layer["data"]}
    assert set(tooltips.values()) & {"<5"} and not set(tooltips.values()) & {1, 2, 3, 4}


# ---------------------------------------------------------------- what leaves in a file
CONTEXT = ExportContext("Testing by area", STREET, "1 Apr 2022 – 30 Apr 2022", "en", "30 Apr 2022", "30 Nov 2026 10:00")


def test_the_files_a_page_table_downloads_as_hold_no_small_count(app, sample_database):
    """The table the testing page hands to its download buttons, through the path the
    buttons take (ui.suppression_view.outgoing, then ui.exports), with the setting on."""
    _, engine = sample_database
    at = app("testing", STREET, enabled="true")
    data = by_area(at)  # not suppressed on screen: exactly what the buttons are given
    table, note = outgoing(data, RowLevels("community", "street"), "en")
    assert note and "<5" in note
    exact = community_positives(engine)
    column = name(POSITIVES, "en")

    lines = csv_bytes(table, ExportContext(**{**CONTEXT.__dict__, "note": note})).decode("utf-8-sig").splitlines()
    assert any(line.startswith("# Suppression: Small counts suppressed") for line in lines)
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    assert rows[-1]["Area"] == "Total" and int(rows[-1][column]) == sum(exact.values())
    for row in rows[:-1]:
        assert row[column] not in ("1", "2", "3", "4")
        assert row[column] in ("<5", WITHHELD_MARK, str(exact[row["Area"]]))
    assert [r[column] for r in rows[:-1]].count("<5") == sum(0 < v < 5 for v in exact.values())

    book = load_workbook(io.BytesIO(xlsx_bytes(table, CONTEXT)))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    values = [row[header.index(column)] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values[-1] == sum(exact.values()), "the total is exact"
    assert not [v for v in values[:-1] if v in (1, 2, 3, 4)]
    assert "<5" in values and WITHHELD_MARK in values
    assert sheet.cell(row=len(values) + 1, column=header.index(column) + 1).number_format == "#,##0"


# ---------------------------------------------------------------- the briefing
def test_the_briefing_of_a_community_shows_its_small_count_as_below_five(sample_database):
    _, engine = sample_database
    on = build_briefing(BRIEFED, LAST_DAY, engine, suppression=SuppressionSettings(enabled=True))
    off = build_briefing(BRIEFED, LAST_DAY, engine, suppression=SuppressionSettings())
    assert off.figure(POSITIVES).value == 1 and off.suppressed_below is None
    figure = on.figure(POSITIVES)
    assert (figure.value, figure.value_mark, figure.change) == (None, "<5", None)
    assert on.figure("testing.positivity").value_mark == WITHHELD_MARK
    chart = next(s for s in on.section("testing").chart.series if s.label == POSITIVES)
    assert not [v for v in chart.values if v is not None and 0 < v < 5]
    html = render_html(on, "en")
    assert 'data-figure="testing.positives" data-value="" ' in html, "no number left behind in the HTML"
    assert "&lt;5" in html and "Small counts suppressed" in html
    assert "Small counts suppressed" not in render_html(off, "en")
    text_of_pdf = pdf_text(render_pdf(render_html(on, "zh")))
    assert "<5" in text_of_pdf and "小数抑制" in text_of_pdf
    # A street's briefing is the street's own figures: exact.
    street = build_briefing("418803001", LAST_DAY, engine, suppression=SuppressionSettings(enabled=True))
    assert street.suppressed_below is None and street.figure(POSITIVES).value_mark is None


def test_the_wall_of_a_community_shows_its_small_count_on_screen_only_when_asked(sample_database, monkeypatch):
    url, _ = sample_database
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_SUPPRESSION_ENABLED", "true")

    def positives_card(on_screen: str) -> tuple[str, str]:
        monkeypatch.setenv("DASHBOARD_SUPPRESSION_ON_SCREEN", on_screen)
        at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=90)
        at.query_params.update({"mode": "wall", "area": BRIEFED, "range": "latest", "lang": "en"})
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        card = next(m for m in at.metric if m.label == name(POSITIVES, "en"))
        return card.value, card.delta

    assert positives_card("false")[0] == "1"
    assert positives_card("true") == ("<5", "")
