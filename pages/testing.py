"""Testing volume 核酸检测: KPIs, daily trends of volume, positivity, backlog, lab use and
turnaround, mass-testing round coverage by area, and testing by area."""

import streamlit as st

from data_access import testing
from presentation.kpis import with_flags
from presentation.sentences import flag_rows, flags_by_metric
from presentation.views import testing as view
from ui.checks_view import load_checks
from ui.components import NO_CHART, chart_block, kpi_row, page_header, side_by_side, table_block
from ui.data import derive, with_comparison
from ui.i18n import t
from ui.page_setup import page_context
from ui.suppression_view import area_rows, day_rows, screened

state, scope = page_context()
lang, start, end = state.lang, scope.start, scope.end
page_header("test.title")

# What the cards, charts and tables are worked out from (cached with what is worked out).
DAILY = (testing.testing_daily_totals, with_comparison(scope))
LABS = (testing.lab_utilisation_daily, with_comparison(scope))
checks = load_checks(scope)
cards = derive(view.cards, (DAILY, LABS), start, end, lang, default=[])
kpi_row(screened(with_flags(cards, flags_by_metric(checks, lang))), per_row=5)

with side_by_side("testing_volume"):
    chart, table = derive(view.volume_trend, (DAILY,), start, end, lang, default=NO_CHART)
    chart_block(
        t("test.volume_chart"),
        chart,
        flag_rows(table, checks, "testing", lang, t("common.day")),
        key="testing_volume",
        levels=day_rows(),
    )
    chart, table = derive(view.positivity_trend, (DAILY,), start, end, lang, default=NO_CHART)
    chart_block(t("test.positivity_chart"), chart, table, key="testing_positivity", levels=day_rows())

with side_by_side("testing_backlog"):
    chart, table = derive(view.backlog_trend, (DAILY,), start, end, lang, default=NO_CHART)
    chart_block(t("test.backlog_chart"), chart, table, key="testing_backlog")
    chart, table = derive(view.lab_trend, (LABS,), start, end, lang, default=NO_CHART)
    chart_block(t("test.lab_chart"), chart, table, key="testing_labs")

chart, table = derive(view.turnaround_trend, (DAILY,), start, end, lang, default=NO_CHART)
chart_block(t("test.tat_chart"), chart, table, key="testing_turnaround", height=240)
st.caption(t("test.tat_note"))

chart, table = derive(view.round_coverage, ((testing.round_coverage_by_area, scope),), lang, default=NO_CHART)
if table.empty:
    with st.container(border=True):
        st.markdown(f"**{t('test.rounds')}**")
        st.info(t("test.no_rounds"), icon=":material/info:")
else:
    chart_block(t("test.rounds"), chart, table, key="testing_rounds", height=view.rounds_height(table, lang))

table_block(
    t("test.by_area"),
    derive(view.by_area, ((testing.testing_by_area, scope),), lang),
    key="testing_by_area",
    formats=view.by_area_formats(lang),
    levels=area_rows(testing.FINEST_LEVEL),
)
