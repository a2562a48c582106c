"""Grid-unit map 网格地图: the units under the filter's area coloured by risk colour (四色)
or a chosen figure, with a tooltip of their figures; a click drills down; a table of the
same units beneath. Coloured by reporting, it draws the units that owe a report type
instead, by how fresh their report for the day is; a click shows that unit's last report,
and the table lists the units still missing."""

import streamlit as st

from data_access import grid
from data_access.report_freshness import report_freshness
from data_access.reporting import SUBMISSION_TYPES
from presentation import formatting as fmt
from presentation.views import grid_map as view
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
else:
    table_block(
        t("grid.table", day=fmt.day(day, lang)),
        view.units_table(units, lang),
        key="grid_units",
        levels=unit_rows(units["level"].tolist()),
    )
