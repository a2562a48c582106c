"""Supplies against daily capacity 物资保障: items under the alert line, the lowest days of
cover of the area and of any one district, the per-item table, days of cover per district,
and one item's stock, flows and days of cover over time."""

import streamlit as st

from data_access import supplies
from data_access.settings import load_thresholds
from presentation import formatting as fmt
from presentation.sentences import flags_by_metric
from presentation.views import supplies as view
from ui.checks_view import load_checks
from ui.components import built, chart_block, kpi_row, page_header, side_by_side, table_block
from ui.data import load, load_plain
from ui.i18n import t
from ui.page_setup import page_context
from ui.sidebar import area_name

state, scope = page_context()
lang, start, end = state.lang, scope.start, scope.end
page_header("sup.title")

status = load(supplies.supply_status, scope)
by_district = load(supplies.days_of_cover_by_district, scope)
items = load_plain(supplies.supply_items)
widened = view.widened_to(status, state.area_code)
if widened:
    st.info(t("common.widened", domain=t("domain.supplies"), name=area_name(widened, lang)), icon=":material/info:")

# The alert line is configured once, with the alerts (alerts.toml); here it can be tried out.
line = st.number_input(
    t("sup.threshold"),
    min_value=1.0,
    max_value=90.0,
    value=float(load_thresholds().days_of_cover_warning),
    step=1.0,
    format="%.0f",
    key="supplies_threshold",
    width=260,
)

stock_flag = flags_by_metric(load_checks(scope), lang).get("supplies.stock")
kpi_row(view.cards(status, by_district, items, line, lang, stock_flag), per_row=4)
note = view.line_note(status, line, lang)
if note is not None:
    under, sentence = note
    if under:
        st.warning(sentence, icon=":material/warning:")
    else:
        st.success(sentence, icon=":material/check_circle:")

table, colours = view.status_table(status, line, lang)
table_block(
    t("sup.status", day=fmt.day(end, lang)), table, key="supplies_status", row_colours=colours, formats=view.table_formats(lang)
)
st.caption(t("sup.gap_note"))

if view.several_districts(by_district):
    table, colours = view.district_table(by_district, items, line, lang)
    table_block(
        t("sup.by_district", day=fmt.day(end, lang)),
        table,
        key="supplies_by_district",
        row_colours=colours,
        formats=view.table_formats(lang),
    )
    st.caption(t("sup.by_district_note"))

# ---- one item over time
if not status.empty:
    codes, lowest, names = view.item_choice(status, lang)
    item_code = st.selectbox(
        t("sup.choose_item"), options=codes, index=lowest, format_func=names.get, key="supplies_item", width=320
    )
    daily = load(supplies.supply_item_daily, scope.with_days(*view.item_days(start, end)), item_code)
    chart, table = built(view.stock_chart, daily, start, end, lang)
    chart_block(t("sup.stock_chart", item=names[item_code]), chart, table, key="supplies_item_stock")
    with side_by_side("supplies_flows"):
        chart, table = built(view.inbound_chart, daily, start, end, lang)
        chart_block(t("sup.flow_chart", item=names[item_code]), chart, table, key="supplies_item_inbound", height=240)
        chart, table = built(view.cover_chart, daily, start, end, line, lang)
        chart_block(t("sup.cover_chart", item=names[item_code]), chart, table, key="supplies_item_cover", height=240)
