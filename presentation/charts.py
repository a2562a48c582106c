"""Altair chart builders shared by the views: lines over days or hours (a trend shorter
than a week drawn with the 30 days before it and the selected days highlighted), bars,
stacked bars, a reference line, and the wall screen's dark theme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import altair as alt
import pandas as pd

from presentation import palette
from presentation.text import text

DAY_AXIS = {"format": "%m-%d", "labelOverlap": True}


def _selected_band(selected: tuple[dt.date, dt.date]) -> alt.Chart:
    """A shaded band over the selected days (the end day included)."""
    start, end = selected
    band = pd.DataFrame(
        {"start": [pd.Timestamp(start) - pd.Timedelta(hours=12)], "end": [pd.Timestamp(end) + pd.Timedelta(hours=12)]}
    )
    return alt.Chart(band).mark_rect(color=palette.SELECTED_BAND, opacity=0.18).encode(x="start:T", x2="end:T")


def _in_selection(days: pd.Series, selected: tuple[dt.date, dt.date] | None) -> pd.Series:
    if selected is None:
        return pd.Series(True, index=days.index)
    return (days >= selected[0]) & (days <= selected[1])


def _parts_colour(order: list[str], colors: Sequence[str], field: str = "part") -> alt.Color:
    """Bars coloured by their part (``field``), the parts in ``order``, named in a legend on top."""
    return alt.Color(
        f"{field}:N", sort=order, scale=alt.Scale(domain=order, range=list(colors)), legend=alt.Legend(title=None, orient="top")
    )


def line_chart(
    data: pd.DataFrame,
    x: str,
    series: dict[str, str],
    lang: str,
    colors: Sequence[str] | None = None,
    secondary: Sequence[str] = (),
    y_format: str = "~s",
    selected: tuple[dt.date, dt.date] | None = None,
) -> alt.Chart | alt.LayerChart:
    """Lines for ``series`` (column → display name) against ``x`` (``day`` or ``hour``).

    Columns in ``secondary`` use a second y axis on the right, for measures of very
    different size. ``selected`` (first and last day) marks those days when the chart
    shows more than them: a band behind, and larger points on them."""
    order = list(series.values())
    colour_range = list(colors or palette.SERIES)[: len(order)]
    temporal = x == "day"
    x_encoding = (
        alt.X(f"{x}:T", title=None, axis=alt.Axis(tickMinStep=86_400_000, **DAY_AXIS))
        if temporal
        else alt.X(f"{x}:O", title=None, axis=alt.Axis(labelAngle=0))
    )
    colour = alt.Color(
        "measure:N", sort=order, scale=alt.Scale(domain=order, range=colour_range), legend=alt.Legend(title=None, orient="top")
    )
    tooltip = [
        alt.Tooltip(f"{x}:{'T' if temporal else 'O'}", title=text("common.day" if temporal else "common.hour", lang)),
        alt.Tooltip("measure:N", title=text("common.measure", lang)),
        alt.Tooltip("value:Q", title=text("common.value", lang), format=",.4~f"),
    ]
    show_points = len(data) <= 45

    def lines(columns: list[str], orient: str) -> alt.LayerChart:
        long = data[[x, *columns]].melt(x, var_name="measure", value_name="value")
        long["measure"] = long["measure"].map(series)
        long["selected"] = _in_selection(long[x], selected) if temporal else True
        titles = " / ".join(series[c] for c in columns) if secondary else ""
        y = alt.Y("value:Q", title=titles, axis=alt.Axis(format=y_format, orient=orient))
        base = alt.Chart(long).encode(x=x_encoding, y=y, color=colour, tooltip=tooltip)
        layers = [base.mark_line()]
        if show_points:
            size = (
                alt.Size("selected:N", scale=alt.Scale(domain=[True, False], range=[90, 18]), legend=None)
                if selected
                else alt.value(30)
            )
            layers.append(base.mark_point(filled=True, opacity=1).encode(size=size))
        return alt.layer(*layers)

    primary = [c for c in series if c not in secondary]
    chart = lines(primary, "left")
    if secondary:
        chart = alt.layer(chart, lines(list(secondary), "right")).resolve_scale(y="independent")
    if selected is not None and temporal:
        chart = alt.layer(_selected_band(selected), chart)
    return chart


def bar_chart(data: pd.DataFrame, category: str, value: str, value_title: str = "", color: str = palette.BLUE) -> alt.Chart:
    """Horizontal bars of ``value`` per ``category``, longest first."""
    return (
        alt.Chart(data)
        .mark_bar(color=color)
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort="-x"),
            x=alt.X(f"{value}:Q", title=value_title),
            tooltip=[alt.Tooltip(f"{category}:N", title=category), alt.Tooltip(f"{value}:Q", title=value, format=",.4~f")],
        )
    )


def stacked_day_bars(
    long: pd.DataFrame,
    lang: str,
    order: list[str],
    colors: Sequence[str],
    selected: tuple[dt.date, dt.date] | None = None,
    value_title: str = "",
    part: str = "part",
    part_title: str = "",
) -> alt.Chart | alt.LayerChart:
    """Bars per day stacked by ``part`` (``long``: day, part, value), the parts in ``order``.
    Days outside ``selected`` are drawn paler when the chart shows more than the selection.
    ``part``: the column the bars are stacked by when its values are not figures (kinds of
    entity), titled ``part_title`` in the tooltip."""
    opacity = alt.condition(alt.datum.selected, alt.value(1.0), alt.value(0.45)) if selected is not None else alt.value(1.0)
    long = long.assign(selected=_in_selection(long["day"], selected))
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("day:T", title=None, axis=alt.Axis(tickMinStep=86_400_000, **DAY_AXIS)),
            y=alt.Y("value:Q", title=None, stack=True, axis=alt.Axis(format="~s")),
            color=_parts_colour(order, colors, part),
            opacity=opacity,
            tooltip=[
                alt.Tooltip("day:T", title=text("common.day", lang)),
                alt.Tooltip(f"{part}:N", title=part_title or text("common.measure", lang)),
                alt.Tooltip("value:Q", title=value_title or text("common.value", lang), format=","),
            ],
        )
    )
    return alt.layer(_selected_band(selected), bars) if selected is not None else bars


def area_over_days(
    data: pd.DataFrame,
    column: str,
    title: str,
    lang: str,
    color: str = palette.ORANGE,
    selected: tuple[dt.date, dt.date] | None = None,
):
    """One measure over days as a filled area (a backlog, a stock)."""
    area = (
        alt.Chart(data)
        .mark_area(color=color, opacity=0.45, line=True)
        .encode(
            x=alt.X("day:T", title=None, axis=alt.Axis(**DAY_AXIS)),
            y=alt.Y(f"{column}:Q", title=title, axis=alt.Axis(format="~s")),
            tooltip=[alt.Tooltip("day:T", title=text("common.day", lang)), alt.Tooltip(f"{column}:Q", title=title, format=",")],
        )
    )
    return alt.layer(_selected_band(selected), area) if selected is not None else area


def reference_line(
    value: float, axis: str = "y", color: str = palette.RED, dash: Sequence[int] = (6, 4), size: float = 1.5
) -> alt.Chart:
    """A dashed line at ``value`` (an alert line, a target)."""
    return (
        alt.Chart(pd.DataFrame({"v": [value]})).mark_rule(color=color, strokeDash=list(dash), size=size).encode(**{axis: "v:Q"})
    )


def grouped_coverage_bars(
    long: pd.DataFrame, category: str, order: list[str], colors: Sequence[str], category_title: str
) -> alt.Chart:
    """Coverage (%) per category, one bar per part side by side (``long``: category, part, pct)."""
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort=list(dict.fromkeys(long[category]))),
            yOffset=alt.YOffset("part:N", sort=order),
            # 0–100 %, wider when a figure passes 100 % (a data check flags it): never cut off.
            x=alt.X("pct:Q", title="%", scale=alt.Scale(domain=[0, max(100.0, float(long["pct"].max() or 0))])),
            color=_parts_colour(order, colors),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title),
                alt.Tooltip("part:N"),
                alt.Tooltip("pct:Q", title="%", format=".1f"),
            ],
        )
    )


def heatmap(
    data: pd.DataFrame, x: str, y: str, value: str, tooltip: list, domain: tuple[float, float] = (50, 100), scheme: str = "greens"
) -> alt.Chart:
    return (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X(f"{x}:N", title=None, sort=list(dict.fromkeys(data[x]))),
            y=alt.Y(f"{y}:N", title=None, sort=list(dict.fromkeys(data[y]))),
            color=alt.Color(f"{value}:Q", title="%", scale=alt.Scale(scheme=scheme, domain=list(domain), clamp=True)),
            tooltip=tooltip,
        )
    )


def grouped_count_bars(
    long: pd.DataFrame, category: str, order: list[str], colors: Sequence[str], category_title: str, lang: str
) -> alt.Chart:
    """Counts per category, one bar per part side by side (``long``: category, part, value),
    the categories in the order they come."""
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort=list(dict.fromkeys(long[category])), axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("part:N", sort=order),
            x=alt.X("value:Q", title=None, axis=alt.Axis(format="~s")),
            color=_parts_colour(order, colors),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title),
                alt.Tooltip("part:N", title=text("common.measure", lang)),
                alt.Tooltip("value:Q", title=text("common.value", lang), format=","),
            ],
        )
    )


def rate_bars(
    data: pd.DataFrame,
    category: str,
    pct: str,
    status: str,
    colours: dict[str, str],
    tooltip: list,
    line: float | None = None,
    text_colour: str = "#ffffff",
    legend: bool = True,
) -> alt.LayerChart:
    """A percentage per category as bars from 0 to 100 % (wider when one passes 100 %), the
    categories in the order they come, each coloured by its ``status`` (its label → colour,
    shown as the legend unless ``legend`` is off) with its figure written inside the bar's
    end; ``line``: a dashed alert line at that percentage."""
    values = pd.to_numeric(data[pct], errors="coerce")
    top = max(100.0, float(values.max())) if values.notna().any() else 100.0
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort=list(dict.fromkeys(data[category])), axis=alt.Axis(labelLimit=260)),
            x=alt.X(f"{pct}:Q", title="%", scale=alt.Scale(domain=[0, top])),
            color=alt.Color(
                f"{status}:N",
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                legend=alt.Legend(title=None, orient="top", labelLimit=0) if legend else None,
            ),
            tooltip=tooltip,
        )
    )
    labels = bars.mark_text(align="right", dx=-4, color=text_colour).encode(
        text=alt.Text(f"{pct}:Q", format=".1f"), color=alt.value(text_colour)
    )
    layers = [bars, labels]
    if line is not None:
        layers.append(reference_line(line, axis="x"))
    return alt.layer(*layers)


def wall_theme(chart, scale: float = 1.0):
    """Wall charts: dark background, large type readable from across the room."""
    return (
        chart.configure(background=palette.WALL_PANEL, font="Noto Sans CJK SC, sans-serif")
        .configure_axis(
            labelColor=palette.WALL_LABEL,
            titleColor=palette.WALL_LABEL,
            gridColor=palette.WALL_GRID,
            domainColor=palette.WALL_DOMAIN,
            labelFontSize=18 * scale,
            titleFontSize=18 * scale,
        )
        .configure_legend(
            labelColor=palette.WALL_TEXT,
            titleColor=palette.WALL_TEXT,
            labelFontSize=20 * scale,
            symbolSize=220 * scale,
            labelLimit=0,
        )
        .configure_view(stroke=None)
    )
