"""What the stock-out projection 断供预测 reads: each district's recent supply ledger per item
and day, and the activities that use supplies up (samples tested, checkpoint staff shifts,
doses given) per district and day. The projection itself is presentation/stock_projection.py.

Both read the districts of the supplies scope (``supplies.effective_scope``: a scope below a
district reads its district), for the scope's days: callers ask for the history they project
from (``history_window``, the 28 days up to the range's last day). A depot in no district
(the city reserve) is left out: stock is projected, and moved, between districts. Rows are
summed per district and day in SQL: a district-scope read is 9 items × 28 days, a city's
ten districts 2,520 rows, whatever the size of the ledger.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, func, select

from data_access.rollups import TESTING, VACCINATION
from data_access.schema import (
    area,
    checkpoint,
    checkpoint_daily,
    sampling_site,
    supply_ledger,
    testing_area_daily,
    testing_daily,
    vaccination_area_daily,
    vaccination_daily,
    vaccination_site,
    warehouse,
)
from data_access.scope import Scope, codes_at, frame, in_scope, resolve_engine, scope_level
from data_access.supplies import effective_scope

HISTORY_DAYS = 28  # the days a projection looks back on
# A staff shift 班次 is one lane's team for 8 hours (三班倒): lanes × staffed hours ÷ 8.
SHIFT_HOURS = 8
LEDGER_FLOWS = (
    "outbound_frontline",
    "inbound_procured",
    "inbound_allocated",
    "inbound_donated",
    "closing_stock",
    "production_capacity",
)
ACTIVITIES = ("samples_tested", "staff_shifts", "doses")


def history_window(end: dt.date, days: int = HISTORY_DAYS) -> tuple[dt.date, dt.date]:
    """The ``days`` days up to ``end``: what a projection from ``end`` reads."""
    return end - dt.timedelta(days=days - 1), end


def district_ledger_days(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per district, item and day of the scope's range with a report: the district's depots'
    outbound to the front line, inbound by source, closing stock and local daily capacity,
    summed, and how many depots reported."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    ledger = supply_ledger.c
    district = area.c.district_code
    statement = (
        select(
            district.label("district_code"),
            ledger.item_code,
            ledger.day,
            *[func.sum(ledger[name]).label(name) for name in LEDGER_FLOWS],
            func.count().label("depots_reporting"),
        )
        .select_from(
            supply_ledger.join(warehouse, warehouse.c.code == ledger.warehouse_code).join(
                area, area.c.code == warehouse.c.area_code
            )
        )
        .where(
            in_scope(scope_level(engine, scope), scope.area_code),
            district.is_not(None),
            ledger.day.between(scope.start, scope.end),
        )
        .group_by(district, ledger.item_code, ledger.day)
        .order_by(district, ledger.item_code, ledger.day)
    )
    result = frame(engine, statement)
    result[list(LEDGER_FLOWS)] = result[list(LEDGER_FLOWS)].astype("int64")
    return result


def district_activity_days(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per district and day of the scope's range: samples tested, checkpoint staff shifts
    (lanes × staffed hours ÷ 8) and vaccination doses given; NaN where the district has no
    report of that kind on that day (not reported is not zero)."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    level = scope_level(engine, scope)
    parts = [
        frame(engine, _samples_tested(scope, engine, level)),
        frame(engine, _staff_shifts(scope, level)),
        frame(engine, _doses(scope, engine, level)),
    ]
    result = parts[0]
    for part in parts[1:]:
        result = result.merge(part, on=["district_code", "day"], how="outer")
    result[list(ACTIVITIES)] = result[list(ACTIVITIES)].astype("float64")
    return result.sort_values(["district_code", "day"], ignore_index=True)[["district_code", "day", *ACTIVITIES]]


def _per_district_day(scope: Scope, level: str, detail, unit, unit_code, day, measure):
    """``measure`` summed per district and day over ``detail``'s rows of the scope's units
    (``unit``, joined by its ``code`` to ``unit_code``) and days."""
    return (
        select(area.c.district_code, day, measure)
        .select_from(detail.join(unit, unit.c.code == unit_code).join(area, area.c.code == unit.c.area_code))
        .where(in_scope(level, scope.area_code), area.c.district_code.is_not(None), day.between(scope.start, scope.end))
        .group_by(area.c.district_code, day)
    )


def _from_rollup(scope: Scope, level: str, rollup, measure):
    """``measure`` per district and day from an area roll-up's district rows."""
    r = rollup.c
    return (
        select(r.area_code.label("district_code"), r.day, measure)
        .where(r.area_code.in_(codes_at(level, scope.area_code, "district")), r.day.between(scope.start, scope.end))
        .group_by(r.area_code, r.day)
    )


def _samples_tested(scope: Scope, engine: Engine, level: str):
    if TESTING.usable(engine, "district"):
        return _from_rollup(
            scope, level, testing_area_daily, func.sum(testing_area_daily.c.samples_tested).label("samples_tested")
        )
    t = testing_daily.c
    measure = func.sum(t.samples_tested).label("samples_tested")
    return _per_district_day(scope, level, testing_daily, sampling_site, t.site_code, t.day, measure)


def _staff_shifts(scope: Scope, level: str):
    d = checkpoint_daily.c
    measure = (func.sum(checkpoint.c.lanes * d.staffed_hours) * 1.0 / SHIFT_HOURS).label("staff_shifts")
    return _per_district_day(scope, level, checkpoint_daily, checkpoint, d.checkpoint_code, d.day, measure)


def _doses(scope: Scope, engine: Engine, level: str):
    if VACCINATION.usable(engine, "district"):
        return _from_rollup(scope, level, vaccination_area_daily, func.sum(vaccination_area_daily.c.doses).label("doses"))
    v = vaccination_daily.c
    return _per_district_day(
        scope, level, vaccination_daily, vaccination_site, v.site_code, v.day, func.sum(v.doses).label("doses")
    )
