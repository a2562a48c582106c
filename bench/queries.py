"""Benchmark of what each page of the dashboard asks the database for, and of the
adapter's query functions against the naive way, on SQLite and PostgreSQL.

    .venv/bin/python bench/queries.py --scale city [--engines sqlite,postgresql] [--reuse]

For each engine the script builds the sample city of ``--scale`` (or, with ``--reuse``,
keeps the one already there when ``dataset_info`` records the same scale and seed):

- SQLite: ``bench/.cache/<scale>.sqlite``;
- PostgreSQL: database ``bench_<scale>`` on the server of ``--postgres-url`` (default
  ``$BENCH_POSTGRES_URL``, else ``postgresql://postgres@127.0.0.1:5432/test``), created
  when missing; without the right to create databases, schema ``bench_<scale>`` in that
  database (through ``search_path``). The ``public`` schema is never touched.

Then, for each scenario (a typical filter: the whole city on the latest day, over 7 and
30 days, one district over 30 days, one street and one community over 7 days):

- **pages**: every page of the app runs headless on that database with the filter in its
  URL, and a recorder around ``ui.data.load``/``load_plain`` collects the query calls it
  makes (bench/page_calls.py); each call is then timed directly against the database,
  cold (the page's first call of it, on new connections with the adapter's area cache
  emptied) and warm (the median of ``--runs`` calls after that). A page's time is the sum
  over its distinct calls, the app's own (gate, sidebar filter) included;
- **functions against the naive way** (unless ``--skip-naive``): for every public query
  function, ``adapter`` (warm, median of ``--runs`` after a warm-up call) against
  ``naive`` — ``pd.read_sql`` of every whole table the figures come from, then filtering
  and grouping in pandas into the same figures (each table read once per engine, its read
  time added to every function that needs it) — their ``ratio`` and ``check``: whether
  both ways gave the same figures (the naive code is an oracle for the adapter's SQL).

- **alerts, data checks and reporting completeness** for the whole city (the latest
  day, 7 and 30 days): the overview, the wall and the pages' check lists compute them
  through ``load_plain``/``load``; here each is timed on its own, cold (new connections,
  area cache emptied) and warm (median of ``--runs``), with each alert rule and each
  domain's checks as parts, against their own goal: at most 100 ms warm (PASS/FAIL).

At the end it prints the misses against the goals (each page under 300 ms warm, each
function at least 20× faster than the naive way, alerts, checks and completeness at most
100 ms warm for the whole city) and markdown tables for the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import page_calls  # noqa: E402
from data_access import alerts, areas, checkpoints, data_checks, grid, reporting, supplies, testing, vaccination  # noqa: E402
from data_access.engine import get_engine, make_engine, upgrade_schema  # noqa: E402
from data_access.metrics import capacity_gap, coverage, days_of_cover, per_100k, positivity, ratio  # noqa: E402
from data_access.schema import CHECKPOINT_COUNTS, LEVEL_COLUMN, LEVELS, RISK_COLOURS, dataset_info  # noqa: E402
from data_access.scope import Scope, breakdown_level, clear_area_cache, level_index  # noqa: E402
from data_access.settings import intake_settings, load_thresholds  # noqa: E402
from sample_data.generate import DEFAULT_END_DATE, generate  # noqa: E402

CACHE_DIR = ROOT / "bench" / ".cache"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
VIEW_BUDGET_MS = 300.0
CITY_GOAL_MS = 100.0  # alerts, data checks, reporting completeness: whole city, warm
MIN_RATIO = 20.0
SUPPLY_ITEM = "MASK"
SEARCH_TEXT = "4188"  # a code prefix every sample area has: the picker's worst case (limit 50)
ENGINE_TITLES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# The PostgreSQL schema a database URL's benchmark city lives in, when it could not have a
# database of its own: every engine on that URL (the app's too) sets it as search_path.
SCHEMAS: dict[str, str] = {}


# ------------------------------------------------------------------ databases
def sqlite_database(scale: str, fresh: bool = False) -> Engine:
    path = CACHE_DIR / f"{scale}.sqlite"
    if fresh:  # a new file: emptying a city-scale one row by row takes longer
        for leftover in CACHE_DIR.glob(f"{scale}.sqlite*"):
            leftover.unlink()
    return make_engine(f"sqlite:///{path}")


def postgres_database(scale: str, server_url: str, fresh: bool = False) -> Engine:
    """Database ``bench_<scale>`` on the server (created when missing, recreated when
    ``fresh``), else, without the right to create databases, a schema of that name."""
    name = f"bench_{scale}"
    url = make_url(
        server_url.replace("postgresql://", "postgresql+psycopg://", 1) if server_url.startswith("postgresql://") else server_url
    )
    if url.database == name:
        raise SystemExit(f"--postgres-url must name another database than {name}")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            try:
                if fresh:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                    conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
                return make_engine(url.set(database=name).render_as_string(hide_password=False))
            except DBAPIError as error:
                print(f"  cannot use a database {name} ({error.orig}); using schema {name} in {url.database}")
            if fresh:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{name}"')
    finally:
        admin.dispose()
    rendered = url.render_as_string(hide_password=False)
    SCHEMAS[rendered] = name
    return use_schema(make_engine(rendered))


def use_schema(engine: Engine) -> Engine:
    """``engine`` with the benchmark's schema as search_path when its URL has one (SCHEMAS)."""
    name = SCHEMAS.get(engine.url.render_as_string(hide_password=False))
    if name is not None:

        @event.listens_for(engine, "connect")
        def _search_path(dbapi_connection, _record):
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f'SET search_path TO "{name}"')
            dbapi_connection.commit()

    return engine


def open_database(kind: str, scale: str, postgres_url: str, fresh: bool = False) -> Engine:
    return sqlite_database(scale, fresh) if kind == "sqlite" else postgres_database(scale, postgres_url, fresh)


def recorded_dataset(engine: Engine) -> dict[str, str]:
    if not inspect(engine).has_table("dataset_info"):
        return {}
    with engine.connect() as conn:
        return dict(conn.execute(select(dataset_info.c.key, dataset_info.c.value)).all())


def dataset(kind: str, args: argparse.Namespace) -> tuple[Engine, dict[str, str]]:
    """The engine of a database holding the sample city of ``args.scale``/``args.seed``:
    the one there when ``--reuse`` and it matches, else a new one."""
    engine = open_database(kind, args.scale, args.postgres_url)
    info = recorded_dataset(engine)
    if args.reuse and info.get("scale") == args.scale and info.get("seed") == str(args.seed):
        print(f"  reusing the sample city already there (scale {args.scale}, seed {args.seed})")
        upgrade_schema(engine)  # one built before a newer migration gets its indexes and roll-ups
        settle(engine)
        return engine, info
    engine.dispose()
    engine = open_database(kind, args.scale, args.postgres_url, fresh=True)
    print(f"  generating the sample city (scale {args.scale}, seed {args.seed}); at city scale this takes minutes")
    generate(engine, args.scale, args.seed, args.end_date, log=lambda message: print(f"    {message}", flush=True))
    settle(engine)
    return engine, recorded_dataset(engine)


def settle(engine: Engine) -> None:
    """PostgreSQL: VACUUM (ANALYZE), as autovacuum would soon after a bulk load (a test
    server may run without it). Until then no page is marked all-visible, so index-only
    scans read the table anyway, and first reads write hint bits: both would be measured.
    Quick when nothing changed since the last one."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("SET statement_timeout = 0")
        conn.exec_driver_sql("VACUUM (ANALYZE)")


# ------------------------------------------------------------------ scenarios
@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    scope: Scope
    # The same filter as the dashboard's URL parameters (area; range: latest, 7d, 30d).
    params: dict[str, str] = field(default_factory=dict)


def scenarios(engine: Engine, info: dict[str, str]) -> list[Scenario]:
    """Typical filters: the first district, its first street, that street's first community."""
    last = dt.date.fromisoformat(info["last_day"])
    city = info["city_code"]
    district = areas.area_children(city, engine)["code"].iloc[0]
    street = areas.area_children(district, engine)["code"].iloc[0]
    community = areas.area_children(street, engine)["code"].iloc[0]

    def days(n: int) -> tuple[dt.date, dt.date]:
        return last - dt.timedelta(days=n - 1), last

    return [
        Scenario("city-1d", "city, latest day", Scope(city, *days(1)), {}),
        Scenario("city-7d", "city, 7 days", Scope(city, *days(7)), {"range": "7d"}),
        Scenario("city-30d", "city, 30 days", Scope(city, *days(30)), {"range": "30d"}),
        Scenario("district-30d", "district, 30 days", Scope(district, *days(30)), {"area": district, "range": "30d"}),
        Scenario("street-7d", "street, 7 days", Scope(street, *days(7)), {"area": street, "range": "7d"}),
        Scenario("community-7d", "community, 7 days", Scope(community, *days(7)), {"area": community, "range": "7d"}),
    ]


# ------------------------------------------------------------------ the naive way
def _as_timestamp(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


class Naive:
    """Whole tables read with pd.read_sql (once each, timed), filtered and grouped in pandas."""

    DATE_COLUMNS = {"day", "start_day", "end_day"}

    def __init__(self, engine: Engine):
        self.engine = engine
        self.frames: dict[str, pd.DataFrame] = {}
        self.read_seconds: dict[str, float] = {}

    def table(self, name: str) -> pd.DataFrame:
        if name not in self.frames:
            started = time.perf_counter()
            with self.engine.connect() as conn:
                if self.engine.dialect.name == "postgresql":
                    conn.exec_driver_sql("SET statement_timeout = 0")
                    conn = conn.execution_options(stream_results=True)  # not all rows in client memory at once
                chunks = [self._typed(chunk) for chunk in pd.read_sql(f"SELECT * FROM {name}", conn, chunksize=1_000_000)]
            frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
            self.read_seconds[name] = time.perf_counter() - started
            self.frames[name] = frame
        return self.frames[name]

    def _typed(self, chunk: pd.DataFrame) -> pd.DataFrame:
        for column in self.DATE_COLUMNS & set(chunk.columns):
            chunk[column] = pd.to_datetime(chunk[column])
        return chunk

    def seconds(self, tables: Iterable[str]) -> float:
        return sum(self.read_seconds[t] for t in tables)

    # -- areas and scope, as the adapter's scope module defines them
    def area_index(self) -> pd.DataFrame:
        return self.table("area").set_index("code", drop=False)

    def level(self, code: str) -> str:
        return self.area_index().at[code, "level"]

    def in_scope(self, scope: Scope) -> pd.DataFrame:
        a = self.table("area")
        return a[a[LEVEL_COLUMN[self.level(scope.area_code)]] == scope.area_code]

    def widened(self, scope: Scope, finest_level: str) -> Scope:
        level = self.level(scope.area_code)
        if level_index(level) <= level_index(finest_level):
            return scope
        return scope.with_area(self.area_index().at[scope.area_code, LEVEL_COLUMN[finest_level]])

    def facts(self, fact: str, unit_table: str, unit_column: str, scope: Scope, days: bool = True) -> pd.DataFrame:
        """Rows of ``fact`` whose unit (in ``unit_table``) stands in the scope's areas, with
        the unit's area's ancestor columns joined on as ``in_<level>_code``."""
        units = self.table(unit_table)
        areas_in = self.in_scope(scope)
        ancestors = areas_in[["code", *LEVEL_COLUMN.values()]].add_prefix("in_")
        units = (
            units[units["area_code"].isin(areas_in["code"])][["code", "area_code"]]
            .merge(ancestors, left_on="area_code", right_on="in_code", how="inner")
            .drop(columns=["area_code", "in_code"])
        )
        rows = self.table(fact)
        if days:
            rows = rows[rows["day"].between(_as_timestamp(scope.start), _as_timestamp(scope.end))]
        rows = rows[rows[unit_column].isin(units["code"])]
        return rows.merge(units.rename(columns={"code": unit_column}), on=unit_column, how="left")


def _sum_by(rows: pd.DataFrame, keys: list[str], columns: Iterable[str]) -> pd.DataFrame:
    return rows.groupby(keys, as_index=False, sort=True)[list(columns)].sum()


def _names(n: Naive, result: pd.DataFrame) -> pd.DataFrame:
    names = n.table("area")[["code", "name_zh", "name_en"]].rename(columns={"code": "area_code"})
    return result.merge(names, on="area_code", how="left")


# -- checkpoints 道口
def naive_checkpoint_daily_totals(n: Naive, scope: Scope) -> pd.DataFrame:
    rows = n.facts("checkpoint_daily", "checkpoint", "checkpoint_code", scope)
    result = _sum_by(rows, ["day"], CHECKPOINT_COUNTS)
    result["checkpoints_reporting"] = rows.groupby("day").size().to_numpy()
    return result


def naive_checkpoint_hourly_profile(n: Naive, scope: Scope) -> pd.DataFrame:
    rows = n.facts("checkpoint_hourly", "checkpoint", "checkpoint_code", scope)
    result = _sum_by(rows, ["hour"], ["vehicles", "people", "fever"])
    result["days"] = rows.groupby("hour")["day"].nunique().to_numpy()
    result["vehicles_per_day"] = result["vehicles"] / result["days"]
    result["people_per_day"] = result["people"] / result["days"]
    return result


def naive_checkpoint_table(n: Naive, scope: Scope) -> pd.DataFrame:
    rows = n.facts("checkpoint_daily", "checkpoint", "checkpoint_code", scope)
    result = _sum_by(rows, ["checkpoint_code"], [*CHECKPOINT_COUNTS, "staffed_hours"])
    result["days_reported"] = rows.groupby("checkpoint_code").size().to_numpy()
    cp = n.table("checkpoint").rename(columns={"code": "checkpoint_code", "people_per_lane_hour": "rated_people_per_lane_hour"})
    result = result.merge(cp, on="checkpoint_code").rename(columns={"checkpoint_code": "code"})
    result = result.merge(n.table("area")[["code", "district_code"]].rename(columns={"code": "area_code"}), on="area_code")
    result["lane_hours"] = result["lanes"] * result["staffed_hours"]
    result["people_per_lane_hour"] = ratio(result["people"], result["lane_hours"])
    result["staffed_capacity"] = result["lane_hours"] * result["rated_people_per_lane_hour"]
    result["utilisation"] = ratio(result["people"], result["staffed_capacity"])
    result["fever_per_100k"] = per_100k(result["fever"], result["people"])
    return result


def naive_checkpoint_by_area(n: Naive, scope: Scope) -> pd.DataFrame:
    group = "in_" + LEVEL_COLUMN[breakdown_level(n.level(scope.area_code), checkpoints.FINEST_LEVEL)]
    rows = n.facts("checkpoint_daily", "checkpoint", "checkpoint_code", scope).rename(columns={group: "area_code"})
    result = _sum_by(rows, ["area_code"], CHECKPOINT_COUNTS)
    result["checkpoints"] = rows.groupby("area_code")["checkpoint_code"].nunique().to_numpy()
    return _names(n, result)


# -- testing 核酸检测
def naive_testing_daily_totals(n: Naive, scope: Scope) -> pd.DataFrame:
    rows = n.facts("testing_daily", "sampling_site", "site_code", scope)
    rows = rows.assign(
        m=rows["turnaround_median_h"] * rows["samples_tested"], p=rows["turnaround_p90_h"] * rows["samples_tested"]
    )
    g = rows.groupby("day")
    result = _sum_by(rows, ["day"], ["samples_collected", "samples_tested", "positives", "pending", "m", "p"])
    result = result.rename(columns={"pending": "backlog"})
    result["pooled_ratio"] = g["pooled_ratio"].max().to_numpy()
    tested = result["samples_tested"].where(result["samples_tested"] != 0)
    result["turnaround_median_h"] = result.pop("m") / tested
    result["turnaround_p90_h"] = result.pop("p") / tested
    result["sites_reporting"] = g.size().to_numpy()
    result["positivity"] = positivity(result["positives"], result["samples_tested"])
    return result


def naive_lab_utilisation_daily(n: Naive, scope: Scope) -> pd.DataFrame:
    rows = n.facts("lab_daily", "lab", "lab_code", scope)
    result = _sum_by(rows, ["day"], ["tubes_tested", "capacity_tubes"])
    result["labs"] = rows.groupby("day").size().to_numpy()
    result["utilisation"] = ratio(result["tubes_tested"], result["capacity_tubes"])
    return result


def naive_testing_by_area(n: Naive, scope: Scope) -> pd.DataFrame:
    group = "in_" + LEVEL_COLUMN[breakdown_level(n.level(scope.area_code), testing.FINEST_LEVEL)]
    rows = n.facts("testing_daily", "sampling_site", "site_code", scope).rename(columns={group: "area_code"})
    result = _sum_by(rows, ["area_code"], ["samples_collected", "samples_tested", "positives"])
    last = rows[rows["day"] == _as_timestamp(scope.end)]
    result = result.merge(_sum_by(last, ["area_code"], ["pending"]), on="area_code", how="left")
    result["backlog"] = result.pop("pending").fillna(0).astype(int)
    result["positivity"] = positivity(result["positives"], result["samples_tested"])
    return _names(n, result)


def naive_testing_rounds(n: Naive, scope: Scope) -> pd.DataFrame:
    return n.table("testing_round").sort_values("start_day")


def naive_round_coverage_by_area(n: Naive, scope: Scope) -> pd.DataFrame:
    group = "in_" + LEVEL_COLUMN[breakdown_level(n.level(scope.area_code), testing.FINEST_LEVEL)]
    rounds = n.table("testing_round")
    rounds = rounds[(rounds["end_day"] >= _as_timestamp(scope.start)) & (rounds["start_day"] <= _as_timestamp(scope.end))]
    rows = n.facts("testing_daily", "sampling_site", "site_code", scope, days=False).rename(columns={group: "area_code"})
    parts = []
    for r in rounds.itertuples():
        during = rows[rows["day"].between(r.start_day, r.end_day)]
        part = _sum_by(during, ["area_code"], ["samples_collected"])
        parts.append(part.assign(round_id=r.id, round_zh=r.name_zh, round_en=r.name_en))
    result = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["round_id", "round_zh", "round_en", "area_code", "samples_collected"])
    )
    residents = n.table("area")[["code", "residents"]].rename(columns={"code": "area_code"})
    result = _names(n, result).merge(residents, on="area_code", how="left")
    result["coverage"] = coverage(result["samples_collected"], result["residents"]).clip(upper=1.0)
    return result


# -- supplies 物资保障
def _ledger(n: Naive, scope: Scope) -> pd.DataFrame:
    return n.facts("supply_ledger", "warehouse", "warehouse_code", scope, days=False)


def _window_start(scope: Scope) -> pd.Timestamp:
    """The consumption window: the 7 days up to the range's last day, whatever its first."""
    return _as_timestamp(scope.end - dt.timedelta(days=supplies.CONSUMPTION_WINDOW_DAYS - 1))


def naive_supply_items(n: Naive, scope: Scope) -> pd.DataFrame:
    return n.table("supply_item").sort_values(["category", "code"])


def naive_supply_status(n: Naive, scope: Scope) -> pd.DataFrame:
    scope = n.widened(scope, supplies.FINEST_LEVEL)
    rows = _ledger(n, scope)
    in_range = rows[rows["day"].between(_as_timestamp(scope.start), _as_timestamp(scope.end))]
    sums = _sum_by(in_range, ["item_code"], ["inbound_procured", "inbound_allocated", "inbound_donated", "outbound_frontline"])
    recent = rows[rows["day"].between(_window_start(scope), _as_timestamp(scope.end))]
    g = recent.groupby("item_code")
    consumption = (g["outbound_frontline"].sum() / g["day"].nunique()).rename("avg_daily_consumption").reset_index()
    # Stock at each depot's last report in the window.
    last = recent[recent["day"] == recent.groupby(["warehouse_code", "item_code"])["day"].transform("max")]
    latest = last.groupby("item_code", as_index=False).agg(
        stock=("closing_stock", "sum"), production_capacity=("production_capacity", "sum"), as_of=("day", "max")
    )
    result = latest.merge(consumption, on="item_code", how="left").merge(sums, on="item_code", how="left")
    flows = ["inbound_procured", "inbound_allocated", "inbound_donated", "outbound_frontline"]
    result[flows] = result[flows].fillna(0)  # reported in the window, not in a shorter range
    items = n.table("supply_item").rename(columns={"code": "item_code"})
    result = items.merge(result, on="item_code")
    result["days_of_cover"] = days_of_cover(result["stock"], result["avg_daily_consumption"])
    result["capacity_gap"] = capacity_gap(result["avg_daily_consumption"], result["production_capacity"])
    return result


def naive_supply_item_daily(n: Naive, scope: Scope) -> pd.DataFrame:
    scope = n.widened(scope, supplies.FINEST_LEVEL)
    rows = _ledger(n, scope)
    rows = rows[(rows["item_code"] == SUPPLY_ITEM) & rows["day"].between(_as_timestamp(scope.start), _as_timestamp(scope.end))]
    columns = [
        "opening_stock",
        "inbound_procured",
        "inbound_allocated",
        "inbound_donated",
        "outbound_frontline",
        "closing_stock",
        "production_capacity",
    ]
    return _sum_by(rows, ["day"], columns)


def naive_days_of_cover_by_district(n: Naive, scope: Scope) -> pd.DataFrame:
    scope = n.widened(scope, supplies.FINEST_LEVEL)
    rows = _ledger(n, scope)
    rows = rows[rows["day"].between(_window_start(scope), _as_timestamp(scope.end)) & rows["in_district_code"].notna()]
    # Stock as of each depot's last report in the window.
    last_day = rows.groupby(["warehouse_code", "item_code"])["day"].transform("max")
    rows = rows.assign(last_stock=rows["closing_stock"].where(rows["day"] == last_day, 0))
    g = rows.groupby(["in_district_code", "item_code"])
    result = (
        pd.DataFrame(
            {"stock": g["last_stock"].sum(), "avg_daily_consumption": g["outbound_frontline"].sum() / g["day"].nunique()}
        )
        .reset_index()
        .rename(columns={"in_district_code": "district_code"})
    )
    result["days_of_cover"] = days_of_cover(result["stock"], result["avg_daily_consumption"])
    return result


# -- vaccination 疫苗接种
DOSES = vaccination.DOSE_COLUMNS


def _by_dose(rows: pd.DataFrame, keys: list[str], prefix: str = "") -> pd.DataFrame:
    table = (
        rows.pivot_table(index=keys, columns="dose_number", values="doses", aggfunc="sum", fill_value=0)
        if keys
        else (rows.groupby("dose_number")["doses"].sum().to_frame().T)
    )
    table = table.reindex(columns=list(DOSES), fill_value=0)
    table.columns = [prefix + DOSES[c] for c in table.columns]
    return table.reset_index() if keys else table.reset_index(drop=True)


def naive_doses_by_day(n: Naive, scope: Scope) -> pd.DataFrame:
    rows = n.facts("vaccination_daily", "vaccination_site", "site_code", scope)
    result = _by_dose(rows, ["day"])
    result["doses"] = result[list(DOSES.values())].sum(axis=1)
    return result


def _naive_cumulative(n: Naive, scope: Scope, group: str | None, by_age: bool) -> pd.DataFrame:
    keys = (["area_code"] if group else []) + (["age_group"] if by_age else [])
    rows = n.facts("vaccination_daily", "vaccination_site", "site_code", scope, days=False)
    rows = rows[rows["day"] <= _as_timestamp(scope.end)]
    if group:
        rows = rows.assign(area_code=rows["in_" + group])
    given = _by_dose(rows, keys, "given_")
    areas_in = n.in_scope(scope)[["code", group] if group else ["code"]]
    targets = n.table("vaccination_target").merge(areas_in, left_on="area_code", right_on="code", suffixes=("_t", ""))
    if group:
        targets["area_code"] = targets[group]
    targets = targets.rename(
        columns={"baseline_dose1": "base_dose1", "baseline_dose2": "base_dose2", "baseline_dose3": "base_booster"}
    )
    base = ["population", "base_dose1", "base_dose2", "base_booster"]
    targets = _sum_by(targets, keys, base) if keys else targets[base].sum().to_frame().T
    result = targets.merge(given, on=keys, how="left") if keys else pd.concat([targets, given], axis=1)
    for name in DOSES.values():
        result[name] = result[f"base_{name}"].fillna(0) + result[f"given_{name}"].fillna(0)
        result[f"coverage_{name}"] = coverage(result[name], result["population"])
    return result


def naive_coverage_by_age_group(n: Naive, scope: Scope) -> pd.DataFrame:
    return _naive_cumulative(n, n.widened(scope, vaccination.FINEST_LEVEL), None, True)


def naive_coverage_by_area(n: Naive, scope: Scope) -> pd.DataFrame:
    scope = n.widened(scope, vaccination.FINEST_LEVEL)
    group = LEVEL_COLUMN[breakdown_level(n.level(scope.area_code), vaccination.FINEST_LEVEL)]
    return _names(n, _naive_cumulative(n, scope, group, False))


def naive_coverage_total(n: Naive, scope: Scope) -> pd.DataFrame:
    return _naive_cumulative(n, n.widened(scope, vaccination.FINEST_LEVEL), None, False)


def naive_site_capacity(n: Naive, scope: Scope) -> pd.DataFrame:
    sites = n.table("vaccination_site")
    sites = sites[sites["area_code"].isin(n.in_scope(scope)["code"])]
    result = sites.groupby("kind", as_index=False).agg(sites=("code", "size"), daily_capacity=("daily_capacity", "sum"))
    rows = n.facts("vaccination_daily", "vaccination_site", "site_code", scope).merge(
        sites[["code", "kind"]].rename(columns={"code": "site_code"}), on="site_code"
    )
    result = result.merge(_sum_by(rows, ["kind"], ["doses"]), on="kind", how="left")
    result["doses"] = result["doses"].fillna(0)
    result["doses_per_day"] = result["doses"] / scope.days
    result["utilisation"] = ratio(result["doses_per_day"], result["daily_capacity"])
    return result


# -- grid units 网格
def _grid_rows(n: Naive, scope: Scope, start: dt.date) -> pd.DataFrame:
    units = n.in_scope(scope)
    rows = n.table("grid_daily")
    rows = rows[rows["day"].between(_as_timestamp(start), _as_timestamp(scope.end))]
    rows = rows[rows["unit_code"].isin(units["code"])]
    for i, name in enumerate(RISK_COLOURS):
        rows = rows.assign(**{f"units_{name}": (rows["risk_colour"] == i).astype(int)})
    return rows


def naive_grid_units_for_map(n: Naive, scope: Scope) -> pd.DataFrame:
    level = n.level(scope.area_code)
    group_level = grid.MAP_LEVEL[level]
    rows = _grid_rows(n, scope, scope.end)
    unit_group = n.table("area")[["code", LEVEL_COLUMN[group_level]]].rename(
        columns={"code": "unit_code", LEVEL_COLUMN[group_level]: "code"}
    )
    rows = rows.merge(unit_group, on="unit_code")
    colours = [f"units_{name}" for name in RISK_COLOURS]
    activity = _sum_by(rows, ["code"], [*grid.ACTIVITY_COLUMNS, *colours])
    g = rows.groupby("code")
    activity["risk_colour"] = g["risk_colour"].max().to_numpy()
    activity["units_reporting"] = g.size().to_numpy()
    counts = [*colours, "units_reporting"]
    shapes = n.in_scope(scope)
    shapes = shapes[shapes["level"] == group_level][
        ["code", "name_zh", "name_en", "level", "residents", "households", "lon", "lat", "polygon"]
    ]
    result = shapes.merge(activity, on="code", how="left")
    result[[*grid.ACTIVITY_COLUMNS, *counts]] = result[[*grid.ACTIVITY_COLUMNS, *counts]].fillna(0)
    result["visited_pct"] = ratio(result["households_visited"], result["households"])
    result["workers_per_1000_households"] = ratio(result["workers_on_duty"], result["households"]) * 1000
    result["key_persons"] = result[["key_close_contacts", "key_risk_area_returnees", "key_inbound_travellers"]].sum(axis=1)
    return result


def naive_grid_daily_totals(n: Naive, scope: Scope) -> pd.DataFrame:
    rows = _grid_rows(n, scope, scope.start)
    result = _sum_by(rows, ["day"], [*grid.ACTIVITY_COLUMNS, *[f"units_{name}" for name in RISK_COLOURS]])
    result["units_reporting"] = rows.groupby("day").size().to_numpy()
    return result


# -- areas and the dataset (the shared filter, freshness)
def _area_columns(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[[c.name for c in areas.AREA_COLUMNS]]


def naive_root_area(n: Naive, scope: Scope) -> pd.DataFrame:
    a = n.table("area")
    return _area_columns(a[a["parent_code"].isna()].sort_values("code").head(1))


def naive_area_info(n: Naive, scope: Scope) -> pd.DataFrame:
    a = n.table("area")
    return _area_columns(a[a["code"] == scope.area_code])


def naive_area_children(n: Naive, scope: Scope) -> pd.DataFrame:
    a = n.table("area")
    return _area_columns(a[a["parent_code"] == scope.area_code].sort_values("code"))


def naive_area_path(n: Naive, scope: Scope) -> pd.DataFrame:
    row = n.area_index().loc[scope.area_code]
    codes = [row[LEVEL_COLUMN[level]] for level in LEVELS if isinstance(row[LEVEL_COLUMN[level]], str)]
    return _area_columns(n.area_index().loc[codes].reset_index(drop=True))


def naive_areas_down_to(n: Naive, scope: Scope) -> pd.DataFrame:
    a = n.table("area")
    return _area_columns(a[a["level"].isin(LEVELS[: LEVELS.index("community") + 1])].sort_values("code"))


def naive_search_areas(n: Naive, scope: Scope) -> pd.DataFrame:
    a = n.table("area")
    a = a[a["level"].isin(LEVELS[: LEVELS.index("community") + 1])]
    hit = (
        a["code"].str.startswith(SEARCH_TEXT)
        | a["name_zh"].str.contains(SEARCH_TEXT, regex=False)
        | a["name_en"].str.lower().str.contains(SEARCH_TEXT.lower(), regex=False)
    )
    a = a.assign(_length=a["code"].str.len())[hit].sort_values(["_length", "code"]).head(50)
    return _area_columns(a)


DAY_TABLES = ("checkpoint_daily", "testing_daily", "supply_ledger", "vaccination_daily", "grid_daily")


def naive_data_date_bounds(n: Naive, scope: Scope) -> pd.DataFrame:
    firsts = [n.table(t)["day"].min() for t in DAY_TABLES]
    lasts = [n.table(t)["day"].max() for t in DAY_TABLES]
    return pd.DataFrame({"first": [min(firsts)], "last": [max(lasts)]})


def naive_domain_freshness(n: Naive, scope: Scope) -> pd.DataFrame:
    domains = ["checkpoints", "testing", "supplies", "vaccination", "grid"]
    result = pd.DataFrame({"domain": domains, "last_day": [n.table(t)["day"].max() for t in DAY_TABLES]})
    submissions = n.table("report_submission")
    reported = submissions.groupby("report_type")["reported_at"].max()
    result["last_reported_at"] = (
        result["domain"]
        .map(dict(zip(domains, ["checkpoint", "testing", "supplies", "vaccination", "grid"], strict=False)))
        .map(reported)
    )
    return result


def naive_dataset_description(n: Naive, scope: Scope) -> pd.DataFrame:
    rows = n.table("dataset_info")
    return pd.DataFrame([dict(zip(rows["key"], rows["value"], strict=False))])


# ------------------------------------------------------------------ the cases
@dataclass(frozen=True)
class Case:
    name: str
    call: Callable[[Scope, Engine], object]
    naive: Callable[[Naive, Scope], pd.DataFrame]
    tables: tuple[str, ...]
    keys: tuple[str, ...] = ()
    # A whole small table handed over as it is: the naive way does the same work.
    whole_table: bool = False


CP = ("checkpoint", "area")
TS = ("sampling_site", "area")
SUP = ("warehouse", "area")
VAC = ("vaccination_site", "area")

CASES = [
    Case(
        "checkpoint_daily_totals",
        checkpoints.checkpoint_daily_totals,
        naive_checkpoint_daily_totals,
        ("checkpoint_daily", *CP),
        ("day",),
    ),
    Case(
        "checkpoint_hourly_profile",
        checkpoints.checkpoint_hourly_profile,
        naive_checkpoint_hourly_profile,
        ("checkpoint_hourly", *CP),
        ("hour",),
    ),
    Case("checkpoint_table", checkpoints.checkpoint_table, naive_checkpoint_table, ("checkpoint_daily", *CP), ("code",)),
    Case(
        "checkpoint_by_area", checkpoints.checkpoint_by_area, naive_checkpoint_by_area, ("checkpoint_daily", *CP), ("area_code",)
    ),
    Case("testing_daily_totals", testing.testing_daily_totals, naive_testing_daily_totals, ("testing_daily", *TS), ("day",)),
    Case(
        "lab_utilisation_daily",
        testing.lab_utilisation_daily,
        naive_lab_utilisation_daily,
        ("lab_daily", "lab", "area"),
        ("day",),
    ),
    Case("testing_by_area", testing.testing_by_area, naive_testing_by_area, ("testing_daily", *TS), ("area_code",)),
    Case(
        "testing_rounds",
        lambda s, e: testing.testing_rounds(e),
        naive_testing_rounds,
        ("testing_round",),
        ("id",),
        whole_table=True,
    ),
    Case(
        "round_coverage_by_area",
        testing.round_coverage_by_area,
        naive_round_coverage_by_area,
        ("testing_daily", "testing_round", *TS),
        ("round_id", "area_code"),
    ),
    Case(
        "supply_items", lambda s, e: supplies.supply_items(e), naive_supply_items, ("supply_item",), ("code",), whole_table=True
    ),
    Case("supply_status", supplies.supply_status, naive_supply_status, ("supply_ledger", "supply_item", *SUP), ("item_code",)),
    Case(
        f"supply_item_daily({SUPPLY_ITEM})",
        lambda s, e: supplies.supply_item_daily(s, SUPPLY_ITEM, e),
        naive_supply_item_daily,
        ("supply_ledger", *SUP),
        ("day",),
    ),
    Case(
        "days_of_cover_by_district",
        supplies.days_of_cover_by_district,
        naive_days_of_cover_by_district,
        ("supply_ledger", *SUP),
        ("district_code", "item_code"),
    ),
    Case("doses_by_day", vaccination.doses_by_day, naive_doses_by_day, ("vaccination_daily", *VAC), ("day",)),
    Case(
        "coverage_by_age_group",
        vaccination.coverage_by_age_group,
        naive_coverage_by_age_group,
        ("vaccination_daily", "vaccination_target", *VAC),
        ("age_group",),
    ),
    Case(
        "coverage_by_area",
        vaccination.coverage_by_area,
        naive_coverage_by_area,
        ("vaccination_daily", "vaccination_target", *VAC),
        ("area_code",),
    ),
    Case("coverage_total", vaccination.coverage_total, naive_coverage_total, ("vaccination_daily", "vaccination_target", *VAC)),
    Case("site_capacity", vaccination.site_capacity, naive_site_capacity, ("vaccination_daily", *VAC), ("kind",)),
    Case("grid_units_for_map", grid.grid_units_for_map, naive_grid_units_for_map, ("grid_daily", "area"), ("code",)),
    Case("grid_daily_totals", grid.grid_daily_totals, naive_grid_daily_totals, ("grid_daily", "area"), ("day",)),
    Case("root_area", lambda s, e: areas.root_area(e), naive_root_area, ("area",)),
    Case("area_info", lambda s, e: areas.area_info(s.area_code, e), naive_area_info, ("area",)),
    Case("area_path", lambda s, e: areas.area_path(s.area_code, e), naive_area_path, ("area",), ("code",)),
    Case("area_children", lambda s, e: areas.area_children(s.area_code, e), naive_area_children, ("area",), ("code",)),
    Case("areas_down_to(community)", lambda s, e: areas.areas_down_to("community", e), naive_areas_down_to, ("area",), ("code",)),
    Case(
        f"search_areas({SEARCH_TEXT!r})",
        lambda s, e: areas.search_areas(SEARCH_TEXT, engine=e),
        naive_search_areas,
        ("area",),
        ("code",),
    ),
    Case("data_date_bounds", lambda s, e: areas.data_date_bounds(e), naive_data_date_bounds, DAY_TABLES),
    Case(
        "domain_freshness",
        lambda s, e: areas.domain_freshness(e),
        naive_domain_freshness,
        (*DAY_TABLES, "report_submission"),
        ("domain",),
    ),
    Case(
        "dataset_description",
        lambda s, e: areas.dataset_description(e),
        naive_dataset_description,
        ("dataset_info",),
        whole_table=True,
    ),
]
CASE_BY_NAME = {case.name: case for case in CASES}

# ------------------------------------------------------------------ comparing figures
DATE_LIKE = {"day", "as_of", "first", "last", "last_day", "start_day", "end_day"}


def as_frame(value) -> pd.DataFrame:
    if isinstance(value, pd.DataFrame):
        return value
    if isinstance(value, dict):
        return pd.DataFrame([value])
    if isinstance(value, tuple):
        return pd.DataFrame([value], columns=["first", "last"])
    raise TypeError(type(value))


def _comparable(series: pd.Series, name: str) -> pd.Series:
    if name.endswith("_at"):  # SQLite keeps naive UTC text, PostgreSQL an aware timestamp
        return pd.to_datetime(series, utc=True, format="mixed").astype(object)
    if name in DATE_LIKE:
        return pd.to_datetime(series.astype(object).map(lambda v: None if v is None or v is pd.NaT else str(v)[:10])).astype(
            object
        )
    numeric = pd.to_numeric(series.astype(object), errors="coerce")
    if numeric.notna().sum() == series.notna().sum():
        return numeric.astype(float)
    return series.astype(object).where(series.notna(), None).map(lambda v: None if v is None else str(v))


def same_figures(adapter_value, naive_value, keys: tuple[str, ...]) -> str:
    """'ok', or what differs between the adapter's and the naive result."""
    a, b = as_frame(adapter_value), as_frame(naive_value)
    if len(a) != len(b):
        return f"rows {len(a)} vs naive {len(b)}"
    if keys:
        a, b = a.sort_values(list(keys)), b.sort_values(list(keys))
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    shared = [c for c in a.columns if c in b.columns]
    missing = [c for c in a.columns if c not in b.columns and c not in ("area_code",)]
    for column in shared:
        x, y = _comparable(a[column], column), _comparable(b[column], column)
        if x.dtype == float and y.dtype == float:
            if not np.allclose(x.to_numpy(), y.to_numpy(), rtol=1e-6, atol=1e-9, equal_nan=True):
                return f"{column} differs"
        elif not (x.fillna("∅").astype(str) == y.fillna("∅").astype(str)).all():
            return f"{column} differs"
    return "ok" if not missing else f"ok (naive lacks {', '.join(missing)})"


# ------------------------------------------------------------------ timing
@dataclass
class Measure:
    engine: str
    scenario: str
    case: str
    adapter_ms: float
    naive_ms: float | None = None
    check: str = ""

    @property
    def ratio(self) -> float | None:
        return self.naive_ms / self.adapter_ms if self.naive_ms is not None and self.adapter_ms > 0 else None


def warm_ms(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    value = fn()  # warm-up: caches, plans, pages in memory
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), value


def naive_ms(naive: Naive, case: Case, scope: Scope) -> tuple[float, pd.DataFrame]:
    for table in case.tables:
        naive.table(table)  # read (and timed) on first use
    started = time.perf_counter()
    value = case.naive(naive, scope)
    return naive.seconds(set(case.tables)) * 1000 + (time.perf_counter() - started) * 1000, value


def fmt_ms(ms: float | None) -> str:
    return "—" if ms is None else (f"{ms:,.1f}" if ms < 100 else f"{ms:,.0f}")


def fmt_ratio(measure: Measure) -> str:
    if measure.ratio is None:
        return "—"
    return f"{measure.ratio:,.0f}×" if measure.ratio >= 10 else f"{measure.ratio:.1f}×"


def bench_functions(name: str, engine: Engine, scenario_list: list[Scenario], runs: int) -> list[Measure]:
    """Every public query function against the naive way, per scenario."""
    measures: list[Measure] = []
    naive = Naive(engine)
    print("\n  -- functions against the naive way --")
    for scenario in scenario_list:
        s = scenario.scope
        print(f"\n  {scenario.title}: area {s.area_code}, {s.start} … {s.end}")
        print(f"    {'function':<30} {'adapter ms':>11} {'naive ms':>11} {'ratio':>8}  check")
        for case in CASES:
            adapter, value = warm_ms(lambda case=case, s=s: case.call(s, engine), runs)
            measure = Measure(name, scenario.key, case.name, adapter)
            measure.naive_ms, naive_value = naive_ms(naive, case, s)
            measure.check = same_figures(value, naive_value, case.keys)
            if case.whole_table:
                measure.check += " (whole small table: same work both ways)"
            measures.append(measure)
            print(
                f"    {case.name:<30} {fmt_ms(adapter):>11} {fmt_ms(measure.naive_ms):>11} {fmt_ratio(measure):>8}  {measure.check}",
                flush=True,
            )
    reads = ", ".join(f"{t} {s:.2f}s" for t, s in sorted(naive.read_seconds.items(), key=lambda kv: -kv[1]))
    print(f"\n  naive whole-table reads: {reads}")
    naive.frames.clear()
    return measures


# ------------------------------------------------------------------ pages
@dataclass
class CallTime:
    call: page_calls.Call
    cold_ms: float
    warm_ms: float
    error: str = ""


@dataclass
class PageTime:
    engine: str
    scenario: str
    page: str
    calls: list[CallTime]
    problems: list[str]

    @property
    def cold_ms(self) -> float:
        return sum(c.cold_ms for c in self.calls)

    @property
    def warm_ms(self) -> float:
        return sum(c.warm_ms for c in self.calls)


def _timed(call: page_calls.Call) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        call.run()
        error = ""
    except Exception as exc:  # the loader turns some into a default (an unknown area); still timed
        error = f"{type(exc).__name__}: {str(exc).strip()[:120]}"
    return (time.perf_counter() - started) * 1000, error


def time_page(run: page_calls.PageRun, app_engine: Engine, runs: int, warm: dict[tuple, float]) -> list[CallTime]:
    """The page's calls in the order it made them, first cold (new connections, the
    adapter's area cache emptied), then each warm (median of ``runs`` calls; a call
    another page of the scenario made is timed warm once, in ``warm``)."""
    app_engine.dispose()
    clear_area_cache(app_engine)
    times = []
    for call in run.calls:
        cold, error = _timed(call)
        times.append(CallTime(call, cold, 0.0, error))
    for entry in times:
        if entry.call.key not in warm:
            warm[entry.call.key] = statistics.median(_timed(entry.call)[0] for _ in range(runs))
        entry.warm_ms = warm[entry.call.key]
    return times


def print_page(page: PageTime) -> None:
    print(f"    {page.page}:")
    for c in page.calls:
        error = f"  ({c.error})" if c.error else ""
        print(f"      {c.call.origin:<4} {fmt_ms(c.cold_ms):>8} {fmt_ms(c.warm_ms):>8}  {c.call.label()}{error}")


def bench_pages(
    name: str, engine: Engine, scenario_list: list[Scenario], runs: int, recorder: page_calls.Recorder
) -> list[PageTime]:
    """Each page's calls for each scenario, recorded by running the app on ``engine``'s
    database, then timed directly against it."""
    url = engine.url.render_as_string(hide_password=False)
    saved = {key: os.environ.get(key) for key in ("DATABASE_URL", "DASHBOARD_AUTH_MODE")}
    # The app reads DATABASE_URL; open mode: every page, no sign-in (as the page tests run it).
    os.environ.update(DATABASE_URL=url, DASHBOARD_AUTH_MODE="open")
    app_engine = use_schema(get_engine(url))  # the engine the app and the recorded calls resolve to
    recorder.watch(app_engine)
    pages: list[PageTime] = []
    try:
        page_calls.warm_up({}, timeout=600)
        for scenario in scenario_list:
            query = "?" + "&".join(f"{k}={v}" for k, v in scenario.params.items()) if scenario.params else "the default filter"
            print(f"\n  {scenario.title} ({query})")
            print(
                f"    {'page':<14} {'calls':>5} {'app':>4} {'cold ms':>9} {'warm ms':>9}   (app: calls dashboard.py makes around the page)"
            )
            detail = scenario is scenario_list[0]
            warm: dict[tuple, float] = {}
            timed: list[PageTime] = []
            for run in page_calls.record_pages(recorder, scenario.params):
                page = PageTime(name, scenario.key, run.page, time_page(run, app_engine, runs, warm), run.problems)
                timed.append(page)
                app = sum(1 for c in run.calls if c.origin == page_calls.APP)
                print(
                    f"    {page.page:<14} {len(page.calls):>5} {app:>4} {fmt_ms(page.cold_ms):>9} {fmt_ms(page.warm_ms):>9}",
                    flush=True,
                )
                for problem in page.problems:
                    print(f"      ! {problem}")
            if detail:
                print("\n    every call (origin: app = dashboard.py's gate and filter, page = the page), cold ms, warm ms:")
                for page in timed:
                    print_page(page)
            pages += timed
        for line in recorder.stale_bindings():
            print(f"  ! {line}")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        app_engine.dispose()
    return pages


# ------------------------------------------------------------------ alerts, checks, completeness
@dataclass(frozen=True)
class CityCall:
    """A computation the app makes for a scope besides the pages' frames (through
    ``load_plain``/``load``), timed against ``CITY_GOAL_MS``; a ``part`` is one rule or one
    domain's checks inside the entry above it, shown but not judged."""

    name: str
    call: Callable[[Scope, Engine], object]
    part: bool = False


def city_calls() -> list[CityCall]:
    th = load_thresholds()
    settings = intake_settings()
    now = dt.datetime.now(dt.UTC)
    calls = [CityCall("alerts.active_alerts", lambda s, e: alerts.active_alerts(s, e))]
    calls += [CityCall(f"alerts.{rule.__name__}", lambda s, e, rule=rule: rule(s, e, th), part=True) for rule in alerts.RULES]
    calls.append(CityCall("data_checks.data_checks", lambda s, e: data_checks.data_checks(s, e)))
    calls += [
        CityCall(f"data_checks.{part.__name__}", lambda s, e, part=part: part(s, e, settings, now), part=True)
        for part in data_checks.CHECKS
    ]
    # As the overview and the intake page ask: the scope's last day.
    calls.append(CityCall("reporting.reporting_completeness", lambda s, e: reporting.reporting_completeness(s, s.end, e)))
    return calls


@dataclass
class CityTime:
    engine: str
    scenario: str
    call: CityCall
    cold_ms: float
    warm_ms: float

    @property
    def passed(self) -> bool:
        return self.warm_ms <= CITY_GOAL_MS


def bench_city_calls(name: str, engine: Engine, scenario_list: list[Scenario], runs: int) -> list[CityTime]:
    """Alerts, data checks and completeness for the whole city: cold (new connections, the
    adapter's area cache emptied), then warm (median of ``runs`` after one more call)."""
    times: list[CityTime] = []
    print(f"\n  -- alerts, data checks, reporting completeness: whole city, goal ≤ {CITY_GOAL_MS:.0f} ms warm --")
    for scenario in [s for s in scenario_list if s.key.startswith("city-")]:
        print(f"\n  {scenario.title}")
        print(f"    {'function':<42} {'cold ms':>9} {'warm ms':>9}")
        for entry in city_calls():
            engine.dispose()
            clear_area_cache(engine)
            started = time.perf_counter()
            entry.call(scenario.scope, engine)
            cold = (time.perf_counter() - started) * 1000
            warm, _ = warm_ms(lambda entry=entry, scope=scenario.scope: entry.call(scope, engine), runs)
            timed = CityTime(name, scenario.key, entry, cold, warm)
            times.append(timed)
            verdict = "" if entry.part else ("  PASS" if timed.passed else "  FAIL")
            label = f"  {entry.name}" if entry.part else entry.name
            print(f"    {label:<42} {fmt_ms(cold):>9} {fmt_ms(warm):>9}{verdict}", flush=True)
    return times


def city_markdown(times: list[CityTime], engines: list[str], scenario_list: list[Scenario]) -> list[str]:
    city = [s for s in scenario_list if s.key.startswith("city-")]
    titles = " / ".join(ENGINE_TITLES[e] for e in engines)
    out = [
        f"Whole city, warm (cold) ms ({titles}), goal ≤ {CITY_GOAL_MS:.0f} ms warm; parts indented:",
        "",
        "| function | " + " | ".join(s.title for s in city) + " |",
        "|---|" + "---:|" * len(city),
    ]
    for entry in dict.fromkeys(t.call.name for t in times):
        cells = []
        for scenario in city:
            found = {t.engine: t for t in times if t.call.name == entry and t.scenario == scenario.key}
            cells.append(
                " / ".join(f"{fmt_ms(found[e].warm_ms)} ({fmt_ms(found[e].cold_ms)})" if e in found else "—" for e in engines)
            )
        part = any(t.call.part for t in times if t.call.name == entry)
        out.append(f"| {'↳ ' if part else ''}{entry} | " + " | ".join(cells) + " |")
    return out


# ------------------------------------------------------------------ summaries
def misses(pages: list[PageTime], measures: list[Measure], city: list[CityTime] = ()) -> list[str]:
    lines = []
    for t in city:
        if not t.call.part and not t.passed:
            lines.append(
                f"- {ENGINE_TITLES[t.engine]}, {t.scenario}: {t.call.name} takes {t.warm_ms:,.0f} ms warm (goal {CITY_GOAL_MS:.0f})"
            )
    for p in pages:
        where = f"{ENGINE_TITLES[p.engine]}, {p.scenario}: page {p.page}"
        if p.warm_ms > VIEW_BUDGET_MS:
            lines.append(f"- {where} takes {p.warm_ms:,.0f} ms warm (budget {VIEW_BUDGET_MS:.0f})")
        lines += [f"- {where} not measured whole: {problem}" for problem in p.problems]
    for m in measures:
        if m.ratio is not None and m.ratio < MIN_RATIO and not CASE_BY_NAME[m.case].whole_table:
            lines.append(
                f"- {ENGINE_TITLES[m.engine]}, {m.scenario}: {m.case} is {m.ratio:.1f}× the naive way ({fmt_ms(m.adapter_ms)} vs {fmt_ms(m.naive_ms)} ms)"
            )
        if m.check and not m.check.startswith("ok"):
            lines.append(f"- {ENGINE_TITLES[m.engine]}, {m.scenario}: {m.case} gives other figures than the naive way: {m.check}")
    return lines


def _page_names(pages: list[PageTime]) -> list[str]:
    return list(dict.fromkeys(p.page for p in pages))


def _page_cell(pages: list[PageTime], engines: list[str], scenario: str, page: str, value: Callable[[PageTime], float]) -> str:
    cells = []
    for e in engines:
        found = [p for p in pages if p.engine == e and p.scenario == scenario and p.page == page]
        cells.append(f"{value(found[0]):,.0f}" if found else "—")
    return " / ".join(cells)


def markdown(
    pages: list[PageTime], measures: list[Measure], engines: list[str], scenario_list: list[Scenario], scale: str
) -> str:
    heads = [s.title for s in scenario_list]
    titles = " / ".join(ENGINE_TITLES[e] for e in engines)
    out = []
    for label, value in (("Warm", lambda p: p.warm_ms), ("Cold", lambda p: p.cold_ms)):
        out += [
            f"{label} time of each page's queries together, ms ({titles}), {scale} scale:",
            "",
            "| page | " + " | ".join(heads) + " |",
            "|---|" + "---:|" * len(heads),
        ]
        for page in _page_names(pages):
            out.append(f"| {page} | " + " | ".join(_page_cell(pages, engines, s.key, page, value) for s in scenario_list) + " |")
        out.append("")
    out += [
        f"Per query function: the pages that call it, and its slowest cold and warm time over the pages and scenarios, ms ({titles}):",
        "",
        "| function | pages | slowest cold | slowest warm |",
        "|---|---|---:|---:|",
    ]
    functions: dict[str, set[str]] = {}
    for p in pages:
        for c in p.calls:
            functions.setdefault(c.call.name, set()).add(p.page)
    order = _page_names(pages)
    for function, callers in functions.items():
        cold, warm = [], []
        for e in engines:
            own = [c for p in pages if p.engine == e for c in p.calls if c.call.name == function]
            cold.append(fmt_ms(max(c.cold_ms for c in own)) if own else "—")
            warm.append(fmt_ms(max(c.warm_ms for c in own)) if own else "—")
        names = "every page" if set(order) <= callers else ", ".join(page for page in order if page in callers)
        out.append(f"| {function} | {names} | {' / '.join(cold)} | {' / '.join(warm)} |")
    if measures:
        out += [
            "",
            f"Against the naive way: slowest warm time over the scenarios, ms, and the smallest naive ÷ adapter ratio ({titles}):",
            "",
            "| function | slowest ms | smallest ratio |",
            "|---|---:|---:|",
        ]
        for case in CASES:
            slowest, smallest = [], []
            for e in engines:
                own = [m for m in measures if m.engine == e and m.case == case.name]
                slowest.append(fmt_ms(max(m.adapter_ms for m in own)) if own else "—")
                ratios = [m.ratio for m in own if m.ratio is not None]
                smallest.append("same work" if case.whole_table else (f"{min(ratios):,.0f}×" if ratios else "—"))
            out.append(f"| {case.name} | {' / '.join(slowest)} | {' / '.join(smallest)} |")
    return "\n".join(out)


# ------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="city", choices=("tiny", "small", "city"))
    parser.add_argument("--engines", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--reuse", action="store_true", help="keep a database already built for this scale and seed")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end-date", type=dt.date.fromisoformat, default=DEFAULT_END_DATE)
    parser.add_argument("--runs", type=int, default=5, help="timed warm calls per query (median)")
    parser.add_argument("--skip-naive", action="store_true", help="time the pages only, not the functions against the naive way")
    parser.add_argument(
        "--city-only", action="store_true", help="time only alerts, data checks and completeness for the whole city (minutes)"
    )
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    args = parser.parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(engines) - set(ENGINE_TITLES)
    if unknown:
        parser.error(f"unknown engine(s): {', '.join(sorted(unknown))}")

    os.chdir(ROOT)  # the app reads its settings files from the working directory
    try:
        recorder = page_calls.Recorder()
    except Exception as error:  # the app cannot even be imported: say so, still time the functions
        recorder = None
        print(f"! the pages cannot be recorded (importing ui.data failed: {type(error).__name__}: {error})")
    measures: list[Measure] = []
    pages: list[PageTime] = []
    city: list[CityTime] = []
    scenario_list: list[Scenario] = []
    for name in engines:
        print(f"\n== {ENGINE_TITLES[name]} ==")
        engine, info = dataset(name, args)
        print(f"  database: {engine.url.render_as_string(hide_password=True)}")
        scenario_list = scenarios(engine, info)
        city += bench_city_calls(name, engine, scenario_list, args.runs)
        if recorder is not None and not args.city_only:
            pages += bench_pages(name, engine, scenario_list, args.runs, recorder)
        if not args.skip_naive and not args.city_only:
            measures += bench_functions(name, engine, scenario_list, args.runs)
        engine.dispose()

    goals = [f"alerts, data checks and completeness ≤ {CITY_GOAL_MS:.0f} ms warm for the whole city"]
    if not args.city_only:
        goals.append("every page under 300 ms warm")
        if not args.skip_naive:
            goals.append("every function ≥ 20× faster than the naive way")
    print(f"\n== Goal: {', '.join(goals)} ==")
    missed = misses(pages, measures, city)
    if recorder is None and not args.city_only:
        missed.insert(0, "- the pages were not measured (see above)")
    print("\n".join(missed) if missed else "all met")
    print("\n== Markdown ==\n")
    print("\n".join(city_markdown(city, engines, scenario_list)))
    if not args.city_only:
        print()
        print(markdown(pages, measures, engines, scenario_list, args.scale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
