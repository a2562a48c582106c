"""Reading public reference data on China's administrative divisions: pure functions, no database.

The building blocks for loading a command centre's own areas ("Your own city"):
division codes and names from the open compilations of the national statistical
codes (modood/Administrative-divisions-of-China's streets.csv and villages.csv, or a
plain "代码,名称" table), and boundaries from a GeoJSON in the common DataV format.
The importer validates, simplifies and stores what these functions return.

Codes nest by prefix: 370212 崂山区 (district) > 370212001 中韩街道 (street) >
370212001001 中韩社区居民委员会 (community). Compounds and grids, the command
centre's own subdivisions, add three digits each (15 and 18 digits).
"""

from __future__ import annotations

import csv
import io
import json

from pypinyin import lazy_pinyin


class UnrecognisedFile(ValueError):
    """The file is not in any of the reference-data formats this module reads."""


_LEVEL_BY_LENGTH = {6: "district", 9: "street", 12: "community", 15: "compound", 18: "grid"}


def level_of_code(code: str) -> str | None:
    """The area level a division code stands for; None for a province or a code of no known form."""
    if not (code.isascii() and code.isdigit()):
        return None
    # Provinces and cities are 6 digits padded with zeros: 370000 山东省, 370200 青岛市.
    if len(code) == 6 and code.endswith("0000"):
        return None
    if len(code) == 6 and code.endswith("00"):
        return "city"
    return _LEVEL_BY_LENGTH.get(len(code))


def parent_of_code(code: str) -> str | None:
    """The code of the area directly above: 370212001001 → 370212001 → 370212 → 370200; None above a city."""
    level = level_of_code(code)
    if level == "district":
        return code[:4] + "00"
    if level in ("street", "community", "compound", "grid"):
        return code[:-3]
    return None  # a city's parent would be its province, which is no area of ours


# The generic words that end each level's names, with their English, longest first so
# that a committee's full title wins over its last word (社区居民委员会 before 社区).
_SUFFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "city": (("市", "City"),),
    "district": (("区", "District"), ("县", "County"), ("市", "City")),
    "street": (("街道办事处", "Subdistrict"), ("街道", "Subdistrict"), ("镇", "Town"), ("乡", "Township")),
    "community": (
        ("社区居民委员会", "Community"),
        ("社区居委会", "Community"),
        ("居民委员会", "Community"),
        ("居委会", "Community"),
        ("社区", "Community"),
        ("村民委员会", "Village"),
        ("村委会", "Village"),
        ("村", "Village"),
    ),
}


def english_name(name_zh: str, level: str) -> str:
    """An English name: the specific part in pinyin as one word, the level's generic word translated.

    中韩街道 → "Zhonghan Subdistrict"; 流清河村村民委员会 → "Liuqinghe Village" (the
    committee's title is dropped, and so is the 村 it repeats). Only the words of
    the given level are translated, so a compound called 金家岭小区 is not a "District".
    """
    stem, english = name_zh.strip(), None
    for suffix, word in _SUFFIXES.get(level, ()):
        if not stem.endswith(suffix) or english not in (None, word):
            continue
        # A one-character specific name keeps its generic word in pinyin (沙县 → "Shaxian
        # County"), as the official romanisation of place names does.
        if len(stem) - len(suffix) >= 2:
            stem = stem[: -len(suffix)]
        english = word
    words = [_pinyin_word(stem), english]
    return " ".join(word for word in words if word)


# The committee titles the national lists give communities and villages, and the name
# people use: 中韩社区居民委员会 → 中韩社区, 流清河村村民委员会 → 流清河村.
_COMMITTEES = (("社区居民委员会", "社区"), ("社区居委会", "社区"), ("居民委员会", "社区"), ("居委会", "社区"),
               ("村村民委员会", "村"), ("村民委员会", "村"), ("村委会", "村"))  # fmt: skip


def common_name(name_zh: str) -> str:
    """A community's or village's name without its committee's title."""
    name = name_zh.strip()
    for title, plain in _COMMITTEES:
        if name.endswith(title) and len(name) > len(title):
            return name[: -len(title)] + plain
    return name


def _pinyin_word(text: str) -> str:
    syllables = lazy_pinyin(text, v_to_u=True)
    if not syllables:
        return ""
    # An apostrophe before a syllable starting with a vowel keeps 西安 "Xi'an" apart from "Xian".
    word = syllables[0] + "".join("'" + s if s[:1] in ("a", "o", "e") else s for s in syllables[1:])
    return word[:1].upper() + word[1:]


_CODE_HEADERS = ("code", "代码", "区划代码", "统计用区划代码", "行政区划代码")
_NAME_HEADERS = ("name", "名称", "name_zh")
# The first of these present names the parent, most specific first: a village row of
# modood's villages.csv carries streetCode, areaCode, cityCode and provinceCode.
_PARENT_HEADERS = ("parent_code", "streetcode", "areacode", "citycode", "provincecode")


def read_division_codes(data: bytes, file_name: str) -> list[dict]:
    """Rows {"code", "name_zh", "parent_code", "level"} of a CSV of division codes.

    Reads UTF-8 (with or without BOM) or GBK; comma- or tab-separated; headers as in
    modood's CSV files, "code,name", or "代码,名称" / "统计用区划代码,名称" (other columns,
    such as 城乡分类代码, are ignored). Codes are normalised to this project's form (see
    _normalise_code). ``level`` is None for provinces and malformed codes: the
    importer decides what to do with them.
    """
    text = _decode(data, file_name)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise UnrecognisedFile(f"{file_name}: the file is empty")
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        columns.setdefault(name.strip().lower(), index)
    code_at, name_at, parent_at = (
        next((columns[name] for name in names if name in columns), None)
        for names in (_CODE_HEADERS, _NAME_HEADERS, _PARENT_HEADERS)
    )
    if code_at is None or name_at is None:
        found = ", ".join(name.strip() for name in header)
        raise UnrecognisedFile(f"{file_name}: no division code and name columns; the headers found are: {found}")

    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        code = _normalise_code(_cell(cells, code_at))
        parent = _normalise_code(_cell(cells, parent_at)) or parent_of_code(code)
        rows.append({"code": code, "name_zh": _cell(cells, name_at), "parent_code": parent, "level": level_of_code(code)})
    return rows


def _cell(cells: list[str], at: int | None) -> str:
    return cells[at].strip() if at is not None and at < len(cells) else ""


def _decode(data: bytes, file_name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # GB 18030 reads all of GBK, as Excel on a Chinese Windows saves a CSV.
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise UnrecognisedFile(f"{file_name}: neither UTF-8 nor GBK text") from error


def _normalise_code(code: str) -> str:
    """A division code in this project's form: as many digits as its level needs.

    modood's provinces.csv and cities.csv write 37 and 3702 for 370000 and 370200; the
    statistical tables pad every level to 12 digits (370212000000 is 崂山区, 370212001000
    中韩街道). A community's or a street's own digits are never 000, so the padding is
    unambiguous.
    """
    if not (code.isascii() and code.isdigit()):
        return code
    if len(code) in (2, 4):
        return code.ljust(6, "0")
    if len(code) == 12:
        for length in (6, 9):
            if code[length:] == "0" * (12 - length):
                return code[:length]
    return code


def within_root(rows: list[dict], root_code: str) -> list[dict]:
    """The rows under the root area (a city, district or street), the root itself excluded."""
    root = _normalise_code(root_code.strip())
    if not (root.isascii() and root.isdigit()):
        raise ValueError(f"{root_code!r} is not a division code")
    prefix = root
    # A province's or city's zeros are padding that its descendants' codes replace: 370200 holds 370212.
    if len(root) == 6 and root.endswith("00"):
        prefix = root[:2] if root.endswith("0000") else root[:4]
    return [row for row in rows if row["code"].startswith(prefix) and row["code"] != root]


_CODE_PROPERTIES = ("code", "adcode", "area_code", "区划代码")
_NAME_PROPERTIES = ("name", "名称")


def read_boundaries(data: bytes) -> list[dict]:
    """[{"code", "name", "geometry"}] of a GeoJSON FeatureCollection, e.g. DataV's 370200_full.json.

    The code comes from the first property of code, adcode, area_code, 区划代码 (a number
    becomes a string); geometries are returned as they are.
    """
    try:
        collection = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnrecognisedFile(f"not a GeoJSON file: {error}") from error
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise UnrecognisedFile("not a GeoJSON FeatureCollection")

    boundaries = []
    for number, feature in enumerate(features, start=1):
        properties = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        code = next((properties[key] for key in _CODE_PROPERTIES if properties.get(key) not in (None, "")), None)
        if code is None:
            found = ", ".join(properties) or "none"
            raise UnrecognisedFile(
                f"feature {number} has no code (a property code, adcode, area_code or 区划代码); its properties: {found}"
            )
        name = next((properties[key] for key in _NAME_PROPERTIES if properties.get(key) not in (None, "")), None)
        boundaries.append(
            {
                "code": _normalise_code(_code_text(code)),
                "name": None if name is None else str(name),
                "geometry": feature.get("geometry"),
            }
        )
    return boundaries


def _code_text(code) -> str:
    # JSON has only floats for big numbers: 370212001001.0 is the code 370212001001.
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code).strip()
