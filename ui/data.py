"""Reading the adapter from pages: cached per filter, and a banner when the database is down.

Pages call ``load(query_function, scope, ...)``; results are cached with the configured
TTL, keyed by the function and the filter values. A failing database shows one banner
per run and gives back an empty frame, so pages draw their friendly "no data" notes.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace

import pandas as pd
import streamlit as st

from data_access import areas as area_queries
from data_access import reporting
from data_access.engine import database_url, get_engine
from data_access.scope import AccessDenied, DatabaseUnavailable, Scope, UnknownArea
from data_access.settings import get_settings
from presentation.trends import load_window
from ui.auth import current_access
from ui.i18n import t

_TTL = get_settings().cache_ttl_seconds
LOG = logging.getLogger("dashboard.database")


@st.cache_resource(show_spinner=False)
def engine_ready(url: str, _prepare):
    """Prepare the database once per process (``_prepare``: the entry script's choice,
    which upgrades the schema and fills the embedded default with the sample city)."""
    _prepare()
    return get_engine(url)


def ensure_engine(prepare):
    """The engine, prepared once per process; None (and the banner) when it fails."""
    url = database_url()
    try:
        return engine_ready(url, prepare)
    except DatabaseUnavailable as error:
        show_database_banner(error)
    except Exception as error:  # noqa: BLE001 - any failure to reach the database is shown, not raised
        show_database_banner(error)
    return None


def _name(function) -> str:
    return f"{function.__module__}.{function.__qualname__}"


# The query function itself is passed (``_function``: not hashed); its name is the key.
@st.cache_data(ttl=_TTL, max_entries=2000, show_spinner=False)
def _cached(_function, name: str, area_code: str, start: dt.date, end: dt.date, within: str | None, extra: tuple) -> pd.DataFrame:
    return _function(Scope(area_code, start, end, within), *extra)


def as_reader(scope: Scope) -> Scope:
    """``scope`` as the session's user reads it: their area is its ``within``."""
    return replace(scope, within=current_access().within)


def load(function, scope: Scope, *extra) -> pd.DataFrame:
    """``function(scope, *extra)`` through the cache, read as the session's user (their
    area becomes the scope's ``within``, whatever the caller passed); an empty frame when
    the database fails or the area is not the user's."""
    within = as_reader(scope).within
    try:
        return _cached(function, _name(function), scope.area_code, scope.start, scope.end, within, tuple(extra))
    except DatabaseUnavailable as error:
        show_database_banner(error)
        return pd.DataFrame()
    except AccessDenied:
        return pd.DataFrame()


def load_with_comparison(function, scope: Scope) -> pd.DataFrame:
    """A daily query over the range plus what its cards and trends need around it: the
    period before it (changes), 30 days (sparklines) and a short range's context."""
    return load(function, scope.with_days(*load_window(scope.start, scope.end)))


@st.cache_data(ttl=_TTL, max_entries=200, show_spinner=False)
def _cached_plain(_function, name: str, args: tuple):
    return _function(*args)


def load_plain(function, *args, default=None):
    """A cached call of an adapter function that takes no scope (area lookups, bounds)."""
    try:
        return _cached_plain(function, _name(function), tuple(args))
    except DatabaseUnavailable as error:
        show_database_banner(error)
        return default
    except (UnknownArea, AccessDenied):
        return default


@st.cache_resource(show_spinner=False)
def _seen_version() -> dict:
    return {}


def follow_writes() -> None:
    """Called at the top of every run: when anything wrote data since the last run of any
    session (a command-line import, another replica, a master-data change), the cached
    figures are dropped, so they show at once instead of after the cache's TTL."""
    try:
        version = reporting.data_version()
    except DatabaseUnavailable as error:
        # Now, not from the pages' loads: their cached figures would hide an outage (a
        # deleted SQLite file, say) until the cache expires.
        show_database_banner(error)
        return
    seen = _seen_version()
    if seen.get("version") not in (None, version):
        st.cache_data.clear()
    seen["version"] = version


def forget_lookups() -> None:
    """Drop the cached results of the functions without a scope (import history, area
    lookups): after an import that changed no figure but did write its history row."""
    _cached_plain.clear()


def reset_banner() -> None:
    """Called at the top of every run: the next failure shows the banner again."""
    st.session_state["_db_banner_shown"] = False


def show_database_banner(error: Exception) -> None:
    """One red banner per script run in the reader's language. The driver's message (host,
    port, database, role) goes to the server's log, never to the page."""
    if st.session_state.get("_db_banner_shown"):
        return
    st.session_state["_db_banner_shown"] = True
    LOG.warning("database unavailable: %s", (str(error).strip().splitlines() or [type(error).__name__])[0][:500])
    st.error(t("app.db_down"), icon=":material/error:")


def data_bounds() -> tuple[dt.date, dt.date] | None:
    return load_plain(area_queries.data_date_bounds)


def is_sample_data() -> bool:
    description = load_plain(area_queries.dataset_description, default={}) or {}
    return description.get("kind") == "sample"
