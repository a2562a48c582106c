"""Intake results as text (数据上报): every reason an import can be refused, rendered from
the error codes data_access.ingest and data_access.master produce, for the page and the
command lines alike."""

from __future__ import annotations

import pandas as pd

from data_access.ingest import IntakeError
from presentation.text import has, text


def type_title(name: str | None, lang: str) -> str:
    """A report type's or master-data kind's title (the import history holds both)."""
    for key in (f"intake.type.{name}", f"master.kind.{name}"):
        if name and has(key, lang):
            return text(key, lang)
    return name or "—"


def _shown(value) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:,}"


def describe(error: IntakeError, lang: str) -> str:
    """The reason for ``error`` in ``lang``."""
    fields = {name: _shown(value) for name, value in error.fields.items()}
    kind, dose = error.fields.get("kind"), error.fields.get("dose")
    if error.code in ("unknown_code", "outside_area"):
        fields["kind"] = text(f"intake.ref.{kind}", lang) if has(f"intake.ref.{kind}", lang) else ""
    if error.code == "doses_above_population" and has(f"intake.dose.{dose}", lang):
        fields["dose"] = text(f"intake.dose.{dose}", lang)
    if error.code == "wrong_report_type":
        fields = {
            "expected": type_title(error.fields.get("expected"), lang),
            "found": type_title(error.fields.get("found"), lang),
        }
    key = f"intake.reason.{error.code}"
    if not has(key, lang):
        return error.code
    try:
        return text(key, lang, **fields)
    except (KeyError, IndexError):  # stored by another version, with other fields
        return text(key, lang).replace("{", "").replace("}", "")


def error_line(error: IntakeError, lang: str) -> str:
    """One error as a line of text, naming file, row, column and value (for the command line)."""
    reason = describe(error, lang)
    if error.row is not None:
        return text(
            "intake.location",
            lang,
            file=error.file,
            row=error.row,
            column=error.column or "",
            value=error.value or "",
            reason=reason,
        )
    if error.column:
        return text("intake.location_column", lang, file=error.file, column=error.column, reason=reason)
    return text("intake.location_file", lang, file=error.file, reason=reason)


def error_table(errors: list[IntakeError], lang: str) -> pd.DataFrame:
    """Errors as a table: file, row, column, value, reason (display column names)."""
    return pd.DataFrame(
        {
            text("intake.col.file", lang): [err.file for err in errors],
            text("intake.col.row", lang): pd.array([err.row for err in errors], dtype="Int64"),
            text("intake.col.column", lang): [err.column or "" for err in errors],
            text("intake.col.value", lang): [err.value if err.value is not None else "" for err in errors],
            text("intake.col.reason", lang): [describe(err, lang) for err in errors],
        }
    )
