"""A network partition between the dashboard and MariaDB (packets dropped, not refused;
tests/network_partition.py): PyMySQL has no keepalives, so its socket and connect timeouts
(data_access.engine's MYSQL_*) must end a read in DatabaseUnavailable — the outage banner —
within 10 s, for a pooled connection and for a new one, and the engine recovers by itself."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from data_access import schema as s
from data_access.engine import make_engine
from data_access.scope import DatabaseUnavailable, frame
from tests import fixtures_data
from tests.network_partition import partitioned_test_city

pytestmark = pytest.mark.mariadb

AREAS = select(func.count().label("areas")).select_from(s.area)


@pytest.fixture(scope="module")
def partitioned_url(mysql_databases):
    """The test city in a MariaDB database of its own, reached only through a cuttable path."""
    with partitioned_test_city(mysql_databases.new_url()) as partitioned:
        yield partitioned


def seconds_to_outage(engine) -> float:
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable):
        frame(engine, AREAS)
    return time.monotonic() - started


def areas_once_healed(engine, within_s: float = 15) -> int:
    """The area count as soon as the healed link carries packets again (the kernel may still
    answer "no route to host" for a moment)."""
    deadline = time.monotonic() + within_s
    while True:
        try:
            return int(frame(engine, AREAS)["areas"].iloc[0])
        except DatabaseUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_a_partition_ends_in_the_outage_within_10_s_and_heals(partitioned_url):
    partition, url = partitioned_url
    pooled, fresh = make_engine(url), make_engine(url)
    try:
        assert frame(pooled, AREAS)["areas"].iloc[0] == len(fixtures_data.AREAS)
        partition.cut()
        try:
            took = seconds_to_outage(pooled), seconds_to_outage(fresh)
            # Its pooled connection stops answering; a new connection cannot be made.
            assert max(took) < 10, f"the outage took {took[0]:.1f} s (pooled) and {took[1]:.1f} s (new) to show"
        finally:
            partition.heal()
        assert areas_once_healed(pooled) == len(fixtures_data.AREAS)  # no restart needed
    finally:
        pooled.dispose()
        fresh.dispose()
