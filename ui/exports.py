"""Exports of what a chart or table shows: CSV and XLSX, each carrying the filter, the
language and the data time, so a file read later still says what it is."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from data_access.ingest.templates import inert
from presentation.text import language_name
from ui.i18n import t


@dataclass(frozen=True)
class ExportContext:
    """What an exported file says about itself."""

    title: str
    area: str  # name and code
    dates: str
    lang: str
    data_time: str
    generated_at: str
    note: str | None = None  # what the file's marks mean (small-count suppression)

    def lines(self) -> list[tuple[str, str]]:
        lines = [
            (t("export.title", self.lang), self.title),
            (t("export.area", self.lang), self.area),
            (t("export.dates", self.lang), self.dates),
            (t("export.language", self.lang), language_name(self.lang)),
            (t("export.data_time", self.lang), self.data_time),
            (t("export.generated_at", self.lang), self.generated_at),
        ]
        return [*lines, (t("suppression.note_label", self.lang), self.note)] if self.note else lines


def csv_bytes(data: pd.DataFrame, context: ExportContext) -> bytes:
    """UTF-8 (with BOM, so Excel in China opens it) CSV: ``#`` lines describing the export,
    then the table with its display headers."""
    head = "".join(f"# {key}: {value}\n" for key, value in context.lines())
    return (head + data.map(inert).rename(columns=inert).to_csv(index=False)).encode("utf-8-sig")


def _number_format(series: pd.Series, header: str) -> str | None:
    if pd.api.types.is_integer_dtype(series):
        return "#,##0"
    if series.dtype == object:  # counts among suppression marks ("<5", "*") and a total's label
        numbers = [v for v in series if not isinstance(v, str) and v is not None and not pd.isna(v)]
        whole = numbers and all(isinstance(v, int | np.integer) for v in numbers)
        return "#,##0" if whole and any(isinstance(v, str) for v in series) else None
    if pd.api.types.is_float_dtype(series):
        if "%" in header:
            return "0.0"
        values = series.dropna().abs()
        return "#,##0" if len(values) and (values % 1 == 0).all() else "#,##0.0#"
    return None


def xlsx_bytes(data: pd.DataFrame, context: ExportContext, sheet: str = "data") -> bytes:
    """An XLSX workbook: the table (headers as shown, thousands separators, dates as
    dates) on the first sheet, and what the export is on a second sheet."""
    book = Workbook()
    table = book.active
    table.title = t("export.sheet_data", context.lang)[:31]
    headers = [str(c) for c in data.columns]
    table.append([inert(h) for h in headers])
    for cell in table[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in data.itertuples(index=False):
        table.append([_cell(v) for v in row])
    for index, header in enumerate(headers, start=1):
        column = data.iloc[:, index - 1]
        fmt = _number_format(column, header)
        letter = get_column_letter(index)
        if fmt:
            for cell in table[letter][1:]:
                cell.number_format = fmt
        elif len(column) and isinstance(column.iloc[0], (dt.date, pd.Timestamp)):
            for cell in table[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
        width = max([len(header) * (2 if not header.isascii() else 1)] + [len(str(v)) for v in column.head(200)]) + 2
        table.column_dimensions[letter].width = min(max(width, 8), 48)
    table.freeze_panes = "A2"
    about = book.create_sheet(t("export.sheet_about", context.lang)[:31])
    for key, value in context.lines():
        about.append([key, inert(value)])
        about.cell(row=about.max_row, column=1).font = Font(bold=True)
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return inert(value)
