"""Master-data files as the daily reports' are treated: read within the intake's limits,
checked and written all or nothing under the intake lock, and every attempt in the import
history and the audit log (who, when, which file by its SHA-256, how many rows, or why it
was refused)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, Engine, insert

from data_access import audit
from data_access import schema as s
from data_access.ingest import errors as e
from data_access.ingest.reading import RawTable, UnreadableFile, read_table
from data_access.ingest.writer import intake_transaction
from data_access.scope import clear_area_cache, resolve_engine, run


def too_large(data: bytes, rows: int | None = None) -> e.IntakeError | None:
    """The daily reports' limits (dashboard.toml [intake]) hold for master data too: a file
    larger than max_file_mb is refused unread, one with more than max_rows rows unchecked."""
    from data_access.settings import intake_settings

    settings = intake_settings()
    if len(data) > settings.max_file_bytes:
        return e.IntakeError(
            e.FILE_TOO_LARGE, "", fields={"size_mb": round(len(data) / 1024 / 1024, 1), "limit_mb": settings.max_file_mb}
        )
    if rows is not None and rows > settings.max_rows:
        return e.IntakeError(e.TOO_MANY_ROWS, "", fields={"n": rows, "limit": settings.max_rows})
    return None


@dataclass
class MasterImport:
    """What became of a master-data file: rows accepted, rows added and changed, or errors."""

    file_name: str
    kind: str
    accepted: bool
    rows: int = 0
    added: int = 0
    changed: int = 0
    errors: list[e.IntakeError] = field(default_factory=list)
    import_id: int | None = None


def import_master_file(
    master_file,
    *,
    kind: str,
    check: Callable,
    write: Callable,
    user: str,
    engine: Engine | None = None,
    within: str | None = None,
    dry_run: bool = False,
) -> MasterImport:
    """Check ``master_file`` (a read file with ``file_name``, ``data``, ``rows``, ``errors``,
    ``ok``) with ``check(conn, file, within) -> stored`` and, when nothing is wrong, write it
    with ``write(conn, file, stored) -> (added, changed)``: all in one transaction holding the
    intake lock, recorded whatever the outcome."""
    master_file = replace(master_file, errors=list(master_file.errors))  # a dry run, then the import: errors once each
    engine = resolve_engine(engine)

    def _import() -> MasterImport:
        with intake_transaction(engine, commit=not dry_run) as conn:
            stored = check(conn, master_file, within) if master_file.rows else {}
            added, changed = write(conn, master_file, stored) if master_file.ok else (0, 0)
            rows = len(master_file.rows) if master_file.ok else 0
            outcome = MasterImport(
                master_file.file_name, kind, master_file.ok, rows, added, changed, e.capped(master_file.errors)
            )
            outcome.import_id = record_import(
                conn, kind=kind, file_name=master_file.file_name, data=master_file.data, user=user, within=within,
                accepted=outcome.accepted, rows=rows, errors=master_file.errors, summary=f"{added} added, {changed} changed",
            )  # fmt: skip
            return outcome

    result = run(_import)
    clear_area_cache(engine)  # areas may have been added or renamed
    if dry_run:
        result.import_id = None  # rolled back with the rest
    return result


def read_master_table(file_name: str, data: bytes, error) -> RawTable | None:
    """The table of a master-data CSV or XLSX within the intake's limits; None after
    ``error(code, **fields)`` has been told why not."""
    problem = too_large(data)
    if problem is None:
        try:
            table = read_table(data, file_name)
        except UnreadableFile as unreadable:
            error(unreadable.code, **unreadable.fields)
            return None
        problem = too_large(data, len(table.rows))
    if problem is not None:
        error(problem.code, **problem.fields)
        return None
    return table


def record_import(
    conn: Connection,
    *,
    kind: str,
    file_name: str,
    data: bytes,
    user: str,
    within: str | None,
    accepted: bool,
    rows: int,
    errors: list[e.IntakeError],
    summary: str,
) -> int:
    """Write the history row and the audit event (in ``conn``'s transaction); the import's id.
    ``kind`` is the report_import.report_type (areas, boundaries, checkpoints, …)."""
    import_id = conn.execute(
        insert(s.report_import).values(
            imported_at=dt.datetime.now(dt.UTC),
            file_name=file_name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            report_type=kind,
            rows_accepted=rows if accepted else 0,
            imported_by=(user or "?")[:100],
            area_code=within,
            outcome="accepted" if accepted else "rejected",
            errors=json.dumps([err.to_json() for err in e.capped(errors)], ensure_ascii=False) if errors else None,
        )
    ).inserted_primary_key[0]  # no INSERT … RETURNING on MySQL
    detail = f"{kind} {import_id}: {file_name[:200]} ({summary}" + (")" if accepted else f", {len(errors)} errors)")
    audit.record(user, audit.IMPORT, outcome=audit.OK if accepted else audit.REFUSED, area_code=within, detail=detail, conn=conn)
    return import_id
