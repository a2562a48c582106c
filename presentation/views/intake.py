"""The Data intake page's tables: who has (not) reported for a day, and the import history."""

from __future__ import annotations

import pandas as pd

from presentation import formatting as fmt
from presentation import palette
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


def units_table(units: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """Each unit's report for the day, and a highlight for the rows that are missing."""
    if units.empty:
        return display_frame(units, UNIT_COLUMNS, lang), []
    shown = units.assign(
        report=units["report_type"].map(lambda name: text(f"intake.units.{name}", lang)),
        unit=units[name_column(lang)],
        status=units["reported"].map(lambda r: text("intake.status.reported" if r else "intake.status.missing", lang)),
        reported_at=units["reported_at"].map(lambda v: fmt.local_time(v, lang)),
        last_day=units["last_day"].map(lambda v: fmt.day(v, lang)),
        last_reported_at=units["last_reported_at"].map(lambda v: fmt.local_time(v, lang)),
    )
    colours = ["" if reported else palette.ROW_FLAGGED for reported in units["reported"]]
    return display_frame(shown, UNIT_COLUMNS, lang), colours
