"""Areas master data 区划与网格: a command centre's own districts, streets, communities,
compounds and grid units, checked row by row and written all or nothing.

Two kinds of file come in: the dashboard's own template (bilingual headers, one row per
area) and the public division-code lists (streets and villages as the open compilations
publish them, read by ``data_access.master.reference``). Both become the same rows and
pass the same checks: a parent that exists (in the database or earlier in the file), the
level one below the parent's, a code that starts with the parent's, no duplicates and no
cycles. Importing a file again changes nothing; a name or a figure that changed is
updated. Moving an area to another parent is an effective-dated change, not an edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, insert, select, update

from data_access import schema as s
from data_access.ingest import errors as e
from data_access.ingest.cells import count, text_of
from data_access.ingest.templates import csv_bytes
from data_access.ingest.types import normalise_header
from data_access.master.intake import MasterImport, import_master_file, read_master_table
from data_access.master.reference import common_name, english_name
from data_access.scope import is_within, resolve_engine, run

REPORT_TYPE = "areas"  # report_import.report_type of an areas file
LEVELS = s.LEVELS
# Level words as command centres write them.
LEVEL_WORDS = {
    "district": ("district", "区县", "区", "县", "县区", "区/县"),
    "street": ("street", "街道", "镇", "乡", "街道/镇", "乡镇街道", "街镇", "town", "subdistrict"),
    "community": ("community", "社区", "村", "社区/村", "村居", "village"),
    "compound": ("compound", "小区", "自然村", "小区/自然村"),
    "grid": ("grid", "网格", "联防单元", "多户联防", "网格单元", "grid unit"),
}
LEVEL_OF_WORD = {normalise_header(word): level for level, words in LEVEL_WORDS.items() for word in words}

# The template's columns: (name, Chinese header, required).
COLUMNS = (
    ("code", "区划代码", True),
    ("parent_code", "上级代码", True),
    ("level", "层级", True),
    ("name_zh", "名称", True),
    ("name_en", "英文名称", False),
    ("residents", "常住人口", False),
    ("households", "户数", False),
    ("lon", "中心经度", False),
    ("lat", "中心纬度", False),
    ("grid_workers", "网格员", False),
)
HEADER_OF = {normalise_header(spelling): name for name, zh, _ in COLUMNS for spelling in (name, zh, f"{zh} ({name})")}
CODE_PATTERN = re.compile(r"^[0-9A-Z]{1,24}$")


@dataclass
class AreaRow:
    row: int  # the row as numbered in the file
    code: str
    parent_code: str | None
    level: str | None
    name_zh: str
    name_en: str = ""
    residents: int = 0
    households: int = 0
    lon: float | None = None
    lat: float | None = None
    grid_workers: int = 0


@dataclass
class AreaFile:
    file_name: str
    data: bytes = field(repr=False)
    rows: list[AreaRow] = field(default_factory=list)
    errors: list[e.IntakeError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, code: str, row: int | None = None, column: str | None = None, value=None, **fields) -> None:
        self.errors.append(e.IntakeError(code, self.file_name, row, column, None if value is None else str(value)[:200], fields))


# ---------------------------------------------------------------- reading the template
def read_area_file(file_name: str, data: bytes) -> AreaFile:
    """The template's rows, each cell read and checked on its own."""
    result = AreaFile(file_name, data)
    table = read_master_table(file_name, data, result.error)
    if table is None:
        return result
    columns = {}
    for position, header in enumerate(table.header):
        name = HEADER_OF.get(normalise_header(header))
        if name is None and str(header or "").strip():
            result.error(e.UNKNOWN_COLUMN, column=str(header))
        elif name in columns:
            result.error(e.DUPLICATE_COLUMN, column=str(header))
        elif name:
            columns[name] = position
    for name, zh, required in COLUMNS:
        if required and name not in columns:
            result.error(e.MISSING_COLUMN, column=f"{zh} ({name})")
    if not result.ok:
        return result
    headers = {name: table.header[position] for name, position in columns.items()}
    for number, cells in zip(table.row_numbers, table.rows, strict=True):

        def cell(name: str, cells=cells):
            return cells[columns[name]] if name in columns and columns[name] < len(cells) else None

        values: dict = {}
        for name in ("code", "parent_code"):
            text = text_of(cell(name)).upper()
            if text.endswith(".0") and text[:-2].isdigit():  # a code Excel turned into a number
                text = text[:-2]
            values[name] = text or None
        values["name_zh"] = text_of(cell("name_zh"))
        values["name_en"] = text_of(cell("name_en"))
        level_text = text_of(cell("level"))
        values["level"] = LEVEL_OF_WORD.get(normalise_header(level_text))
        for name in ("code", "name_zh"):
            if not values[name]:
                result.error(e.MISSING_VALUE, number, headers[name])
        if values["code"] and not CODE_PATTERN.match(values["code"]):
            result.error(e.BAD_CODE, number, headers["code"], values["code"])
        if level_text and values["level"] is None:
            result.error(e.BAD_LEVEL, number, headers["level"], level_text)
        elif not level_text:
            result.error(e.MISSING_VALUE, number, headers["level"])
        for name in ("residents", "households", "grid_workers"):
            raw = cell(name)
            if raw is None or text_of(raw) == "":
                values[name] = 0
                continue
            number_value, problem = count(raw)
            if problem:
                result.error(problem[0], number, headers[name], text_of(raw), **problem[1])
            values[name] = number_value or 0
        for name, low, high in (("lon", 73.0, 136.0), ("lat", 3.0, 54.0)):  # China, WGS-84
            raw = text_of(cell(name))
            try:
                values[name] = float(raw) if raw else None
            except ValueError:
                values[name] = None
                result.error(e.NOT_A_NUMBER, number, headers[name], raw)
                continue
            if values[name] is not None and not low <= values[name] <= high:
                result.error(e.OUT_OF_RANGE, number, headers[name], raw, min=low, max=high)
        result.rows.append(AreaRow(row=number, **values))
    return result


def from_reference_rows(file_name: str, data: bytes, rows: Iterable[dict]) -> AreaFile:
    """Rows read from a public division-code list (code, name_zh, parent_code, level)."""
    result = AreaFile(file_name, data)
    for number, row in enumerate(rows, start=2):
        result.rows.append(
            AreaRow(
                row=row.get("row", number),
                code=row["code"],
                parent_code=row.get("parent_code"),
                level=row.get("level"),
                name_zh=common_name(row["name_zh"]),
            )
        )
    return result


# ---------------------------------------------------------------- checks against the database
def _stored(conn: Connection, codes: Iterable[str]) -> dict[str, dict]:
    found = {}
    codes = sorted(set(codes))
    for start in range(0, len(codes), 900):
        part = codes[start : start + 900]
        for row in conn.execute(select(s.area).where(s.area.c.code.in_(part))).mappings():
            found[row["code"]] = dict(row)
    return found


def check_rows(conn: Connection, area_file: AreaFile, within: str | None = None) -> dict[str, dict]:
    """The file's structural errors; returns the stored rows of every code it names."""
    rows = area_file.rows
    stored = _stored(conn, [r.code for r in rows] + [r.parent_code for r in rows if r.parent_code])
    first_row: dict[str, int] = {}
    in_file = {}
    for r in rows:
        if r.code in first_row:
            area_file.error(e.DUPLICATE_KEY, r.row, "code", r.code, first_row=first_row[r.code])
            continue
        first_row[r.code] = r.row
        in_file[r.code] = r
    level_of = {code: row["level"] for code, row in stored.items()} | {r.code: r.level for r in rows if r.level}
    for r in rows:
        if first_row.get(r.code) != r.row:
            continue
        old = stored.get(r.code)
        if old is not None and old["parent_code"] is None:
            if r.parent_code:
                area_file.error(e.PARENT_CHANGED, r.row, "parent_code", r.parent_code, old="—")
            continue  # the root itself: names and figures may change
        if not r.parent_code:
            area_file.error(e.MISSING_VALUE, r.row, "parent_code")
            continue
        if r.parent_code not in stored and r.parent_code not in in_file:
            area_file.error(e.UNKNOWN_PARENT, r.row, "parent_code", r.parent_code)
            continue
        parent_level = level_of.get(r.parent_code)
        if r.level and parent_level and (parent_level not in LEVELS or LEVELS.index(r.level) != LEVELS.index(parent_level) + 1):
            area_file.error(e.WRONG_LEVEL, r.row, "level", r.level, parent=r.parent_code, parent_level=parent_level)
        if not r.code.startswith(r.parent_code) or r.code == r.parent_code:
            area_file.error(e.CODE_NOT_UNDER_PARENT, r.row, "code", r.code, parent=r.parent_code)
        if old is not None and old["parent_code"] != r.parent_code:
            area_file.error(e.PARENT_CHANGED, r.row, "parent_code", r.parent_code, old=old["parent_code"])
        if within is not None and r.parent_code in stored and not is_within(conn.engine, r.parent_code, within):
            area_file.error(e.OUTSIDE_AREA, r.row, "code", r.code, kind="area", area=within)
    # A cycle: following parents inside the file comes back to where it started.
    for r in in_file.values():
        seen, code = set(), r.code
        while code in in_file and code not in seen:
            seen.add(code)
            code = in_file[code].parent_code
        if code in seen:
            area_file.error(e.CYCLE, r.row, "parent_code", r.parent_code)
    return stored


# ---------------------------------------------------------------- writing
def _ancestors(code: str, parent: str | None, level: str, known: dict[str, dict]) -> dict[str, str | None]:
    chain = {column: None for column in s.LEVEL_COLUMN.values()}
    if parent is not None:
        for column in s.LEVEL_COLUMN.values():
            chain[column] = known[parent][column]
    chain[s.LEVEL_COLUMN[level]] = code
    if chain["city_code"] is None:  # a district that is its own top: its city is the code's first four digits
        chain["city_code"] = code[:4] + "00" if len(code) >= 6 else code
    return chain


def _write(conn: Connection, area_file: AreaFile, stored: dict[str, dict]) -> tuple[int, int]:
    known = dict(stored)
    added = changed = 0
    # Parents before children: by level, then code.
    for r in sorted(area_file.rows, key=lambda r: (LEVELS.index(r.level) if r.level in LEVELS else 99, r.code)):
        old = stored.get(r.code)
        level = r.level or (old or {}).get("level")
        values = {
            "name_zh": r.name_zh[:100],
            "name_en": (r.name_en or (old or {}).get("name_en") or english_name(r.name_zh, level))[:100],
            "residents": r.residents if r.residents or old is None else old["residents"],
            "households": r.households if r.households or old is None else old["households"],
            "lon": r.lon if r.lon is not None else (old or {}).get("lon"),
            "lat": r.lat if r.lat is not None else (old or {}).get("lat"),
            "grid_workers": r.grid_workers if r.grid_workers or old is None else old.get("grid_workers") or 0,
        }
        if old is None:
            row = {
                "code": r.code,
                "parent_code": r.parent_code,
                "level": level,
                **values,
                **_ancestors(r.code, r.parent_code, level, known),
            }
            conn.execute(insert(s.area).values(**row))
            known[r.code] = row
            added += 1
        else:
            different = {k: v for k, v in values.items() if old.get(k) != v}
            if different:
                conn.execute(update(s.area).where(s.area.c.code == r.code).values(**different))
                changed += 1
            known[r.code] = {**old, **values}
    return added, changed


def import_areas(
    area_file: AreaFile, *, user: str, engine: Engine | None = None, within: str | None = None, dry_run: bool = False
) -> MasterImport:
    """Check ``area_file`` against the database and write it all or nothing, as ``user``
    (who may add areas only under ``within`` when given). Every attempt is recorded in the
    import history and the audit log."""
    return import_master_file(
        area_file, kind=REPORT_TYPE, check=check_rows, write=_write, user=user, engine=engine, within=within, dry_run=dry_run
    )


# ---------------------------------------------------------------- template and export
def template_header() -> list[str]:
    return [f"{zh} ({name})" for name, zh, _ in COLUMNS]


def template_csv() -> bytes:
    """The areas template: bilingual headers and two example rows (a street and a community)."""
    return csv_bytes([
        template_header(),
        ["370212001", "370212", "街道", "中韩街道", "", "120000", "45000", "120.46", "36.10", ""],
        ["370212001001", "370212001", "社区", "中韩社区", "", "5200", "1900", "", "", ""],
    ])  # fmt: skip


def export_areas(engine: Engine | None = None, within: str | None = None) -> bytes:
    """Every area under the root (or ``within``) in the template's format, parents first:
    importing the export again changes nothing."""
    from data_access.scope import within_condition

    engine = resolve_engine(engine)
    a = s.area.c
    statement = select(
        a.code, a.parent_code, a.level, a.name_zh, a.name_en, a.residents, a.households, a.lon, a.lat, a.grid_workers
    ).where(a.parent_code.is_not(None))
    inside = within_condition(engine, within)
    if inside is not None:
        statement = statement.where(inside, a.code != within)

    def _read():
        with engine.connect() as conn:
            return [list(r) for r in conn.execute(statement)]

    rows = sorted(run(_read), key=lambda r: (LEVELS.index(r[2]), r[0]))
    return csv_bytes([template_header(), *[["" if v is None else v for v in row] for row in rows]])
