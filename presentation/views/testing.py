"""Testing volume 核酸检测: cards, daily trends (volume, positivity, backlog, lab use,
turnaround), mass-testing round coverage by area and testing by area."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.metrics import positivity, ratio
from presentation import charts, palette
from presentation import formatting as fmt
from presentation.catalogue import name
from presentation.kpis import Kpi, card, period_cards
from presentation.series import period_sums
from presentation.tables import WHOLE, ColumnFormat, display_frame, formats_for, name_column
from presentation.text import text
from presentation.trends import in_range, series_names, trend, trend_chart, trend_table

CARDS = {
    "samples_collected": "testing.samples_collected",
    "samples_tested": "testing.samples_tested",
    "positives": "testing.positives",
}
VOLUME = CARDS
TURNAROUND = {"turnaround_median_h": "testing.turnaround_median", "turnaround_p90_h": "testing.turnaround_p90"}
LABS = {"tubes_tested": "testing.tubes_tested", "capacity_tubes": "testing.capacity_tubes"}
POSITIVITY_TABLE = {
    "positives": "testing.positives",
    "samples_tested": "testing.samples_tested",
    "positivity_pct": "testing.positivity",
}
BACKLOG_TABLE = {
    "samples_collected": "testing.samples_collected",
    "samples_tested": "testing.samples_tested",
    "backlog": "testing.backlog",
}
LAB_TABLE = {"labs": "testing.labs", **LABS, "utilisation_pct": "testing.lab_utilisation"}
POSITIVITY_DIGITS = 3  # positivity is a few in ten thousand: one decimal would read 0.0%


def cards(daily: pd.DataFrame, labs: pd.DataFrame, start: dt.date, end: dt.date, lang: str) -> list[Kpi]:
    """Sums over the range with their change; positivity and lab use over the range; the
    backlog, turnaround and pooling of the range's last day with data."""
    result = period_cards(daily, CARDS, start, end, lang)
    sums = period_sums(daily, ["positives", "samples_tested"], start, end)
    lab_sums = period_sums(labs, ["tubes_tested", "capacity_tubes"], start, end)
    rows = in_range(daily, start, end)
    last = rows.iloc[-1] if rows is not None and not rows.empty else None

    def on_last_day(column):
        return last[column] if last is not None else None

    rate = positivity(sums["positives"], sums["samples_tested"]) if sums is not None else None
    lab_use = ratio(lab_sums["tubes_tested"], lab_sums["capacity_tubes"]) if lab_sums is not None else None
    return result + [
        card("testing.positivity", fmt.percent(rate, lang, POSITIVITY_DIGITS), lang),
        card("testing.backlog", fmt.count(on_last_day("backlog"), lang, compact=True), lang),
        card("testing.turnaround_median", on_last_day("turnaround_median_h"), lang),
        card("testing.turnaround_p90", on_last_day("turnaround_p90_h"), lang),
        card("testing.lab_utilisation", lab_use, lang),
        card("testing.pooling", pooling_text(on_last_day("pooled_ratio"), lang), lang),
    ]


def pooling_text(pooled_ratio, lang: str) -> str:
    """10:1 混采 / 10:1 pooled, or single samples (1:1); a dash without a report."""
    if fmt.missing(pooled_ratio):
        return fmt.DASH
    n = int(pooled_ratio)
    return text("test.pooled_value", lang, n=n) if n > 1 else text("test.single", lang)


def volume_trend(daily, start, end, lang):
    return trend_chart(daily, start, end, VOLUME, lang, secondary=["positives"])


def positivity_trend(daily: pd.DataFrame, start: dt.date, end: dt.date, lang: str):
    """Positivity per day in percent, with positives and samples tested in the table."""
    rows, selected = trend(daily, start, end)
    if rows is None or rows.empty:
        return None, pd.DataFrame()
    rows = rows.assign(positivity_pct=(rows["positivity"] * 100).round(4))
    series = series_names({"positivity_pct": "testing.positivity"}, lang)
    chart = charts.line_chart(rows, "day", series, lang, colors=[palette.RED], y_format=".3~f", selected=selected)
    return chart, trend_table(rows, POSITIVITY_TABLE, selected, lang)


def backlog_trend(daily: pd.DataFrame, start: dt.date, end: dt.date, lang: str):
    """Samples waiting for a test at the end of each day, as an area."""
    rows, selected = trend(daily, start, end)
    if rows is None or rows.empty:
        return None, pd.DataFrame()
    chart = charts.area_over_days(rows, "backlog", name("testing.backlog", lang), lang, color=palette.ORANGE, selected=selected)
    return chart, trend_table(rows, BACKLOG_TABLE, selected, lang)


def lab_trend(labs: pd.DataFrame, start: dt.date, end: dt.date, lang: str):
    """Tubes the labs tested against their capacity per day; labs reporting and use of
    capacity in the table."""
    rows, selected = trend(labs, start, end)
    if rows is None or rows.empty:
        return None, pd.DataFrame()
    rows = rows.assign(utilisation_pct=(rows["utilisation"] * 100).round(1))
    chart = charts.line_chart(rows, "day", series_names(LABS, lang), lang, colors=[palette.BLUE, palette.GREY], selected=selected)
    return chart, trend_table(rows, LAB_TABLE, selected, lang)


def turnaround_trend(daily: pd.DataFrame, start: dt.date, end: dt.date, lang: str):
    rounded = daily.round({column: 1 for column in TURNAROUND}) if daily is not None else daily
    return trend_chart(rounded, start, end, TURNAROUND, lang, colors=[palette.BLUE, palette.RED])


ROUND_COLUMNS = {
    "round": "test.round",
    "area": "common.area",
    "residents": "areas.residents",
    "samples_collected": "testing.samples_collected",
    "coverage_pct": "testing.round_coverage",
}


def round_coverage(rounds: pd.DataFrame, lang: str):
    """Each mass-testing round's coverage per area as a heat map (chart or None, table)."""
    if rounds is None or rounds.empty:
        return None, pd.DataFrame()
    round_name = name_column(lang).replace("name_", "round_")
    shown = rounds.assign(
        round=rounds[round_name], area=rounds[name_column(lang)], coverage_pct=(rounds["coverage"] * 100).round(1)
    )
    coverage_name = name("testing.round_coverage", lang)
    tooltip = [
        {"field": "round", "type": "nominal", "title": text("test.round", lang)},
        {"field": "area", "type": "nominal", "title": text("common.area", lang)},
        {"field": "coverage_pct", "type": "quantitative", "title": f"{coverage_name} (%)", "format": ".1f"},
        {"field": "samples_collected", "type": "quantitative", "title": name("testing.samples_collected", lang), "format": ","},
        {"field": "residents", "type": "quantitative", "title": name("areas.residents", lang), "format": ","},
    ]
    chart = charts.heatmap(shown, "round", "area", "coverage_pct", tooltip)
    return chart, display_frame(shown, ROUND_COLUMNS, lang)


def rounds_height(table: pd.DataFrame, lang: str) -> int:
    """A row of the heat map per area."""
    return max(160, 26 * table[text("common.area", lang)].nunique()) if table is not None and not table.empty else 160


BY_AREA_COLUMNS = {
    "area": "common.area",
    "samples_collected": "testing.samples_collected",
    "samples_tested": "testing.samples_tested",
    "positives": "testing.positives",
    "positivity_pct": "testing.positivity",
    "backlog": "testing.backlog",
}


def by_area(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Totals over the range per area below the filter's, the backlog of its last day."""
    if frame is None or frame.empty:
        return display_frame(frame, BY_AREA_COLUMNS, lang)
    shown = frame.assign(area=frame[name_column(lang)], positivity_pct=(frame["positivity"] * 100).round(4))
    return display_frame(shown, BY_AREA_COLUMNS, lang)


def by_area_formats(lang: str) -> dict[str, ColumnFormat]:
    return formats_for(
        {
            "testing.samples_collected": WHOLE,
            "testing.samples_tested": WHOLE,
            "testing.positives": WHOLE,
            "testing.positivity": ColumnFormat(format=f"%.{POSITIVITY_DIGITS}f%%"),
            "testing.backlog": WHOLE,
        },
        lang,
    )
