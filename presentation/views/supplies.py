"""Supplies against daily capacity 物资保障: the area's cards (items under the alert line,
the lowest days of cover of the area and of any one district), the per-item table, days
of cover per district, and one item's stock, flows and days of cover over time.

Two figures are kept apart on purpose (issue 9): days of cover of this area pools its
districts' stock and use, while a district's own days of cover (what supply alerts
watch) can be much lower; each has its own name in the metric catalogue.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from presentation import charts, palette
from presentation import formatting as fmt
from presentation.catalogue import name
from presentation.kpis import Kpi, card, with_flags
from presentation.series import days_of_cover_series
from presentation.tables import WHOLE, ColumnFormat, display_frame, formats_for, name_column
from presentation.text import join, text
from presentation.trends import load_window, trend, trend_table

STATUS_COLUMNS = {
    "item": "sup.item",
    "flag": "sup.flag",  # next to the item: a row that needs attention says so where it is read
    "unit": "sup.unit",
    "stock": "supplies.stock",
    "avg_daily_consumption": "supplies.daily_consumption",
    "days_of_cover": "supplies.days_of_cover",
    "production_capacity": "supplies.production_capacity",
    "capacity_gap": "supplies.capacity_gap",
    "inbound_procured": "supplies.inbound_procured",
    "inbound_allocated": "supplies.inbound_allocated",
    "inbound_donated": "supplies.inbound_donated",
    "outbound_frontline": "supplies.outbound_frontline",
}
DISTRICT_COLUMNS = {
    "district": "sup.district",
    "item": "sup.item",
    "stock": "supplies.stock",
    "avg_daily_consumption": "supplies.daily_consumption",
    "days_of_cover": "supplies.district_cover",
    "flag": "sup.flag",
}
INBOUND = {
    "inbound_procured": "supplies.inbound_procured",
    "inbound_allocated": "supplies.inbound_allocated",
    "inbound_donated": "supplies.inbound_donated",
}
INBOUND_COLOURS = [palette.BLUE, palette.ORANGE, palette.GREEN]
CONSUMPTION_DAYS = 7  # days of cover on a day reads the week up to it


def _unit_column(lang: str) -> str:
    return name_column(lang).replace("name_", "unit_")


def _rated(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.dropna(subset=["days_of_cover"]) if frame is not None and not frame.empty else pd.DataFrame()


def below_line(status: pd.DataFrame, line: float) -> pd.Series:
    """Items whose days of cover are under the alert line (unknown cover is not under it)."""
    return status["days_of_cover"].lt(line).fillna(False)


def widened_to(status: pd.DataFrame, area_code: str) -> str | None:
    """The district the figures were read for, when the filter's area lies below one."""
    if status.empty or status["area_code"].iloc[0] == area_code:
        return None
    return status["area_code"].iloc[0]


# ---- cards
def items_below_line_card(status: pd.DataFrame, line: float, lang: str) -> Kpi:
    if status.empty:
        return card("supplies.items_below_line", None, lang)
    value = f"{fmt.count(int(below_line(status, line).sum()), lang)} / {fmt.count(len(status), lang)}"
    return card("supplies.items_below_line", value, lang)


def lowest_area_card(status: pd.DataFrame, lang: str) -> Kpi:
    """The item with the fewest days of cover in the area (its districts pooled), named under the figure."""
    rated = _rated(status)
    if rated.empty:
        return card("supplies.lowest_area_cover", None, lang)
    lowest = rated.loc[rated["days_of_cover"].idxmin()]
    return card("supplies.lowest_area_cover", lowest["days_of_cover"], lang, delta=lowest[name_column(lang)], neutral_delta=True)


def lowest_district_card(by_district: pd.DataFrame, items: pd.DataFrame, lang: str) -> Kpi:
    """The fewest days of cover of any item in any one district, the item and the district
    named under the figure. ``by_district``: ``supplies.days_of_cover_by_district(scope)``
    (district code and names, item code, days of cover); ``items``: ``supplies.supply_items()``
    (code, name_zh, name_en)."""
    rated = _rated(by_district)
    if rated.empty:
        return card("supplies.lowest_district_cover", None, lang)
    lowest = rated.loc[rated["days_of_cover"].idxmin()]
    names = items.set_index("code")[name_column(lang)] if items is not None and not items.empty else pd.Series(dtype=object)
    item = names.get(lowest["item_code"], lowest["item_code"])
    district = lowest.get(f"district_{name_column(lang)}", lowest["district_code"])
    return card("supplies.lowest_district_cover", lowest["days_of_cover"], lang, delta=f"{item} · {district}", neutral_delta=True)


def several_districts(by_district: pd.DataFrame) -> bool:
    return by_district is not None and not by_district.empty and by_district["district_code"].nunique() > 1


def cards(
    status: pd.DataFrame, by_district: pd.DataFrame, items: pd.DataFrame, line: float, lang: str, stock_flag: str | None = None
) -> list[Kpi]:
    """Items under the line, the area's lowest days of cover and, when the area holds
    several districts, the lowest district days of cover. ``stock_flag``: a data check on
    the stock, which every one of these figures is read from."""
    result = [items_below_line_card(status, line, lang), lowest_area_card(status, lang)]
    if several_districts(by_district):
        result.append(lowest_district_card(by_district, items, lang))
    return with_flags(result, {c.metric: stock_flag for c in result}) if stock_flag else result


def line_note(status: pd.DataFrame, line: float, lang: str) -> tuple[bool, str] | None:
    """(any item under the line, the sentence saying which or that none is); None without data."""
    if status.empty:
        return None
    under = status[below_line(status, line)]
    if under.empty:
        return False, text("sup.none_flagged", lang, d=fmt.setting(line, lang))
    return True, text("sup.flagged", lang, n=len(under), d=fmt.setting(line, lang), items=join(under[name_column(lang)], lang))


# ---- tables
def status_table(status: pd.DataFrame, line: float, lang: str) -> pd.DataFrame:
    """Each item as of the range's last day, flagged under the line."""
    if status.empty:
        return display_frame(status, STATUS_COLUMNS, lang)
    under = below_line(status, line)
    shown = status.round({"avg_daily_consumption": 0, "days_of_cover": 1, "capacity_gap": 0}).assign(
        item=status[name_column(lang)],
        unit=status[_unit_column(lang)],
        flag=under.map({True: text("sup.flag_low", lang, n=fmt.setting(line, lang)), False: ""}),
    )
    return display_frame(shown, STATUS_COLUMNS, lang)


def district_table(by_district: pd.DataFrame, items: pd.DataFrame, line: float, lang: str) -> pd.DataFrame:
    """Each district's own days of cover per item, lowest first (what supply alerts read),
    flagged under the line."""
    if by_district is None or by_district.empty:
        return display_frame(pd.DataFrame(), DISTRICT_COLUMNS, lang)
    names = items.set_index("code")[name_column(lang)] if items is not None and not items.empty else pd.Series(dtype=object)
    ordered = by_district.sort_values(["days_of_cover", "district_code", "item_code"], na_position="last").reset_index(drop=True)
    under = below_line(ordered, line)
    shown = ordered.round({"avg_daily_consumption": 0, "days_of_cover": 1}).assign(
        district=ordered[f"district_{name_column(lang)}"],
        item=ordered["item_code"].map(lambda code: names.get(code, code)),
        flag=under.map({True: text("sup.flag_low", lang, n=fmt.setting(line, lang)), False: ""}),
    )
    return display_frame(shown, DISTRICT_COLUMNS, lang)


def table_formats(lang: str) -> dict[str, ColumnFormat]:
    one_decimal = ColumnFormat(format="%.1f")
    return formats_for(
        {
            "supplies.stock": WHOLE,
            "supplies.daily_consumption": WHOLE,
            "supplies.days_of_cover": one_decimal,
            "supplies.district_cover": one_decimal,
            "supplies.production_capacity": WHOLE,
            "supplies.capacity_gap": WHOLE,
            "supplies.inbound_procured": WHOLE,
            "supplies.inbound_allocated": WHOLE,
            "supplies.inbound_donated": WHOLE,
            "supplies.outbound_frontline": WHOLE,
        },
        lang,
    )


# ---- one item over time
def item_choice(status: pd.DataFrame, lang: str) -> tuple[list[str], int, dict[str, str]]:
    """The items to pick from, the position of the one with the fewest days of cover (the
    default pick) and each item's name."""
    codes = status["item_code"].tolist()
    lowest = int(status["days_of_cover"].fillna(float("inf")).to_numpy().argmin())
    return codes, lowest, dict(zip(codes, status[name_column(lang)], strict=True))


def item_days(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """Days to load for one item's charts: what the trend draws (a short range with its
    context) and the week before its first day, so its first day's cover has its week."""
    first, last = load_window(start, end)
    return first - dt.timedelta(days=CONSUMPTION_DAYS - 1), last


def with_days_of_cover(daily: pd.DataFrame) -> pd.DataFrame:
    """One item's days with its days of cover on each (the week up to the day)."""
    if daily is None or daily.empty:
        return pd.DataFrame()
    return daily.assign(days_of_cover=days_of_cover_series(daily).round(1).to_numpy())


def _drawn(daily: pd.DataFrame, start: dt.date, end: dt.date):
    rows, selected = trend(with_days_of_cover(daily), start, end)
    return (rows if rows is not None else pd.DataFrame()), selected


def stock_chart(daily: pd.DataFrame, start: dt.date, end: dt.date, lang: str):
    """Stock over the days (left axis) with daily use and local capacity (right axis), one
    chart that stretches to its column on any screen (short ranges with context)."""
    rows, selected = _drawn(daily, start, end)
    if rows.empty:
        return None, pd.DataFrame()
    stock = charts.area_over_days(
        rows, "closing_stock", name("supplies.stock", lang), lang, color=palette.BLUE, selected=selected
    )
    flows = charts.line_chart(
        rows,
        "day",
        {
            "outbound_frontline": name("supplies.outbound_frontline", lang),
            "production_capacity": name("supplies.production_capacity", lang),
        },
        lang,
        colors=[palette.RED, palette.GREEN],
        selected=selected,
    )
    chart = alt.layer(stock, flows).resolve_scale(y="independent", color="independent").properties(height=320)
    columns = {
        "closing_stock": "supplies.stock",
        "outbound_frontline": "supplies.outbound_frontline",
        "production_capacity": "supplies.production_capacity",
        "days_of_cover": "supplies.days_of_cover",
    }
    return chart, trend_table(rows, columns, selected, lang)


def inbound_chart(daily: pd.DataFrame, start: dt.date, end: dt.date, lang: str):
    """Inbound per day stacked by source."""
    rows, selected = _drawn(daily, start, end)
    if rows.empty:
        return None, pd.DataFrame()
    order = [name(key, lang) for key in INBOUND.values()]
    long = rows.melt("day", list(INBOUND), var_name="part", value_name="value")
    long["part"] = long["part"].map({column: name(key, lang) for column, key in INBOUND.items()})
    chart = charts.stacked_day_bars(long, lang, order, INBOUND_COLOURS, selected=selected)
    return chart, trend_table(rows, {**INBOUND, "outbound_frontline": "supplies.outbound_frontline"}, selected, lang)


def cover_chart(daily: pd.DataFrame, start: dt.date, end: dt.date, line: float, lang: str):
    """Days of cover per day against the alert line."""
    rows, selected = _drawn(daily, start, end)
    if rows.empty:
        return None, pd.DataFrame()
    columns = {"days_of_cover": "supplies.days_of_cover"}
    chart = charts.line_chart(
        rows,
        "day",
        {"days_of_cover": name("supplies.days_of_cover", lang)},
        lang,
        colors=[palette.PURPLE],
        y_format=".0f",
        selected=selected,
    )
    return alt.layer(chart, charts.reference_line(line, color=palette.RED)), trend_table(rows, columns, selected, lang)
