"""Checking a report before anything is written: the file, its header, every cell, and
the rules between a row's figures and between rows. Pure: no database here (the checks
that need stored data are in data_access.ingest.against_database)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import SmallInteger

from data_access.ingest import errors as e
from data_access.ingest.cells import INTEGER_MAX, convert_column, text_of
from data_access.ingest.reading import RawTable, UnreadableFile, read_table
from data_access.ingest.types import COUNT, REPORT_TYPES, ReportType, is_remark, match_header
from data_access.schema import CHECKLIST_ITEMS
from data_access.settings import IntakeSettings, intake_settings, local_timezone

ROW = "_row"  # the file's row number, kept beside the figures


def local_today() -> dt.date:
    return dt.datetime.now(local_timezone()).date()


@dataclass
class Report:
    """One uploaded file: what it is, its rows (typed) and what is wrong with it."""

    file_name: str
    data: bytes = field(repr=False)
    report_type: ReportType | None = None
    rows: pd.DataFrame | None = None  # the report type's columns plus ROW
    headers: dict[str, str] = field(default_factory=dict)  # column name → header as written
    cells: pd.DataFrame | None = field(default=None, repr=False)  # the raw cells, for error values
    unreadable: dict[str, np.ndarray] = field(default_factory=dict, repr=False)  # column → cells that could not be read
    settings: IntakeSettings = field(default_factory=IntakeSettings, repr=False)  # the limits it is checked against
    codes_checked: bool = False  # against the database (data_access.ingest.against_database)
    area_checked: bool = False  # units against the importer's area (the same)
    _found: list = field(default_factory=list, repr=False)  # (row, column position, IntakeError)
    _total: int = 0

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def ok(self) -> bool:
        return self._total == 0

    @property
    def error_count(self) -> int:
        return self._total

    @property
    def errors(self) -> list[e.IntakeError]:
        """The errors in file order (file-level first), at most MAX_ERRORS of them."""
        ordered = [item[2] for item in sorted(self._found, key=lambda item: (item[0], item[1]))]
        return e.capped(ordered, self._total)

    # ---- recording problems
    def file_error(self, code: str, column: str | None = None, value: str | None = None, **fields) -> None:
        self._total += 1
        self._found.append((-1, len(self._found), e.IntakeError(code, self.file_name, None, column, value, fields)))

    def row_errors(self, mask, column: str, code: str, fields=None, value=None) -> None:
        """An error for every row where ``mask`` holds, in ``column``.

        ``fields``: a dict, or a function of a row index giving one; ``value``: a Series
        of texts (default: the cell as written).
        """
        where = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(where):
            return
        self._total += len(where)
        position = list(self.rows.columns).index(column) if column in self.rows.columns else 0
        header = self.headers.get(column, column)
        numbers = self.rows[ROW].to_numpy()
        for i in where[: e.MAX_ERRORS]:
            shown = (
                value.iloc[i] if value is not None else (text_of(self.cells[column].iloc[i]) if column in self.cells else None)
            )
            row_fields = fields(i) if callable(fields) else dict(fields or {})
            self._found.append(
                (int(numbers[i]), position, e.IntakeError(code, self.file_name, int(numbers[i]), header, shown, row_fields))
            )


def parse_report(
    file_name: str,
    data: bytes,
    report_type: str | ReportType | None = None,
    *,
    today: dt.date | None = None,
    settings: IntakeSettings | None = None,
) -> Report:
    """Read and check ``data`` (a CSV or XLSX file) as a report of ``report_type`` (detected
    from the headers when None). The result's ``ok`` says whether it may be written."""
    settings = settings or intake_settings()
    wanted = REPORT_TYPES[report_type] if isinstance(report_type, str) else report_type
    report = Report(file_name=file_name, data=data, settings=settings)
    if len(data) > settings.max_file_bytes:
        report.file_error(e.FILE_TOO_LARGE, size_mb=round(len(data) / 1024 / 1024, 1), limit_mb=settings.max_file_mb)
        return report
    try:
        table = read_table(data, file_name, wanted, settings)
    except UnreadableFile as problem:
        report.file_error(problem.code, **problem.fields)
        return report
    chosen = _choose_type(report, table, wanted)
    if chosen is None:
        return report
    report.report_type = chosen
    if not _map_header(report, table):
        return report
    if not table.rows:
        report.file_error(e.HEADER_ONLY)
        return report
    if len(table.rows) > settings.max_rows:
        report.file_error(e.TOO_MANY_ROWS, n=len(table.rows), limit=settings.max_rows)
        return report
    _convert(report, table)
    _check_days(report, today or local_today(), settings.data_start_date)
    _check_duplicates(report)
    _check_rules(report)
    return report


# ------------------------------------------------------------------ header
def _matches(report_type: ReportType, header: list[str]) -> tuple[int, bool]:
    """(columns recognised, whether the header is complete and has nothing unknown)."""
    found = [match_header(report_type, h) for h in header if h and not is_remark(h)]
    known = {f for f in found if f}
    complete = all(c.name in known for c in report_type.required) and None not in found
    return len(known), complete


def _choose_type(report: Report, table: RawTable, wanted: ReportType | None) -> ReportType | None:
    scores = {name: _matches(t, table.header) for name, t in REPORT_TYPES.items()}
    complete = [name for name, (_, ok) in scores.items() if ok]
    if wanted is not None:
        # A file that is plainly another type (it names under half of the chosen type's
        # required columns) is told so, instead of getting a list of missing columns.
        if not scores[wanted.name][1] and complete and scores[wanted.name][0] < len(wanted.required) / 2:
            report.file_error(e.WRONG_REPORT_TYPE, expected=wanted.name, found=complete[0])
            return None
        return wanted
    if table.sheet_type is not None:
        return table.sheet_type
    if complete:
        # Several complete matches (an hourly file is not a daily one: its "hour" column
        # is unknown there), so the most columns recognised wins.
        return REPORT_TYPES[max(complete, key=lambda name: scores[name][0])]
    best = max(scores, key=lambda name: scores[name][0])
    if scores[best][0] < 2:
        report.file_error(e.UNKNOWN_REPORT_TYPE, columns=", ".join(h for h in table.header if h)[:200])
        return None
    return REPORT_TYPES[best]


def _map_header(report: Report, table: RawTable) -> bool:
    """Map header cells to columns; record missing, unknown and repeated columns."""
    report_type = report.report_type
    seen: dict[str, str] = {}
    for position, header in enumerate(table.header):
        name = match_header(report_type, header)
        if name is None and is_remark(header):
            continue
        if name is None:
            report.file_error(e.UNKNOWN_COLUMN, column=header or None, value=header, position=position + 1)
        elif name in seen:
            report.file_error(e.DUPLICATE_COLUMN, column=header, value=header, first=seen[name])
        else:
            seen[name] = header
    for column in report_type.required:
        if column.name not in seen:
            report.file_error(e.MISSING_COLUMN, column=column.template_header)
    report.headers = seen
    return report.ok


# ------------------------------------------------------------------ cells
def _convert(report: Report, table: RawTable) -> None:
    report_type = report.report_type
    positions = {match_header(report_type, h): i for i, h in enumerate(table.header)}
    raw = pd.DataFrame(table.rows, dtype=object)
    cells = pd.DataFrame({c.name: raw[positions[c.name]] for c in report_type.columns if c.name in positions})
    report.cells = cells
    values = {}
    problems = {}
    for column in report_type.columns:
        if column.name in cells:
            values[column.name], problems[column.name] = convert_column(
                cells[column.name], column.kind, column.default, optional=not column.required
            )
        else:
            values[column.name] = pd.Series([column.default] * len(cells), dtype=object)
    report.rows = pd.DataFrame({**values, ROW: table.row_numbers})
    for column in report_type.columns:
        if column.kind == COUNT and column.name in problems:
            problems[column.name] = _within_storage(report_type, column.name, values[column.name], problems[column.name])
    for name, found in problems.items():
        bad = found.notna().to_numpy()
        report.unreadable[name] = bad
        if bad.any():
            for (code, fields), group in found[bad].groupby(found[bad].map(_problem_key), sort=False):
                report.row_errors(found.index.isin(group.index), name, code, dict(fields))


def count_limit(report_type: ReportType, name: str) -> int:
    """The largest count ``name`` may hold: what its column stores, and for hours what 24
    of them summed into the day's roll-up still fits."""
    column = report_type.table.c[name]
    limit = 32_767 if isinstance(column.type, SmallInteger) else INTEGER_MAX
    return limit // 24 if report_type.name == "checkpoint_hourly" else limit


def _within_storage(report_type: ReportType, name: str, values: pd.Series, problems: pd.Series) -> pd.Series:
    limit = count_limit(report_type, name)
    too_big = problems.isna() & (pd.to_numeric(values, errors="coerce") > limit)
    return problems.where(~too_big, pd.Series([(e.OUT_OF_RANGE, {"min": 0, "max": limit})] * len(problems), index=problems.index))


def _problem_key(problem: tuple[str, dict]) -> tuple[str, tuple]:
    code, fields = problem
    return code, tuple(sorted(fields.items()))


def valid(report: Report, *columns: str) -> np.ndarray:
    """Rows whose ``columns`` all hold a readable value."""
    mask = np.ones(len(report.rows), dtype=bool)
    for name in columns:
        if name in report.unreadable:
            mask &= ~report.unreadable[name]
    return mask


def numbers(report: Report, name: str) -> np.ndarray:
    return pd.to_numeric(report.rows[name], errors="coerce").to_numpy(dtype=float)


def _check_days(report: Report, today: dt.date, start: dt.date) -> None:
    days = report.rows["day"]
    ok = days.notna().to_numpy()
    comparable = days.where(ok, None)
    future = ok & comparable.map(lambda d: d is not None and d > today).to_numpy(dtype=bool)
    early = ok & comparable.map(lambda d: d is not None and d < start).to_numpy(dtype=bool)
    report.row_errors(future, "day", e.FUTURE_DATE, {"today": today.isoformat()})
    report.row_errors(early, "day", e.BEFORE_START, {"start": start.isoformat()})


def _check_duplicates(report: Report) -> None:
    key = list(report.report_type.key)
    rows = report.rows
    ok = valid(report, *key)
    keyed = rows.loc[ok, [*key, ROW]]
    repeated = keyed.duplicated(subset=key, keep="first")
    if not repeated.any():
        return
    first_row = keyed.groupby(key, sort=False)[ROW].transform("first")
    mask = np.zeros(len(rows), dtype=bool)
    mask[np.flatnonzero(ok)[repeated.to_numpy()]] = True
    first_of = pd.Series(0, index=rows.index)
    first_of.loc[keyed.index] = first_row
    report.row_errors(mask, report.report_type.unit_column, e.DUPLICATE_KEY, lambda i: {"first_row": int(first_of.iloc[i])})


# ------------------------------------------------------------------ rules between figures
def _at_most(report: Report, smaller: str, larger: str, code: str, larger_field: str) -> None:
    """``smaller`` ≤ ``larger`` in every row where both were readable."""
    a, b = numbers(report, smaller), numbers(report, larger)
    broken = np.nan_to_num(a, nan=-1) > np.nan_to_num(b, nan=np.inf)
    report.row_errors(broken, smaller, code, lambda i: {larger_field: int(b[i])})


def _not_above(report: Report, smaller: str, larger: str) -> None:
    """``smaller`` ≤ ``larger`` in every row where both were readable (EXCEEDS, naming the
    larger column as the file heads it)."""
    other = report.headers.get(larger) or report.report_type.column(larger).template_header
    a, b = numbers(report, smaller), numbers(report, larger)
    broken = np.nan_to_num(a, nan=-1) > np.nan_to_num(b, nan=np.inf)
    report.row_errors(broken, smaller, e.EXCEEDS, lambda i: {"other": other, "limit": int(b[i])})


def _check_inspection(report: Report) -> None:
    """Passed, overdue and entities within what they are part of; every item's passed +
    failed within the checks; at least one problem per failed check and per failed item;
    no check without an inspector."""
    _not_above(report, "inspections_passed", "inspections")
    _not_above(report, "overdue", "open_problems")
    _not_above(report, "entities_open", "open_problems")
    checks = numbers(report, "inspections")
    for item in CHECKLIST_ITEMS:
        passed, failed = numbers(report, f"{item}_passed"), numbers(report, f"{item}_failed")
        broken = np.nan_to_num(passed + failed, nan=-1) > np.nan_to_num(checks, nan=np.inf)
        report.row_errors(
            broken,
            f"{item}_failed",
            e.CHECKLIST_ABOVE_INSPECTIONS,
            lambda i, p=passed, f=failed: {"passed": int(p[i]), "failed": int(f[i]), "inspections": int(checks[i])},
        )
    failed_checks = checks - numbers(report, "inspections_passed")
    failed_items = sum(numbers(report, f"{item}_failed") for item in CHECKLIST_ITEMS)
    problems = numbers(report, "problems_found")
    broken = np.nan_to_num(problems, nan=np.inf) < np.nan_to_num(np.maximum(failed_checks, failed_items), nan=-1)
    report.row_errors(
        broken,
        "problems_found",
        e.PROBLEMS_BELOW_FAILURES,
        lambda i: {"failed": int(failed_checks[i]), "items": int(failed_items[i])},
    )
    visits = numbers(report, "inspector_visits")
    broken = (np.nan_to_num(checks, nan=0) > 0) & (np.nan_to_num(visits, nan=1) == 0)
    report.row_errors(broken, "inspector_visits", e.NO_INSPECTORS, lambda i: {"n": int(checks[i])})


def _check_rules(report: Report) -> None:
    name = report.report_type.name
    if name == "isolation_people":
        _not_above(report, "overdue", "held")
    elif name == "isolation_site":
        # An occupied room holds someone; people above the rooms occupied (the single-room
        # rule 单人单间 broken) are accepted and flagged by the dashboard, not refused.
        _not_above(report, "rooms_occupied", "people")
        _not_above(report, "cases_found", "released")  # a case found leaves for hospital
    elif name == "inspection":
        _check_inspection(report)
    if name in ("checkpoint_hourly", "checkpoint_daily"):
        # people checked ≥ temperature checks ≥ fever found
        _at_most(report, "temperature_checks", "people", e.TEMPERATURE_ABOVE_PEOPLE, "people")
        _at_most(report, "fever", "temperature_checks", e.FEVER_ABOVE_TEMPERATURE, "temperature_checks")
    elif name == "testing":
        _at_most(report, "positives", "samples_tested", e.POSITIVES_ABOVE_TESTED, "tested")
    elif name == "supplies":
        parts = [
            "opening_stock",
            "inbound_procured",
            "inbound_allocated",
            "inbound_donated",
            "outbound_frontline",
            "closing_stock",
        ]
        opening, procured, allocated, donated, outbound, closing = (numbers(report, c) for c in parts)
        inbound = procured + allocated + donated
        expected = opening + inbound - outbound
        broken = ~np.isnan(expected) & ~np.isnan(closing) & (expected != closing)
        report.row_errors(
            broken,
            "closing_stock",
            e.CLOSING_MISMATCH,
            lambda i: {
                "expected": int(expected[i]),
                "opening": int(opening[i]),
                "inbound": int(inbound[i]),
                "outbound": int(outbound[i]),
            },
        )
