"""Grid-unit map 网格地图: the units under the filter's area coloured by risk colour (四色)
or a chosen figure, with a tooltip of their figures; a click drills down; a table of the
same units beneath."""

import streamlit as st

from data_access import grid
from presentation import formatting as fmt
from presentation.views import grid_map as view
from ui.components import kpi_row, page_header, table_block
from ui.data import load
from ui.i18n import t
from ui.page_setup import page_context
from ui.sidebar import set_filter

state, scope = page_context()
lang, day = state.lang, scope.end
page_header("grid.title", fmt.day(day, lang))

units = load(grid.grid_units_for_map, scope)
colour_by = st.segmented_control(
    t("grid.colour_by"),
    options=list(view.COLOUR_BY),
    default="risk_colour",
    format_func=lambda m: view.colour_by_label(m, lang),
    key="grid_metric",
)
colour_by = colour_by or "risk_colour"
if units.empty:
    st.info(t("common.empty"), icon=":material/info:")
    st.stop()

units = view.label_units(units, lang)
kpi_row(view.grid_cards(units, lang), per_row=5)
deck, legend = view.grid_deck(units, colour_by, lang)


def _drill_into_clicked_unit() -> None:
    selection = st.session_state.get("grid_map_chart")
    objects = (selection or {}).get("selection", {}).get("objects", {}).get(view.LAYER_ID, [])
    if objects and objects[0].get("code") and objects[0]["code"] != state.area_code:
        set_filter(area_code=objects[0]["code"])


map_column, legend_column = st.columns([5, 1])
with map_column:
    st.pydeck_chart(deck, height=560, on_select=_drill_into_clicked_unit, selection_mode="single-object", key="grid_map_chart")
with legend_column:
    st.markdown(f"**{t('grid.legend')}**  \n{view.colour_by_label(colour_by, lang)}")
    st.html(view.legend_html(legend))
level = units["level"].iloc[0]
st.caption(t("grid.level_note", level=t(f"filter.level.{level}"), n=len(units), day=fmt.day(day, lang)))


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

table_block(t("grid.table", day=fmt.day(day, lang)), view.units_table(units, lang), key="grid_units")
