"""Soak test of the wall screen: does the server's memory grow over a shift?

    python bench/soak.py [--minutes 6] [--interval 2] [--database-url URL]

Starts the dashboard on a copy of the sample city (or DATABASE_URL), opens it in
headless Chromium in wall mode with short rotate/refresh intervals, and samples the
server's resident memory (RSS). At the default 60-second refresh of a real wall, one
hour is 60 refreshes; with ``--interval 2`` an hour's worth of refreshes takes two
minutes. Prints memory against refreshes, and the growth per hour-equivalent from a
least-squares line over the second half of the run (after caches have filled).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data_access.engine import make_engine  # noqa: E402
from sample_data.generate import generate  # noqa: E402
from tests.app_support import DashboardServer  # noqa: E402
from tests.browser_pages import Dashboard, launch_browser  # noqa: E402

WALL_REFRESH_SECONDS = 60  # the default interval of a real wall screen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=6.0, help="how long to run (default 6)")
    parser.add_argument("--interval", type=int, default=2, help="rotate and refresh every N seconds (default 2)")
    parser.add_argument("--sample-every", type=float, default=10.0, help="seconds between memory samples")
    parser.add_argument("--database-url", default=None, help="default: a fresh copy of the small sample city")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="soak-"))
    url = args.database_url
    if url is None:
        url = f"sqlite:///{workdir / 'soak.sqlite'}"
        print("generating the small sample city …", flush=True)
        generate(make_engine(url), "small", log=lambda *_: None)
    server = DashboardServer(url, workdir / "streamlit.log", {"DASHBOARD_CACHE_TTL_SECONDS": str(args.interval)})
    samples: list[tuple[float, int]] = []
    try:
        server.wait_ready()
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = launch_browser(playwright)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            Dashboard(page, server.url).open("", mode="wall", rotate=str(args.interval), refresh=str(args.interval))
            started = time.monotonic()
            print(f"{'elapsed s':>10} {'refreshes':>10} {'hour-equiv':>10} {'RSS MB':>8}")
            while (elapsed := time.monotonic() - started) < args.minutes * 60:
                rss = server.memory_rss()
                samples.append((elapsed, rss))
                refreshes = elapsed / args.interval
                print(
                    f"{elapsed:10.0f} {refreshes:10.0f} {refreshes / (3600 / WALL_REFRESH_SECONDS):10.2f} {rss / 2**20:8.1f}",
                    flush=True,
                )
                page.wait_for_timeout(args.sample_every * 1000)
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    if len(samples) < 4:
        print("too few samples")
        return 1
    half = samples[len(samples) // 2 :]
    xs = [s[0] / args.interval / (3600 / WALL_REFRESH_SECONDS) for s in half]  # hour-equivalents
    ys = [s[1] / 2**20 for s in half]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / max(sum((x - mean_x) ** 2 for x in xs), 1e-9)
    print()
    print(f"memory at start:            {samples[0][1] / 2**20:8.1f} MB")
    hour = next((s for s in samples if s[0] / args.interval >= 3600 / WALL_REFRESH_SECONDS), samples[-1])
    print(f"after 1 hour-equivalent:    {hour[1] / 2**20:8.1f} MB")
    print(f"at the end ({xs[-1]:.1f} h-equiv):  {samples[-1][1] / 2**20:8.1f} MB")
    print(f"growth, second half:        {slope:8.2f} MB per hour-equivalent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
