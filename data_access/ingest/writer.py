"""Writing checked reports: all or nothing, replacing earlier figures, recording history.

Each import runs in one transaction that first takes the intake lock (SQLite:
``BEGIN IMMEDIATE``, which waits on the busy timeout; PostgreSQL: a transaction-scoped
advisory lock; MySQL: ``GET_LOCK``, held by the session until the import ends), so
concurrent imports are applied one after the other and none is lost.
A report replaces the stored figures of every (unit, day) it covers (delete those keys,
insert the file's rows), keeps the roll-ups in step and records a submission per unit
and day, the 零报告 included. Every attempt, accepted or not, gets a report_import row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Column, Connection, Engine, MetaData, Table, delete, func, insert, select, text, tuple_

from data_access import audit, rollups
from data_access import schema as s
from data_access.bulk import bulk_insert
from data_access.ingest import errors as e
from data_access.ingest.against_database import CHUNK, check_against_database, check_codes, check_unit_area, chunks
from data_access.ingest.types import TEXT_KINDS, ReportType
from data_access.ingest.validate import ROW, Report, parse_report
from data_access.mysql import intake_lock as mysql_intake_lock
from data_access.mysql import is_mysql
from data_access.scope import as_date, resolve_engine, run
from data_access.settings import IntakeSettings
from data_access.sqlite_file import check_database_file

ACCEPTED, REJECTED = "accepted", "rejected"
# PostgreSQL statements of an import may wait this long for the intake lock (the
# connection's default statement_timeout is meant for page queries, not for waiting).
LOCK_WAIT = "300s"


@dataclass
class ImportOutcome:
    """What became of one file."""

    file_name: str
    sha256: str
    report_type: str | None
    outcome: str
    rows: int = 0  # rows accepted
    errors: list[e.IntakeError] = field(default_factory=list)
    error_count: int = 0
    import_id: int | None = None
    units: int = 0  # reporting units covered (submissions recorded)
    days: list[dt.date] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.outcome == ACCEPTED


@contextmanager
def intake_transaction(engine: Engine, commit: bool = True):
    """A connection in a transaction holding the intake lock; committed when the block
    ends (rolled back instead when not ``commit``: a dry run)."""
    with engine.connect() as conn, _intake_lock(conn):
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        if commit:
            # SQLite: the file deleted or replaced meanwhile would take this import with it.
            check_database_file(conn)
            conn.commit()
        else:
            conn.rollback()


@contextmanager
def _intake_lock(conn: Connection):
    """Hold the intake lock for the block: for the transaction on SQLite and PostgreSQL, for
    the session on MySQL (released at the end, also when the import fails)."""
    if is_mysql(conn):
        with mysql_intake_lock(conn):
            yield
        return
    if conn.dialect.name == "sqlite":
        # Take the write lock now: a read-then-write transaction could otherwise fail
        # with "database is locked" at its first write instead of waiting its turn.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = '{LOCK_WAIT}'")
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.report_intake'))"))
    yield


def import_reports(
    files: Sequence[tuple[str, bytes]],
    *,
    user: str,
    engine: Engine | None = None,
    report_type: str | None = None,
    together: bool = False,
    today: dt.date | None = None,
    settings: IntakeSettings | None = None,
    dry_run: bool = False,
    within: str | None = None,
) -> list[ImportOutcome]:
    """Check and import ``files`` ((name, bytes) pairs) as ``user``, who may report only
    for units inside the area ``within`` (None: any unit).

    Each file is its own transaction unless ``together``, when the files are one batch:
    all are written or none is. ``dry_run`` does everything but commit (and records no
    history). Raises DatabaseUnavailable when the database is down.
    """
    engine = resolve_engine(engine)
    reports = [parse_report(name, data, report_type, today=today, settings=settings) for name, data in files]
    who = Importer((user or "").strip()[:100] or "?", within)
    if together:
        outcomes = run(lambda: _import_batch(engine, reports, who, dry_run))
    else:
        outcomes = [run(lambda report=report: _import_one(engine, report, who, dry_run)) for report in reports]
    if dry_run:
        for outcome in outcomes:
            outcome.import_id = None  # the history row was rolled back with the rest
    return outcomes


@dataclass(frozen=True)
class Importer:
    """Who imports (as the history names them) and the area they may report for."""

    name: str
    within: str | None


def _import_one(engine: Engine, report: Report, user: Importer, dry_run: bool) -> ImportOutcome:
    if report.ok:
        with intake_transaction(engine, commit=not dry_run) as conn:
            check_against_database(conn, report, user.within)
            if report.ok:
                return _write(conn, report, user, _now())
            conn.rollback()
    with intake_transaction(engine, commit=not dry_run) as conn:
        check_codes(conn, report)  # a rejected file gets all its errors at once, unknown codes too
        check_unit_area(conn, report, user.within)
        return _record(conn, report, user, _now(), REJECTED)


def _import_batch(engine: Engine, reports: list[Report], user: Importer, dry_run: bool) -> list[ImportOutcome]:
    if all(r.ok for r in reports):
        with intake_transaction(engine, commit=not dry_run) as conn:
            now = _now()
            outcomes = []
            for report in reports:
                check_against_database(conn, report, user.within)
                if not report.ok:
                    break
                outcomes.append(_write(conn, report, user, now))
            else:
                return outcomes
            conn.rollback()
    for report in reports:
        if report.ok:
            report.file_error(e.BATCH_REJECTED)
    with intake_transaction(engine, commit=not dry_run) as conn:
        now = _now()
        for report in reports:
            check_codes(conn, report)
            check_unit_area(conn, report, user.within)
        return [_record(conn, report, user, now, REJECTED) for report in reports]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _record(conn: Connection, report: Report, user: Importer, now: dt.datetime, outcome: str) -> ImportOutcome:
    """The report_import row of an attempt (the history keeps every one) and its audit event."""
    errors = report.errors
    accepted_rows = len(report.rows) if outcome == ACCEPTED else 0
    import_id = conn.execute(
        insert(s.report_import).values(
            imported_at=now,  # aware UTC: SQLite keeps its UTC clock time, PostgreSQL the instant
            file_name=report.file_name[:255],
            sha256=report.sha256,
            report_type=report.report_type.name if report.report_type else "unknown",
            rows_accepted=accepted_rows,
            imported_by=user.name,
            area_code=user.within,
            outcome=outcome,
            errors=json.dumps([err.to_json() for err in errors], ensure_ascii=False) if errors else None,
        )
    ).inserted_primary_key[0]  # no INSERT … RETURNING on MySQL
    audit.record(
        user.name,
        audit.IMPORT,
        outcome=audit.OK if outcome == ACCEPTED else audit.REFUSED,
        area_code=user.within,
        detail=f"import {import_id}: {report.file_name[:200]} ({accepted_rows} rows{'' if outcome == ACCEPTED else f', {report.error_count} errors'})",
        conn=conn,
    )
    return ImportOutcome(
        file_name=report.file_name,
        sha256=report.sha256,
        report_type=report.report_type.name if report.report_type else None,
        outcome=outcome,
        rows=accepted_rows,
        errors=errors,
        error_count=report.error_count,
        import_id=import_id,
    )


# ------------------------------------------------------------------ writing the figures
def _write(conn: Connection, report: Report, user: Importer, now: dt.datetime) -> ImportOutcome:
    outcome = _record(conn, report, user, now, ACCEPTED)
    report_type = report.report_type
    rows = report.rows.drop(columns=[ROW])
    keys = rows[list(report_type.replace_key)].drop_duplicates()
    name = report_type.name
    # The detail table whose area roll-ups the report changes (a daily checkpoint report
    # deletes hours), and its days already marked before this import wrote anything.
    detail = s.checkpoint_hourly if name in ("checkpoint_hourly", "checkpoint_daily") else report_type.table
    marked_before = rollups.marked_days(conn, detail)
    if name in ("checkpoint_hourly", "checkpoint_daily"):
        # An hourly report replaces a daily one for the same checkpoint and day, and back.
        delete_keys(conn, s.checkpoint_hourly, keys)
        delete_keys(conn, s.checkpoint_daily, keys)
        if name == "checkpoint_hourly":
            bulk_insert(conn, s.checkpoint_hourly, _typed(report_type, rows))
            daily = rows.groupby(["day", "checkpoint_code"], as_index=False, sort=False).agg(
                **{c: (c, "sum") for c in s.CHECKPOINT_COUNTS}, staffed_hours=("hour", "count")
            )
            bulk_insert(conn, s.checkpoint_daily, _typed(report_type, daily))
        else:
            bulk_insert(conn, s.checkpoint_daily, _typed(report_type, rows))
    elif name == "testing":
        touched_labs = _stored_lab_days(conn, keys) | set(zip(rows["lab_code"], rows["day"], strict=True))
        delete_keys(conn, s.testing_daily, keys)
        bulk_insert(conn, s.testing_daily, _typed(report_type, rows))
        _refresh_lab_daily(conn, touched_labs)
    else:
        delete_keys(conn, report_type.table, keys)
        bulk_insert(conn, report_type.table, _typed(report_type, rows))
    units = _record_submissions(conn, report_type, rows, outcome.import_id, now)
    # The import pays for bringing the area roll-ups up to date, not the next page view:
    # the rows above its own units and days, then any day someone else had marked.
    rollups.refresh_written(conn, detail, rows[report_type.unit_column], rows["day"], marked_before)
    rollups.refresh_pending(conn)
    outcome.units = units
    outcome.days = sorted(set(rows["day"]))
    return outcome


def _typed(report_type: ReportType, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with database-ready dtypes (whole numbers as int64, hours as float)."""
    out = rows.copy()
    kinds = {c.name: c.kind for c in report_type.columns}
    for column in out.columns:
        if kinds.get(column) in TEXT_KINDS or column.endswith("_code"):
            continue
        if column.startswith("turnaround"):
            out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
        else:
            out[column] = pd.to_numeric(out[column]).astype("int64")
    return out


def delete_keys(conn: Connection, table, keys: pd.DataFrame) -> None:
    """Delete ``table``'s rows whose key columns (``keys``' columns) equal one of ``keys``' rows.

    The keys are joined on an index that begins with their columns (in its order), so the
    cost follows the rows replaced, not the size of the table. PostgreSQL: one statement
    joining the keys sent as arrays (a long row-value IN list makes it scan the table).
    SQLite: the keys in a temporary table and ``(a, b) IN (SELECT a, b FROM keys)``, which
    SQLite answers by one index probe per key (a row-value ``IN (VALUES …)`` list read the
    whole table once per chunk: 9 of the 11.5 s of a 100,000-row report into the city).
    MySQL: a row-value IN list per chunk of keys, which it answers by index ranges.
    """
    if keys.empty:
        return
    columns = _index_order(table, list(keys.columns))
    if conn.dialect.name == "postgresql":
        # Identifiers come from the schema, never from a file; the keys are bound arrays.
        arrays = ", ".join(f"CAST(:k{i} AS {_PG_ARRAY[type(table.c[c].type).__name__]})" for i, c in enumerate(columns))
        names = ", ".join(f"k{i}" for i in range(len(columns)))
        match = " AND ".join(f't."{c}" = keys.k{i}' for i, c in enumerate(columns))
        statement = text(f'DELETE FROM "{table.name}" AS t USING unnest({arrays}) AS keys({names}) WHERE {match}')
        conn.execute(statement, {f"k{i}": keys[c].tolist() for i, c in enumerate(columns)})
        return
    target = tuple_(*[table.c[c] for c in columns])
    values = list(keys[columns].itertuples(index=False, name=None))
    if conn.dialect.name == "sqlite":
        with _temporary_keys(conn, table, columns, values) as stored:
            conn.execute(delete(table).where(target.in_(select(*stored.c))))
        return
    per_statement = max(1, CHUNK // len(columns))
    for part in chunks(values, per_statement):
        conn.execute(delete(table).where(target.in_(part)))


@contextmanager
def _temporary_keys(conn: Connection, table, columns: list[str], values: list[tuple]):
    """A temporary table (SQLite) holding ``values`` of ``table``'s ``columns``, for the
    block; created and dropped inside the import's transaction, so a rollback leaves none."""
    keys = Table(
        f"intake_keys_{table.name}",
        MetaData(),
        *[Column(c, table.c[c].type, primary_key=True) for c in columns],
        prefixes=["TEMPORARY"],
    )
    conn.exec_driver_sql(f'DROP TABLE IF EXISTS temp."{keys.name}"')
    keys.create(conn)
    conn.execute(insert(keys).prefix_with("OR IGNORE"), [dict(zip(columns, row, strict=True)) for row in values])
    yield keys
    keys.drop(conn)


_PG_ARRAY = {"String": "text[]", "Date": "date[]", "SmallInteger": "smallint[]", "Integer": "integer[]"}


def _index_order(table, columns: list[str]) -> list[str]:
    """``columns`` in the order of the table's primary key or an index that begins with them."""
    orders = [[c.name for c in table.primary_key.columns], *[[c.name for c in index.columns] for index in table.indexes]]
    for order in orders:
        if set(order[: len(columns)]) == set(columns):
            return order[: len(columns)]
    return columns


def _stored_lab_days(conn: Connection, keys: pd.DataFrame) -> set[tuple[str, dt.date]]:
    t = s.testing_daily.c
    found = set()
    for day, group in keys.groupby("day"):
        for part in chunks(sorted(set(group["site_code"]))):
            found.update(conn.execute(select(t.lab_code, t.day).where(t.day == day, t.site_code.in_(part)).distinct()).all())
    return {(lab, as_date(day)) for lab, day in found}


def _refresh_lab_daily(conn: Connection, lab_days: set[tuple[str, dt.date]]) -> None:
    """Tubes a lab tested on a day = Σ samples tested ÷ pooled ratio over its sites' rows
    (as the sample generator computes it); the day's capacity is kept when known."""
    t, ld, lab = s.testing_daily.c, s.lab_daily.c, s.lab.c
    by_day: dict[dt.date, set[str]] = {}
    for lab_code, day in lab_days:
        by_day.setdefault(day, set()).add(lab_code)
    for day, labs in sorted(by_day.items()):
        for part in chunks(sorted(labs)):
            tubes = dict(
                conn.execute(
                    select(t.lab_code, func.sum(t.samples_tested * 1.0 / t.pooled_ratio))
                    .where(t.day == day, t.lab_code.in_(part))
                    .group_by(t.lab_code)
                ).all()
            )
            capacity = dict(conn.execute(select(lab.code, lab.daily_capacity_tubes).where(lab.code.in_(part))).all())
            capacity.update(
                conn.execute(select(ld.lab_code, ld.capacity_tubes).where(ld.day == day, ld.lab_code.in_(part))).all()
            )
            conn.execute(delete(s.lab_daily).where(ld.day == day, ld.lab_code.in_(part)))
            conn.execute(
                insert(s.lab_daily),
                [
                    {
                        "day": day,
                        "lab_code": code,
                        "tubes_tested": int(round(float(tubes.get(code) or 0))),
                        "capacity_tubes": int(capacity.get(code, 0)),
                    }
                    for code in part
                ],
            )


def _record_submissions(conn: Connection, report_type: ReportType, rows: pd.DataFrame, import_id: int, now: dt.datetime) -> int:
    """One report_submission per reporting unit and day in the file (replacing an earlier one)."""
    units = rows[[report_type.unit_column, "day"]].drop_duplicates().rename(columns={report_type.unit_column: "unit_code"})
    if report_type.submission_type == "grid":
        # A community reports for its grid units: the submission is the community's.
        community = {}
        a = s.area.c
        for part in chunks(sorted(set(units["unit_code"]))):
            community.update(conn.execute(select(a.code, a.community_code).where(a.code.in_(part))).all())
        units = units.assign(unit_code=units["unit_code"].map(community)).dropna().drop_duplicates()
    submissions = units.assign(report_type=report_type.submission_type, import_id=import_id, reported_at=pd.Timestamp(now))
    existing = submissions[["report_type", "unit_code", "day"]]
    delete_keys(conn, s.report_submission, existing)
    bulk_insert(conn, s.report_submission, submissions[["report_type", "unit_code", "day", "import_id", "reported_at"]])
    return int(submissions["unit_code"].nunique())
