"""Bulk loading (COPY on PostgreSQL, executemany on SQLite) and the checkpoint_daily roll-up."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import insert, select, update

from data_access.bulk import bulk_insert
from data_access.engine import upgrade_schema
from data_access.rollups import refresh_checkpoint_daily
from data_access.schema import area, checkpoint_daily, checkpoint_hourly, report_import, testing_round
from tests.fixtures_data import CP_A1, CP_A2, CP_B1, D0, D1, D2
from tests.helpers import utc_naive

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
AWKWARD_ERRORS = json.dumps([{"row": 3, "column": "people", "reason": 'not a number: "1,2", it\'s text\nsecond line'}])


@pytest.fixture
def migrated(empty_engine):
    upgrade_schema(empty_engine)
    return empty_engine


def test_bulk_insert_keeps_values_nulls_and_text(migrated):
    areas = pd.DataFrame(
        {
            "code": ["880100", "880101"],
            "parent_code": [None, "880100"],
            "level": ["city", "district"],
            "name_zh": ["样例市", "西 安区"],
            "name_en": ['Sample, "Quoted" City', "Xi'an District"],
            "residents": np.array([1000, 400], dtype=np.int64),
            "households": np.array([300, 120], dtype=np.int64),
            "lon": [114.01234, np.nan],  # NaN becomes NULL
            "lat": [33.5, 33.25],
            "polygon": [None, '{"type":"Polygon","coordinates":[]}'],
            "city_code": ["880100", "880100"],
            "district_code": [None, "880101"],
            "not_a_column": ["ignored", "ignored"],  # columns the table lacks are left out
        }
    )
    with migrated.begin() as conn:
        assert bulk_insert(conn, area, areas) == 2
        assert bulk_insert(conn, area, areas.iloc[:0]) == 0
    with migrated.connect() as conn:
        columns = [
            area.c[name] for name in ("code", "parent_code", "name_zh", "name_en", "lon", "lat", "polygon", "district_code")
        ]
        rows = conn.execute(select(*columns).order_by(area.c.code)).all()
    assert [tuple(r) for r in rows] == [
        ("880100", None, "样例市", 'Sample, "Quoted" City', 114.01234, 33.5, None, None),
        ("880101", "880100", "西 安区", "Xi'an District", None, 33.25, '{"type":"Polygon","coordinates":[]}', "880101"),
    ]


def test_bulk_insert_dates_and_instants(migrated):
    rounds = pd.DataFrame(
        {
            "id": [1, 2],
            "name_zh": ["第1轮", "第2轮"],
            "name_en": ["Round 1", "Round 2"],
            "start_day": [D1, D2],
            "end_day": [D1, D2],
        }
    )
    imports = pd.DataFrame(
        {
            "id": [1, 2],
            # 09:30 in Shanghai is 01:30 UTC; the second is given in UTC already
            "imported_at": pd.to_datetime(
                [dt.datetime(2022, 4, 3, 9, 30, tzinfo=SHANGHAI), dt.datetime(2022, 4, 3, 23, 59, 59, tzinfo=dt.UTC)], utc=True
            ).tz_convert("Asia/Shanghai"),
            "file_name": ["道口日报 2022-04-03.xlsx", "grid,daily.csv"],
            "sha256": ["a" * 64, "b" * 64],
            "report_type": ["checkpoint", "grid"],
            "rows_accepted": [12, 0],
            "imported_by": ["张三", "O'Neil"],
            "outcome": ["accepted", "rejected"],
            "errors": [None, AWKWARD_ERRORS],
        }
    )
    with migrated.begin() as conn:
        bulk_insert(conn, testing_round, rounds)
        bulk_insert(conn, report_import, imports)
    with migrated.connect() as conn:
        r, i = testing_round.c, report_import.c
        stored_rounds = conn.execute(select(r.id, r.start_day, r.end_day).order_by(r.id)).all()
        stored_imports = conn.execute(select(i.imported_at, i.file_name, i.imported_by, i.errors).order_by(i.id)).all()
    assert [tuple(r) for r in stored_rounds] == [(1, D1, D1), (2, D2, D2)]
    assert [utc_naive(r.imported_at) for r in stored_imports] == [
        dt.datetime(2022, 4, 3, 1, 30),
        dt.datetime(2022, 4, 3, 23, 59, 59),
    ]
    assert [(r.file_name, r.imported_by, r.errors) for r in stored_imports] == [
        ("道口日报 2022-04-03.xlsx", "张三", None),
        ("grid,daily.csv", "O'Neil", AWKWARD_ERRORS),
    ]


def _daily(conn, code, day):
    return conn.execute(
        select(checkpoint_daily.c.people, checkpoint_daily.c.staffed_hours).where(
            checkpoint_daily.c.checkpoint_code == code, checkpoint_daily.c.day == day
        )
    ).first()


def test_refresh_checkpoint_daily(engine):
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            # A daily report with no hours (D0) must survive a full refresh.
            conn.execute(insert(checkpoint_daily).values(day=D0, checkpoint_code=CP_B1, people=5, staffed_hours=24))
            # A corrected hour: CP_A1 on D1 at 8 o'clock, 20 → 30 people.
            conn.execute(
                update(checkpoint_hourly)
                .where(checkpoint_hourly.c.checkpoint_code == CP_A1, checkpoint_hourly.c.day == D1, checkpoint_hourly.c.hour == 8)
                .values(people=30)
            )
            assert tuple(_daily(conn, CP_A1, D1)) == (28, 2)  # not yet refreshed: 20 + 8
            refresh_checkpoint_daily(conn, [(CP_A1, D1), (CP_A1, D1)])
            assert tuple(_daily(conn, CP_A1, D1)) == (38, 2)  # 30 + 8 over 2 reported hours
            assert tuple(_daily(conn, CP_A2, D2)) == (150, 2)  # untouched: 90 + 60
            refresh_checkpoint_daily(conn)
            assert tuple(_daily(conn, CP_B1, D0)) == (5, 24)
            assert tuple(_daily(conn, CP_A1, D1)) == (38, 2)
            # 8 (checkpoint, day) pairs have hours, plus the daily-only report
            assert len(conn.execute(select(checkpoint_daily.c.day)).all()) == 9
        finally:
            transaction.rollback()
    with engine.connect() as conn:
        assert tuple(_daily(conn, CP_A1, D1)) == (28, 2)
        assert _daily(conn, CP_B1, D0) is None
