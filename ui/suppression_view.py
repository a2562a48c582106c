"""Small-count suppression on the pages (the rule: presentation/suppression.py): the level
of the areas a page's table rows describe, the tables as downloaded and, with
``on_screen``, as shown, and the cards."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from data_access import areas as area_queries
from data_access.scope import breakdown_level, level_index
from data_access.settings import SuppressionSettings, suppression_settings
from presentation.kpis import Kpi
from presentation.suppression import RowLevels, is_fine, note, screen_kpis, suppress_columns, suppress_table
from ui.auth import current_access
from ui.data import load_plain
from ui.sidebar import current_filter


def rule() -> SuppressionSettings:
    return suppression_settings()


def filter_level() -> str | None:
    """The level of the filter's area (city … grid); None when it cannot be read."""
    info = load_plain(area_queries.area_info, current_filter().area_code, None, current_access().within, default=None)
    return info["level"] if info else None


def day_rows() -> RowLevels:
    """A table of the filter's area itself, a row per day (its trends)."""
    level = filter_level() or "city"
    return RowLevels(level, level)


def area_rows(finest: str) -> RowLevels:
    """A table of the areas one level below the filter's, down to ``finest`` (by area)."""
    level = filter_level() or "city"
    return RowLevels(breakdown_level(level, finest), level)


def units_at(registered: str) -> RowLevels:
    """A table of units registered at areas of level ``registered`` (checkpoints stand in
    streets): a row each, at that level, or at the filter's when it lies below."""
    level = filter_level() or "city"
    return RowLevels(level if level_index(level) > level_index(registered) else registered, level)


def unit_rows(levels: Sequence[str | None]) -> RowLevels:
    """A table of units (grid units, sites), a row each at its own level."""
    return RowLevels(tuple(levels), filter_level() or "city")


def outgoing(data: pd.DataFrame, levels: RowLevels | None, lang: str) -> tuple[pd.DataFrame, str | None]:
    """``data`` as it leaves the centre in a file, and the note saying what its marks mean
    (None when nothing is suppressed). Rows of unknown level are taken to be the areas
    below the filter's: the stricter reading."""
    settings = rule()
    suppressed = suppress_table(data, levels or area_rows("grid"), settings, lang)
    return (data, None) if suppressed is None else (suppressed, note(settings.threshold, lang))


def on_screen(data: pd.DataFrame, levels: RowLevels | None, lang: str) -> tuple[pd.DataFrame, str | None]:
    """``data`` as the page shows it: suppressed like a file when the setting says
    ``on_screen``, else as it is."""
    return outgoing(data, levels, lang) if rule().on_screen else (data, None)


def map_units(units: pd.DataFrame, columns: dict[str, str], lang: str) -> pd.DataFrame:
    """A map's units (a row each at its ``level``) with their covered figures (source
    column → catalogue key) as the screen shows them: with ``on_screen``, as their table."""
    settings = rule()
    if not settings.on_screen:
        return units
    return suppress_columns(units, columns, unit_rows(units["level"].tolist()), settings, lang)


def screened(cards: Sequence[Kpi]) -> list[Kpi]:
    """Cards as the page shows them (``on_screen`` for an area at community level or below)."""
    return screen_kpis(cards, is_fine(filter_level()), rule())
