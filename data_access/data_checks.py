"""Data checks 数据核查: figures that cannot be right, or look wrong, flagged before anyone
acts on them — tested above collected, cumulative totals that go down, a day far outside
the area's own recent range, data older than its reporting time.

The checks are pure functions over the daily frames the adapter already returns;
``data_checks(scope)`` runs them for the scope's last day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine, func, select

from data_access import areas, checkpoints, testing, vaccination
from data_access.schema import area, supply_ledger, vaccination_daily, vaccination_site, warehouse
from data_access.scope import Scope, frame, in_scope, resolve_engine, scope_level

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
REPORT_DEADLINE_HOUR = 10  # a day's reports are due by 10:00 the next morning
JUMP_WINDOW_DAYS = 14
JUMP_MADS = 6.0  # this many scaled median absolute deviations from the recent median
JUMP_MIN_RELATIVE = 0.5  # … and at least 50 % away from it


@dataclass(frozen=True)
class DataCheck:
    check: str  # tested_above_collected | cumulative_down | jump | stale
    domain: str  # checkpoints | testing | vaccination | supplies | grid
    measure: str  # the column concerned
    day: dt.date | None
    figure: float | None
    details: dict = field(default_factory=dict)


def tested_above_collected(daily: pd.DataFrame) -> list[DataCheck]:
    """Days where more samples were tested than were waiting: tested > collected that day
    + backlog left the day before (the first day, with no day before, is not judged)."""
    rows = daily.sort_values("day").reset_index(drop=True)
    checks = []
    for i in range(1, len(rows)):
        row = rows.loc[i]
        waiting = row["samples_collected"] + rows.loc[i - 1, "backlog"]
        if row["samples_tested"] > waiting:
            checks.append(
                DataCheck("tested_above_collected", "testing", "samples_tested", row["day"], float(row["samples_tested"]), {"available": float(waiting)})
            )
    return checks


def doses_above_delivered(daily: pd.DataFrame) -> list[DataCheck]:
    """Days on which more vaccine doses have been given, in all, than were ever delivered:
    cumulative doses given > stock at the start + cumulative doses received (inbound)."""
    rows = daily.sort_values("day")
    if rows.empty:
        return []
    delivered = rows["opening_stock"].iloc[0] + rows["delivered"].cumsum()
    given = rows["given"].cumsum()
    over = rows[given > delivered]
    return [
        DataCheck("doses_above_delivered", "vaccination", "doses", r["day"], float(g), {"delivered": float(d)})
        for (_, r), g, d in zip(over.iterrows(), given[over.index], delivered[over.index], strict=True)
    ]


def cumulative_down(daily: pd.DataFrame, column: str, domain: str) -> list[DataCheck]:
    """Days on which the running total of ``column`` goes down (a negative daily figure)."""
    rows = daily.sort_values("day")
    cumulative = rows[column].cumsum()
    dropped = rows[cumulative.diff() < 0]
    return [DataCheck("cumulative_down", domain, column, r["day"], float(r[column])) for _, r in dropped.iterrows()]


def jump(daily: pd.DataFrame, column: str, domain: str, day: dt.date) -> list[DataCheck]:
    """``column`` on ``day`` far outside its own previous 14 days (robust: median and MAD)."""
    rows = daily.set_index("day").sort_index()
    if day not in rows.index:
        return []
    value = float(rows.loc[day, column])
    before = rows.loc[: day - dt.timedelta(days=1), column].tail(JUMP_WINDOW_DAYS).astype(float)
    if len(before) < 7:
        return []
    median = float(before.median())
    mad = float((before - median).abs().median()) * 1.4826
    spread = max(mad, abs(median) * 0.02, 1.0)
    if abs(value - median) > JUMP_MADS * spread and abs(value - median) > JUMP_MIN_RELATIVE * max(abs(median), 1.0):
        return [DataCheck("jump", domain, column, day, value, {"median": median})]
    return []


def expected_last_day(now: dt.datetime) -> dt.date:
    """The latest day whose reports should be in by ``now`` (Asia/Shanghai)."""
    local = now.astimezone(LOCAL_TZ)
    days_back = 1 if local.hour >= REPORT_DEADLINE_HOUR else 2
    return local.date() - dt.timedelta(days=days_back)


def stale(freshness: pd.DataFrame, now: dt.datetime) -> list[DataCheck]:
    """Domains whose latest day with data is older than the reporting time allows."""
    expected = expected_last_day(now)
    checks = []
    for row in freshness.itertuples():
        if row.last_day is None or pd.isna(row.last_day) or row.last_day < expected:
            late = (expected - row.last_day).days if row.last_day is not None and not pd.isna(row.last_day) else None
            checks.append(DataCheck("stale", row.domain, "last_day", row.last_day, float(late) if late is not None else None, {"expected": expected}))
    return checks


VACCINE_ITEM = "VACCINE"  # the supplies ledger's item for vaccine doses delivered to depots


def vaccine_delivered_and_given(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per day up to the range's end, for the scope's district(s): vaccine doses in stock at
    the start, doses delivered (ledger item VACCINE, all inbound) and doses given. Empty when
    the ledger keeps no vaccine."""
    engine = resolve_engine(engine)
    scope = vaccination.effective_scope(scope, engine)
    level = scope_level(engine, scope)
    ledger = supply_ledger.c
    stock = (
        select(
            ledger.day,
            func.sum(ledger.opening_stock).label("opening_stock"),
            func.sum(ledger.inbound_procured + ledger.inbound_allocated + ledger.inbound_donated).label("delivered"),
        )
        .select_from(supply_ledger.join(warehouse, warehouse.c.code == ledger.warehouse_code).join(area, area.c.code == warehouse.c.area_code))
        .where(in_scope(level, scope.area_code), ledger.item_code == VACCINE_ITEM, ledger.day <= scope.end)
        .group_by(ledger.day)
    )
    received = frame(engine, stock)
    if received.empty:
        return pd.DataFrame(columns=["day", "opening_stock", "delivered", "given"])
    v = vaccination_daily.c
    given = frame(
        engine,
        select(v.day, func.sum(v.doses).label("given"))
        .select_from(vaccination_daily.join(vaccination_site, vaccination_site.c.code == v.site_code).join(area, area.c.code == vaccination_site.c.area_code))
        .where(in_scope(level, scope.area_code), v.day <= scope.end)
        .group_by(v.day),
    )
    # Counted from the ledger's first day: its opening stock covers what came before.
    given = given[given["day"] >= received["day"].min()]
    result = received.merge(given, on="day", how="outer").sort_values("day").fillna(0)
    return result.reset_index(drop=True)


def data_checks(scope: Scope, engine: Engine | None = None, now: dt.datetime | None = None) -> list[DataCheck]:
    """Every check for the scope: impossible figures over the range, jumps on its last day,
    and stale domains."""
    engine = resolve_engine(engine)
    day = scope.end
    window = scope.with_days(min(scope.start, day - dt.timedelta(days=JUMP_WINDOW_DAYS)), day)
    checks: list[DataCheck] = []
    tests = testing.testing_daily_totals(window, engine)
    if not tests.empty:
        in_range = tests[tests["day"] >= scope.start - dt.timedelta(days=1)]
        checks += [c for c in tested_above_collected(in_range) if c.day >= scope.start]
        checks += jump(tests, "samples_collected", "testing", day)
    cps = checkpoints.checkpoint_daily_totals(window, engine)
    if not cps.empty:
        checks += jump(cps, "people", "checkpoints", day)
        checks += cumulative_down(cps[cps["day"] >= scope.start], "people", "checkpoints")
    doses = vaccination.doses_by_day(window, engine)
    if not doses.empty:
        checks += jump(doses, "doses", "vaccination", day)
        checks += cumulative_down(doses[doses["day"] >= scope.start], "doses", "vaccination")
        checks += [c for c in doses_above_delivered(vaccine_delivered_and_given(scope, engine)) if c.day >= scope.start]
    checks += stale(areas.domain_freshness(engine), now or dt.datetime.now(dt.UTC))
    return checks
