"""Hostile report files are refused as they are read, within time and memory: a zip bomb
before it is opened, a huge cell at its row, a million rows at the first one too many;
an offending value is kept and echoed only to its first 200 characters."""

from __future__ import annotations

import dataclasses
import io
import time
import tracemalloc
import zipfile

import pytest

from data_access.ingest import errors as e
from data_access.ingest import parse_report
from data_access.ingest.errors import VALUE_SHOWN, IntakeError
from data_access.ingest.reading import count_rows
from data_access.ingest.templates import template_header
from data_access.ingest.types import REPORT_TYPES
from tests.intake_support import SETTINGS, TODAY

GRID = REPORT_TYPES["grid"]


def xlsx_with_rows(rows: int, big_cell: str | None = None) -> bytes:
    """A minimal XLSX written by hand (inline strings, with the ``dimension`` element every
    spreadsheet program writes): the grid template's header, then ``rows`` rows, the first
    holding ``big_cell`` when given. Small once zipped."""
    header = template_header(GRID)

    def cell(col: int, row: int, value: str) -> str:
        return f'<c r="{chr(65 + col)}{row}" t="inlineStr"><is><t>{value}</t></is></c>'

    body = ["".join(cell(i, 1, h) for i, h in enumerate(header))]
    for r in range(2, rows + 2):
        first = big_cell if (big_cell is not None and r == 2) else "2022-04-30"
        body.append(cell(0, r, first) + cell(1, r, "418801001001001"))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{chr(64 + len(header))}{rows + 1}"/><sheetData>'
        + "".join(f'<row r="{i + 1}">{cells}</row>' for i, cells in enumerate(body))
        + "</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def refused(name: str, data: bytes, settings=SETTINGS) -> tuple[list[IntakeError], float, float]:
    """The file's errors, the seconds and the peak MB it took to refuse it."""
    tracemalloc.start()
    started = time.perf_counter()
    report = parse_report(name, data, "grid", today=TODAY, settings=settings)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    assert not report.ok
    return report.errors, seconds, peak


def test_an_xlsx_that_unpacks_too_large_is_refused_before_it_is_opened():
    data = xlsx_with_rows(50_000)
    assert len(data) < 2 * 1024 * 1024  # a small upload …
    errors, seconds, peak = refused("bomb.xlsx", data, dataclasses.replace(SETTINGS, max_unzipped_mb=1))
    assert [error.code for error in errors] == [e.UNZIPPED_TOO_LARGE]  # … that unpacks past 1 MB
    assert errors[0].fields["limit_mb"] == 1 and errors[0].fields["size_mb"] > 1
    assert seconds < 1 and peak < 50


def test_a_sheet_with_too_many_rows_is_refused_before_a_row_is_read():
    """The rows are counted in the sheet's XML as it unzips (a million in about a second),
    not read one by one through openpyxl (a million took a minute): within 5 s and 200 MB
    at the default limit too."""
    errors, seconds, peak = refused("many.xlsx", xlsx_with_rows(200_000), dataclasses.replace(SETTINGS, max_rows=1_000))
    assert [error.code for error in errors] == [e.TOO_MANY_ROWS]
    assert errors[0].fields == {"n": "200,000", "limit": 1_000}
    assert seconds < 5 and peak < 200
    errors, seconds, peak = refused("million.xlsx", xlsx_with_rows(1_000_000), dataclasses.replace(SETTINGS, max_rows=300_000))
    assert errors[0].fields == {"n": "1,000,000", "limit": 300_000}
    assert seconds < 5 and peak < 200


@pytest.mark.parametrize("prefix", ["", "x:"])
@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_row_elements_are_counted_across_chunk_boundaries(chunk, prefix):
    rows = "".join(
        f'<{prefix}row r="{i}"><{prefix}c r="A{i}"><{prefix}v>{i}</{prefix}v></{prefix}c></{prefix}row>' for i in range(1, 100)
    )
    sheet = (
        f"<{prefix}worksheet><{prefix}sheetData>{rows}<{prefix}row/></{prefix}sheetData><{prefix}rowBreaks/></{prefix}worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("s.xml", sheet.encode())
    with zipfile.ZipFile(buffer) as archive:
        assert count_rows(archive, "s.xml", chunk) == 100  # <rowBreaks> is no row


def test_rows_are_still_counted_as_they_are_read():
    """A row count the sheet's XML cannot give (a CSV) is still checked row by row."""
    data = (",".join(template_header(GRID)) + "\n" + "2022-04-30,418801001001001\n" * 2_000).encode()
    errors, seconds, _ = refused("many.csv", data, dataclasses.replace(SETTINGS, max_rows=1_000))
    assert [error.code for error in errors] == [e.TOO_MANY_ROWS]
    assert errors[0].fields == {"n": "1,000+", "limit": 1_000}


def test_a_huge_cell_is_refused_at_its_row_and_never_echoed_whole():
    big = "紫" * 200_000
    for name, data in (
        ("big.xlsx", xlsx_with_rows(3, big_cell=big)),
        ("big.csv", (",".join(template_header(GRID)) + "\n" + big + ",418801001001001\n").encode()),
    ):
        errors, seconds, peak = refused(name, data)
        assert [error.code for error in errors] == [e.CELL_TOO_LONG], name
        assert errors[0].fields["row"] == 2 and errors[0].fields["limit"] == SETTINGS.max_cell_chars
        assert len(str(errors[0].to_json())) < 1_000  # what the history stores
        assert seconds < 5 and peak < 200


def test_an_offending_value_is_kept_only_to_its_first_200_characters():
    error = IntakeError(e.NOT_A_NUMBER, "f.csv", row=2, column="x", value="9" * 10_000)
    assert len(error.value) == VALUE_SHOWN + 1 and error.value.endswith("…")
    assert IntakeError.from_json(error.to_json()) == error
