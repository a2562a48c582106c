"""Inspections and enforcement 督导检查: entity checks and inspector-visits per day, by kind
of entity (pharmacy, market or supermarket, restaurant, public venue, cold-chain store),
by inspecting team and by area; the five-point checklist 一戴二亮三测四扫五登记 per item;
problems found, put right by their deadline or late, still open and overdue; penalties
and masks seized; pass rates.

Teams report per street inspected, so a scope below a street reads its street's figures
(``effective_scope``). Open problems, overdue problems and entities with an open problem
are the stock reported for the range's last day; the rest is summed over the range. A
check passes when it finds no problem: pass rate = checks passed ÷ entity checks.

The city and its districts read the roll-up (``rollups.INSPECTIONS``, per area, day and
kind of entity) when it is up to date; teams, streets and below read the detail.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import BigInteger, Engine, Table, case, cast, func, select

from data_access.metrics import ratio
from data_access.rollups import INSPECTIONS
from data_access.schema import (
    CHECKLIST_ITEMS,
    INSPECTION_ENTITY_TYPES,
    LEVEL_COLUMN,
    area,
    inspection_area_daily,
    inspection_daily,
    inspection_team,
)
from data_access.scope import Scope, breakdown_level, codes_at, frame, keyed_rows, resolve_engine, scope_level, widen_to

FINEST_LEVEL = "street"
FLOWS = (
    "inspections",
    "inspector_visits",
    "inspections_passed",
    "problems_found",
    "fixed_on_time",
    "fixed_late",
    "penalties",
    "masks_seized",
)
STOCKS = ("open_problems", "overdue", "entities_open")  # as of the range's last day


def effective_scope(scope: Scope, engine: Engine | None = None) -> Scope:
    """The scope inspections are reported for: the scope, or its street when below one."""
    return widen_to(resolve_engine(engine), scope, FINEST_LEVEL)


def _total(expression, name: str):
    return cast(func.coalesce(func.sum(expression), 0), BigInteger).label(name)


def _figures(end: dt.date | None, table: Table = inspection_daily) -> list:
    """Flows summed; stocks summed as of ``end`` (None: summed as they are, one day's rows),
    of the detail or of its roll-up (both have these columns)."""
    i = table.c
    stocks = [_total(i[c] if end is None else case((i.day == end, i[c]), else_=0), c) for c in STOCKS]
    return [*[_total(i[c], c) for c in FLOWS], *stocks]


def _in_scope(engine: Engine, scope: Scope) -> list:
    i = inspection_daily.c
    return [
        i.area_code.in_(codes_at(scope_level(engine, scope), scope.area_code, "street")),
        i.day.between(scope.start, scope.end),
    ]


def _rows(engine: Engine, scope: Scope, *levels: str) -> tuple[Table, list]:
    """The table to read and the conditions for the scope's range: the roll-up rows of the
    scope's area when it holds the scope's level and ``levels`` and is up to date, else the
    detail rows of the scope's streets."""
    if INSPECTIONS.usable(engine, scope_level(engine, scope), *levels):
        r = inspection_area_daily.c
        return inspection_area_daily, [r.area_code == scope.area_code, r.day.between(scope.start, scope.end)]
    return inspection_daily, _in_scope(engine, scope)


def with_rates(result: pd.DataFrame) -> pd.DataFrame:
    """Pass rate (checks passed ÷ entity checks) and on-time rate (problems fixed by their
    deadline ÷ problems fixed), NaN where nothing was checked or fixed."""
    result["pass_rate"] = ratio(result["inspections_passed"], result["inspections"])
    result["on_time_rate"] = ratio(result["fixed_on_time"], result["fixed_on_time"] + result["fixed_late"])
    return result


def inspection_daily_totals(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per day with reports: every figure summed over the scope's streets (stocks as at the
    day's end), teams reporting, pass rate and on-time rate."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    table, conditions = _rows(engine, scope)
    i = table.c
    if table is inspection_daily:
        teams = func.count(func.distinct(i.team_code)).label("teams_reporting")
    else:  # a team inspecting in two districts counts once in the city
        teams = _total(i.teams_in_city if scope_level(engine, scope) == "city" else i.teams_in_district, "teams_reporting")
    statement = select(i.day, *_figures(None, table), teams).where(*conditions).group_by(i.day).order_by(i.day)
    return with_rates(frame(engine, statement))


def inspections_by_day_and_type(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per day with reports and kind of entity checked that day: entity checks,
    inspector-visits and checks passed, summed over the scope's streets and teams (a
    kind with only open problems that day, no check, has no row)."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    i = inspection_daily.c
    flows = ("inspections", "inspector_visits", "inspections_passed")
    statement = (
        select(i.day, i.entity_type, *[_total(i[c], c) for c in flows])
        .where(*_in_scope(engine, scope), i.inspections > 0)
        .group_by(i.day, i.entity_type)
        .order_by(i.day, i.entity_type)
    )
    return frame(engine, statement)


def inspections_by_type(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per kind of entity (all five, zeros where none): flows over the range, stocks at the
    end of its last day, pass rate and on-time rate."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    table, conditions = _rows(engine, scope)
    statement = select(table.c.entity_type, *_figures(scope.end, table)).where(*conditions).group_by(table.c.entity_type)
    found = frame(engine, statement).set_index("entity_type")
    found = found.reindex(pd.Index(INSPECTION_ENTITY_TYPES, name="entity_type"), fill_value=0).astype("int64")
    return with_rates(found.reset_index())


def inspections_by_team(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per team that inspected in scope: its names, agency and base area; flows over the
    range, stocks at the end of its last day, days it reported rows, pass and on-time rates."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    i, t = inspection_daily.c, inspection_team.c
    per_team = (
        select(i.team_code, *_figures(scope.end), func.count(func.distinct(i.day)).label("days_reported"))
        .where(*_in_scope(engine, scope))
        .group_by(i.team_code)
        .subquery()
    )
    statement = (
        select(t.code, t.name_zh, t.name_en, t.agency, t.area_code, *[c for c in per_team.c if c.name != "team_code"])
        .select_from(per_team.join(inspection_team, t.code == per_team.c.team_code))
        .order_by(t.code)
    )
    return with_rates(frame(engine, statement))


def checklist_results(scope: Scope, entity_type: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """Per item of the five-point list (in its order): checks passed and failed on it over
    the range, of every kind of entity or of ``entity_type`` alone (registering buyers of
    fever or cough medicine is a pharmacy's item), checked = passed + failed, pass rate."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    table, conditions = _rows(engine, scope)
    i = table.c
    conditions = conditions + ([i.entity_type == entity_type] if entity_type else [])
    counts = [_total(i[f"{item}_{result}"], f"{item}_{result}") for item in CHECKLIST_ITEMS for result in ("passed", "failed")]
    row = frame(engine, select(*counts).where(*conditions)).iloc[0]
    result = pd.DataFrame(
        {
            "item": list(CHECKLIST_ITEMS),
            "passed": [int(row[f"{item}_passed"]) for item in CHECKLIST_ITEMS],
            "failed": [int(row[f"{item}_failed"]) for item in CHECKLIST_ITEMS],
        }
    )
    result["checked"] = result["passed"] + result["failed"]
    result["pass_rate"] = ratio(result["passed"], result["checked"])
    return result


def _by_area(engine: Engine, scope: Scope, group_level: str, polygons: bool) -> pd.DataFrame:
    """Every area of ``group_level`` in scope (names, residents, and place and polygon when
    asked) with flows over the range and stocks at the end of its last day; zeros where none."""
    i, a = inspection_daily.c, area.c
    scope_lvl = scope_level(engine, scope)
    if INSPECTIONS.usable(engine, scope_lvl, group_level):
        figures = INSPECTIONS.per_area(
            _figures(scope.end, inspection_area_daily), scope_lvl, scope.area_code, group_level, scope.start, scope.end
        )
    else:
        group = a[LEVEL_COLUMN[group_level]]
        figures = (
            select(group.label("code"), *_figures(scope.end))
            .select_from(inspection_daily.join(area, a.code == i.area_code))
            .where(*_in_scope(engine, scope))
            .group_by(group)
        )
    places = [a.lon, a.lat, a.polygon] if polygons else []
    shapes = select(a.code, a.name_zh, a.name_en, a.residents, *places).where(
        a.code.in_(codes_at(scope_lvl, scope.area_code, group_level))
    )
    result = frame(engine, shapes.order_by(a.code)).merge(frame(engine, figures), on="code", how="left")
    counts = [*FLOWS, *STOCKS]
    result[counts] = result[counts].fillna(0).astype("int64")
    return with_rates(result.rename(columns={"code": "area_code"}))


def inspections_by_area(scope: Scope, engine: Engine | None = None, level: str | None = None) -> pd.DataFrame:
    """Per area one level below the scope, down to streets (or per area of ``level``):
    flows over the range, stocks at the end of its last day, pass and on-time rates;
    every area of that level in scope, zeros where nothing was checked."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    return _by_area(engine, scope, level or breakdown_level(scope_level(engine, scope), FINEST_LEVEL), polygons=False)


def inspections_by_street(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """``inspections_by_area`` per street of the scope, whatever its level: where the
    entities are, and what an alert on a falling pass rate judges (a street's, lost in its
    district's)."""
    return inspections_by_area(scope, engine, "street")


def street_figures(scope: Scope, engine: Engine | None = None) -> list[dict]:
    """``inspections_by_street`` for the streets with reports in the range only, as plain
    dicts, without names: one grouping of the detail rows by their street (teams report per street), no
    list of every street to fill with zeros. What the inspection alerts judge: a street
    without reports has nothing overdue and no pass rate."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    i = inspection_daily.c
    statement = select(i.area_code, *_figures(scope.end)).where(*_in_scope(engine, scope)).group_by(i.area_code)
    keys, rows = keyed_rows(engine, statement.order_by(i.area_code))
    streets = [dict(zip(keys, (code, *[int(count) for count in counts]), strict=True)) for code, *counts in rows]
    for street in streets:  # as ``with_rates``
        street["pass_rate"] = ratio(street["inspections_passed"], street["inspections"])
        street["on_time_rate"] = ratio(street["fixed_on_time"], street["fixed_on_time"] + street["fixed_late"])
    return streets


def inspection_map_units(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """The streets of the scope (the finest level teams report at) with polygon, centre
    and residents: entities with an open problem, open and overdue problems at the end of
    the range's last day, checks over the range and their pass rate."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    return _by_area(engine, scope, "street", polygons=True)
