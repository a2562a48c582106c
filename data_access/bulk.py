"""Fast bulk loading of DataFrames: COPY on PostgreSQL, executemany on SQLite and MySQL
(PyMySQL sends one multi-row INSERT per batch)."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table

CHUNK_ROWS = 200_000


def _plain_value(value):
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value


def _naive_utc_datetimes(series: pd.Series) -> list:
    """Datetimes as schema.UtcDateTime stores them on SQLite and MySQL: naive UTC text."""
    if series.dt.tz is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    return [None if pd.isna(v) else v.strftime("%Y-%m-%d %H:%M:%S.%f") for v in series]


def _postgres_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Datetimes with an explicit offset so COPY keeps the instant (timestamptz); dates
    (``datetime.date`` objects, as the intake reads them) as ISO text, each distinct day
    formatted once (pandas' CSV writer formats every date cell on its own: a third of the
    time of writing 100,000 hourly rows)."""
    out = frame.copy()
    for c in out.columns:
        series = out[c]
        if pd.api.types.is_datetime64_any_dtype(series) and series.dt.tz is not None:
            out[c] = series.dt.strftime("%Y-%m-%d %H:%M:%S%z")
        elif series.dtype == object and len(series) and isinstance(series.iloc[0], dt.date):
            # str(), as the CSV writer would: a day's ISO form (a datetime's too).
            out[c] = series.map({v: str(v) if isinstance(v, dt.date) else v for v in series.unique()}).astype(object)
    return out


def bulk_insert(conn: Connection, table: Table, frame: pd.DataFrame) -> int:
    """Append ``frame``'s rows (columns named as ``table``'s) in the caller's transaction."""
    if frame.empty:
        return 0
    columns = [c for c in frame.columns if c in table.c]
    frame = frame[columns]
    dialect = conn.dialect.name
    raw = conn.connection.dbapi_connection
    if dialect == "postgresql":
        frame = _postgres_frame(frame)
        column_list = ", ".join(f'"{c}"' for c in columns)
        copy_sql = f"COPY \"{table.name}\" ({column_list}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        with raw.cursor() as cursor:
            for start in range(0, len(frame), CHUNK_ROWS):
                buffer = io.StringIO()
                frame.iloc[start : start + CHUNK_ROWS].to_csv(
                    buffer, index=False, header=False, na_rep="\\N", date_format="%Y-%m-%d"
                )
                with cursor.copy(copy_sql) as copy:
                    copy.write(buffer.getvalue())
        return len(frame)
    quote = conn.dialect.identifier_preparer.quote
    placeholders = ", ".join("?" if conn.dialect.paramstyle == "qmark" else "%s" for _ in columns)
    column_list = ", ".join(quote(c) for c in columns)
    insert_sql = f"INSERT INTO {quote(table.name)} ({column_list}) VALUES ({placeholders})"
    cursor = raw.cursor()
    try:
        converted = {}
        for c in columns:
            series = frame[c]
            if pd.api.types.is_datetime64_any_dtype(series):
                converted[c] = _naive_utc_datetimes(series)
            elif series.dtype == object:
                converted[c] = [_plain_value(v) for v in series.tolist()]
            else:
                converted[c] = [None if pd.isna(v) else v for v in series.tolist()] if series.hasnans else series.tolist()
        rows = list(zip(*(converted[c] for c in columns), strict=False))
        for start in range(0, len(rows), CHUNK_ROWS):
            cursor.executemany(insert_sql, rows[start : start + CHUNK_ROWS])
    finally:
        cursor.close()
    return len(frame)
