"""``scope.one_connection``: a computation's reads share one connection, on every engine."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, literal, select, text

from data_access import alerts, data_checks
from data_access.engine import make_engine
from data_access.scope import DatabaseUnavailable, one_connection, plain_rows, records
from tests.fixtures_data import CITY, D3
from tests.helpers import scope


@pytest.fixture
def checkouts(engine):
    """The connections the pool hands out while the test runs, in order."""
    taken: list[int] = []

    def count(dbapi_connection, _record, _proxy):
        taken.append(id(dbapi_connection))

    event.listen(engine, "checkout", count)
    yield taken
    event.remove(engine, "checkout", count)


def test_reads_inside_share_one_connection_and_outside_take_their_own(engine, checkouts):
    one = select(literal(1).label("one"))
    with one_connection(engine) as conn:
        assert plain_rows(engine, one) == [(1,)]
        assert records(engine, one) == [{"one": 1}]
        with one_connection(engine) as inner:  # nested: the same
            assert inner is conn and plain_rows(engine, one) == [(1,)]
    assert len(checkouts) == 1
    plain_rows(engine, one)
    plain_rows(engine, one)
    assert len(checkouts) == 3


def test_each_thread_holds_its_own(engine, checkouts):
    held: dict[str, object] = {}
    inside = threading.Barrier(2)

    def read(name: str) -> None:
        with one_connection(engine) as conn:
            inside.wait(timeout=30)  # both hold theirs at once
            plain_rows(engine, select(literal(1)))
            held[name] = conn

    threads = [threading.Thread(target=read, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert held["a"] is not held["b"] and len(checkouts) == 2


def test_a_failed_statement_inside_is_the_dashboards_error_and_the_next_block_reads(engine):
    # DatabaseFailed on PostgreSQL; SQLite and MariaDB's drivers call a wrong column an
    # operational error, which the dashboard shows as the database being unavailable.
    with pytest.raises(DatabaseUnavailable), one_connection(engine):
        plain_rows(engine, text("SELECT no_such_column FROM area"))
    with one_connection(engine):
        assert plain_rows(engine, select(literal(2))) == [(2,)]


def test_a_database_that_cannot_be_reached_is_unavailable():
    missing = make_engine("postgresql+psycopg://nobody@127.0.0.1:9/none")  # nothing listens on port 9
    with pytest.raises(DatabaseUnavailable), one_connection(missing):
        pass


def test_alerts_and_checks_take_one_connection_per_part(engine, checkouts):
    """Each alert rule and each domain's data checks on one connection: at most one
    checkout per part, once the roll-ups are rebuilt (a rebuild writes on a connection of
    its own, on the first call after the fixture's inserts marked their days)."""
    on = scope(CITY, D3, D3)
    alerts.active_alerts(on, engine)
    data_checks.data_checks(on, engine)
    checkouts.clear()
    alerts.active_alerts(on, engine)
    assert len(checkouts) <= len(alerts.RULES)
    checkouts.clear()
    data_checks.data_checks(on, engine)
    assert len(checkouts) <= len(data_checks.CHECKS)
