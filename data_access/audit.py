"""The audit log 审计日志: who did what, when, for which area.

Written for every sign-in, refused access, import, download and user change; read on the
admin page. Details are short texts (at most 500 characters), never file contents.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, insert, select

from data_access.schema import area, audit_event
from data_access.scope import frame, resolve_engine, run, within_condition
from data_access.settings import local_timezone

SIGN_IN, SIGN_OUT, DENIED, IMPORT, EXPORT, BRIEFING, USER_CHANGE, KIOSK_OPEN = (
    "sign_in",
    "sign_out",
    "denied",
    "import",
    "export",
    "briefing",
    "user_change",
    "kiosk_open",
)
ACTIONS = (SIGN_IN, SIGN_OUT, DENIED, IMPORT, EXPORT, BRIEFING, USER_CHANGE, KIOSK_OPEN)
OK, REFUSED = "ok", "refused"
EVENT_COLUMNS = ("id", "at", "actor", "action", "outcome", "area_code", "detail")


def record(
    actor: str,
    action: str,
    *,
    outcome: str = OK,
    area_code: str | None = None,
    detail: str = "",
    engine: Engine | None = None,
    conn=None,
) -> None:
    """Write one event (in ``conn``'s transaction when given, else on its own)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    statement = insert(audit_event).values(
        at=dt.datetime.now(dt.UTC),
        actor=(actor or "?")[:254],
        action=action,
        outcome=outcome[:12],
        area_code=(area_code or None) and str(area_code)[:24],
        detail=(detail or "").replace("\x00", "")[:500],
    )
    if conn is not None:
        conn.execute(statement)
        return
    engine = resolve_engine(engine)

    def _write():
        with engine.begin() as connection:
            connection.execute(statement)

    run(_write)


def audit_events(
    within: str | None = None,
    action: str | None = None,
    actor: str | None = None,
    since: dt.date | None = None,
    limit: int = 1000,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """The newest events first, only those about areas inside ``within`` (events with no
    area, such as an unknown identity, are shown to readers of the whole database)."""
    engine = resolve_engine(engine)
    a = audit_event.c
    conditions = []
    inside = within_condition(engine, within)
    if inside is not None:
        conditions.append(a.area_code.in_(select(area.c.code).where(inside)))
    if action:
        conditions.append(a.action == action)
    if actor:
        conditions.append(a.actor.contains(actor.strip().lower(), autoescape=True))
    if since is not None:
        conditions.append(a.at >= dt.datetime.combine(since, dt.time(), local_timezone()))  # a day in the filter is a local day
    statement = select(*[a[c] for c in EVENT_COLUMNS]).where(*conditions).order_by(a.id.desc()).limit(int(limit))
    return frame(engine, statement, EVENT_COLUMNS)
