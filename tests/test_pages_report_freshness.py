"""Report freshness on the grid map and the wall, headless (AppTest) on the sample city:
the map's units, its legend and the missing-units table agree with reporting
completeness for the same filter; a clicked unit shows its last report instead of
drilling down; the wall's reporting view counts every report type."""

from __future__ import annotations

import json
import re

import pytest

from data_access.reporting import AREA_UNITS, SUBMISSION_TYPES, reporting_completeness
from data_access.scope import Scope
from presentation.text import text
from presentation.views import report_freshness as freshness_view
from presentation.views import wall as wall_view
from tests.app_support import first_visit
from tests.test_pages import FILTERS


@pytest.fixture()
def open_page(sample_database, monkeypatch):
    url, _ = sample_database
    monkeypatch.setenv("DATABASE_URL", url)

    def run(params: dict, lang: str = "en", report_type: str | None = None):
        at = first_visit({**params, "lang": lang})
        at.switch_page("pages/grid_map.py").run()
        at.segmented_control(key="grid_metric").set_value("reporting").run()
        if report_type:
            at.segmented_control(key="grid_report_type").set_value(report_type).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def completeness(sample_database, filter_name: str) -> dict[str, tuple[int, int, int]]:
    _, engine = sample_database
    _, area, _, day = FILTERS[filter_name]
    counts = reporting_completeness(Scope(area, day, day), engine=engine)
    return {row.report_type: (row.expected, row.reported, row.missing) for row in counts.itertuples()}


def legend_counts(at, lang: str = "en") -> dict[str, int]:
    """State → count, read from the legend the page shows."""
    legend = next(h.proto.body for h in at.get("html") if freshness_view.state_label("on_time", lang) in h.proto.body)
    counts = {}
    for state in freshness_view.STATES:
        label = freshness_view.state_label(state, lang)
        counts[state] = int(re.search(re.escape(label) + r"[:：] ?([\d,]+)", legend).group(1).replace(",", ""))
    return counts


@pytest.mark.parametrize("filter_name", list(FILTERS))
@pytest.mark.parametrize("report_type", SUBMISSION_TYPES)
def test_map_legend_and_missing_table_agree_with_completeness(open_page, sample_database, filter_name, report_type):
    at = open_page(FILTERS[filter_name][0], report_type=report_type)
    expected, reported, missing = completeness(sample_database, filter_name)[report_type]
    counts = legend_counts(at)
    assert (counts["on_time"] + counts["late"], counts["missing"] + counts["missing_2plus"]) == (reported, missing)
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    drawn = [layer for layer in deck["layers"] if layer["id"] == freshness_view.LAYER_ID]
    assert [layer["@@type"] for layer in drawn] == (
        ["PolygonLayer" if report_type in AREA_UNITS else "ScatterplotLayer"] if expected else []
    )
    assert len({record["code"] for layer in drawn for record in layer["data"]}) == expected, (
        "every unit owing the report is drawn"
    )
    assert "mapStyle" not in deck or deck["mapStyle"] == "__MAP_STYLE__", "no online basemap"
    tables = [d.value for d in at.dataframe]
    assert len(tables) == (1 if missing else 0) and (not missing or len(tables[0]) == missing)


def test_a_clicked_unit_shows_its_last_report_instead_of_drilling_down(open_page, sample_database):
    at = open_page({}, report_type="vaccination")
    missing = at.dataframe[0].value
    code = missing["Code"].iloc[0]  # the longest without a report
    at.session_state["grid_report_map_vaccination"] = {
        "selection": {"indices": {freshness_view.LAYER_ID: [0]}, "objects": {freshness_view.LAYER_ID: [{"code": code}]}}
    }
    at.run()
    assert not at.exception
    panel = next(m.value for m in at.markdown if "**Reporting unit**" in m.value).replace("\\", "")  # as rendered
    row = missing.iloc[0]
    assert "**Reporting unit**: " in panel and f"({code})" in panel
    assert f"**Reporting state**: {row['Reporting state']}" in panel
    assert f"**Last report**: for {row['Last report for']}, sent {row['Sent at']}" in panel
    assert f"**Days since last report**: {row['Days since last report']}" in panel
    assert f"**Responsible area**: {row['Responsible area']} ({row['Responsible area code']})" in panel
    assert at.caption[0].value.startswith("Qinghe City"), "the filter stays where it was: no drill-down"


def test_the_page_reads_in_chinese_and_the_risk_colouring_is_unchanged(open_page):
    at = open_page({"area": "418801", "range": "30d"}, lang="zh", report_type="testing")
    assert legend_counts(at, "zh")
    assert any("未报单位" in m.value for m in at.markdown)
    at.segmented_control(key="grid_metric").set_value("risk_colour").run()
    assert not at.exception
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert [layer["id"] for layer in deck["layers"]] == ["grid-units"]
    assert at.metric, "the risk colouring keeps its cards"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_wall_rotates_to_the_reporting_view_and_counts_every_type(sample_database, monkeypatch, lang):
    url, _ = sample_database
    monkeypatch.setenv("DATABASE_URL", url)
    at = first_visit({"mode": "wall", "lang": lang})
    at.session_state["wall_view"] = wall_view.VIEWS.index("reporting") - 1  # the next rotation shows it
    at.run()
    assert not at.exception
    assert any(text("wall.view.reporting", lang) in m.value for m in at.markdown)
    board = next(h.proto.body for h in at.get("html") if freshness_view.state_label("on_time", lang) in h.proto.body)
    counts = completeness(sample_database, "city-latest")
    rows = board.split("<tr>")[2:]
    assert len(rows) == len(SUBMISSION_TYPES)
    for report_type, row in zip(SUBMISSION_TYPES, rows, strict=True):
        assert freshness_view.kind_label(report_type, lang) in row
        cells = [int(cell.rsplit(">", 1)[1].replace(",", "")) for cell in row.split("</td>")[1:5]]
        _, reported, missing = counts[report_type]
        assert (cells[0] + cells[1], cells[2] + cells[3]) == (reported, missing), report_type
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert len(next(layer for layer in deck["layers"] if layer["id"] == freshness_view.LAYER_ID)["data"]) >= counts["grid"][0]
