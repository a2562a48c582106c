"""Inspections and enforcement 督导检查: KPIs, entity checks and inspector-visits per day (in
all, by kind of entity and by team), problems and their rectification, the five-point
checklist per item, and pass rates by kind of entity and by area against the alert line."""

import streamlit as st

from data_access import inspections
from data_access.settings import load_thresholds
from presentation import formatting as fmt
from presentation.kpis import with_flags
from presentation.sentences import flag_rows, flags_by_metric
from presentation.views import inspections as view
from ui.checks_view import load_checks
from ui.components import NO_CHART, chart_block, kpi_row, page_header, side_by_side
from ui.data import derive, with_comparison
from ui.i18n import t
from ui.page_setup import page_context
from ui.suppression_view import area_rows, day_rows, screened, units_at

state, scope = page_context()
lang, start, end = state.lang, scope.start, scope.end
page_header("insp.title")

thresholds = load_thresholds()
line = view.PassLine(thresholds.inspection_pass_rate_warning, thresholds.inspection_pass_rate_min_checks)
# What the cards, charts and tables are worked out from (cached with what is worked out).
DAILY = (inspections.inspection_daily_totals, with_comparison(scope))
checks = load_checks(scope)
cards = derive(view.cards, (DAILY,), start, end, lang, default=[])
kpi_row(screened(with_flags(cards, flags_by_metric(checks, lang))), per_row=5)
st.caption(t("insp.stock_note"))

with side_by_side("inspections_checks"):
    chart, table = derive(view.checks_trend, (DAILY,), start, end, lang, default=NO_CHART)
    day_flags = flag_rows(table, checks, "inspections", lang, t("common.day"))
    chart_block(t("insp.checks_chart"), chart, day_flags, key="inspections_checks", levels=day_rows())
    by_kind_and_day = (inspections.inspections_by_day_and_type, with_comparison(scope))
    chart, table = derive(view.kinds_per_day, (by_kind_and_day,), start, end, lang, default=NO_CHART)
    chart_block(t("insp.kinds_chart"), chart, table, key="inspections_kinds", levels=day_rows())

with side_by_side("inspections_problems"):
    chart, table = derive(view.problems_trend, (DAILY,), start, end, lang, default=NO_CHART)
    day_flags = flag_rows(table, checks, "inspections", lang, t("common.day"))
    chart_block(t("insp.problems_chart"), chart, day_flags, key="inspections_problems", levels=day_rows())
    with st.container():
        kinds = view.checklist_kinds(lang)
        kind = st.selectbox(t("insp.checklist_kind"), list(kinds), format_func=kinds.get, key="inspections_checklist_kind")
        results = (inspections.checklist_results, scope, kind or None)
        chart, table = derive(view.checklist, (results,), lang, default=NO_CHART)
        chart_block(t("insp.checklist"), chart, table, key="inspections_checklist", height=view.rate_chart_height(table))
        st.caption(t("insp.checklist_note"))

with side_by_side("inspections_rates"):
    chart, table = derive(view.by_kind, ((inspections.inspections_by_type, scope),), line, lang, default=NO_CHART)
    chart_block(t("insp.by_kind"), chart, table, key="inspections_by_kind", height=view.rate_chart_height(table))
    chart, table = derive(view.by_area, ((inspections.inspections_by_area, scope),), line, lang, default=NO_CHART)
    chart_block(
        t("insp.by_area"),
        chart,
        flag_rows(table, checks, "inspections", lang, match={"area_code": t("common.code")}),
        key="inspections_by_area",
        height=view.rate_chart_height(table),
        levels=area_rows(inspections.FINEST_LEVEL),
    )
st.caption(
    t(
        "insp.by_area_note",
        rate=fmt.percent(line.rate, lang, 0),
        n=fmt.count(line.min_checks, lang),
        days=thresholds.inspection_pass_rate_days,
    )
)

chart, table = derive(view.by_team, ((inspections.inspections_by_team, scope),), lang, default=NO_CHART)
chart_block(
    t("insp.teams"),
    chart,
    flag_rows(table, checks, "inspections", lang, match={"unit": t("common.code")}),
    key="inspections_teams",
    height=view.team_chart_height(table),
    levels=units_at(inspections.FINEST_LEVEL),
)
