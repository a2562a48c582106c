"""Data checks 数据核查: figures that cannot be right, or look wrong, flagged before anyone
acts on them — doses above a site's capacity, coverage above 100 %, positives above
tested, tested above collected, a checkpoint-hour above what its lanes can pass,
cumulative totals that go down, a day far outside the area's own recent range, data
older than its reporting time.

The plausibility limits are the intake's (``dashboard.toml`` ``[intake]``), so a figure the
intake would refuse today is flagged when it is already stored. ``data_checks(scope)``
judges every day of the scope's range; the checks of one day's figures are pure functions
over small frames that SQL has already aggregated (or reduced to the rows breaking a rule).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Date, Engine, and_, case, cast, func, literal, null, or_, select, union_all

from data_access import areas, checkpoints, inspections, isolation, testing, vaccination
from data_access.parallel import run_all
from data_access.rollups import INSPECTIONS, VACCINATION
from data_access.schema import (
    AGE_GROUPS,
    LEVEL_COLUMN,
    area,
    checkpoint,
    checkpoint_daily,
    checkpoint_hourly,
    inspection_area_daily,
    inspection_daily,
    inspection_team,
    isolation_site,
    isolation_site_daily,
    sampling_site,
    supply_ledger,
    testing_daily,
    vaccination_area_daily,
    vaccination_area_totals,
    vaccination_daily,
    vaccination_site,
    vaccination_target,
    warehouse,
)
from data_access.scope import (
    Scope,
    as_date,
    codes_at,
    frame,
    in_scope,
    on_one_connection,
    plain_rows,
    resolve_engine,
    scope_level,
)
from data_access.settings import IntakeSettings, intake_settings, local_timezone

REPORT_DEADLINE_HOUR = 10  # a day's reports are due by 10:00 the next morning
JUMP_WINDOW_DAYS = 14
JUMP_MADS = 6.0  # this many scaled median absolute deviations from the recent median
JUMP_MIN_RELATIVE = 0.5  # … and at least 50 % away from it
NAN = float("nan")

# The metric-catalogue key of each (domain, measure) a check can concern …
METRICS: dict[tuple[str, str], str] = {
    ("checkpoints", "vehicles"): "checkpoints.vehicles",
    ("checkpoints", "people"): "checkpoints.people",
    ("testing", "samples_collected"): "testing.samples_collected",
    ("testing", "samples_tested"): "testing.samples_tested",
    ("testing", "positives"): "testing.positives",
    ("testing", "backlog"): "testing.backlog",
    ("vaccination", "doses"): "vaccination.doses",
    ("vaccination", "dose1"): "vaccination.dose1",
    ("vaccination", "dose2"): "vaccination.dose2",
    ("vaccination", "booster"): "vaccination.booster",
    ("vaccination", "coverage_dose1"): "vaccination.coverage_dose1",
    ("vaccination", "coverage_dose2"): "vaccination.coverage_dose2",
    ("vaccination", "coverage_booster"): "vaccination.coverage_booster",
    ("supplies", "stock"): "supplies.stock",
    ("grid", "home_observation"): "grid.home_observation",
    ("isolation", "single_room_breaches"): "isolation.single_room_breaches",
    ("inspections", "inspections"): "inspections.inspections",
    ("inspections", "pass_rate"): "inspections.pass_rate",
    ("inspections", "overdue"): "inspections.overdue",
}
# … and each domain's headline figure, for checks about the domain as a whole (stale data).
HEADLINE: dict[str, str] = {
    "checkpoints": "checkpoints.people",
    "testing": "testing.samples_tested",
    "supplies": "supplies.stock",
    "vaccination": "vaccination.doses",
    "grid": "grid.home_observation",
    "isolation": "isolation.held",
    "inspections": "inspections.inspections",
}
# Domains a command centre may not run at all: one that has never had any data is not late.
RUN_IF_REPORTED = frozenset({"isolation", "inspections"})
# Checks about the state as of a day (data missing, cumulative coverage), not about that
# day's own figures: they are not flagged on a table's row for the day.
AS_OF_CHECKS = frozenset({"stale", "coverage_above_population"})


def metric_of(domain: str, measure: str) -> str:
    """The metric-catalogue key for ``measure`` of ``domain`` (the domain's headline figure
    when the measure is none of the catalogue's)."""
    return METRICS.get((domain, measure)) or HEADLINE.get(domain, f"{domain}.{measure}")


@dataclass(frozen=True)
class DataCheck:
    # tested_above_collected | positives_above_tested | doses_above_capacity |
    # coverage_above_population | above_lane_capacity | doses_above_delivered |
    # cumulative_down | jump | stale | single_room | passed_above_checks | overdue_above_open
    check: str
    domain: str  # checkpoints | testing | vaccination | supplies | grid | isolation | inspections
    measure: str  # the column concerned
    day: dt.date | None
    figure: float | None
    details: dict = field(default_factory=dict)
    # The figure concerned as its metric-catalogue key ("testing.positives"), so the page
    # can flag that KPI card; derived from domain and measure when not given.
    metric: str = ""

    def __post_init__(self) -> None:
        if not self.metric:
            object.__setattr__(self, "metric", metric_of(self.domain, self.measure))


# ------------------------------------------------------------------ checks on daily totals
def tested_above_collected(daily: pd.DataFrame) -> list[DataCheck]:
    """Days where more samples were tested than were waiting: tested > collected that day
    + backlog left the day before (the first day, with no day before, is not judged)."""
    checks = []
    backlog_before = NAN
    for day, collected, tested, backlog in _by_day(daily, "samples_collected", "samples_tested", "backlog"):
        waiting = _float(collected) + backlog_before
        if _float(tested) > waiting:
            checks.append(
                DataCheck("tested_above_collected", "testing", "samples_tested", day, _float(tested), {"available": waiting})
            )
        backlog_before = _float(backlog)
    return checks


def _float(value) -> float:
    """A figure as a float (a missing one NaN), as pandas' ``astype(float)``."""
    return NAN if value is None else float(value)


def _by_day(daily: pd.DataFrame, *columns: str) -> list[tuple]:
    """``daily``'s (day, *columns) rows as plain tuples, by day: the checks of a few dozen
    days run on them faster than on the frame."""
    return sorted(zip(daily["day"].tolist(), *[daily[c].tolist() for c in columns], strict=True), key=lambda row: row[0])


def doses_above_delivered(daily: pd.DataFrame) -> list[DataCheck]:
    """Days on which more vaccine doses have been given, in all, than were ever delivered:
    cumulative doses given > stock at the start + cumulative doses received (inbound).
    Judged per district when ``daily`` has a ``district_code`` (one district's shortage is
    not hidden by another's stock), else over the whole frame. (``data_checks`` reads the
    same from the database: ``doses_above_delivered_rows``.)"""
    if daily.empty:
        return []
    by = "district_code" if "district_code" in daily else None
    rows = daily.sort_values([by, "day"] if by else "day", kind="stable")
    rows = rows.astype({c: "float64" for c in ("opening_stock", "delivered", "given")})  # MySQL sums are DECIMAL
    key = rows[by] if by else pd.Series(0, index=rows.index)
    groups = rows.groupby(key, sort=True)
    # Each district's opening stock is that of its first day; its deliveries and doses add up.
    first_day = groups.cumcount() == 0
    first = rows.loc[first_day, "opening_stock"].set_axis(key[first_day])
    delivered = key.map(first) + groups["delivered"].cumsum()
    given = groups["given"].cumsum()
    over = given > delivered
    names = daily.drop_duplicates(by).set_index(by) if by else None  # as each district's first row has them
    checks = []
    for i in rows.index[over]:
        where = {}
        if by:
            district = rows.at[i, by]
            where = {"area_code": district, **{c: names.at[district, c] for c in ("name_zh", "name_en") if c in rows}}
        checks.append(
            DataCheck(
                "doses_above_delivered",
                "vaccination",
                "doses",
                rows.at[i, "day"],
                float(given[i]),
                {"delivered": float(delivered[i]), **where},
            )
        )
    return sorted(checks, key=lambda c: (c.day, c.details.get("area_code", ""))) if by else checks


def cumulative_down(daily: pd.DataFrame, column: str, domain: str) -> list[DataCheck]:
    """Days on which the running total of ``column`` goes down (a negative daily figure;
    a missing one, and the day after it, are not judged, as pandas' ``cumsum().diff()``)."""
    checks = []
    total, before = 0, None  # the running total without the missing figures; the day before's
    for day, value in _by_day(daily, column):
        if value is None or _isnan(value):
            running = None
        else:
            total += value
            running = total
        if running is not None and before is not None and running - before < 0:
            checks.append(DataCheck("cumulative_down", domain, column, day, float(value)))
        before = running
    return checks


def _isnan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _median(values: list[float]) -> float:
    """The median of ``values`` (sorted, not empty), as numpy's: the middle one, or the
    mean of the middle two."""
    half, odd = divmod(len(values), 2)
    return values[half] if odd else (values[half - 1] + values[half]) / 2


def _median_and_mad(values: Sequence[float], window: int, min_periods: int) -> tuple[list[float], list[float]]:
    """For each position, the median and the median absolute deviation of the ``window``
    values before it (NaN when fewer than ``min_periods`` of them are numbers): pandas'
    ``shift(1).rolling(window, min_periods).median()`` and its MAD, the same floats as
    numpy's, in plain Python (faster for the few dozen days a check reads)."""
    medians, mads = [], []
    for i in range(len(values)):
        kept = sorted(v for v in values[max(0, i - window) : i] if not math.isnan(v))
        if len(kept) < min_periods:
            medians.append(NAN)
            mads.append(NAN)
            continue
        median = _median(kept)
        medians.append(median)
        mads.append(_median(sorted(abs(v - median) for v in kept)))
    return medians, mads


def jumps(daily: pd.DataFrame, column: str, domain: str, start: dt.date, end: dt.date) -> list[DataCheck]:
    """Every day from ``start`` to ``end`` on which ``column`` lies far outside its own
    previous 14 days with data (robust: median and MAD; at least 7 such days needed)."""
    return _jumps(_by_day(daily, column), column, domain, start, end)


def _jumps(rows: list[tuple], column: str, domain: str, start: dt.date, end: dt.date) -> list[DataCheck]:
    """``jumps`` on (day, figure) rows, by day."""
    values = [_float(value) for _day, value in rows]
    medians, mads = _median_and_mad(values, JUMP_WINDOW_DAYS, 7)
    checks = []
    for (day, _value), value, median, mad in zip(rows, values, medians, mads, strict=True):
        if math.isnan(median) or not start <= day <= end:
            continue
        spread = max(mad * 1.4826, abs(median) * 0.02, 1.0)
        distance = abs(value - median)
        if distance > JUMP_MADS * spread and distance > JUMP_MIN_RELATIVE * max(abs(median), 1.0):
            checks.append(DataCheck("jump", domain, column, day, value, {"median": median}))
    return checks


def jump(daily: pd.DataFrame, column: str, domain: str, day: dt.date) -> list[DataCheck]:
    """``column`` on ``day`` far outside its own previous 14 days (see ``jumps``)."""
    return jumps(daily, column, domain, day, day)


def expected_last_day(now: dt.datetime) -> dt.date:
    """The latest day whose reports should be in by ``now`` (in the configured local time)."""
    local = now.astimezone(local_timezone())
    days_back = 1 if local.hour >= REPORT_DEADLINE_HOUR else 2
    return local.date() - dt.timedelta(days=days_back)


def stale(freshness: pd.DataFrame, now: dt.datetime) -> list[DataCheck]:
    """Domains whose latest day with data is older than the reporting time allows (a
    domain of ``RUN_IF_REPORTED`` without any data is one the centre does not run).
    ``freshness``: ``areas.domain_freshness``."""
    return _stale(zip(freshness["domain"], freshness["last_day"], strict=True), now)


def _stale(last_days: Iterable[tuple[str, dt.date | None]], now: dt.datetime) -> list[DataCheck]:
    """``stale`` on (domain, last day with data) pairs."""
    expected = expected_last_day(now)
    checks = []
    for domain, last_day in last_days:
        never = last_day is None or pd.isna(last_day)
        if never and domain in RUN_IF_REPORTED:
            continue
        if never or last_day < expected:
            late = None if never else (expected - last_day).days
            checks.append(
                DataCheck(
                    "stale", domain, "last_day", last_day, float(late) if late is not None else None, {"expected": expected}
                )
            )
    return checks


# ------------------------------------------------------------------ checks on units' figures
def breaches_by_day(breaches: pd.DataFrame, check: str, domain: str, measure: str) -> list[DataCheck]:
    """One check per day from the units breaking a rule that day (``breaches``: day, unit,
    name_zh, name_en, figure, limit and any further columns, as the rule's query returns
    them). The check names the unit furthest over its limit and carries its other
    columns, every unit concerned (``units``), how many there are (``n``) and how many of
    their rows (hours, site-days) break the rule (``rows``)."""
    if breaches.empty:
        return []
    rows = breaches.to_dict("records")
    for row in rows:
        row["excess"] = _float(row["figure"]) - _float(row["limit"])
    # By day, the furthest over first (a missing excess last, as pandas sorts), then by unit.
    rows.sort(
        key=lambda row: (
            row["day"],
            math.isnan(row["excess"]),
            -row["excess"] if not math.isnan(row["excess"]) else 0,
            row["unit"],
        )
    )
    checks = []
    for day, group in itertools.groupby(rows, key=lambda row: row["day"]):
        of_day = list(group)
        units = list(dict.fromkeys(row["unit"] for row in of_day))
        worst = of_day[0]
        details = {k: _plain(v) for k, v in worst.items() if k not in ("day", "figure", "excess")}
        details.update(units=units, n=len(units), rows=len(of_day))
        checks.append(DataCheck(check, domain, measure, as_date(day), float(worst["figure"]), details))
    return checks


def _plain(value):
    """A value as plain Python (details go into cached results and texts)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def coverage_above_population(coverage: pd.DataFrame, day: dt.date, breakdown: str) -> list[DataCheck]:
    """Coverage figures above 100 % in a coverage frame (``data_access.vaccination``'s
    coverage_total / coverage_by_area / coverage_by_age_group), as of ``day``: one check
    per row and dose. ``breakdown`` (total, area, age_group) says which table it came from."""
    return _coverage_above(coverage.to_dict("records"), day, breakdown)


# ------------------------------------------------------------------ the rules' queries
def positives_above_tested_rows(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Sampling-site days of the range with more positives than samples tested."""
    engine = resolve_engine(engine)
    t, ss = testing_daily.c, sampling_site.c
    breach = t.positives > t.samples_tested
    statement = (
        select(t.day, ss.code.label("unit"), ss.name_zh, ss.name_en, t.positives.label("figure"), t.samples_tested.label("limit"))
        .select_from(testing_daily.join(sampling_site, ss.code == t.site_code).join(area, area.c.code == ss.area_code))
        .where(in_scope(scope_level(engine, scope), scope.area_code), t.day.between(scope.start, scope.end), breach)
    )
    if engine.dialect.name == "sqlite":
        # The partial index holds just these rows, but ANALYZE has no figures for an empty
        # one: told that they are rare, SQLite reads it (0.05 ms) instead of every site's
        # days of the range (30 ms for a city month).
        statement = statement.where(func.unlikely(breach))
    return frame(engine, statement)


def impossible_inspection_rows(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Team reports of the range (a team's day in a street, one kind of entity) with more
    checks passed than entity checks, or more problems overdue than problems open: figures
    the intake refuses, flagged when they are stored. Teams report per street, so a scope
    below a street reads its street's (``inspections.effective_scope``)."""
    engine = resolve_engine(engine)
    widened = inspections.effective_scope(scope, engine)
    i, team = inspection_daily.c, inspection_team.c
    streets = codes_at(scope_level(engine, widened), widened.area_code, "street")
    statement = (
        select(
            i.day,
            team.code.label("unit"),
            team.name_zh,
            team.name_en,
            i.area_code,
            i.entity_type,
            i.inspections,
            i.inspections_passed,
            i.open_problems,
            i.overdue,
        )
        .select_from(inspection_daily.join(inspection_team, team.code == i.team_code))
        .where(
            i.area_code.in_(streets),
            i.day.between(scope.start, scope.end),
            or_(i.inspections_passed > i.inspections, i.overdue > i.open_problems),
        )
    )
    return frame(engine, statement)


def doses_above_capacity_rows(scope: Scope, engine: Engine | None = None, factor: float | None = None) -> pd.DataFrame:
    """Vaccination-site days of the range with more doses given (all age groups and dose
    numbers) than the site's declared daily capacity × ``factor`` (sites declaring no
    capacity are not judged). ``factor`` defaults to the configured ``doses_capacity_factor``."""
    engine = resolve_engine(engine)
    factor = intake_settings().doses_capacity_factor if factor is None else factor
    v, vs = vaccination_daily.c, vaccination_site.c
    in_range = v.day.between(scope.start, scope.end)
    limit = vs.daily_capacity * literal(factor)
    judged = (
        select(vs.code)
        .join(area, area.c.code == vs.area_code)
        .where(in_scope(scope_level(engine, scope), scope.area_code), vs.daily_capacity > 0)
    )
    # A site's doses on a day are at most its doses of the whole range, its corrections
    # (negative figures) left out: only the sites over their daily limit by that measure
    # have their days summed (a site per row, not a site-day: usually none of them).
    per_site = (
        select(v.site_code, func.sum(case((v.doses > 0, v.doses), else_=0)).label("doses"))
        .where(v.site_code.in_(judged), in_range)
        .group_by(v.site_code)
        .subquery("per_site")
    )
    suspects = plain_rows(engine, select(vs.code).join(per_site, per_site.c.site_code == vs.code).where(per_site.c.doses > limit))
    if not suspects:
        columns = ["day", "unit", "name_zh", "name_en", "figure", "limit", "capacity"]
        return pd.DataFrame([], columns=columns).assign(factor=factor)
    # Each site's days summed by the (site, day) index in its order, then the few above
    # their limit joined to their site: no sort of the range's rows by names.
    per_day = (
        select(v.site_code, v.day, func.sum(v.doses).label("doses"))
        .where(v.site_code.in_([code for (code,) in suspects]), in_range)
        .group_by(v.site_code, v.day)
        .subquery("per_day")
    )
    statement = (
        select(
            per_day.c.day,
            vs.code.label("unit"),
            vs.name_zh,
            vs.name_en,
            per_day.c.doses.label("figure"),
            limit.label("limit"),
            vs.daily_capacity.label("capacity"),
        )
        .join(vaccination_site, vs.code == per_day.c.site_code)
        .where(per_day.c.doses > limit)
    )
    return frame(engine, statement).assign(factor=factor)


def above_lane_capacity_rows(
    scope: Scope, engine: Engine | None = None, measure: str = "people", per_lane_hour: int | None = None
) -> pd.DataFrame:
    """Checkpoint-hours of the range in which more ``measure`` (people or vehicles) were
    checked than ``lanes × per_lane_hour``; and, for days reported as a daily total only,
    checkpoint-days above ``lanes × per_lane_hour × staffed hours`` (``hour`` empty).
    Checkpoints declaring no lanes are not judged. ``per_lane_hour`` defaults to the
    configured maximum for ``measure``."""
    if per_lane_hour is None:
        per_lane_hour = getattr(intake_settings(), f"max_{measure}_per_lane_hour")
    return above_lane_capacity_by_measure(scope, {measure: per_lane_hour}, engine)[measure]


def above_lane_capacity_by_measure(scope: Scope, limits: dict[str, int], engine: Engine | None = None) -> dict[str, pd.DataFrame]:
    """``above_lane_capacity_rows`` for each measure of ``limits`` (measure → per lane and
    hour) from one statement whatever their number (``_lane_capacity_rows``), then each
    measure's rows split off."""
    return _lane_capacity_frames(*_lane_capacity_rows(scope, limits, resolve_engine(engine)), limits)


def _lane_capacity_rows(scope: Scope, limits: dict[str, int], engine: Engine) -> tuple[list[tuple], list[tuple]]:
    """The checkpoint-hours of the range over any of ``limits`` (day, hour, unit, name_zh,
    name_en, lanes, each measure, each limit) and the checkpoint-days over any of them in
    their staffed hours (day, unit, name_zh, name_en, lanes, each measure, each limit,
    hours), from one statement: the checkpoint-days over a limit are read once, their hours
    read from them."""
    level = scope_level(engine, scope)
    cp, h, d = checkpoint.c, checkpoint_hourly.c, checkpoint_daily.c
    # lanes × 3,600 × 24 h can pass a 32-bit integer
    lane_limit = {measure: cast(cp.lanes, BigInteger) * per_lane for measure, per_lane in limits.items()}
    by_day = checkpoint_daily.join(checkpoint, cp.code == d.checkpoint_code).join(area, area.c.code == cp.area_code)
    # An hour above the limit makes its day's total (the sum of its hours) above it too:
    # only those checkpoint-days' hours are read (by the hourly table's checkpoint-day
    # index), never every hour of the range.
    over_a_day = (
        select(
            d.checkpoint_code,
            d.day,
            cp.code.label("unit"),
            cp.name_zh,
            cp.name_en,
            cp.lanes,
            d.staffed_hours,
            *[d[m] for m in limits],
            *[limit.label(f"limit_{m}") for m, limit in lane_limit.items()],
        )
        .select_from(by_day)
        .where(
            in_scope(level, scope.area_code),
            cp.lanes > 0,
            d.day.between(scope.start, scope.end),
            # As one flag: PostgreSQL takes each comparison of two columns to keep a third
            # of the rows and, with four, plans for thousands of checkpoint-days (their hours
            # then look expensive enough to compile the statement first, 20 ms); a flag it
            # takes to be rare, as these days are (2 % of them in the sample city's month).
            case(
                (
                    or_(
                        *[d[m] > limit for m, limit in lane_limit.items()],
                        *[d[m] > limit * d.staffed_hours for m, limit in lane_limit.items()],
                    ),
                    1,
                ),
                else_=0,
            )
            == 1,
        )
        .cte("over_a_day")
    )
    c = over_a_day.c
    named = (c.unit, c.name_zh, c.name_en, c.lanes)
    hours = (
        select(literal(0), h.day, h.hour, *named, *[h[m] for m in limits], *[c[f"limit_{m}"] for m in limits], c.staffed_hours)
        .select_from(checkpoint_hourly.join(over_a_day, and_(h.checkpoint_code == c.checkpoint_code, h.day == c.day)))
        .where(or_(*[c[m] > c[f"limit_{m}"] for m in limits]), or_(*[h[m] > c[f"limit_{m}"] for m in limits]))
    )
    days = select(
        literal(1),
        c.day,
        null(),
        *named,
        *[c[m] for m in limits],
        *[c[f"limit_{m}"] * c.staffed_hours for m in limits],
        c.staffed_hours,
    ).where(or_(*[c[m] > c[f"limit_{m}"] * c.staffed_hours for m in limits]))
    hourly, daily = [], []
    for part, day, hour, *rest, staffed_hours in plain_rows(engine, union_all(hours, days)):
        if part == 0:
            hourly.append((day, hour, *rest))
        else:
            daily.append((day, *rest, staffed_hours))
    return hourly, daily


def _lane_capacity_frames(hourly: list[tuple], daily: list[tuple], limits: dict[str, int]) -> dict[str, pd.DataFrame]:
    """``above_lane_capacity_by_measure`` from ``_lane_capacity_rows``."""
    figures = [*limits, *[f"limit_{m}" for m in limits]]
    hourly_frame = pd.DataFrame(hourly, columns=["day", "hour", "unit", "name_zh", "name_en", "lanes", *figures])
    daily_frame = pd.DataFrame(daily, columns=["day", "unit", "name_zh", "name_en", "lanes", *figures, "hours"])
    return {m: _measure_over(hourly_frame, daily_frame, m, list(limits)).assign(per_lane_hour=p) for m, p in limits.items()}


def _measure_over(hourly: pd.DataFrame, daily: pd.DataFrame, measure: str, measures: list[str]) -> pd.DataFrame:
    """The hours and days over the limit of ``measure``, its figure and limit as ``figure``
    and ``limit`` (the other measures' columns dropped)."""
    others = [m for m in measures if m != measure]
    renamed = {measure: "figure", f"limit_{measure}": "limit"}

    def over(rows: pd.DataFrame) -> pd.DataFrame:
        kept = rows[rows[measure].astype(float) > rows[f"limit_{measure}"].astype(float)]
        return kept.drop(columns=others + [f"limit_{m}" for m in others]).rename(columns=renamed)

    hours, days = over(hourly).assign(hours=1), over(daily)
    if not hours.empty and not days.empty:
        # A day reported by the hour is over in its hours already (its total is their sum):
        # the daily row would only repeat it less precisely.
        hourly_keys = pd.MultiIndex.from_frame(hours[["day", "unit"]])
        days = days[~pd.MultiIndex.from_frame(days[["day", "unit"]]).isin(hourly_keys)]
    parts = [part for part in (hours, days.assign(hour=None)) if not part.empty]
    return pd.concat(parts, ignore_index=True) if parts else hours


def coverage_checks(scope: Scope, engine: Engine | None = None, given: dict[str, list[int]] | None = None) -> list[DataCheck]:
    """Coverage above 100 % in the figures the vaccination page shows for the scope, as of
    the range's end: the whole scope, each area of its ranking, each age group. Coverage
    only grows, so a figure above 100 % on any day of the range is still above it at its
    end. ``given``: the scope's doses per district up to the range's end (``_VaccineFlows``'
    ``given_by_district``) when the caller has them already."""
    engine = resolve_engine(engine)
    figures = _coverage_rows(scope, engine, given)
    if figures is not None:
        total, by_area, by_age = figures
        # Below a district the ranking is the district itself: the same figure as the total.
        by_area = [row for row in by_area if row["area_code"] != total[0]["area_code"]]
        return (
            _coverage_above(total, scope.end, "total")
            + _coverage_above(by_area, scope.end, "area")
            + _coverage_above(by_age, scope.end, "age_group")
        )
    total = vaccination.coverage_total(scope, engine)
    by_area = vaccination.coverage_by_area(scope, engine)
    by_age = vaccination.coverage_by_age_group(scope, engine)
    if not total.empty:
        names = frame(
            engine,
            select(area.c.code.label("area_code"), area.c.name_zh, area.c.name_en).where(
                area.c.code == total["area_code"].iloc[0]
            ),
        )
        total = total.merge(names, on="area_code", how="left")
        # Below a district the ranking is the district itself: the same figure as the total.
        by_area = by_area[~by_area["area_code"].isin(total["area_code"])]
    return (
        coverage_above_population(total, scope.end, "total")
        + coverage_above_population(by_area, scope.end, "area")
        + coverage_above_population(by_age, scope.end, "age_group")
    )


def _district_codes(engine: Engine, level: str, area_code: str) -> list[str]:
    """The codes of the districts of the area ``area_code`` (at ``level``), as a list: a
    read of the district roll-up filtered by a subquery instead, PostgreSQL expects a
    handful of rows and sorts the ~40,000 to group them (5× slower than hashing them)."""
    return [code for (code,) in plain_rows(engine, codes_at(level, area_code, "district"))]


def _count(value) -> int:
    """A summed count as an int (MySQL sums are DECIMAL; no rows is 0)."""
    return int(value) if value is not None else 0


class _Sums:
    """Population, baseline and doses given per dose, added up from rows (population stays
    None until a row has one, as pandas' ``sum(min_count=1)``)."""

    __slots__ = ("population", "base", "given")

    def __init__(self) -> None:
        self.population: int | None = None
        self.base = dict.fromkeys(vaccination.DOSE_COLUMNS.values(), 0)
        self.given = dict.fromkeys(vaccination.DOSE_COLUMNS.values(), 0)

    def add_target(self, population, baselines) -> None:
        if population is not None:
            self.population = (self.population or 0) + int(population)
        for dose, value in zip(self.base, baselines, strict=True):
            self.base[dose] += _count(value)

    def add_given(self, doses: dict[str, int]) -> None:
        for dose, value in doses.items():
            self.given[dose] += value

    def figures(self, **keys) -> dict:
        row = {**keys, "population": self.population}
        for dose in self.base:
            people = self.base[dose] + self.given[dose]
            row[dose] = people
            row[f"coverage_{dose}"] = (people / self.population) if self.population and self.population > 0 else float("nan")
        return row


def _coverage_rows(scope: Scope, engine: Engine, given: dict[str, list[int]] | None = None) -> tuple[list, list, list] | None:
    """``coverage_total``, ``coverage_by_area`` and ``coverage_by_age_group`` of the scope
    (the figures ``coverage_checks`` judges) as plain rows, from the targets per district
    and age group, the doses given per district (``given``: dose1, dose2 and booster up to
    the range's end, read when not passed) and per age group of the scope's own roll-up
    rows: the same integers summed, so the same coverage. None when the roll-up cannot be
    read now (the vaccination functions then read the detail)."""
    scope = vaccination.effective_scope(scope, engine)
    level = scope_level(engine, scope)
    if level not in ("city", "district") or not VACCINATION.usable(engine, level, "district"):
        return None
    doses = list(vaccination.DOSE_COLUMNS.values())
    tg, r = vaccination_target.c, vaccination_area_daily.c
    target_area = area.alias("target_area")
    district = target_area.c[LEVEL_COLUMN["district"]]
    targets = plain_rows(
        engine,
        select(
            district,
            tg.age_group,
            func.sum(tg.population),
            *[func.sum(tg[f"baseline_dose{n}"]) for n in vaccination.DOSE_COLUMNS],
        )
        .select_from(vaccination_target.join(target_area, target_area.c.code == tg.area_code))
        .where(in_scope(level, scope.area_code, target_area))
        .group_by(district, tg.age_group),
    )
    if given is None:
        given = _vaccine_flows(scope, engine, judge_delivered=False).given_by_district
    by_age_given = plain_rows(
        engine,
        select(r.age_group, *[func.sum(r[name]) for name in doses])
        .where(r.area_code == scope.area_code, r.day <= scope.end)
        .group_by(r.age_group),
    )
    total, areas_, ages = _Sums(), {}, {}
    for district_code, age_group, population, *baselines in targets:
        for sums in (total, areas_.setdefault(district_code, _Sums()), ages.setdefault(age_group, _Sums())):
            sums.add_target(population, baselines)
    for district_code, summed in given.items():
        if district_code in areas_:
            areas_[district_code].add_given(dict(zip(doses, summed, strict=True)))
    for age_group, *by_dose in by_age_given:
        counted = dict(zip(doses, map(_count, by_dose), strict=True))
        total.add_given(counted)
        if age_group in ages:
            ages[age_group].add_given(counted)
    codes = [code for code in areas_ if code is not None]
    names = {
        code: (zh, en)
        for code, zh, en in plain_rows(
            engine, select(area.c.code, area.c.name_zh, area.c.name_en).where(area.c.code.in_([*codes, scope.area_code]))
        )
    }

    def named(code: str) -> dict:
        zh, en = names.get(code, (None, None))
        return {"area_code": code, "name_zh": zh, "name_en": en}

    by_area = [sums.figures(**named(code)) for code, sums in areas_.items()]
    by_area.sort(key=lambda row: (np.isnan(row["coverage_booster"]), -np.nan_to_num(row["coverage_booster"])))
    order = {group: i for i, group in enumerate(AGE_GROUPS)}
    by_age = [ages[group].figures(age_group=group) for group in sorted(ages, key=lambda g: order.get(g, len(order)))]
    return [total.figures(**named(scope.area_code))], by_area, by_age


def booster_coverage_by_district(scope: Scope, days: list[dt.date], engine: Engine | None = None) -> list[pd.DataFrame] | None:
    """For each of ``days``, per district of the scope (the district itself below one), its
    booster coverage as of that day (area_code, coverage_booster): the figure
    ``vaccination.coverage_by_area`` gives. One statement whatever the number of days: per
    district its target population and baseline, and the boosters of its roll-up totals up
    to each day summed in the database (a row per district, not one per district and day).
    None when the roll-up cannot be read now."""
    engine = resolve_engine(engine)
    widened = vaccination.effective_scope(scope, engine)
    level = scope_level(engine, widened)
    if level not in ("city", "district") or not VACCINATION.usable(engine, level, "district"):
        return None
    tg, r = vaccination_target.c, vaccination_area_totals.c  # the roll-up's rows summed per day
    target_area = area.alias("target_area")
    district = target_area.c[LEVEL_COLUMN["district"]]
    targets = (
        select(district.label("code"), func.sum(tg.population).label("population"), func.sum(tg.baseline_dose3).label("base"))
        .select_from(vaccination_target.join(target_area, target_area.c.code == tg.area_code))
        .where(in_scope(level, widened.area_code, target_area))
        .group_by(district)
        .subquery("targets")
    )
    districts = _district_codes(engine, level, widened.area_code)
    boosters = (
        select(
            r.area_code, *[func.sum(case((r.day <= day, r.booster), else_=0)).label(f"upto_{i}") for i, day in enumerate(days)]
        )
        .where(r.area_code.in_(districts or [""]), r.day <= max(days))
        .group_by(r.area_code)
        .subquery("boosters")
    )
    rows = plain_rows(
        engine,
        select(targets, *[boosters.c[f"upto_{i}"] for i in range(len(days))]).select_from(
            targets.outerjoin(boosters, boosters.c.area_code == targets.c.code)
        ),
    )
    result = []
    for i in range(len(days)):
        coverage = [
            (code, (_count(base) + _count(given[i])) / int(population) if population and population > 0 else float("nan"))
            for code, population, base, *given in rows
        ]
        result.append(pd.DataFrame(coverage, columns=["area_code", "coverage_booster"]))
    return result


def _coverage_figures(scope: Scope, engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None:
    """``_coverage_rows`` as the frames the vaccination functions return (for comparing them)."""
    rows = _coverage_rows(scope, engine)
    if rows is None:
        return None
    doses = list(vaccination.DOSE_COLUMNS.values())
    figures = ["population", *doses, *[f"coverage_{dose}" for dose in doses]]
    named = ["area_code", "name_zh", "name_en", *figures]
    return tuple(
        pd.DataFrame(part, columns=keys) for part, keys in zip(rows, (named, named, ["age_group", *figures]), strict=True)
    )


def _coverage_above(rows: list[dict], day: dt.date, breakdown: str) -> list[DataCheck]:
    """``coverage_above_population`` on plain rows."""
    checks = []
    for dose in vaccination.DOSE_COLUMNS.values():
        column = f"coverage_{dose}"
        for row in rows:
            value = pd.to_numeric(row.get(column), errors="coerce")
            if not value > 1.0:  # NaN, missing and ≤ 100 % alike
                continue
            details = {"breakdown": breakdown, "people": _plain(row[dose]), "population": _plain(row["population"])}
            for key in ("area_code", "name_zh", "name_en", "age_group"):
                if row.get(key) is not None:
                    details[key] = _plain(row[key])
            checks.append(DataCheck("coverage_above_population", "vaccination", column, day, float(value), details))
    return checks


VACCINE_ITEM = "VACCINE"  # the supplies ledger's item for vaccine doses delivered to depots


def _vaccine_received(scope: Scope, level: str):
    """Per district of ``scope`` (at ``level``) and ledger day up to the range's end:
    vaccine doses in stock at the start and doses delivered (all inbound)."""
    ledger = supply_ledger.c
    district = area.c[LEVEL_COLUMN["district"]].label("district_code")
    return (
        select(
            district,
            ledger.day,
            func.sum(ledger.opening_stock).label("opening_stock"),
            func.sum(ledger.inbound_procured + ledger.inbound_allocated + ledger.inbound_donated).label("delivered"),
        )
        .select_from(
            supply_ledger.join(warehouse, warehouse.c.code == ledger.warehouse_code).join(
                area, area.c.code == warehouse.c.area_code
            )
        )
        .where(in_scope(level, scope.area_code), ledger.item_code == VACCINE_ITEM, ledger.day <= scope.end, district.is_not(None))
        .group_by(district, ledger.day)
    )


def _vaccine_depots(scope: Scope, level: str, engine: Engine) -> dict[str, str]:
    """The depots of the scope's districts (a handful): warehouse code → its district."""
    w = warehouse.c
    district = area.c[LEVEL_COLUMN["district"]]
    return dict(
        plain_rows(
            engine,
            select(w.code, district)
            .select_from(warehouse.join(area, area.c.code == w.area_code))
            .where(in_scope(level, scope.area_code), district.is_not(None)),
        )
    )


def _vaccine_delivered(depots: list[str], start: dt.date, end: dt.date):
    """The vaccine ledger of ``depots`` up to ``end``, as (part, depot, day, opening stock,
    doses delivered (all inbound)): part 0 one row per depot, its first ledger day with its
    opening stock that day and its deliveries before ``start`` summed; part 1 each of its
    ledger days from ``start``. The days before the range are summed, so a long ledger is a
    few rows."""
    ledger = supply_ledger.c
    vaccine = [ledger.item_code == VACCINE_ITEM, ledger.warehouse_code.in_(depots)]
    delivered = ledger.inbound_procured + ledger.inbound_allocated + ledger.inbound_donated
    first = (
        select(
            ledger.warehouse_code,
            func.min(ledger.day).label("first_day"),
            func.sum(case((ledger.day < start, delivered), else_=0)).label("before"),
        )
        .where(*vaccine, ledger.day <= end)
        .group_by(ledger.warehouse_code)
        .subquery("first_ledger_day")
    )
    that_day = supply_ledger.alias("that_day")
    f, t = first.c, that_day.c
    return union_all(
        select(literal(0), f.warehouse_code, f.first_day, t.opening_stock, f.before).join(
            that_day, and_(t.warehouse_code == f.warehouse_code, t.item_code == VACCINE_ITEM, t.day == f.first_day)
        ),
        select(literal(1), ledger.warehouse_code, ledger.day, ledger.opening_stock, delivered).where(
            *vaccine, ledger.day.between(start, end)
        ),
    )


def _vaccine_given(engine: Engine, scope: Scope, level: str):
    """Per district of ``scope`` and day up to the range's end: doses given, in all
    (``given``) and by dose number (dose1, dose2, booster)."""
    doses = vaccination.DOSE_COLUMNS
    if VACCINATION.usable(engine, "district"):
        # The district roll-up's totals: one row per district and day instead of every site's.
        r = vaccination_area_totals.c
        districts = _district_codes(engine, level, scope.area_code)
        return (
            select(
                r.area_code.label("district_code"),
                r.day,
                func.sum(r.doses).label("given"),
                *[func.sum(r[name]).label(name) for name in doses.values()],
            )
            .where(r.area_code.in_(districts or [""]), r.day <= scope.end)
            .group_by(r.area_code, r.day)
        )
    v = vaccination_daily.c
    district = area.c[LEVEL_COLUMN["district"]].label("district_code")
    sites = vaccination_daily.join(vaccination_site, vaccination_site.c.code == v.site_code)
    return (
        select(
            district,
            v.day,
            func.sum(v.doses).label("given"),
            *[func.sum(case((v.dose_number == n, v.doses), else_=0)).label(name) for n, name in doses.items()],
        )
        .select_from(sites.join(area, area.c.code == vaccination_site.c.area_code))
        .where(in_scope(level, scope.area_code), v.day <= scope.end, district.is_not(None))
        .group_by(district, v.day)
    )


def _vaccine_given_from(engine: Engine, scope: Scope, level: str, start: dt.date, ledger_from: dict[str, dt.date]):
    """Per district of ``scope`` (at ``level``), the doses given (in all, dose1, dose2,
    booster) as (part, district_code, day, doses, dose1, dose2, booster): part 0 the days
    before ``start``, one row per district; part 1 each day from ``start`` to the range's
    end; part 2, for each district of ``ledger_from`` (district → its first ledger day),
    the days before that day and ``start``, which its ledger does not cover. The days
    before ``start`` are summed per district only, so a long history is a few rows."""
    doses = vaccination.DOSE_COLUMNS
    if VACCINATION.usable(engine, "district"):
        # The district roll-up's totals per day (the districts as a list: ``_district_codes``).
        r = vaccination_area_totals.c
        districts = _district_codes(engine, level, scope.area_code)
        district, day, source = r.area_code, r.day, vaccination_area_totals
        figures = [func.sum(r.doses), *[func.sum(r[name]) for name in doses.values()]]
        within = [r.area_code.in_(districts or [""])]
        ledger_from = {code: first for code, first in ledger_from.items() if code in districts}
        ledger_within = []
    else:
        v = vaccination_daily.c
        district, day = area.c[LEVEL_COLUMN["district"]], v.day
        source = vaccination_daily.join(vaccination_site, vaccination_site.c.code == v.site_code).join(
            area, area.c.code == vaccination_site.c.area_code
        )
        figures = [func.sum(v.doses), *[func.sum(case((v.dose_number == n, v.doses), else_=0)) for n in doses]]
        within = ledger_within = [in_scope(level, scope.area_code), district.is_not(None)]
    before = literal(start - dt.timedelta(days=1), Date)
    parts = [
        select(literal(0), district, before, *figures).select_from(source).where(*within, day < start).group_by(district),
        select(literal(1), district, day, *figures)
        .select_from(source)
        .where(*within, day.between(start, scope.end))
        .group_by(district, day),
    ]
    if ledger_from:
        # Each district's days before its first ledger day (and the range): within one range
        # of the (area, day) key per district, usually empty.
        bounds = {code: min(first, start) for code, first in ledger_from.items()}
        uncovered = and_(
            district.in_(list(bounds)),
            day < max(bounds.values()),
            day < case({code: literal(bound, Date) for code, bound in bounds.items()}, value=district),
        )
        parts.append(
            select(literal(2), district, before, *figures).select_from(source).where(*ledger_within, uncovered).group_by(district)
        )
    return union_all(*parts)


@dataclass(frozen=True)
class _VaccineFlows:
    """What the vaccination checks add up from the doses given per district."""

    # district → doses given up to the range's end by dose number (dose1, dose2, booster)
    given_by_district: dict[str, list[int]]
    # (day, district_code, doses given, doses delivered) up to that day, for each day of the
    # range on which the first exceeds the second, by day and district
    over_delivered: list[tuple]


def _vaccine_flows(scope: Scope, engine: Engine, judge_delivered: bool = True) -> _VaccineFlows:
    """The doses given per district of the scope (widened as vaccination is: a street reads
    its district) up to the range's end and, with ``judge_delivered``, the days of the range
    on which a district has given more vaccine doses, in all, than were ever delivered to
    it. Each district is counted from its first ledger day (its opening stock covers what
    came before); a district without a ledger is not judged. The statements return a few
    rows per district and day of the range, whatever the history before it."""
    widened = vaccination.effective_scope(scope, engine)
    level = scope_level(engine, widened)
    start = scope.start
    depots = _vaccine_depots(widened, level, engine) if judge_delivered else {}
    ledger = plain_rows(engine, _vaccine_delivered(list(depots), start, widened.end)) if depots else []
    # Per district: its first ledger day, deliveries before the range (with the opening
    # stock of its depots that started that day) and on each day of the range.
    ledger_from: dict[str, dt.date] = {}
    for part, depot, day, _opening, _delivered in ledger:
        if part == 0:
            code, day = depots[depot], as_date(day)
            ledger_from[code] = min(day, ledger_from.get(code, day))
    delivered_before: dict[str, int] = dict.fromkeys(ledger_from, 0)
    delivered_on: dict[str, dict[dt.date, int]] = {code: {} for code in ledger_from}
    for part, depot, day, opening, delivered in ledger:
        code, day = depots[depot], as_date(day)
        opening = _count(opening) if day == ledger_from[code] else 0
        if part == 0:
            delivered_before[code] += _count(delivered) + (opening if day < start else 0)
        else:
            on = delivered_on[code]
            on[day] = on.get(day, 0) + _count(delivered) + opening
    totals: dict[str, list[int]] = {}
    given_before: dict[str, int] = {}
    given_on: dict[str, dict[dt.date, int]] = {}
    uncovered: dict[str, int] = {}
    for part, code, day, doses, *by_dose in plain_rows(engine, _vaccine_given_from(engine, widened, level, start, ledger_from)):
        if part == 2:
            uncovered[code] = _count(doses)
            continue
        summed = totals.setdefault(code, [0] * len(by_dose))
        for i, value in enumerate(by_dose):
            summed[i] += _count(value)
        if part == 0:
            given_before[code] = _count(doses)
        else:
            given_on.setdefault(code, {})[as_date(day)] = _count(doses)
    found = []
    for code, first in ledger_from.items():
        running_given = given_before.get(code, 0) - uncovered.get(code, 0)
        running_delivered = delivered_before[code]
        given = {day: n for day, n in given_on.get(code, {}).items() if day >= first}
        for day in sorted(given.keys() | delivered_on[code].keys()):
            running_given += given.get(day, 0)
            running_delivered += delivered_on[code].get(day, 0)
            if running_given > running_delivered:
                found.append((day, code, running_given, running_delivered))
    return _VaccineFlows(totals, sorted(found))


def vaccine_delivered_and_given(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Per district of the scope and day up to the range's end: vaccine doses in stock at
    the start, doses delivered (ledger item VACCINE, all inbound) and doses given, with the
    district's names. Empty when the ledger keeps no vaccine."""
    engine = resolve_engine(engine)
    scope = vaccination.effective_scope(scope, engine)
    level = scope_level(engine, scope)
    columns = ["district_code", "day", "opening_stock", "delivered", "given", "name_zh", "name_en"]
    received = frame(engine, _vaccine_received(scope, level))
    if received.empty:
        return pd.DataFrame(columns=columns)
    given = frame(engine, _vaccine_given(engine, scope, level))
    # Counted from each district's first ledger day: its opening stock covers what came before.
    first = received.groupby("district_code")["day"].min().rename("first_day")
    given = given.merge(first, on="district_code")
    given = given[given["day"] >= given["first_day"]].drop(columns="first_day")
    result = received.merge(given, on=["district_code", "day"], how="outer").fillna(
        {"opening_stock": 0, "delivered": 0, "given": 0}
    )
    names = frame(
        engine,
        select(area.c.code.label("district_code"), area.c.name_zh, area.c.name_en).where(
            area.c.code.in_(list(result["district_code"].unique()))
        ),
    )
    return (
        result.merge(names, on="district_code", how="left").sort_values(["district_code", "day"]).reset_index(drop=True)[columns]
    )


def doses_above_delivered_rows(scope: Scope, engine: Engine | None = None, flows: _VaccineFlows | None = None) -> pd.DataFrame:
    """The days of the range on which a district of the scope has given more vaccine doses,
    in all, than were ever delivered to it (``_vaccine_flows``): district, its names, day,
    doses given and delivered up to that day. Only those days are returned. ``flows``: the
    scope's when the caller has them already."""
    engine = resolve_engine(engine)
    columns = ["district_code", "name_zh", "name_en", "day", "given", "delivered"]
    found = (flows or _vaccine_flows(scope, engine)).over_delivered
    if not found:
        return pd.DataFrame(columns=columns)
    names = {
        code: (zh, en)
        for code, zh, en in plain_rows(
            engine, select(area.c.code, area.c.name_zh, area.c.name_en).where(area.c.code.in_({row[1] for row in found}))
        )
    }
    return pd.DataFrame(
        [(district, *names.get(district, (None, None)), day, given_, delivered) for day, district, given_, delivered in found],
        columns=columns,
    )


def single_room_rows(scope: Scope, engine: Engine | None = None) -> pd.DataFrame:
    """Isolation-site days of the range with more people than rooms occupied: people
    sharing rooms, against one person per room (单人单间). Sites stand in streets, so a
    scope below a street reads its street's sites (``isolation.effective_scope``)."""
    engine = resolve_engine(engine)
    widened = isolation.effective_scope(scope, engine)
    d, s = isolation_site_daily.c, isolation_site.c
    streets = codes_at(scope_level(engine, widened), widened.area_code, "street")
    statement = (
        select(
            d.day,
            s.code.label("unit"),
            s.name_zh,
            s.name_en,
            d.people.label("figure"),
            d.rooms_occupied.label("limit"),
            s.rooms,
        )
        .select_from(isolation_site_daily.join(isolation_site, s.code == d.site_code))
        .where(s.area_code.in_(streets), d.day.between(scope.start, scope.end), d.people > d.rooms_occupied)
    )
    return frame(engine, statement)


# ------------------------------------------------------------------ all together
# Each domain's checks for a scope, judged on every day of its range. Each day is judged
# against up to 14 days before it (the range's first day included): the daily totals are
# read from that window, already summed in the database.
def _window(scope: Scope) -> Scope:
    return scope.with_days(scope.start - dt.timedelta(days=JUMP_WINDOW_DAYS), scope.end)


def testing_checks(scope: Scope, engine: Engine, settings: IntakeSettings, now: dt.datetime) -> list[DataCheck]:
    start, end = scope.start, scope.end
    checks: list[DataCheck] = []
    tests = testing.testing_daily_totals(_window(scope), engine)
    if not tests.empty:
        in_range = tests[tests["day"] >= start - dt.timedelta(days=1)]
        checks += [c for c in tested_above_collected(in_range) if c.day >= start]
        checks += jumps(tests, "samples_collected", "testing", start, end)
    return checks + breaches_by_day(positives_above_tested_rows(scope, engine), "positives_above_tested", "testing", "positives")


def checkpoint_checks(scope: Scope, engine: Engine, settings: IntakeSettings, now: dt.datetime) -> list[DataCheck]:
    start, end = scope.start, scope.end
    cps = checkpoints.people_by_day(_window(scope), engine)
    if cps.empty:
        return []
    return jumps(cps, "people", "checkpoints", start, end) + cumulative_down(cps[cps["day"] >= start], "people", "checkpoints")


def lane_capacity_checks(scope: Scope, engine: Engine, settings: IntakeSettings, now: dt.datetime) -> list[DataCheck]:
    limits = {"people": settings.max_people_per_lane_hour, "vehicles": settings.max_vehicles_per_lane_hour}
    hourly, daily = _lane_capacity_rows(scope, limits, engine)
    if not hourly and not daily:
        return []
    checks: list[DataCheck] = []
    for measure, rows in _lane_capacity_frames(hourly, daily, limits).items():
        checks += breaches_by_day(rows, "above_lane_capacity", "checkpoints", measure)
    return checks


def vaccination_checks(scope: Scope, engine: Engine, settings: IntakeSettings, now: dt.datetime) -> list[DataCheck]:
    start, end = scope.start, scope.end
    checks: list[DataCheck] = []
    doses = vaccination.doses_by_day(_window(scope), engine)
    # Read once: the doses given per district are judged against deliveries and coverage.
    flows = _vaccine_flows(scope, engine, judge_delivered=not doses.empty)
    if not doses.empty:
        checks += jumps(doses, "doses", "vaccination", start, end)
        checks += cumulative_down(doses[doses["day"] >= start], "doses", "vaccination")
        checks += [
            DataCheck(
                "doses_above_delivered",
                "vaccination",
                "doses",
                r.day,
                float(r.given),
                {"delivered": float(r.delivered), "area_code": r.district_code, "name_zh": r.name_zh, "name_en": r.name_en},
            )
            for r in doses_above_delivered_rows(scope, engine, flows).itertuples()
        ]
    return checks + coverage_checks(scope, engine, flows.given_by_district)


# Each impossible inspection figure: (check, measure, the figure, what it may not exceed).
INSPECTION_LIMITS = (
    ("passed_above_checks", "pass_rate", "inspections_passed", "inspections"),
    ("overdue_above_open", "overdue", "overdue", "open_problems"),
)


def inspection_checks(scope: Scope, engine: Engine, settings: IntakeSettings, now: dt.datetime) -> list[DataCheck]:
    checks = _jumps(_inspections_by_day(_window(scope), engine), "inspections", "inspections", scope.start, scope.end)
    rows = impossible_inspection_rows(scope, engine)
    if rows.empty:
        return checks
    for check, measure, figure, limit in INSPECTION_LIMITS:
        broken = rows[rows[figure] > rows[limit]]
        found = broken[["day", "unit", "name_zh", "name_en", "area_code", "entity_type"]].assign(
            figure=broken[figure], limit=broken[limit]
        )
        checks += breaches_by_day(found, check, "inspections", measure)
    return checks


def _inspections_by_day(scope: Scope, engine: Engine) -> list[tuple]:
    """Per day with reports, the entity checks of the scope (``inspections.
    inspection_daily_totals``' ``inspections`` alone, without its other twenty figures)."""
    scope = inspections.effective_scope(scope, engine)
    level = scope_level(engine, scope)
    if INSPECTIONS.usable(engine, level):
        i = inspection_area_daily.c
        where = [i.area_code == scope.area_code]
    else:
        i = inspection_daily.c
        where = [i.area_code.in_(codes_at(level, scope.area_code, "street"))]
    total = cast(func.coalesce(func.sum(i.inspections), 0), BigInteger)
    return plain_rows(
        engine, select(i.day, total).where(*where, i.day.between(scope.start, scope.end)).group_by(i.day).order_by(i.day)
    )


def site_capacity_checks(scope: Scope, engine: Engine, settings: IntakeSettings, now: dt.datetime) -> list[DataCheck]:
    rows = doses_above_capacity_rows(scope, engine, settings.doses_capacity_factor)
    return breaches_by_day(rows, "doses_above_capacity", "vaccination", "doses")


def isolation_checks(scope: Scope, engine: Engine, settings: IntakeSettings, now: dt.datetime) -> list[DataCheck]:
    return breaches_by_day(single_room_rows(scope, engine), "single_room", "isolation", "single_room_breaches")


def stale_checks(scope: Scope, engine: Engine, settings: IntakeSettings, now: dt.datetime) -> list[DataCheck]:
    scope_level(engine, scope)  # the reader's area is checked first, as by every query function
    return _stale(areas.domain_last_days(engine), now)


# The parts, in the order their checks are listed. Two run at once (``parallel.run_all``),
# the longest started first.
CHECKS = (
    testing_checks,
    checkpoint_checks,
    lane_capacity_checks,
    vaccination_checks,
    site_capacity_checks,
    stale_checks,
    isolation_checks,
    inspection_checks,
)
# vaccination, lane capacity, site capacity, people, inspections, isolation, testing, stale
# (the city's month on SQLite: 26, 16, 12, 10, 9, 6, 3 and 0.5 ms)
LONGEST_FIRST = (3, 2, 4, 1, 7, 6, 0, 5)


def data_checks(
    scope: Scope, engine: Engine | None = None, now: dt.datetime | None = None, settings: IntakeSettings | None = None
) -> list[DataCheck]:
    """Every check for the scope, each judged on every day of its range: impossible
    figures (limits from ``settings``, default the configured ``[intake]``), cumulative
    totals going down, jumps, coverage above 100 % as of the range's end, stale domains."""
    engine = resolve_engine(engine)
    settings = settings or intake_settings()
    now = now or dt.datetime.now(dt.UTC)
    # Each part's reads on one connection of its own (``scope.on_one_connection``).
    parts = run_all([on_one_connection(engine, partial(part, scope, engine, settings, now)) for part in CHECKS], LONGEST_FIRST)
    return [check for checks in parts for check in checks]
