"""Reading the adapter from pages: cached per filter, and a banner when the database is down.

Pages call ``load(query_function, scope, ...)``; results are cached with the configured
TTL, keyed by the function and the filter values. A failing database shows one banner
per run and gives back an empty frame, so pages draw their friendly "no data" notes.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from contextlib import contextmanager
from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access import areas as area_queries
from data_access import reporting
from data_access.engine import database_url, get_engine
from data_access.scope import AccessDenied, DatabaseFailed, DatabaseUnavailable, Scope, UnknownArea
from data_access.settings import get_settings
from presentation import formatting as fmt
from presentation.trends import load_window
from ui.auth import current_access
from ui.i18n import t
from ui.outage import Outage

_TTL = get_settings().cache_ttl_seconds
LOG = logging.getLogger("dashboard.database")
# After a failed read, reads skip the database this long (then one tries again).
OUTAGE_RETRY_SECONDS = float(os.environ.get("DASHBOARD_OUTAGE_RETRY_S", "10"))


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


# The query function itself is passed (``_function``: not hashed); its name is the key, with
# the database's URL (a process serves one; a tool or a test may switch) and the filter.
# The caches are called with keywords: for each positional argument Streamlit reads the
# function's signature again, which cost more than the lookup itself (about 0.1 ms each).
@st.cache_data(ttl=_TTL, max_entries=2000, show_spinner=False)
def _cached(_function, key: tuple) -> pd.DataFrame:
    """``key``: (name, url, area code, start, end, within, extra arguments)."""
    _name, _url, area_code, start, end, within, extra = key
    return _function(Scope(area_code, start, end, within), *extra)


def as_reader(scope: Scope) -> Scope:
    """``scope`` as the session's user reads it: their area is its ``within``."""
    return replace(scope, within=current_access().within)


# The process's outage state per database URL (tests switch databases). A plain dict, not
# a Streamlit resource: every read asks for it, and a resource lookup hashes its argument.
_OUTAGES: dict[str, Outage] = {}
_OUTAGES_LOCK = threading.Lock()


def _outage() -> Outage:
    """The configured database's outage state."""
    url = database_url()
    outage = _OUTAGES.get(url)
    if outage is None:
        with _OUTAGES_LOCK:
            outage = _OUTAGES.setdefault(url, Outage(retry_seconds=OUTAGE_RETRY_SECONDS))
    return outage


def forget_outages() -> None:
    """Drop every outage state and kept answer, as a restart of the process does."""
    with _OUTAGES_LOCK:
        _OUTAGES.clear()


def _read(key: tuple, call, default):
    """``call()``, remembered for an outage. While the database is unreachable (it failed
    less than OUTAGE_RETRY_SECONDS ago, or fails now) the banner shows and the last good
    answer for ``key`` comes back, with its age in the banner; ``default`` when none."""
    outage = _outage()
    if outage.waiting():
        return _fallback(outage, key, default, DatabaseUnavailable("the database failed moments ago"))
    try:
        value = call()
    except DatabaseFailed as error:  # this statement, not the server: others go on
        show_database_banner(error)
        return default
    except DatabaseUnavailable as error:
        outage.failed()
        return _fallback(outage, key, default, error)
    outage.recovered()
    outage.keep(key, value)
    return value


def _fallback(outage: Outage, key: tuple, default, error: DatabaseUnavailable):
    kept = outage.last(key)
    show_database_banner(error, None if kept is None else kept.read_at)
    return default if kept is None else kept.value


def load(function, scope: Scope, *extra) -> pd.DataFrame:
    """``function(scope, *extra)`` through the cache, read as the session's user (their
    area becomes the scope's ``within``, whatever the caller passed); an empty frame when
    the area is not the user's, and the last good frame (or an empty one) when the
    database fails."""
    key = _query_key(function, scope, extra)
    try:
        return _read(key, lambda: _cached(_function=function, key=key), pd.DataFrame())
    except AccessDenied:
        return pd.DataFrame()


def _query_key(function, scope: Scope, extra) -> tuple:
    """A query call as ``_cached`` knows it (and an outage keeps its answer): the function's
    name, the database, the scope as the session's user reads it and the extra arguments."""
    within = as_reader(scope).within
    return (_name(function), database_url(), scope.area_code, scope.start, scope.end, within, tuple(extra))


def _plain_key(function, args) -> tuple:
    """A call without a scope as ``_cached_plain`` knows it: name, database, arguments."""
    return (_name(function), database_url(), tuple(args))


def with_comparison(scope: Scope) -> Scope:
    """The range plus what a daily query's cards and trends need around it: the period
    before it (changes), 30 days (sparklines) and a short range's context."""
    return scope.with_days(*load_window(scope.start, scope.end))


def load_with_comparison(function, scope: Scope) -> pd.DataFrame:
    """A daily query over ``with_comparison(scope)``."""
    return load(function, with_comparison(scope))


# Figures worked out from query results (a projection, its tables), cached by what they
# were worked out from: the reads' keys and the builder's plain arguments. Hashing the
# frames themselves instead costs more than most builders save.
@st.cache_data(ttl=_TTL, max_entries=400, show_spinner=False)
def _derived(_builder, _functions: tuple, key: tuple):
    """``key``: (builder name, each read's key as ``_cached`` or ``_cached_plain`` takes
    it, the arguments)."""
    _name, reads, args = key
    frames = [
        _cached_plain(_function=function, key=read) if len(read) == 3 else _cached(_function=function, key=read)
        for function, read in zip(_functions, reads, strict=True)  # (a plain key has three parts)
    ]
    return storable(_builder(*frames, *args))


def _as_spec(part):
    """An Altair chart as its Vega-Lite spec (data inline, as Streamlit would send it)."""
    if isinstance(part, alt.TopLevelMixin):
        with alt.data_transformers.disable_max_rows():
            return part.to_dict()
    return part


def storable(result):
    """A builder's result as a cache keeps it: its Altair charts (alone or in a tuple) as
    their Vega-Lite specs, built and validated once instead of on every rerun that uses it
    (tens of ms a chart, more than most pages' SQL)."""
    return tuple(_as_spec(part) for part in result) if isinstance(result, tuple) else _as_spec(result)


def derive(builder, reads, *args, default=None):
    """``builder(*frames, *args)``, where ``frames`` are the results of ``reads`` (a query
    function, its scope and any further arguments, read as ``load`` reads them; a scope of
    None: a call without one, as ``load_plain`` makes), cached by the reads and ``args``:
    give it plain values (codes, numbers, dates, text, tuples), cheap to hash on every
    run. For a page's
    figures worked out in Python from its queries (a projection, its table and sentences),
    which a rerun would otherwise work out again; Altair charts among the results come
    back as their specs (``storable``). ``default`` when the area is not the user's; the
    last good result during an outage."""
    keys = tuple(
        _plain_key(function, extra) if scope is None else _query_key(function, scope, extra) for function, scope, *extra in reads
    )
    key = (_name(builder), keys, args)
    functions = tuple(read[0] for read in reads)
    try:
        return _read(key, lambda: _derived(_builder=builder, _functions=functions, key=key), default)
    except AccessDenied:
        return default


@st.cache_data(ttl=_TTL, max_entries=200, show_spinner=False)
def _cached_plain(_function, key: tuple):
    """``key``: (name, url, arguments)."""
    return _function(*key[2])


def load_plain(function, *args, default=None):
    """A cached call of an adapter function that takes no scope (area lookups, bounds)."""
    key = _plain_key(function, args)
    try:
        return _read(key, lambda: _cached_plain(_function=function, key=key), default)
    except (UnknownArea, AccessDenied):
        return default


@st.cache_resource(show_spinner=False)
def _seen_version() -> dict:
    return {}


def follow_writes() -> None:
    """Called at the top of every run: when anything wrote data since the last run of any
    session (a command-line import, another replica, a master-data change), the cached
    figures are dropped, so they show at once instead of after the cache's TTL."""
    outage = _outage()
    if outage.waiting():
        show_database_banner(DatabaseUnavailable("the database failed moments ago"))
        return
    try:
        version = reporting.data_version()
    except DatabaseUnavailable as error:
        # One timeout here, not one per figure: the page's loads now skip the database
        # and show the figures they last had.
        outage.failed()
        show_database_banner(error)
        return
    outage.recovered()
    seen = _seen_version()
    if seen.get("version") not in (None, version):
        st.cache_data.clear()
    seen["version"] = version


def forget_lookups() -> None:
    """Drop the cached results of the functions without a scope (import history, area
    lookups): after an import that changed no figure but did write its history row."""
    _cached_plain.clear()


def reset_banner() -> None:
    """Called at the top of every run (and of the wall's header fragment): the next
    failure shows the banner again."""
    st.session_state.pop(_BANNER, None)


_BANNER = "_db_banner"
_QUIET = "_db_banner_quiet"


def fragment_rerun() -> bool:
    """True when only a fragment re-runs (the wall's refresh), not the whole script."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def database_failed() -> bool:
    """True while the database is taken as unreachable (it failed moments ago)."""
    return _outage().waiting()


@contextmanager
def banner_elsewhere():
    """Within this block a failure shows no banner (the wall's fragments, whose header
    fragment shows it)."""
    st.session_state[_QUIET] = True
    try:
        yield
    finally:
        st.session_state[_QUIET] = False


def show_database_banner(error: Exception, read_at: float | None = None) -> None:
    """One red banner per script run in the reader's language; when figures from before
    the outage are shown, it says when they were read (the oldest of them). The driver's
    message (host, port, database, role) goes to the server's log, never to the page."""
    if st.session_state.get(_QUIET):
        return
    banner = st.session_state.get(_BANNER)
    if banner is None:
        LOG.warning(
            "database %s: %s",
            "failed" if isinstance(error, DatabaseFailed) else "unavailable",
            (str(error).strip().splitlines() or [type(error).__name__])[0][:500],
        )
        banner = st.session_state[_BANNER] = {"slot": st.empty(), "read_at": None}
    elif read_at is None or (banner["read_at"] is not None and banner["read_at"] <= read_at):
        return  # already said, with an age at least as old
    if read_at is not None:
        banner["read_at"] = read_at
    text = t("app.db_failed" if isinstance(error, DatabaseFailed) else "app.db_down")
    if banner["read_at"] is not None:
        lang = st.session_state.get("lang") or get_settings().language
        read = dt.datetime.fromtimestamp(banner["read_at"], tz=dt.UTC)
        minutes = max(0, round((dt.datetime.now(tz=dt.UTC) - read).total_seconds() / 60))
        text += " " + t("app.db_down_kept", time=fmt.local_time(read, lang), minutes=fmt.count(minutes, lang))
    banner["slot"].error(text, icon=":material/error:")


def data_bounds() -> tuple[dt.date, dt.date] | None:
    return load_plain(area_queries.data_date_bounds)


def is_sample_data() -> bool:
    description = load_plain(area_queries.dataset_description, default={}) or {}
    return description.get("kind") == "sample"
