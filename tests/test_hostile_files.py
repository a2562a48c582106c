"""The corpus of hostile report files, imported through the real intake on every engine:
bombs, huge cells, a million rows, formula cells, Markdown and HTML in file names, NUL
bytes, wrong encodings, a name of 10,000 characters. Each is refused with its reason
within 5 s and 200 MB, leaves every figure as it was, stores a history row of bounded
size, and the intake page still opens afterwards and lists them (the page's own
functions, and the page itself through AppTest, on each engine).

Hand-built files come from the helpers of tests/test_ingest_limits.py and
tests/intake_support.py, so each hostile property is visible here, not hidden in a binary."""

from __future__ import annotations

import dataclasses
import functools
import json
import time
import tracemalloc

import pytest
from streamlit.testing.v1 import AppTest

from data_access import reporting
from data_access.ingest import REJECTED
from data_access.ingest import errors as e
from data_access.ingest.templates import template_header
from data_access.ingest.types import REPORT_TYPES
from presentation.views import intake as intake_view
from tests.app_support import PROJECT_ROOT
from tests.intake_support import SETTINGS, fingerprint, import_count, import_one, last_import
from tests.test_ingest_limits import xlsx_with_rows

G1 = "990101001001001001"
GRID_HEADER = ",".join(template_header(REPORT_TYPES["grid"]))
MARKUP_NAME = '![x](http://evil.example/t.png) [click](http://evil.example/p) :red[RED] <img src=x onerror="alert(1)">.csv'
TIGHT = dataclasses.replace(SETTINGS, max_unzipped_mb=1, max_rows=1_000)


@functools.cache
def million_rows() -> bytes:
    """A 7 MB XLSX of a million rows (made once: a few seconds)."""
    return xlsx_with_rows(1_000_000)


def grid_csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([GRID_HEADER, *lines]) + "\r\n").encode(encoding)


# name → (file name, bytes, settings, the reason codes it must be refused with)
HOSTILE = {
    "zip bomb": ("bomb.xlsx", lambda: xlsx_with_rows(50_000), TIGHT, {e.UNZIPPED_TOO_LARGE}),
    "a million rows (the default limit: 300,000)": ("rows.xlsx", million_rows, SETTINGS, {e.TOO_MANY_ROWS}),
    "a 200,000-character cell (xlsx)": (
        "cell.xlsx",
        lambda: xlsx_with_rows(3, big_cell="紫" * 200_000),
        SETTINGS,
        {e.CELL_TOO_LONG},
    ),
    "a 1 MB cell (csv)": ("cell.csv", lambda: grid_csv("9" * 1_000_000 + f",{G1}"), SETTINGS, {e.CELL_TOO_LONG}),
    "formula cells": (
        "formula.csv",
        lambda: grid_csv(f'=HYPERLINK("http://evil.example/x"),{G1},1,2,0,0,0,0,1,绿', "2022-04-02,@SUM(1+1),1,2,0,0,0,0,1,绿"),
        SETTINGS,
        {e.FORMULA, e.UNKNOWN_CODE},  # "=…" is a formula; "@SUM(1+1)" is a code no unit has
    ),
    "Markdown and HTML in the file name": (
        MARKUP_NAME,
        lambda: grid_csv("2022-04-02,NOPE,1,2,0,0,0,0,1,绿"),
        SETTINGS,
        {e.UNKNOWN_CODE},
    ),
    # A NUL byte makes a "CSV" binary: refused whole, before any cell reaches the database.
    "a NUL byte in a code": (
        "nul.csv",
        lambda: grid_csv(f"2022-04-02,{G1}\x00,1,2,0,0,0,0,1,绿"),
        SETTINGS,
        {e.UNSUPPORTED_FORMAT},
    ),
    "an escape character in a code": (
        "esc.csv",
        lambda: grid_csv(f"2022-04-02,{G1}\x1b[31m,1,2,0,0,0,0,1,绿"),
        SETTINGS,
        {e.CONTROL_CHARACTER},
    ),
    "a control character in a number": (
        "bell.csv",
        lambda: grid_csv(f"2022-04-02,{G1},1\x07,2,0,0,0,0,1,绿"),
        SETTINGS,
        {e.CONTROL_CHARACTER},
    ),
    "UTF-16 without its byte-order mark": (
        "utf16.csv",
        lambda: grid_csv(f"2022-04-02,{G1},1,2,0,0,0,0,1,绿", encoding="utf-16-le"),
        SETTINGS,
        None,
    ),
    "Shift-JIS, neither UTF-8 nor GBK": (
        "sjis.csv",
        lambda: "日付,ｺｰﾄﾞ,検査数\r\n2022-04-02,ﾃｽﾄ,1\r\n".encode("shift_jis"),
        SETTINGS,
        None,
    ),
    "not text at all": ("random.csv", lambda: bytes(range(256)) * 64, SETTINGS, None),
    "a code of 40 characters": (
        "long_code.csv",
        lambda: grid_csv(f"2022-04-02,{'9' * 40},1,2,0,0,0,0,1,绿"),
        SETTINGS,
        {e.CODE_TOO_LONG},
    ),
    "a name of 10,000 characters": (
        "n" * 10_000 + ".csv",
        lambda: grid_csv("2022-04-02,NOPE,1,2,0,0,0,0,1,绿"),
        SETTINGS,
        {e.UNKNOWN_CODE},
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_file_is_refused_in_bounds_and_changes_nothing(city, case):
    name, make, settings, codes = HOSTILE[case]
    data = make()
    before, imports = fingerprint(city), import_count(city)
    tracemalloc.start()
    started = time.perf_counter()
    outcome = import_one(city, name, data, settings=settings)
    seconds = time.perf_counter() - started
    peak_mb = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()

    assert outcome.outcome == REJECTED
    found = {error.code for error in outcome.errors}
    if codes is None:  # a wrong encoding: refused as unreadable, whichever reason names it
        assert found & {e.UNDECODABLE, e.UNSUPPORTED_FORMAT, e.UNKNOWN_COLUMN, e.MISSING_COLUMN, e.EMPTY_FILE}, found
    else:
        assert found == codes, found
    assert seconds < 5, f"{case}: {seconds:.1f} s"
    assert peak_mb < 200, f"{case}: {peak_mb:.0f} MB"
    assert fingerprint(city) == before  # every figure as it was
    assert import_count(city) == imports + 1  # the refusal is in the history
    stored = last_import(city)
    assert stored["outcome"] == REJECTED
    assert len(stored["file_name"]) <= 255
    assert len(stored["errors"] or "") < 50_000, "the history stores bounded errors"
    for error in json.loads(stored["errors"]):
        assert len(str(error.get("value") or "")) <= 201


def test_the_intake_history_still_shows_after_the_corpus(city):
    """What the intake page draws of its history: every row, escaped names, on each engine."""
    for case in HOSTILE:
        name, make, settings, _ = HOSTILE[case]
        import_one(city, name, make(), settings=settings)
    history = reporting.import_history(200, engine=city)
    assert len(history) >= len(HOSTILE)
    errors_of = {row.id: intake_view.stored_errors(row.errors) for row in history.itertuples()}
    for lang in ("zh", "en"):
        table = intake_view.history_table(history, errors_of, lang)
        assert len(table) == len(history)
        assert all(len(str(cell)) < 2_000 for cell in table.to_numpy().ravel())
        assert not any("No  has" in str(cell) for cell in table.to_numpy().ravel())  # a noun is never missing


def test_the_intake_page_opens_after_the_corpus_and_shows_names_as_typed(city, monkeypatch):
    url = city.url
    if city.dialect.name == "postgresql":  # the city is a schema: the URL names it
        with city.connect() as conn:
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    for case in HOSTILE:
        name, make, settings, _ = HOSTILE[case]
        import_one(city, name, make(), settings=settings)
    monkeypatch.setenv("DATABASE_URL", url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/data_intake.py").run()
    assert not at.exception, [x.value for x in at.exception]
    print("DEBUG", [len(f.value) for f in at.dataframe], [e.value for e in at.error], [i.value for i in at.info])
    assert any(len(frame.value) >= len(HOSTILE) for frame in at.dataframe), "the history lists every refusal"
    drawn = " ".join(str(m.value) for m in at.markdown)
    assert "](http://evil.example" not in drawn  # no live link or image from a file name
