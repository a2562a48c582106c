"""Write the corpus of bad (and a few good) report files the intake tests read.

    .venv/bin/python tests/intake_files/make_files.py

The files are committed; this script is how they were made (the binary ones, GBK and
XLSX, cannot be typed by hand). Codes and days are the hand-built test city's
(tests/fixtures_data.py); what each file must be rejected for is in
tests/test_ingest_corpus.py.
"""

from __future__ import annotations

import io
from pathlib import Path

HERE = Path(__file__).resolve().parent

CP_DAILY_ZH = "日期,道口代码,查验车辆,查验人员,体温检测,发热人员"
TESTING_ZH = "日期,采样点代码,检测机构代码,采样数,检测数,阳性数,待检数"
GRID_ZH = "日期,网格单元代码,入户走访户数,排查人数,居家观察人数,在岗网格员,风险等级"
G1, G2 = "990101001001001001", "990101001001002001"


def lines(*rows: str) -> str:
    return "\r\n".join(rows) + "\r\n"


TEXT_FILES: dict[str, tuple[str, str]] = {
    # name: (text, encoding)
    "blank_lines.csv": ("\r\n   \r\n,,,\r\n", "utf-8"),
    "header_only.csv": (lines(CP_DAILY_ZH, "", ",,,,,"), "utf-8"),
    "gbk_negative.csv": (lines(CP_DAILY_ZH, "2022-04-03,CP990101002,-5,10,10,0"), "gbk"),
    "negative_and_unknown_code.csv": (lines(CP_DAILY_ZH, "2022-04-03,CPX,-1,0,0,0"), "utf-8"),
    "bom_unknown_checkpoint.csv": (
        lines(
            "day,checkpoint_code,vehicles,people,temperature_checks,fever",
            "2022-04-03,CP990101001,1,2,2,0",
            "2022-04-03,CP999,1,2,2,0",
        ),
        "utf-8-sig",
    ),
    "missing_column.csv": (
        lines("日期,采样点代码,检测机构代码,采样数,阳性数", "2022-04-03,SS990101001001,LAB9901011,10,0"),
        "utf-8",
    ),
    "unknown_column.csv": (
        lines("日期,采样点代码,检测机构代码,采样数,检测数量,阳性数,备注", "2022-04-03,SS990101001001,LAB9901011,10,10,0,补报"),
        "utf-8",
    ),
    "duplicate_column.csv": (
        lines(
            "日期,采样点代码,检测机构代码,采样数,samples_collected,检测数,阳性数",
            "2022-04-03,SS990101001001,LAB9901011,10,10,10,0",
        ),
        "utf-8",
    ),
    "bad_cells.csv": (
        lines(
            "Day,Hour,Checkpoint code,Vehicles checked,People checked,Temperature checks,Fever found",
            "2022-13-01,8,CP990101001,10,20,20,0",
            "2022-04-03,24,CP990101001,10,20,20,0",
            "2022-04-03,9,CP990101001,十二,20,20,0",
            "2022-04-03,10,CP990101001,10,20.5,20,0",
            "2022-04-03,11,CP990101001,10,,20,0",
            "",
            ' 2022-04-03 , 12 , CP990101001 ,"1,000"," 2,000 ",1999,1',
        ),
        "utf-8",
    ),
    "bad_vaccination_values.csv": (
        lines(
            "day,site_code,age_group,dose_number,doses", "2022-04-03,VS990101F01,20-30,1,5", "2022-04-03,VS990101F01,18-59,4,5"
        ),
        "utf-8",
    ),
    "bad_colour.csv": (lines(GRID_ZH, f"2022-04-03,{G1},10,20,0,2,紫"), "utf-8"),
    "future_date.csv": (lines(CP_DAILY_ZH, "2099-01-01,CP990101002,10,20,20,0"), "utf-8"),
    "before_start.csv": (lines(CP_DAILY_ZH, "2019-12-31,CP990101002,10,20,20,0"), "utf-8"),
    "duplicate_key.csv": (
        lines(GRID_ZH, f"2022-04-03,{G1},10,20,0,2,绿", f"2022-04-03,{G2},5,9,0,1,绿", f"2022-04-03,{G1},11,21,0,2,绿"),
        "utf-8",
    ),
    "tested_above_collected.csv": (
        lines(
            TESTING_ZH,
            "2022-04-02,SS990101002001,LAB9901011,50,60,0,5",  # 10 carried from the 1st (stored): fine
            "2022-04-02,SS990101001002,LAB9901011,80,90,1,0",  # nothing carried: 90 > 80
            "2022-04-03,SS990101001001,LAB9901011,40,65,0,5",  # 30 carried from the 2nd (stored): fine
            "2022-04-03,SS990101002001,LAB9901011,20,25,0,0",  # 5 carried from row 2 of this file: fine
        ),
        "utf-8",
    ),
    "positives_above_tested.csv": (lines(TESTING_ZH, "2022-04-03,SS990102001201,LAB9901021,10,10,11,0"), "utf-8"),
    "closing_mismatch.csv": (
        lines(
            "日期,仓库代码,物资代码,期初库存,采购入库,调拨入库,捐赠入库,出库（一线）,期末库存",
            "2022-04-03,WH990101,MASK,1000,100,0,50,350,900",
        ),
        "utf-8",
    ),
    "dose2_above_dose1.csv": (
        lines("日期,接种点代码,年龄组,剂次,接种剂次数", "2022-04-02,VS990102V01,60-79岁,第2剂,10"),
        "utf-8",
    ),
    "temperature_above_people.csv": (lines(CP_DAILY_ZH, "2022-04-03,CP990101002,10,20,21,0"), "utf-8"),
    "fever_above_temperature.csv": (lines(CP_DAILY_ZH, "2022-04-03,CP990101002,10,20,20,21"), "utf-8"),
    "unknown_type.csv": (lines("名称,数量", "甲,1"), "utf-8"),
    "unknown_grid_unit.csv": (lines(GRID_ZH, "2022-04-03,990101001001001,10,20,0,2,绿"), "utf-8"),
    "formula_code.csv": (lines(CP_DAILY_ZH, '2022-04-03,"=HYPERLINK(""http://example.com"")",10,20,20,0'), "utf-8"),
    "grid_valid.csv": (lines(GRID_ZH, f"2022-04-03,{G1},31,71,3,3,橙", f"2022-04-03,{G2},0,0,0,1,绿"), "utf-8"),
}

BINARY_FILES: dict[str, bytes] = {
    "empty.csv": b"",
    "old_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
    "broken.xlsx": b"PK\x03\x04" + b"this is not really a zip archive" * 4,
    "undecodable.csv": b"day,hour\r\n\xff\xfe\xfd,1\r\n",
}


def formula_xlsx() -> bytes:
    """A grid report whose 排查人数 is a formula (with no value cached: never evaluated)."""
    from openpyxl import Workbook

    workbook = Workbook()
    notes = workbook.active
    notes.title = "说明"
    notes.append(["这张表不是数据"])
    sheet = workbook.create_sheet("网格工作")  # named for the type: read instead of the first
    sheet.append(GRID_ZH.split(","))
    sheet.append(["2022-04-03", G1, 10, "=C2*2", 0, 2, "绿"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    for name, (text, encoding) in TEXT_FILES.items():
        (HERE / name).write_bytes(text.encode(encoding))
    for name, data in BINARY_FILES.items():
        (HERE / name).write_bytes(data)
    (HERE / "formula.xlsx").write_bytes(formula_xlsx())


if __name__ == "__main__":
    main()
