"""Make the configured database ready: newest schema, and the sample city when the
embedded SQLite database is empty.

    python -m sample_data.ensure
"""

from __future__ import annotations

import datetime as dt
import os
import sys

from data_access.engine import get_engine, has_data, upgrade_schema
from data_access.settings import local_timezone


def yesterday_local() -> dt.date:
    return dt.datetime.now(local_timezone()).date() - dt.timedelta(days=1)


def ensure_database(generate_if_empty: bool | None = None) -> bool:
    """Upgrade the schema; fill an empty database with the small sample city when asked
    (default: only for the embedded SQLite default, never for a configured DATABASE_URL).
    Returns True when sample data was generated."""
    engine = get_engine()
    upgrade_schema(engine)
    if generate_if_empty is None:
        generate_if_empty = not os.environ.get("DATABASE_URL")
    if generate_if_empty and not has_data(engine):
        from sample_data.generate import generate

        # The sample city ends yesterday (local time), so the dashboard starts "live":
        # freshness checks and relative dates behave as they would on real data.
        generate(engine, "small", end_date=yesterday_local())
        return True
    return False


if __name__ == "__main__":
    generated = ensure_database()
    print("Sample data generated." if generated else "Database ready.")
    sys.exit(0)
