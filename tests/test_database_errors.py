"""Errors the database raises never reach a page as a traceback: a value it cannot hold
(a NUL byte, which PostgreSQL refuses), a corrupt SQLite file. The adapter turns them into
DatabaseFailed; the page shows a banner in the reader's language without the driver's
words, and the server's log has them."""

from __future__ import annotations

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from data_access import areas
from data_access.engine import make_engine
from data_access.scope import DatabaseFailed, DatabaseUnavailable
from presentation.filter_url import plausible_code
from tests.app_support import PROJECT_ROOT
from tests.fixtures_data import DISTRICT_A


@pytest.mark.parametrize(
    ("code", "plausible"),
    [("418801", True), ("418801\x00", False), ("4\n18801", False), (" 418801", False), ("x" * 65, False), ("", False)],
)
def test_implausible_codes_are_not_even_looked_up(code, plausible):
    assert plausible_code(code) is plausible


def test_a_nul_byte_in_a_search_matches_nothing_instead_of_failing(engine):
    assert areas.search_areas("\x00", engine=engine).empty
    found = areas.search_areas("Jia\x00", engine=engine)
    assert DISTRICT_A in found["code"].tolist()


def test_a_value_the_database_refuses_raises_database_failed(engine):
    """On PostgreSQL a NUL byte in a parameter is a DataError; on SQLite a plain miss."""
    try:
        areas.area_info(DISTRICT_A + "\x00", engine=engine)
    except DatabaseFailed as error:
        assert engine.dialect.name == "postgresql"
        assert "NUL" in str(error) or "0x00" in str(error)
    except LookupError:
        assert engine.dialect.name != "postgresql"


@pytest.fixture()
def corrupt_sample(sample_database, tmp_path):
    """A copy of the sample city whose pages are overwritten with garbage past its header."""
    _, source = sample_database
    path = tmp_path / "corrupt.sqlite"
    with sqlite3.connect(path) as target:
        raw = source.raw_connection()
        try:
            raw.driver_connection.backup(target)
        finally:
            raw.close()
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(4096 * 2)
        file.write(b"\xa5" * (size - 4096 * 3))
    return f"sqlite:///{path}"


def test_a_corrupt_sqlite_file_shows_a_banner_not_a_traceback(corrupt_sample, monkeypatch):
    engine = make_engine(corrupt_sample)
    with pytest.raises(DatabaseUnavailable):
        areas.data_date_bounds(engine=engine)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", corrupt_sample)
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(e.value for e in at.error)
    assert "The database" in shown
    assert "malformed" not in shown and "sqlite" not in shown.lower() and "Traceback" not in shown


def test_a_nul_byte_in_a_link_falls_back_to_the_whole_city(sample_database, monkeypatch):
    url, _ = sample_database
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["area"] = "418801\x00"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert "Qinghe City" in at.caption[0].value
