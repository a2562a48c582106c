"""Facilities master data 设施与物资目录: checkpoints, sampling sites, labs, vaccination
sites, warehouses, supply items, isolation sites and inspecting teams, each from its own
template, checked row by row and written all or nothing.

One table-driven importer serves the eight types: a ``FacilityType`` names its table and
its columns (name, Chinese header, how a cell is read, required, default). A file's rows
are upserted by code: a new code is added, a stored one updated where a value differs,
nothing else is touched (a facility is never deleted, its ``retired_on`` never set), so
importing a file again, or an export, changes nothing. A facility stands in an existing
area that is not retired; an admin of an area may place facilities only inside it, and
only an admin of the whole database may change the supply-item catalogue.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import Connection, Engine, Table, insert, or_, select, update

from data_access import schema as s
from data_access.ingest import errors as e
from data_access.ingest.cells import INTEGER_MAX, count, text_of
from data_access.ingest.templates import csv_bytes
from data_access.ingest.types import normalise_header
from data_access.ingest.validate import local_today
from data_access.master.intake import MasterImport, import_master_file, read_master_table
from data_access.master.reference import english_name
from data_access.scope import is_within, resolve_engine, run, sees_everything, within_condition

# New error codes (to be listed in data_access.ingest.errors with the others).
RETIRED_AREA = e.RETIRED_AREA  # the facility is placed in an area retired from reporting
BAD_KIND = e.BAD_KIND  # not one of the type's kinds (checkpoint or vaccination-site kind)

# How a cell is read.
CODE, TEXT, KIND, COUNT, DEGREES = "code", "text", "kind", "count", "degrees"
CODE_PATTERN = re.compile(r"^[0-9A-Z]{1,24}$")


class Col(NamedTuple):
    """One column of a facility template, stored as ``name`` in the type's table."""

    name: str
    zh: str
    reader: str
    required: bool = True
    default: object = None  # for a new row whose optional cell is blank: a value, or a function of the row's values
    low: float = 0  # counts and degrees: the range allowed
    high: float = INTEGER_MAX

    @property
    def header(self) -> str:
        return f"{self.zh} ({self.name})"


# The generic words that end facility names, with their English, longest first.
FACILITY_WORDS = (("集中隔离点", "Isolation Site"), ("隔离点", "Isolation Site"), ("督导组", "Inspection Team"),
                  ("检测中心", "Testing Centre"), ("疾控中心", "CDC"), ("实验室", "Laboratory"), ("采样点", "Sampling Site"),
                  ("接种点", "Vaccination Site"), ("接种队", "Vaccination Team"), ("接种车", "Vaccination Vehicle"),
                  ("检查站", "Checkpoint"), ("储备库", "Depot"), ("仓库", "Warehouse"), ("医院", "Hospital"), ("道口", "Checkpoint"))  # fmt: skip


def facility_english(name_zh: str) -> str:
    """An English name: the specific part in pinyin, a generic word translated, a number kept.
    中韩国道道口 → "Zhonghanguodao Checkpoint"; 中韩街道接种点1 → "Zhonghanjiedao Vaccination Site 1"."""
    stem, number = re.fullmatch(r"(.*?)\s*(\d*)", name_zh.strip()).groups()
    zh, en = next(((zh, en) for zh, en in FACILITY_WORDS if stem.endswith(zh) and len(stem) > len(zh)), ("", ""))
    return " ".join(part for part in (english_name(stem[: len(stem) - len(zh)], ""), en, number) if part)


def _english_of(source: str, words: dict[str, str] | None = None) -> Callable[[dict], str]:
    """A default English text: ``words`` looked up, else made from the Chinese column."""
    return lambda values: (words or {}).get(values[source]) or facility_english(values[source])


# Kinds: the stored value, then the words command centres write for it (Chinese first).
CHECKPOINT_KINDS = {
    "highway_exit": ("高速出口", "Expressway exit", "高速道口", "高速公路出口", "高速收费站", "高速", "expressway"),
    "national_road": ("国道", "National road", "国道道口"),
    "provincial_road": ("省道", "Provincial road", "省道道口"),
    "county_road": ("县道", "County road", "县乡道", "乡道", "县道道口"),
    "rail_station": ("火车站", "Rail station", "铁路站", "铁路", "高铁站", "火车站道口", "railway station"),
    "airport": ("机场", "Airport"),
    "port": ("港口", "Port", "码头"),
    "other": ("其他", "Other", "其它"),
}
VACCINATION_KINDS = {
    "fixed": ("固定接种点", "Fixed site", "接种点", "固定"),
    "mobile_team": ("流动接种队", "Mobile team", "流动队", "流动"),
    "vehicle": ("接种车", "Vaccination vehicle", "流动接种车", "疫苗接种车"),
}
# The agency an inspecting team comes from (督导组的牵头部门).
AGENCY_KINDS = {
    "market_regulation": ("市场监管", "Market regulation", "市场监督管理局", "市场监管局", "市场监管所"),
    "health_supervision": ("卫生监督", "Health supervision", "卫生监督所", "卫健委", "卫生健康"),
    "medical_insurance": ("医疗保障", "Medical insurance", "医保", "医保局", "医疗保障局"),
    "commerce": ("商务", "Commerce", "商务局"),
    "other": ("其他", "Other", "其它", "联合督导"),
}
# The English of the usual units (a unit not listed gets its pinyin).
UNIT_EN = {"只": "pcs", "个": "pcs", "件": "pcs", "支": "tubes", "份": "kits", "套": "sets", "副": "pairs", "双": "pairs",
           "升": "L", "毫升": "mL", "千克": "kg", "公斤": "kg", "吨": "t", "箱": "boxes", "盒": "boxes", "瓶": "bottles", "台": "units"}  # fmt: skip

_NAMES = (Col("name_zh", "名称", TEXT), Col("name_en", "英文名称", TEXT, False, _english_of("name_zh")))
_AREA = Col("area_code", "所在区划代码", CODE)
_PLACE = (
    Col("lon", "经度", DEGREES, False, None, 73.0, 136.0),
    Col("lat", "纬度", DEGREES, False, None, 3.0, 54.0),
)  # China, WGS-84


@dataclass(frozen=True)
class FacilityType:
    name: str  # as the command line and report_import.report_type name it
    title_zh: str
    title_en: str
    table: Table
    columns: tuple[Col, ...]
    example: dict  # the template's example row, as stored
    kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        """What an error calls one of these (the daily reports' reference names)."""
        return self.table.name

    @property
    def has_area(self) -> bool:
        return "area_code" in self.table.c

    @cached_property
    def kind_of(self) -> dict[str, str]:
        """The stored kind of every word for one, as normalise_header spells it."""
        return {normalise_header(word): kind for kind, spellings in self.kinds.items() for word in (kind, *spellings)}

    def column(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)


FACILITY_TYPES: dict[str, FacilityType] = {
    t.name: t
    for t in (
        FacilityType("checkpoints", "道口", "Checkpoints", s.checkpoint, (
            Col("code", "道口代码", CODE), *_NAMES, Col("kind", "类型", KIND),
            Col("lanes", "车道数", COUNT, low=1, high=100),
            Col("shifts", "班次", COUNT, False, 3, low=1, high=4),
            Col("people_per_lane_hour", "每车道小时查验人数", COUNT, False, 300, low=1, high=10_000),
            _AREA, *_PLACE,
        ), {"code": "CP370212001", "name_zh": "沙子口高速出口道口", "kind": "highway_exit", "lanes": 4, "shifts": 3,
            "people_per_lane_hour": 300, "area_code": "370212002", "lon": 120.55, "lat": 36.12}, CHECKPOINT_KINDS),
        FacilityType("sampling_sites", "核酸采样点", "Sampling sites", s.sampling_site, (
            Col("code", "采样点代码", CODE), *_NAMES, _AREA, Col("daily_capacity", "日采样能力", COUNT), *_PLACE,
        ), {"code": "SS370212001", "name_zh": "张村社区采样点", "area_code": "370212001", "daily_capacity": 3000}),
        FacilityType("labs", "检测机构", "Labs", s.lab, (
            Col("code", "检测机构代码", CODE), *_NAMES, _AREA, Col("daily_capacity_tubes", "日检测能力（管）", COUNT), *_PLACE,
        ), {"code": "LAB370212001", "name_zh": "崂山区疾控中心实验室", "area_code": "370212", "daily_capacity_tubes": 20000}),
        FacilityType("vaccination_sites", "接种点", "Vaccination sites", s.vaccination_site, (
            Col("code", "接种点代码", CODE), *_NAMES, Col("kind", "类型", KIND), _AREA,
            Col("daily_capacity", "日接种能力", COUNT), *_PLACE,
        ), {"code": "VS370212F01", "name_zh": "中韩街道接种点1", "kind": "fixed", "area_code": "370212001", "daily_capacity": 900},
            VACCINATION_KINDS),
        FacilityType("warehouses", "物资仓库", "Warehouses", s.warehouse, (
            Col("code", "仓库代码", CODE), *_NAMES, _AREA, *_PLACE,
        ), {"code": "WH370212", "name_zh": "崂山区防疫物资储备库", "area_code": "370212"}),
        FacilityType("isolation_sites", "集中隔离点", "Isolation sites", s.isolation_site, (
            Col("code", "隔离点代码", CODE), *_NAMES, _AREA, Col("rooms", "房间数", COUNT, low=1, high=100_000), *_PLACE,
        ), {"code": "IS370212001", "name_zh": "沙子口集中隔离点1", "area_code": "370212002", "rooms": 180, "lon": 120.56, "lat": 36.11}),
        FacilityType("inspection_teams", "督导检查组", "Inspecting teams", s.inspection_team, (
            Col("code", "督导组代码", CODE), *_NAMES, Col("agency", "牵头部门", KIND), _AREA, *_PLACE,
        ), {"code": "IT37021201", "name_zh": "崂山区市场监管督导组1", "agency": "market_regulation", "area_code": "370212"},
            AGENCY_KINDS),
        FacilityType("supply_items", "物资目录", "Supply items", s.supply_item, (
            Col("code", "物资代码", CODE), *_NAMES, Col("category", "类别", TEXT),
            Col("unit_zh", "单位", TEXT), Col("unit_en", "英文单位", TEXT, False, _english_of("unit_zh", UNIT_EN)),
        ), {"code": "MASK", "name_zh": "医用外科口罩", "name_en": "Surgical masks", "category": "ppe", "unit_zh": "只", "unit_en": "pcs"}),
    )
}  # fmt: skip


def facility_type(kind: str) -> FacilityType:
    try:
        return FACILITY_TYPES[kind]
    except KeyError:
        raise ValueError(f"no facility type {kind!r}: one of {', '.join(FACILITY_TYPES)}") from None


@dataclass
class FacilityRow:
    row: int  # the row as numbered in the file
    values: dict  # column name → value; an optional column left blank is absent


@dataclass
class FacilityFile:
    kind: str
    file_name: str
    data: bytes = field(repr=False)
    rows: list[FacilityRow] = field(default_factory=list)
    errors: list[e.IntakeError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column name → the header as written

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, code: str, row: int | None = None, column: str | None = None, value=None, **fields) -> None:
        column = self.headers.get(column, column)
        self.errors.append(e.IntakeError(code, self.file_name, row, column, None if value is None else str(value)[:200], fields))


# ---------------------------------------------------------------- reading a file
def _read_cell(facility: FacilityType, column: Col, raw) -> tuple[object, tuple[str, dict] | None]:
    """(value, None), or (None, (error code, fields)); (None, None) for a blank optional cell."""
    text = text_of(raw)
    if not text:
        return None, ((e.MISSING_VALUE, {}) if column.required else None)
    if text.startswith("="):
        return None, (e.FORMULA, {})
    if column.reader == CODE:
        text = text.upper()
        if text.endswith(".0") and text[:-2].isdigit():  # a code Excel turned into a number
            text = text[:-2]
        return (text, None) if CODE_PATTERN.match(text) else (None, (e.BAD_CODE, {}))
    if column.reader == TEXT:
        return text[: facility.table.c[column.name].type.length], None
    if column.reader == KIND:
        found = facility.kind_of.get(normalise_header(text))
        allowed = ", ".join(f"{spellings[0]}/{kind}" for kind, spellings in facility.kinds.items())
        return (found, None) if found else (None, (BAD_KIND, {"allowed": allowed}))
    if column.reader == COUNT:
        number, problem = count(raw)
        if problem is None and not column.low <= number <= column.high:
            problem = (e.OUT_OF_RANGE, {"min": column.low, "max": column.high})
        return (None, problem) if problem else (number, None)
    try:  # DEGREES
        number = float(text)
    except ValueError:
        return None, (e.NOT_A_NUMBER, {})
    if not (math.isfinite(number) and column.low <= number <= column.high):
        return None, (e.OUT_OF_RANGE, {"min": column.low, "max": column.high})
    return number, None


def read_facility_file(kind: str, file_name: str, data: bytes) -> FacilityFile:
    """The rows of a ``kind`` template (CSV or XLSX), each cell read and checked on its own,
    and every code once."""
    facility = facility_type(kind)
    result = FacilityFile(kind, file_name, data)
    table = read_master_table(file_name, data, result.error)
    if table is None:
        return result
    header_of = {normalise_header(spelling): c.name for c in facility.columns for spelling in (c.name, c.zh, c.header)}
    positions: dict[str, int] = {}
    for position, header in enumerate(table.header):
        name = header_of.get(normalise_header(header))
        if name is None and header:
            result.error(e.UNKNOWN_COLUMN, column=header, position=position + 1)
        elif name in positions:
            result.error(e.DUPLICATE_COLUMN, column=header, first=table.header[positions[name]])
        elif name:
            positions[name] = position
    for column in facility.columns:
        if column.required and column.name not in positions:
            result.error(e.MISSING_COLUMN, column=column.header)
    if not result.ok:
        return result
    result.headers = {name: table.header[position] for name, position in positions.items()}
    first_row: dict[str, int] = {}
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        values = {}
        for name, position in positions.items():
            raw = cells[position] if position < len(cells) else None
            value, problem = _read_cell(facility, facility.column(name), raw)
            if problem:
                result.error(problem[0], number, name, text_of(raw) or None, **problem[1])
            elif value is not None:
                values[name] = value
        code = values.get("code")
        if code in first_row:
            result.error(e.DUPLICATE_KEY, number, "code", code, first_row=first_row[code])
        elif code:
            first_row[code] = number
            result.rows.append(FacilityRow(number, values))
    return result


# ---------------------------------------------------------------- checks against the database
def _stored(conn: Connection, table: Table, codes) -> dict[str, dict]:
    found, codes = {}, sorted(set(codes))
    for start in range(0, len(codes), 900):
        for row in conn.execute(select(table).where(table.c.code.in_(codes[start : start + 900]))).mappings():
            found[row["code"]] = dict(row)
    return found


def check_rows(conn: Connection, facility_file: FacilityFile, within: str | None = None) -> dict[str, dict]:
    """The errors only the database reveals; returns the stored rows of the file's codes."""
    facility = facility_type(facility_file.kind)
    rows = facility_file.rows
    stored = _stored(conn, facility.table, [r.values["code"] for r in rows])
    if not facility.has_area:  # the supply-item catalogue is the whole database's: only its admins change it
        if not sees_everything(conn.engine, within):
            for r in rows:
                if _changes(stored.get(r.values["code"]), r.values):
                    facility_file.error(e.OUTSIDE_AREA, r.row, "code", r.values["code"], kind=facility.reference, area=within)
        return stored
    areas = _stored(conn, s.area, [r.values["area_code"] for r in rows if "area_code" in r.values])
    today = local_today()
    for r in rows:
        code, area_code = r.values["code"], r.values.get("area_code")
        old = stored.get(code)
        if area_code is None:
            continue
        area = areas.get(area_code)
        if area is None:
            facility_file.error(e.UNKNOWN_CODE, r.row, "area_code", area_code, kind="area")
            continue
        if area["retired_on"] is not None and area["retired_on"] <= today and (old is None or old["area_code"] != area_code):
            facility_file.error(RETIRED_AREA, r.row, "area_code", area_code, since=area["retired_on"].isoformat())
        places = {area_code} | ({old["area_code"]} if old else set())  # where it goes, and where it stood
        if within is not None and not all(is_within(conn.engine, place, within) for place in places):
            facility_file.error(e.OUTSIDE_AREA, r.row, "area_code", area_code, kind=facility.reference, area=within)
    return stored


# ---------------------------------------------------------------- writing
def _changes(old: dict | None, values: dict) -> dict:
    """The values that differ from the stored row (all of them for a new one)."""
    return dict(values) if old is None else {name: value for name, value in values.items() if old[name] != value}


def _write(conn: Connection, facility_file: FacilityFile, stored: dict[str, dict]) -> tuple[int, int]:
    facility = facility_type(facility_file.kind)
    added = changed = 0
    for r in facility_file.rows:
        old = stored.get(r.values["code"])
        if old is None:
            row = dict(r.values)
            for column in facility.columns:
                if column.name not in row:
                    value = column.default(row) if callable(column.default) else column.default
                    row[column.name] = value[: facility.table.c[column.name].type.length] if isinstance(value, str) else value
            conn.execute(insert(facility.table).values(**row))
            added += 1
            continue
        different = _changes(old, r.values)
        if different:
            conn.execute(update(facility.table).where(facility.table.c.code == old["code"]).values(**different))
            changed += 1
    return added, changed


def import_facilities(
    kind: str,
    file: FacilityFile | tuple[str, bytes],
    *,
    user: str,
    engine: Engine | None = None,
    within: str | None = None,
    dry_run: bool = False,
) -> MasterImport:
    """Check a ``kind`` file (read, or (name, bytes)) against the database and write it all
    or nothing, as ``user``, who may place facilities only inside the area ``within`` when
    given. Every attempt is recorded in the import history and the audit log."""
    facility_file = file if isinstance(file, FacilityFile) else read_facility_file(kind, *file)
    if facility_file.kind != kind:
        raise ValueError(f"the file was read as {facility_file.kind}, not {kind}")
    return import_master_file(
        facility_file, kind=kind, check=check_rows, write=_write, user=user, engine=engine, within=within, dry_run=dry_run
    )


# ---------------------------------------------------------------- templates and exports
def _csv(facility: FacilityType, rows, lang: str = "en") -> bytes:
    def shown(column: Col, value) -> str:
        if value is None:
            return ""
        if column.reader == KIND and lang == "zh":
            return facility.kinds[value][0]
        return str(value)

    return csv_bytes(
        [[c.header for c in facility.columns], *([shown(c, row.get(c.name)) for c in facility.columns] for row in rows)]
    )


def template_csv(kind: str, lang: str = "zh") -> bytes:
    """A blank ``kind`` template: UTF-8 with BOM (so Excel in China opens it), bilingual
    headers and one example row (its kind written in ``lang``)."""
    facility = facility_type(kind)
    return _csv(facility, [facility.example], lang)


def export_facilities(kind: str, engine: Engine | None = None, within: str | None = None) -> bytes:
    """The ``kind`` facilities in use (not retired) inside ``within`` (supply items: the
    whole catalogue), as a template CSV: importing it again changes nothing."""
    facility = facility_type(kind)
    engine = resolve_engine(engine)
    table = facility.table
    statement = select(table).order_by(table.c.code)
    if facility.has_area:
        today = local_today()
        statement = statement.where(or_(table.c.retired_on.is_(None), table.c.retired_on > today))
        inside = run(lambda: within_condition(engine, within))
        if inside is not None:
            statement = statement.join(s.area, s.area.c.code == table.c.area_code).where(inside)

    def _read() -> list[dict]:
        with engine.connect() as conn:
            return [dict(row) for row in conn.execute(statement).mappings()]

    return _csv(facility, run(_read))
