"""Back-test of the stock-out projection (presentation/stock_projection.py) on the sample
city's history: how far its use forecast, and the projected stock, were from what happened.

    .venv/bin/python bench/stock_backtest.py [--scale small|city] [--database-url URL]

The database: ``--database-url``; else ``--scale city`` (the default when it is there)
reads ``bench/.cache/city.sqlite`` (made by ``bench/queries.py --scale city``), opened read
only; ``--scale small`` (the default without it) generates the small sample city (seed
42, the tests' city) into a temporary SQLite file (about 15 s).

From every day with 28 days of history before it and 14 after it, for every district and
item (the city reserve left out), each way of forecasting use forecasts the next 14 days
from the 28 before; the forecast is compared with the outbound the ledger then recorded:

- ``damped_trend``: the projection's (Holt's damped trend, level 0.5, trend 0.2, damping 0.8);
- ``last_day``: the naive forecast, the last day's use repeated;
- ``week_mean``: the 7-day mean, the use days of cover are read with;
- ``per_activity`` (items with a driving activity only): use per unit of activity over
  the last 7 days × the activity's damped trend.

Each for every district-item and origin, and again only where the projection matters:
district-items whose stock the day before was under 14 days of their last 7 days' use.

Printed per method: ``error_total`` — Σ |forecast − actual| of each series' 14-day use ÷
Σ actual use (what the projection takes off the stock), ``error_daily`` — the same day by
day, ``bias`` — Σ (forecast − actual) ÷ Σ actual. Then the whole projection (stock on day
0, plus the 14-day mean of procured + allocated a day, less the forecast use) against the
closing stock reported 7 and 14 days on: the median error in days of that series' use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, create_engine

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from data_access import areas, supply_projection  # noqa: E402
from data_access.engine import make_engine  # noqa: E402
from data_access.scope import Scope  # noqa: E402
from presentation import stock_projection as projection  # noqa: E402

CITY_SQLITE = ROOT / "bench" / ".cache" / "city.sqlite"
SAMPLE_SEED = 42
CHOSEN, NAIVE = "damped_trend", "last_day"


@dataclass(frozen=True)
class History:
    """The whole ledger as matrices: one row per (district, item) of ``keys``, one column
    per day of ``days`` (NaN where not reported); ``activity`` holds the driving activity
    of the row's item in its district (NaN for items without one)."""

    keys: pd.DataFrame
    days: list[dt.date]
    use: np.ndarray
    closing: np.ndarray
    inbound: np.ndarray
    activity: np.ndarray


def load_history(engine: Engine) -> History:
    """Every district's ledger and activities over every day with data, aggregated in SQL."""
    first, last = areas.data_date_bounds(engine)
    scope = Scope(areas.root_area(engine)["code"], first, last)
    ledger = supply_projection.district_ledger_days(scope, engine)
    done = supply_projection.district_activity_days(scope, engine)
    keys = ledger[["district_code", "item_code"]].drop_duplicates().sort_values(["district_code", "item_code"], ignore_index=True)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    matrix = lambda frame, column, on=keys: projection.series_matrix(frame, column, on, days)  # noqa: E731
    activity = np.full((len(keys), len(days)), np.nan)
    for name in supply_projection.ACTIVITIES:
        rows = (keys["item_code"].map(projection.ACTIVITY_OF_ITEM) == name).to_numpy()
        if rows.any():
            activity[rows] = matrix(done, name, keys.loc[rows, ["district_code"]])
    return History(
        keys=keys,
        days=days,
        use=matrix(ledger, "outbound_frontline"),
        closing=matrix(ledger, "closing_stock"),
        inbound=sum(matrix(ledger, column) for column in projection.INBOUND_DUE),
        activity=activity,
    )


@dataclass(frozen=True)
class Result:
    use: pd.DataFrame  # per method, every series
    at_risk: pd.DataFrame  # per method, the series-origins with under 14 days of cover
    by_item: pd.DataFrame  # error_total per item (rows) and method (columns)
    activity: pd.DataFrame  # the items with a driving activity: damped trend against per activity
    stock: pd.DataFrame  # per method: median days off at day 7 and 14


def run(history: History) -> Result:
    methods = projection.forecasters(history.use)
    use = projection.backtest(history.use, methods)
    at_risk = projection.backtest(history.use, methods, counted=projection.at_risk(history.closing, history.use))
    by_item = {}
    for item in sorted(history.keys["item_code"].unique()):
        rows = (history.keys["item_code"] == item).to_numpy()
        part = projection.backtest(history.use[rows], projection.forecasters(history.use[rows]))
        by_item[item] = part.set_index("method")["error_total"]
    linked = ~np.isnan(history.activity).all(axis=1)
    activity = projection.backtest(history.use[linked], projection.forecasters(history.use[linked], history.activity[linked]))
    stock = pd.DataFrame(
        [
            {"method": name, **projection.stock_backtest(history.closing, history.use, history.inbound, method)}
            for name, method in methods.items()
        ]
    )
    return Result(use, at_risk, pd.DataFrame(by_item).T, activity, stock)


@contextmanager
def database(scale: str | None, url: str | None) -> Iterator[tuple[Engine, str]]:
    """The database to back-test on, and how to name it."""
    if url:
        engine = make_engine(url)
        yield engine, url
    elif (scale or ("city" if CITY_SQLITE.exists() else "small")) == "city":
        if not CITY_SQLITE.exists():
            raise SystemExit(f"{CITY_SQLITE} is not there: bench/queries.py --scale city makes it")
        # Read only: other benchmarks share the file.
        engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(f"file:{CITY_SQLITE}?mode=ro", uri=True, check_same_thread=False)
        )
        yield engine, f"{CITY_SQLITE} (read only)"
    else:
        from sample_data.generate import generate

        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{folder}/small.sqlite")
            generate(engine, "small", seed=SAMPLE_SEED, log=lambda *_: None)
            yield engine, f"the small sample city, seed {SAMPLE_SEED}"
    engine.dispose()


def report(result: Result, history: History, name: str, seconds: float) -> None:
    pd.set_option("display.width", 160)
    print(f"Back-test on {name}: {len(history.keys)} district-items, {history.days[0]} … {history.days[-1]}")
    print(f"({len(history.days)} days; {int(result.use['origins'].iloc[0])} origins; read and run in {seconds:.1f} s)\n")
    print("Use over the next 14 days (error_total: the projection's; lower is better)")
    print(result.use.set_index("method").round(4).to_string(), "\n")
    print("Where a projection matters: district-items with under 14 days of cover on the day before")
    print(result.at_risk.set_index("method").round(4).to_string(), "\n")
    print("error_total per item")
    print(result.by_item.round(3).to_string(), "\n")
    print("Items with a driving activity (sampling tubes, masks, suits, vaccine)")
    print(result.activity.set_index("method").round(4).to_string(), "\n")
    print("Projected stock against the stock reported: median |error| in days of use")
    print(result.stock.set_index("method").round(2).to_string(), "\n")
    errors = result.use.set_index("method")["error_total"]
    verdict = "beats" if errors[CHOSEN] < errors[NAIVE] else ("equals" if errors[CHOSEN] == errors[NAIVE] else "LOSES TO")
    print(
        f"{CHOSEN} {errors[CHOSEN]:.4f} {verdict} the naive {NAIVE} {errors[NAIVE]:.4f} ({errors['week_mean']:.4f} for week_mean)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("small", "city"), help="default: city when bench/.cache/city.sqlite is there")
    parser.add_argument("--database-url", help="back-test this database instead")
    args = parser.parse_args(argv)
    with database(args.scale, args.database_url) as (engine, name):
        started = time.perf_counter()
        history = load_history(engine)
        result = run(history)
        report(result, history, name, time.perf_counter() - started)
    errors = result.use.set_index("method")["error_total"]
    return 0 if errors[CHOSEN] <= errors[NAIVE] else 1


if __name__ == "__main__":
    sys.exit(main())
