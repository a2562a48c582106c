"""Grid-unit map 网格地图: the units under the filter's area coloured by risk colour (四色)
or a chosen figure, with a tooltip of their figures; a click drills down; a table of the
same units beneath. Coloured by reporting, it draws the units that owe a report type
instead, by how fresh their report for the day is; a click shows that unit's last report,
and the table lists the units still missing. Coloured by isolation, it draws the streets
by people at home and the isolation sites by occupancy; by inspections, the streets by
entities with an open problem; a click shows the street's or site's figures, and the
tables list them."""

import streamlit as st

from data_access import grid, inspections, isolation
from data_access.report_freshness import report_freshness
from data_access.reporting import SUBMISSION_TYPES
from data_access.settings import load_thresholds
from presentation import formatting as fmt
from presentation.map_layers import picked_object
from presentation.views import grid_map as view
from presentation.views import inspection_map, isolation_map
from presentation.views import isolation as isolation_view
from presentation.views import report_freshness as freshness_view
from ui.components import kpi_row, page_header, table_block
from ui.data import load
from ui.i18n import t
from ui.map_view import map_with_legend, picked_panel
from ui.page_setup import page_context
from ui.sidebar import set_filter
from ui.suppression_view import map_units, screened, unit_rows

state, scope = page_context()
lang, day = state.lang, scope.end
page_header("grid.title", fmt.day(day, lang))

units = load(grid.grid_units_for_map, scope)
colour_by = st.segmented_control(
    t("grid.colour_by"),
    options=list(view.COLOURINGS),
    default="risk_colour",
    format_func=lambda m: view.colour_by_label(m, lang),
    key="grid_metric",
)
colour_by = colour_by or "risk_colour"
reporting = colour_by == view.REPORTING
if reporting:
    report_type = st.segmented_control(
        t("freshness.report_type"),
        options=list(SUBMISSION_TYPES),
        default="grid",
        format_func=lambda kind: freshness_view.kind_label(kind, lang),
        key="grid_report_type",
    )
    report_type = report_type or "grid"
if units.empty:
    st.info(t("common.empty"), icon=":material/info:")
    st.stop()

units = view.label_units(units, lang)


def _drill_into_clicked_unit() -> None:
    selection = st.session_state.get("grid_map_chart")
    objects = (selection or {}).get("selection", {}).get("objects", {}).get(view.LAYER_ID, [])
    if objects and objects[0].get("code") and objects[0]["code"] != state.area_code:
        set_filter(area_code=objects[0]["code"])


note = None  # the caption under the map, when a colouring draws objects of its own
if reporting:
    # The units owing the report, coloured by freshness over the areas the map draws.
    report_units = freshness_view.label_units(load(report_freshness, scope, report_type), lang)
    picked = map_with_legend(
        freshness_view.freshness_deck(report_units, units, lang),
        [(freshness_view.kind_label(report_type, lang), freshness_view.legend(report_units, lang))],
        key=f"grid_report_map_{report_type}",
        note=freshness_view.legend_note(report_units, day, lang),
    )
    details = freshness_view.unit_details(report_units, freshness_view.picked_code(picked), day, lang)
    picked_panel(t("freshness.details_title"), details, t("freshness.pick_hint"), key="grid_report_details")
    note = t(
        "freshness.level_note",
        n=fmt.count(len(report_units), lang),
        kind=freshness_view.kind_label(report_type, lang),
        day=fmt.day(day, lang),
    )
elif colour_by == view.ISOLATION:
    # People at home per street (counts as their table shows them), sites by occupancy.
    thresholds = load_thresholds()
    warning = thresholds.site_occupancy_warning
    sites = load(isolation.site_table, scope)
    streets = isolation_map.label_streets(load(isolation.isolation_map_units, scope), sites, lang)
    sites = isolation_map.label_sites(sites, streets, warning, lang)
    shown = map_units(streets, isolation_map.COVERED, lang)
    picked = map_with_legend(
        isolation_map.isolation_deck(shown, sites, warning, lang),
        isolation_map.legend(shown, sites, warning, lang),
        key="grid_isolation_map",
    )
    details = isolation_map.details(shown, sites, picked_object(picked, isolation_map.LAYER_IDS), warning, lang)
    picked_panel(t("map.isolation.details_title"), details, t("map.isolation.pick_hint"), key="grid_isolation_details")
    note = t(
        "map.isolation.level_note",
        streets=fmt.count(len(streets), lang),
        sites=fmt.count(len(sites), lang),
        day=fmt.day(day, lang),
    )
    note += " " + isolation_map.summary(streets, sites, day, warning, lang)
elif colour_by == view.INSPECTIONS:
    streets = inspection_map.label_streets(load(inspections.inspection_map_units, scope), lang)
    picked = map_with_legend(
        inspection_map.inspection_deck(streets, lang),
        inspection_map.legend(streets, lang),
        key="grid_inspection_map",
    )
    details = inspection_map.details(streets, picked_object(picked, inspection_map.LAYER_IDS), lang)
    picked_panel(t("map.inspections.details_title"), details, t("map.inspections.pick_hint"), key="grid_inspection_details")
    note = t("map.inspections.level_note", n=fmt.count(len(streets), lang), day=fmt.day(day, lang))
    note += " " + inspection_map.summary(streets, scope.start, day, lang)
else:
    map_column, legend_column = st.columns([5, 1])
    kpi_row(screened(view.grid_cards(units, lang)), per_row=5)
    deck, legend = view.grid_deck(map_units(units, view.TABLE_COLUMNS, lang), colour_by, lang)
    with map_column:
        st.pydeck_chart(
            deck, height=560, on_select=_drill_into_clicked_unit, selection_mode="single-object", key="grid_map_chart"
        )
    with legend_column:
        st.markdown(f"**{t('grid.legend')}**  \n{view.colour_by_label(colour_by, lang)}")
        st.html(view.legend_html(legend))
level = units["level"].iloc[0]
st.caption(note or t("grid.level_note", level=t(f"filter.level.{level}"), n=len(units), day=fmt.day(day, lang)))


def _go_to() -> None:
    code = st.session_state.get("grid_go_to")
    if code:
        set_filter(area_code=code)
    st.session_state["grid_go_to"] = None


if level != "grid" or len(units) > 1:
    labels = view.go_to_labels(units)
    st.selectbox(
        t("grid.go_to"),
        options=list(labels),
        index=None,
        format_func=labels.get,
        placeholder=t("grid.go_to_placeholder"),
        key="grid_go_to",
        on_change=_go_to,
        width=420,
    )

if reporting:
    missing = freshness_view.missing_table(report_units, day, lang)
    table_block(
        t("freshness.missing_title", day=fmt.day(day, lang), n=fmt.count(len(missing), lang)),
        missing,
        key=f"grid_missing_{report_type}",
    )
elif colour_by == view.ISOLATION:
    table_block(
        t("map.isolation.streets_table", day=fmt.day(day, lang), n=fmt.count(len(streets), lang)),
        isolation_map.streets_table(streets, lang),
        key="grid_isolation_streets",
        formats=isolation_map.streets_formats(lang),
        levels=unit_rows([isolation_map.LEVEL] * len(streets)),
    )
    table_block(
        t("map.isolation.sites_table", day=fmt.day(day, lang), n=fmt.count(len(sites), lang)),
        isolation_view.site_rows(sites, warning, thresholds.days_until_full_warning, lang),
        key="grid_isolation_sites",
        formats=isolation_view.site_formats(lang),
        levels=unit_rows([isolation_map.LEVEL] * len(sites)),
    )
elif colour_by == view.INSPECTIONS:
    table_block(
        t("map.inspections.streets_table", day=fmt.day(day, lang), n=fmt.count(len(streets), lang)),
        inspection_map.streets_table(streets, lang),
        key="grid_inspection_streets",
        formats=inspection_map.streets_formats(lang),
        levels=unit_rows([inspection_map.LEVEL] * len(streets)),
    )
else:
    table_block(
        t("grid.table", day=fmt.day(day, lang)),
        view.units_table(units, lang),
        key="grid_units",
        levels=unit_rows(units["level"].tolist()),
    )
