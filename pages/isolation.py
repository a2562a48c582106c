"""Isolation and observation 隔离管控: KPIs, people under management per day by measure and
by category, category × measure, the isolation sites' occupancy and flows, each site
against its rooms, and people by area."""

import streamlit as st

from data_access import isolation
from data_access.scope import level_index
from data_access.settings import load_thresholds
from presentation.catalogue import name
from presentation.kpis import with_flags
from presentation.sentences import flag_rows, flags_by_metric
from presentation.views import isolation as view
from ui.checks_view import load_checks
from ui.components import NO_CHART, chart_block, kpi_row, page_header, side_by_side, table_block
from ui.data import derive, load, with_comparison
from ui.i18n import t
from ui.page_setup import page_context
from ui.sidebar import area_name
from ui.suppression_view import area_rows, day_rows, filter_level, screened, units_at

state, scope = page_context()
lang, start, end = state.lang, scope.start, scope.end
thresholds = load_thresholds()
page_header("isolation.title")

# What the cards, charts and tables are worked out from (cached with what is worked out).
around = with_comparison(scope)
PEOPLE, SITE_DAYS = (isolation.people_daily_totals, around), (isolation.site_daily_totals, around)
SITES, BY_AREA = (isolation.site_table, scope), (isolation.people_by_area, scope)
by_area = load(*BY_AREA)
checks = load_checks(scope)
cards = derive(view.cards, (PEOPLE, SITE_DAYS, SITES), start, end, lang, default=[])
kpi_row(screened(with_flags(cards, flags_by_metric(checks, lang))), per_row=4)
below_street = level_index(filter_level() or "city") > level_index(isolation.FINEST_LEVEL)
if widened := view.widened_to(by_area, below_street):
    st.info(t("isolation.widened", name=area_name(widened, lang)), icon=":material/info:")

with side_by_side("isolation_people"):
    chart, table = derive(view.measure_trend, (PEOPLE,), start, end, lang, default=NO_CHART)
    chart_block(t("isolation.measure_chart"), chart, table, key="isolation_by_measure", levels=day_rows())
    chart, table = derive(view.flow_trend, (PEOPLE,), start, end, lang, default=NO_CHART)
    chart_block(t("isolation.flow_chart"), chart, table, key="isolation_flows", levels=day_rows())

with side_by_side("isolation_categories"):
    with st.container():
        figure = st.segmented_control(
            t("isolation.category_figure"),
            list(view.CATEGORY_FIGURES),
            default="held",
            format_func=lambda key: name(view.CATEGORY_FIGURES[key], lang),
            key="isolation_category_figure",
        )
        by_category = (isolation.people_by_category_daily, around)
        chart, table = derive(view.category_trend, (by_category,), figure or "held", start, end, lang, default=NO_CHART)
        chart_block(t("isolation.category_chart"), chart, table, key="isolation_by_category", levels=day_rows())
    chart, table = derive(view.category_measure, ((isolation.people_by_category, scope),), lang, default=NO_CHART)
    chart_block(
        t("isolation.category_measure_chart"),
        chart,
        table,
        key="isolation_category_measure",
        height=view.category_measure_height(table, lang),
        levels=day_rows(),
    )

with side_by_side("isolation_sites_trend"):
    warning = thresholds.site_occupancy_warning
    chart, table = derive(view.occupancy_trend, (SITE_DAYS,), start, end, warning, lang, default=NO_CHART)
    chart_block(
        t("isolation.occupancy_chart"),
        chart,
        flag_rows(table, checks, "isolation", lang, t("common.day")),
        key="isolation_occupancy",
    )
    chart, table = derive(view.site_flow_trend, (SITE_DAYS,), start, end, lang, default=NO_CHART)
    chart_block(t("isolation.site_flow_chart"), chart, table, key="isolation_site_flows")

table = derive(view.site_rows, (SITES,), thresholds.site_occupancy_warning, thresholds.days_until_full_warning, lang)
table_block(
    t("isolation.sites_table"),
    flag_rows(table, checks, "isolation", lang, match={"unit": t("common.code")}),
    key="isolation_sites",
    formats=view.site_formats(lang),
    levels=units_at(isolation.FINEST_LEVEL),
)
st.caption(
    t(
        "isolation.sites_note",
        occupancy=f"{thresholds.site_occupancy_warning * 100:g}",
        days=f"{thresholds.days_until_full_warning:g}",
    )
)

table_block(
    t("isolation.by_area"),
    derive(view.by_area, (BY_AREA,), lang),
    key="isolation_by_area",
    formats=view.by_area_formats(lang),
    levels=area_rows(isolation.FINEST_LEVEL),
)
