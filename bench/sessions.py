"""Many people on one dashboard server: its memory after 50 sessions close, and how long a
page run takes while N sessions change their filter (the many-users issue, goals 4 to 6).

    .venv/bin/python bench/sessions.py                      # the city database if built, else the small sample
    .venv/bin/python bench/sessions.py --quick              # 5 sessions for 20 s: a check of the script
    .venv/bin/python bench/sessions.py --through-nginx      # also 1 and 2 replicas behind nginx, on PostgreSQL

The clients are real Streamlit sessions without a browser: each is a websocket to
``/_stcore/stream`` speaking Streamlit's protobuf protocol (``BackMsg`` up, ``ForwardMsg``
down), all of them in this one asyncio process, pinned to a core the server does not use.
Time-to-finished is from sending a rerun to receiving ``script_finished``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.app_support import DashboardServer, free_port  # noqa: E402

CITY_SQLITE = ROOT / "bench" / ".cache" / "city.sqlite"
DEFAULT_POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MB = 2**20
MEMORY_SESSIONS, MEMORY_WAVE, MEMORY_BUDGET_MB = 50, 10, 100
GOAL_SESSIONS, GOAL_P95_SECONDS = 25, 1.5
# A run that draws fewer elements than this did not draw the page (the overview draws ~70-100).
MIN_DELTAS = 20
RUN_TIMEOUT = 120.0
# The district picker of the sidebar (ui/sidebar.py draw_area_picker): its widget id ends
# in its key, w_pick_district_<city code>; its options are the districts' names.
DISTRICT_PICKER = re.compile(r"-w_pick_district_\d+$")
FINISHED = ForwardMsg.ScriptFinishedStatus.Name


# ------------------------------------------------------------------ the protocol client
@dataclass
class Run:
    """One page run as the client saw it."""

    seconds: float
    outcome: str  # "ok", or what went wrong
    deltas: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


class Session:
    """One browser tab's Streamlit session, spoken to over its websocket: the first run
    with ``query`` in the address, then reruns that pick another district in the sidebar.

    A filter change is a widget change, as when a person picks a district: the dashboard
    reads the address only on a session's first run (ui/sidebar.py init_filter), so a
    rerun with another query string keeps the session's filter and writes it back to the
    address. Each rerun checks that the page was really drawn: it finished successfully,
    drew at least ``MIN_DELTAS`` elements, none of them an exception, and after a district
    pick the address the server wrote names a new area."""

    def __init__(self, stream_url: str, query: str, page: str = "", cookie: str | None = None, order: int = 0) -> None:
        self.stream_url = stream_url
        self.order = order  # where this session starts in the district list
        self.query = query  # the address's query string, as the server last wrote it
        self.page = page
        self.cookie = cookie
        self.picker_id: str | None = None
        self.districts: list[str] = []
        self.picks = 0
        self._ws = None

    async def open(self) -> None:
        headers = {"Cookie": f"yqfk_replica={self.cookie}"} if self.cookie else None
        # The browser offers the subprotocol "streamlit" (then an XSRF token and a session
        # to resume, both unused here). No client pings: a busy server answers late.
        self._ws = await websockets.connect(
            self.stream_url,
            subprotocols=["streamlit"],
            additional_headers=headers,
            max_size=None,
            ping_interval=None,
            open_timeout=RUN_TIMEOUT,
        )

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def first_run(self) -> Run:
        return await self._run({})

    async def pick_next_district(self) -> Run:
        """Pick another district in the sidebar's district picker (the next one in this
        session's own order), as a person does."""
        if self.picker_id is None or len(self.districts) < 2:
            return Run(0.0, "no district picker on the page")
        before = parse_qs(self.query).get("area")
        self.picks += 1
        name = self.districts[(self.order + self.picks) % len(self.districts)]
        run = await self._run({self.picker_id: name})
        if run.ok and parse_qs(self.query).get("area") in (None, before):
            run.outcome = "filter not applied"
        return run

    async def _run(self, widgets: dict[str, str]) -> Run:
        message = BackMsg()
        message.rerun_script.query_string = self.query
        message.rerun_script.page_name = self.page
        for widget_id, value in widgets.items():
            state = message.rerun_script.widget_states.widgets.add()
            state.id, state.string_value = widget_id, value
        started = time.monotonic()
        try:
            await self._ws.send(message.SerializeToString())
            return await asyncio.wait_for(self._until_finished(started), RUN_TIMEOUT)
        except TimeoutError:
            return Run(time.monotonic() - started, "timeout")
        except websockets.ConnectionClosed as closed:
            return Run(time.monotonic() - started, f"connection closed ({closed.rcvd.code if closed.rcvd else '-'})")

    async def _until_finished(self, started: float) -> Run:
        deltas, problem = 0, None
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self._ws.recv())
            kind = message.WhichOneof("type")
            if kind == "delta":
                deltas += 1
                if message.delta.WhichOneof("type") == "new_element":
                    problem = self._element(message.delta.new_element) or problem
            elif kind == "page_info_changed":
                self.query = message.page_info_changed.query_string
            elif kind == "page_not_found":
                problem = f"page not found: {message.page_not_found.page_name}"
            elif kind == "script_finished":
                seconds = time.monotonic() - started
                status = message.script_finished
                if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                    return Run(seconds, FINISHED(status), deltas)
                if problem is None and deltas < MIN_DELTAS:
                    problem = f"only {deltas} elements drawn"
                return Run(seconds, problem or "ok", deltas)

    def _element(self, element) -> str | None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            return f"exception: {element.exception.type}: {element.exception.message[:120]}"
        if kind == "selectbox" and DISTRICT_PICKER.search(element.selectbox.id):
            self.picker_id, self.districts = element.selectbox.id, list(element.selectbox.options)
        return None


def stream_url(http_url: str) -> str:
    return http_url.replace("http://", "ws://", 1) + "/_stcore/stream"


# ------------------------------------------------------------------ the server, from outside
class Processes:
    """Resident memory and CPU time of the server processes, from /proc; ``cores``: the
    cores they are pinned to."""

    def __init__(self, pids: list[int], cores: list[int]) -> None:
        self.pids = pids
        self.cores = cores

    def rss(self) -> int:
        total = 0
        for pid in self.pids:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"^VmRSS:\s+(\d+) kB", status, flags=re.M).group(1)) * 1024
        return total

    def cpu_seconds(self) -> float:
        ticks = 0
        for pid in self.pids:
            # After the command in parentheses: state is field 3, utime and stime are 14 and 15.
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")


def core_times(cores: list[int]) -> tuple[float, float]:
    """(busy, total) clock ticks of ``cores`` since boot, from /proc/stat: what every process
    on them used, the server's and anyone else's."""
    busy = total = 0.0
    for line in Path("/proc/stat").read_text().splitlines():
        name, *values = line.split()
        if name.startswith("cpu") and name[3:].isdigit() and int(name[3:]) in cores:
            ticks = [float(v) for v in values]
            total += sum(ticks[:8])  # user nice system idle iowait irq softirq steal
            busy += sum(ticks[:8]) - ticks[3] - ticks[4]
    return busy, total


def metrics(server: DashboardServer) -> str:
    """The server's own Prometheus metrics (its port, not through nginx)."""
    try:
        with urllib.request.urlopen(f"{server.url}/_stcore/metrics", timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def active_sessions(server: DashboardServer) -> int | None:
    """Connected sessions (a closed one kept for server.disconnectedSessionTTL is not counted)."""
    found = re.search(r"^active_sessions (\d+)", metrics(server), flags=re.M)
    return int(found.group(1)) if found else None


def cache_bytes(server: DashboardServer) -> dict[str, int]:
    """Memory Streamlit counts per kind of store: st_cache_data (every cached result),
    st_session_state (the session state of the connected sessions), st_cache_resource."""
    totals: dict[str, int] = {}
    for kind, value in re.findall(r'^cache_memory_bytes\{cache_type="(\w+)"[^}]*\} (\d+)', metrics(server), flags=re.M):
        totals[kind] = totals.get(kind, 0) + int(value)
    return totals


# ------------------------------------------------------------------ scenarios
@dataclass
class Filters:
    """The first address of session ``i``: the whole city or a district, over 7 or 30 days
    or the latest day, so that sessions ask for different figures."""

    districts: list[str]

    def query(self, i: int) -> str:
        ranges = ("7d", "30d", "latest")
        area = "" if i % 3 == 0 or not self.districts else f"area={self.districts[i % len(self.districts)]}&"
        return f"{area}range={ranges[i % len(ranges)]}"


@dataclass
class LoadResult:
    label: str
    sessions: int
    seconds: float
    first_runs: list[Run] = field(default_factory=list)
    changes: list[Run] = field(default_factory=list)
    scheduled: int = 0
    cpu_seconds: float = 0.0
    rss_end: int = 0
    core_busy: float = float("nan")  # share of the server's cores in use, by anything
    per_replica: str = ""
    load_average: float = 0.0  # the machine's 1-minute load average at the end: other work on it

    def times(self) -> list[float]:
        return sorted(run.seconds for run in self.changes if run.ok)

    def failures(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for run in self.first_runs + self.changes:
            if not run.ok:
                counts[run.outcome] = counts.get(run.outcome, 0) + 1
        return counts


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted ``values`` (nan when there are none)."""
    if not values:
        return float("nan")
    return values[max(0, min(len(values) - 1, round(share * len(values) + 0.5) - 1))]


async def drive(
    stream: str,
    sessions: int,
    duration: float,
    interval: float,
    filters: Filters,
    page: str,
    processes: Processes,
    label: str,
    cookies: bool = False,
    during: Callable[[], str] | None = None,
) -> LoadResult:
    """``sessions`` sessions, started evenly over the first ``interval``; each opens its
    page, then picks another district every ``interval`` seconds until ``duration`` is over
    (a pick waits for the previous run to finish, as a person waits for the page)."""
    result = LoadResult(label, sessions, duration)
    started = time.monotonic()
    cpu_before = processes.cpu_seconds()
    cores_before = core_times(processes.cores)
    snapshot: list[str] = []

    async def look_once_all_started() -> None:
        await asyncio.sleep(1.5 * interval)
        snapshot.append(await asyncio.to_thread(during))

    async def one(i: int) -> None:
        await asyncio.sleep(i * interval / sessions)
        session = Session(stream, filters.query(i), page, secrets.token_hex(16) if cookies else None, order=i)
        try:
            await session.open()
        except (OSError, websockets.InvalidHandshake, TimeoutError) as error:
            result.first_runs.append(Run(0.0, f"connect failed: {type(error).__name__}"))
            return
        try:
            result.first_runs.append(await session.first_run())
            due = time.monotonic() + interval
            while due - started < duration:
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                result.scheduled += 1
                result.changes.append(await session.pick_next_district())
                due += interval
        finally:
            await session.close()

    looking = [look_once_all_started()] if during is not None else []
    await asyncio.gather(*(one(i) for i in range(sessions)), *looking)
    result.seconds = time.monotonic() - started
    result.cpu_seconds = processes.cpu_seconds() - cpu_before
    busy, total = (after - before for after, before in zip(core_times(processes.cores), cores_before, strict=True))
    result.core_busy = busy / total if total else float("nan")
    result.rss_end = processes.rss()
    result.load_average = os.getloadavg()[0]
    result.per_replica = snapshot[0] if snapshot else ""
    return result


async def one_visit(stream: str, query: str, page: str) -> Run:
    session = Session(stream, query, page)
    await session.open()
    try:
        return await session.first_run()
    finally:
        await session.close()


@dataclass
class MemoryResult:
    start: int
    peak: int
    closed: int
    settled: int
    probe: int
    runs: list[Run]
    sessions_left: int | None
    sessions_after_probe: int | None
    caches: dict[str, dict[str, int]]  # moment → cache_bytes()

    @property
    def passed(self) -> bool:
        return self.settled - self.start <= MEMORY_BUDGET_MB * MB


class MemoryProbe:
    """What holds the server's memory, from inside it: bench/sessions_probe/sitecustomize.py
    (on the server's PYTHONPATH, with tracemalloc on) writes a report on SIGUSR1."""

    def __init__(self, workdir: Path) -> None:
        self.report = workdir / "memory-probe.txt"

    def environment(self) -> dict[str, str]:
        path = [str(ROOT / "bench" / "sessions_probe"), *filter(None, [os.environ.get("PYTHONPATH")])]
        return {"PYTHONPATH": os.pathsep.join(path), "PYTHONTRACEMALLOC": "1", "SESSIONS_PROBE_REPORT": str(self.report)}

    def read(self, server: DashboardServer, timeout: float = 120) -> str:
        self.report.unlink(missing_ok=True)
        os.kill(server.process.pid, signal.SIGUSR1)
        deadline = time.monotonic() + timeout
        while not self.report.exists():
            if time.monotonic() > deadline:
                return "(no report from the server)"
            time.sleep(0.2)
        return self.report.read_text()


async def memory_scenario(
    server: DashboardServer,
    processes: Processes,
    filters: Filters,
    page: str,
    settle: float,
    probe: MemoryProbe | None = None,
) -> MemoryResult:
    """RSS after one warm-up visit; 50 sessions opened in waves of 10, each running the
    page once, all kept open, then closed; RSS ``settle`` seconds later, and after one
    more visit (Streamlit drops the state of a closed session only when its store is
    next touched after server.disconnectedSessionTTL, 120 s)."""
    stream = stream_url(server.url)
    warm = await one_visit(stream, filters.query(0), page)
    print(f"  warm-up visit: {warm.seconds:.2f} s, {warm.outcome}", flush=True)
    if not warm.ok:  # e.g. a database of a newer schema than the commit served: nothing to measure
        raise SystemExit(f"the page did not run ({warm.outcome}); the server's log ends:\n{server.log_path.read_text()[-2000:]}")
    await asyncio.sleep(2)
    if probe is not None:
        print("  server's memory after the warm-up:\n" + indent(probe.read(server)), flush=True)
    start = processes.rss()
    caches = {"start": cache_bytes(server)}
    print(f"  RSS after the warm-up: {start / MB:.0f} MB", flush=True)
    opened: list[Session] = []
    runs: list[Run] = []
    for wave in range(MEMORY_SESSIONS // MEMORY_WAVE):
        wave_sessions = [Session(stream, filters.query(wave * MEMORY_WAVE + i + 1), page, order=i) for i in range(MEMORY_WAVE)]
        await asyncio.gather(*(s.open() for s in wave_sessions))
        wave_runs = await asyncio.gather(*(s.first_run() for s in wave_sessions))
        opened += wave_sessions
        runs += wave_runs
        ok = [r.seconds for r in wave_runs if r.ok]
        print(
            f"  wave {wave + 1}: {len(ok)}/{len(wave_runs)} runs ok, slowest {max(ok, default=0):.1f} s; "
            f"RSS {processes.rss() / MB:.0f} MB",
            flush=True,
        )
    peak = processes.rss()
    caches["50 open"] = cache_bytes(server)
    await asyncio.gather(*(s.close() for s in opened))
    await asyncio.sleep(2)
    closed = processes.rss()
    print(f"  closed {len(opened)} sessions: RSS {closed / MB:.0f} MB; waiting {settle:.0f} s", flush=True)
    waited = 0.0
    while waited < settle:
        step = min(30.0, settle - waited)
        await asyncio.sleep(step)
        waited += step
        print(f"    +{waited:.0f} s: RSS {processes.rss() / MB:.0f} MB", flush=True)
    settled = processes.rss()
    caches["settled"] = cache_bytes(server)
    left = active_sessions(server)
    if probe is not None:
        print(f"  server's memory {settle:.0f} s after closing, against the warm-up:\n" + indent(probe.read(server)), flush=True)
    await one_visit(stream, filters.query(0), page)
    await asyncio.sleep(2)
    after_visit = processes.rss()
    if probe is not None:
        print("  … and after one more visit:\n" + indent(probe.read(server)), flush=True)
    return MemoryResult(start, peak, closed, settled, after_visit, runs, left, active_sessions(server), caches)


def indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


# ------------------------------------------------------------------ databases
def copy_city(workdir: Path) -> str:
    """A private copy of the city database (SQLite's backup API, reading the original only):
    the server may write (roll-up refreshes), and bench/.cache/city.sqlite stays as built."""
    target = workdir / "city.sqlite"
    print(f"copying {CITY_SQLITE} ({CITY_SQLITE.stat().st_size / 2**30:.1f} GB) to {target} …", flush=True)
    source = sqlite3.connect(f"file:{CITY_SQLITE}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    return f"sqlite:///{target}"


def city_ready() -> bool:
    """bench/.cache/city.sqlite holds a finished city (its generator recorded the scale last)."""
    if not CITY_SQLITE.exists():
        return False
    try:
        connection = sqlite3.connect(f"file:{CITY_SQLITE}?mode=ro", uri=True, timeout=1)
        try:
            row = connection.execute("SELECT value FROM dataset_info WHERE key = 'scale'").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    generating = subprocess.run(["pgrep", "-f", "sample_data.generate"], capture_output=True).returncode == 0
    return row is not None and row[0] == "city" and not generating


def generate_sample(url: str, scale: str) -> None:
    from data_access.engine import make_engine
    from sample_data.generate import generate

    engine = make_engine(url)
    try:
        generate(engine, scale, log=lambda *_: None)
    finally:
        engine.dispose()


def postgres_database(server_url: str, scale: str) -> str:
    """Database ``bench_sessions_<scale>`` on the PostgreSQL server of ``server_url``, holding
    the sample city of ``scale`` (generated when missing; kept for the next run)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from data_access.engine import make_engine, upgrade_schema

    name = f"bench_sessions_{scale}"
    url = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    database_url = url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            has_info = conn.execute(text("SELECT to_regclass('dataset_info') IS NOT NULL")).scalar()
            recorded = has_info and conn.execute(text("SELECT value FROM dataset_info WHERE key = 'scale'")).scalar()
    finally:
        engine.dispose()
    if recorded == scale:
        print(f"  PostgreSQL: reusing {name} (scale {scale})", flush=True)
        engine = make_engine(database_url)
        upgrade_schema(engine)
        engine.dispose()
    else:
        if has_info:
            raise SystemExit(f"{name} holds another sample city ({recorded}); drop it to build the {scale} one")
        print(f"  PostgreSQL: generating the {scale} sample city into {name} …", flush=True)
        generate_sample(database_url, scale)
    return database_url


def district_codes(database_url: str) -> list[str]:
    from sqlalchemy import text

    from data_access.engine import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return [row[0] for row in conn.execute(text("SELECT code FROM area WHERE level = 'district' ORDER BY code"))]
    finally:
        engine.dispose()


# ------------------------------------------------------------------ nginx
class Nginx:
    """The shipped deploy/nginx/yqfk.conf in front of ``replicas``, rendered as
    tests/test_deploy_proxy.py renders it (its listen line and replica lines changed)."""

    def __init__(self, folder: Path, replica_ports: list[int]) -> None:
        from tests.test_deploy_proxy import NGINX, SHIPPED_CONFIG, nginx_main_config, proxy_config, wait_for_health

        self.port = free_port()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "yqfk.conf").write_text(proxy_config(SHIPPED_CONFIG.read_text(), self.port, replica_ports))
        (folder / "nginx.conf").write_text(nginx_main_config(folder))
        self._log = open(folder / "nginx.log", "w")
        self.process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", f"daemon off; pid {folder / 'nginx.pid'};"],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}/yqfk"
        wait_for_health(f"{self.url}/_stcore/health", self.process, folder / "nginx.log")

    stop = DashboardServer.stop  # terminate, kill after 10 s, close the log: the same attributes


# ------------------------------------------------------------------ printing
def fmt_seconds(value: float) -> str:
    return "–" if value != value else f"{value:.2f}"


def load_table(results: list[LoadResult]) -> list[str]:
    lines = [
        "| setup | sessions | p50 s | p95 s | max s | runs ok / due | failed | first run p50 s | server CPU % "
        "| its cores busy % | CPU s per run | RSS end MB | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        times = r.times()
        runs = len(r.changes) + len(r.first_runs)
        first = sorted(run.seconds for run in r.first_runs if run.ok)
        failed = sum(r.failures().values())
        lines.append(
            f"| {r.label} | {r.sessions} | {fmt_seconds(percentile(times, 0.5))} | {fmt_seconds(percentile(times, 0.95))} "
            f"| {fmt_seconds(times[-1] if times else float('nan'))} | {len(times)} / {r.scheduled} | {failed} "
            f"| {fmt_seconds(percentile(first, 0.5))} | {100 * r.cpu_seconds / r.seconds:.0f} | {100 * r.core_busy:.0f} "
            f"| {r.cpu_seconds / max(runs, 1):.2f} | {r.rss_end / MB:.0f} | {r.load_average:.1f} |"
        )
    return lines


def print_failures(results: list[LoadResult]) -> None:
    for r in results:
        for outcome, count in sorted(r.failures().items()):
            print(f"  ! {r.label}, {r.sessions} sessions: {count}× {outcome}")


# ------------------------------------------------------------------ main
def pin_client(cpu: int) -> str:
    if cpu not in os.sched_getaffinity(0):
        return "client not pinned (core not available)"
    os.sched_setaffinity(0, {cpu})
    return f"client (this process) on core {cpu}"


def commit(revision: str | None) -> str:
    """The commit measured: ``revision``, else HEAD and the app's files that differ from it
    in this work tree (the server runs the work tree)."""
    found = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", revision or "HEAD"], capture_output=True, text=True, check=True
    )
    if revision:
        return found.stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "ui", "pages", "presentation", "data_access", "dashboard.py"],
        capture_output=True,
        text=True,
    )
    changed = [line[3:] for line in dirty.stdout.splitlines()]
    return found.stdout.strip() + (f" (uncommitted: {', '.join(changed)})" if changed else "")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        help="the database to serve (default: a copy of bench/.cache/city.sqlite when built, else the --scale sample)",
    )
    parser.add_argument(
        "--scale",
        choices=("tiny", "small", "city"),
        help="sample city to generate into a temporary file (default small; city only as a copy of bench/.cache/city.sqlite)",
    )
    parser.add_argument("--sessions", default="10,25,50", help="concurrent sessions of the load runs (default 10,25,50)")
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of each load run (default 120)")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between a session's filter changes (default 10)")
    parser.add_argument("--settle", type=float, default=120.0, help="seconds to wait after closing the 50 sessions (default 120)")
    parser.add_argument("--page", default="", help="url path of the page the sessions open (default: the overview)")
    parser.add_argument("--skip-memory", action="store_true", help="no memory scenario")
    parser.add_argument("--skip-load", action="store_true", help="no load runs on the direct server")
    parser.add_argument(
        "--through-nginx", action="store_true", help="also N=25 through nginx with 1 and 2 replicas, on PostgreSQL"
    )
    parser.add_argument(
        "--nginx-sessions", default=str(GOAL_SESSIONS), help=f"sessions of the runs through nginx (default {GOAL_SESSIONS})"
    )
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES_URL,
        help="PostgreSQL server for --through-nginx (database bench_sessions_<scale> on it)",
    )
    parser.add_argument(
        "--commit", help="serve the app as of this commit (git archive into a temporary folder; default: this work tree)"
    )
    parser.add_argument("--tree", type=Path, help="serve the app of this checkout (e.g. a git worktree) instead")
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="the memory scenario only, with tracemalloc in the server: what holds the memory (slower server)",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 5 sessions for 20 s, 10 s settle")
    args = parser.parse_args()
    if args.quick:
        args.sessions, args.duration, args.settle = "5", 20.0, 10.0
    args.session_counts = [int(n) for n in args.sessions.split(",") if n.strip()]
    args.nginx_session_counts = [int(n) for n in args.nginx_sessions.split(",") if n.strip()]
    if args.trace_memory:  # a traced server is slower: its times say nothing
        args.skip_memory, args.skip_load, args.through_nginx = False, True, False
    return args


def export_commit(revision: str, folder: Path) -> Path:
    """The project's files at ``revision`` (git archive), for a server that runs exactly that
    commit while others change this work tree."""
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-sessions-"))
    measured = f"tree {args.tree}" if args.tree else commit(args.commit)
    args.tree = args.tree or (export_commit(args.commit, workdir / "tree") if args.commit else ROOT)
    cores = sorted(os.sched_getaffinity(0))
    two_cores = len(cores) >= 2
    server_cpus = str(cores[0]) if two_cores else None
    client_note = pin_client(cores[1]) if two_cores else "one core: client and server share it"
    print(
        f"bench/sessions.py at commit {measured}, {dt.date.today()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"server on core {server_cpus} (taskset -c {server_cpus}); {client_note}", flush=True)

    scale = args.scale or ("city" if args.database_url is None and city_ready() else "small")
    try:
        if args.database_url:
            url, scale = args.database_url, args.scale or "given"
        elif scale == "city":
            if not city_ready():
                raise SystemExit(f"{CITY_SQLITE} is not a finished city database (build it with bench/queries.py --scale city)")
            url = copy_city(workdir)
        else:
            url = f"sqlite:///{workdir / f'{scale}.sqlite'}"
            print(f"generating the {scale} sample city into {url} …", flush=True)
            generate_sample(url, scale)
        filters = Filters(district_codes(url))
        print(f"database: {url} ({len(filters.districts)} districts); page: {args.page or 'overview'}", flush=True)
        results: list[LoadResult] = []
        memory = None
        if not (args.skip_memory and args.skip_load):
            probe = MemoryProbe(workdir) if args.trace_memory else None
            server = DashboardServer(
                url,
                workdir / "server.log",
                {"DASHBOARD_AUTH_MODE": "open", **(probe.environment() if probe else {})},
                cpus=server_cpus,
                tree=args.tree,
            )
            try:
                server.wait_ready(timeout=300)
                processes = Processes([server.process.pid], [int(server_cpus or 0)])
                if not args.skip_memory:
                    print(f"\nmemory: {MEMORY_SESSIONS} sessions in waves of {MEMORY_WAVE}, then {args.settle:.0f} s", flush=True)
                    memory = asyncio.run(memory_scenario(server, processes, filters, args.page, args.settle, probe))
                if not args.skip_load:
                    for n in args.session_counts:
                        print(
                            f"\nload: {n} sessions, a district pick every {args.interval:.0f} s for {args.duration:.0f} s",
                            flush=True,
                        )
                        result = asyncio.run(
                            drive(
                                stream_url(server.url), n, args.duration, args.interval, filters, args.page, processes, "direct"
                            )
                        )
                        results.append(result)
                        print("\n".join(load_table([result])[2:]), flush=True)
            finally:
                server.stop()
        if args.through_nginx:
            results += through_nginx(args, workdir, scale)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\n## Results (commit {measured}, scale {scale})\n")
    if memory is not None:
        print(memory_table(memory))
    if results:
        print("\n".join(load_table(results)))
        print_failures(results)
        goal = [r for r in results if r.sessions == GOAL_SESSIONS and r.label == "direct"]
        if goal:
            p95 = percentile(goal[0].times(), 0.95)
            print(
                f"\nload goal, p95 ≤ {GOAL_P95_SECONDS} s at {GOAL_SESSIONS} sessions: {'PASS' if p95 <= GOAL_P95_SECONDS else 'FAIL'} ({fmt_seconds(p95)} s)"
            )
        for n in args.nginx_session_counts if args.through_nginx else []:
            proxied = [r for r in results if r.label.startswith("nginx") and r.sessions == n]
            if len(proxied) == 2:
                one, two = (percentile(r.times(), 0.95) for r in proxied)
                print(
                    f"through nginx, p95 at {n} sessions: 1 replica {fmt_seconds(one)} s, 2 replicas {fmt_seconds(two)} s, "
                    f"ratio 1 ÷ 2 = {one / two:.2f}"
                )
    return 0


def memory_table(memory: MemoryResult) -> str:
    ok = [r for r in memory.runs if r.ok]
    growth = (memory.settled - memory.start) / MB
    lines = [
        "| RSS at start MB | with 50 open MB | just closed MB | after settle MB | growth MB | after one more visit MB | sessions left | runs ok | verdict |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        f"| {memory.start / MB:.0f} | {memory.peak / MB:.0f} | {memory.closed / MB:.0f} | {memory.settled / MB:.0f} | {growth:+.0f} "
        f"| {memory.probe / MB:.0f} | {memory.sessions_left} → {memory.sessions_after_probe} | {len(ok)} / {len(memory.runs)} "
        f"| {'PASS' if memory.passed else 'FAIL'} (≤ {MEMORY_BUDGET_MB} MB) |",
    ]
    kinds = sorted({kind for totals in memory.caches.values() for kind in totals})
    stores = [
        "",
        "What Streamlit counts in its stores, MB (st_session_state: the connected sessions' state):",
        "",
        "| store | " + " | ".join(memory.caches) + " |",
        "|---|" + "---:|" * len(memory.caches),
        *(
            f"| {kind} | " + " | ".join(f"{totals.get(kind, 0) / MB:.1f}" for totals in memory.caches.values()) + " |"
            for kind in kinds
        ),
    ]
    bad = {r.outcome for r in memory.runs if not r.ok}
    return "\n".join(lines + [f"  ! {outcome}" for outcome in sorted(bad)] + stores) + "\n"


def through_nginx(args: argparse.Namespace, workdir: Path, scale: str) -> list[LoadResult]:
    """N sessions (--nginx-sessions) through nginx with 1 and with 2 replicas (cores 0 and 1)
    on one PostgreSQL database."""
    if scale not in ("tiny", "small", "city"):
        scale = "small"
    print(f"\nthrough nginx: PostgreSQL at {args.postgres_url}", flush=True)
    url = postgres_database(args.postgres_url, scale)
    filters = Filters(district_codes(url))
    cores = [0, 1] if (os.cpu_count() or 1) >= 2 else [0]
    results = []
    for replicas in (1, 2):
        servers = [
            DashboardServer(
                url,
                workdir / f"replica{n}-{replicas}.log",
                {"DASHBOARD_AUTH_MODE": "open"},
                base_path="yqfk",
                cpus=str(cores[n % len(cores)]),
                tree=args.tree,
            )
            for n in range(replicas)
        ]
        nginx = None
        try:
            for server in servers:
                server.wait_ready(timeout=300)
            nginx = Nginx(workdir / f"nginx-{replicas}", [s.port for s in servers])
            processes = Processes([s.process.pid for s in servers], cores[:replicas])
            # Warm each replica's caches a little, as the direct runs had.
            for n, server in enumerate(servers):
                asyncio.run(one_visit(stream_url(server.url), filters.query(n), args.page))
            print(
                f"  {replicas} replica(s) on core(s) {', '.join(str(cores[n % len(cores)]) for n in range(replicas))}; "
                "the client shares core 1"
                + (" with the second replica" if replicas == 2 else "")
                + "; nginx and PostgreSQL unpinned",
                flush=True,
            )

            def spread(servers: list[DashboardServer] = servers) -> str:
                return "sessions per replica " + "/".join(str(active_sessions(s)) for s in servers)

            for n in args.nginx_session_counts:
                result = asyncio.run(
                    drive(
                        stream_url(nginx.url),
                        n,
                        args.duration,
                        args.interval,
                        filters,
                        args.page,
                        processes,
                        f"nginx, {replicas} replica{'s' if replicas > 1 else ''}",
                        cookies=True,
                        during=spread,
                    )
                )
                print(
                    "\n".join(load_table([result])[2:]) + (f"  ({result.per_replica})" if result.per_replica else ""), flush=True
                )
                results.append(result)
        finally:
            if nginx is not None:
                nginx.stop()
            for server in servers:
                server.stop()
    return results


if __name__ == "__main__":
    sys.exit(main())
