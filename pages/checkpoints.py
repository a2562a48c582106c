"""Checkpoint throughput 道口通行: KPIs, daily trend, hourly profile, checkpoints against
staffed capacity (top and bottom highlighted), and throughput by area."""

import streamlit as st

from data_access import checkpoints
from presentation.sentences import flag_rows
from presentation.views import checkpoints as view
from ui.checks_view import load_checks
from ui.components import NO_CHART, chart_block, kpi_row, page_header, side_by_side, table_block
from ui.data import derive, with_comparison
from ui.i18n import t
from ui.page_setup import page_context
from ui.suppression_view import area_rows, day_rows, screened, units_at

state, scope = page_context()
lang, start, end = state.lang, scope.start, scope.end
page_header("cp.title")

# What the cards, charts and tables are worked out from (cached with what is worked out).
DAILY = (checkpoints.checkpoint_daily_totals, with_comparison(scope))
checks = load_checks(scope)
kpi_row(screened(derive(view.cards, (DAILY,), start, end, lang, default=[])), per_row=5)

with side_by_side("checkpoints_trends"):
    chart, table = derive(view.traffic_trend, (DAILY,), start, end, lang, default=NO_CHART)
    chart_block(
        t("cp.trend_traffic"),
        chart,
        flag_rows(table, checks, "checkpoints", lang, t("common.day")),
        key="checkpoints_daily_traffic",
    )
    chart, table = derive(view.fever_trend, (DAILY,), start, end, lang, default=NO_CHART)
    chart_block(t("cp.trend_alerts"), chart, table, key="checkpoints_daily_fever", levels=day_rows())

chart, table = derive(view.hourly_profile, ((checkpoints.checkpoint_hourly_profile, scope),), lang, default=NO_CHART)
chart_block(t("cp.hourly"), chart, table, key="checkpoints_hourly", height=260)

table_block(
    t("cp.table"),
    derive(view.checkpoint_table, ((checkpoints.checkpoint_table, scope),), lang),
    key="checkpoints_table",
    formats=view.table_formats(lang),
    levels=units_at(checkpoints.FINEST_LEVEL),
)
st.caption(t("cp.table_note"))

chart, table = derive(view.by_area, ((checkpoints.checkpoint_by_area, scope),), lang, default=NO_CHART)
chart_block(t("cp.by_area"), chart, table, key="checkpoints_by_area", levels=area_rows(checkpoints.FINEST_LEVEL))
