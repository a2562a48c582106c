"""Reading report files, no database: encodings, XLSX sheets and cells, headers in
Chinese, English or both, report types told apart, templates read back, blank rows,
spaces and thousands separators."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from data_access.ingest import REPORT_TYPES, parse_report
from data_access.ingest.templates import NOTES_SHEET, template_csv, template_xlsx
from data_access.ingest.types import match_header
from tests.intake_support import SETTINGS, TODAY

ROWS = [
    ["2022-04-03", "SS990101001001", "LAB9901011", "1,200", "1,100", "2", "100"],
    ["2022-04-03", "SS990101001002", "LAB9901011", "0", "0", "0", "0"],
]
HEADER_ZH = ["日期", "采样点代码", "检测机构代码", "采样数", "检测数", "阳性数", "待检数"]


def parse(name: str, data: bytes, report_type=None):
    return parse_report(name, data, report_type, today=TODAY, settings=SETTINGS)


def text_file(header, rows, encoding: str, delimiter: str = ",") -> bytes:
    lines = [delimiter.join(header)] + [
        delimiter.join(f'"{v}"' if "," in v and delimiter == "," else v for v in row) for row in rows
    ]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_file(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def figures(report) -> list[tuple]:
    columns = ["day", "site_code", "lab_code", "samples_collected", "samples_tested", "positives", "pending"]
    return [tuple(row) for row in report.rows[columns].itertuples(index=False, name=None)]


EXPECTED = [
    (dt.date(2022, 4, 3), "SS990101001001", "LAB9901011", 1200, 1100, 2, 100),
    (dt.date(2022, 4, 3), "SS990101001002", "LAB9901011", 0, 0, 0, 0),
]


@pytest.mark.parametrize(
    "encoding,delimiter",
    [("utf-8", ","), ("utf-8-sig", ","), ("gbk", ","), ("gb18030", ","), ("utf-16", "\t")],
)
def test_the_same_report_in_every_text_encoding(encoding, delimiter):
    report = parse(f"t_{encoding}.csv", text_file(HEADER_ZH, ROWS, encoding, delimiter))
    assert report.ok, report.errors
    assert report.report_type.name == "testing"
    assert figures(report) == EXPECTED
    assert list(report.rows["_row"]) == [2, 3]


def test_xlsx_reads_typed_cells_and_the_first_sheet():
    rows = [
        HEADER_ZH,
        [dt.datetime(2022, 4, 3), "SS990101001001", "LAB9901011", 1200, 1100.0, 2, "100"],
        [],
        ["2022/4/3", "SS990101001002", "LAB9901011", 0, 0, 0, 0],
    ]
    report = parse("t.xlsx", xlsx_file({"Sheet1": rows}))
    assert report.ok, report.errors
    assert figures(report) == EXPECTED
    assert list(report.rows["_row"]) == [2, 4]  # the empty row 3 is skipped, numbering kept


def test_xlsx_sheet_named_for_the_type_wins_over_the_first():
    data = xlsx_file({"封面": [["XX区防控指挥部"], ["日报"]], "核酸检测": [HEADER_ZH, *ROWS]})
    report = parse("t.xlsx", data)
    assert report.ok and report.report_type.name == "testing"
    assert len(report.rows) == 2


def test_xlsx_formula_is_text_never_evaluated():
    rows = [HEADER_ZH, ["2022-04-03", "SS990101001001", "LAB9901011", "=1+1", 0, 0, 0]]
    report = parse("t.xlsx", xlsx_file({"Sheet1": rows}))
    assert [(e.code, e.row, e.column, e.value) for e in report.errors] == [("formula", 2, "采样数", "=1+1")]


def test_blank_rows_spaces_and_thousands_separators():
    data = (
        (
            "\r\n"
            " 日期 ,采样点代码 , 检测机构代码,采样数,检测数,阳性数,待检数 , \r\n"
            "\r\n"
            '2022-04-03 , SS990101001001 ,LAB9901011 , 1,200 ,"1,100",2,100,\r\n'
            ",,,,,,,\r\n"
            "2022年4月3日,ss990101001002,LAB9901011,0,0,0,0,\r\n"
        )
        .replace(" 1,200 ", '" 1,200 "')
        .encode()
    )
    report = parse("t.csv", data)
    assert report.ok, report.errors
    assert figures(report) == EXPECTED
    assert list(report.rows["_row"]) == [4, 6]


@pytest.mark.parametrize(
    "header,column",
    [
        ("检测数", "samples_tested"),
        ("samples_tested", "samples_tested"),
        ("Samples tested", "samples_tested"),
        ("SAMPLES  TESTED", "samples_tested"),
        ("检测数 (samples_tested)", "samples_tested"),
        ("检测数（samples_tested）", "samples_tested"),
        ("检测数/Samples tested", "samples_tested"),
        ("采样数（份）", "samples_collected"),
        ("检测用时中位数（小时）", "turnaround_median_h"),
        ("检测用时中位数（小时） (turnaround_median_h)", "turnaround_median_h"),
        ("检测数/采样数", None),  # two columns in one header
        ("检测数量", None),
    ],
)
def test_header_spellings(header, column):
    assert match_header(REPORT_TYPES["testing"], header) == column


def test_a_remarks_column_is_allowed_and_ignored():
    report = parse("t.csv", text_file([*HEADER_ZH, "备注"], [[*ROWS[0], "补报"]], "utf-8"))
    assert report.ok and "备注" not in report.rows.columns


@pytest.mark.parametrize("name", list(REPORT_TYPES))
def test_each_template_is_recognised_as_its_type(name):
    report_type = REPORT_TYPES[name]
    for data, file_name in ((template_csv(report_type), f"{name}.csv"), (template_xlsx(report_type), f"{name}.xlsx")):
        report = parse(file_name, data)
        assert report.report_type is report_type
        assert [e.code for e in report.errors] == ["header_only"]
    assert template_csv(report_type).startswith(b"\xef\xbb\xbf")


def test_xlsx_template_has_the_data_sheet_first_and_notes_for_every_column():
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template_xlsx(REPORT_TYPES["vaccination"])))
    assert workbook.sheetnames == ["疫苗接种", NOTES_SHEET]
    assert [c.value for c in workbook["疫苗接种"][1]] == [
        "日期 (day)",
        "接种点代码 (site_code)",
        "年龄组 (age_group)",
        "剂次 (dose_number)",
        "接种剂次数 (doses)",
    ]
    assert workbook[NOTES_SHEET].max_row >= 1 + len(REPORT_TYPES["vaccination"].columns)


def test_hourly_and_daily_checkpoint_reports_are_told_apart():
    daily = "日期,道口代码,查验车辆,查验人员,体温检测,发热人员\r\n2022-04-03,CP990101001,1,2,2,0\r\n"
    hourly = "日期,时段,道口代码,查验车辆,查验人员,体温检测,发热人员\r\n2022-04-03,8,CP990101001,1,2,2,0\r\n"
    assert parse("d.csv", daily.encode()).report_type.name == "checkpoint_daily"
    assert parse("h.csv", hourly.encode()).report_type.name == "checkpoint_hourly"
    # Told which type it is, a file missing a column names it.
    wrong = parse("h.csv", daily.encode(), "checkpoint_hourly")
    assert [(e.code, e.column) for e in wrong.errors] == [("missing_column", "时段 (hour)")]
