"""Server CPU of one warm rerun of every page (the whole script: gate, sidebar, page),
against the SQL time the page needs, measured headless with Streamlit's AppTest.

    .venv/bin/python bench/rerun.py --database-url sqlite:///bench/.cache/city.sqlite
    .venv/bin/python bench/rerun.py --tree /tmp/old --tree .      # two code trees, one run

For each page (the ones ``st.navigation`` registers, and the wall) a session opens on it
(the cold run: every query a cache miss; the SQL time is the time the database driver
spent executing, summed over the run's statements), then reruns it ``--runs`` times with
every cache warm, as a filter change that hits the cache or a wall refresh does. The wall
shows the next view of its rotation at every run: there each run of one rotation is
measured cold (the page's SQL: their median), a second rotation warms every view, and
whole rotations are measured warm. Per page
it prints the median CPU time of a warm rerun (the process's CPU, all threads: the server's
cost), its wall time, the page's SQL time and their ratio, against the goal: at most
150 ms of CPU per rerun and at most 3× the page's SQL time.

AppTest, unlike the server, runs only the page's own script on a second run when a
``pages/`` folder sits beside the entry script (it re-detects Streamlit's old multipage
mode on every run). The child here keeps that detection at what ``st.navigation`` set, so
every rerun runs ``dashboard.py`` and its sidebar, as the server does. AppTest also
compiles the scripts again on every run (a new script cache each time), where the server
keeps one cache for all sessions and reruns: the child shares one too (``--compile-each-run``
measures the old way; about 10–25 ms more per rerun on this machine).

Each tree runs in its own process (its own imports) on its own database URL
(``DIR@URL``); trees alternate round by round so their ratio is measured in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GOAL_CPU_MS, GOAL_RATIO = 150.0, 3.0

CHILD = r"""
import json, os, statistics, sys, time
sys.path.insert(0, os.getcwd())
from sqlalchemy import Engine, event
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
import streamlit.testing.v1.app_test as app_test

# AppTest resets its PagesManager's old-multipage flag before every run; give it a
# subclass of its own to reset, so the flag that st.navigation cleared stays cleared and
# every rerun runs dashboard.py (as the server does).
app_test.PagesManager = type("FullRunPages", (PagesManager,), {})

# One script cache for every run, as the server's runtime keeps (its compiled scripts).
if os.environ.get("BENCH_COMPILE_EACH_RUN") != "1":
    import streamlit.testing.v1.local_script_runner as local_script_runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    _shared_cache = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: _shared_cache

sql = {"seconds": 0.0, "statements": 0}

@event.listens_for(Engine, "before_cursor_execute")
def _start(conn, cursor, statement, parameters, context, executemany):
    conn.info["bench_started"] = time.perf_counter()

@event.listens_for(Engine, "after_cursor_execute")
def _end(conn, cursor, statement, parameters, context, executemany):
    sql["seconds"] += time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
    sql["statements"] += 1

pages, runs = json.loads(sys.argv[1]), int(sys.argv[2])
results = {}

def session(page):
    at = AppTest.from_file("dashboard.py", default_timeout=600)
    at.query_params["lang"] = "zh"
    if page == "wall":
        at.query_params["mode"] = "wall"
    at.run()
    if page not in ("overview", "wall"):
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at

# One visit of every page first: imports and the per-process caches warm (the first run
# after a start pays about a second of imports, which is not a rerun's cost).
for page in pages:
    session(page)
for page in pages:
    import streamlit as st
    # The wall shows another view at every run: each run of one rotation is measured cold
    # (its SQL), then one rotation warms every view, then whole rotations are measured.
    cycle = 1
    if page == "wall":
        from presentation.views import wall as wall_view
        cycle = len(wall_view.VIEWS)
    st.cache_data.clear()
    sql.update(seconds=0.0, statements=0)
    at = session(page)  # cold: every query a cache miss
    cold_sql, cold_statements = [sql["seconds"]], [sql["statements"]]
    for _ in range(cycle - 1):
        st.cache_data.clear()
        sql.update(seconds=0.0, statements=0)
        at.run()
        cold_sql.append(sql["seconds"])
        cold_statements.append(sql["statements"])
    for _ in range(cycle if cycle > 1 else 0):
        at.run()
    cpu, wall, warm_sql = [], [], []
    for _ in range(-(-runs // cycle) * cycle):
        sql.update(seconds=0.0, statements=0)
        c0, w0 = time.process_time(), time.perf_counter()
        at.run()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
        warm_sql.append(sql["seconds"])
        assert not at.exception, [e.value for e in at.exception]
    results[page] = {
        "cpu": cpu,
        "wall": wall,
        "sql": statistics.median(cold_sql),
        "statements": statistics.median(cold_statements),
        "warm_sql": warm_sql,
    }
print(json.dumps(results))
"""


def app_pages(tree: Path) -> list[str]:
    """The pages ``dashboard.py`` lists (file stems), then the wall."""
    text = (tree / "dashboard.py").read_text(encoding="utf-8")
    pages = [line.split('"pages/', 1)[1].split(".py", 1)[0] for line in text.splitlines() if '("pages/' in line]
    return list(dict.fromkeys(p for p in pages if p not in ("admin", "wall"))) + ["wall"]


def measure(tree: Path, pages: list[str], runs: int, database_url: str, compile_each_run: bool = False) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DASHBOARD_AUTH_MODE": "open"}
    env["BENCH_COMPILE_EACH_RUN"] = "1" if compile_each_run else "0"
    result = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(pages), str(runs)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if result.returncode:
        raise SystemExit(f"{tree}: {result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def loop_ms() -> float:
    """How fast this machine runs Python now: a million multiply-adds, in ms (about 120 in
    a fast state of this 2-core machine, 220 in a slow one). Printed beside the figures,
    which move with it."""
    started, total = time.perf_counter(), 0
    for i in range(1_000_000):
        total += i * i
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", help="a checkout to measure, DIR or DIR@DATABASE_URL (default: this one)")
    parser.add_argument("--page", action="append", help="only these pages (default: every page and the wall)")
    parser.add_argument("--runs", type=int, default=10, help="warm reruns per page and round")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--compile-each-run", action="store_true", help="compile the scripts again on every run, as AppTest does (not the server)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or f"sqlite:///{PROJECT_ROOT / 'data' / 'epidemic_dashboard.sqlite'}",
    )
    args = parser.parse_args()
    trees = [
        (Path(t.split("@", 1)[0]).resolve(), t.split("@", 1)[1] if "@" in t else args.database_url)
        for t in args.tree or [str(PROJECT_ROOT)]
    ]
    pages = args.page or app_pages(trees[-1][0])
    merged: dict[Path, dict[str, dict]] = {tree: {} for tree, _ in trees}
    for _ in range(args.rounds):
        for tree, url in trees:
            for page, figures in measure(tree, pages, args.runs, url, args.compile_each_run).items():
                into = merged[tree].setdefault(page, {"cpu": [], "wall": [], "sql": [], "warm_sql": []})
                into["cpu"] += figures["cpu"]
                into["wall"] += figures["wall"]
                into["warm_sql"] += figures["warm_sql"]
                into["sql"].append(figures["sql"])
    print(
        f"{os.cpu_count()} cores (the loop: {loop_ms():.0f} ms); {args.runs} warm reruns × {args.rounds} round(s)"
        f" per page; database {trees[0][1]}"
    )
    for tree, by_page in merged.items():
        print(f"\n{tree}")
        print(f"{'page':14} {'CPU ms/rerun':>12} {'wall ms':>8} {'SQL ms (cold)':>13} {'CPU/SQL':>8} {'SQL ms warm':>11}  goal")
        for page, f in by_page.items():
            cpu = statistics.median(f["cpu"]) * 1000
            wall = statistics.median(f["wall"]) * 1000
            sql = statistics.median(f["sql"]) * 1000
            warm_sql = statistics.median(f["warm_sql"]) * 1000
            ratio = cpu / sql if sql else float("inf")
            ok = cpu <= GOAL_CPU_MS and ratio <= GOAL_RATIO
            print(
                f"{page:14} {cpu:12.1f} {wall:8.1f} {sql:13.1f} {ratio:8.2f} {warm_sql:11.1f}  {'PASS' if ok else 'FAIL'}"
                f" (≤ {GOAL_CPU_MS:.0f} ms and ≤ {GOAL_RATIO:.0f}× SQL)"
            )
    if len(trees) == 2:
        (first, _), (second, _) = trees
        print()
        for page in pages:
            a = statistics.median(merged[first][page]["cpu"])
            b = statistics.median(merged[second][page]["cpu"])
            print(f"{page:14} CPU per rerun {second.name} / {first.name}: {b / a:.2f}")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"({time.perf_counter() - started:.0f} s)")
