"""Every figure shown has a metric-catalogue entry, and every entry is shown somewhere.

Each page runs through AppTest with dashboard.py (so the sidebar runs too), with every
"show as table" toggle on, over three ranges; the KPI labels, table columns and chart
series it draws are compared with the catalogue's names.
"""

from __future__ import annotations

import json

import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from data_access.reporting import SUBMISSION_TYPES
from presentation.catalogue import METRICS
from presentation.text import text
from tests.app_support import PROJECT_ROOT

PAGES = ("overview", "checkpoints", "testing", "supplies", "vaccination", "isolation", "inspections", "grid_map", "data_intake")
RANGES = ("latest", "30d", "all")
# Table columns that are not figures: what a row is (day, area, item, kind, rank, status…).
NOT_FIGURES = (
    "common.area", "common.code", "common.day", "common.hour", "common.measure", "common.name", "common.selected",
    "cp.col.checkpoint", "cp.col.kind", "cp.col.rank", "sup.district", "sup.flag", "sup.item", "sup.unit", "vac.kind",
    "vac.age_group", "vac.rank", "test.round", "grid.col.risk", "overview.report_type", "overview.last_day",
    "overview.last_report", "intake.col.report", "intake.col.status", "intake.col.last_day", "intake.col.reported_at",
    "intake.col.last_reported_at", "checks.flag", "stockout.from", "stockout.to", "stockout.activity_column",
    "isolation.category", "isolation.site", "isolation.single_room",
    "insp.col.kind", "insp.col.item", "insp.col.team", "insp.col.agency",
)  # fmt: skip
# Figures shown outside the pages walked here, and where.
SHOWN_ELSEWHERE = {
    "reporting.rate": "the daily briefing's completeness table",
}


def names(lang: str) -> dict[str, str]:
    return {entry.name(lang): key for key, entry in METRICS.items()}


def chart_rows(proto) -> list[list[dict]]:
    """Every dataset a chart element carries, as rows: those inline in its spec and those
    Streamlit sends beside it as Arrow tables (how Altair charts' data travels)."""
    inline = list(json.loads(proto.spec).get("datasets", {}).values())
    arrow = [dataframe_util.convert_arrow_bytes_to_pandas_df(d.data.data).to_dict("records") for d in proto.datasets]
    if proto.data.data:
        arrow.append(dataframe_util.convert_arrow_bytes_to_pandas_df(proto.data.data).to_dict("records"))
    return inline + arrow


def walk(database_url: str, lang: str, ranges=RANGES) -> tuple[set, set, set, list]:
    """(card labels, table columns, chart series, cards without a catalogue link) over every page."""
    labels, columns, series, unlinked = set(), set(), set(), []
    definitions = {entry.definition(lang) for entry in METRICS.values()}
    for range_ in ranges:
        for page in PAGES:
            at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=120)
            at.query_params["lang"], at.query_params["range"] = lang, range_
            at.run()
            at.switch_page(f"pages/{page}.py").run()
            # The charts' series as drawn, before each chart is switched to its table.
            for chart in at.get("vega_lite_chart"):
                for rows in chart_rows(chart.proto):
                    series |= {row[k] for row in rows for k in ("measure", "part") if k in row}
            for toggle in at.toggle:
                if toggle.key and toggle.key.startswith("table_"):
                    toggle.set_value(True)
            at.run()
            assert not at.exception, (page, range_, [e.value for e in at.exception])
            for card in at.metric:
                label = card.label.replace(":orange[⚠] ", "")
                labels.add(label)
                if not any(d in (card.proto.help or "") for d in definitions):
                    unlinked.append((page, label))
            for table in at.dataframe:
                columns |= {str(c).removesuffix(" (%)") for c in table.value.columns}
    return labels, columns, series, unlinked


@pytest.fixture(scope="module")
def shown_en(sample_database):
    import os

    url, _ = sample_database
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        yield walk(url, "en")
    finally:
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous


def test_every_card_is_a_catalogue_figure_with_its_definition_in_its_help(shown_en):
    labels, _, _, unlinked = shown_en
    catalogue = names("en")
    report_types = {text(f"intake.units.{name}", "en") for name in SUBMISSION_TYPES}
    # The intake page's cards are one figure (units reported) per report type, named by the type.
    assert labels - set(catalogue) <= report_types, sorted(labels - set(catalogue) - report_types)
    assert not unlinked


def test_every_table_column_and_chart_series_is_a_catalogue_figure_or_names_the_row(shown_en):
    _, columns, series, _ = shown_en
    assert len(series) >= 5, sorted(series)  # the charts' series were read (a walk that reads none proves nothing)
    allowed = set(names("en")) | {text(key, "en") for key in NOT_FIGURES}
    assert not columns - allowed, sorted(columns - allowed)
    assert not series - set(names("en")), sorted(series - set(names("en")))


def test_every_catalogue_figure_is_shown(shown_en):
    labels, columns, series, _ = shown_en
    catalogue = names("en")
    shown = {catalogue[name] for name in (labels | columns | series) if name in catalogue}
    not_shown = set(METRICS) - shown - set(SHOWN_ELSEWHERE)
    assert not not_shown, sorted(not_shown)


def test_chinese_cards_are_catalogue_figures_too(sample_database, monkeypatch):
    url, _ = sample_database
    monkeypatch.setenv("DATABASE_URL", url)
    labels, columns, series, unlinked = walk(url, "zh", ranges=("latest",))
    catalogue = names("zh")
    report_types = {text(f"intake.units.{name}", "zh") for name in SUBMISSION_TYPES}
    assert labels - set(catalogue) <= report_types
    assert not series - set(catalogue)
    assert not unlinked
