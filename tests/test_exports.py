"""Exports: the CSV and XLSX files carry the figures (checked against the database by raw
SQL), Chinese headers, number formats, and the filter / language / data time."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
from openpyxl import load_workbook

from data_access.checkpoints import checkpoint_by_area
from data_access.scope import Scope
from tests.app_support import checkpoint_sum
from ui.exports import ExportContext, csv_bytes, xlsx_bytes

START, END = dt.date(2022, 4, 24), dt.date(2022, 4, 30)
CONTEXT = ExportContext(
    "分区域通行",
    "清河市（示例） (418800)",
    "2022年4月24日 – 2022年4月30日",
    "zh",
    "2022年4月30日 · 2022年4月30日 23:00",
    "2026年11月22日 10:00",
)


def district_table(engine) -> pd.DataFrame:
    frame = checkpoint_by_area(Scope("418800", START, END), engine)
    return frame[["area_code", "name_zh", "people", "fever"]].rename(
        columns={"area_code": "代码", "name_zh": "区域", "people": "查验人员", "fever": "发热人员"}
    )


def test_xlsx_holds_the_database_figures_with_formats_and_context(sample_database):
    _, engine = sample_database
    table = district_table(engine)
    book = load_workbook(io.BytesIO(xlsx_bytes(table, CONTEXT)))
    data, about = book.worksheets
    assert data.title == "数据" and about.title == "说明"
    assert [c.value for c in data[1]] == ["代码", "区域", "查验人员", "发热人员"]
    rows = list(data.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6
    for code, _name, people, fever in rows:
        assert people == checkpoint_sum(engine, "people", code, START, END, "418800")
        assert fever == checkpoint_sum(engine, "fever", code, START, END, "418800")
    assert data["C2"].number_format == "#,##0"
    assert dict(about.iter_rows(values_only=True))["区域"] == "清河市（示例） (418800)"
    assert dict(about.iter_rows(values_only=True))["语言"] == "中文"


def test_csv_holds_the_database_figures_and_context(sample_database):
    _, engine = sample_database
    raw = csv_bytes(district_table(engine), CONTEXT)
    assert raw.startswith("\ufeff".encode())  # BOM: Excel in China reads the headers right
    text = raw.decode("utf-8-sig")
    assert "# 日期: 2022年4月24日 – 2022年4月30日" in text
    assert "# 数据时间: 2022年4月30日 · 2022年4月30日 23:00" in text
    table = pd.read_csv(io.StringIO(text), comment="#", dtype={"代码": str})
    for row in table.itertuples(index=False):
        assert row[2] == checkpoint_sum(engine, "people", row[0], START, END, "418800")


def test_english_export_names_its_sheets_and_fields_in_english():
    context = ExportContext(
        "Throughput by area",
        "Qinghe City (sample) (418800)",
        "24 Apr 2022 – 30 Apr 2022",
        "en",
        "30 Apr 2022",
        "22 Nov 2026 10:00",
    )
    book = load_workbook(
        io.BytesIO(xlsx_bytes(pd.DataFrame({"Positivity (%)": [0.1234], "Day": [dt.date(2022, 4, 30)]}), context))
    )
    assert [ws.title for ws in book.worksheets] == ["Data", "About"]
    assert book["Data"]["A2"].number_format == "0.0"
    assert book["Data"]["B2"].number_format == "yyyy-mm-dd"
    assert dict(book["About"].iter_rows(values_only=True))["Language"] == "English"


HOSTILE = ['=HYPERLINK("http://evil.example/x","click")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "plain", "a=b", "-3", "+12.5"]
ESCAPED = {"-3": "-3", "+12.5": "+12.5"}  # a signed number is no formula: left as it is


def test_no_exported_cell_is_a_formula():
    """Text a user typed (a reporter's name, an area, a file name) that starts like a
    formula is written as text, in CSV and in XLSX (OWASP: a leading apostrophe)."""
    frame = pd.DataFrame({"上报人": HOSTILE, "数量": range(len(HOSTILE))})
    context = ExportContext("=cmd|' /C calc'!A0", "清河市 (418800)", "2022年4月30日", "zh", "—", "—")
    rows = list(csv.reader(io.StringIO(csv_bytes(frame, context).decode("utf-8-sig").split("\n", len(context.lines()))[-1])))
    assert [row[0] for row in rows[1:]] == [ESCAPED.get(v, "'" + v if v[0] in "=+-@\t" else v) for v in HOSTILE]
    assert [row[1] for row in rows[1:]] == [str(n) for n in range(len(HOSTILE))]  # numbers stay numbers
    book = load_workbook(io.BytesIO(xlsx_bytes(frame, context)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'=HYPERLINK" in [str(cell.value)[:11] for cell in cells]


def test_master_data_exports_and_templates_hold_no_formula():
    from data_access.ingest.templates import csv_bytes as plain_csv

    text = plain_csv([["名称", "代码"], ["=1+1", "@x"], ["ok", "-3"]]).decode("utf-8-sig")
    assert text.splitlines() == ["名称,代码", "'=1+1,'@x", "ok,-3"]
