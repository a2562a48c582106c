"""Checkpoint throughput 道口通行: KPIs, daily trend, hourly profile, checkpoints against
staffed capacity (top and bottom highlighted), and throughput by area."""

import pandas as pd
import streamlit as st

from data_access import checkpoints
from data_access.metrics import per_100k
from ui import format as fmt
from ui.checks_view import flag_rows, load_checks
from ui.components import (
    PALETTE,
    Kpi,
    bar_chart,
    chart_block,
    display_frame,
    kpi_row,
    line_chart,
    name_column,
    page_header,
    period_kpis,
    side_by_side,
    table_block,
)
from ui.data import load, load_with_comparison
from ui.i18n import t
from ui.page_setup import page_context
from ui.series import period_sums, top_and_bottom

state, scope = page_context()
lang = state.lang
names = name_column(lang)
page_header("cp.title")

daily_wide, daily = load_with_comparison(checkpoints.checkpoint_daily_totals, scope)

# ---- KPI row
measures = [
    ("vehicles", t("cp.vehicles"), False),
    ("people", t("cp.people"), False),
    ("fever", t("cp.fever"), True),
    ("code_red", t("cp.code_red"), True),
    ("turned_back", t("cp.turned_back"), True),
]
cards = period_kpis(daily_wide, measures, scope.start, scope.end)
sums = period_sums(daily_wide, ["fever", "people", "code_yellow", "risk_area_arrivals", "to_fever_clinic"], scope.start, scope.end)
cards += [
    Kpi(t("cp.fever_per_100k"), fmt.decimal(per_100k(sums["fever"], sums["people"]), 2) if sums is not None else "—"),
    Kpi(t("cp.code_yellow"), fmt.count(sums["code_yellow"] if sums is not None else None, lang, compact=True)),
    Kpi(t("cp.risk_area_arrivals"), fmt.count(sums["risk_area_arrivals"] if sums is not None else None, lang, compact=True)),
    Kpi(t("cp.to_fever_clinic"), fmt.count(sums["to_fever_clinic"] if sums is not None else None, lang, compact=True)),
]
kpi_row(cards, per_row=5)

# ---- daily trends
with side_by_side("checkpoints_trends"):
    traffic = flag_rows(
        display_frame(daily, {"day": t("common.day"), "vehicles": t("cp.vehicles"), "people": t("cp.people")}),
        load_checks(scope), "checkpoints", lang, t("common.day"),
    )
    chart_block(
        t("cp.trend_traffic"),
        line_chart(daily, "day", {"vehicles": t("cp.vehicles"), "people": t("cp.people")}) if not daily.empty else None,
        traffic,
        key="checkpoints_daily_traffic",
    )
    alerts = display_frame(daily, {"day": t("common.day"), "fever": t("cp.fever"), "turned_back": t("cp.turned_back")})
    chart_block(
        t("cp.trend_alerts"),
        line_chart(daily, "day", {"fever": t("cp.fever"), "turned_back": t("cp.turned_back")}, colors=[PALETTE[1], PALETTE[3]], secondary=["fever"]) if not daily.empty else None,
        alerts,
        key="checkpoints_daily_fever",
    )

# ---- hourly profile
hourly = load(checkpoints.checkpoint_hourly_profile, scope)
hourly_view = display_frame(
    hourly.round({"vehicles_per_day": 0, "people_per_day": 0}) if not hourly.empty else hourly,
    {"hour": t("common.hour"), "vehicles_per_day": t("cp.vehicles"), "people_per_day": t("cp.people")},
)
chart_block(
    t("cp.hourly"),
    line_chart(hourly, "hour", {"vehicles_per_day": t("cp.vehicles"), "people_per_day": t("cp.people")}) if not hourly.empty else None,
    hourly_view,
    key="checkpoints_hourly",
    height=260,
)

# ---- checkpoints against staffed capacity
table = load(checkpoints.checkpoint_table, scope)
if not table.empty:
    top, bottom = top_and_bottom(table, "utilisation", n=3)
    table = table.assign(
        rank=[t("cp.rank.top") if i in top else t("cp.rank.bottom") if i in bottom else "" for i in table.index],
        kind_label=table["kind"].map(lambda k: t(f"cp.kind.{k}")),
        utilisation_pct=table["utilisation"] * 100,
        name=table[names],
    )
columns = {
    "name": t("cp.col.checkpoint"),
    "kind_label": t("cp.col.kind"),
    "lanes": t("cp.col.lanes"),
    "vehicles": t("cp.vehicles"),
    "people": t("cp.people"),
    "fever": t("cp.fever"),
    "fever_per_100k": t("cp.fever_per_100k"),
    "turned_back": t("cp.turned_back"),
    "staffed_hours": t("cp.col.staffed_hours"),
    "people_per_lane_hour": t("cp.col.per_lane_hour"),
    "staffed_capacity": t("cp.col.capacity"),
    "utilisation_pct": t("cp.col.utilisation"),
    "rank": t("cp.col.rank"),
}
shown = display_frame(table, columns)
styled = shown
if not shown.empty:
    def _highlight(row: pd.Series) -> list[str]:
        marker = row[t("cp.col.rank")]
        colour = "background-color: rgba(214,39,40,0.16)" if marker == t("cp.rank.top") else "background-color: rgba(31,119,180,0.16)" if marker == t("cp.rank.bottom") else ""
        return [colour] * len(row)

    styled = shown.style.apply(_highlight, axis=1)
table_block(
    t("cp.table"),
    shown,
    key="checkpoints_table",
    styled=styled,
    column_config={
        t("cp.col.utilisation"): st.column_config.ProgressColumn(t("cp.col.utilisation"), format="%.1f%%", min_value=0, max_value=100),
        t("cp.fever_per_100k"): st.column_config.NumberColumn(format="%.2f"),
        t("cp.col.per_lane_hour"): st.column_config.NumberColumn(format="%.0f"),
        t("cp.vehicles"): st.column_config.NumberColumn(format="localized"),
        t("cp.people"): st.column_config.NumberColumn(format="localized"),
        t("cp.col.capacity"): st.column_config.NumberColumn(format="localized"),
    },
)
st.caption(t("cp.table_note"))

# ---- by area
by_area = load(checkpoints.checkpoint_by_area, scope)
if not by_area.empty:
    by_area = by_area.assign(name=by_area[names], fever_per_100k=per_100k(by_area["fever"], by_area["people"]).round(2))
area_view = display_frame(
    by_area,
    {"name": t("common.area"), "checkpoints": t("cp.col.checkpoints"), "vehicles": t("cp.vehicles"), "people": t("cp.people"), "fever": t("cp.fever"), "fever_per_100k": t("cp.fever_per_100k"), "turned_back": t("cp.turned_back")},
)
chart_block(
    t("cp.by_area"),
    bar_chart(area_view, t("common.area"), t("cp.people"), horizontal=True) if not area_view.empty else None,
    area_view,
    key="checkpoints_by_area",
    height=max(160, 28 * len(area_view)),
)
