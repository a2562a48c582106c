"""Checkpoint throughput 道口通行: cards, daily trends, hourly profile, the checkpoints
against staffed capacity (top and bottom highlighted) and throughput by area."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.metrics import per_100k
from presentation import charts, palette
from presentation import formatting as fmt
from presentation.catalogue import name
from presentation.kpis import Kpi, card, period_cards
from presentation.series import period_sums, top_and_bottom
from presentation.tables import PERCENT_BAR, WHOLE, ColumnFormat, display_frame, formats_for, name_column
from presentation.text import text
from presentation.trends import series_names, trend_chart

CARDS = {
    "vehicles": "checkpoints.vehicles",
    "people": "checkpoints.people",
    "fever": "checkpoints.fever",
    "code_red": "checkpoints.code_red",
    "turned_back": "checkpoints.turned_back",
}
TRAFFIC = {"vehicles": "checkpoints.vehicles", "people": "checkpoints.people"}
FEVER = {"fever": "checkpoints.fever", "turned_back": "checkpoints.turned_back"}


def cards(daily: pd.DataFrame, start: dt.date, end: dt.date, lang: str) -> list[Kpi]:
    """Sums over the range with their change, then rates and counts without a sparkline."""
    result = period_cards(daily, CARDS, start, end, lang)
    sums = period_sums(daily, ["fever", "people", "code_yellow", "risk_area_arrivals", "to_fever_clinic"], start, end)

    def total(column):
        return fmt.count(sums[column] if sums is not None else None, lang, compact=True)

    return result + [
        card("checkpoints.fever_per_100k", per_100k(sums["fever"], sums["people"]) if sums is not None else None, lang),
        card("checkpoints.code_yellow", total("code_yellow"), lang),
        card("checkpoints.risk_area_arrivals", total("risk_area_arrivals"), lang),
        card("checkpoints.to_fever_clinic", total("to_fever_clinic"), lang),
    ]


def traffic_trend(daily, start, end, lang):
    return trend_chart(daily, start, end, TRAFFIC, lang)


def fever_trend(daily, start, end, lang):
    return trend_chart(daily, start, end, FEVER, lang, secondary=["fever"], colors=[palette.RED, palette.ORANGE])


def hourly_profile(hourly: pd.DataFrame, lang: str):
    """Mean vehicles and people per hour of the day."""
    if hourly.empty:
        return None, hourly
    columns = {"vehicles_per_day": "checkpoints.vehicles", "people_per_day": "checkpoints.people"}
    chart = charts.line_chart(hourly, "hour", series_names(columns, lang), lang)
    table = display_frame(hourly.round({"vehicles_per_day": 0, "people_per_day": 0}), {"hour": "common.hour", **columns}, lang)
    return chart, table


TABLE_COLUMNS = {
    "name": "cp.col.checkpoint",
    "rank": "cp.col.rank",  # next to the name: the ▲/▼ rows are found where a row is read
    "kind_label": "cp.col.kind",
    "lanes": "checkpoints.lanes",
    "vehicles": "checkpoints.vehicles",
    "people": "checkpoints.people",
    "fever": "checkpoints.fever",
    "fever_per_100k": "checkpoints.fever_per_100k",
    "turned_back": "checkpoints.turned_back",
    "staffed_hours": "checkpoints.staffed_hours",
    "people_per_lane_hour": "checkpoints.people_per_lane_hour",
    "staffed_capacity": "checkpoints.staffed_capacity",
    "utilisation_pct": "checkpoints.utilisation",
}


def checkpoint_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each checkpoint against its staffed capacity, the three highest and the three lowest
    uses of capacity ranked ▲/▼."""
    if table.empty:
        return display_frame(table, TABLE_COLUMNS, lang)
    top, bottom = top_and_bottom(table, "utilisation", n=3)
    shown = table.assign(
        rank=[
            text("cp.rank.top", lang) if i in top else text("cp.rank.bottom", lang) if i in bottom else "" for i in table.index
        ],
        kind_label=table["kind"].map(lambda k: text(f"cp.kind.{k}", lang)),
        utilisation_pct=table["utilisation"] * 100,
        name=table[name_column(lang)],
    )
    return display_frame(shown, TABLE_COLUMNS, lang)


def by_area(frame: pd.DataFrame, lang: str):
    """Throughput per area below the filter's, busiest first."""
    columns = {
        "name": "common.area",
        "checkpoints": "checkpoints.checkpoints",
        "vehicles": "checkpoints.vehicles",
        "people": "checkpoints.people",
        "fever": "checkpoints.fever",
        "fever_per_100k": "checkpoints.fever_per_100k",
        "turned_back": "checkpoints.turned_back",
    }
    if frame.empty:
        return None, display_frame(frame, columns, lang)
    frame = frame.assign(name=frame[name_column(lang)], fever_per_100k=per_100k(frame["fever"], frame["people"]).round(2))
    table = display_frame(frame, columns, lang)
    area, people = text("common.area", lang), name("checkpoints.people", lang)
    return charts.bar_chart(table, area, people).properties(height=max(160, 28 * len(table))), table


def table_formats(lang: str) -> dict[str, ColumnFormat]:
    return formats_for(
        {
            "checkpoints.utilisation": PERCENT_BAR,
            "checkpoints.fever_per_100k": ColumnFormat(format="%.2f"),
            "checkpoints.people_per_lane_hour": ColumnFormat(format="%.0f"),
            "checkpoints.vehicles": WHOLE,
            "checkpoints.people": WHOLE,
            "checkpoints.staffed_capacity": WHOLE,
        },
        lang,
    )
