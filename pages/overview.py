"""Overview 总览: one KPI card per domain for the selected day (change against the day
before, 30-day sparkline), the active alerts, reporting completeness and how fresh each
domain's data is."""

import pandas as pd
import streamlit as st

from briefing.streamlit_panel import briefing_buttons
from data_access import areas, reporting
from presentation import formatting as fmt
from ui.alerts_view import alerts_panel, load_alerts
from ui.checks_view import checks_panel, flags_by_domain, load_checks
from ui.components import Kpi, kpi_row, page_header, side_by_side, table_block
from ui.data import data_bounds, is_sample_data, load, load_plain
from ui.i18n import t
from ui.master_data_view import first_run_guide
from ui.overview_figures import overview_kpis
from ui.page_setup import page_context

state, scope = page_context()
lang = state.lang
day = scope.end

page_header("overview.title", t("common.as_of_day", day=fmt.day(day, lang)))
if is_sample_data():
    st.info(t("app.sample_notice"), icon=":material/science:")
if data_bounds() is None:  # a new database: the steps to load its own city come first
    with st.container(border=True):
        first_run_guide(load_plain(areas.master_data_counts, default={}) or {}, lang)

checks = load_checks(scope)
kpis = overview_kpis(scope, lang, flags_by_domain(checks, lang))
completeness = load(reporting.reporting_completeness, scope, day)
if not completeness.empty:
    missing = int(completeness["missing"].sum())
    expected = int(completeness["expected"].sum())
    kpis.append(
        Kpi(
            t("overview.kpi.missing_reports"),
            f"{missing:,} / {expected:,}",
            delta=t("overview.kpi.missing_note") if missing else None,
            delta_is_neutral=True,
            delta_note="",
        )
    )
kpi_row(kpis, per_row=4)
st.caption(t("overview.sparkline_note"))

with side_by_side("overview_alerts"):
    alerts_panel(load_alerts(scope), lang)
    checks_panel(checks, lang)

with side_by_side("overview_freshness"):
    freshness = load_plain(areas.domain_freshness, default=pd.DataFrame())
    if freshness is not None and not freshness.empty:
        table = pd.DataFrame(
            {
                t("common.measure"): freshness["domain"].map(lambda d: t(f"domain.{d}")),
                t("overview.last_day"): freshness["last_day"].map(lambda d: fmt.day(d, lang)),
                t("overview.last_report"): freshness["last_reported_at"].map(lambda v: fmt.local_time(v, lang)),
            }
        )
        table_block(t("overview.freshness"), table, key="overview_freshness")
    if not completeness.empty:
        table_block(
            t("overview.completeness", day=fmt.day(day, lang)),
            pd.DataFrame(
                {
                    t("overview.report_type"): completeness["report_type"].map(lambda r: t(f"report_type.{r}")),
                    t("overview.expected"): completeness["expected"],
                    t("overview.reported"): completeness["reported"],
                    t("overview.missing"): completeness["missing"],
                }
            ),
            key="overview_completeness",
        )

# Daily briefing 每日简报: PDF and HTML for this filter, built only when a button is clicked.
briefing_buttons(scope, lang)
