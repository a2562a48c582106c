"""Checkpoint throughput 道口通行: KPIs, daily trend, hourly profile, checkpoints against
staffed capacity (top and bottom highlighted), and throughput by area."""

import streamlit as st

from data_access import checkpoints
from presentation.sentences import flag_rows
from presentation.views import checkpoints as view
from ui.checks_view import load_checks
from ui.components import built, chart_block, kpi_row, page_header, side_by_side, table_block
from ui.data import load, load_with_comparison
from ui.i18n import t
from ui.page_setup import page_context
from ui.suppression_view import area_rows, day_rows, screened, units_at

state, scope = page_context()
lang, start, end = state.lang, scope.start, scope.end
page_header("cp.title")

daily = load_with_comparison(checkpoints.checkpoint_daily_totals, scope)
checks = load_checks(scope)
kpi_row(screened(view.cards(daily, start, end, lang)), per_row=5)

with side_by_side("checkpoints_trends"):
    chart, table = built(view.traffic_trend, daily, start, end, lang)
    chart_block(
        t("cp.trend_traffic"),
        chart,
        flag_rows(table, checks, "checkpoints", lang, t("common.day")),
        key="checkpoints_daily_traffic",
    )
    chart, table = built(view.fever_trend, daily, start, end, lang)
    chart_block(t("cp.trend_alerts"), chart, table, key="checkpoints_daily_fever", levels=day_rows())

chart, table = built(view.hourly_profile, load(checkpoints.checkpoint_hourly_profile, scope), lang)
chart_block(t("cp.hourly"), chart, table, key="checkpoints_hourly", height=260)

table_block(
    t("cp.table"),
    view.checkpoint_table(load(checkpoints.checkpoint_table, scope), lang),
    key="checkpoints_table",
    formats=view.table_formats(lang),
    levels=units_at(checkpoints.FINEST_LEVEL),
)
st.caption(t("cp.table_note"))

chart, table = built(view.by_area, load(checkpoints.checkpoint_by_area, scope), lang)
chart_block(t("cp.by_area"), chart, table, key="checkpoints_by_area", levels=area_rows(checkpoints.FINEST_LEVEL))
