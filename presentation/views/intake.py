"""The Data intake page's tables: who has (not) reported for a day, and the import history."""

from __future__ import annotations

import json
import math

import pandas as pd

from data_access.ingest import IntakeError
from presentation import formatting as fmt
from presentation.intake_text import describe, type_title
from presentation.kpis import Kpi
from presentation.tables import display_frame, name_column
from presentation.text import text

UNIT_COLUMNS = {
    "report": "intake.col.report",
    "unit_code": "common.code",
    "unit": "intake.col.unit",
    "status": "intake.col.status",
    "reported_at": "intake.col.reported_at",
    "last_day": "intake.col.last_day",
    "last_reported_at": "intake.col.last_reported_at",
}


def units_table(units: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each unit's report for the day: reported, or missing (its status says which)."""
    if units.empty:
        return display_frame(units, UNIT_COLUMNS, lang)
    shown = units.assign(
        report=units["report_type"].map(lambda name: text(f"intake.units.{name}", lang)),
        unit=units[name_column(lang)],
        status=units["reported"].map(lambda r: text("intake.status.reported" if r else "intake.status.missing", lang)),
        reported_at=units["reported_at"].map(lambda v: fmt.local_time(v, lang)),
        last_day=units["last_day"].map(lambda v: fmt.day(v, lang)),
        last_reported_at=units["last_reported_at"].map(lambda v: fmt.local_time(v, lang)),
    )
    return display_frame(shown, UNIT_COLUMNS, lang)


def completeness_cards(counts: pd.DataFrame, lang: str) -> list[Kpi]:
    """Per report type: units reported of those expected for the day (a count, no arrow)."""
    return [
        Kpi(
            text(f"intake.units.{row.report_type}", lang),
            f"{fmt.count(row.reported, lang)} / {fmt.count(row.expected, lang)}",
            metric="reporting.reported",
            delta=text("intake.kpi_missing", lang, n=fmt.count(row.missing, lang)) if row.missing else None,
            neutral_delta=True,
        )
        for row in counts.itertuples()
    ]


def stored_errors(raw) -> list[IntakeError]:
    """The errors an import history row keeps as JSON."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)) or not str(raw).strip():
        return []
    return [IntakeError.from_json(item) for item in json.loads(raw)]


HISTORY_COLUMNS = {
    "id": "common.id",
    "time": "intake.col.time",
    "file_name": "intake.col.file",
    "sha256": "intake.col.sha256",
    "type": "intake.col.type",
    "rows_accepted": "intake.col.rows",
    "imported_by": "intake.col.user",
    "outcome_text": "intake.col.outcome",
    "error_text": "intake.col.errors",
}


def history_table(history: pd.DataFrame, errors_of: dict[int, list[IntakeError]], lang: str) -> pd.DataFrame:
    """The import history: when, which file, which type, how many rows, by whom, the outcome
    and the first error (with how many there were)."""
    shown = history.assign(
        time=history["imported_at"].map(lambda v: fmt.local_time(v, lang)),
        type=history["report_type"].map(lambda name: type_title(name, lang)),
        outcome_text=history["outcome"].map(lambda o: text(f"intake.outcome.{o}", lang) if o in ("accepted", "rejected") else o),
        error_text=history["id"].map(
            lambda i: f"{len(errors_of[i])} · {describe(errors_of[i][0], lang)}" if errors_of[i] else ""
        ),
    )
    return display_frame(shown, HISTORY_COLUMNS, lang)


def missing_total(counts: pd.DataFrame) -> int:
    """Units of every report type that owe the day's report."""
    return int(counts["missing"].sum()) if not counts.empty else 0
