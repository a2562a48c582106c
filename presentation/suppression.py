"""Small-count suppression 小数抑制: which counts leave the command centre as "<5" (in an
exported table, a briefing, and with ``on_screen`` a page), and which other counts are
withheld so that no "<5" can be worked out again from its total. Pure functions; the
setting is ``[suppression]`` in dashboard.toml, the rule README's "Small-count suppression".

The rule, for the figures the setting covers (catalogue keys, e.g. positives):

- primary: a count c with 0 < c < threshold for an area at community level or below
  (community, compound, grid; or a unit registered at one) shows as "<5". A zero shows
  as 0: nothing to protect, and exact.
- totals stay exact: a table that suppresses gets a total row, the exact sum of its rows
  (of its selected days, when it shows the days around them too). A total that is itself
  a count of an area at community level or below is a count like any other ("<5").
- secondary: a column's total and its cells shown tell a reader the sum of its suppressed
  cells; with what the marks say ("<5" is 1 … threshold − 1, "*" at least the threshold,
  0 exact) that can pin a cell down (two "<5" summing to 2 are 1 and 1). While any
  suppressed cell of a column could hold only one value, another non-zero count of the
  column is withheld ("*"): the smallest whose withholding frees every suppressed cell,
  else the smallest; when none is left, the table's total of that column is withheld
  instead (a street whose only positives are two communities' 1 and 1). Each cell's range
  is exact (``feasible_ranges``): under one sum, whole numbers in bounds reach every value
  between a cell's least and greatest.
- a rate worked from a suppressed count in the same row (positivity = positives ÷ tested)
  is withheld with it; the total row shows no rate.

No table of the dashboard adds covered counts across a row (positives sit beside samples
tested, not among parts of a whole), so a row has no total to protect: the lines are the
columns. A figure repeated in another table or a card (a street's card shows the exact
total its table may withhold) is not matched across them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from data_access.settings import SuppressionSettings
from presentation import formatting as fmt
from presentation.catalogue import METRICS, name
from presentation.kpis import Kpi
from presentation.tables import SELECTED_MARK
from presentation.text import text

FINE_LEVELS = ("community", "compound", "grid")  # "at community level or below"
# A rate beside its count gives the count back (positives = positivity × samples tested):
# wherever the count is suppressed, the rate is withheld.
RATE_OF = {"testing.positivity": "testing.positives", "checkpoints.fever_per_100k": "checkpoints.fever"}
COUNT_UNITS = ("people", "persons", "samples", "households", "vehicles", "doses", "units", "tubes")
# Figures a total row adds up besides the covered ones: counts and sites, not rates.
ADDITIVE_UNITS = (*COUNT_UNITS, "sites", "lanes")
NOT_ADDITIVE = ("checkpoints.people_per_lane_hour", "vaccination.doses_per_day")

SHOWN, SMALL, WITHHELD = "shown", "small", "withheld"
WITHHELD_MARK = "*"


def small_mark(threshold: int) -> str:
    """What a suppressed count shows: "<5"."""
    return f"<{threshold}"


def is_fine(level: str | None) -> bool:
    """True for an area at community level or below, whose small counts are suppressed."""
    return level in FINE_LEVELS


def covered(settings: SuppressionSettings) -> tuple[str, ...]:
    """The catalogue keys the setting covers; a ValueError names a key that is not a count
    of the catalogue (a rate is withheld with its count, never suppressed on its own)."""
    wrong = [key for key in settings.metrics if key not in METRICS or METRICS[key].unit not in COUNT_UNITS]
    if wrong:
        raise ValueError(f"[suppression] metrics must be counts of the metric catalogue, not {', '.join(wrong)}")
    return settings.metrics


# ---------------------------------------------------------------- one column and its total
@dataclass(frozen=True)
class Line:
    """How one column of counts and its total are shown: each cell's state and the total's
    (SHOWN, SMALL "<5" or WITHHELD "*")."""

    cells: tuple[str, ...]
    total: str


def _bounds(state: str, fine: bool, threshold: int) -> tuple[float, float]:
    """What a reader knows of a cell from its mark: "<5" is 1 … 4; "*" is a count that
    would otherwise have been shown, so not 0 and, for an area at community level or
    below, not under the threshold."""
    if state == SMALL:
        return 1, threshold - 1
    return (threshold if fine else 1), math.inf


def feasible_ranges(values: Sequence[int], fine: Sequence[bool], line: Line, threshold: int) -> list[tuple[float, float] | None]:
    """For each suppressed cell, the least and greatest value it can hold given everything
    the line shows: the cells shown, the total (exact, "<5" or withheld) and every
    suppressed cell's bounds; None for a cell shown. Exact: under one sum constraint whole
    numbers in bounds reach every value between a cell's extremes."""
    total = sum(values)
    shown = sum(v for v, s in zip(values, line.cells, strict=True) if s == SHOWN)
    total_low, total_high = {SHOWN: (total, total), SMALL: (1, threshold - 1)}.get(line.total, (-math.inf, math.inf))
    rest_low, rest_high = total_low - shown, total_high - shown  # what the suppressed cells add up to
    bounds = [None if s == SHOWN else _bounds(s, f, threshold) for s, f in zip(line.cells, fine, strict=True)]
    lows = sum(b[0] for b in bounds if b)
    finite_highs = sum(b[1] for b in bounds if b and b[1] != math.inf)
    unbounded = sum(1 for b in bounds if b and b[1] == math.inf)
    ranges: list[tuple[float, float] | None] = []
    for b in bounds:
        if b is None:
            ranges.append(None)
            continue
        low, high = b
        others_low = lows - low
        others_high = math.inf if unbounded - (high == math.inf) > 0 else finite_highs - (0 if high == math.inf else high)
        ranges.append((max(low, rest_low - others_high), min(high, rest_high - others_low)))
    return ranges


def _pinned(values: Sequence[int], fine: Sequence[bool], line: Line, threshold: int) -> bool:
    return any(r is not None and r[1] <= r[0] for r in feasible_ranges(values, fine, line, threshold))


def protect(values: Sequence[int], fine: Sequence[bool], total_fine: bool, threshold: int) -> Line:
    """The states of one column of non-negative counts and of its total: small counts of
    areas at community level or below "<5", then the smallest other non-zero counts
    withheld until no suppressed cell is pinned down, the total withheld when none is
    left (see the module's docstring)."""
    cells = tuple(SMALL if f and 0 < v < threshold else SHOWN for v, f in zip(values, fine, strict=True))
    total = sum(values)
    line = Line(cells, SMALL if total_fine and 0 < total < threshold else SHOWN)
    while _pinned(values, fine, line, threshold):
        spare = sorted((i for i, s in enumerate(line.cells) if s == SHOWN and values[i] > 0), key=lambda i: (values[i], i))
        if not spare:
            return replace(line, total=WITHHELD)
        options = [_withholding(line, i) for i in spare[:SPARE_TRIED]]
        # The smallest count whose withholding frees every suppressed cell, else the smallest.
        line = next((o for o in options if not _pinned(values, fine, o, threshold)), options[0])
    return line


SPARE_TRIED = 20  # counts tried, smallest first, for one that alone frees the column


def _withholding(line: Line, i: int) -> Line:
    return replace(line, cells=line.cells[:i] + (WITHHELD,) + line.cells[i + 1 :])


# ---------------------------------------------------------------- tables
@dataclass(frozen=True)
class RowLevels:
    """The level of the area each row of a table describes (one for every row, or one per
    row), and of the area its total stands for (the filter's)."""

    rows: str | tuple[str | None, ...]
    total: str

    def fine_rows(self, n: int) -> list[bool]:
        if isinstance(self.rows, str):
            return [is_fine(self.rows)] * n
        if len(self.rows) != n:
            raise ValueError(f"{len(self.rows)} row levels for a table of {n} rows")
        return [is_fine(level) for level in self.rows]


def _count(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def _figure_named(column: str, lang: str) -> str | None:
    """The catalogue key whose name in ``lang`` is ``column``."""
    return next((key for key in METRICS if name(key, lang) == column), None)


def _rate_columns(key: str, lang: str) -> list[str]:
    """The display names a rate of count ``key`` can have in a table (with and without "(%)")."""
    rates = [rate for rate, base in RATE_OF.items() if base == key]
    return [label for rate in rates for label in (name(rate, lang), f"{name(rate, lang)} (%)")]


def suppress_table(table: pd.DataFrame, levels: RowLevels, settings: SuppressionSettings, lang: str) -> pd.DataFrame | None:
    """``table`` (display columns, named by the catalogue) as it leaves the centre: covered
    counts "<5" or "*", rates of them withheld, and a total row; None when the rule does
    not touch it (off, no covered column, no row at community level or below)."""
    if table is None or table.empty or not settings.enabled:
        return None
    columns = {name(key, lang): key for key in covered(settings) if name(key, lang) in table.columns}
    fine = levels.fine_rows(len(table))
    if not columns or not (any(fine) or is_fine(levels.total)):
        return None
    result = table.reset_index(drop=True).astype({column: object for column in table.columns})
    selected = text("common.selected", lang)
    counted = (result[selected] == SELECTED_MARK).tolist() if selected in result.columns else [True] * len(result)
    total_row: dict = {column: None for column in result.columns}
    first = result.columns[0]
    total_row[first] = text("suppression.total_selected" if selected in result.columns else "suppression.total", lang)
    threshold = settings.threshold
    mark = {SMALL: small_mark(threshold), WITHHELD: WITHHELD_MARK}
    for column in result.columns:  # the other counts' totals, exact
        key = _figure_named(column, lang)
        if key and key not in columns.values() and METRICS[key].unit in ADDITIVE_UNITS and key not in NOT_ADDITIVE:
            total_row[column] = sum(_count(v) for v, c in zip(result[column], counted, strict=True) if c)
    for column, key in columns.items():
        values = [_count(v) for v in result[column]]
        rows = [i for i, c in enumerate(counted) if c]
        line = protect([values[i] for i in rows], [fine[i] for i in rows], is_fine(levels.total), threshold)
        states = [SMALL if fine[i] and 0 < values[i] < threshold else SHOWN for i in range(len(values))]
        for i, state in zip(rows, line.cells, strict=True):
            states[i] = state
        result[column] = [
            mark[s] if s != SHOWN else (None if pd.isna(v) else _count(v)) for s, v in zip(states, result[column], strict=True)
        ]
        total_row[column] = mark.get(line.total, sum(values[i] for i in rows))
        hidden = [s != SHOWN for s in states]
        for rate in _rate_columns(key, lang):
            if rate in result.columns:
                result[rate] = [WITHHELD_MARK if h else v for h, v in zip(hidden, result[rate], strict=True)]
    return pd.concat([result, pd.DataFrame([total_row], columns=result.columns, dtype=object)], ignore_index=True)


def suppress_columns(
    frame: pd.DataFrame, columns: dict[str, str], levels: RowLevels, settings: SuppressionSettings, lang: str
) -> pd.DataFrame:
    """``frame``'s covered columns (source column → catalogue key) as its table shows them,
    marks and all, row for row: for what else draws the same rows (a map's tooltips)."""
    names = {source: name(key, lang) for source, key in columns.items() if source in frame.columns and key in METRICS}
    out = suppress_table(frame[list(names)].rename(columns=names), levels, settings, lang)
    if out is None:
        return frame
    return frame.assign(**{source: out[label].iloc[:-1].to_numpy() for source, label in names.items()})


def suppressed_anything(table: pd.DataFrame | None, settings: SuppressionSettings) -> bool:
    """True when a suppressed table holds a "<5" or "*"."""
    if table is None:
        return False
    marks = {small_mark(settings.threshold), WITHHELD_MARK}
    return bool(table.isin(marks).to_numpy().any())


def as_text(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A suppressed table for the screen: a column holding text among other values (marks
    among counts, the total row's label among days) becomes text, its numbers with the
    language's separators; a column of numbers and the total row's blank stays numbers."""

    def shown(value):
        if isinstance(value, str) or value is None or pd.isna(value):
            return value
        if isinstance(value, dt.date):
            return value.isoformat()
        return fmt.count(value, lang) if float(value).is_integer() else fmt.decimal(value, lang, 3)

    def column_as_shown(column: pd.Series) -> pd.Series:
        # Text, and numbers with a blank in the total row (a rate): the blank is empty, not "None".
        kinds = column.dropna().map(lambda v: isinstance(v, str))
        if kinds.any() or column.isna().any():
            return column.map(shown).fillna("")
        inferred = column.infer_objects()
        if pd.api.types.is_float_dtype(inferred) and (inferred % 1 == 0).all():
            return inferred.astype("int64")
        return inferred

    return table.assign(**{column: column_as_shown(table[column]) for column in table.columns})


def note(threshold: int, lang: str) -> str:
    """What the marks mean, for a file's header, a caption or the briefing."""
    return text("suppression.note", lang, n=threshold, n_less=threshold - 1, mark=WITHHELD_MARK)


# ---------------------------------------------------------------- cards
def screen_kpis(cards: Sequence[Kpi], fine: bool, settings: SuppressionSettings) -> list[Kpi]:
    """Cards as the screen shows them with ``on_screen``: for an area at community level or
    below, a covered count "<5" when small, and neither change nor sparkline (each is a
    count of another period or day, and a change with the value gives that count back);
    a rate of a covered count likewise, withheld when its count is."""
    if not (settings.enabled and settings.on_screen and fine):
        return list(cards)
    keys = set(covered(settings))
    small = {c.metric for c in cards if c.metric in keys and c.count is not None and 0 < c.count < settings.threshold}
    shown = {c.metric for c in cards}
    result = []
    for kpi in cards:
        if kpi.metric in keys:
            value = small_mark(settings.threshold) if kpi.metric in small else kpi.value
            kpi = replace(kpi, value=value, delta=None, sparkline=None)
        elif kpi.metric in RATE_OF and RATE_OF[kpi.metric] in keys:
            base = RATE_OF[kpi.metric]
            value = WITHHELD_MARK if base in small or base not in shown else kpi.value
            kpi = replace(kpi, value=value, delta=None, sparkline=None)
        result.append(kpi)
    return result
