"""Supplies against daily capacity 物资保障: stock, consumption, days of cover, capacity gap.

Supplies are held by district depots (and a city reserve): a scope below a district
reads its district's figures (see ``effective_scope``). Days of cover 可保障天数 is read
as of the range's last day whatever its first: stock at each depot's last report in the
7 days up to it, over the mean daily use in those 7 days, so one filter's day gives one
figure on every screen (issue 9).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, case, func, select

from data_access.metrics import capacity_gap, days_of_cover
from data_access.schema import LEVEL_COLUMN, area, supply_item, supply_ledger, warehouse
from data_access.scope import Scope, frame, in_scope, records, resolve_engine, scope_level, widen_to

FINEST_LEVEL = "district"
CONSUMPTION_WINDOW_DAYS = 7


def effective_scope(scope: Scope, engine: Engine | None = None) -> Scope:
    """The scope supplies are reported for: the scope, or its district when below one."""
    return widen_to(resolve_engine(engine), scope, FINEST_LEVEL)


def consumption_window(end: dt.date) -> tuple[dt.date, dt.date]:
    """The days daily use is averaged over, and stock looked up in: the 7 days up to ``end``."""
    return end - dt.timedelta(days=CONSUMPTION_WINDOW_DAYS - 1), end


def _ledger_in(scope: Scope, engine: Engine):
    level = scope_level(engine, scope)
    joined = supply_ledger.join(warehouse, warehouse.c.code == supply_ledger.c.warehouse_code).join(
        area, area.c.code == warehouse.c.area_code
    )
    return joined, in_scope(level, scope.area_code)


def _last_report_day(joined, *conditions):
    """Per depot and item, the last day it reported under ``conditions`` (a subquery)."""
    ledger = supply_ledger.c
    return (
        select(ledger.warehouse_code, ledger.item_code, func.max(ledger.day).label("day"))
        .select_from(joined)
        .where(*conditions)
        .group_by(ledger.warehouse_code, ledger.item_code)
        .subquery()
    )


def supply_items(engine: Engine | None = None) -> pd.DataFrame:
    """All supply items with category and unit, in a stable order."""
    engine = resolve_engine(engine)
    i = supply_item.c
    return frame(engine, select(i.code, i.name_zh, i.name_en, i.category, i.unit_zh, i.unit_en).order_by(i.category, i.code))


def supply_status(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per item, as of the range's last day, the area's depots pooled: stock (each depot's
    last report in the 7 days up to that day), mean daily consumption over those 7 days,
    days of cover, local daily production capacity and capacity gap; and inbound by source
    and outbound over the whole range. The 7 days do not depend on the range's first day:
    a one-day range and a month ending on the same day give the same days of cover."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    ledger = supply_ledger.c
    joined, where_area = _ledger_in(scope, engine)
    in_window = ledger.day.between(*consumption_window(scope.end))
    in_range = ledger.day.between(scope.start, scope.end)
    sums = (
        select(
            ledger.item_code,
            func.sum(ledger.inbound_procured).label("inbound_procured"),
            func.sum(ledger.inbound_allocated).label("inbound_allocated"),
            func.sum(ledger.inbound_donated).label("inbound_donated"),
            func.sum(ledger.outbound_frontline).label("outbound_frontline"),
        )
        .select_from(joined)
        .where(where_area, in_range)
        .group_by(ledger.item_code)
    )
    recent = (
        select(
            ledger.item_code,
            (func.sum(ledger.outbound_frontline) * 1.0 / func.count(func.distinct(ledger.day))).label("avg_daily_consumption"),
        )
        .select_from(joined)
        .where(where_area, in_window)
        .group_by(ledger.item_code)
    )
    # Stock and capacity on the last day each depot reported in the window: a depot late
    # with the range's last day counts with its previous report, as in the district figures.
    last_day = _last_report_day(joined, where_area, in_window)
    latest = (
        select(
            ledger.item_code,
            func.sum(ledger.closing_stock).label("stock"),
            func.sum(ledger.production_capacity).label("production_capacity"),
            func.max(ledger.day).label("as_of"),
        )
        .select_from(
            supply_ledger.join(
                last_day,
                (last_day.c.warehouse_code == ledger.warehouse_code)
                & (last_day.c.item_code == ledger.item_code)
                & (last_day.c.day == ledger.day),
            )
        )
        .group_by(ledger.item_code)
    )
    items = supply_items(engine)
    result = (
        items.rename(columns={"code": "item_code"})
        .merge(frame(engine, latest), on="item_code", how="left")
        .merge(frame(engine, recent), on="item_code", how="left")
        .merge(frame(engine, sums), on="item_code", how="left")
    )
    result = result[result["stock"].notna()].reset_index(drop=True)
    for column in (
        "stock",
        "production_capacity",
        "inbound_procured",
        "inbound_allocated",
        "inbound_donated",
        "outbound_frontline",
    ):
        result[column] = result[column].fillna(0).astype("int64")
    result["avg_daily_consumption"] = result["avg_daily_consumption"].astype(float)
    result["days_of_cover"] = days_of_cover(result["stock"], result["avg_daily_consumption"])
    result["capacity_gap"] = capacity_gap(result["avg_daily_consumption"], result["production_capacity"])
    result["area_code"] = scope.area_code
    return result


def supply_item_daily(scope: Scope, item_code: str, engine: Engine | None = None) -> pd.DataFrame:
    """Per day for one item: stock, inbound by source, outbound and local production capacity."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    ledger = supply_ledger.c
    joined, where_area = _ledger_in(scope, engine)
    statement = (
        select(
            ledger.day,
            func.sum(ledger.opening_stock).label("opening_stock"),
            func.sum(ledger.inbound_procured).label("inbound_procured"),
            func.sum(ledger.inbound_allocated).label("inbound_allocated"),
            func.sum(ledger.inbound_donated).label("inbound_donated"),
            func.sum(ledger.outbound_frontline).label("outbound_frontline"),
            func.sum(ledger.closing_stock).label("closing_stock"),
            func.sum(ledger.production_capacity).label("production_capacity"),
        )
        .select_from(joined)
        .where(where_area, ledger.item_code == item_code, ledger.day.between(scope.start, scope.end))
        .group_by(ledger.day)
        .order_by(ledger.day)
    )
    return frame(engine, statement)


DISTRICT_COVER_COLUMNS = [
    "district_code",
    "district_name_zh",
    "district_name_en",
    "item_code",
    "stock",
    "avg_daily_consumption",
    "days_of_cover",
]


def days_of_cover_by_district(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per district and item in scope (the city reserve, in no district, left out): stock at
    each depot's last report in the 7 days up to the range's last day, mean daily outbound
    over those 7 days and days of cover — whatever the range's first day. The figures
    supply alerts watch, and the lowest district days of cover 最低可保障天数（区县）."""
    result = pd.DataFrame(district_cover(scope, engine), columns=DISTRICT_COVER_COLUMNS)
    result["avg_daily_consumption"] = result["avg_daily_consumption"].astype(float)
    result["days_of_cover"] = result["days_of_cover"].astype(float)
    return result


def district_cover(scope: Scope, engine: Engine | None = None) -> list[dict]:
    """``days_of_cover_by_district``'s rows as plain dicts: what the supply alert judges."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    ledger = supply_ledger.c
    joined, where_area = _ledger_in(scope, engine)
    district = area.c[LEVEL_COLUMN["district"]]
    district_area = area.alias("district_area")
    in_window = ledger.day.between(*consumption_window(scope.end))
    # Stock as of each depot's last report in the window (as supply_status reads it): a depot
    # that has not reported on the range's last day yet is not "out of stock".
    last_day = _last_report_day(joined, where_area, in_window)
    statement = (
        select(
            district.label("district_code"),
            district_area.c.name_zh.label("district_name_zh"),
            district_area.c.name_en.label("district_name_en"),
            ledger.item_code,
            func.sum(case((ledger.day == last_day.c.day, ledger.closing_stock), else_=0)).label("stock"),
            (func.sum(ledger.outbound_frontline) * 1.0 / func.count(func.distinct(ledger.day))).label("avg_daily_consumption"),
        )
        .select_from(
            joined.join(
                last_day,
                (last_day.c.warehouse_code == ledger.warehouse_code) & (last_day.c.item_code == ledger.item_code),
            ).join(district_area, district_area.c.code == district)
        )
        .where(where_area, in_window)
        .group_by(district, district_area.c.name_zh, district_area.c.name_en, ledger.item_code)
        .order_by(district, ledger.item_code)
    )
    rows = records(engine, statement)
    for row in rows:
        row["avg_daily_consumption"] = float(row["avg_daily_consumption"])  # MySQL: DECIMAL
        row["days_of_cover"] = days_of_cover(row["stock"], row["avg_daily_consumption"])
    return rows
