"""Grid-unit map 网格地图: the units under the filter's area coloured by risk colour (四色)
or a chosen metric, with a tooltip of their figures; a click drills down; a table of the
same units beneath."""

import streamlit as st

from data_access import grid
from presentation import formatting as fmt
from ui.components import Kpi, display_frame, kpi_row, name_column, page_header, table_block
from ui.data import load
from ui.i18n import t
from ui.map_layers import METRICS
from ui.map_view import LAYER_ID, grid_deck, label_units, legend_html
from ui.page_setup import page_context
from ui.sidebar import set_filter

state, scope = page_context()
lang = state.lang
names = name_column(lang)
day = scope.end
page_header("grid.title", fmt.day(day, lang))

units = load(grid.grid_units_for_map, scope)

metric = st.segmented_control(
    t("grid.colour_by"),
    options=list(METRICS),
    default="risk_colour",
    format_func=lambda m: t(f"grid.metric.{m}"),
    key="grid_metric",
)
metric = metric or "risk_colour"

if units.empty:
    st.info(t("common.empty"), icon=":material/info:")
    st.stop()

units = label_units(units, lang)
kpi_row(
    [
        Kpi(t("grid.kpi.units"), fmt.count(units[["units_green", "units_yellow", "units_orange", "units_red"]].sum().sum(), lang)),
        Kpi(t("grid.kpi.red"), fmt.count(units["units_red"].sum(), lang)),
        Kpi(t("grid.kpi.orange"), fmt.count(units["units_orange"].sum(), lang)),
        Kpi(t("grid.kpi.home_observation"), fmt.count(units["home_observation"].sum(), lang, compact=True)),
        Kpi(t("grid.kpi.visited"), fmt.count(units["households_visited"].sum(), lang, compact=True)),
    ],
    per_row=5,
)

deck, legend = grid_deck(units, metric, lang)


def _drill_into_clicked_unit() -> None:
    selection = st.session_state.get("grid_map_chart")
    objects = (selection or {}).get("selection", {}).get("objects", {}).get(LAYER_ID, [])
    if objects and objects[0].get("code") and objects[0]["code"] != state.area_code:
        set_filter(area_code=objects[0]["code"])


map_column, legend_column = st.columns([5, 1])
with map_column:
    st.pydeck_chart(deck, height=560, on_select=_drill_into_clicked_unit, selection_mode="single-object", key="grid_map_chart")
with legend_column:
    st.markdown(f"**{t('grid.legend')}**  \n{t(f'grid.metric.{metric}')}")
    st.markdown(
        legend_html(legend),
        unsafe_allow_html=True,
    )
level = units["level"].iloc[0]
st.caption(t("grid.level_note", level=t(f"filter.level.{level}"), n=len(units), day=fmt.day(day, lang)))


def _go_to() -> None:
    code = st.session_state.get("grid_go_to")
    if code:
        set_filter(area_code=code)
    st.session_state["grid_go_to"] = None


if level != "grid" or len(units) > 1:
    st.selectbox(
        t("grid.go_to"),
        options=units["code"].tolist(),
        index=None,
        format_func=lambda code: f"{units.set_index('code').at[code, 'name']} · {code}",
        placeholder=t("grid.go_to_placeholder"),
        key="grid_go_to",
        on_change=_go_to,
        width=420,
    )

table = units.assign(visited_pct_value=(units["visited_pct"] * 100).round(1), workers_per_1000=units["workers_per_1000_households"].round(1))
table_block(
    t("grid.table", day=fmt.day(day, lang)),
    display_frame(
        table,
        {
            "code": t("common.code"),
            "name": t("common.name"),
            "risk_label": t("grid.col.risk"),
            "units_red": t("grid.col.units_red"),
            "units_orange": t("grid.col.units_orange"),
            "units_yellow": t("grid.col.units_yellow"),
            "units_green": t("grid.col.units_green"),
            "residents": t("common.residents"),
            "households": t("common.households"),
            "households_visited": t("grid.col.visited"),
            "visited_pct_value": f"{t('grid.col.visited_pct')} (%)",
            "people_screened": t("grid.col.screened"),
            "home_observation": t("grid.col.home_observation"),
            "key_persons": t("grid.col.key_persons"),
            "workers_on_duty": t("grid.col.workers"),
            "workers_per_1000": t("grid.col.workers_per_1000"),
        },
    ),
    key="grid_units",
)
