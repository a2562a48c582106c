"""How pages read what they show without paying for it on every rerun: ``ui.data.derive``
(figures worked out from query results, cached by the reads and plain arguments) and the
export context of a download, read when the file is built rather than on every run that
draws its buttons. On the small sample city (SQLite), outside a page run (Streamlit's
caches work there too, as in a download's callable)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import streamlit as st

from data_access import areas as area_queries
from data_access import supplies
from data_access.scope import DatabaseUnavailable, Scope
from presentation import formatting as fmt
from presentation.filter_url import FilterState
from ui.components import export_context
from ui.data import derive, forget_outages

CITY, DISTRICT = "418800", "418801"
DAY = dt.date(2022, 4, 9)
calls: list[tuple] = []


def counted_summary(status: pd.DataFrame, items: pd.DataFrame, line: float) -> dict:
    """A builder that says when it runs: items under ``line`` days of cover, by name."""
    calls.append((len(status), line))
    names = items.set_index("code")["name_en"]
    under = status[status["days_of_cover"] < line]
    return {"under": sorted(names[code] for code in under["item_code"]), "items": len(items)}


@pytest.fixture()
def on_sample(sample_database, monkeypatch):
    url, engine = sample_database
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    calls.clear()
    yield engine
    st.cache_data.clear()
    forget_outages()  # an outage a test made must not last into the next test


def test_derive_works_out_once_per_reads_and_arguments(on_sample):
    engine = on_sample
    scope = Scope(CITY, DAY, DAY)
    reads = ((supplies.supply_status, scope), (supplies.supply_items, None))
    status = supplies.supply_status(scope, engine)
    expected = counted_summary(status, supplies.supply_items(engine), 30.0)
    calls.clear()

    first = derive(counted_summary, reads, 30.0)
    assert first == expected and expected["under"]  # the wave day leaves items under 30 days
    assert derive(counted_summary, reads, 30.0) == expected
    assert len(calls) == 1  # the rerun took it from the cache

    assert derive(counted_summary, reads, 1.0)["under"] != expected["under"]  # another line: worked out again
    other = derive(counted_summary, ((supplies.supply_status, Scope(DISTRICT, DAY, DAY)), reads[1]), 30.0)
    assert other == counted_summary(
        supplies.supply_status(Scope(DISTRICT, DAY, DAY), engine), supplies.supply_items(engine), 30.0
    )
    assert len(calls) == 4  # one for the new line, one for the district, one here

    st.cache_data.clear()  # as after new data: the figures are worked out again
    derive(counted_summary, reads, 30.0)
    assert len(calls) == 5


def test_during_an_outage_derive_gives_what_it_last_worked_out(on_sample):
    cut = {"now": False}

    def status_unless_cut(scope, engine=None):
        if cut["now"]:
            raise DatabaseUnavailable("connection refused")
        return supplies.supply_status(scope, engine)

    reads = ((status_unless_cut, Scope(CITY, DAY, DAY)), (supplies.supply_items, None))
    before = derive(counted_summary, reads, 30.0)
    cut["now"] = True
    st.cache_data.clear()  # as after the cache's TTL: the figures must be read again
    assert derive(counted_summary, reads, 30.0) == before  # the last good result, not nothing
    assert derive(counted_summary, reads, 1.0, default="nothing kept") == "nothing kept"
    assert len(calls) == 1


def test_an_export_says_what_and_when_as_the_file_is_built(on_sample):
    engine = on_sample
    state = FilterState(DISTRICT, "custom", dt.date(2022, 4, 3), DAY, "zh")
    context = export_context("物资保障", state, None)
    district = area_queries.area_info(DISTRICT, engine)
    freshness = area_queries.domain_freshness(engine)
    assert context.area == f"{district['name_zh']} ({DISTRICT})"
    assert context.dates == fmt.day_range(dt.date(2022, 4, 3), DAY, "zh")
    assert context.data_time == (
        f"{fmt.day(freshness['last_day'].max(), 'zh')} · {fmt.local_time(freshness['last_reported_at'].max(), 'zh')}"
    )
    assert context.data_time.startswith("2022年")


def test_an_export_outside_the_readers_area_or_without_a_database_still_comes(on_sample, monkeypatch, tmp_path):
    state = FilterState(DISTRICT, "custom", DAY, DAY, "en")
    # A reader limited to another district: its name is not read for them.
    refused = export_context("Supplies", state, "418802")
    assert refused.area == DISTRICT and refused.data_time == f"{fmt.DASH} · {fmt.DASH}"
    # The database gone by the time the file is built: the file, with the code and no time.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'none.sqlite'}")
    gone = export_context("Supplies", state, None)
    assert gone.area == DISTRICT and gone.data_time == f"{fmt.DASH} · {fmt.DASH}"
