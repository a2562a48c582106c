"""Time the isolation and inspection query functions on a sample database (SQLite).

    .venv/bin/python -m bench.isolation_inspections sqlite:////tmp/city.sqlite

Warm median of 5 calls (after one untimed call), in ms, for the whole city on its last
day, its last 30 days and all its days, and for its first district and that district's
first street over the last 30 days.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time

from sqlalchemy import text

from data_access import inspections, isolation
from data_access.engine import make_engine
from data_access.scope import Scope

FUNCTIONS = [
    isolation.people_daily_totals,
    isolation.people_by_category,
    isolation.people_by_category_daily,
    isolation.people_by_area,
    isolation.isolation_map_units,
    isolation.site_table,
    isolation.site_daily_totals,
    inspections.inspection_daily_totals,
    inspections.inspections_by_type,
    inspections.inspections_by_team,
    inspections.checklist_results,
    inspections.inspections_by_area,
    inspections.inspection_map_units,
]


def scopes(engine) -> dict[str, Scope]:
    with engine.connect() as conn:
        info = dict(conn.execute(text("SELECT key, value FROM dataset_info")).all())
        district = conn.execute(text("SELECT min(code) FROM area WHERE level = 'district'")).scalar()
        street = conn.execute(
            text("SELECT min(code) FROM area WHERE level = 'street' AND district_code = :d"), {"d": district}
        ).scalar()
    first, last = dt.date.fromisoformat(info["first_day"]), dt.date.fromisoformat(info["last_day"])
    month = last - dt.timedelta(days=29)
    city = info["city_code"]
    return {
        "city 1d": Scope(city, last, last),
        "city 30d": Scope(city, month, last),
        "city all": Scope(city, first, last),
        "district 30d": Scope(district, month, last),
        "street 30d": Scope(street, month, last),
    }


def main(url: str) -> None:
    engine = make_engine(url)
    chosen = scopes(engine)
    print("function".ljust(26) + "".join(name.rjust(14) for name in chosen))
    for function in FUNCTIONS:
        cells = []
        for scope in chosen.values():
            function(scope, engine=engine)
            times = []
            for _ in range(5):
                started = time.perf_counter()
                function(scope, engine=engine)
                times.append((time.perf_counter() - started) * 1000)
            cells.append(f"{statistics.median(times):.1f}")
        print(function.__name__.ljust(26) + "".join(cell.rjust(14) for cell in cells))


if __name__ == "__main__":
    main(sys.argv[1])
