"""Isolation and observation 隔离管控: people under management by category and measure, in
and out per day, overdue releases; isolation sites' rooms against occupancy, days until
full, the single-room rule (单人单间).

People are reported per street (街道/镇) and sites stand in streets, so a scope below a
street reads its street's figures (``effective_scope``). The city and its districts read
people from their roll-up (``rollups.ISOLATION_PEOPLE``) when it is up to date. Stocks — people held, overdue,
rooms occupied — are those reported for the range's last day; flows (in, out, cases
found) are summed over the range.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import BigInteger, Engine, Select, Table, case, cast, func, or_, select

from data_access.metrics import ratio
from data_access.reporting import active_on
from data_access.rollups import ISOLATION_PEOPLE
from data_access.schema import (
    ISOLATION_CATEGORIES,
    ISOLATION_MEASURES,
    LEVEL_COLUMN,
    area,
    isolation_people_area_daily,
    isolation_people_daily,
    isolation_site,
    isolation_site_daily,
)
from data_access.scope import (
    Scope,
    breakdown_level,
    codes_at,
    frame,
    keyed_rows,
    plain_rows,
    records,
    resolve_engine,
    scope_level,
    widen_to,
)

FINEST_LEVEL = "street"
INTAKE_WINDOW_DAYS = 7  # days until full: at the mean net intake of the 7 days up to the last day
HELD_BY_MEASURE = [f"held_{measure}" for measure in ISOLATION_MEASURES]


def effective_scope(scope: Scope, engine: Engine | None = None) -> Scope:
    """The scope isolation is reported for: the scope, or its street when below one."""
    return widen_to(resolve_engine(engine), scope, FINEST_LEVEL)


def _streets(engine: Engine, scope: Scope):
    """The codes of the scope's streets (a subquery for IN), after widening."""
    return codes_at(scope_level(engine, scope), scope.area_code, "street")


def _total(expression, name: str):
    return cast(func.coalesce(func.sum(expression), 0), BigInteger).label(name)


def _people(engine: Engine, scope: Scope, *levels: str) -> tuple[Table, list]:
    """The table to read people from and the conditions for the scope's range: the roll-up
    rows of the scope's area when it holds the scope's level and ``levels`` and is up to
    date, else the detail rows of the scope's streets."""
    level = scope_level(engine, scope)
    if ISOLATION_PEOPLE.usable(engine, level, *levels):
        r = isolation_people_area_daily.c
        return isolation_people_area_daily, [r.area_code == scope.area_code, r.day.between(scope.start, scope.end)]
    p = isolation_people_daily.c
    return isolation_people_daily, [p.area_code.in_(_streets(engine, scope)), p.day.between(scope.start, scope.end)]


def _on(day: dt.date, column, p=isolation_people_daily.c):
    """``column`` on ``day`` only (0 on other days), to sum a stock as of that day."""
    return case((p.day == day, column), else_=0)


def _people_figures(end: dt.date, table: Table = isolation_people_daily) -> list:
    """Flows summed over the rows read, stocks as of ``end``, and held per measure on ``end``
    (of the detail or of its roll-up: both have these columns)."""
    p = table.c
    return [
        _total(p.new_in, "new_in"),
        _total(p.released, "released"),
        _total(_on(end, p.held, p), "held"),
        _total(_on(end, p.overdue, p), "overdue"),
        *[
            _total(case(((p.day == end) & (p.measure == measure), p.held), else_=0), name)
            for measure, name in zip(ISOLATION_MEASURES, HELD_BY_MEASURE, strict=True)
        ],
    ]


def people_daily_totals(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per day with reports: people in, released, held and overdue at the day's end, held
    per measure (centralised, home isolation, home monitoring), and streets reporting."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    table, conditions = _people(engine, scope)
    p = table.c
    if table is isolation_people_area_daily:
        streets = _total(p.streets_reporting, "streets_reporting")
    else:
        streets = func.count(func.distinct(p.area_code)).label("streets_reporting")
    statement = (
        select(
            p.day,
            _total(p.new_in, "new_in"),
            _total(p.released, "released"),
            _total(p.held, "held"),
            _total(p.overdue, "overdue"),
            *[
                _total(case((p.measure == measure, p.held), else_=0), name)
                for measure, name in zip(ISOLATION_MEASURES, HELD_BY_MEASURE, strict=True)
            ],
            streets,
        )
        .where(*conditions)
        .group_by(p.day)
        .order_by(p.day)
    )
    return frame(engine, statement)


def people_by_category(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Every category × measure (catalogue order, zeros where none): in and released over
    the range, held and overdue at the end of its last day."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    table, conditions = _people(engine, scope)
    p = table.c
    statement = (
        select(p.category, p.measure, *_people_figures(scope.end, table)[:4]).where(*conditions).group_by(p.category, p.measure)
    )
    found = frame(engine, statement).set_index(["category", "measure"])
    grid = pd.MultiIndex.from_product([ISOLATION_CATEGORIES, ISOLATION_MEASURES], names=["category", "measure"])
    return found.reindex(grid, fill_value=0).astype("int64").reset_index()


def people_by_category_daily(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per day and category (measures together): in, released, held and overdue."""
    result = pd.DataFrame(category_daily_rows(scope, engine), columns=["day", "category", *CATEGORY_FIGURES])
    order = {c: i for i, c in enumerate(ISOLATION_CATEGORIES)}
    return result.sort_values(["day", "category"], key=lambda c: c.map(order) if c.name == "category" else c).reset_index(
        drop=True
    )


CATEGORY_FIGURES = ("new_in", "released", "held", "overdue")


def category_daily_rows(scope: Scope, engine: Engine | None = None) -> list[dict]:
    """``people_by_category_daily``'s rows as plain dicts, in no order: what the rising-category
    alert judges."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    table, conditions = _people(engine, scope)
    p = table.c
    statement = (
        select(p.day, p.category, *[_total(p[c], c) for c in CATEGORY_FIGURES]).where(*conditions).group_by(p.day, p.category)
    )
    return records(engine, statement)


def _area_figures(engine: Engine, scope: Scope, level: str | None) -> tuple[str, str, Select]:
    """(scope's level, level grouped by, statement): people per area of ``level`` (default
    one level below the scope, down to streets) with rows in the range, by ``code``: from
    the roll-up when it holds both levels and is up to date, else from the detail."""
    scope_lvl = scope_level(engine, scope)
    group_level = level or breakdown_level(scope_lvl, FINEST_LEVEL)
    if ISOLATION_PEOPLE.usable(engine, scope_lvl, group_level):
        # The roll-up rows of the areas of that level in scope.
        figures = ISOLATION_PEOPLE.per_area(
            _people_figures(scope.end, isolation_people_area_daily),
            scope_lvl,
            scope.area_code,
            group_level,
            scope.start,
            scope.end,
        )
        return scope_lvl, group_level, figures
    p = isolation_people_daily.c
    group = area.c[LEVEL_COLUMN[group_level]]
    figures = (
        select(group.label("code"), *_people_figures(scope.end))
        .select_from(isolation_people_daily.join(area, area.c.code == p.area_code))
        .where(p.area_code.in_(_streets(engine, scope)), p.day.between(scope.start, scope.end))
        .group_by(group)
    )
    return scope_lvl, group_level, figures


def people_by_area(scope: Scope, engine: Engine | None = None, level: str | None = None) -> pd.DataFrame:
    """Per area one level below the scope, down to streets (or per area of ``level``):
    in and released over the range; held, overdue and held per measure at the end of its
    last day; residents. Every area of that level in scope is listed, zeros where none."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    scope_lvl, group_level, figures = _area_figures(engine, scope, level)
    return _with_areas(engine, scope, scope_lvl, group_level, frame(engine, figures), polygons=False)


def people_figures_by_area(scope: Scope, engine: Engine | None = None) -> list[dict]:
    """``people_by_area``'s figures for the areas with reports in the range only, as plain
    dicts, without names or residents: what the overdue-release alert judges (an area without reports
    holds nobody past their date), without listing every area to fill with zeros."""
    engine = resolve_engine(engine)
    _, _, figures = _area_figures(engine, effective_scope(scope, engine), None)
    keys, rows = keyed_rows(engine, figures.order_by("code"))
    keys = ["area_code", *keys[1:]]
    return [dict(zip(keys, (code, *[int(count) for count in counts]), strict=True)) for code, *counts in rows]


def _with_areas(engine: Engine, scope: Scope, scope_lvl: str, group_level: str, figures: pd.DataFrame, polygons: bool):
    """Every area of ``group_level`` in scope with its names, residents (and place and
    polygon), and ``figures`` (by ``code``; zeros where it has none)."""
    a = area.c
    shapes = select(a.code, a.name_zh, a.name_en, a.residents, *([a.lon, a.lat, a.polygon] if polygons else [])).where(
        a.code.in_(codes_at(scope_lvl, scope.area_code, group_level))
    )
    result = frame(engine, shapes.order_by(a.code)).merge(figures, on="code", how="left")
    counts = [c for c in figures.columns if c != "code"]
    result[counts] = result[counts].fillna(0).astype("int64")
    return result.rename(columns={"code": "area_code"})


def isolation_map_units(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """The streets of the scope (the finest level people are reported at) with their
    polygon, centre and residents, and people held at the end of the range's last day:
    per measure (home isolation and home monitoring are what the map shows), in all,
    overdue, and per 10,000 residents."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    p = isolation_people_daily.c
    figures = (
        select(p.area_code.label("code"), *_people_figures(scope.end)[2:])
        .where(p.area_code.in_(_streets(engine, scope)), p.day == scope.end)
        .group_by(p.area_code)
    )
    result = _with_areas(engine, scope, scope_level(engine, scope), "street", frame(engine, figures), polygons=True)
    result["at_home"] = result["held_home_isolation"] + result["held_home_monitoring"]
    result["held_per_10k"] = ratio(result["held"], result["residents"]) * 10_000
    return result


# ------------------------------------------------------------------ sites
SITE_COLUMNS = [
    "code",
    "name_zh",
    "name_en",
    "area_code",
    "district_code",
    "lon",
    "lat",
    "at_area_centre",
    "rooms",
    "reported",
    "rooms_occupied",
    "people",
    "staff",
    "new_in",
    "released",
    "cases_found",
    "net_intake_7d",
    "free_rooms",
    "occupancy",
    "days_until_full",
    "single_room_breach",
]


def days_until_full_of(free_rooms: float, net_daily_intake: float) -> float:
    """``days_until_full`` of one site's figures."""
    if free_rooms <= 0:
        return 0.0
    return free_rooms / net_daily_intake if net_daily_intake > 0 else float("nan")


def days_until_full(free_rooms, net_daily_intake):
    """Days until the free rooms are taken at a net daily intake (in − out per day): free
    rooms ÷ net intake; NaN where the intake is not positive (not filling), 0 when full."""
    free = pd.Series(free_rooms, dtype="float64")
    net = pd.Series(net_daily_intake, dtype="float64")
    days = free.clip(lower=0) / net.where(net > 0)
    return days.where(~((free <= 0) & net.notna()), 0.0)


def _sites_in_scope(engine: Engine, scope: Scope):
    """The scope's sites in service on its last day, with their street and district."""
    s = isolation_site.c
    return (
        select(s.code, area.c.district_code)
        .select_from(isolation_site.join(area, area.c.code == s.area_code))
        .where(s.area_code.in_(_streets(engine, scope)), active_on(s.retired_on, scope.end))
    )


def site_table(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per isolation site in scope (in service on the range's last day): its rooms and
    place (its own coordinates, or its street's centre: ``at_area_centre``); on the last
    day rooms occupied, people and staff (``reported`` False and those NaN when it did
    not report that day); in, out and cases found over the range; the mean net intake
    (in − out) of the 7 days up to the last day, free rooms, occupancy (rooms occupied ÷
    rooms), days until full at that intake, and whether people outnumber the rooms
    occupied (the single-room rule broken)."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    d, s, a = isolation_site_daily.c, isolation_site.c, area.c
    in_scope = _sites_in_scope(engine, scope).subquery()
    window_start = scope.end - dt.timedelta(days=INTAKE_WINDOW_DAYS - 1)
    first = min(scope.start, window_start)

    def on_end(column):
        return func.max(case((d.day == scope.end, column)))

    in_range = d.day >= scope.start
    figures = (
        select(
            d.site_code.label("code"),
            func.max(case((d.day == scope.end, 1), else_=0)).label("reported"),
            on_end(d.rooms_occupied).label("rooms_occupied"),
            on_end(d.people).label("people"),
            on_end(d.staff).label("staff"),
            _total(case((in_range, d.new_in), else_=0), "new_in"),
            _total(case((in_range, d.released), else_=0), "released"),
            _total(case((in_range, d.cases_found), else_=0), "cases_found"),
            _total(case((d.day >= window_start, d.new_in - d.released), else_=0), "net_7d"),
        )
        .where(d.site_code.in_(select(in_scope.c.code)), d.day.between(first, scope.end))
        .group_by(d.site_code)
    )
    at_centre = case((or_(s.lon.is_(None), s.lat.is_(None)), 1), else_=0)
    sites = (
        select(
            s.code,
            s.name_zh,
            s.name_en,
            s.area_code,
            in_scope.c.district_code,
            case((at_centre == 1, a.lon), else_=s.lon).label("lon"),
            case((at_centre == 1, a.lat), else_=s.lat).label("lat"),
            at_centre.label("at_area_centre"),
            s.rooms,
        )
        .select_from(isolation_site.join(in_scope, in_scope.c.code == s.code).join(area, a.code == s.area_code))
        .order_by(s.code)
    )
    result = frame(engine, sites).merge(frame(engine, figures), on="code", how="left")
    return _site_figures(result)


SITE_LOAD_COLUMNS = ["code", "name_zh", "name_en", "area_code", "rooms", "rooms_occupied", "free_rooms", "occupancy"]
SITE_LOAD_COLUMNS += ["net_intake_7d", "days_until_full", "reported"]


def site_load(scope: Scope, engine: Engine | None = None) -> list[dict]:
    """Per isolation site in scope that reported the range's last day, as plain dicts
    (``SITE_LOAD_COLUMNS``): ``site_table``'s rooms, rooms occupied, free rooms, occupancy,
    net intake of the 7 days up to that day and days until full at it (``reported`` True),
    from one statement: what the isolation alerts judge, without the site table's places,
    flows and people."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    d, s = isolation_site_daily.c, isolation_site.c
    in_scope = _sites_in_scope(engine, scope).subquery()
    window_start = scope.end - dt.timedelta(days=INTAKE_WINDOW_DAYS - 1)
    figures = (
        select(
            d.site_code,
            func.max(case((d.day == scope.end, d.rooms_occupied))).label("rooms_occupied"),
            _total(d.new_in - d.released, "net_7d"),
        )
        .where(d.site_code.in_(select(in_scope.c.code)), d.day.between(window_start, scope.end))
        .group_by(d.site_code)
        .having(func.max(case((d.day == scope.end, 1), else_=0)) == 1)
        .subquery("figures")
    )
    statement = (
        select(s.code, s.name_zh, s.name_en, s.area_code, s.rooms, figures.c.rooms_occupied, figures.c.net_7d)
        .select_from(isolation_site.join(figures, figures.c.site_code == s.code))
        .order_by(s.code)
    )
    sites = []
    for code, name_zh, name_en, area_code, rooms, occupied, net_7d in plain_rows(engine, statement):
        occupied, net = float("nan") if occupied is None else float(occupied), int(net_7d) / INTAKE_WINDOW_DAYS
        free = rooms - occupied
        figures = (code, name_zh, name_en, area_code, rooms, occupied, free, ratio(occupied, rooms), net)
        sites.append(dict(zip(SITE_LOAD_COLUMNS, (*figures, days_until_full_of(free, net), True), strict=True)))
    return sites


def _site_figures(result: pd.DataFrame) -> pd.DataFrame:
    for column in ("new_in", "released", "cases_found", "net_7d", "reported"):
        result[column] = result[column].fillna(0).astype("int64")
    for column in ("rooms_occupied", "people", "staff"):
        result[column] = result[column].astype("float64").where(result["reported"] == 1)
    result["reported"] = result["reported"].astype(bool)
    result["at_area_centre"] = result["at_area_centre"].astype(bool)
    result["net_intake_7d"] = result.pop("net_7d") / INTAKE_WINDOW_DAYS
    result["free_rooms"] = result["rooms"] - result["rooms_occupied"]
    result["occupancy"] = ratio(result["rooms_occupied"], result["rooms"])
    result["days_until_full"] = days_until_full(result["free_rooms"], result["net_intake_7d"]).to_numpy()
    result["single_room_breach"] = (result["people"] > result["rooms_occupied"]).fillna(False).astype(bool)
    return result[SITE_COLUMNS]


def site_summary(sites: pd.DataFrame) -> dict:
    """The KPI of ``site_table``'s frame: sites, rooms and their use on the last day (sites
    that reported it), free rooms, occupancy, the net intake of 7 days and the days until
    full at it, single-room breaches. Pure: sums of a frame of a few hundred sites."""
    reported = sites[sites["reported"]]
    rooms, occupied = int(reported["rooms"].sum()), int(reported["rooms_occupied"].sum())
    net = float(sites["net_intake_7d"].sum())
    free = rooms - occupied
    return {
        "sites": len(sites),
        "sites_reporting": len(reported),
        "rooms": int(sites["rooms"].sum()),
        "rooms_reporting": rooms,
        "rooms_occupied": occupied,
        "people": int(reported["people"].sum()),
        "staff": int(reported["staff"].sum()),
        "free_rooms": free,
        "occupancy": ratio(occupied, rooms),
        "net_intake_7d": net,
        "days_until_full": days_until_full_of(free, net),
        "single_room_breaches": int(sites["single_room_breach"].sum()),
        "cases_found": int(sites["cases_found"].sum()),
    }


def site_daily_totals(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per day: the scope's sites that reported, their rooms, rooms occupied, people, staff,
    in, out, cases found, occupancy (rooms occupied ÷ rooms of the sites reporting) and how
    many broke the single-room rule (people above rooms occupied)."""
    engine = resolve_engine(engine)
    scope = effective_scope(scope, engine)
    d, s = isolation_site_daily.c, isolation_site.c
    statement = (
        select(
            d.day,
            func.count().label("sites_reporting"),
            _total(s.rooms, "rooms"),
            *[_total(d[c], c) for c in ("rooms_occupied", "people", "staff", "new_in", "released", "cases_found")],
            _total(case((d.people > d.rooms_occupied, 1), else_=0), "single_room_breaches"),
        )
        .select_from(isolation_site_daily.join(isolation_site, s.code == d.site_code))
        .where(s.area_code.in_(_streets(engine, scope)), d.day.between(scope.start, scope.end))
        .group_by(d.day)
        .order_by(d.day)
    )
    result = frame(engine, statement)
    result["occupancy"] = ratio(result["rooms_occupied"], result["rooms"])
    return result
