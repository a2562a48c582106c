"""What each page of the dashboard asks the database for, found by running the app.

Every page runs headless (Streamlit's AppTest) against the benchmark's database with a
recorder wrapped around the loader API that pages, the sidebar and the gate read through:
``ui.data.load(function, scope, *extra)``, ``ui.data.load_plain(function, *args)`` and
``ui.data.derive(builder, reads, *args)`` (each of its reads, as ``load`` or
``load_plain`` would make it; the builder's own work is Python, not SQL). A recorded call is the query function and the arguments the loader hands it, so it can
be timed again outside Streamlit, as a cache miss runs it. The pages come from the app
too: the ones its ``st.navigation`` registers in a normal run, and the wall (``?mode=wall``).

The wrappers replace the module attributes before anything else imports ``ui.data``:
page scripts run ``from ui.data import load`` on every run, and the ``ui`` modules that
import it once (the sidebar, the overview's figures) do so after the recorder is in place.
Two checks tell when the recording may miss something: a module that still holds the
unwrapped loader (it imported it before the recorder was installed), and SQL a page runs
outside any loader call (a page reading the database some other way).
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import streamlit as st
from sqlalchemy import Engine, event
from streamlit.logger import set_log_level
from streamlit.testing.v1 import AppTest

from data_access.scope import Scope

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "dashboard.py"
LOADERS = ("load", "load_plain", "derive")  # ui.data's public loader API
WALL = {"mode": "wall"}  # the wall screen: opened by its address, not listed in the navigation
APP, PAGE = "app", "page"  # a call made by dashboard.py (gate, sidebar filter) or by the page


@dataclass(frozen=True)
class Call:
    """One query function call as the loader makes it: ``function(*args)``; ``origin``
    says who asked: the page (its script is on the stack) or the app around it."""

    function: Callable
    args: tuple
    loader: str
    origin: str = APP
    # The scripts running when the call was made (module-level frames): how ``origin`` is told.
    scripts: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    @property
    def name(self) -> str:
        return f"{self.function.__module__.rsplit('.', 1)[-1]}.{self.function.__qualname__}"

    @property
    def key(self) -> tuple:
        return (self.function, repr(self.args))

    def attributed(self, page_scripts: set[str]) -> Call:
        return replace(self, origin=PAGE if self.scripts & page_scripts else APP)

    def label(self) -> str:
        return f"{self.name}({', '.join(_short(a) for a in self.args)})"

    def run(self):
        return self.function(*self.args)


def _short(value) -> str:
    if isinstance(value, Scope):
        within = f" within {value.within}" if value.within else ""
        days = value.start.isoformat() if value.start == value.end else f"{value.start}…{value.end}"
        return f"{value.area_code} {days}{within}"
    return repr(value)


@dataclass
class PageRun:
    """What one page called in a session that opened on it (its own calls and the app's)."""

    page: str
    script: str
    calls: list[Call] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class Recorder:
    """Records every call through ``ui.data.load``/``load_plain``/``derive`` while a page runs, and
    the SQL the app engine runs outside them."""

    def __init__(self) -> None:
        # Bare-mode warnings (no runtime, no ScriptRunContext) would come with every call, and
        # a page's failure with its traceback: the failure's message is reported instead,
        # unredacted (the app's own config hides it from users).
        st.config.set_option("logger.level", "critical")
        set_log_level("critical")
        st.config.set_option("client.showErrorDetails", "full")
        import ui.data as data  # first: every module importing it from now on gets the wrappers

        self.data = data
        self.originals: dict[str, Callable] = {}
        self._lock = threading.Lock()
        self._calls: list[Call] | None = None
        self._sql_outside: list[str] = []
        self._depth = threading.local()
        self._engines: set[int] = set()
        for name in LOADERS:
            original = getattr(data, name)
            self.originals[name] = original
            setattr(data, name, self._wrap(name, original))

    def _wrap(self, loader: str, original: Callable) -> Callable:
        @functools.wraps(original)
        def recording(function, *args, **kwargs):
            if loader == "derive":  # derive(builder, reads, *args): each read as load/load_plain makes it
                for read_function, scope, *extra in args[0] if args else ():
                    if scope is None:
                        self._record("load_plain", read_function, tuple(extra))
                    else:
                        self._record("load", read_function, (scope, *extra))
            else:
                self._record(loader, function, args)
            self._depth.value = getattr(self._depth, "value", 0) + 1
            try:
                return original(function, *args, **kwargs)
            finally:
                self._depth.value -= 1

        return recording

    def _effective_args(self, loader: str, args: tuple) -> tuple:
        # load(function, scope, *extra) calls function(scope as the session's reader, *extra);
        # load_plain(function, *args) calls function(*args) (its ``default`` is not passed on).
        if loader == "load" and args:
            scope, *extra = args
            as_reader = getattr(self.data, "as_reader", None)
            if as_reader is not None:
                scope = as_reader(scope)
            return (scope, *extra)
        return tuple(args)

    def _record(self, loader: str, function: Callable, args: tuple) -> None:
        if self._calls is None or getattr(self._depth, "value", 0):
            return  # not recording, or a loader called from inside another (counted once)
        scripts, frame = set(), sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_name == "<module>":  # a script's (or a module's) top level
                scripts.add(os.path.realpath(frame.f_code.co_filename))
            frame = frame.f_back
        call = Call(function, self._effective_args(loader, args), loader, scripts=frozenset(scripts))
        with self._lock:
            self._calls.append(call)

    def watch(self, engine: Engine) -> None:
        """Count the statements ``engine`` runs during a page outside any loader call."""
        if id(engine) in self._engines:
            return
        self._engines.add(id(engine))

        @event.listens_for(engine, "before_cursor_execute")
        def _statement(_conn, _cursor, statement, _parameters, _context, _executemany):
            if self._calls is not None and not getattr(self._depth, "value", 0):
                with self._lock:
                    self._sql_outside.append(" ".join(statement.split())[:100])

    def run(self, at: AppTest, script: str | None) -> tuple[list[Call], list[str]]:
        """Run ``at`` (switched to ``script`` first, when given), recording: (calls, problems)."""
        self._calls, self._sql_outside = [], []
        problems: list[str] = []
        try:
            if script:
                at.switch_page(script)
            at.run()
            problems += [f"the page raised: {_first_line(e.value)}" for e in at.exception]
            problems = list(dict.fromkeys(problems))
        except Exception as error:  # a page that cannot even be opened is reported, not fatal
            problems.append(f"could not run: {type(error).__name__}: {_first_line(str(error))}")
        finally:
            calls, outside = self._calls, self._sql_outside
            self._calls, self._sql_outside = None, []
        if outside:
            problems.append(f"{len(outside)} SQL statement(s) outside load/load_plain/derive, not timed; first: {outside[0]}")
        return calls, problems

    def stale_bindings(self) -> list[str]:
        """Project modules holding an unwrapped loader: their calls would not be recorded."""
        found = []
        for name, module in list(sys.modules.items()):
            path = getattr(module, "__file__", None) or ""
            if not path.startswith(str(ROOT)) or "/.venv/" in path or module is self.data:
                continue
            for loader, original in self.originals.items():
                if any(value is original for value in vars(module).values()):
                    found.append(f"{name} holds the unwrapped ui.data.{loader}")
        return found


def _first_line(text: str) -> str:
    return (str(text).strip().splitlines() or [""])[0][:200]


def _app(params: dict[str, str], timeout: float) -> AppTest:
    at = AppTest.from_file(str(SCRIPT), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def registered_pages(at: AppTest) -> list[str]:
    """The page scripts the last run registered with ``st.navigation``, relative to the
    project, each once (the wall registers one script under many addresses); none when the
    run failed before ``st.navigation`` (AppTest then lists the pages/ folder: not the app's)."""
    scripts: list[str] = []
    for info in getattr(at, "_registered_pages", {}).values():
        path = info.get("script_path")
        if path and "url_pathname" in info:
            relative = os.path.relpath(os.path.realpath(path), ROOT)
            if relative not in scripts and relative != SCRIPT.name:
                scripts.append(relative)
    return scripts


def _distinct(calls: Iterable[Call]) -> list[Call]:
    seen, result = set(), []
    for call in calls:
        if call.key not in seen:
            seen.add(call.key)
            result.append(call)
    return result


def warm_up(params: dict[str, str], timeout: float) -> None:
    """One throw-away run: the process's first-run work (schema check, engine) is not a page's."""
    st.cache_data.clear()  # figures cached from another database must not stand in for this one's
    _app(params, timeout).run()


def record_pages(recorder: Recorder, params: dict[str, str], timeout: float = 600) -> list[PageRun]:
    """Every page's calls for the filter in ``params`` (the URL's query parameters).

    A session opens on the default page; its first run's app calls (reading the filter
    from the URL, the area lookups) belong to every page, as to a session that opens on
    that page by a link. Then each registered page is switched to and run; its calls
    are the app's of the first run and of its own run, and the page's own.
    """
    runs: list[PageRun] = []
    for mode in ({}, WALL):
        at = _app({**params, **mode}, timeout)
        first_calls, first_problems = recorder.run(at, None)
        scripts = registered_pages(at)
        if not scripts:  # the app failed before listing its pages: nothing to switch to
            name = "wall" if mode else "(app)"
            problems = first_problems or ["the app registered no pages"]
            runs.append(PageRun(name, SCRIPT.name, _distinct(first_calls), problems))
            continue
        page_scripts = {os.path.realpath(ROOT / s) for s in scripts}
        session_start = [c for c in (c.attributed(page_scripts) for c in first_calls) if c.origin == APP]
        if mode:
            scripts = [s for s in scripts if Path(s).stem == "wall"] or scripts[:1]
        for script in scripts:
            calls, problems = recorder.run(at, script)
            calls = [c.attributed(page_scripts) for c in calls]
            run = PageRun(Path(script).stem, script, _distinct([*session_start, *calls]), problems)
            if not calls and first_problems:
                run.problems = list(dict.fromkeys([*run.problems, *first_problems]))
            runs.append(run)
    return runs
