"""Building blocks the pages are laid out with: KPI cards, charts with a table toggle and
CSV download, tables, notes. One component per kind of thing, shared by every page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from data_access import audit
from ui import format as fmt
from ui.auth import current_access
from ui.exports import ExportContext, csv_bytes, xlsx_bytes
from ui.i18n import current_language, t

# Colours readable on light and dark backgrounds; red/orange/yellow/green are the 四色 cards.
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#7f7f7f"]
RISK_HEX = {"green": "#2e9d48", "yellow": "#f2c12e", "orange": "#f07f1e", "red": "#d7261e"}


@dataclass(frozen=True)
class Kpi:
    """One KPI card: label, value text, change text, sparkline values, and whether a rise is bad."""

    label: str
    value: str
    delta: str | None = None
    sparkline: Sequence[float] | None = None
    rise_is_bad: bool = False
    help: str | None = None
    delta_is_neutral: bool = False
    delta_note: str | None = None  # what the change is against (default: the day before)
    flag: str | None = None  # a data check concerning this figure (shown as a badge + tooltip)


def kpi_row(kpis: Sequence[Kpi], per_row: int = 5) -> None:
    """KPI cards in a wrapping row: about ``per_row`` to a row on a wide screen, fewer on
    a tablet (each card keeps a minimum width instead of truncating its figure)."""
    min_width = {3: 300, 4: 260, 5: 220}.get(per_row, 160)
    key = f"kpis_{min_width}_{abs(hash(tuple(k.label for k in kpis))) % 10**8}"
    with st.container(horizontal=True, gap="small", key=key):
        for kpi in kpis:
            delta_color = "off" if kpi.delta_is_neutral else ("inverse" if kpi.rise_is_bad else "normal")
            st.metric(
                f":orange[⚠] {kpi.label}" if kpi.flag else kpi.label,
                kpi.value,
                delta=kpi.delta,
                delta_color=delta_color,
                border=True,
                chart_data=list(kpi.sparkline) if kpi.sparkline is not None and len(kpi.sparkline) > 1 else None,
                chart_type="area",
                help=kpi.flag or kpi.help,
                delta_description=(t("common.vs_yesterday") if kpi.delta_note is None else kpi.delta_note or None) if kpi.delta else None,
                delta_arrow="off" if kpi.delta_is_neutral else "auto",
                width="stretch",
            )


def period_kpis(daily: pd.DataFrame, measures: Sequence[tuple[str, str, bool]], start, end) -> list[Kpi]:
    """KPI cards for sums over ``start``–``end`` of daily columns, each with the change
    against the period of the same length before it and a sparkline of the range.

    ``measures``: (column, label, rise_is_bad).
    """
    from ui.series import period_sums, previous_period

    lang = current_language()
    columns = [m[0] for m in measures]
    current = period_sums(daily, columns, start, end)
    before = period_sums(daily, columns, *previous_period(start, end))
    one_day = start == end
    spark_start = end - dt.timedelta(days=29) if one_day else start
    in_range = daily[(daily["day"] >= spark_start) & (daily["day"] <= end)] if daily is not None and not daily.empty else None
    cards = []
    for column, label, rise_is_bad in measures:
        value = current[column] if current is not None else None
        change = value - before[column] if value is not None and before is not None else None
        cards.append(
            Kpi(
                label=label,
                value=fmt.count(value, lang, compact=True),
                delta=fmt.signed_count(change, lang, compact=True) if change is not None else None,
                sparkline=in_range[column].tolist() if in_range is not None else None,
                rise_is_bad=rise_is_bad,
                delta_note=t("common.vs_yesterday") if one_day else t("common.vs_previous"),
            )
        )
    return cards


def side_by_side(key: str):
    """A row of blocks (charts, tables) that sit side by side on a wide screen and stack
    on a tablet in portrait, instead of squeezing."""
    return st.container(horizontal=True, gap="medium", key=f"pair_{key}")


def empty_note() -> None:
    st.info(t("common.empty"), icon=":material/info:")


def export_context(title: str) -> ExportContext:
    """The filter, language and data time of the current view, for exported files."""
    from data_access import areas as area_queries
    from ui.data import load_plain
    from ui.sidebar import area_name, current_filter

    state = current_filter()
    lang = state.lang
    freshness = load_plain(area_queries.domain_freshness, default=pd.DataFrame())
    last_day = freshness["last_day"].dropna().max() if freshness is not None and not freshness.empty else None
    last_report = freshness["last_reported_at"].dropna().max() if freshness is not None and not freshness.empty else None
    now = dt.datetime.now(dt.UTC)
    return ExportContext(
        title=title,
        area=f"{area_name(state.area_code, lang)} ({state.area_code})",
        dates=fmt.day_range(state.start, state.end, lang),
        lang=lang,
        data_time=f"{fmt.day(last_day, lang)} · {fmt.local_time(last_report, lang)}",
        generated_at=fmt.local_time(now, lang),
    )


def download_buttons(data: pd.DataFrame, key: str, title: str) -> None:
    """CSV and XLSX downloads of exactly ``data``; files are built when clicked."""
    context = export_context(title)
    from ui.sidebar import current_filter  # the sidebar draws with these components

    reader, area_code = current_access(), current_filter().area_code

    def audited(kind: str, build) -> bytes:
        # Built, and logged, only when the file is actually downloaded.
        content = build()
        audit.record(reader.actor, audit.EXPORT, area_code=area_code, detail=f"{kind} {key}: {title} ({len(data)} rows)")
        return content

    with st.container(horizontal=True, gap="small"):
        st.download_button(
            t("common.download_csv"),
            data=lambda: audited("csv", lambda: csv_bytes(data, context)),
            file_name=f"{key}.csv",
            mime="text/csv",
            key=f"csv_{key}",
            icon=":material/download:",
            on_click="ignore",
        )
        st.download_button(
            t("common.download_xlsx"),
            data=lambda: audited("xlsx", lambda: xlsx_bytes(data, context)),
            file_name=f"{key}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"xlsx_{key}",
            icon=":material/table_view:",
            on_click="ignore",
        )


def chart_block(title: str, chart: alt.Chart | None, data: pd.DataFrame, key: str, height: int = 300) -> None:
    """A titled chart with a "show as table" toggle and a CSV download of exactly ``data``
    (the figures the chart shows, with display column names)."""
    with st.container(border=True):
        head, toggle = st.columns([3, 1], vertical_alignment="center")
        head.markdown(f"**{title}**")
        as_table = toggle.toggle(t("common.show_table"), key=f"table_{key}")
        if data is None or data.empty:
            empty_note()
            return
        if as_table or chart is None:
            st.dataframe(data, hide_index=True, width="stretch", height=min(420, 38 + 35 * len(data)))
        elif isinstance(chart, (alt.Chart, alt.LayerChart)):
            st.altair_chart(chart.properties(height=height), width="stretch")
        else:  # facets and concatenations size their own parts
            st.altair_chart(chart, width="stretch")
        download_buttons(data, key, title)


def table_block(
    title: str,
    data: pd.DataFrame,
    key: str,
    column_config: dict | None = None,
    height: int | None = None,
    styled=None,
) -> None:
    """A titled, sortable table with a CSV download of ``data``; ``styled`` (a pandas
    Styler of the same frame) is what is drawn when given, for highlighted rows."""
    with st.container(border=True):
        st.markdown(f"**{title}**")
        if data is None or data.empty:
            empty_note()
            return
        st.dataframe(
            styled if styled is not None else data,
            hide_index=True,
            width="stretch",
            column_config=column_config,
            height=height or min(520, 38 + 35 * len(data)),
        )
        download_buttons(data, key, title)


def line_chart(
    data: pd.DataFrame,
    x: str,
    series: dict[str, str],
    y_title: str = "",
    colors: Sequence[str] | None = None,
    secondary: Sequence[str] = (),
    y_format: str = "~s",
) -> alt.Chart | alt.LayerChart:
    """Lines for ``series`` (column → display name) against ``x`` (a day or an hour).

    Columns named in ``secondary`` are drawn against a second y axis on the right, for
    measures of very different size (fever found beside people turned back).
    """
    order = list(series.values())
    palette = list(colors or PALETTE)[: len(order)]
    temporal = x == "day"
    x_encoding = (
        alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%m-%d", tickMinStep=86_400_000, labelOverlap=True))
        if temporal
        else alt.X(f"{x}:O", title=None, axis=alt.Axis(labelAngle=0))
    )
    colour = alt.Color(
        "measure:N", sort=order, scale=alt.Scale(domain=order, range=palette), legend=alt.Legend(title=None, orient="top")
    )
    tooltip = [
        alt.Tooltip(f"{x}:{'T' if temporal else 'O'}", title=t("common.day") if temporal else t("common.hour")),
        alt.Tooltip("measure:N", title=t("common.measure")),
        alt.Tooltip("value:Q", title=t("common.value"), format=",.4~f"),
    ]

    def lines(columns: list[str], orient: str) -> alt.Chart:
        long = data[[x, *columns]].melt(x, var_name="measure", value_name="value")
        long["measure"] = long["measure"].map(series)
        titles = " / ".join(series[c] for c in columns) if secondary else y_title
        return (
            alt.Chart(long)
            .mark_line(point=len(data) <= 31)
            .encode(
                x=x_encoding,
                y=alt.Y("value:Q", title=titles, axis=alt.Axis(format=y_format, orient=orient)),
                color=colour,
                tooltip=tooltip,
            )
        )

    primary = [c for c in series if c not in secondary]
    if not secondary:
        return lines(primary, "left")
    return alt.layer(lines(primary, "left"), lines(list(secondary), "right")).resolve_scale(y="independent")


def bar_chart(data: pd.DataFrame, x: str, y: str, x_title: str = "", y_title: str = "", color: str = PALETTE[0], horizontal: bool = False, sort=None) -> alt.Chart:
    if horizontal:
        encoding = {"y": alt.Y(f"{x}:N", title=x_title, sort=sort or "-x"), "x": alt.X(f"{y}:Q", title=y_title)}
    else:
        encoding = {"x": alt.X(f"{x}:{'T' if x == 'day' else 'O'}", title=x_title), "y": alt.Y(f"{y}:Q", title=y_title)}
    return alt.Chart(data).mark_bar(color=color).encode(**encoding, tooltip=[alt.Tooltip(f"{x}", title=x_title or x), alt.Tooltip(f"{y}:Q", title=y_title or y, format=",.4~f")])


def name_column(lang: str | None = None) -> str:
    return "name_zh" if (lang or current_language()) == "zh" else "name_en"


def page_header(title_key: str, detail: str | None = None) -> None:
    """The page title and, under it, the filter's area and ``detail`` (default: its dates)."""
    from ui.sidebar import area_name, current_filter

    state = current_filter()
    if detail is None:
        detail = fmt.day_range(state.start, state.end, state.lang)
    st.title(t(title_key))
    st.caption(f"{area_name(state.area_code, state.lang)} · {detail}" if detail else area_name(state.area_code, state.lang))


def display_frame(data: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """``data`` with only ``columns`` (source → display name), renamed, in that order."""
    present = [c for c in columns if c in data.columns]
    return data[present].rename(columns={c: columns[c] for c in present})


def percent_column(label: str) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format="percent")


def count_text(value, compact: bool = True) -> str:
    return fmt.count(value, current_language(), compact=compact)
