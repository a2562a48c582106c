"""Supplies against daily capacity 物资保障: items under the alert line, the lowest days of
cover of the area and of any one district, the per-item table, days of cover per district,
one item's stock, flows and days of cover over time; then the stock-out projection of the
next 14 days with its what-if, and the suggested transfers between districts."""

import streamlit as st

from data_access import supplies, supply_projection
from data_access.settings import load_thresholds
from presentation import formatting as fmt
from presentation.sentences import flags_by_metric
from presentation.stock_projection import HORIZON_DAYS
from presentation.views import supplies as view
from presentation.views import supply_projection as outlook
from ui.checks_view import load_checks
from ui.components import built, chart_block, kpi_row, page_header, side_by_side, table_block
from ui.data import derive, load, load_plain
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
# The cards, sentence and tables are worked out once per filter and line (cached with the reads).
on_day = ((supplies.supply_status, scope), (supplies.days_of_cover_by_district, scope), (supplies.supply_items, None))
kpi_row(derive(view.cards, on_day, line, lang, stock_flag, default=[]), per_row=4)


def verdict(note: tuple[bool, str] | None) -> None:
    """A sentence that flags something (a warning) or says all is well (a success)."""
    if note is not None:
        flagged, sentence = note
        if flagged:
            st.warning(sentence, icon=":material/warning:")
        else:
            st.success(sentence, icon=":material/check_circle:")


verdict(derive(view.line_note, on_day[:1], line, lang))

table_block(
    t("sup.status", day=fmt.day(end, lang)),
    derive(view.status_table, on_day[:1], line, lang),
    key="supplies_status",
    formats=view.table_formats(lang),
)
st.caption(t("sup.gap_note"))

if view.several_districts(by_district):
    table_block(
        t("sup.by_district", day=fmt.day(end, lang)),
        derive(view.district_table, on_day[1:], line, lang),
        key="supplies_by_district",
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

# ---- stock-out projection 断供预测: the next 14 days, with a what-if of the activities
st.subheader(t("stockout.section", days=HORIZON_DAYS))
st.caption(t("stockout.rule"))
history = scope.with_days(*supply_projection.history_window(end))
# What the projection is worked out from: the districts' ledgers and activities over the
# last 28 days, their stock on the day and the items' names (cached with what is worked
# out from them).
reads = (
    (supply_projection.district_ledger_days, history),
    (supplies.days_of_cover_by_district, scope),
    (supply_projection.district_activity_days, history),
    (supplies.supply_items, None),
)
st.markdown(f"**{t('stockout.what_if_title')}**")
uses = outlook.activity_items(lang, items)
with st.container(horizontal=True, gap="medium", key="supplies_what_if"):
    change = {
        activity: st.number_input(
            t(f"stockout.what_if.{activity}"),
            min_value=-100,
            max_value=300,
            value=0,
            step=10,
            help=t("stockout.what_if_help", items=uses[activity]),
            key=f"supplies_what_if_{activity}",
            width=220,
        )
        for activity in supply_projection.ACTIVITIES
    }
assumed = outlook.what_if(change)
shown = derive(outlook.outlook, reads, end, assumed, line, lang)
if shown is not None:
    kpi_row(shown.cards, per_row=4)
    verdict(shown.note)
what_if_note = outlook.what_if_note(assumed, lang)
if what_if_note:
    st.caption(what_if_note)
table_block(
    t("stockout.table", day=fmt.day(end, lang)),
    shown.table if shown is not None else None,
    key="supplies_projection",
    formats=outlook.table_formats(lang),
)
st.caption(t("stockout.table_note", days=HORIZON_DAYS))
if shown is not None and not shown.empty:
    codes, first, names = shown.items
    with side_by_side("supplies_projection_pick"):
        item_code = st.selectbox(
            t("sup.choose_item"), codes, index=first, format_func=names.get, key="supplies_projection_item", width=320
        )
        districts, first, district_names = shown.districts[item_code]
        district_code = st.selectbox(
            t("stockout.choose_district"),
            districts,
            index=first,
            format_func=district_names.get,
            key=f"supplies_projection_district_{item_code}",
            width=320,
        )
    rows = derive(outlook.outlook_rows, reads, end, assumed, district_code, item_code, line)
    chart, table = built(outlook.projection_chart, rows, end, lang)
    chart_block(
        t("stockout.chart", item=names[item_code], district=district_names[district_code]),
        chart,
        table,
        key="supplies_projection_chart",
    )

# ---- suggested transfers 调剂建议 between the districts
st.subheader(t("stockout.transfers"))
if not view.several_districts(by_district):
    st.info(t("stockout.transfers_one_district"), icon=":material/info:")
else:
    thresholds = load_thresholds()
    with st.container(horizontal=True, gap="medium", key="supplies_transfer_settings"):
        transfer_days = st.number_input(
            t("stockout.transfers_days"),
            min_value=1,
            max_value=HORIZON_DAYS,
            value=min(thresholds.transfer_days, HORIZON_DAYS),
            step=1,
            key="supplies_transfer_days",
            width=260,
        )
        margin = st.number_input(
            t("stockout.transfers_margin"),
            min_value=0.0,
            max_value=60.0,
            value=float(thresholds.transfer_margin_days),
            step=1.0,
            format="%.0f",
            key="supplies_transfer_margin",
            width=260,
        )
    st.caption(t("stockout.transfers_rule", days=transfer_days, margin=fmt.decimal(margin, lang, 0)))
    plan = derive(outlook.transfers, reads, end, assumed, line, margin, transfer_days, lang)
    if plan is not None and plan.needless:
        st.success(t("stockout.transfers_needless", days=transfer_days), icon=":material/check_circle:")
    else:
        table_block(
            t("stockout.transfers_table", days=transfer_days),
            plan.table if plan is not None else None,
            key="supplies_transfers",
            formats=outlook.table_formats(lang),
        )
    if plan is not None and plan.short:
        st.warning(plan.short, icon=":material/warning:")
