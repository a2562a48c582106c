"""Notice when the SQLite file under a running process is deleted or replaced.

A process keeps reading and writing the file it opened after that file is deleted or
another file is moved over it (``rm``, ``cp`` / ``mv`` of a backup): pages would show
figures no restart will see again and an import would be reported "imported" into a file
that is gone. The engine remembers the file's identity (device and inode) and checks it
with one ``os.stat`` before a connection is opened or handed out, and the intake checks it
again right before it commits: a missing or different file raises
``DatabaseFileChanged`` (a ``DatabaseUnavailable``), so pages show the outage banner and
nothing is claimed imported. A restore through SQLite's backup API
(``python -m data_access.backup restore``) writes into the same file and keeps working.
"""

from __future__ import annotations

import logging
import os
import threading
import weakref
from pathlib import Path

from sqlalchemy import Connection, Engine, event

from data_access.scope import DatabaseUnavailable

LOG = logging.getLogger("dashboard.database")
ADVICE = (
    "restart the dashboard (and any command line still running) so it opens the file now at this path; "
    "if there is none, put a backup back first: python -m data_access.backup restore FILE"
)


class DatabaseFileChanged(DatabaseUnavailable):
    """The SQLite file this process opened was deleted or replaced by another file."""


def identity(path: Path) -> tuple[int, int] | None:
    """The file's (device, inode); None when there is no file at ``path``."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino


class FileWatch:
    """The identity of one engine's database file, learnt when the engine first finds it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._known = identity(path)  # None until a first connection creates the file
        self._reported: str | None = None
        self._lock = threading.Lock()

    def check(self) -> None:
        """Raise DatabaseFileChanged when the file is gone or is another file."""
        now = identity(self.path)
        with self._lock:
            if self._known is None:
                self._known = now  # a new database: its file is created by the first connection
                return
            if now == self._known:
                return
            problem = "deleted" if now is None else "replaced by another file"
            message = f"the database file {self.path} was {problem} while this process had it open; {ADVICE}"
            if self._reported != problem:  # once per change, not on every page query
                self._reported = problem
                LOG.error("%s", message)
        raise DatabaseFileChanged(message)


_WATCHES: weakref.WeakKeyDictionary[Engine, FileWatch] = weakref.WeakKeyDictionary()


def watch_file(engine: Engine, path: str) -> FileWatch:
    """Check ``engine``'s file before every connection it opens and every checkout."""
    watch = FileWatch(Path(os.path.abspath(path)))
    _WATCHES[engine] = watch

    @event.listens_for(engine, "do_connect")
    def _before_connect(*_args):
        # Before sqlite3.connect, which would create a new empty file at a deleted path.
        watch.check()

    @event.listens_for(engine, "checkout")
    def _on_checkout(*_args):
        watch.check()

    return watch


def check_database_file(conn: Connection | Engine) -> None:
    """Raise DatabaseFileChanged when the SQLite file of ``conn``'s engine is no longer the
    one it opened (nothing for other databases): called right before an import commits."""
    engine = conn.engine if isinstance(conn, Connection) else conn
    watch = _WATCHES.get(engine)
    if watch is not None:
        watch.check()
