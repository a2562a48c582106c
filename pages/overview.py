"""Overview 总览: one KPI card per domain for the selected day (change against the day
before, 30-day sparkline), the active alerts, reporting completeness and how fresh each
domain's data is."""

import streamlit as st

from data_access import areas, reporting
from presentation import formatting as fmt
from presentation.sentences import flags_by_metric
from presentation.views import overview as view
from ui.alerts_view import alerts_panel, load_alerts
from ui.briefing_panel import briefing_buttons
from ui.checks_view import checks_panel, load_checks
from ui.components import kpi_row, page_header, side_by_side, table_block
from ui.data import data_bounds, is_sample_data, load, load_plain
from ui.i18n import t
from ui.master_data_view import first_run_guide
from ui.overview_figures import overview_kpis
from ui.page_setup import page_context
from ui.suppression_view import screened

state, scope = page_context()
lang, day = state.lang, scope.end

page_header("overview.title", t("common.as_of_day", day=fmt.day(day, lang)))
if is_sample_data():
    st.info(t("app.sample_notice"), icon=":material/science:")
if data_bounds() is None:  # a new database: the steps to load its own city come first
    with st.container(border=True):
        first_run_guide(load_plain(areas.master_data_counts, default={}) or {}, lang)

checks = load_checks(scope)
completeness = load(reporting.reporting_completeness, scope, day)
cards = overview_kpis(scope, lang, flags_by_metric(checks, lang))
kpi_row(screened([*cards, *filter(None, [view.missing_reports_card(completeness, lang)])]), per_row=5)
st.caption(t("overview.sparkline_note"))

with side_by_side("overview_alerts"):
    alerts_panel(load_alerts(scope), lang)
    checks_panel(checks, lang)

with side_by_side("overview_freshness"):
    table_block(t("overview.freshness"), view.freshness_table(load_plain(areas.domain_freshness), lang), key="overview_freshness")
    table_block(
        t("overview.completeness", day=fmt.day(day, lang)),
        view.completeness_table(completeness, lang),
        key="overview_completeness",
    )

# Daily briefing 每日简报: PDF and HTML for this filter, built only when a button is clicked.
briefing_buttons(scope, lang)
