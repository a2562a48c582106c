"""Blank report templates, generated from the report type definitions: CSV (UTF-8 with
BOM, so Excel in China opens the Chinese headers) and XLSX (the data sheet named for the
type, first, plus a sheet explaining every column in both languages)."""

from __future__ import annotations

import csv
import io
import re

from data_access.ingest import types as k
from data_access.ingest.cells import CATEGORY_WORDS, ENTITY_TYPE_WORDS, MEASURE_WORDS
from data_access.ingest.types import ReportType
from data_access.schema import AGE_GROUPS


def _choices(zh: str, en: str, words: dict[str, tuple[str, ...]]) -> tuple[str, str]:
    """A closed list's note: its Chinese words, and its stored values (either is accepted)."""
    return f"{zh}：" + "、".join(w[0] for w in words.values()), f"{en}: " + ", ".join(words)


# What each kind of column holds, as the notes sheet explains it (Chinese, English).
KIND_NOTES: dict[str, tuple[str, str]] = {
    k.DATE: ("日期，如 2022-04-30 或 2022/4/30", "A day, e.g. 2022-04-30 or 2022/4/30"),
    k.CODE: ("代码，须与系统中登记的一致", "A code as registered in the system"),
    k.HOUR: ("时段 0–23（8 表示 8:00–8:59）", "Hour 0–23 (8 means 8:00–8:59)"),
    k.COUNT: ("非负整数，可带千位分隔符，无则填 0", "A whole number ≥ 0, thousands separators allowed; 0 when none"),
    k.HOURS: ("小时数 0–24", "Hours, 0–24"),
    k.RATIO: ("混采比例，如 10 或 10:1；单采填 1", "Pooling ratio, e.g. 10 or 10:1; 1 for single samples"),
    k.DURATION: ("小时，可含小数；未知可留空", "Hours, decimals allowed; blank when not known"),
    k.AGE_GROUP: ("年龄组：" + "、".join(AGE_GROUPS), "Age group: " + ", ".join(AGE_GROUPS)),
    k.DOSE: ("剂次：1、2 或 3（3 = 加强针）", "Dose: 1, 2 or 3 (3 = booster)"),
    k.COLOUR: ("风险等级：绿/黄/橙/红", "Risk colour: green/yellow/orange/red"),
    k.CATEGORY: _choices("人员类别", "Category", CATEGORY_WORDS),
    k.MEASURE: _choices("管控措施", "Measure", MEASURE_WORDS),
    k.ENTITY_TYPE: _choices("检查对象类型", "Entity type", ENTITY_TYPE_WORDS),
}

NOTES_SHEET = "填表说明 Notes"


def template_header(report_type: ReportType) -> list[str]:
    return [c.template_header for c in report_type.columns]


# A text cell starting with one of these is read as a formula by Excel, LibreOffice and
# WPS; OWASP's advice for CSV injection is to make it text with a leading apostrophe.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*(?:[eE][+-]?\d+)?")


def inert(value):
    """``value`` as a spreadsheet shows it literally: a text starting with a formula
    character gets a leading apostrophe. Numbers, a text that is just a signed number
    ("-3", which no spreadsheet runs), dates and other text are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_bytes(rows) -> bytes:
    """Rows as the CSV Excel in China opens as it is: UTF-8 with a BOM, CRLF line ends,
    and no cell a spreadsheet would run as a formula."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([[inert(value) for value in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


def template_csv(report_type: ReportType) -> bytes:
    return csv_bytes([template_header(report_type)])


def template_xlsx(report_type: ReportType) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = report_type.title_zh[:31]
    sheet.append(template_header(report_type))
    bold = Font(bold=True)
    for cell, column in zip(sheet[1], report_type.columns, strict=True):
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if column.required:
            cell.fill = PatternFill("solid", fgColor="FDE9D9")
        # Codes and days as text: Excel would otherwise drop leading zeros or reformat them.
        sheet.column_dimensions[cell.column_letter].width = max(12, min(34, len(cell.value) + 4))
        if column.kind in (k.CODE, k.DATE, k.AGE_GROUP):
            sheet.column_dimensions[cell.column_letter].number_format = "@"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(NOTES_SHEET)
    notes.append(["表头 Header", "中文名", "English", "必填 Required", "填写说明", "How to fill in"])
    for cell in notes[1]:
        cell.font = bold
    for column in report_type.columns:
        zh, en = KIND_NOTES[column.kind]
        notes.append([column.template_header, column.zh, column.en, "是 yes" if column.required else "否 no", zh, en])
    notes.append([])
    notes.append([f"报表类型 Report type: {report_type.title_zh} / {report_type.title_en} ({report_type.name})"])
    for letter, width in zip("ABCDEF", (34, 20, 28, 14, 40, 48), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
