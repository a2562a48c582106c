"""Reading one cell as the value its column holds (a day, a count, a code, …), or saying
why it cannot be read. Pure functions; a column is converted once per distinct value."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

from data_access.ingest import errors as e
from data_access.ingest import types as k
from data_access.schema import AGE_GROUPS, RISK_COLOURS

# A converter gives (value, None) or (None, (error code, fields)).
Result = tuple[object, tuple[str, dict] | None]

INTEGER_MAX = 2_147_483_647  # the largest value an Integer column holds (SmallInteger: 32,767)

# Thousands grouped by "," (or a space, as some locales write them), never mixed.
_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+|\d{1,3}( \d{3})+)(\.\d+)?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ t]0{1,2}:00(?::00(?:\.0+)?)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def text_of(value) -> str:
    """How a cell reads as text: trimmed, full-width digits and punctuation folded."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return unicodedata.normalize("NFKC", str(value)).strip()


# Control characters (a NUL byte, an escape) have no place in a report's cell; PostgreSQL
# cannot even store a NUL. A tab or a line break inside a cell is whitespace, trimmed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _blank_or_formula(text: str) -> tuple[str, dict] | None:
    if not text:
        return (e.MISSING_VALUE, {})
    if text.startswith("="):
        return (e.FORMULA, {})
    if _CONTROL.search(text):
        return (e.CONTROL_CHARACTER, {})
    return None


def _number(value) -> Result:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            return None, (e.NOT_A_NUMBER, {})
        return value, None
    text = text_of(value)
    problem = _blank_or_formula(text)
    if problem:
        return None, problem
    if not _NUMBER.match(text):
        return None, (e.NOT_A_NUMBER, {})
    number = float(text.replace(",", "").replace(" ", ""))
    return (int(number) if number.is_integer() and abs(number) < 2**53 else number), None


def count(value) -> Result:
    """A non-negative whole number; thousands separators accepted ("12,345")."""
    number, problem = _number(value)
    if problem:
        return None, problem
    if number < 0:
        return None, (e.NEGATIVE, {})
    if not float(number).is_integer():
        return None, (e.NOT_AN_INTEGER, {})
    if number > INTEGER_MAX:  # beyond the database's integer columns
        return None, (e.OUT_OF_RANGE, {"min": 0, "max": INTEGER_MAX})
    return int(number), None


def _whole_in(low: int, high: int) -> Callable[[object], Result]:
    def convert(value) -> Result:
        number, problem = count(value)
        if problem and problem[0] != e.NEGATIVE:
            return None, problem
        if problem or not low <= number <= high:
            return None, (e.OUT_OF_RANGE, {"min": low, "max": high})
        return number, None

    return convert


def ratio(value) -> Result:
    """A pooled-sample ratio: ``10``, ``10:1`` or ``10：1`` (10 samples per tube)."""
    text = text_of(value)
    match = re.fullmatch(r"(\d+)\s*:\s*1", text)
    return _whole_in(1, 100)(match.group(1) if match else value)


def duration(value) -> Result:
    """Hours (may be fractional); blank means "not known" (stored as NULL)."""
    if text_of(value) == "":
        return None, None
    number, problem = _number(value)
    if problem:
        return None, problem
    if number < 0:
        return None, (e.NEGATIVE, {})
    if number > 24 * 30:
        return None, (e.OUT_OF_RANGE, {"min": 0, "max": 24 * 30})
    return float(number), None


def day(value) -> Result:
    """A calendar day: 2022-04-30, 2022/4/30, 2022.4.30, 2022年4月30日, 20220430 or a date cell."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            return None, (e.BAD_DATE, {})
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    text = text_of(value).lower()
    problem = _blank_or_formula(text)
    if problem:
        return None, problem
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        return None, (e.BAD_DATE, {})
    try:
        return dt.date(*(int(g) for g in match.groups())), None
    except ValueError:
        return None, (e.BAD_DATE, {})


# Longer than any code a unit is given (the national area code has 12 digits).
MAX_CODE_CHARS = 24


def code(value) -> Result:
    """A code as written, trimmed; a number cell (Excel turned the code into one) read back as digits."""
    text = text_of(value)
    problem = _blank_or_formula(text)
    if problem:
        return None, problem
    if len(text) > MAX_CODE_CHARS:
        return None, (e.CODE_TOO_LONG, {"limit": MAX_CODE_CHARS})
    return text.upper() if text.isascii() else text, None


def _one_of(words: dict, spelling: Callable[[str], str], problem: tuple[str, dict]) -> Callable[[object], Result]:
    """A converter for a closed list: the cell, spelled plainly, looked up in ``words``."""

    def convert(value) -> Result:
        text = text_of(value)
        blank = _blank_or_formula(text)
        if blank:
            return None, blank
        found = words.get(spelling(text))
        return (found, None) if found is not None else (None, problem)

    return convert


def _age_spelling(text: str) -> str:
    plain = re.sub(r"[\s岁周]", "", text)
    for dash in ("–", "—", "~", "～"):
        plain = plain.replace(dash, "-")
    return plain.replace("及以上", "+").replace("以上", "+")


# One of the age groups (3-11, 12-17, 18-59, 60-79, 80+), also as "18-59岁", "80岁以上".
age_group = _one_of({g: g for g in AGE_GROUPS}, _age_spelling, (e.BAD_AGE_GROUP, {"allowed": ", ".join(AGE_GROUPS)}))

# The dose number: 1, 2 or 3 (3 = booster 加强针).
dose = _one_of(
    {
        "1": 1,
        "2": 2,
        "3": 3,
        "第1剂": 1,
        "第2剂": 2,
        "第3剂": 3,
        "第一剂": 1,
        "第二剂": 2,
        "第三剂": 3,
        "加强针": 3,
        "加强": 3,
        "booster": 3,
    },
    lambda text: text.lower().replace(" ", ""),
    (e.BAD_DOSE, {}),
)

# The 四色 risk colour: green/yellow/orange/red, 绿/黄/橙/红(色), or 0–3.
_COLOUR_WORDS = {
    **{str(i): i for i in range(len(RISK_COLOURS))},
    **{name: i for i, name in enumerate(RISK_COLOURS)},
    **{word: i for i, word in enumerate(("绿", "黄", "橙", "红"))},
    **{word + "色": i for i, word in enumerate(("绿", "黄", "橙", "红"))},
}
colour = _one_of(_COLOUR_WORDS, str.lower, (e.BAD_COLOUR, {}))

# Closed lists written in words (isolation and inspections): the stored value, then the
# words reports use for it, the Chinese one the templates show first.
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "close_contact": ("密接", "密切接触者", "密接人员", "close contact"),
    "secondary_contact": ("次密接", "次密切接触者", "密接的密接", "secondary contact"),
    "risk_area_arrival": (
        "中高风险地区来返人员",
        "风险地区来返人员",
        "中高风险地区来人",
        "重点地区来返人员",
        "risk-area arrival",
    ),
    "inbound_arrival": ("入境人员", "境外入境人员", "境外来返人员", "inbound arrival"),
    "discharged": ("出院康复人员", "出院人员", "治愈出院人员", "discharged patient"),
    "other": ("其他", "其它", "其他人员"),
}
MEASURE_WORDS: dict[str, tuple[str, ...]] = {
    "centralised": ("集中隔离", "集中隔离观察", "集中隔离医学观察", "centralized", "centralised isolation"),
    "home_isolation": ("居家隔离", "居家隔离观察", "居家隔离医学观察", "home isolation"),
    "home_monitoring": ("居家健康监测", "健康监测", "居家监测", "健康管理", "home monitoring", "health monitoring"),
}
ENTITY_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "pharmacy": ("药店", "零售药店", "定点零售药店", "药房"),
    "market": ("市场商超", "商超", "超市", "市场", "农贸市场", "market or supermarket", "supermarket"),
    "restaurant": ("餐饮店", "餐饮", "餐馆", "饭店"),
    "public_venue": ("公共场所", "public venue"),
    "cold_chain": ("冷链食品经营单位", "冷链", "冷库", "cold-chain store", "cold chain"),
}


def _word_spelling(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.lower())


def _words(words: dict[str, tuple[str, ...]]) -> Callable[[object], Result]:
    lookup = {_word_spelling(w): value for value, spellings in words.items() for w in (value, *spellings)}
    allowed = ", ".join(f"{spellings[0]}/{value}" for value, spellings in words.items())
    return _one_of(lookup, _word_spelling, (e.BAD_KIND, {"allowed": allowed}))


CONVERTERS: dict[str, Callable[[object], Result]] = {
    k.DATE: day,
    k.CODE: code,
    k.HOUR: _whole_in(0, 23),
    k.COUNT: count,
    k.HOURS: _whole_in(0, 24),
    k.RATIO: ratio,
    k.DURATION: duration,
    k.AGE_GROUP: age_group,
    k.DOSE: dose,
    k.COLOUR: colour,
    k.CATEGORY: _words(CATEGORY_WORDS),
    k.MEASURE: _words(MEASURE_WORDS),
    k.ENTITY_TYPE: _words(ENTITY_TYPE_WORDS),
}


def convert_column(cells: pd.Series, kind: str, optional_default=None, optional: bool = False) -> tuple[pd.Series, pd.Series]:
    """(values, problems) for a column of cells: each distinct cell converted once.

    ``problems`` holds (code, fields) where a cell cannot be read, else None. In an
    optional column a blank cell takes ``optional_default`` instead of being missing.
    """
    converter = CONVERTERS[kind]
    cells = cells.where(cells.notna(), "")  # an empty XLSX cell reads as an empty CSV one
    # Each cell's distinct value by position (factorize, not Series.map with a dict, which
    # builds a string index of 100,000 cells: 5× slower), then spread back as map would.
    positions, distinct = pd.factorize(cells.to_numpy(dtype=object))
    values, problems = [], []
    for cell in distinct:
        if optional and text_of(cell) == "":
            value, problem = optional_default, None
        else:
            value, problem = converter(cell)
        values.append(value)
        problems.append(problem)
    return _spread(values, positions, cells), _spread(problems, positions, cells)


def _spread(found: list, positions: np.ndarray, cells: pd.Series) -> pd.Series:
    """``found[positions]`` as a Series like ``cells`` (the dtype inferred from ``found``)."""
    out = pd.Series(found).take(positions)
    out.index = cells.index
    out.name = cells.name
    return out
