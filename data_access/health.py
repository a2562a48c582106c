"""A health check of the data itself: the database answers, its file is sound (SQLite's
quick_check), its schema is at this code's newest migration, and the latest day each
report type holds (``python -m data_access.backup check``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, func, inspect, select, text

from data_access.backup import known_revisions, sqlite_path
from data_access.ingest.types import REPORT_TYPES
from data_access.scope import DatabaseUnavailable, run
from data_access.sqlite_file import check_database_file


@dataclass
class Health:
    """What the check found: problems as (message id, fields), the schema's migration and
    the newest one, and the latest report day per report type (None: no report yet)."""

    problems: list[tuple[str, dict]] = field(default_factory=list)
    revision: str | None = None
    head: str = ""
    latest: dict[str, dt.date | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_health(engine: Engine, today: dt.date | None = None, max_age_days: int | None = None) -> Health:
    """Check ``engine``'s database; with ``max_age_days``, a report type whose latest day
    is older than that before ``today`` (or that has none) is a problem too."""
    health = Health()
    _, health.head = known_revisions(engine)
    path = sqlite_path(engine)
    if path is not None and not path.is_file():  # connecting would create an empty file
        health.problems.append(("health.no_file", {"path": str(path)}))
        return health
    try:
        check_database_file(engine)
        run(lambda: _read(engine, health))
    except DatabaseUnavailable as error:
        health.problems.append(("health.unreachable", {"detail": (str(error).strip().splitlines() or [""])[0][:300]}))
        return health
    if max_age_days is not None:
        today = today or dt.date.today()
        for name, day in health.latest.items():
            if day is None or (today - day).days > max_age_days:
                health.problems.append(("health.stale", {"type": name, "day": day, "days": max_age_days}))
    return health


def _read(engine: Engine, health: Health) -> None:
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            result = conn.execute(text("PRAGMA quick_check")).scalar()
            if result != "ok":
                health.problems.append(("health.damaged", {"detail": str(result)[:300]}))
                return
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" in tables:
            health.revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if health.revision != health.head:
            health.problems.append(("health.schema", {"revision": health.revision or "—", "head": health.head}))
            return
        for name, report_type in REPORT_TYPES.items():
            day = conn.execute(select(func.max(report_type.table.c.day))).scalar()
            health.latest[name] = dt.date.fromisoformat(day) if isinstance(day, str) else day
