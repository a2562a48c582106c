"""The shared filter (area, dates, language) and its round trip through the URL query string.

Pure functions: the URL's parameters are parsed and validated here, and the canonical
state is turned back into parameters, so a copied link reproduces the view. Relative
presets ("last 7 days") stay relative in the URL and move with the data's last day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from presentation.text import LANGUAGES

PRESETS = ("latest", "7d", "30d", "all", "custom")
DEFAULT_PRESET = "latest"
PRESET_DAYS = {"latest": 1, "7d": 7, "30d": 30}

# Query-string keys the filter owns.
KEY_AREA, KEY_RANGE, KEY_START, KEY_END, KEY_LANG = "area", "range", "start", "end", "lang"


@dataclass(frozen=True)
class FilterState:
    area_code: str
    preset: str
    start: dt.date
    end: dt.date
    lang: str

    def to_query(self, root_code: str, default_lang: str) -> dict[str, str]:
        """Query parameters for this state; defaults are left out to keep links short."""
        params: dict[str, str] = {}
        if self.area_code != root_code:
            params[KEY_AREA] = self.area_code
        if self.preset != DEFAULT_PRESET:
            params[KEY_RANGE] = self.preset
        if self.preset == "custom":
            params[KEY_START] = self.start.isoformat()
            params[KEY_END] = self.end.isoformat()
        if self.lang != default_lang:
            params[KEY_LANG] = self.lang
        return params


def preset_range(preset: str, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The dates a preset covers, within the data's first and last day."""
    if preset == "all":
        return first, last
    days = PRESET_DAYS.get(preset, 1)
    return max(first, last - dt.timedelta(days=days - 1)), last


def clamp_range(start: dt.date, end: dt.date, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """``start``–``end`` ordered and moved inside the data's bounds."""
    if start > end:
        start, end = end, start
    start = min(max(start, first), last)
    end = min(max(end, first), last)
    return start, end


# Longer than any area code (the national standard's 12 digits, or a city's own scheme).
MAX_CODE_LENGTH = 64


def plausible_code(code: str) -> bool:
    """Whether ``code`` could be an area code at all: short, printable, no NUL byte or
    control character; anything else is not even looked up."""
    return 0 < len(code) <= MAX_CODE_LENGTH and code.isprintable() and code.strip() == code


def _parse_day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def parse_query(
    params: Mapping[str, str],
    *,
    root_code: str,
    known_area,
    first: dt.date,
    last: dt.date,
    default_lang: str,
) -> FilterState:
    """The filter a URL asks for; unknown or malformed values fall back to defaults.

    ``known_area(code) -> bool`` tells whether an area code exists.
    """
    area_code = params.get(KEY_AREA) or root_code
    if area_code != root_code and not (plausible_code(area_code) and known_area(area_code)):
        area_code = root_code
    preset = params.get(KEY_RANGE) or DEFAULT_PRESET
    if preset not in PRESETS:
        preset = DEFAULT_PRESET
    if preset == "custom":
        start, end = _parse_day(params.get(KEY_START)), _parse_day(params.get(KEY_END))
        if start is None or end is None:
            preset = DEFAULT_PRESET
            start, end = preset_range(preset, first, last)
        else:
            start, end = clamp_range(start, end, first, last)
    else:
        start, end = preset_range(preset, first, last)
    lang = params.get(KEY_LANG) or default_lang
    if lang not in LANGUAGES:
        lang = default_lang
    return FilterState(area_code, preset, start, end, lang)
