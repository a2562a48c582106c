"""Tables as shown and exported: the columns a view keeps, named by the metric catalogue
(or by a plain message for columns that are not figures: day, name, kind)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from presentation.catalogue import METRICS
from presentation.text import text

NAMED_IN = ("zh", "en")  # the languages areas, items and checkpoints carry names in


def column_names(columns: dict[str, str], lang: str) -> dict[str, str]:
    """Source column → display name; each value is a catalogue key or a message id. A
    percentage held as a number of per cent (a ``…_pct`` column: 2.9 for 2.9 %) says so
    in its name, on screen and in the downloaded file alike."""
    return {source: _column_name(source, key, lang) for source, key in columns.items()}


def _column_name(source: str, key: str, lang: str) -> str:
    if key not in METRICS:
        return text(key, lang)
    entry = METRICS[key]
    return f"{entry.name(lang)} (%)" if entry.unit == "percent" and source.endswith("_pct") else entry.name(lang)


def display_frame(data: pd.DataFrame, columns: dict[str, str], lang: str) -> pd.DataFrame:
    """``data`` with only ``columns`` (source → catalogue key or message id), renamed to
    their names in ``lang``, in that order."""
    if data is None:
        return pd.DataFrame()
    names = column_names(columns, lang)
    present = [c for c in columns if c in data.columns]
    return data[present].rename(columns={c: names[c] for c in present})


SELECTED_MARK = "✓"  # a selected day in a trend's table that shows the days around it too


def mark_selected(table: pd.DataFrame, days: pd.Series, selected, lang: str) -> pd.DataFrame:
    """A trend's table with a column marking the selected days, when the trend shows more."""
    if selected is None or table is None or table.empty:
        return table
    start, end = selected
    return table.assign(
        **{text("common.selected", lang): ((days >= start) & (days <= end)).map({True: SELECTED_MARK, False: ""}).to_numpy()}
    )


def name_column(lang: str) -> str:
    """Which of an area's or item's name columns to show: the reader's language, else English."""
    return f"name_{lang}" if lang in NAMED_IN else "name_en"


@dataclass(frozen=True)
class ColumnFormat:
    """How a table column shows on screen: a number format, or a bar from min to max."""

    kind: str = "number"  # number | progress
    format: str = "localized"  # a printf-style format, or Streamlit's "localized"/"percent"
    min_value: float = 0
    max_value: float = 100


PERCENT_BAR = ColumnFormat("progress", "%.1f%%")
WHOLE = ColumnFormat(format="localized")


def formats_for(columns: dict[str, ColumnFormat], lang: str) -> dict[str, ColumnFormat]:
    """Formats keyed by display name (catalogue key or message id → format; a percentage
    figure under both its names, with and without "(%)")."""
    formats = {}
    for key, spec in columns.items():
        formats[column_names({key: key}, lang)[key]] = spec
        formats[column_names({f"{key}_pct": key}, lang)[f"{key}_pct"]] = spec
    return formats
