"""Time drawing the grid map's colourings that draw objects of their own, from frames
already read: reporting (communities by report freshness), isolation (streets by people
at home, sites by occupancy) and inspections (streets by entities with an open problem).

    .venv/bin/python -m bench.map_layers sqlite:////tmp/city.sqlite [--day 2022-04-06] [--times 6]

For the whole city on one day (the last, unless ``--day``): the objects drawn, the warm
median of 7 builds (label, legend, deck, its JSON as sent: what one rerun of the page
costs beyond its SQL) in ms, and the JSON's size. ``--times N`` also draws the isolation
and inspections colourings over the city's streets and sites repeated N times (new codes,
same shapes): a city with N times as many streets, without building one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

import pandas as pd
from sqlalchemy import text

from data_access import grid, inspections, isolation
from data_access.engine import make_engine
from data_access.report_freshness import report_freshness
from data_access.scope import Scope
from data_access.settings import load_thresholds
from presentation.views import grid_map, inspection_map, isolation_map
from presentation.views import report_freshness as freshness_view

LANG = "zh"
RUNS = 7


def timed(build) -> tuple[float, int]:
    """Warm median of ``RUNS`` builds in ms, and the size of the JSON built."""
    build()
    times, size = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        size = len(build().encode())
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), size


def repeated(frame: pd.DataFrame, times: int, codes: tuple[str, ...]) -> pd.DataFrame:
    """``frame`` ``times`` over, each copy's ``codes`` columns suffixed with its number."""
    copies = [frame.assign(**{c: frame[c] + f"-{i}" for c in codes}) for i in range(times)]
    return pd.concat(copies, ignore_index=True)


def builds(units, report_units, streets, sites, inspected, warning):
    def reporting() -> str:
        return freshness_view.freshness_deck(freshness_view.label_units(report_units, LANG), units, LANG).to_json()

    def isolation_map_json() -> str:
        labelled = isolation_map.label_streets(streets, sites, LANG)
        placed = isolation_map.label_sites(sites, labelled, warning, LANG)
        isolation_map.legend(labelled, placed, warning, LANG)
        isolation_map.summary(labelled, placed, dt.date.today(), warning, LANG)
        return isolation_map.isolation_deck(labelled, placed, warning, LANG).to_json()

    def inspection_map_json() -> str:
        labelled = inspection_map.label_streets(inspected, LANG)
        inspection_map.legend(labelled, LANG)
        return inspection_map.inspection_deck(labelled, LANG).to_json()

    return {"reporting": reporting, "isolation": isolation_map_json, "inspections": inspection_map_json}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--day", type=dt.date.fromisoformat)
    parser.add_argument("--times", type=int, default=0)
    args = parser.parse_args()
    engine = make_engine(args.url)
    with engine.connect() as conn:
        info = dict(conn.execute(text("SELECT key, value FROM dataset_info")).all())
    day = args.day or dt.date.fromisoformat(info["last_day"])
    scope = Scope(info["city_code"], day, day)
    units = grid_map.label_units(grid.grid_units_for_map(scope, engine), LANG)
    report_units = report_freshness(scope, "grid", engine=engine)
    streets, sites = isolation.isolation_map_units(scope, engine), isolation.site_table(scope, engine)
    inspected = inspections.inspection_map_units(scope, engine)
    warning = load_thresholds().site_occupancy_warning
    drawn = {
        "reporting": f"{len(report_units):,} communities",
        "isolation": f"{len(streets):,} streets, {len(sites):,} sites",
        "inspections": f"{len(inspected):,} streets",
    }
    print(f"{args.url} · city · {day}")
    for colouring, build in builds(units, report_units, streets, sites, inspected, warning).items():
        ms, size = timed(build)
        print(f"  {colouring:<12} {drawn[colouring]:<28} {ms:7.1f} ms  {size / 1000:8.0f} kB")
    if args.times:
        streets = repeated(streets, args.times, ("area_code",))
        sites = repeated(sites, args.times, ("code", "area_code"))
        inspected = repeated(inspected, args.times, ("area_code",))
        print(f"  × {args.times}: {len(streets):,} streets, {len(sites):,} sites")
        for colouring, build in list(builds(units, report_units, streets, sites, inspected, warning).items())[1:]:
            ms, size = timed(build)
            print(f"  {colouring:<12} {'':<28} {ms:7.1f} ms  {size / 1000:8.0f} kB")


if __name__ == "__main__":
    main()
