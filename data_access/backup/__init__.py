"""Online backup and restore of the embedded SQLite database, and what pg_dump needs.

SQLite: ``backup_sqlite`` copies the live file with SQLite's backup API while pages read
and imports write (an import is wholly in the copy or not at all) into a file beside the
destination, moved into place only when it is complete and checked. ``restore_sqlite``
checks a copy (SQLite's quick_check, the dashboard's tables, a migration this code knows)
and writes it into the live file through the same API, so a running dashboard keeps its
connections (same file, same inode: data_access/sqlite_file.py stays satisfied) and sees
the restored figures on its next query. PostgreSQL is backed up with pg_dump
(``pg_dump_command``); docs/OPERATIONS.md has both.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from data_access import rollups
from data_access.engine import SQLITE_BUSY_TIMEOUT_MS, alembic_config, upgrade_schema
from data_access.scope import clear_area_cache

# Pages copied per step of a backup; between steps SQLite lets other connections in.
BACKUP_STEP_PAGES = 1024
# Tables a copy must hold to be taken for a dashboard database.
DASHBOARD_TABLES = ("alembic_version", "area", "report_import", "report_submission")
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class Refused(Exception):
    """The backup or restore was not made; ``key`` and ``fields`` are its message."""

    def __init__(self, key: str, **fields) -> None:
        super().__init__(f"{key} {fields}")
        self.key, self.fields = key, fields


@dataclass(frozen=True)
class Copy:
    """A checked database copy: where it is, its migration and its size."""

    path: Path
    revision: str
    size_bytes: int


def sqlite_path(engine: Engine) -> Path | None:
    """The file of a SQLite engine; None for another database or an in-memory one."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        return None
    return Path(os.path.abspath(database))


def known_revisions(engine: Engine) -> tuple[set[str], str]:
    """Every migration this code has, and the newest."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(engine.url.render_as_string(hide_password=False)))
    return {r.revision for r in script.walk_revisions()}, script.get_current_head()


def _live_file(engine: Engine) -> Path:
    live = sqlite_path(engine)
    if live is None:
        raise Refused("backup.not_sqlite")
    return live


def backup_sqlite(engine: Engine, destination: Path, step_pages: int = BACKUP_STEP_PAGES) -> Copy:
    """Copy the live database into ``destination`` (a file, or a folder for a file named by
    the time) and return the checked copy. The copy is written to ``<name>.partial`` and
    renamed when complete, so a crash never leaves half a backup under the final name."""
    live = _live_file(engine)
    if not live.is_file():
        raise Refused("backup.no_database", path=str(live))
    destination = Path(destination).absolute()
    if destination.is_dir():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        destination = destination / f"{live.stem}-{stamp}.sqlite"
    if destination.resolve() == live.resolve():
        raise Refused("backup.same_file", path=str(destination))
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    raw = engine.raw_connection()  # through the engine: a deleted or replaced live file is refused
    try:
        target = sqlite3.connect(partial)
        try:
            # In steps: between them other connections read and write; SQLite restarts the
            # copy when another connection changed the source, so it is one consistent state.
            raw.driver_connection.backup(target, pages=step_pages, sleep=0.01)
            # A backup is a plain file: no -wal/-shm beside it, whoever opens it.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise Refused("backup.failed", detail=str(error)) from error
    finally:
        raw.close()
    try:
        copy = check_copy(engine, partial)
    except Refused:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, destination)
    return Copy(destination, copy.revision, copy.size_bytes)


def check_copy(engine: Engine, path: Path) -> Copy:
    """``path`` as a copy of this dashboard's database: Refused unless it is a SQLite file
    that passes quick_check and holds the dashboard's tables at a migration this code has."""
    path = Path(path)
    if not path.is_file():
        raise Refused("backup.copy_missing", path=str(path))
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise Refused("backup.copy_not_sqlite", path=str(path), detail=str(error)) from error
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = None
        if check == "ok" and "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    except sqlite3.DatabaseError as error:  # "file is not a database", encrypted, truncated
        raise Refused("backup.copy_not_sqlite", path=str(path), detail=str(error)) from error
    finally:
        conn.close()
    if check != "ok":
        raise Refused("backup.copy_damaged", path=str(path), detail=str(check)[:200])
    missing = [name for name in DASHBOARD_TABLES if name not in tables]
    if missing or revision is None:
        raise Refused("backup.copy_not_dashboard", path=str(path), tables=", ".join(missing) or "alembic_version")
    revisions, _ = known_revisions(engine)
    if revision not in revisions:
        raise Refused("backup.copy_unknown_version", path=str(path), revision=revision)
    return Copy(path, revision, path.stat().st_size)


def restore_sqlite(engine: Engine, source: Path, wait_seconds: float = 30) -> Copy:
    """Write the checked copy ``source`` into the live database (SQLite's backup API, one
    transaction: readers see the old figures, then the restored ones). An import holding
    the write lock is waited for up to ``wait_seconds``, then the restore is refused.
    Afterwards the schema is brought to the newest migration (a copy made by older code),
    the roll-ups' marked days are rebuilt and this process's area cache is dropped."""
    live = _live_file(engine)
    copy = check_copy(engine, source)
    if Path(source).resolve() == live.resolve():
        raise Refused("backup.same_file", path=str(live))
    deadline = time.monotonic() + wait_seconds

    def give_up_when_locked(status: int, _remaining: int, _total: int) -> None:
        if status in _BUSY and time.monotonic() > deadline:
            raise Refused("backup.restore_busy", seconds=f"{wait_seconds:g}")

    raw = engine.raw_connection()
    try:
        target = raw.driver_connection
        target.execute("PRAGMA busy_timeout = 200")
        reader = sqlite3.connect(f"{Path(source).absolute().as_uri()}?mode=ro", uri=True)
        try:
            # All pages in one step: the live file is written in one transaction.
            reader.backup(target, pages=-1, progress=give_up_when_locked, sleep=0.05)
        except sqlite3.Error as error:
            raise Refused("backup.failed", detail=str(error)) from error
        finally:
            reader.close()
            target.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        raw.close()
    _, head = known_revisions(engine)
    if copy.revision != head:
        upgrade_schema(engine)
    clear_area_cache(engine)
    with engine.begin() as conn:
        rollups.refresh_pending(conn)
    return copy


def pg_dump_command(url: str, destination: Path) -> tuple[list[str], dict[str, str]]:
    """pg_dump's arguments for a custom-format dump of ``url`` into ``destination``, and the
    environment it needs (the password goes in PGPASSWORD, never on the command line)."""
    parsed = make_url(url)
    argv = ["pg_dump", "--format=custom", "--no-owner", f"--file={destination}"]
    for option, value in (("--host", parsed.host), ("--port", parsed.port), ("--username", parsed.username)):
        if value:
            argv.append(f"{option}={value}")
    argv.append(parsed.database or "")
    return argv, ({"PGPASSWORD": parsed.password} if parsed.password else {})
