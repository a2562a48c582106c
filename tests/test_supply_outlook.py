"""The stock-out projection and suggested transfers where people see them, on the small
sample city: the Supplies page (AppTest, both languages), its what-if, its transfers table
and export, the wall's supplies view and the daily briefing. The figures shown are compared
with the projection made here from the adapter's reads (the projection's own arithmetic is
tested on hand-built ledgers in tests/test_stock_projection.py)."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from briefing import build_briefing, render_html
from data_access import supplies, supply_projection
from data_access.scope import Scope
from data_access.settings import load_thresholds
from presentation.catalogue import name
from presentation.stock_projection import Projection, WhatIf, project
from presentation.stock_transfers import TransferPlan, suggest_transfers
from presentation.text import text
from presentation.views import supply_projection as outlook
from presentation.views import wall as wall_view
from tests.app_support import first_visit
from ui.exports import ExportContext, csv_bytes, xlsx_bytes

CITY, DISTRICT = "418800", "418801"
WAVE_DAY = dt.date(2022, 4, 9)  # in the outbreak wave: stock-outs ahead, transfers to suggest
ON_WAVE_DAY = {"range": "custom", "start": WAVE_DAY.isoformat(), "end": WAVE_DAY.isoformat()}


def projection_on(engine, area: str, day: dt.date, what_if: WhatIf | None = None) -> Projection:
    scope = Scope(area, day, day)
    history = scope.with_days(*supply_projection.history_window(day))
    return project(
        supply_projection.district_ledger_days(history, engine),
        supplies.days_of_cover_by_district(scope, engine),
        day,
        supply_projection.district_activity_days(history, engine),
        what_if,
    )


def plan_on(projection: Projection) -> TransferPlan:
    th = load_thresholds()
    return suggest_transfers(projection, th.days_of_cover_warning, th.transfer_margin_days, th.transfer_days)


@pytest.fixture()
def supplies_page(sample_database, monkeypatch):
    url, _ = sample_database
    monkeypatch.setenv("DATABASE_URL", url)

    def run(params: dict, lang: str = "en"):
        at = first_visit({**params, "lang": lang})
        at.switch_page("pages/supplies.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def table(at, first_column: str, lang: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if first_column in d.value.columns)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_shows_the_projection_and_the_transfers(supplies_page, sample_database, lang):
    _, engine = sample_database
    expected = projection_on(engine, CITY, WAVE_DAY)
    plan = plan_on(expected)
    assert len(expected.stockouts()) > 0 and len(plan.moves) > 0  # the wave leaves something to show

    at = supplies_page(ON_WAVE_DAY, lang)
    cards = {m.label: m.value for m in at.metric}
    assert cards[name("supplies.projected_stockouts", lang)] == str(len(expected.stockouts()))
    assert any(text("stockout.section", lang, days=14) == h.value for h in at.subheader)

    shown = table(at, name("supplies.stockout_date", lang), lang)
    assert len(shown) == len(expected.summary) == 6 * 9
    out = shown[shown[name("supplies.stockout_date", lang)] != text("stockout.not_within", lang, days=14)]
    assert len(out) == len(expected.stockouts())
    assert shown[name("supplies.stock", lang)].sum() == expected.summary["stock"].sum()

    moves = table(at, name("supplies.transfer_quantity", lang), lang)
    assert moves[name("supplies.transfer_quantity", lang)].tolist() == plan.moves["quantity"].tolist()
    assert moves.columns[:3].tolist() == [text("sup.item", lang), text("stockout.from", lang), text("stockout.to", lang)]

    # The chart of one item in one district, shown as its table: 14 days reported, 14 projected.
    charts = len(at.get("vega_lite_chart"))
    at.toggle(key="table_supplies_projection_chart").set_value(True).run()
    assert len(at.get("vega_lite_chart")) == charts - 1
    figures = [name(key, lang) for key in ("supplies.stock", "supplies.projected_stock", "supplies.line_stock")]
    drawn = table(at, figures[2], lang)
    assert drawn.columns.tolist() == [text("common.day", lang), *figures]
    assert len(drawn) == 28 and drawn[figures[1]].notna().sum() == 15  # from the last reported day on


def test_testing_up_half_moves_the_tubes_and_nothing_else(supplies_page, sample_database):
    _, engine = sample_database
    at = supplies_page(ON_WAVE_DAY)
    before = table(at, name("supplies.projected_use", "en"), "en").set_index(["District", "Item"])
    at.number_input(key="supplies_what_if_samples_tested").set_value(50).run()
    assert not at.exception
    after = table(at, name("supplies.projected_use", "en"), "en").set_index(["District", "Item"])
    use = name("supplies.projected_use", "en")
    tubes = after.index.get_level_values("Item") == "Sampling tube kits"
    assert (after.loc[tubes, use] > before.loc[after.index[tubes], use]).all()
    assert after.loc[~tubes, use].tolist() == before.loc[after.index[~tubes], use].tolist()
    expected = projection_on(engine, CITY, WAVE_DAY, WhatIf(samples_tested=0.5))
    cards = {m.label: m.value for m in at.metric}
    assert cards[name("supplies.projected_stockouts", "en")] == str(len(expected.stockouts()))
    assert any("samples tested +50%" in c.value for c in at.caption)


def test_a_district_has_its_projection_but_no_transfers(supplies_page):
    at = supplies_page({"area": DISTRICT, **ON_WAVE_DAY})
    assert len(table(at, name("supplies.stockout_date", "en"), "en")) == 9
    assert any(text("stockout.transfers_one_district", "en") == i.value for i in at.info)
    assert not any(name("supplies.transfer_quantity", "en") in d.value.columns for d in at.dataframe)


def test_the_transfers_export_holds_the_moves(sample_database):
    _, engine = sample_database
    projection = projection_on(engine, CITY, WAVE_DAY)
    plan = plan_on(projection)
    shown = outlook.transfers_table(plan, projection, supplies.supply_items(engine), "zh")
    context = ExportContext("调剂建议", "清河市（示例） (418800)", "2022年4月9日", "zh", "2022年4月30日", "2026年12月1日 10:00")
    data = pd.read_csv(io.StringIO(csv_bytes(shown, context).decode("utf-8-sig")), comment="#")
    assert data["调运数量"].tolist() == plan.moves["quantity"].tolist()
    for _, moves in data.groupby("物资"):  # no district both gives and receives an item
        assert set(moves["调出区县"]).isdisjoint(moves["调入区县"])
    sheet = load_workbook(io.BytesIO(xlsx_bytes(shown, context))).worksheets[0]
    header = [c.value for c in sheet[1]]
    quantity = header.index("调运数量") + 1
    assert [row[quantity - 1] for row in sheet.iter_rows(min_row=2, values_only=True)] == plan.moves["quantity"].tolist()
    assert sheet.cell(row=2, column=quantity).number_format == "#,##0"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_wall_lists_the_projected_stockouts(sample_database, monkeypatch, lang):
    url, engine = sample_database
    monkeypatch.setenv("DATABASE_URL", url)
    at = first_visit({"mode": "wall", "lang": lang, **ON_WAVE_DAY})
    at.session_state["wall_view"] = wall_view.VIEWS.index("supplies") - 1  # the next rotation shows it
    at.run()
    assert not at.exception
    board = next(h.proto.body for h in at.get("html") if text("stockout.wall_title", lang, days=14) in h.proto.body)
    expected = outlook.stockout_lines(projection_on(engine, CITY, WAVE_DAY), supplies.supply_items(engine), lang)
    assert board.count("<li") == min(len(expected), outlook.WALL_LINES)
    assert expected[0].replace("'", "&#x27;") in board
    assert text("stockout.wall_more", lang, n=len(expected) - outlook.WALL_LINES) in board


def test_the_briefing_lists_stockouts_and_transfers(sample_database):
    _, engine = sample_database
    briefing = build_briefing(CITY, WAVE_DAY, engine=engine)
    expected = projection_on(engine, CITY, WAVE_DAY)
    plan = plan_on(expected)
    got = briefing.supply_outlook
    assert [(s.item_code, s.day, s.days) for s in got.stockouts] == [
        (row.item_code, row.stockout_day, row.days_to_stockout) for row in expected.stockouts().itertuples()
    ]
    assert [(m.item_code, m.quantity) for m in got.transfers] == list(
        zip(plan.moves["item_code"], plan.moves["quantity"], strict=True)
    )
    html = render_html(briefing, "en")
    assert text("stockout.briefing_section", "en", days=14) in html
    assert html.count("<tr data-item=") == min(len(got.stockouts), 20) + min(len(got.transfers), 20)
    # A district's briefing: its own stock-outs; transfers need several districts.
    district = build_briefing(DISTRICT, WAVE_DAY, engine=engine)
    assert district.supply_outlook.transfers is None
    assert text("stockout.transfers_one_district", "zh") in render_html(district, "zh")
