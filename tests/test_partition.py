"""A network partition between the dashboard and PostgreSQL (packets dropped, not
refused; tests/network_partition.py): a page shows the outage banner within 10 s, keeps
the figures it last had with their age, never says "no data yet", and recovers by itself
once the network is back. Run through AppTest on the hand-built test city."""

from __future__ import annotations

import time

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app_support import first_visit, postgres_database
from tests.conftest import postgres_url
from tests.network_partition import partitioned_test_city
from ui.data import forget_outages

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def partitioned_database():
    """The test city in a database of its own, reached only through a cuttable path."""
    with postgres_database(postgres_url(), "partition") as url, partitioned_test_city(url) as partitioned:
        yield partitioned


def visit(params: dict) -> AppTest:
    return first_visit(params, timeout=60)


def cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def test_a_partition_shows_the_banner_keeps_the_figures_and_recovers(partitioned_database, monkeypatch):
    # (A new AppTest for each visit: AppTest re-runs only the page script on a second run,
    # not dashboard.py, where the banner and the outage probe live.)
    partition, url = partitioned_database
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr("ui.data.OUTAGE_RETRY_SECONDS", 3.0)
    before = cards(visit({"lang": "en", "range": "all"}))
    before_zh = cards(visit({"lang": "zh", "range": "all"}))
    assert before and before_zh

    partition.cut()
    try:
        st.cache_data.clear()  # as after the cache's TTL: every figure must be read again
        started = time.monotonic()
        at = visit({"lang": "en", "range": "all"})
        took = time.monotonic() - started
        assert took < 10, f"the outage took {took:.1f} s to show"
        shown = errors(at)
        assert "The database cannot be reached" in shown
        assert "Showing the figures read at" in shown and "min ago" in shown
        assert cards(at) == before  # the last figures, not empty cards
        assert "10.2" not in shown and "psycopg" not in shown  # no driver details

        # Another visit, in Chinese, during the same outage: at once, from what was kept.
        started = time.monotonic()
        at = visit({"lang": "zh", "range": "all"})
        assert time.monotonic() - started < 10
        assert "数据库暂时无法访问" in errors(at) and "分钟前" in errors(at)
        assert cards(at) == before_zh

        # A process with nothing kept (a restart during the outage): the banner and the
        # title, never "the database holds no data yet, load your city".
        st.cache_resource.clear()
        forget_outages()
        started = time.monotonic()
        at = visit({"lang": "en"})
        assert time.monotonic() - started < 10
        assert "The database cannot be reached" in errors(at)
        assert [x.value for x in at.title] == ["Epidemic-control operations dashboard"]
        everything = " ".join(str(x.value) for x in [*at.markdown, *at.info, *at.subheader, *at.header])
        assert "Getting started" not in everything and "no daily reports" not in everything
    finally:
        partition.heal()

    time.sleep(3.5)  # the retry pause passes; the next run reads the database again
    st.cache_data.clear()
    at = visit({"lang": "en", "range": "all"})
    assert not errors(at)
    assert cards(at) == before
