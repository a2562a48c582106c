"""Roll-up tables kept in step with their detail: checkpoint_daily from checkpoint_hourly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, and_, delete, func, insert, select, tuple_

from data_access.schema import CHECKPOINT_COUNTS, checkpoint_daily, checkpoint_hourly


def refresh_checkpoint_daily(conn: Connection, keys: Iterable[tuple[str, dt.date]] | None = None) -> None:
    """Rebuild checkpoint_daily rows from the hourly counts, for ``keys`` (checkpoint, day) or all.

    Only (checkpoint, day) pairs that have hourly rows are touched, so figures that
    arrived as a daily report (no hours) stay as they are.
    """
    h = checkpoint_hourly.c
    summed = select(
        h.day,
        h.checkpoint_code,
        *[func.sum(h[name]).label(name) for name in CHECKPOINT_COUNTS],
        func.count().label("staffed_hours"),
    ).group_by(h.day, h.checkpoint_code)
    target_columns = ["day", "checkpoint_code", *CHECKPOINT_COUNTS, "staffed_hours"]
    if keys is None:
        hourly_keys = select(h.checkpoint_code, h.day).distinct()
        conn.execute(
            delete(checkpoint_daily).where(
                tuple_(checkpoint_daily.c.checkpoint_code, checkpoint_daily.c.day).in_(hourly_keys)
            )
        )
        conn.execute(insert(checkpoint_daily).from_select(target_columns, summed))
        return
    for code, day in sorted(set(keys)):
        conn.execute(delete(checkpoint_daily).where(and_(checkpoint_daily.c.checkpoint_code == code, checkpoint_daily.c.day == day)))
        conn.execute(
            insert(checkpoint_daily).from_select(
                target_columns, summed.where(h.checkpoint_code == code, h.day == day)
            )
        )
