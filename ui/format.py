"""Number, percentage and date formatting for both languages (pure functions).

Counts get thousands separators; in Chinese, large figures on cards read better in 万
(10⁴) and 亿 (10⁸). Percentages have one decimal. Times are shown in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("<NA>", "nan", "NaT")


def count(value, lang: str = "zh", compact: bool = False) -> str:
    """A whole number with thousands separators; ``compact`` uses 万/亿 (zh) or k/M (en)."""
    if _missing(value):
        return "—"
    number = float(value)
    if compact:
        magnitude = abs(number)
        if lang == "zh":
            if magnitude >= 1e8:
                return f"{number / 1e8:,.2f}亿"
            if magnitude >= 1e5:
                return f"{number / 1e4:,.1f}万"
        else:
            if magnitude >= 1e9:
                return f"{number / 1e9:,.2f}B"
            if magnitude >= 1e6:
                return f"{number / 1e6:,.2f}M"
            if magnitude >= 1e5:
                return f"{number / 1e3:,.0f}k"
    return f"{round(number):,}"


def decimal(value, digits: int = 1) -> str:
    if _missing(value):
        return "—"
    return f"{float(value):,.{digits}f}"


def percent(value, digits: int = 1) -> str:
    """A ratio (0.123) as a percentage with one decimal ("12.3%")."""
    if _missing(value):
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


def signed_count(value, lang: str = "zh", compact: bool = False) -> str:
    """A change with its sign ("+1,234", "−56", "0")."""
    if _missing(value):
        return "—"
    number = float(value)
    text = count(abs(number), lang, compact)
    # ASCII "-": Streamlit's metric reads the sign to choose the arrow and colour.
    return ("+" if number > 0 else "-" if number < 0 else "") + text


def signed_percent_points(value, lang: str = "zh") -> str:
    """A change of a ratio in percentage points."""
    if _missing(value):
        return "—"
    points = float(value) * 100
    unit = "个百分点" if lang == "zh" else " pp"
    digits = 2 if 0 < abs(points) < 0.1 else 1
    return f"{'+' if points > 0 else '-' if points < 0 else ''}{abs(points):.{digits}f}{unit}"


def day(value: dt.date | None, lang: str = "zh") -> str:
    """A calendar day: 2022年4月30日 / 30 Apr 2022."""
    if value is None or _missing(value):
        return "—"
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value.strftime('%b')} {value.year}"


def short_day(value: dt.date, lang: str = "zh") -> str:
    if lang == "zh":
        return f"{value.month}月{value.day}日"
    return f"{value.day} {value.strftime('%b')}"


def day_range(start: dt.date, end: dt.date, lang: str = "zh") -> str:
    if start == end:
        return day(start, lang)
    return f"{day(start, lang)} – {day(end, lang)}"


def local_time(value, lang: str = "zh") -> str:
    """A timestamp in Asia/Shanghai; naive values are taken as UTC (how SQLite returns them)."""
    if value is None or _missing(value):
        return "—"
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(LOCAL_TZ)
    return f"{day(local.date(), lang)} {local:%H:%M}"
