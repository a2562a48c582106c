"""Inspections and enforcement 督导检查: cards, entity checks and inspector-visits per day
(in all and by kind of entity), problems and their rectification per day, the five-point
checklist 一戴二亮三测四扫五登记 per item, pass rates by kind of entity and by area, and
the inspecting teams."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from data_access.metrics import ratio
from data_access.schema import INSPECTION_ENTITY_TYPES
from presentation import charts, palette
from presentation import formatting as fmt
from presentation.catalogue import name
from presentation.kpis import Kpi, card, period_cards
from presentation.series import day_figure, period_sums, previous_period
from presentation.tables import display_frame, name_column
from presentation.text import text
from presentation.trends import SPARK_DAYS, in_range, series_names, trend, trend_table

# Summed over the range, with their change against the period before and a sparkline.
FLOW_CARDS = {
    "inspections": "inspections.inspections",
    "inspector_visits": "inspections.inspector_visits",
    "problems_found": "inspections.problems_found",
    "fixed_on_time": "inspections.fixed_on_time",
    "penalties": "inspections.penalties",
    "masks_seized": "inspections.masks_seized",
}
# Held at the end of the range's last day, with their change against the day before.
STOCK_CARDS = {"overdue": "inspections.overdue", "entities_open": "inspections.entities_open"}
# Rates over the range: (numerator, denominator columns added up).
RATE_CARDS = {
    "inspections.pass_rate": ("inspections_passed", ("inspections",)),
    "inspections.on_time_rate": ("fixed_on_time", ("fixed_on_time", "fixed_late")),
}
CARD_ORDER = (
    "inspections.inspections",
    "inspections.inspector_visits",
    "inspections.pass_rate",
    "inspections.problems_found",
    "inspections.fixed_on_time",
    "inspections.overdue",
    "inspections.entities_open",
    "inspections.on_time_rate",
    "inspections.penalties",
    "inspections.masks_seized",
)
KIND_COLOURS = dict(
    zip(INSPECTION_ENTITY_TYPES, [palette.BLUE, palette.ORANGE, palette.GREEN, palette.PURPLE, palette.CYAN], strict=True)
)


def kind_name(entity_type: str, lang: str) -> str:
    return text(f"insp.kind.{entity_type}", lang)


def item_name(item: str, lang: str) -> str:
    return text(f"insp.item.{item}", lang)


def _pct(values) -> pd.Series:
    return (pd.to_numeric(values, errors="coerce") * 100).round(1)


# ------------------------------------------------------------------ cards
def cards(daily: pd.DataFrame, start: dt.date, end: dt.date, lang: str) -> list[Kpi]:
    """Checks, inspector-visits, problems found and fixed on time, penalties and masks
    seized over the range; the pass rate and the share fixed on time over the range (change
    in percentage points); problems overdue and entities with an open problem at the end
    of the range's last day with reports (change against the day before)."""
    found = {c.metric: c for c in period_cards(daily, FLOW_CARDS, start, end, lang)}
    found |= {key: _rate_card(daily, key, *parts, start, end, lang) for key, parts in RATE_CARDS.items()}
    found |= {key: _stock_card(daily, column, key, start, end, lang) for column, key in STOCK_CARDS.items()}
    return [found[key] for key in CARD_ORDER]


def _rate_card(daily: pd.DataFrame, key: str, numerator: str, denominator: tuple[str, ...], start, end, lang: str) -> Kpi:
    columns = [numerator, *[c for c in denominator if c != numerator]]

    def rate(sums: pd.Series | None) -> float | None:
        if sums is None:
            return None
        value = ratio(sums[numerator], sum(sums[c] for c in denominator))
        return None if pd.isna(value) else float(value)

    now = rate(period_sums(daily, columns, start, end))
    before = rate(period_sums(daily, columns, *previous_period(start, end)))
    spark = in_range(daily, end - dt.timedelta(days=SPARK_DAYS - 1) if start == end else start, end)
    daily_rates = [] if spark is None or spark.empty else ratio(spark[numerator], sum(spark[c] for c in denominator))
    return card(
        key,
        fmt.percent(now, lang),
        lang,
        delta=fmt.signed_percent_points(now - before, lang) if now is not None and before is not None else None,
        sparkline=[float(v) for v in pd.Series(daily_rates, dtype=float).dropna()],
        delta_note=text("common.vs_yesterday" if start == end else "common.vs_previous", lang),
    )


def _stock_card(daily: pd.DataFrame, column: str, key: str, start: dt.date, end: dt.date, lang: str) -> Kpi:
    rows = in_range(daily, start, end)
    last = rows["day"].max() if rows is not None and not rows.empty else None
    if last is None:
        return card(key, fmt.DASH, lang)
    # The range's days, as the other cards' sparklines (the last 30 for a single day).
    figure = day_figure(daily, column, last, SPARK_DAYS if start == end else (last - start).days + 1)
    return card(
        key,
        fmt.count(figure.value, lang, compact=True),
        lang,
        delta=fmt.signed_count(figure.change, lang) if figure.change is not None else None,
        sparkline=figure.sparkline,
        delta_note=text("common.vs_yesterday", lang)
        if last == end
        else text("insp.vs_day_before", lang, day=fmt.day(last, lang)),
    )


# ------------------------------------------------------------------ per day
CHECKS = {"inspections": "inspections.inspections", "inspector_visits": "inspections.inspector_visits"}
CHECKS_TABLE = {
    **CHECKS,
    "inspections_passed": "inspections.passed",
    "pass_rate_pct": "inspections.pass_rate",
    "teams_reporting": "inspections.teams",
}
PROBLEMS = {
    "problems_found": "inspections.problems_found",
    "fixed_on_time": "inspections.fixed_on_time",
    "fixed_late": "inspections.fixed_late",
    "overdue": "inspections.overdue",
}
PROBLEMS_TABLE = {**PROBLEMS, "open_problems": "inspections.open_problems", "on_time_rate_pct": "inspections.on_time_rate"}


def checks_trend(daily: pd.DataFrame, start: dt.date, end: dt.date, lang: str):
    """Entity checks and inspector-visits per day; checks passed, the pass rate and the
    teams reporting in the table."""
    rows, selected = trend(daily, start, end)
    if rows is None or rows.empty:
        return None, pd.DataFrame()
    chart = charts.line_chart(
        rows, "day", series_names(CHECKS, lang), lang, colors=[palette.BLUE, palette.GREY], selected=selected
    )
    return chart, trend_table(rows.assign(pass_rate_pct=_pct(rows["pass_rate"])), CHECKS_TABLE, selected, lang)


def problems_trend(daily: pd.DataFrame, start: dt.date, end: dt.date, lang: str):
    """Problems found, put right by their deadline and late per day, and those overdue at
    each day's end; problems open and the share fixed on time in the table."""
    rows, selected = trend(daily, start, end)
    if rows is None or rows.empty:
        return None, pd.DataFrame()
    colours = [palette.ORANGE, palette.GREEN, palette.PURPLE, palette.RED]
    chart = charts.line_chart(rows, "day", series_names(PROBLEMS, lang), lang, colors=colours, selected=selected)
    return chart, trend_table(rows.assign(on_time_rate_pct=_pct(rows["on_time_rate"])), PROBLEMS_TABLE, selected, lang)


KIND_TABLE = {
    "kind": "insp.col.kind",
    "inspections": "inspections.inspections",
    "inspector_visits": "inspections.inspector_visits",
    "inspections_passed": "inspections.passed",
    "pass_rate_pct": "inspections.pass_rate",
}


def kinds_per_day(by_day: pd.DataFrame, start: dt.date, end: dt.date, lang: str):
    """Entity checks per day stacked by kind of entity (pharmacy, market or supermarket,
    restaurant, public venue, cold-chain store); a row per day and kind in the table."""
    rows, selected = trend(by_day, start, end)
    if rows is None or rows.empty:
        return None, pd.DataFrame()
    rows = rows.assign(
        kind=rows["entity_type"].map(lambda k: kind_name(k, lang)),
        value=rows["inspections"],
        pass_rate_pct=_pct(ratio(rows["inspections_passed"], rows["inspections"])),
    )
    order = [kind_name(k, lang) for k in INSPECTION_ENTITY_TYPES]
    chart = charts.stacked_day_bars(
        rows,
        lang,
        order,
        list(KIND_COLOURS.values()),
        selected=selected,
        value_title=name("inspections.inspections", lang),
        part="kind",
        part_title=text("insp.col.kind", lang),
    )
    return chart, trend_table(rows, KIND_TABLE, selected, lang)


# ------------------------------------------------------------------ checklist
CHECKLIST_TABLE = {
    "item_label": "insp.col.item",
    "passed": "inspections.item_passed",
    "failed": "inspections.item_failed",
    "checked": "inspections.item_checked",
    "pass_rate_pct": "inspections.item_pass_rate",
}


def checklist(items: pd.DataFrame, lang: str):
    """The five-point list per item, in its order: checks that found the item in order and
    not, and its pass rate as bars. Items no check looked at (registering buyers is a
    pharmacy's item) are left out."""
    if items is None or items.empty:
        return None, pd.DataFrame()
    looked_at = items[items["checked"] > 0]
    if looked_at.empty:
        return None, pd.DataFrame()
    shown = looked_at.assign(
        item_label=looked_at["item"].map(lambda i: item_name(i, lang)), pass_rate_pct=_pct(looked_at["pass_rate"])
    )
    rate_name = name("inspections.item_pass_rate", lang)
    tooltip = [
        {"field": "item_label", "type": "nominal", "title": text("insp.col.item", lang)},
        {"field": "pass_rate_pct", "type": "quantitative", "title": f"{rate_name} (%)", "format": ".1f"},
        {"field": "failed", "type": "quantitative", "title": name("inspections.item_failed", lang), "format": ","},
        {"field": "checked", "type": "quantitative", "title": name("inspections.item_checked", lang), "format": ","},
    ]
    chart = charts.rate_bars(
        shown.assign(status=rate_name), "item_label", "pass_rate_pct", "status", {rate_name: palette.BLUE}, tooltip, legend=False
    )
    return chart, display_frame(shown, CHECKLIST_TABLE, lang)


def checklist_kinds(lang: str) -> dict[str, str]:
    """The checklist's choice of entities: all kinds ("") or one, by its name."""
    return {"": text("insp.all_kinds", lang), **{k: kind_name(k, lang) for k in INSPECTION_ENTITY_TYPES}}


# ------------------------------------------------------------------ pass rates by kind and by area
FIGURE_COLUMNS = {
    "inspections": "inspections.inspections",
    "inspector_visits": "inspections.inspector_visits",
    "inspections_passed": "inspections.passed",
    "pass_rate_pct": "inspections.pass_rate",
    "problems_found": "inspections.problems_found",
    "fixed_on_time": "inspections.fixed_on_time",
    "fixed_late": "inspections.fixed_late",
    "on_time_rate_pct": "inspections.on_time_rate",
    "open_problems": "inspections.open_problems",
    "overdue": "inspections.overdue",
    "entities_open": "inspections.entities_open",
    "penalties": "inspections.penalties",
    "masks_seized": "inspections.masks_seized",
}


@dataclass(frozen=True)
class PassLine:
    """The alert line a pass rate is drawn against: the rate, and the fewest entity checks
    a rate is judged on (``[alerts.inspections]``)."""

    rate: float
    min_checks: int


def _status(frame: pd.DataFrame, line: PassLine, lang: str) -> pd.Series:
    """Each row's standing against the line: below it, at or above it, or too few checks
    to judge."""
    few = frame["inspections"] < line.min_checks
    below = frame["pass_rate"] < line.rate
    labels = {k: text(f"insp.status.{k}", lang, n=fmt.count(line.min_checks, lang)) for k in ("below", "ok", "few")}
    return pd.Series(
        [labels["few"] if f else labels["below"] if b else labels["ok"] for f, b in zip(few, below, strict=True)],
        index=frame.index,
    )


def status_colours(lang: str, line: PassLine) -> dict[str, str]:
    labels = {k: text(f"insp.status.{k}", lang, n=fmt.count(line.min_checks, lang)) for k in ("below", "ok", "few")}
    return {labels["below"]: palette.RED, labels["ok"]: palette.BLUE, labels["few"]: palette.NO_DATA}


def _rate_chart(shown: pd.DataFrame, category: str, title: str, line: PassLine, lang: str):
    rated = shown[shown["pass_rate_pct"].notna()]
    if rated.empty:
        return None
    tooltip = [
        {"field": category, "type": "nominal", "title": title},
        {
            "field": "pass_rate_pct",
            "type": "quantitative",
            "title": f"{name('inspections.pass_rate', lang)} (%)",
            "format": ".1f",
        },
        {"field": "inspections", "type": "quantitative", "title": name("inspections.inspections", lang), "format": ","},
        {"field": "problems_found", "type": "quantitative", "title": name("inspections.problems_found", lang), "format": ","},
        {"field": "overdue", "type": "quantitative", "title": name("inspections.overdue", lang), "format": ","},
    ]
    return charts.rate_bars(rated, category, "pass_rate_pct", "status", status_colours(lang, line), tooltip, line=line.rate * 100)


def _with_rates_shown(frame: pd.DataFrame, line: PassLine, lang: str) -> pd.DataFrame:
    return frame.assign(
        pass_rate_pct=_pct(frame["pass_rate"]), on_time_rate_pct=_pct(frame["on_time_rate"]), status=_status(frame, line, lang)
    )


def by_kind(kinds: pd.DataFrame, line: PassLine, lang: str):
    """Pass rate per kind of entity over the range (kinds never checked have none), with
    every figure per kind in the table."""
    if kinds is None or kinds.empty or not kinds["inspections"].sum():
        return None, pd.DataFrame()
    shown = _with_rates_shown(kinds, line, lang).assign(kind=kinds["entity_type"].map(lambda k: kind_name(k, lang)))
    chart = _rate_chart(shown, "kind", text("insp.col.kind", lang), line, lang)
    return chart, display_frame(shown, {"kind": "insp.col.kind", **FIGURE_COLUMNS}, lang)


def by_area(areas: pd.DataFrame, line: PassLine, lang: str):
    """Pass rate per area below the filter's (down to streets) over the range, lowest
    first, against the alert line; every figure per area in the table."""
    if areas is None or areas.empty or not areas["inspections"].sum():
        return None, pd.DataFrame()
    ordered = areas.sort_values(["pass_rate", "area_code"], na_position="last", kind="stable").reset_index(drop=True)
    shown = _with_rates_shown(ordered, line, lang).assign(area=ordered[name_column(lang)])
    chart = _rate_chart(shown, "area", text("common.area", lang), line, lang)
    columns = {"area_code": "common.code", "area": "common.area", **FIGURE_COLUMNS}
    return chart, display_frame(shown, columns, lang)


def rate_chart_height(table: pd.DataFrame) -> int:
    """A bar per row, and room for the legend and the axis (the height is the chart's whole)."""
    return max(200, 30 * len(table) + 120) if table is not None else 200


# ------------------------------------------------------------------ teams
TEAM_COLUMNS = {
    "code": "common.code",
    "team": "insp.col.team",
    "agency_label": "insp.col.agency",
    **FIGURE_COLUMNS,
}


def by_team(teams: pd.DataFrame, lang: str):
    """Entity checks and inspector-visits per team over the range, busiest first (chart),
    and every figure per team with its agency (table: its code, for the data checks)."""
    if teams is None or teams.empty:
        return None, pd.DataFrame()
    ordered = teams.sort_values(["inspections", "code"], ascending=[False, True], kind="stable").reset_index(drop=True)
    shown = ordered.assign(
        team=ordered[name_column(lang)],
        agency_label=ordered["agency"].map(lambda a: text(f"insp.agency.{a}", lang)),
        pass_rate_pct=_pct(ordered["pass_rate"]),
        on_time_rate_pct=_pct(ordered["on_time_rate"]),
    )
    names = series_names(CHECKS, lang)
    long = shown.melt("team", list(CHECKS), var_name="part", value_name="value")
    long["part"] = long["part"].map(names)
    chart = charts.grouped_count_bars(
        long, "team", list(names.values()), [palette.BLUE, palette.GREY], text("insp.col.team", lang), lang
    )
    return chart, display_frame(shown, TEAM_COLUMNS, lang)


def team_chart_height(table: pd.DataFrame) -> int:
    return max(200, 34 * len(table) + 40) if table is not None else 200
