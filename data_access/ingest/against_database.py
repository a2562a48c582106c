"""The checks that need what is already stored: codes that must exist, the testing
backlog carried from the day before, cumulative doses (baseline + every day so far)
against each other and against the target population, doses against a site's declared
capacity, checkpoint counts against what its lanes can pass.

They run inside the import's write transaction, after the intake lock is taken, so what
they read cannot change before the report is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func, select

from data_access import schema as s
from data_access.ingest import errors as e
from data_access.ingest.types import CODE, REFERENCES
from data_access.ingest.validate import Report, numbers, valid
from data_access.scope import as_date, within_condition
from data_access.vaccination import FINEST_LEVEL

CHUNK = 900  # bound parameters per IN list (SQLite allows 32,766 in all)
# Doses are judged against the target population at the level coverage is shown for.
COVERAGE_LEVEL = FINEST_LEVEL


def chunks(values: Sequence, size: int = CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def known_codes(conn: Connection, reference: str, codes: Iterable[str]) -> set[str]:
    """Which of ``codes`` exist as ``reference`` (a checkpoint, a grid unit, …)."""
    table, level = REFERENCES[reference]
    found: set[str] = set()
    for part in chunks(sorted(set(codes))):
        statement = select(table.c.code).where(table.c.code.in_(part))
        if level is not None:
            statement = statement.where(table.c.level == level)
        found.update(conn.execute(statement).scalars())
    return found


def check_codes(conn: Connection, report: Report) -> None:
    """Add an error for every code the database does not know (once per report)."""
    if report.rows is None or report.codes_checked:
        return
    report.codes_checked = True
    rows = report.rows
    for column in report.report_type.columns:
        if column.kind != CODE:
            continue
        readable = valid(report, column.name)
        known = known_codes(conn, column.reference, rows.loc[readable, column.name])
        unknown = readable & ~rows[column.name].isin(known).to_numpy()
        report.row_errors(unknown, column.name, e.UNKNOWN_CODE, {"kind": column.reference})


def codes_within(conn: Connection, reference: str, codes: Iterable[str], within: str) -> set[str]:
    """Which of ``codes`` (of a ``reference`` kind) stand in the area ``within``."""
    table, _ = REFERENCES[reference]
    inside = within_condition(conn.engine, within)
    if inside is None:  # the whole city
        return set(codes)
    found: set[str] = set()
    for part in chunks(sorted(set(codes))):
        if table is s.area:
            statement = select(s.area.c.code).where(s.area.c.code.in_(part), inside)
        else:
            statement = (
                select(table.c.code).join(s.area, s.area.c.code == table.c.area_code).where(table.c.code.in_(part), inside)
            )
        found.update(conn.execute(statement).scalars())
    return found


def check_unit_area(conn: Connection, report: Report, within: str | None) -> None:
    """An error for every row whose reporting unit lies outside ``within`` (a reporter's
    own area): such a file is refused as a whole."""
    if within is None or report.rows is None or report.report_type is None or report.area_checked:
        return
    report.area_checked = True
    column = report.report_type.column(report.report_type.unit_column)
    readable = valid(report, column.name)
    known = known_codes(conn, column.reference, report.rows.loc[readable, column.name])
    inside = codes_within(conn, column.reference, known, within)
    outside = readable & report.rows[column.name].isin(known).to_numpy() & ~report.rows[column.name].isin(inside).to_numpy()
    report.row_errors(outside, column.name, e.OUTSIDE_AREA, {"kind": column.reference, "area": within})


def retired_on(conn: Connection, reference: str, codes: Iterable[str]) -> dict[str, dt.date]:
    """The day each of ``codes`` stopped taking reports: its own retirement or its area's,
    whichever came first (units never retired are left out)."""
    table, _ = REFERENCES[reference]
    found: dict[str, dt.date] = {}
    for part in chunks(sorted(set(codes))):
        if table is s.area:
            rows = conn.execute(
                select(s.area.c.code, s.area.c.retired_on).where(s.area.c.code.in_(part), s.area.c.retired_on.is_not(None))
            )
        else:
            unit_area = s.area.alias("unit_area")
            rows = conn.execute(
                select(table.c.code, func.min(func.coalesce(table.c.retired_on, unit_area.c.retired_on)))
                .select_from(table.join(unit_area, unit_area.c.code == table.c.area_code))
                .where(table.c.code.in_(part), (table.c.retired_on.is_not(None)) | (unit_area.c.retired_on.is_not(None)))
                .group_by(table.c.code)
            )
        found.update({code: as_date(day) for code, day in rows})
    return found


def check_retired_units(conn: Connection, report: Report) -> None:
    """An error for every row of a unit retired on or before the row's day: a retired unit
    keeps its history but takes no new reports."""
    if report.rows is None or report.report_type is None or "day" not in report.rows:
        return
    column = report.report_type.column(report.report_type.unit_column)
    if column.reference not in REFERENCES:
        return
    readable = valid(report, column.name, "day")
    retired = retired_on(conn, column.reference, report.rows.loc[readable, column.name])
    if not retired:
        return
    since = report.rows[column.name].map(retired)
    days = report.rows["day"]
    mask = readable & since.notna().to_numpy() & (days.where(since.notna()) >= since).fillna(False).to_numpy(dtype=bool)
    report.row_errors(mask, column.name, e.RETIRED_UNIT, lambda i: {"since": str(since.iloc[i])})


def check_against_database(conn: Connection, report: Report, within: str | None = None) -> None:
    """Add to ``report`` the errors only the stored data can reveal."""
    check_codes(conn, report)
    check_unit_area(conn, report, within)
    if report.ok:
        check_retired_units(conn, report)
    if not report.ok:
        return  # the figure rules below would only repeat that a code is unknown
    name = report.report_type.name
    if name == "testing":
        _check_testing_backlog(conn, report)
    elif name == "vaccination":
        _check_cumulative_doses(conn, report)
        _check_site_capacity(conn, report)
        _check_doses_against_population(conn, report)
    elif name in ("checkpoint_hourly", "checkpoint_daily"):
        _check_lane_capacity(conn, report)
    elif name == "isolation_site":
        _check_site_rooms(conn, report)
    if name in STOCKS:
        _check_stock_balance(conn, report, STOCKS[name])


def _check_testing_backlog(conn: Connection, report: Report) -> None:
    """Samples tested ≤ samples collected + the backlog carried in (the site's ``pending``
    the day before: from this file when it has that day, else as stored, else none)."""
    rows = report.rows
    collected, tested = numbers(report, "samples_collected"), numbers(report, "samples_tested")
    over = valid(report, "day", "site_code") & (np.nan_to_num(tested, nan=-1) > np.nan_to_num(collected, nan=np.inf))
    if not over.any():
        return
    previous = rows["day"].map(lambda d: d - dt.timedelta(days=1) if d is not None else None)
    in_file = dict(
        zip(
            zip(rows["site_code"], rows["day"], strict=True),
            pd.to_numeric(rows["pending"], errors="coerce").fillna(0),
            strict=True,
        )
    )
    wanted = [
        (site, day) for site, day, o in zip(rows["site_code"], previous, over, strict=True) if o and (site, day) not in in_file
    ]
    stored: dict[tuple[str, dt.date], float] = {}
    t = s.testing_daily.c
    for day in sorted({d for _, d in wanted}):
        sites = sorted({site for site, d in wanted if d == day})
        for part in chunks(sites):
            for site, pending in conn.execute(select(t.site_code, t.pending).where(t.day == day, t.site_code.in_(part))):
                stored[(site, day)] = pending
    carried = np.array(
        [
            in_file.get((site, day), stored.get((site, day), 0)) if o else 0
            for site, day, o in zip(rows["site_code"], previous, over, strict=True)
        ],
        dtype=float,
    )
    broken = over & (tested > collected + carried)
    report.row_errors(
        broken,
        "samples_tested",
        e.TESTED_ABOVE_COLLECTED,
        lambda i: {"collected": int(collected[i]), "backlog": int(carried[i])},
    )


def _check_cumulative_doses(conn: Connection, report: Report) -> None:
    """Cumulative 2nd doses never above cumulative 1st doses, per area (the street a site
    belongs to) and age group, counting the baseline and every stored day, with this
    file's figures in place of the stored ones for the sites and days it reports.

    Only excesses the file creates or makes worse are errors: an old inconsistency in the
    stored data does not block an unrelated correct report.
    """
    rows = report.rows.loc[valid(report, "day", "site_code", "age_group", "dose_number", "doses")]
    if rows.empty:
        return
    vs, vd, target = s.vaccination_site.c, s.vaccination_daily.c, s.vaccination_target.c
    site_area = {}
    for part in chunks(sorted(set(rows["site_code"]))):
        site_area.update(conn.execute(select(vs.code, vs.area_code).where(vs.code.in_(part))).all())
    rows = rows.assign(area_code=rows["site_code"].map(site_area))
    areas, ages = sorted(set(rows["area_code"])), sorted(set(rows["age_group"]))
    first_day = min(rows["day"])

    stored_parts, replaced_parts = [], []
    for part in chunks(areas):
        stored_parts.append(
            pd.DataFrame(
                conn.execute(
                    select(vs.area_code, vd.age_group, vd.day, vd.dose_number, func.sum(vd.doses))
                    .select_from(s.vaccination_daily.join(s.vaccination_site, vs.code == vd.site_code))
                    .where(vs.area_code.in_(part), vd.age_group.in_(ages), vd.dose_number.in_((1, 2)))
                    .group_by(vs.area_code, vd.age_group, vd.day, vd.dose_number)
                ).all(),
                columns=["area_code", "age_group", "day", "dose_number", "doses"],
            )
        )
    replaced = replaced_doses(conn, set(zip(rows["site_code"], rows["day"], strict=True)))
    replaced = replaced[replaced["dose_number"].isin((1, 2))]
    replaced_parts.append(replaced.assign(area_code=replaced["site_code"].map(site_area)))

    def by_day(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return pd.DataFrame(columns=["area_code", "age_group", "day", 1, 2])
        frame = frame.assign(day=frame["day"].map(as_date), doses=frame["doses"].astype("int64"))
        wide = frame.pivot_table(
            index=["area_code", "age_group", "day"], columns="dose_number", values="doses", aggfunc="sum", fill_value=0
        )
        return wide.reindex(columns=[1, 2], fill_value=0).reset_index()

    stored = by_day(pd.concat(stored_parts, ignore_index=True))
    replaced = by_day(pd.concat(replaced_parts, ignore_index=True) if replaced_parts else pd.DataFrame())
    filed = by_day(rows[rows["dose_number"].isin((1, 2))][["area_code", "age_group", "day", "dose_number", "doses"]])
    key = ["area_code", "age_group", "day"]
    old = stored.set_index(key)[[1, 2]].astype("float64")
    new = old.sub(replaced.set_index(key)[[1, 2]].astype("float64"), fill_value=0).add(
        filed.set_index(key)[[1, 2]].astype("float64"), fill_value=0
    )

    baseline = {}
    for part in chunks(areas):
        for area_code, age, b1, b2 in conn.execute(
            select(target.area_code, target.age_group, target.baseline_dose1, target.baseline_dose2).where(
                target.area_code.in_(part)
            )
        ):
            baseline[(area_code, age)] = (b1, b2)

    def excess(wide: pd.DataFrame) -> pd.DataFrame:
        """Per area, age group and day: cumulative doses 1 and 2 and how far 2 is above 1."""
        wide = wide.sort_index()
        cumulative = wide.groupby(level=["area_code", "age_group"]).cumsum()
        base = np.array([baseline.get((a, g), (0, 0)) for a, g, _ in cumulative.index], dtype=float).reshape(-1, 2)
        cumulative = cumulative.assign(dose1=cumulative[1] + base[:, 0], dose2=cumulative[2] + base[:, 1])
        return cumulative.assign(excess=cumulative["dose2"] - cumulative["dose1"])

    after = excess(new)
    before = excess(old)["excess"].reindex(after.index).fillna(-np.inf)
    affected = set(zip(rows["area_code"], rows["age_group"], strict=True))
    index = after.index.to_frame(index=False)
    worse = (
        (after["excess"].to_numpy() > 0)
        & (after["excess"].to_numpy() > before.to_numpy())
        & (index["day"] >= first_day).to_numpy()
        & np.array([(a, g) in affected for a, g in zip(index["area_code"], index["age_group"], strict=True)], dtype=bool)
    )
    if not worse.any():
        return
    report_rows = report.rows
    area_of_row = report_rows["site_code"].map(site_area)
    blamed: dict[int, dict] = {}
    first_breach = index[worse].assign(dose1=after["dose1"].to_numpy()[worse], dose2=after["dose2"].to_numpy()[worse])
    for (area_code, age), breaches in first_breach.groupby(["area_code", "age_group"], sort=True):
        breach = breaches.sort_values("day").iloc[0]
        candidates = report_rows.index[
            (area_of_row == area_code).to_numpy()
            & (report_rows["age_group"] == age).to_numpy()
            & report_rows["day"].map(lambda d, limit=breach["day"]: d is not None and d <= limit).to_numpy(dtype=bool)
        ]
        dose2_rows = [i for i in candidates if report_rows.at[i, "dose_number"] == 2]
        culprit = (dose2_rows or list(candidates) or [report_rows.index[0]])[-1]
        blamed[report_rows.index.get_loc(culprit)] = {
            "area": area_code,
            "age_group": age,
            "day": breach["day"].isoformat(),
            "dose1": int(breach["dose1"]),
            "dose2": int(breach["dose2"]),
        }
    mask = np.zeros(len(report_rows), dtype=bool)
    mask[list(blamed)] = True
    report.row_errors(mask, "doses", e.DOSE2_ABOVE_DOSE1, lambda i: blamed[i])


def replaced_doses(conn: Connection, keys: set[tuple[str, dt.date]]) -> pd.DataFrame:
    """The stored vaccination rows a report replaces: every row of its (site, day) keys."""
    vd = s.vaccination_daily.c
    columns = ["site_code", "day", "age_group", "dose_number", "doses"]
    days = sorted({day for _, day in keys})
    parts = [pd.DataFrame(columns=columns)]
    for part in chunks(sorted({site for site, _ in keys})):
        found = pd.DataFrame(
            conn.execute(
                select(vd.site_code, vd.day, vd.age_group, vd.dose_number, vd.doses).where(
                    vd.site_code.in_(part), vd.day.in_(days)
                )
            ).all(),
            columns=columns,
        )
        found = found.assign(day=found["day"].map(as_date))
        parts.append(found.loc[np.array([key in keys for key in zip(found["site_code"], found["day"], strict=True)], dtype=bool)])
    result = pd.concat(parts, ignore_index=True)
    return result.astype({"dose_number": "int64", "doses": "int64"})


def _whole(value: float) -> int | float:
    """A limit as the reason shows it: a whole number when it is one."""
    return int(value) if float(value).is_integer() else round(float(value), 2)


def _check_site_capacity(conn: Connection, report: Report) -> None:
    """Doses a site gives in a day — the file's rows for that site and day, every age group
    and dose number, which replace what is stored — at most its declared daily capacity ×
    ``doses_capacity_factor``. The row where the day's running total passes the limit is
    named. Sites declaring no capacity (0) are not judged."""
    ok = valid(report, "day", "site_code", "doses")
    if not ok.any():
        return
    factor = report.settings.doses_capacity_factor
    rows = report.rows.loc[ok, ["site_code", "day"]].assign(doses=numbers(report, "doses")[ok])
    vs = s.vaccination_site.c
    capacity: dict[str, int] = {}
    for part in chunks(sorted(set(rows["site_code"]))):
        capacity.update(conn.execute(select(vs.code, vs.daily_capacity).where(vs.code.in_(part))).all())
    by_site_day = rows.groupby(["site_code", "day"], sort=False)["doses"]
    total, running = by_site_day.transform("sum"), by_site_day.cumsum()
    declared = rows["site_code"].map(capacity).astype(float)
    limit = declared * factor
    crossing = ((declared > 0) & (total > limit) & (running > limit) & (running - rows["doses"] <= limit)).to_numpy()
    if not crossing.any():
        return
    mask = np.zeros(len(report.rows), dtype=bool)
    mask[np.flatnonzero(ok)[crossing]] = True
    at = pd.Series(np.arange(len(rows)), index=np.flatnonzero(ok))
    report.row_errors(
        mask,
        "doses",
        e.DOSES_ABOVE_CAPACITY,
        lambda i: {
            "site": rows["site_code"].iloc[at[i]],
            "day": rows["day"].iloc[at[i]].isoformat(),
            "doses": int(total.iloc[at[i]]),
            "capacity": int(declared.iloc[at[i]]),
            "factor": _whole(factor),
            "limit": _whole(limit.iloc[at[i]]),
        },
    )


def _check_doses_against_population(conn: Connection, report: Report) -> None:
    """Per area at the coverage level (a district), age group and dose number: cumulative
    doses (baseline + every stored
    day, this file's figures in place of the ones it replaces) never above the target
    population — coverage above 100 % — on any day from the file's first day on.

    Judged at the finest level coverage is shown for (``vaccination.FINEST_LEVEL``, the
    district), as the page shows it: people are vaccinated
    at sites outside their own street, so a street's doses may well pass its residents.
    Districts without a target population for the age group are not judged. Like the 2nd
    doses check, only excesses the file creates or worsens count.
    """
    rows = report.rows.loc[valid(report, "day", "site_code", "age_group", "dose_number", "doses")]
    if rows.empty:
        return
    site_days = set(zip(rows["site_code"], rows["day"], strict=True))  # replaced whole, every age group
    vs, vd, tg, a = s.vaccination_site.c, s.vaccination_daily.c, s.vaccination_target.c, s.area.c
    level = s.LEVEL_COLUMN[COVERAGE_LEVEL]  # the area column of that level: district_code
    district_of: dict[str, str | None] = {}
    for part in chunks(sorted(set(rows["site_code"]))):
        district_of.update(
            conn.execute(
                select(vs.code, a[level])
                .select_from(s.vaccination_site.join(s.area, a.code == vs.area_code))
                .where(vs.code.in_(part))
            ).all()
        )
    rows = rows.assign(
        district=rows["site_code"].map(district_of),
        dose_number=rows["dose_number"].astype("int64"),
        doses=pd.to_numeric(rows["doses"]).astype("int64"),
    )
    rows = rows[rows["district"].notna()]
    if rows.empty:
        return
    districts, ages = sorted(set(rows["district"])), sorted(set(rows["age_group"]))

    target_area = s.area.alias("target_area")
    targets = []
    for part in chunks(districts):
        targets += conn.execute(
            select(
                target_area.c[level],
                tg.age_group,
                func.sum(tg.population),
                func.sum(tg.baseline_dose1),
                func.sum(tg.baseline_dose2),
                func.sum(tg.baseline_dose3),
            )  # fmt: skip
            .select_from(s.vaccination_target.join(target_area, target_area.c.code == tg.area_code))
            .where(target_area.c[level].in_(part), tg.age_group.in_(ages))
            .group_by(target_area.c[level], tg.age_group)
        ).all()
    population = {(d, g): int(p or 0) for d, g, p, *_ in targets}
    baseline = {(d, g, n): int(b or 0) for d, g, _, *bases in targets for n, b in zip((1, 2, 3), bases, strict=True)}
    rows = rows[[population.get(k, 0) > 0 for k in zip(rows["district"], rows["age_group"], strict=True)]]
    if rows.empty:
        return

    key = ["district", "age_group", "dose_number", "day"]
    stored_parts = [pd.DataFrame(columns=key + ["doses"])]
    for part in chunks(sorted(set(rows["district"]))):
        stored_parts.append(
            pd.DataFrame(
                conn.execute(
                    select(a[level], vd.age_group, vd.dose_number, vd.day, func.sum(vd.doses))
                    .select_from(
                        s.vaccination_daily.join(s.vaccination_site, vs.code == vd.site_code).join(s.area, a.code == vs.area_code)
                    )
                    .where(a[level].in_(part), vd.age_group.in_(sorted(set(rows["age_group"]))))
                    .group_by(a[level], vd.age_group, vd.dose_number, vd.day)
                ).all(),
                columns=key + ["doses"],
            )
        )
    replaced = replaced_doses(conn, site_days)
    replaced = replaced.assign(district=replaced["site_code"].map(district_of))

    def summed(frame: pd.DataFrame) -> pd.Series:
        frame = frame.assign(
            day=frame["day"].map(as_date),
            dose_number=frame["dose_number"].astype("int64"),
            doses=frame["doses"].astype("float64"),
        )
        return frame.groupby(key)["doses"].sum()

    old = summed(pd.concat(stored_parts, ignore_index=True))
    index = old.index.union(summed(rows).index).sort_values()
    old = old.reindex(index, fill_value=0.0)
    new = (
        old.sub(summed(replaced[key + ["doses"]]), fill_value=0)
        .add(summed(rows[key + ["doses"]]), fill_value=0)
        .reindex(index, fill_value=0.0)
    )
    groups = ["district", "age_group", "dose_number"]
    group_keys = list(zip(*(index.get_level_values(g) for g in groups), strict=True))
    base = np.array([baseline.get(k, 0) for k in group_keys], dtype=float)
    limit = np.array([population.get(k[:2], 0) for k in group_keys], dtype=float)
    before = old.groupby(level=groups).cumsum().to_numpy() + base
    after = new.groupby(level=groups).cumsum().to_numpy() + base
    days = index.get_level_values("day")
    filed = set(zip(rows["district"], rows["age_group"], rows["dose_number"], strict=True))
    worse = (
        (limit > 0)
        & (after > limit)
        & (after > before)
        & np.array([d >= min(rows["day"]) for d in days], dtype=bool)
        & np.array([k in filed for k in group_keys], dtype=bool)
    )
    if not worse.any():
        return
    blamed: dict[int, dict] = {}
    position = {label: i for i, label in enumerate(report.rows.index)}
    seen: set[tuple] = set()
    for i in np.flatnonzero(worse):  # in index order: each group's first day over comes first
        group = group_keys[i]
        if group in seen:
            continue
        seen.add(group)
        district, age, dose = group
        candidates = rows[
            (rows["district"] == district) & (rows["age_group"] == age) & (rows["dose_number"] == dose) & (rows["day"] <= days[i])
        ]
        culprit = candidates.sort_values("day", kind="stable").index[-1] if not candidates.empty else rows.index[0]
        blamed[position[culprit]] = {
            "area": district,
            "age_group": age,
            "dose": int(dose),
            "day": days[i].isoformat(),
            "doses": int(after[i]),
            "population": int(limit[i]),
        }
    mask = np.zeros(len(report.rows), dtype=bool)
    mask[list(blamed)] = True
    report.row_errors(mask, "doses", e.DOSES_ABOVE_POPULATION, lambda i: blamed[i])


def _check_lane_capacity(conn: Connection, report: Report) -> None:
    """People and vehicles checked at most the checkpoint's lanes × the configured maximum
    per lane-hour × the hours the row covers (an hourly row 1, a daily row its staffed
    hours). Checkpoints declaring no lanes are not judged."""
    rows = report.rows
    cp = s.checkpoint.c
    lanes: dict[str, int] = {}
    for part in chunks(sorted(set(rows.loc[valid(report, "checkpoint_code"), "checkpoint_code"]))):
        lanes.update(conn.execute(select(cp.code, cp.lanes).where(cp.code.in_(part))).all())
    declared = rows["checkpoint_code"].map(lanes).astype(float).to_numpy()
    daily = report.report_type.name == "checkpoint_daily"
    hours = numbers(report, "staffed_hours") if daily else np.ones(len(rows))
    settings = report.settings
    for measure, code, per_lane in (
        ("people", e.PEOPLE_ABOVE_LANES, settings.max_people_per_lane_hour),
        ("vehicles", e.VEHICLES_ABOVE_LANES, settings.max_vehicles_per_lane_hour),
    ):
        values = numbers(report, measure)
        limit = declared * per_lane * hours
        broken = (
            valid(report, measure, "checkpoint_code", *(["staffed_hours"] if daily else []))
            & (np.nan_to_num(declared) > 0)
            & (np.nan_to_num(values, nan=-1) > np.nan_to_num(limit, nan=np.inf))
        )
        report.row_errors(
            broken,
            measure,
            code,
            lambda i, per_lane=per_lane, limit=limit: {
                "lanes": int(declared[i]),
                "per_lane_hour": per_lane,
                "hours": _whole(hours[i]),
                "limit": int(limit[i]),
            },
        )


# ------------------------------------------------------------------ stocks carried from day to day
@dataclass(frozen=True)
class Stock:
    """A figure held at the day's end that the next day carries on: stock = the day
    before's stock + ``added`` − ``removed``, per row key (the report's key without the day)."""

    stock: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


STOCKS = {
    "isolation_people": Stock("held", ("new_in",), ("released",)),
    "isolation_site": Stock("people", ("new_in",), ("released",)),
    "inspection": Stock("open_problems", ("problems_found",), ("fixed_on_time", "fixed_late")),
}


def _check_stock_balance(conn: Connection, report: Report, stock: Stock) -> None:
    """Each row's stock is the day before's + added − removed, where the day before is
    known: the unit's report for it in this file, else the one stored (a row of the unit
    that day, or its submission: a key without a row that day held nothing). A key the
    unit's report of the day before has no row for started from nothing."""
    report_type = report.report_type
    unit, key = report_type.unit_column, [c for c in report_type.key if c != "day"]
    figures = [stock.stock, *stock.added, *stock.removed]
    ok = valid(report, "day", *key, *figures)
    rows = report.rows.loc[ok, ["day", *key]].assign(**{c: numbers(report, c)[ok] for c in figures})
    if rows.empty:
        return
    rows["before"] = rows["day"].map(lambda d: d - dt.timedelta(days=1))
    filed_days = set(zip(rows[unit], rows["day"], strict=True))
    filed = rows.set_index(["day", *key])[stock.stock]
    wanted = {(u, d) for u, d in zip(rows[unit], rows["before"], strict=True) if (u, d) not in filed_days}
    table = report_type.table
    stored: dict[tuple, float] = {}
    reported: set[tuple] = set()
    sub = s.report_submission.c
    for day in sorted({d for _, d in wanted}):
        units = sorted({u for u, d in wanted if d == day})
        for part in chunks(units):
            for row in conn.execute(
                select(*[table.c[c] for c in key], table.c[stock.stock]).where(table.c.day == day, table.c[unit].in_(part))
            ):
                stored[(day, *row[:-1])] = row[-1]
                reported.add((row[key.index(unit)], day))
            submitted = select(sub.unit_code).where(
                sub.report_type == report_type.submission_type, sub.day == day, sub.unit_code.in_(part)
            )
            reported.update((u, day) for u in conn.execute(submitted).scalars())

    def previous(row) -> float:
        if (row[unit], row["before"]) in filed_days:
            return float(filed.get((row["before"], *[row[c] for c in key]), 0))
        if (row[unit], row["before"]) in reported:
            return float(stored.get((row["before"], *[row[c] for c in key]), 0))
        return np.nan

    before = rows.apply(previous, axis=1).to_numpy(dtype=float)
    added = sum(rows[c].to_numpy() for c in stock.added)
    removed = sum(rows[c].to_numpy() for c in stock.removed)
    expected = before + added - removed
    broken = np.zeros(len(report.rows), dtype=bool)
    broken[np.flatnonzero(ok)] = ~np.isnan(before) & (rows[stock.stock].to_numpy() != expected)
    at = pd.Series(np.arange(len(rows)), index=np.flatnonzero(ok))
    report.row_errors(
        broken,
        stock.stock,
        e.STOCK_MISMATCH,
        lambda i: {
            "previous": int(before[at[i]]),
            "added": int(added[at[i]]),
            "removed": int(removed[at[i]]),
            "expected": int(expected[at[i]]),
        },
    )


def _check_site_rooms(conn: Connection, report: Report) -> None:
    """Rooms occupied at most the site's rooms (people above them share rooms: flagged on
    the dashboard as a single-room breach, not refused)."""
    ok = valid(report, "site_code", "rooms_occupied")
    site = s.isolation_site.c
    rooms: dict[str, int] = {}
    for part in chunks(sorted(set(report.rows.loc[ok, "site_code"]))):
        rooms.update(conn.execute(select(site.code, site.rooms).where(site.code.in_(part))).all())
    declared = report.rows["site_code"].map(rooms).astype(float).to_numpy()
    occupied = numbers(report, "rooms_occupied")
    broken = ok & (np.nan_to_num(occupied, nan=-1) > np.nan_to_num(declared, nan=np.inf))
    report.row_errors(broken, "rooms_occupied", e.ROOMS_ABOVE_CAPACITY, lambda i: {"rooms": int(declared[i])})
