"""Building blocks the pages are laid out with: KPI cards, charts with a table toggle and
CSV download, tables, notes. One component per kind of thing, shared by every page."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import streamlit as st

from data_access import areas as area_queries
from data_access import audit
from data_access.scope import AccessDenied, DatabaseUnavailable, UnknownArea
from data_access.settings import get_settings
from presentation import formatting as fmt
from presentation.catalogue import HIGHER, LOWER, NEITHER, metric
from presentation.filter_url import FilterState
from presentation.kpis import Kpi
from presentation.suppression import RowLevels, as_text, suppressed_anything
from presentation.tables import ColumnFormat, name_column
from ui.auth import current_access
from ui.data import storable
from ui.exports import ExportContext, csv_bytes, xlsx_bytes
from ui.i18n import current_language, t
from ui.sidebar import area_name, current_filter
from ui.suppression_view import area_rows, on_screen, outgoing, rule

LOG = logging.getLogger("dashboard.exports")
DELTA_COLOUR = {HIGHER: "normal", LOWER: "inverse", NEITHER: "off"}  # Streamlit's "normal": a rise is green


def kpi_row(kpis: Sequence[Kpi], per_row: int = 5) -> None:
    """KPI cards in a wrapping row: about ``per_row`` to a row on a wide screen, fewer on
    a tablet (each card keeps a minimum width instead of truncating its figure). A change
    is green or red by its figure's good direction; the help is the figure's definition,
    with a link to its entry on the Definitions page."""
    lang = current_language()
    min_width = {3: 300, 4: 260, 5: 220}.get(per_row, 160)
    key = f"kpis_{min_width}_{abs(hash(tuple(k.label for k in kpis))) % 10**8}"
    with st.container(horizontal=True, gap="small", key=key):
        for kpi in kpis:
            note = t("common.vs_yesterday") if kpi.delta_note is None else kpi.delta_note or None
            st.metric(
                f":orange[⚠] {kpi.label}" if kpi.flag else kpi.label,
                kpi.value,
                delta=kpi.delta,
                delta_color="off" if kpi.neutral_delta else DELTA_COLOUR[kpi.better],
                border=True,
                chart_data=list(kpi.sparkline) if kpi.sparkline is not None and len(kpi.sparkline) > 1 else None,
                chart_type="area",
                help=card_help(kpi, lang),
                delta_description=note if kpi.delta and not kpi.neutral_delta else None,
                delta_arrow="off" if kpi.neutral_delta else "auto",
                width="stretch",
            )


def card_help(kpi: Kpi, lang: str) -> str | None:
    """A card's tooltip: its data check first, then what the figure means, its formula and
    a link to its entry on the Definitions page."""
    parts = [f"⚠ {kpi.flag}"] if kpi.flag else []
    if kpi.metric:
        entry = metric(kpi.metric)
        parts.append(f"{entry.definition(lang)}  \n`{entry.formula(lang)}`")
        parts.append(f"[{t('definitions.link')}](./definitions?{urlencode({'metric': kpi.metric, 'lang': lang})})")
    return "\n\n".join(parts) or None


def side_by_side(key: str):
    """A row of blocks (charts, tables) that sit side by side on a wide screen and stack
    on a tablet in portrait, instead of squeezing."""
    return st.container(horizontal=True, gap="medium", key=f"pair_{key}")


def empty_note() -> None:
    st.info(t("common.empty"), icon=":material/info:")


def export_context(title: str, state: FilterState, within: str | None) -> ExportContext:
    """The filter, language and data time of a view, for an exported file. Read when the
    file is built (a click), outside the page's run: not on every run that draws the
    buttons (seven or eight per page). When the database cannot say, the file still comes,
    with the area's code and no data time."""
    lang = state.lang
    area, last_day, last_report = state.area_code, None, None
    try:
        area = f"{area_queries.area_info(state.area_code, None, within)[name_column(lang)]} ({state.area_code})"
        freshness = area_queries.domain_freshness()
        if not freshness.empty:
            last_day = freshness["last_day"].dropna().max()
            last_report = freshness["last_reported_at"].dropna().max()
    except (DatabaseUnavailable, UnknownArea, AccessDenied) as error:
        LOG.warning("export of %r without its data time: %s", title, type(error).__name__)
    return ExportContext(
        title=title,
        area=area,
        dates=fmt.day_range(state.start, state.end, lang),
        lang=lang,
        data_time=f"{fmt.day(last_day, lang)} · {fmt.local_time(last_report, lang)}",
        generated_at=fmt.local_time(dt.datetime.now(dt.UTC), lang),
    )


def download_buttons(data: pd.DataFrame, key: str, title: str, levels: RowLevels | None = None) -> None:
    """CSV and XLSX downloads of ``data`` as it may leave the centre (small counts of the
    areas at ``levels`` suppressed when the setting is on); files are built when clicked."""
    reader, state = current_access(), current_filter()
    # The rows' levels read now: the file is built later, outside the page's run and its session.
    levels = levels or area_rows("grid")

    def audited(kind: str, build) -> bytes:
        # Built, and logged, only when the file is actually downloaded.
        table, note = outgoing(data, levels, state.lang)
        content = build(table, replace(export_context(title, state, reader.within), note=note))
        audit.record(reader.actor, audit.EXPORT, area_code=state.area_code, detail=f"{kind} {key}: {title} ({len(data)} rows)")
        return content

    with st.container(horizontal=True, gap="small"):
        st.download_button(
            t("common.download_csv"),
            data=lambda: audited("csv", csv_bytes),
            file_name=f"{key}.csv",
            mime="text/csv",
            key=f"csv_{key}",
            icon=":material/download:",
            on_click="ignore",
        )
        st.download_button(
            t("common.download_xlsx"),
            data=lambda: audited("xlsx", xlsx_bytes),
            file_name=f"{key}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"xlsx_{key}",
            icon=":material/table_view:",
            on_click="ignore",
        )


@st.cache_data(ttl=get_settings().cache_ttl_seconds, max_entries=400, show_spinner=False)
def _built(_builder, name: str, args: tuple):
    return storable(_builder(*args))


def built(builder, *args):
    """``builder(*args)`` (a view's chart and table), its charts turned into Vega-Lite specs
    once per distinct input and kept with the query results: building and validating an
    Altair chart costs tens of ms, more than the page's SQL, and a rerun with the same
    figures (a wall refresh, a widget, a visit) would otherwise pay it again. Its
    arguments are hashed on every run: for frames straight from queries,
    ``ui.data.derive`` keys the same work by the reads instead, which costs less."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    if "<lambda>" in name:  # two lambdas share a name: the function itself tells them apart
        name += f"@{id(builder)}"
    return _built(_builder=builder, name=name, args=args)  # keywords: see ui/data.py's _cached


_CONCATENATED = ("facet", "hconcat", "vconcat", "concat", "repeat")
# What a chart builder gives when there is nothing to read (``derive``'s default): the
# chart block then says there is no data.
NO_CHART = (None, pd.DataFrame())


def chart_block(
    title: str, chart, data: pd.DataFrame, key: str, height: int | None = None, levels: RowLevels | None = None
) -> None:
    """A titled chart (an Altair chart, or its spec from ``built``) with a "show as table"
    toggle and a CSV download of ``data`` (the figures the chart shows, with display column
    names; ``levels``: the level of the areas its rows describe, for small-count
    suppression). ``height``: the chart's own when it sets one, else 300 px. A chart whose
    figures are suppressed on screen shows as its table: a chart cannot draw "<5"."""
    with st.container(border=True):
        head, toggle = st.columns([3, 1], vertical_alignment="center")
        head.markdown(f"**{title}**")
        as_table = toggle.toggle(t("common.show_table"), key=f"table_{key}")
        if data is None or data.empty:
            empty_note()
            return
        shown, note = on_screen(data, levels, current_language())
        if note and suppressed_anything(shown, rule()):
            as_table = True
            st.caption(t("suppression.chart_as_table"))
        if as_table or chart is None:
            texts = as_text(shown, current_language()) if note else shown
            numeric = [column for column in texts.columns if pd.api.types.is_numeric_dtype(texts[column])]
            st.dataframe(
                texts,
                hide_index=True,
                width="stretch",
                column_config=_figures_as_text(data, numeric) if note else None,
                height=min(420, 38 + 35 * len(shown)),
                placeholder=fmt.DASH,
            )
            if note:
                st.caption(note)
        elif isinstance(chart, dict):
            if not any(part in chart for part in _CONCATENATED) and (height is not None or "height" not in chart):
                chart = {**chart, "height": height or 300}
            st.vega_lite_chart(chart, width="stretch")
        elif isinstance(chart, (alt.Chart, alt.LayerChart)):
            if height is not None or chart.height is alt.Undefined:
                chart = chart.properties(height=height or 300)
            st.altair_chart(chart, width="stretch")
        else:  # facets and concatenations size their own parts
            st.altair_chart(chart, width="stretch")
        download_buttons(data, key, title, levels)


def table_block(
    title: str,
    data: pd.DataFrame,
    key: str,
    formats: dict[str, ColumnFormat] | None = None,
    height: int | None = None,
    column_config: dict | None = None,
    levels: RowLevels | None = None,
) -> None:
    """A titled, sortable table with a CSV download of ``data``. ``formats`` (column →
    how to show it) change how it looks on screen, never what is downloaded. A row that
    needs attention says so in words, in a column of its own (rank, flag, status): a
    background per row was a pandas Styler, which Streamlit renders cell by cell on every
    rerun (60–150 ms for a city's tables). ``levels``: the level of the areas its rows
    describe (``ui.suppression_view``), for small-count suppression; without it the rows
    are taken to be the areas below the filter's."""
    with st.container(border=True):
        st.markdown(f"**{title}**")
        if data is None or data.empty:
            empty_note()
            return
        table, note = on_screen(data, levels, current_language())
        shown = as_text(table, current_language()) if note else table  # suppressed: marks as text, a total row
        numeric = [column for column in shown.columns if pd.api.types.is_numeric_dtype(shown[column])]
        config = {column: _column_config(column, spec) for column, spec in (formats or {}).items() if column in numeric}
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={**_figures_as_text(data, numeric), **config, **(column_config or {})} or None,
            height=height or min(520, 38 + 35 * len(table)),
            placeholder=fmt.DASH,  # a figure that is not there (no days until full: not filling up), in any language
        )
        if note:
            st.caption(note)
        download_buttons(data, key, title, levels)


def _figures_as_text(data: pd.DataFrame, numeric: list[str]) -> dict:
    """Columns of figures shown as text (suppression marks among the numbers) still align
    right, like numbers."""
    return {
        column: st.column_config.TextColumn(column, alignment="right")
        for column in data.columns
        if pd.api.types.is_numeric_dtype(data[column]) and column not in numeric
    }


def _column_config(label: str, spec: ColumnFormat):
    if spec.kind == "progress":
        return st.column_config.ProgressColumn(label, format=spec.format, min_value=spec.min_value, max_value=spec.max_value)
    return st.column_config.NumberColumn(label, format=spec.format)


def page_header(title_key: str, detail: str | None = None) -> None:
    """The page title and, under it, the filter's area and ``detail`` (default: its dates)."""
    state = current_filter()
    if detail is None:
        detail = fmt.day_range(state.start, state.end, state.lang)
    st.title(t(title_key))
    st.caption(f"{area_name(state.area_code, state.lang)} · {detail}" if detail else area_name(state.area_code, state.lang))
