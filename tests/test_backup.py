"""Online backup and restore of the SQLite database (data_access/backup) and the health
check (data_access/health.py, ``python -m data_access.backup check``): a backup taken
while readers read and an import writes is a sound database with a consistent state; a
restore under concurrent readers gives them no error and then the restored data; a copy
that is not a sound dashboard database, or an import holding the lock, leaves the live
database as it was."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_access import schema as s
from data_access.backup import Refused, backup_sqlite, check_copy, restore_sqlite
from data_access.backup.__main__ import main
from data_access.health import check_health
from data_access.ingest import writer
from data_access.scope import frame
from tests.fixtures_data import CP_A2, D3
from tests.intake_support import TOUCHED_TABLES, fingerprint, import_count, import_one, make_city, report_csv

COUNTED = (s.area, s.report_import, *TOUCHED_TABLES)


def hours_file(hour: int) -> bytes:
    row = {"day": D3.isoformat(), "hour": hour, "checkpoint_code": CP_A2, "vehicles": 5, "people": 10, "temperature_checks": 10}
    return report_csv("checkpoint_hourly", [{**row, "fever": 0}])


@pytest.fixture()
def live(new_database):
    return make_city(new_database, "sqlite")


def counts_in_file(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t.name: conn.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0] for t in COUNTED}


def counts(engine) -> dict[str, int]:
    return counts_in_file(Path(engine.url.database))


class Readers:
    """Threads reading through the engine until stopped: what they saw and every error."""

    def __init__(self, engine, threads: int = 3) -> None:
        self.engine, self.seen, self.errors = engine, [], []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._read) for _ in range(threads)]

    def _read(self) -> None:
        statement = select(func.count()).select_from(s.report_import)
        while not self._stop.is_set():
            try:
                self.seen.append((time.monotonic(), int(frame(self.engine, statement).iloc[0, 0])))
            except Exception as error:  # noqa: BLE001 - any error a reader meets is the finding
                self.errors.append(error)

    def __enter__(self) -> Readers:
        for thread in self._threads:
            thread.start()
        while len(self.seen) < 5 and not self.errors:
            time.sleep(0.01)
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)


class HeldImport:
    """An import in a thread that stops after writing its rows, before it commits, until
    ``release``: meanwhile it holds the intake lock (SQLite's write lock)."""

    def __init__(self, engine, monkeypatch, name: str = "cp.csv", hour: int = 7) -> None:
        self.written, self.released, self.outcome = threading.Event(), threading.Event(), None
        write = writer._write

        def write_and_hold(*args, **kwargs):
            result = write(*args, **kwargs)
            self.written.set()
            assert self.released.wait(30)
            return result

        monkeypatch.setattr(writer, "_write", write_and_hold)
        self._thread = threading.Thread(target=lambda: setattr(self, "outcome", import_one(engine, name, hours_file(hour))))

    def __enter__(self) -> HeldImport:
        self._thread.start()
        assert self.written.wait(30)
        return self

    def release(self) -> None:
        self.released.set()
        self._thread.join(30)

    def __exit__(self, *_exc) -> None:
        self.release()


def test_backup_under_concurrent_reads_is_a_sound_copy_with_the_same_rows(live, tmp_path):
    with Readers(live) as readers:
        copy = backup_sqlite(live, tmp_path / "b.sqlite", step_pages=4)  # many steps
        reads_during = len(readers.seen)
    assert readers.errors == []
    assert reads_during >= 5
    assert copy.path == tmp_path / "b.sqlite" and not (tmp_path / "b.sqlite.partial").exists()
    assert check_copy(live, copy.path).revision == copy.revision
    assert counts_in_file(copy.path) == counts(live)
    with sqlite3.connect(copy.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # a plain file


def test_backup_while_an_import_is_being_written_holds_none_of_it(live, tmp_path, monkeypatch):
    """The import is written but not committed while the backup runs: the backup does not
    wait for it and holds the state before it; afterwards the import is committed."""
    before = counts(live)
    with HeldImport(live, monkeypatch) as held:
        started = time.monotonic()
        copy = backup_sqlite(live, tmp_path / "during.sqlite", step_pages=4)
        assert time.monotonic() - started < 10
    assert held.outcome.accepted
    assert counts_in_file(copy.path) == before
    after = counts(live)
    assert after["report_import"] == before["report_import"] + 1
    assert backup_sqlite(live, tmp_path / "after.sqlite").path.exists()
    assert counts_in_file(tmp_path / "after.sqlite") == after


def test_backup_racing_imports_is_one_consistent_state(live, tmp_path):
    before = counts(live)
    importer = threading.Thread(target=lambda: [import_one(live, f"cp{h}.csv", hours_file(h)) for h in range(8, 12)])
    importer.start()
    copy = backup_sqlite(live, tmp_path / "race.sqlite", step_pages=2)
    importer.join(60)
    copied = counts_in_file(copy.path)
    imported = copied["report_import"] - before["report_import"]
    assert 0 <= imported <= 4
    # Each import adds one history row, one hour and one submission: never half of one.
    assert copied["checkpoint_hourly"] - before["checkpoint_hourly"] == imported
    assert check_copy(live, copy.path)


def test_restore_under_concurrent_reads_gives_readers_no_error_then_the_restored_data(live, tmp_path):
    backup = backup_sqlite(live, tmp_path / "b.sqlite").path
    backed_up = counts(live)
    for hour in range(8, 11):
        assert import_one(live, f"cp{hour}.csv", hours_file(hour)).accepted
    assert counts(live)["report_import"] == backed_up["report_import"] + 3
    with Readers(live) as readers:
        restore_sqlite(live, backup)
        done = time.monotonic()
        while not [at for at, _ in readers.seen if at > done + 0.05] and not readers.errors:
            time.sleep(0.01)
    assert readers.errors == []
    values = [value for _, value in sorted(readers.seen)]
    # Before the restore the three imports, after it the backup's state, nothing between.
    assert set(values) <= {backed_up["report_import"], backed_up["report_import"] + 3}
    assert values[-1] == backed_up["report_import"]
    assert counts(live) == backed_up
    assert import_count(live) == backed_up["report_import"]  # the live engine reads the restored file
    with live.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert import_one(live, "again.csv", hours_file(9)).accepted  # and writes it


def _garbage(path: Path) -> Path:
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    return path


def _other_sqlite(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    return path


def _newer_dashboard(live_engine, path: Path) -> Path:
    copy = backup_sqlite(live_engine, path).path
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    return copy


@pytest.mark.parametrize(
    ("make", "key"),
    [
        (lambda live, p: _garbage(p), "backup.copy_not_sqlite"),
        (lambda live, p: p.write_bytes(b"") or p, "backup.copy_not_dashboard"),
        (lambda live, p: _other_sqlite(p), "backup.copy_not_dashboard"),
        (lambda live, p: p, "backup.copy_missing"),
        (_newer_dashboard, "backup.copy_unknown_version"),
    ],
)
def test_restore_of_a_file_that_is_no_sound_dashboard_copy_is_refused(live, tmp_path, make, key):
    import_one(live, "cp.csv", hours_file(7))
    before = fingerprint(live, COUNTED)
    source = make(live, tmp_path / "candidate.sqlite")
    with pytest.raises(Refused) as refused:
        restore_sqlite(live, source)
    assert refused.value.key == key
    assert fingerprint(live, COUNTED) == before


def test_restore_waits_for_an_import_being_written_then_refuses(live, tmp_path, monkeypatch):
    backup = backup_sqlite(live, tmp_path / "b.sqlite").path
    with HeldImport(live, monkeypatch):
        started = time.monotonic()
        with pytest.raises(Refused) as refused:
            restore_sqlite(live, backup, wait_seconds=0.5)
        assert refused.value.key == "backup.restore_busy"
        assert 0.4 < time.monotonic() - started < 10
    # The import went in whole; the refused restore touched nothing.
    assert counts(live)["report_import"] == counts_in_file(backup)["report_import"] + 1


def test_restore_after_an_import_finishes_within_the_wait(live, tmp_path, monkeypatch):
    backup = backup_sqlite(live, tmp_path / "b.sqlite").path
    with HeldImport(live, monkeypatch) as held:
        threading.Timer(0.5, held.released.set).start()
        restore_sqlite(live, backup, wait_seconds=20)
    assert held.outcome.accepted  # committed first, then replaced by the restore
    assert counts(live) == counts_in_file(backup)


def test_command_line_backup_restore_and_check(live, tmp_path, capsys):
    url = live.url.render_as_string(hide_password=False)
    assert main([str(tmp_path / "cli.sqlite"), "--database-url", url, "--lang", "en"]) == 0
    assert "Backup written" in capsys.readouterr().out
    assert import_one(live, "cp.csv", hours_file(7)).accepted
    assert main(["restore", str(tmp_path / "cli.sqlite"), "--database-url", url, "--lang", "en"]) == 0
    assert counts(live) == counts_in_file(tmp_path / "cli.sqlite")
    assert main(["restore", str(_garbage(tmp_path / "g.sqlite")), "--database-url", url, "--lang", "en"]) == 1
    assert "is not a SQLite database" in capsys.readouterr().err
    assert main(["check", "--database-url", url, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert f"Checkpoint counts (hourly): {D3.day} {D3:%b} {D3.year}" in out and "Database healthy" in out
    assert main(["check", "--database-url", url, "--lang", "en", "--max-age-days", "1"]) == 1
    assert "more than 1 days ago" in capsys.readouterr().err


def test_health_check_finds_an_old_schema_a_missing_file_and_a_replaced_file(live, tmp_path):
    health = check_health(live)
    assert health.ok and health.revision == health.head and health.latest["checkpoint_hourly"] is not None
    path = Path(live.url.database)
    copy = backup_sqlite(live, tmp_path / "b.sqlite").path
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0003'")
    assert [key for key, _ in check_health(live).problems] == ["health.schema"]
    copy.replace(path)  # another file at the path: this process's engine must not trust it
    assert [key for key, _ in check_health(live).problems] == ["health.unreachable"]
    path.unlink()
    assert [key for key, _ in check_health(live).problems] == ["health.no_file"]
    assert not path.exists()
