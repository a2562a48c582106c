"""Isolation and observation 隔离管控: cards, people under management per day by measure and
by category, every category × measure, the isolation sites' occupancy and flows, each site
against its rooms (occupancy, days until full, the single-room rule) and people by area."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import altair as alt
import pandas as pd

from data_access.isolation import site_summary
from data_access.metrics import ratio
from data_access.schema import ISOLATION_CATEGORIES, ISOLATION_MEASURES
from presentation import charts, palette
from presentation import formatting as fmt
from presentation.catalogue import name
from presentation.kpis import Kpi, card, period_cards
from presentation.series import day_figure
from presentation.tables import PERCENT_BAR, WHOLE, ColumnFormat, display_frame, formats_for, mark_selected, name_column
from presentation.text import text
from presentation.trends import series_names, trend, trend_chart, trend_table
from presentation.views.overview import day_card

FLOWS = {"new_in": "isolation.new_in", "released": "isolation.released"}
HELD_BY_MEASURE = {f"held_{measure}": f"isolation.held_{measure}" for measure in ISOLATION_MEASURES}
MEASURE_COLOURS = [palette.RED, palette.ORANGE, palette.BLUE]  # centralised, home isolation, home monitoring
CATEGORY_COLOURS = [palette.RED, palette.ORANGE, palette.PURPLE, palette.BROWN, palette.GREEN, palette.GREY]
# What the chart by category can show per day (the table holds all of them).
CATEGORY_FIGURES = {
    "held": "isolation.held",
    "new_in": "isolation.new_in",
    "released": "isolation.released",
    "overdue": "isolation.overdue",
}
SITE_FLOWS = {
    "site_arrivals": "isolation.site_arrivals",
    "site_departures": "isolation.site_departures",
    "cases_found": "isolation.cases_found",
}


def category_name(category: str, lang: str) -> str:
    return text(f"isolation.category.{category}", lang)


def measure_name(measure: str, lang: str) -> str:
    return text(f"isolation.measure.{measure}", lang)


# ------------------------------------------------------------------ cards
def cards(
    people: pd.DataFrame, site_days: pd.DataFrame, sites: pd.DataFrame, start: dt.date, end: dt.date, lang: str
) -> list[Kpi]:
    """People held and overdue at the end of the range's last day (change against the day
    before), taken in, released and cases found over the range (change against the period
    before); the sites in service, their occupancy, free rooms, days until full at the last
    7 days' net intake and the sites breaking the single-room rule on the last day."""
    summary = site_summary(sites) if sites is not None and not sites.empty else None
    site_days = with_free_rooms(site_days)
    return [
        day_card("isolation.held", people, "held", end, lang),
        *period_cards(people, FLOWS, start, end, lang),
        day_card("isolation.overdue", people, "overdue", end, lang),
        *period_cards(site_days, {"cases_found": "isolation.cases_found"}, start, end, lang),
        card("isolation.sites", summary["sites"] if summary else None, lang),
        occupancy_card(site_days, end, lang),
        day_card("isolation.free_rooms", site_days, "free_rooms", end, lang),
        days_until_full_card(summary, lang),
        day_card("isolation.single_room_breaches", site_days, "single_room_breaches", end, lang),
    ]


def with_free_rooms(site_days: pd.DataFrame) -> pd.DataFrame:
    """The sites' days with their free rooms (rooms of the sites reporting − rooms occupied)."""
    if site_days is None or site_days.empty:
        return site_days
    return site_days.assign(free_rooms=site_days["rooms"] - site_days["rooms_occupied"])


def occupancy_card(site_days: pd.DataFrame, day: dt.date, lang: str) -> Kpi:
    """Rooms occupied ÷ rooms of the sites reporting on ``day``, its change in percentage
    points since the day before and its last 30 days (in per cent)."""
    figure = day_figure(site_days, "occupancy", day)
    return card(
        "isolation.occupancy",
        fmt.percent(figure.value, lang),
        lang,
        delta=fmt.signed_percent_points(figure.change, lang) if figure.change is not None else None,
        sparkline=[round(v * 100, 1) for v in figure.sparkline],
    )


def days_until_full_card(summary: dict | None, lang: str) -> Kpi:
    """Days until the sites' free rooms are taken at the last 7 days' net intake; "not
    filling" when more leave than arrive."""
    if summary is None or not summary["sites_reporting"]:
        return card("isolation.days_until_full", None, lang)
    days = summary["days_until_full"]
    if pd.isna(days):  # a word, not a number of days
        return replace(card("isolation.days_until_full", None, lang), value=text("isolation.not_filling", lang))
    return card("isolation.days_until_full", days, lang)


def widened_to(by_area: pd.DataFrame, below_street: bool) -> str | None:
    """The street whose figures a filter below a street shows (isolation is reported per
    street), else None."""
    if not below_street or by_area is None or by_area.empty:
        return None
    return by_area["area_code"].iloc[0]


# ------------------------------------------------------------------ people per day
def measure_trend(people: pd.DataFrame, start: dt.date, end: dt.date, lang: str):
    """People held at each day's end stacked by measure (a short range with the 30 days
    before it); overdue among them in the table."""
    rows, selected = trend(people, start, end)
    if rows is None or rows.empty:
        return None, pd.DataFrame()
    names = series_names(HELD_BY_MEASURE, lang)
    long = rows.melt("day", list(HELD_BY_MEASURE), var_name="part", value_name="value")
    long["part"] = long["part"].map(names)
    chart = charts.stacked_day_bars(
        long, lang, list(names.values()), MEASURE_COLOURS, selected=selected, value_title=name("isolation.held", lang)
    )
    columns = {**HELD_BY_MEASURE, "held": "isolation.held", "overdue": "isolation.overdue"}
    return whole_legend(chart), trend_table(rows, columns, selected, lang)


def whole_legend(chart, columns: int | None = None):
    """``chart`` with its legend's names never cut short, in rows of ``columns`` (six
    categories in one row run past a tablet's width)."""
    return chart.configure_legend(labelLimit=0, **({"columns": columns} if columns else {}))


def flow_trend(people: pd.DataFrame, start: dt.date, end: dt.date, lang: str):
    """People taken in and released per day."""
    chart, table = trend_chart(people, start, end, FLOWS, lang, colors=[palette.RED, palette.GREEN])
    return (whole_legend(chart) if chart is not None else None), table


CATEGORY_TABLE = {"day": "common.day", "category_name": "isolation.category", **CATEGORY_FIGURES}


def category_trend(by_category: pd.DataFrame, figure: str, start: dt.date, end: dt.date, lang: str):
    """``figure`` (held, new_in, released or overdue) per day stacked by category, and a
    table of every category's day with all four figures."""
    rows, selected = trend(by_category, start, end)
    if rows is None or rows.empty:
        return None, pd.DataFrame()
    names = {category: category_name(category, lang) for category in ISOLATION_CATEGORIES}
    rows = rows.assign(category_name=rows["category"].map(names))
    long = rows[["day", "category_name", figure]].rename(columns={"category_name": "category", figure: "value"})
    chart = charts.stacked_day_bars(
        long,
        lang,
        list(names.values()),
        CATEGORY_COLOURS,
        selected=selected,
        value_title=name(CATEGORY_FIGURES[figure], lang),
        part="category",
        part_title=text("isolation.category", lang),
    )
    table = mark_selected(display_frame(rows, CATEGORY_TABLE, lang), rows["day"], selected, lang)
    return whole_legend(chart, columns=3), table


CATEGORY_MEASURE_TABLE = {
    "category_name": "isolation.category",
    "measure_name": "common.measure",
    "new_in": "isolation.new_in",
    "released": "isolation.released",
    "held": "isolation.held",
    "overdue": "isolation.overdue",
}


def category_measure(by_category: pd.DataFrame, lang: str):
    """People held at the end of the range's last day per category, a bar per measure; the
    table: each category × measure under management in the range, with its in and out
    over the range and held and overdue at its end."""
    if by_category is None or by_category.empty:
        return None, pd.DataFrame()
    figures = list(CATEGORY_FIGURES)
    rows = by_category[by_category[figures].sum(axis=1) > 0]
    if rows.empty:
        return None, pd.DataFrame()
    rows = rows.assign(
        category_name=rows["category"].map(lambda c: category_name(c, lang)),
        measure_name=rows["measure"].map(lambda m: measure_name(m, lang)),
    )
    parts = series_names(HELD_BY_MEASURE, lang)
    held = by_category.assign(
        category_name=by_category["category"].map(lambda c: category_name(c, lang)),
        part=by_category["measure"].map(lambda m: parts[f"held_{m}"]),
    )
    held = held[held["category"].isin(rows["category"])].rename(columns={"held": "value"})
    chart = charts.grouped_count_bars(
        held[["category_name", "part", "value"]], "category_name", list(parts.values()), MEASURE_COLOURS,
        text("isolation.category", lang), lang,
    )  # fmt: skip
    return whole_legend(chart), display_frame(rows, CATEGORY_MEASURE_TABLE, lang)


def category_measure_height(table: pd.DataFrame, lang: str) -> int:
    """Three bars (one per measure) for each category shown."""
    categories = table[text("isolation.category", lang)].nunique() if table is not None and not table.empty else 0
    return max(200, 30 + 54 * categories)


# ------------------------------------------------------------------ sites per day
OCCUPANCY_TABLE = {
    "sites_reporting": "isolation.sites",
    "rooms": "isolation.rooms",
    "rooms_occupied": "isolation.rooms_occupied",
    "occupancy_pct": "isolation.occupancy",
    "site_people": "isolation.site_people",
    "single_room_breaches": "isolation.single_room_breaches",
}


def occupancy_trend(site_days: pd.DataFrame, start: dt.date, end: dt.date, line: float, lang: str):
    """Rooms occupied as a share of the rooms of the sites reporting, per day, against the
    alert line (``line``: a share, 0.85)."""
    rows, selected = trend(site_days, start, end)
    if rows is None or rows.empty:
        return None, pd.DataFrame()
    rows = rows.assign(occupancy_pct=(rows["occupancy"] * 100).round(1), site_people=rows["people"])
    chart = charts.line_chart(
        rows, "day", series_names({"occupancy_pct": "isolation.occupancy"}, lang), lang, colors=[palette.BLUE],
        y_format=".0f", selected=selected,
    )  # fmt: skip
    chart = alt.layer(chart, charts.reference_line(line * 100, color=palette.RED))
    return chart, trend_table(rows, OCCUPANCY_TABLE, selected, lang)


def site_flow_trend(site_days: pd.DataFrame, start: dt.date, end: dt.date, lang: str):
    """People arriving at and leaving the sites per day, cases found on their own axis."""
    renamed = (
        site_days.rename(columns={"new_in": "site_arrivals", "released": "site_departures"}) if site_days is not None else None
    )
    chart, table = trend_chart(
        renamed, start, end, SITE_FLOWS, lang, secondary=["cases_found"], colors=[palette.ORANGE, palette.GREEN, palette.RED]
    )
    return (whole_legend(chart) if chart is not None else None), table


# ------------------------------------------------------------------ each site
SITE_TABLE = {
    "name": "isolation.site",
    "flag": "sup.flag",
    "code": "common.code",
    "rooms": "isolation.rooms",
    "rooms_occupied": "isolation.rooms_occupied",
    "site_people": "isolation.site_people",
    "staff": "isolation.staff",
    "occupancy_pct": "isolation.occupancy",
    "free_rooms": "isolation.free_rooms",
    "net_intake": "isolation.net_intake",
    "days_until_full": "isolation.days_until_full",
    "single_room": "isolation.single_room",
    "site_arrivals": "isolation.site_arrivals",
    "site_departures": "isolation.site_departures",
    "cases_found": "isolation.cases_found",
}


def single_room_text(row, lang: str) -> str:
    """✓ one person a room; ⚠ and the figures when people outnumber the rooms occupied;
    empty when the site did not report."""
    if not row.reported:
        return ""
    if row.single_room_breach:
        return text("isolation.shared_rooms", lang, people=fmt.count(row.people, lang), rooms=fmt.count(row.rooms_occupied, lang))
    return "✓"


def site_rows(sites: pd.DataFrame, occupancy_line: float, days_line: float, lang: str) -> pd.DataFrame:
    """Each site in service, fullest first: rooms, rooms occupied, people and staff on the
    range's last day, its occupancy, free rooms, the last 7 days' net intake a day and the
    days until full at it, the single-room rule, and in, out and cases found over the
    range. Its flag: above the occupancy line, else rooms shared, else full within the
    days-until-full line."""
    if sites is None or sites.empty:
        return display_frame(sites, SITE_TABLE, lang)
    ordered = sites.sort_values(["occupancy", "code"], ascending=[False, True], na_position="last").reset_index(drop=True)
    shown = ordered.assign(
        name=ordered[name_column(lang)],
        site_people=ordered["people"],
        occupancy_pct=(ordered["occupancy"] * 100).round(1),
        net_intake=ordered["net_intake_7d"].round(1),
        days_until_full=ordered["days_until_full"].round(1),
        single_room=[single_room_text(row, lang) for row in ordered.itertuples()],
        site_arrivals=ordered["new_in"],
        site_departures=ordered["released"],
    )
    full = ordered["occupancy"] > occupancy_line
    filling = (ordered["free_rooms"] > 0) & (ordered["days_until_full"] < days_line)
    flags = {
        "full": text("isolation.flag_full", lang, n=fmt.percent(occupancy_line, lang, 0)),
        "shared": text("isolation.flag_shared", lang),
        "filling": text("isolation.flag_filling", lang, n=fmt.setting(days_line, lang)),
    }
    shown["flag"] = [
        flags["full"] if f else flags["shared"] if s else flags["filling"] if w else ""
        for f, s, w in zip(full, ordered["single_room_breach"], filling, strict=True)
    ]
    return display_frame(shown, SITE_TABLE, lang)


def site_formats(lang: str) -> dict[str, ColumnFormat]:
    return formats_for(
        {
            "isolation.occupancy": PERCENT_BAR,
            "isolation.net_intake": ColumnFormat(format="%.1f"),
            "isolation.days_until_full": ColumnFormat(format="%.1f"),
            # Whole numbers though the column is float: a site that did not report has none.
            **{key: WHOLE for key in ("isolation.rooms", "isolation.rooms_occupied", "isolation.site_people", "isolation.staff")},
            "isolation.free_rooms": WHOLE,
        },
        lang,
    )


# ------------------------------------------------------------------ by area
BY_AREA = {
    "area": "common.area",
    "residents": "areas.residents",
    "held": "isolation.held",
    "held_per_10k": "isolation.held_per_10k",
    **HELD_BY_MEASURE,
    "at_home": "isolation.at_home",
    "new_in": "isolation.new_in",
    "released": "isolation.released",
    "overdue": "isolation.overdue",
}


def by_area(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """People per area below the filter's (down to streets): held at the end of the range's
    last day, per 10,000 residents, per measure and at home; in and released over the
    range; overdue at its end."""
    if frame is None or frame.empty:
        return display_frame(frame, BY_AREA, lang)
    shown = frame.assign(
        area=frame[name_column(lang)],
        held_per_10k=(ratio(frame["held"], frame["residents"]) * 10_000).round(2),
        at_home=frame["held_home_isolation"] + frame["held_home_monitoring"],
    )
    return display_frame(shown, BY_AREA, lang)


def by_area_formats(lang: str) -> dict[str, ColumnFormat]:
    return formats_for(
        {"areas.residents": WHOLE, "isolation.held": WHOLE, "isolation.held_per_10k": ColumnFormat(format="%.2f")}, lang
    )
