"""Supplies against daily capacity 物资保障: per item stock, daily use, days of cover, local
capacity and gap, inbound by source; one item's stock against capacity over time."""

import altair as alt
import pandas as pd
import streamlit as st

from data_access import supplies
from ui import format as fmt
from ui.components import (
    PALETTE,
    Kpi,
    chart_block,
    display_frame,
    kpi_row,
    line_chart,
    name_column,
    page_header,
    side_by_side,
    table_block,
)
from ui.data import load
from ui.i18n import t
from ui.page_setup import page_context
from ui.series import days_of_cover_series
from ui.settings import get_settings
from ui.sidebar import area_name

state, scope = page_context()
lang = state.lang
names = name_column(lang)
unit_column = "unit_zh" if lang == "zh" else "unit_en"
page_header("sup.title")

status = load(supplies.supply_status, scope)
if not status.empty and status["area_code"].iloc[0] != state.area_code:
    st.info(t("common.widened", domain=t("domain.supplies"), name=area_name(status["area_code"].iloc[0], lang)), icon=":material/info:")

threshold = st.number_input(
    t("sup.threshold"), min_value=1.0, max_value=90.0, value=float(get_settings().days_of_cover_threshold), step=1.0, format="%.0f", key="supplies_threshold", width=260
)

# ---- KPI row and flags
if not status.empty:
    status = status.assign(
        item=status[names],
        unit=status[unit_column],
        flagged=status["days_of_cover"] < threshold,
    )
    flagged = status[status["flagged"]]
    lowest = status.loc[status["days_of_cover"].idxmin()] if status["days_of_cover"].notna().any() else None
    kpi_row(
        [
            Kpi(t("sup.items_flagged_kpi"), f"{len(flagged)} / {len(status)}"),
            Kpi(
                t("sup.lowest_kpi"),
                f"{fmt.decimal(lowest['days_of_cover'])} {t('unit.days')}" if lowest is not None else "—",
                delta=lowest["item"] if lowest is not None else None,
                delta_is_neutral=True,
                delta_note="",
            ),
        ],
        per_row=4,
    )
    if len(flagged):
        items = "、".join(flagged["item"]) if lang == "zh" else ", ".join(flagged["item"])
        st.warning(t("sup.flagged", n=len(flagged), d=f"{threshold:g}", items=items), icon=":material/warning:")
    else:
        st.success(t("sup.none_flagged", d=f"{threshold:g}"), icon=":material/check_circle:")
    status = status.assign(flag=status["flagged"].map(lambda f: t("sup.flag_low", n=f"{threshold:g}") if f else ""))

columns = {
    "item": t("sup.item"),
    "unit": t("sup.unit"),
    "stock": t("sup.stock"),
    "avg_daily_consumption": t("sup.consumption"),
    "days_of_cover": t("sup.days_of_cover"),
    "production_capacity": t("sup.capacity"),
    "capacity_gap": t("sup.gap"),
    "inbound_procured": t("sup.procured"),
    "inbound_allocated": t("sup.allocated"),
    "inbound_donated": t("sup.donated"),
    "outbound_frontline": t("sup.outbound"),
    "flag": t("sup.flag"),
}
shown = display_frame(status.round({"avg_daily_consumption": 0, "days_of_cover": 1, "capacity_gap": 0}) if not status.empty else status, columns)
styled = None
if not shown.empty:
    styled = shown.style.apply(
        lambda row: ["background-color: rgba(214,39,40,0.16)" if row[t("sup.flag")] else ""] * len(row), axis=1
    ).format(precision=0, thousands=",", subset=[c for c in shown.columns if c not in (t("sup.item"), t("sup.unit"), t("sup.flag"), t("sup.days_of_cover"))]).format(
        precision=1, subset=[t("sup.days_of_cover")]
    )
table_block(
    t("sup.status", day=fmt.day(scope.end, lang)),
    shown,
    key="supplies_status",
    styled=styled,
)
st.caption(t("sup.gap_note"))

# ---- one item over time
if not status.empty:
    item_code = st.selectbox(
        t("sup.choose_item"),
        options=status["item_code"].tolist(),
        index=int(status["days_of_cover"].fillna(1e9).to_numpy().argmin()),
        format_func=lambda code: status.set_index("item_code").at[code, "item"],
        key="supplies_item",
        width=320,
    )
    item_name = status.set_index("item_code").at[item_code, "item"]
    daily = load(supplies.supply_item_daily, scope, item_code)
    if not daily.empty:
        daily = daily.assign(days_of_cover=days_of_cover_series(daily).round(1).to_numpy())
    stock_view = display_frame(
        daily,
        {"day": t("common.day"), "closing_stock": t("sup.stock"), "outbound_frontline": t("sup.outbound"), "production_capacity": t("sup.capacity"), "days_of_cover": t("sup.days_of_cover")},
    )
    chart = None
    if not daily.empty:
        x = alt.X("day:T", title=None, axis=alt.Axis(format="%m-%d", labelOverlap=True))
        stock_area = alt.Chart(daily).mark_area(color=PALETTE[0], opacity=0.35, line=True).encode(
            x=x, y=alt.Y("closing_stock:Q", title=t("sup.stock"), axis=alt.Axis(format="~s")),
            tooltip=[alt.Tooltip("day:T", title=t("common.day")), alt.Tooltip("closing_stock:Q", title=t("sup.stock"), format=",")],
        ).properties(height=170)
        flows = line_chart(
            daily, "day", {"outbound_frontline": t("sup.outbound"), "production_capacity": t("sup.capacity")}, colors=[PALETTE[1], PALETTE[2]]
        ).properties(height=170)
        chart = alt.vconcat(stock_area, flows).resolve_scale(color="independent")
    chart_block(t("sup.stock_chart", item=item_name), chart, stock_view, key="supplies_item_stock")

    with side_by_side("supplies_flows"):
        inbound = daily.melt("day", ["inbound_procured", "inbound_allocated", "inbound_donated"], var_name="source", value_name="quantity") if not daily.empty else pd.DataFrame()
        if not inbound.empty:
            inbound["source"] = inbound["source"].map({"inbound_procured": t("sup.procured"), "inbound_allocated": t("sup.allocated"), "inbound_donated": t("sup.donated")})
        chart_block(
            t("sup.flow_chart", item=item_name),
            alt.Chart(inbound).mark_bar().encode(
                x=alt.X("day:T", title=None, axis=alt.Axis(format="%m-%d")),
                y=alt.Y("quantity:Q", title=None, axis=alt.Axis(format="~s"), stack=True),
                color=alt.Color(
                    "source:N",
                    legend=alt.Legend(title=None, orient="top"),
                    scale=alt.Scale(domain=[t("sup.procured"), t("sup.allocated"), t("sup.donated")], range=[PALETTE[0], PALETTE[3], PALETTE[2]]),
                ),
                tooltip=[alt.Tooltip("day:T", title=t("common.day")), alt.Tooltip("source:N"), alt.Tooltip("quantity:Q", format=",")],
            ) if not inbound.empty else None,
            display_frame(daily, {"day": t("common.day"), "inbound_procured": t("sup.procured"), "inbound_allocated": t("sup.allocated"), "inbound_donated": t("sup.donated"), "outbound_frontline": t("sup.outbound")}),
            key="supplies_item_inbound",
            height=240,
        )
        cover = daily if not daily.empty else pd.DataFrame()
        rule = alt.Chart(pd.DataFrame({"y": [threshold]})).mark_rule(color=PALETTE[1], strokeDash=[6, 4]).encode(y="y:Q")
        chart_block(
            t("sup.cover_chart", item=item_name),
            (line_chart(cover, "day", {"days_of_cover": t("sup.days_of_cover")}, colors=[PALETTE[4]], y_format=".0f") + rule) if not cover.empty else None,
            display_frame(cover, {"day": t("common.day"), "days_of_cover": t("sup.days_of_cover")}),
            key="supplies_item_cover",
            height=240,
        )
