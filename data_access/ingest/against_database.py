"""The checks that need what is already stored: codes that must exist, the testing
backlog carried from the day before, and cumulative doses (baseline + every day so far).

They run inside the import's write transaction, after the intake lock is taken, so what
they read cannot change before the report is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func, select

from data_access import schema as s
from data_access.ingest import errors as e
from data_access.ingest.cells import as_date
from data_access.ingest.types import CODE, REFERENCES
from data_access.ingest.validate import Report, numbers, valid
from data_access.scope import within_condition

CHUNK = 900  # bound parameters per IN list (SQLite allows 32,766 in all)


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
            statement = select(table.c.code).join(s.area, s.area.c.code == table.c.area_code).where(table.c.code.in_(part), inside)
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
            rows = conn.execute(select(s.area.c.code, s.area.c.retired_on).where(s.area.c.code.in_(part), s.area.c.retired_on.is_not(None)))
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
    if report.report_type.name == "testing":
        _check_testing_backlog(conn, report)
    elif report.report_type.name == "vaccination":
        _check_cumulative_doses(conn, report)


def _check_testing_backlog(conn: Connection, report: Report) -> None:
    """Samples tested ≤ samples collected + the backlog carried in (the site's ``pending``
    the day before: from this file when it has that day, else as stored, else none)."""
    rows = report.rows
    collected, tested = numbers(report, "samples_collected"), numbers(report, "samples_tested")
    over = valid(report, "day", "site_code") & (np.nan_to_num(tested, nan=-1) > np.nan_to_num(collected, nan=np.inf))
    if not over.any():
        return
    previous = rows["day"].map(lambda d: d - dt.timedelta(days=1) if d is not None else None)
    in_file = dict(zip(zip(rows["site_code"], rows["day"], strict=True), pd.to_numeric(rows["pending"], errors="coerce").fillna(0), strict=True))
    wanted = [(site, day) for site, day, o in zip(rows["site_code"], previous, over, strict=True) if o and (site, day) not in in_file]
    stored: dict[tuple[str, dt.date], float] = {}
    t = s.testing_daily.c
    for day in sorted({d for _, d in wanted}):
        sites = sorted({site for site, d in wanted if d == day})
        for part in chunks(sites):
            for site, pending in conn.execute(select(t.site_code, t.pending).where(t.day == day, t.site_code.in_(part))):
                stored[(site, day)] = pending
    carried = np.array(
        [in_file.get((site, day), stored.get((site, day), 0)) if o else 0 for site, day, o in zip(rows["site_code"], previous, over, strict=True)],
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
    report_keys = set(zip(rows["site_code"], rows["day"], strict=True))
    for part in chunks(sorted({site for site, _ in report_keys})):
        found = pd.DataFrame(
            conn.execute(
                select(vd.site_code, vd.day, vd.age_group, vd.dose_number, vd.doses).where(
                    vd.site_code.in_(part), vd.day.in_(sorted({d for _, d in report_keys})), vd.dose_number.in_((1, 2))
                )
            ).all(),
            columns=["site_code", "day", "age_group", "dose_number", "doses"],
        )
        found = found.loc[np.array([(site, as_date(day)) in report_keys for site, day in zip(found["site_code"], found["day"], strict=True)], dtype=bool)]
        replaced_parts.append(found.assign(area_code=found["site_code"].map(site_area)))

    def by_day(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return pd.DataFrame(columns=["area_code", "age_group", "day", 1, 2])
        frame = frame.assign(day=frame["day"].map(as_date), doses=frame["doses"].astype("int64"))
        wide = frame.pivot_table(index=["area_code", "age_group", "day"], columns="dose_number", values="doses", aggfunc="sum", fill_value=0)
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
            select(target.area_code, target.age_group, target.baseline_dose1, target.baseline_dose2).where(target.area_code.in_(part))
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

