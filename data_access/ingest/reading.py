"""Turning an uploaded file's bytes into a header and rows of cells, nothing more.

CSV in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or GB18030 (which
includes GBK, what Excel in China writes); XLSX through openpyxl with formulas left as
their text (``data_only=False``: a formula is never evaluated, and the result Excel
cached beside it is never trusted). Blank rows are dropped but rows keep the numbers the
file shows, so an error can say "row 12" and mean the row the user sees.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from data_access.ingest import errors as e
from data_access.ingest.types import ReportType, sheet_type
from data_access.settings import IntakeSettings, intake_settings

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc) container


class UnreadableFile(Exception):
    """The file cannot be read as a table; ``code``/``fields`` say why."""

    def __init__(self, code: str, **fields) -> None:
        super().__init__(code)
        self.code = code
        self.fields = fields


@dataclass
class RawTable:
    """A file's first non-blank row (the header) and its non-blank rows below it."""

    header: list[str]
    rows: list[list]  # cells: str, int, float, datetime or None
    row_numbers: list[int]  # each row's number in the file (the header's is header_row)
    header_row: int
    sheet_type: ReportType | None = None  # the report type the chosen worksheet is named for


class _Limits:
    """The intake's limits, applied as a file is read: an XLSX's unpacked size before it is
    opened, and each row's cells and the count of rows as they come, so a hostile file is
    refused early instead of read whole (see docs/INTAKE.md, "Limits")."""

    def __init__(self, settings: IntakeSettings) -> None:
        self.settings = settings
        self.rows = 0

    def unzipped(self, data: bytes) -> None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                size = sum(member.file_size for member in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise UnreadableFile(e.UNREADABLE_XLSX, detail=type(error).__name__) from error
        limit = self.settings.max_unzipped_mb * 1024 * 1024
        if size > limit:
            raise UnreadableFile(
                e.UNZIPPED_TOO_LARGE, size_mb=round(size / 1024 / 1024, 1), limit_mb=self.settings.max_unzipped_mb
            )

    def sheet_rows(self, rows: int) -> None:
        """Refuse a sheet with more row elements than rows allowed before reading one: a
        million rows are counted in well under a second, where reading them takes a minute."""
        if rows > self.settings.max_rows + 1:  # + 1: the header
            raise UnreadableFile(e.TOO_MANY_ROWS, n=f"{rows - 1:,}", limit=self.settings.max_rows)

    def row(self, number: int, values: list) -> None:
        """Refuse a row with a cell over the length limit, or one row more than allowed
        (the header and blank rows do not count)."""
        for value in values:
            if isinstance(value, str) and len(value) > self.settings.max_cell_chars:
                raise UnreadableFile(e.CELL_TOO_LONG, row=number, chars=len(value), limit=self.settings.max_cell_chars)
        if not _blank_row(values):
            self.rows += 1
            if self.rows > self.settings.max_rows + 1:  # + 1: the header
                raise UnreadableFile(e.TOO_MANY_ROWS, n=f"{self.settings.max_rows:,}+", limit=self.settings.max_rows)


def read_table(data: bytes, file_name: str, wanted: ReportType | None = None, settings: IntakeSettings | None = None) -> RawTable:
    """The table in a CSV or XLSX file (XLSX: the sheet named for ``wanted`` or any report
    type, else the first), within the intake's limits. Raises UnreadableFile."""
    limits = _Limits(settings or intake_settings())
    if not data.strip():
        raise UnreadableFile(e.EMPTY_FILE)
    if data.startswith(XLSX_MAGIC):
        limits.unzipped(data)
        return _xlsx_table(data, wanted, limits)
    if data.startswith(OLE_MAGIC) or file_name.lower().endswith((".xls", ".xlsm", ".xlsb", ".ods")):
        raise UnreadableFile(e.UNSUPPORTED_FORMAT)
    if file_name.lower().endswith(".xlsx"):
        raise UnreadableFile(e.UNREADABLE_XLSX, detail="not a zip archive")
    return _csv_table(decode_text(data), limits)


def decode_text(data: bytes) -> str:
    """Text of a CSV file: BOMs honoured, then UTF-8, then GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode(data, "gb18030")


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableFile(e.UNDECODABLE, position=error.start) from error


def _delimiter(first_line: str) -> str:
    # Excel writes "," (CSV) or a tab ("Unicode text"); Excel in some locales ";".
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_table(text: str, limits: _Limits) -> RawTable:
    if "\x00" in text:
        raise UnreadableFile(e.UNSUPPORTED_FORMAT)
    first_line = next((line for line in text[:65536].splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    records = []
    try:
        for record in reader:
            limits.row(reader.line_num, record)
            records.append(record)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise UnreadableFile(
                e.CELL_TOO_LONG, row=reader.line_num, chars=f"{csv.field_size_limit():,}+", limit=limits.settings.max_cell_chars
            ) from error
        raise UnreadableFile(e.UNSUPPORTED_FORMAT, detail=str(error)[:200]) from error
    return _table(records, range(1, len(records) + 1))


def _cell(value):
    """An XLSX cell as the validator reads it: text stays text (a formula included)."""
    if value is None or isinstance(value, (str, int, float, dt.datetime, dt.date)):
        return value if not isinstance(value, bool) else str(value).upper()
    text = getattr(value, "text", None)  # openpyxl's ArrayFormula / DataTableFormula
    return text if isinstance(text, str) else str(value)


_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData[\s>/]")


def count_rows(archive: zipfile.ZipFile, member: str, chunk: int = 1 << 20) -> int:
    """How many row elements a sheet's XML holds, counted as it is unzipped in chunks (the
    archive's unzipped size is already bounded) with bytes.count: a million rows in about a
    second. Rows holding only formatting count too."""
    count, tail, tags = 0, b"", None
    with archive.open(member) as stream:
        while block := stream.read(chunk):
            window = tail + block
            if tags is None:
                found = _SHEET_DATA.search(window)
                if found is None and len(window) < (1 << 16):
                    tail = window  # the sheet's data has not begun: keep reading
                    continue
                prefix = (found.group(1) or b"") if found else b""
                tags = [b"<" + prefix + b"row" + end for end in (b" ", b">", b"/")]
            # A tag cut at the window's end is counted in the next window, one whole in the
            # kept tail (shorter than a window) would be counted twice: not counted here.
            tail = window[-32:]
            count += sum(window.count(tag) - tail.count(tag) for tag in tags)
    return count + sum(tail.count(tag) for tag in tags or [])


def _xlsx_table(data: bytes, wanted: ReportType | None, limits: _Limits) -> RawTable:
    from openpyxl import load_workbook

    try:
        # read_only streams rows; data_only=False keeps formulas as "=..." text.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise UnreadableFile(e.UNREADABLE_XLSX, detail=type(error).__name__) from error
    except Exception as error:  # openpyxl raises assorted errors on a broken archive
        raise UnreadableFile(e.UNREADABLE_XLSX, detail=type(error).__name__) from error
    try:
        if not workbook.worksheets:
            raise UnreadableFile(e.EMPTY_FILE)
        named = [(ws, sheet_type(ws.title)) for ws in workbook.worksheets]
        chosen = next((pair for pair in named if pair[1] is not None and (wanted is None or pair[1] is wanted)), None)
        sheet, sheet_report_type = chosen if chosen else (workbook.worksheets[0], None)
        if hasattr(sheet, "_worksheet_path"):
            limits.sheet_rows(count_rows(workbook._archive, sheet._worksheet_path))
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # some writers record wrong dimensions; read what is there
        records, numbers = [], []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            limits.row(number, cells)
            records.append(cells)
            numbers.append(number)
    except UnreadableFile:
        raise
    except Exception as error:  # a damaged sheet part
        raise UnreadableFile(e.UNREADABLE_XLSX, detail=type(error).__name__) from error
    finally:
        workbook.close()
    table = _table(records, numbers)
    table.sheet_type = sheet_report_type
    return table


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _blank_row(row: list) -> bool:
    if row and isinstance(row[0], str) and row[0].strip():
        return False  # the usual case, decided by the first cell
    try:
        return not "".join(row).strip()  # a CSV row: all text
    except TypeError:
        return all(_blank(v) for v in row)


def _table(records: list[list], numbers) -> RawTable:
    kept = [(n, r) for n, r in zip(numbers, records, strict=True) if not _blank_row(r)]
    if not kept:
        raise UnreadableFile(e.EMPTY_FILE)
    header_row, header = kept[0]
    header = [("" if _blank(v) else str(v).strip()) for v in header]
    rows = [r for _, r in kept[1:]]
    # Columns with neither a header nor any value (Excel's trailing empties) are dropped.
    width = max([len(header), *(len(r) for r in rows)])
    used = [i for i in range(width) if (i < len(header) and header[i]) or any(i < len(r) and not _blank(r[i]) for r in rows)]
    if len(used) < width:
        header = [header[i] if i < len(header) else "" for i in used]
        rows = [[r[i] if i < len(r) else None for i in used] for r in rows]
    else:
        header = header + [""] * (width - len(header))
        rows = [r + [None] * (width - len(r)) if len(r) < width else r for r in rows]
    return RawTable(header=header, rows=rows, row_numbers=[n for n, _ in kept[1:]], header_row=header_row)
