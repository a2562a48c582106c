"""The sidebar drawn once by dashboard.py: area picker, dates, language and the page menu.

The canonical filter lives in ``st.session_state["filter"]`` (a FilterState); widgets
write to it through callbacks and every run writes it back to the URL query string.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from data_access import areas as area_queries
from data_access import audit
from data_access.schema import LEVELS
from data_access.scope import Scope, UnknownArea, is_within, resolve_engine
from data_access.settings import get_settings
from presentation import formatting as fmt
from presentation.filter_url import (
    KEY_AREA,
    KEY_END,
    KEY_LANG,
    KEY_RANGE,
    KEY_START,
    PRESETS,
    FilterState,
    clamp_range,
    parse_query,
    preset_range,
)
from presentation.tables import name_column
from presentation.text import LANGUAGES, language_name
from ui.auth import audit_once, current_access
from ui.data import data_bounds, load_plain
from ui.i18n import t

FILTER_KEYS = (KEY_AREA, KEY_RANGE, KEY_START, KEY_END, KEY_LANG)
PICKER_LEVELS = ("district", "street", "community")


def area_table() -> pd.DataFrame:
    """Areas from the city (or the user's own area) down to communities (what the picker
    offers), indexed by code."""
    frame = load_plain(area_queries.areas_down_to, "community", None, current_access().within, default=pd.DataFrame())
    return frame.set_index("code", drop=False) if frame is not None and not frame.empty else pd.DataFrame()


def area_name(code: str, lang: str) -> str:
    info = load_plain(area_queries.area_info, code, None, current_access().within, default=None)
    if info:
        return info[name_column(lang)]
    return code


def current_filter() -> FilterState:
    return st.session_state["filter"]


def current_scope() -> Scope:
    state = current_filter()
    return Scope(state.area_code, state.start, state.end, current_access().within)


def set_filter(**changes) -> None:
    state: FilterState = st.session_state["filter"]
    st.session_state["filter"] = FilterState(**{**state.__dict__, **changes})


def init_filter(root_code: str, bounds: tuple[dt.date, dt.date]) -> FilterState:
    """On a session's first run, read the filter from the URL; afterwards keep the
    session's filter but move relative presets with the data's last day."""
    first, last = bounds
    settings = get_settings()
    if "filter" not in st.session_state:
        params = {key: st.query_params.get(key) for key in FILTER_KEYS}

        def known_area(code: str) -> bool:
            return load_plain(area_queries.area_info, code, default=None) is not None

        st.session_state["filter"] = parse_query(
            params, root_code=root_code, known_area=known_area, first=first, last=last, default_lang=settings.language
        )
    state: FilterState = st.session_state["filter"]
    if state.preset != "custom":
        start, end = preset_range(state.preset, first, last)
    else:
        start, end = clamp_range(state.start, state.end, first, last)
    if (start, end) != (state.start, state.end):
        set_filter(start=start, end=end)
    st.session_state["lang"] = st.session_state["filter"].lang
    return st.session_state["filter"]


def keep_within(root_code: str) -> None:
    """The filter's area back to the user's own when it lies outside it (a forwarded
    link of another district, an edited URL or session): a notice says so and the
    refusal is written to the audit log."""
    access = current_access()
    code = current_filter().area_code
    if access.within is None:
        return
    try:
        inside = is_within(resolve_engine(None), code, access.within)
    except UnknownArea:
        inside = False
    if inside:
        return
    set_filter(area_code=root_code)
    audit_once(
        f"foreign:{code}",
        access.actor,
        audit.DENIED,
        outcome=audit.REFUSED,
        area_code=code[:24],
        detail=f"area {code[:24]} outside own area {access.within}",
    )
    if not access.is_kiosk:  # an unattended wall would keep the notice all day; the audit log has it
        st.warning(
            t("auth.foreign_area", code=code[:24], area=area_name(root_code, current_filter().lang)), icon=":material/block:"
        )


def sync_url(root_code: str) -> None:
    """Write the filter into the URL (only the filter's own keys; others such as mode stay)."""
    wanted = current_filter().to_query(root_code, get_settings().language)
    for key in FILTER_KEYS:
        if key in wanted:
            if st.query_params.get_all(key) != [wanted[key]]:  # a repeated key (area=A&area=B) goes too
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def filter_query_params(root_code: str) -> dict[str, str]:
    """The filter as query parameters, for links to other pages."""
    return current_filter().to_query(root_code, get_settings().language)


# ------------------------------------------------------------------ widgets
def _on_language() -> None:
    value = st.session_state.get("w_lang")
    if value in LANGUAGES:
        set_filter(lang=value)
        st.session_state["lang"] = value


def _on_search() -> None:
    code = st.session_state.get("w_area_search")
    if code:
        set_filter(area_code=code)
    st.session_state["w_area_search"] = None
    st.session_state["w_area_query"] = ""  # the search is done: the level boxes show where it went


def _on_level_pick(widget_key: str, parent_code: str) -> None:
    code = st.session_state.get(widget_key)
    set_filter(area_code=code or parent_code)


def _on_preset() -> None:
    preset = st.session_state.get("w_preset")
    if preset in PRESETS:
        state = current_filter()
        set_filter(preset=preset)
        if preset == "custom":
            set_filter(start=state.start, end=state.end)


def _on_custom_range() -> None:
    value = st.session_state.get("w_custom_range")
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(value):
        set_filter(preset="custom", start=value[0], end=value[1])


def draw_language_switch() -> None:
    st.session_state["w_lang"] = current_filter().lang
    st.segmented_control(
        t("filter.language"),
        options=list(LANGUAGES),
        format_func=language_name,
        key="w_lang",
        on_change=_on_language,
        width="stretch",
    )


SEARCH_LIMIT = 20  # matches offered for a search: a name narrows, it is not browsed


def draw_area_picker(root: dict) -> None:
    """Search (a name or code, asked of the database on Enter, at most SEARCH_LIMIT
    matches) and one select box per level below the reader's top, each offering only the
    children of the area chosen above it: no rerun ships the city's whole list."""
    state = current_filter()
    lang, within = state.lang, current_access().within
    names = name_column(lang)
    root_code, top = root["code"], root["level"]
    query = st.text_input(t("filter.search"), key="w_area_query", placeholder=t("filter.search_placeholder"), max_chars=50)
    if query.strip():
        matches = load_plain(area_queries.search_areas, query, SEARCH_LIMIT, "community", None, within, default=pd.DataFrame())
        if matches is None or matches.empty:
            st.caption(t("filter.search_none", text=query.strip()))
        else:
            labels = {row.code: f"{getattr(row, names)} · {row.code}" for row in matches.itertuples()}
            st.selectbox(
                t("filter.search_results", n=len(labels)),
                options=list(labels),
                index=None,
                format_func=labels.get,
                placeholder=t("filter.search_pick"),
                key="w_area_search",
                on_change=_on_search,
            )
    path = load_plain(area_queries.area_path, state.area_code, None, within, default=None)
    chosen = {row.level: row.code for row in path.itertuples()} if path is not None else {}
    parent = root_code
    # The levels under the top the user may see: a district's user starts at its streets.
    for level in [level for level in PICKER_LEVELS if LEVELS.index(level) > LEVELS.index(top)]:
        children = load_plain(area_queries.area_children, parent, None, within, default=pd.DataFrame())
        if children is None or children.empty:
            break
        children = children[children["level"] == level]
        if children.empty:
            break
        labels = dict(zip(children["code"], children[names], strict=True))
        widget_key = f"w_pick_{level}_{parent}"
        st.session_state[widget_key] = chosen.get(level)
        st.selectbox(
            t(f"filter.level.{level}"),
            options=list(labels),
            index=None,
            format_func=labels.get,
            placeholder=t("filter.whole"),
            key=widget_key,
            on_change=_on_level_pick,
            args=(widget_key, parent),
            filter_mode="contains",
        )
        if level not in chosen:
            break
        parent = chosen[level]
    deeper = [row for row in (path.itertuples() if path is not None else []) if row.level not in ("city", *PICKER_LEVELS)]
    for row in deeper:
        st.caption(f"{t('filter.level.' + row.level)}：{getattr(row, names)}")
    if deeper:
        up = path.iloc[-2]
        if st.button(t("filter.up", name=up[names]), key="w_area_up", width="stretch"):
            set_filter(area_code=up["code"])
            st.rerun()


def draw_date_filter(bounds: tuple[dt.date, dt.date]) -> None:
    first, last = bounds
    state = current_filter()
    st.session_state["w_preset"] = state.preset
    st.segmented_control(
        t("filter.dates"),
        options=list(PRESETS),
        format_func=lambda p: t(f"filter.preset.{p}"),
        key="w_preset",
        on_change=_on_preset,
        width="stretch",
    )
    if state.preset == "custom":
        st.session_state["w_custom_range"] = (state.start, state.end)
        st.date_input(
            t("filter.custom_range"),
            min_value=first,
            max_value=last,
            key="w_custom_range",
            on_change=_on_custom_range,
            format="YYYY-MM-DD",
        )
    st.caption(
        fmt.day_range(state.start, state.end, state.lang)
        + " · "
        + t("filter.data_span", first=fmt.day(first, state.lang), last=fmt.day(last, state.lang))
    )


def live_scope() -> Scope:
    """The filter's scope recomputed against the data's current bounds: used by screens
    that refresh themselves, so "last 7 days" moves on when a new day's data arrives."""
    state = current_filter()
    bounds = data_bounds()
    if bounds is None:
        return current_scope()
    if state.preset == "custom":
        start, end = clamp_range(state.start, state.end, *bounds)
    else:
        start, end = preset_range(state.preset, *bounds)
    return Scope(state.area_code, start, end, current_access().within)
