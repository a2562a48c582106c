"""Server-side cost of one page run (the whole script: sign-in gate, sidebar, page),
measured headless with Streamlit's AppTest on the sample city, for two code trees in
turn so their ratio is measured in one run.

    .venv/bin/python bench/rerun.py [--tree DIR[@DATABASE_URL] ...] [--page overview] [--runs 15] [--user EMAIL --secrets FILE]

Each tree runs in its own process (its own imports) on its own database (an older tree
cannot open a database migrated by a newer one); the runs of the trees alternate.
Prints the median and p90 of warm runs (the first, cold run is left out) per tree.
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

CHILD = r"""
import json, os, sys, time
sys.path.insert(0, os.getcwd())
from streamlit.testing.v1 import AppTest
page, runs, user = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if os.environ.get("STREAMLIT_SECRETS_FILES"):
    # AppTest reads no config from the environment: point Streamlit's secrets at the file.
    from streamlit.runtime.secrets import secrets_singleton
    from streamlit.testing.v1.util import patch_config_options
    patched = patch_config_options({"secrets.files": [os.environ["STREAMLIT_SECRETS_FILES"]]})
    patched.__enter__()  # kept open for the whole run (a dropped context manager would undo it)
    secrets_singleton._secrets = None  # parsed again, from that file
    secrets_singleton._file_watchers_installed = True
at = AppTest.from_file("dashboard.py", default_timeout=120)
if user:
    at.user = {"is_logged_in": True, "email": user, "name": user, "exp": time.time() + 3600}
at.run()
if page != "overview":
    at.switch_page(f"pages/{page}.py").run()
times = []
for _ in range(runs):
    start = time.perf_counter()
    at.run()
    times.append(time.perf_counter() - start)
    assert not at.exception, [e.value for e in at.exception]
assert at.metric, "the page drew no figure: not signed in?"
print(json.dumps(times))
"""


def measure(tree: Path, page: str, runs: int, database_url: str, user: str, secrets: str | None) -> list[float]:
    env = {**os.environ, "DATABASE_URL": database_url, "DASHBOARD_AUTH_MODE": "auto" if user else "open"}
    if secrets:
        env["STREAMLIT_SECRETS_FILES"] = secrets
    result = subprocess.run(
        [sys.executable, "-c", CHILD, page, str(runs), user], cwd=tree, env=env, capture_output=True, text=True, timeout=900
    )
    if result.returncode:
        raise SystemExit(f"{tree}: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", help="a checkout to measure, DIR or DIR@DATABASE_URL (default: this one)")
    parser.add_argument("--page", default="overview")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or f"sqlite:///{PROJECT_ROOT / 'data' / 'epidemic_dashboard.sqlite'}",
    )
    parser.add_argument("--user", default="", help="measure signed in as this user (needs --secrets with an [auth] section)")
    parser.add_argument("--secrets", default=None)
    args = parser.parse_args()
    trees = [
        (Path(t.split("@", 1)[0]), t.split("@", 1)[1] if "@" in t else args.database_url)
        for t in args.tree or [str(PROJECT_ROOT)]
    ]
    times: dict[Path, list[float]] = {tree: [] for tree, _ in trees}
    for _ in range(args.rounds):
        for tree, url in trees:
            times[tree] += measure(tree, args.page, args.runs, url, args.user, args.secrets)
    for tree, values in times.items():
        values.sort()
        p90 = values[int(0.9 * (len(values) - 1))]
        print(
            f"{str(tree):40} {args.page:12} runs {len(values):3}  median {statistics.median(values) * 1000:7.1f} ms  p90 {p90 * 1000:7.1f} ms"
        )
    if len(trees) == 2:
        (first, _), (second, _) = trees
        print(f"ratio {second} / {first}: {statistics.median(times[second]) / statistics.median(times[first]):.2f}")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"({time.perf_counter() - started:.0f} s)")
