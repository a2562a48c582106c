"""Every page on MariaDB, headless (AppTest), on the same sample city that tests/test_pages.py
reads from SQLite: no page fails, and every KPI card shows the figure it shows on SQLite —
the whole way down, from the page through the cached loader and the query functions to
MariaDB's SQL, row triggers and roll-ups."""

from __future__ import annotations

import pytest
import streamlit as st

from data_access.engine import make_engine
from sample_data.generate import generate
from tests.app_support import first_visit
from tests.test_pages import FILTERS

pytestmark = pytest.mark.mariadb

PAGES = ["overview", "checkpoints", "testing", "supplies", "vaccination", "isolation", "grid_map", "data_intake", "definitions"]


@pytest.fixture(scope="module")
def mariadb_sample(mysql_databases) -> str:
    """The small sample city (seed 42, as the SQLite ``sample_database``) in a MariaDB database: its URL."""
    url = mysql_databases.new_url()
    engine = make_engine(url)
    generate(engine, "small", seed=42, log=lambda *_: None)
    engine.dispose()
    return url


def page_cards(url: str, page: str, params: dict, monkeypatch) -> dict[str, str]:
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()  # the cache is not per database: each engine's figures are read afresh
    at = first_visit({**params, "lang": "en"})
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, (page, [e.value for e in at.exception])
    assert not at.error, (page, [e.value for e in at.error])  # no outage banner either
    assert at.title
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("filter_name", ["city-latest", "community-7d"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_on_mariadb_what_it_shows_on_sqlite(sample_database, mariadb_sample, page, filter_name, monkeypatch):
    sqlite_url, _ = sample_database
    params = FILTERS[filter_name][0]
    on_mariadb = page_cards(mariadb_sample, page, params, monkeypatch)
    on_sqlite = page_cards(sqlite_url, page, params, monkeypatch)
    assert on_mariadb == on_sqlite
    if page not in ("definitions",):
        assert on_mariadb, "the page shows KPI cards"


def test_the_wall_shows_on_mariadb_what_it_shows_on_sqlite(sample_database, mariadb_sample, monkeypatch):
    def wall_cards(url: str) -> dict[str, str]:
        monkeypatch.setenv("DATABASE_URL", url)
        st.cache_data.clear()
        at = first_visit({"mode": "wall", "lang": "zh"})
        assert not at.error, [e.value for e in at.error]
        return {m.label: m.value for m in at.metric}

    on_mariadb = wall_cards(mariadb_sample)
    assert on_mariadb and on_mariadb == wall_cards(sample_database[0])
