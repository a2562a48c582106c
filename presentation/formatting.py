"""Numbers, percentages, days and times in the reader's language, through Babel.

Counts get the locale's grouping; on cards, large counts read better compact, which in
Chinese is 万 (10⁴) and 亿 (10⁸) and in English K, M and B (Babel's compact formats).
Percentages have one decimal. Times are shown in the configured local time zone. A
missing value (None, NaN, NA) shows as a dash in every language.
"""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date, format_skeleton
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from data_access.settings import local_timezone
from presentation.text import locale_of, text

COMPACT_FROM = 100_000  # smaller counts stay whole: 12,345 reads better than 1.2万
DASH = "—"


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("<NA>", "nan", "NaT")


def count(value, lang: str, compact: bool = False, compact_from: float = COMPACT_FROM) -> str:
    """A whole number with the locale's grouping; ``compact`` from ``compact_from`` up
    (100,000 unless said): 32.8万, 328.1K."""
    if missing(value):
        return DASH
    number = float(value)
    if compact and abs(number) >= compact_from:
        return format_compact_decimal(number, locale=locale_of(lang), fraction_digits=1)
    return format_decimal(round(number), locale=locale_of(lang))


def decimal(value, lang: str, digits: int = 1) -> str:
    if missing(value):
        return DASH
    return format_decimal(float(value), format=f"#,##0.{'0' * digits}" if digits else "#,##0", locale=locale_of(lang))


def setting(value, lang: str) -> str:
    """A configured figure as typed: "7", "7.5" (alert lines, limits, factors)."""
    return decimal(value, lang, 0 if float(value).is_integer() else 1)


def percent(value, lang: str, digits: int = 1) -> str:
    """A ratio (0.123) as a percentage ("12.3%")."""
    if missing(value):
        return DASH
    return format_percent(float(value), format=f"#,##0.{'0' * digits}%" if digits else "#,##0%", locale=locale_of(lang))


def signed(text_value: str, number: float) -> str:
    # ASCII "-": Streamlit's metric reads the sign to choose the arrow and colour.
    return ("+" if number > 0 else "-" if number < 0 else "") + text_value


def signed_count(value, lang: str, compact: bool = False) -> str:
    """A change with its sign ("+1,234", "-56", "0")."""
    if missing(value):
        return DASH
    return signed(count(abs(float(value)), lang, compact), float(value))


def signed_percent_points(value, lang: str) -> str:
    """A change of a ratio in percentage points (+1.2个百分点, +1.2 pp)."""
    if missing(value):
        return DASH
    points = float(value) * 100
    digits = 2 if 0 < abs(points) < 0.1 else 1
    return signed(text("figure.points", lang, n=decimal(abs(points), lang, digits)), points)


def with_unit(value_text: str, unit: str, lang: str) -> str:
    """A formatted figure and its unit ("4.8 天", "4.8 days"): the unit's message says how."""
    return text(f"figure.{unit}", lang, n=value_text)


def day(value: dt.date | None, lang: str) -> str:
    """A calendar day: 2022年4月30日 / 30 Apr 2022."""
    if value is None or missing(value):
        return DASH
    return format_date(value, "medium", locale=locale_of(lang))


def short_day(value: dt.date, lang: str) -> str:
    """A day without its year: 4月30日 / 30 Apr."""
    return format_skeleton("MMMd", value, locale=locale_of(lang))


def day_range(start: dt.date, end: dt.date, lang: str) -> str:
    if start == end:
        return day(start, lang)
    return f"{day(start, lang)} – {day(end, lang)}"


def local_time(value, lang: str) -> str:
    """A timestamp in the local time zone; naive values are taken as UTC (how SQLite returns them)."""
    if value is None or missing(value):
        return DASH
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(local_timezone())
    return f"{day(local.date(), lang)} {local:%H:%M}"


def figure(value, unit: str, lang: str, compact: bool = True) -> str:
    """A catalogue figure in its unit's usual form: percentages as %, days and hours with
    one decimal, counts whole (compact on cards)."""
    if unit == "percent":
        return percent(value, lang)
    if unit in ("days", "hours", "ratio"):
        return decimal(value, lang)
    if unit in ("per_100k", "per_10k", "per_1000"):
        return decimal(value, lang, 2)
    return count(value, lang, compact=compact)
