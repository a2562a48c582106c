"""Wall screen 大屏: for the command-centre wall, unattended all day. Big KPI figures, the
clock and data time, active alerts, and one view at a time rotating on an interval.

Figures and alerts live in fragments that re-run on the refresh interval; the view
rotates in its own fragment; the clock ticks in the browser. Relative dates ("last 7
days") are recomputed on each refresh, so they roll over when a new day's data arrives.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from data_access import areas, supplies, supply_projection
from data_access.access import OPEN
from data_access.scope import Scope
from data_access.settings import get_settings, load_thresholds
from presentation import formatting as fmt
from presentation.stock_projection import HORIZON_DAYS, project
from presentation.suppression import is_fine
from presentation.views import supply_projection as outlook
from presentation.views import wall as view
from presentation.views.inspections import PassLine
from ui.alerts_view import alerts_panel, load_alerts
from ui.auth import current_access, still_allowed
from ui.components import built, kpi_row
from ui.data import banner_elsewhere, follow_writes, fragment_rerun, is_sample_data, load, load_plain, reset_banner
from ui.i18n import t
from ui.overview_figures import overview_kpis
from ui.page_setup import page_context
from ui.sidebar import area_name, live_scope
from ui.suppression_view import filter_level, rule, screened

state, _ = page_context()
lang = state.lang
settings = get_settings()
REFRESH = view.refresh_seconds(st.query_params.get("refresh"), settings.wall_refresh_seconds)
ROTATE = view.rotate_seconds(st.query_params.get("rotate"), settings.wall_rotate_seconds)
SCREEN = view.Screen(lang, view.chart_scale(st.query_params.get("scale")), load_thresholds().days_of_cover_warning)


# ---- header: title, area, clock (ticks in the browser) and data time
@st.fragment(run_every=REFRESH)
def header() -> None:
    if fragment_rerun():  # (a whole run did this at its top)
        reset_banner()  # the wall's one banner, with the age of the figures it keeps showing
        follow_writes()  # new data, or an outage, shows at this refresh
    still_allowed()  # a revoked or expired kiosk link ends the wall at the next refresh
    scope = live_scope()
    freshness = load_plain(areas.domain_freshness, default=pd.DataFrame())
    last_report = freshness["last_reported_at"].dropna().max() if freshness is not None and not freshness.empty else None
    reader = current_access()
    badges = [t("app.sample_badge")] if is_sample_data() else []
    if reader.role == OPEN:
        badges.append(t("auth.open_badge"))
    signed_in = reader.role != OPEN and not reader.is_kiosk  # a person on the wall: named, as on every page
    person = (reader.name or reader.actor) if signed_in else None
    st.html(
        view.header_html(
            f"{t('wall.title')} · {area_name(state.area_code, lang)}",
            badges,
            person,
            t("wall.data_time", day=fmt.day(scope.end, lang), time=fmt.local_time(last_report, lang)),
            settings.timezone,
            lang,
        ),
        unsafe_allow_javascript=True,
    )


@st.fragment(run_every=REFRESH)
def figures() -> None:
    with banner_elsewhere():
        kpi_row(screened(overview_kpis(live_scope(), lang, isolation_and_inspections=False)), per_row=7)


@st.fragment(run_every=REFRESH)
def alerts() -> None:
    with banner_elsewhere():
        alerts_panel(load_alerts(live_scope()), lang, limit=7, big=True)


@st.fragment(run_every=ROTATE)
def rotating_view() -> None:
    index = st.session_state.get("wall_view", -1) + 1
    st.session_state["wall_view"] = index
    shown = view.view_at(index)
    with st.container(border=True, key=f"wall_view_{shown}"):
        st.markdown(f"### {t(f'wall.view.{shown}')} <span class='wall-dots'>{view.dots(index)}</span>", unsafe_allow_html=True)
        with banner_elsewhere():
            DRAW[shown](live_scope())


def on_the_wall(frame: pd.DataFrame) -> pd.DataFrame:
    """A chart's figures as a community's wall may show them: small counts suppressed on
    screen (``[suppression] on_screen``) leave the chart."""
    settings = rule()
    if not (settings.enabled and settings.on_screen and is_fine(filter_level())):
        return frame
    return view.without_small_counts(frame, settings.metrics, settings.threshold)


def chart_view(name: str):
    """Draws the chart view ``name``: its query through the cache, its builder."""
    spec = view.CHART_VIEWS[name]

    def draw(scope: Scope) -> None:
        frame = load(spec.query, spec.scope(scope))
        if not frame.empty:
            frame = on_the_wall(frame)
            st.vega_lite_chart(built(spec.build, frame, SCREEN), width="stretch", theme=None)

    return draw


def grid_view(scope: Scope) -> None:
    units = load(view.GRID_QUERY, scope)
    if not units.empty:
        deck, legend = view.grid_map(units, SCREEN)
        map_column, legend_column = st.columns([5, 1])
        map_column.pydeck_chart(deck, height=SCREEN.height)
        legend_column.html(legend)


def reporting_view(scope: Scope) -> None:
    units = load(view.REPORTING_QUERY, scope)
    if not units.empty:
        deck, counts = view.reporting_map(units, load(view.GRID_QUERY, scope), SCREEN)
        map_column, counts_column = st.columns([3, 2])
        map_column.pydeck_chart(deck, height=SCREEN.height)
        counts_column.html(counts)


def supplies_view(scope: Scope) -> None:
    """Days of cover per item, and beside it the district-items projected to run out
    within 14 days (the Supplies page's projection, without a what-if)."""
    chart_column, list_column = st.columns([3, 2])
    with chart_column:
        chart_view("supplies")(scope)
    stock = load(supplies.days_of_cover_by_district, scope)
    ledger_days = load(supply_projection.district_ledger_days, scope.with_days(*supply_projection.history_window(scope.end)))
    projection = project(ledger_days, stock, scope.end)
    list_column.html(
        outlook.wall_html(outlook.stockout_lines(projection, load_plain(supplies.supply_items), lang), HORIZON_DAYS, lang)
    )


def isolation_view(scope: Scope) -> None:
    """People under management by category over the last 30 days, and beside it the
    fullest isolation sites, people held past their release and shared rooms on the day."""
    chart_column, list_column = st.columns([3, 2])
    by_category = load(view.ISOLATION_QUERY, view.last_month(scope))
    if not by_category.empty:
        chart_column.vega_lite_chart(built(view.isolation_chart, by_category, SCREEN), width="stretch", theme=None)
    on_day = scope.with_days(scope.end, scope.end)
    people = load(view.ISOLATION_PEOPLE_QUERY, on_day)
    overdue = people["overdue"].sum() if not people.empty else None
    line = load_thresholds().site_occupancy_warning
    list_column.html(view.isolation_html(load(view.ISOLATION_SITES_QUERY, on_day), overdue, line, lang))


def inspections_view(scope: Scope) -> None:
    """The streets with the lowest pass rates over the alert's days, and beside them the
    area's checks, pass rate and problems overdue."""
    thresholds = load_thresholds()
    line = PassLine(thresholds.inspection_pass_rate_warning, thresholds.inspection_pass_rate_min_checks)
    days = max(1, thresholds.inspection_pass_rate_days)
    by_street = load(view.INSPECTIONS_QUERY, scope.with_days(scope.end - dt.timedelta(days=days - 1), scope.end))
    if by_street.empty:
        return
    chart_column, figures_column = st.columns([3, 2])
    if not view.lowest_pass_rates(by_street, line).empty:
        chart_column.vega_lite_chart(built(view.inspections_chart, by_street, line, SCREEN), width="stretch", theme=None)
    figures_column.html(view.inspections_html(by_street, line, days, lang))


DRAW = {
    **{name: chart_view(name) for name in view.CHART_VIEWS},
    "supplies": supplies_view,
    "isolation": isolation_view,
    "inspections": inspections_view,
    "grid": grid_view,
    "reporting": reporting_view,
}

header()
figures()
main, side = st.columns([2, 1])
with main:
    rotating_view()
with side:
    alerts()
