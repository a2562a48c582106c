"""Vaccination coverage 疫苗接种: doses per day by dose, coverage by age group and area
against target population, sites and teams against doses given, area ranking."""

import streamlit as st

from data_access import vaccination
from presentation import formatting as fmt
from presentation.kpis import with_flags
from presentation.sentences import flag_rows, flags_by_metric
from presentation.views import vaccination as view
from ui.checks_view import load_checks
from ui.components import NO_CHART, chart_block, kpi_row, page_header, side_by_side, table_block
from ui.data import derive, load, with_comparison
from ui.i18n import t
from ui.page_setup import page_context
from ui.sidebar import area_name

state, scope = page_context()
lang, start, end = state.lang, scope.start, scope.end
page_header("vac.title")

# What the cards, charts and tables are worked out from (cached with what is worked out).
DAILY = (vaccination.doses_by_day, with_comparison(scope))
TOTAL, SITES = (vaccination.coverage_total, scope), (vaccination.site_capacity, scope)
total = load(*TOTAL)
checks = load_checks(scope)
cards = derive(view.cards, (DAILY, TOTAL, SITES), start, end, lang, default=[])
kpi_row(with_flags(cards, flags_by_metric(view.checks_for_cards(checks), lang)), per_row=4)
if widened := view.widened_to(total, state.area_code):
    st.info(t("common.widened", domain=t("domain.vaccination"), name=area_name(widened, lang)), icon=":material/info:")

chart, table = derive(view.doses_trend, (DAILY,), start, end, lang, default=NO_CHART)
chart_block(
    t("vac.doses_chart"),
    chart,
    flag_rows(table, checks, "vaccination", lang, t("common.day")),
    key="vaccination_doses",
    height=260,
)

as_of = fmt.day(end, lang)
with side_by_side("vaccination_coverage"):
    by_age = (vaccination.coverage_by_age_group, scope)
    chart, table = derive(view.coverage_by_age, (by_age,), lang, default=NO_CHART)
    table = flag_rows(table, checks, "vaccination", lang, match={"age_group": t("vac.age_group")})
    chart_block(t("vac.coverage_age", day=as_of), chart, table, key="vaccination_by_age", height=320)
    chart, table = derive(view.coverage_by_area, ((vaccination.coverage_by_area, scope),), lang, default=NO_CHART)
    table = flag_rows(table, checks, "vaccination", lang, match={"area_code": t("common.code")})
    chart_block(t("vac.coverage_area", day=as_of), chart, table, key="vaccination_by_area", height=view.by_area_height(table))

sites = derive(view.site_table, (SITES,), lang)
table_block(t("vac.sites"), sites, key="vaccination_sites", formats=view.site_formats(lang))
