"""Facilities master data: checkpoints, sampling sites, labs, vaccination sites, warehouses,
supply items, isolation sites and inspecting teams imported from their templates into a new command centre's database,
checked row by row, written all or nothing, idempotent, exported and imported back
unchanged, and then reported on through the daily intake. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update

from data_access import audit, setup
from data_access import schema as s
from data_access.master.areas import import_areas, read_area_file
from data_access.master.facilities import (
    COUNT,
    DEGREES,
    FACILITY_TYPES,
    KIND,
    export_facilities,
    import_facilities,
    read_facility_file,
    template_csv,
)
from tests.conftest import ENGINE_KINDS
from tests.intake_support import fingerprint, import_one, report_csv

ADMIN = "admin@example.org"
ZHONGHAN, SHAZIKOU, WANGGEZHUANG = "370212001", "370212002", "370212003"  # the last one retired
STREETS = (
    "区划代码 (code),上级代码 (parent_code),层级 (level),名称 (name_zh)\r\n"
    f"{ZHONGHAN},370212,街道,中韩街道\r\n{SHAZIKOU},370212,街道,沙子口街道\r\n{WANGGEZHUANG},370212,街道,王哥庄街道\r\n"
)


@dataclass(frozen=True)
class Case:
    """A type's good file (two rows, as written) and what the database must then hold."""

    rows: tuple[dict, ...]
    stored: dict[str, dict]  # code → values the first import must store
    change: tuple[str, str]  # a column of the first row and a new value for it


CASES = {
    "checkpoints": Case(
        (
            {"code": "CP001", "name_zh": "中韩国道道口", "kind": "国道", "lanes": "4", "area_code": ZHONGHAN, "lon": "120.46", "lat": "36.1"},
            {"code": "cp002", "name_zh": "沙子口高速道口", "name_en": "Shazikou expressway exit", "kind": "highway_exit", "lanes": "6",
             "shifts": "2", "people_per_lane_hour": "1,200", "area_code": SHAZIKOU},
        ),
        {"CP001": {"name_en": "Zhonghanguodao Checkpoint", "kind": "national_road", "lanes": 4, "shifts": 3, "people_per_lane_hour": 300,
                   "lon": 120.46, "lat": 36.1},
         "CP002": {"name_en": "Shazikou expressway exit", "kind": "highway_exit", "shifts": 2, "people_per_lane_hour": 1200, "lon": None}},
        ("lanes", "5"),
    ),
    "sampling_sites": Case(
        (
            {"code": "SS001", "name_zh": "张村社区采样点", "area_code": ZHONGHAN, "daily_capacity": "3000"},
            {"code": "SS002", "name_zh": "沙子口采样点", "name_en": "Shazikou site", "area_code": SHAZIKOU, "daily_capacity": "0"},
        ),
        {"SS001": {"name_en": "Zhangcunshequ Sampling Site", "daily_capacity": 3000}, "SS002": {"name_en": "Shazikou site", "daily_capacity": 0}},
        ("daily_capacity", "3500"),
    ),
    "labs": Case(
        (
            {"code": "LAB001", "name_zh": "崂山区疾控中心实验室", "area_code": ZHONGHAN, "daily_capacity_tubes": "20000", "lat": "36.1"},
            {"code": "LAB002", "name_zh": "沙子口检测中心", "area_code": SHAZIKOU, "daily_capacity_tubes": "8000"},
        ),
        {"LAB001": {"name_en": "Laoshanqujikongzhongxin Laboratory", "daily_capacity_tubes": 20000, "lat": 36.1, "lon": None}},
        ("daily_capacity_tubes", "25000"),
    ),
    "vaccination_sites": Case(
        (
            {"code": "VS001", "name_zh": "中韩街道接种点1", "kind": "固定接种点", "area_code": ZHONGHAN, "daily_capacity": "900"},
            {"code": "VS002", "name_zh": "沙子口流动接种队", "kind": "mobile team", "area_code": SHAZIKOU, "daily_capacity": "300"},
        ),
        {"VS001": {"name_en": "Zhonghanjiedao Vaccination Site 1", "kind": "fixed", "daily_capacity": 900}, "VS002": {"kind": "mobile_team"}},
        ("daily_capacity", "1000"),
    ),
    "warehouses": Case(
        (
            {"code": "WH001", "name_zh": "中韩物资仓库", "area_code": ZHONGHAN},
            {"code": "WH002", "name_zh": "沙子口储备库", "name_en": "Shazikou depot", "area_code": SHAZIKOU, "lon": "120.55"},
        ),
        {"WH001": {"name_en": "Zhonghanwuzi Warehouse", "area_code": ZHONGHAN}, "WH002": {"name_en": "Shazikou depot", "lon": 120.55}},
        ("name_zh", "中韩防疫物资仓库"),
    ),
    "supply_items": Case(
        (
            {"code": "MASK", "name_zh": "医用外科口罩", "name_en": "Surgical masks", "category": "ppe", "unit_zh": "只"},
            {"code": "SUIT", "name_zh": "医用防护服", "category": "ppe", "unit_zh": "套", "unit_en": "suits"},
        ),
        {"MASK": {"name_en": "Surgical masks", "unit_en": "pcs"}, "SUIT": {"name_en": "Yiyongfanghufu", "unit_en": "suits"}},
        ("category", "protection"),
    ),
    "isolation_sites": Case(
        (
            {"code": "IS001", "name_zh": "中韩集中隔离点1", "area_code": ZHONGHAN, "rooms": "180", "lon": "120.47", "lat": "36.11"},
            {"code": "IS002", "name_zh": "沙子口隔离酒店", "name_en": "Shazikou isolation hotel", "area_code": SHAZIKOU, "rooms": "1,200"},
        ),
        {"IS001": {"name_en": "Zhonghan Isolation Site 1", "rooms": 180, "lon": 120.47},
         "IS002": {"name_en": "Shazikou isolation hotel", "rooms": 1200, "lat": None}},
        ("rooms", "200"),
    ),
    "inspection_teams": Case(
        (
            {"code": "IT001", "name_zh": "崂山区市场监管督导组1", "agency": "市场监管局", "area_code": ZHONGHAN},
            {"code": "IT002", "name_zh": "沙子口医保督导组", "name_en": "Shazikou medical insurance team", "agency": "medical insurance",
             "area_code": SHAZIKOU, "lon": "120.55", "lat": "36.12"},
        ),
        {"IT001": {"name_en": "Laoshanqushichangjianguan Inspection Team 1", "agency": "market_regulation"},
         "IT002": {"agency": "medical_insurance", "lon": 120.55}},
        ("agency", "commerce"),
    ),
}  # fmt: skip
TYPES = list(FACILITY_TYPES)


def csv_of(kind: str, rows, encoding: str = "utf-8", header=None) -> bytes:
    columns = [c.name for c in FACILITY_TYPES[kind].columns]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header or [c.header for c in FACILITY_TYPES[kind].columns])
    writer.writerows([row.get(c, "") for c in columns] for row in rows)
    return buffer.getvalue().encode(encoding)


def load(engine, kind: str, rows, name: str = "facilities.csv", **kwargs):
    return import_facilities(kind, read_facility_file(kind, name, csv_of(kind, rows)), user=ADMIN, engine=engine, **kwargs)


def stored(engine, kind: str) -> dict[str, dict]:
    table = FACILITY_TYPES[kind].table
    with engine.connect() as conn:
        return {row["code"]: dict(row) for row in conn.execute(select(table)).mappings()}


@pytest.fixture(params=ENGINE_KINDS)
def laoshan(request, new_database):
    """A new Laoshan database with three streets, the third retired."""
    engine = new_database(request.param)
    setup.new_database("370212", "崂山区", engine=engine)
    assert import_areas(read_area_file("streets.csv", STREETS.encode()), user=ADMIN, engine=engine).accepted
    with engine.begin() as conn:
        conn.execute(update(s.area).where(s.area.c.code == WANGGEZHUANG).values(retired_on=dt.date(2022, 1, 1)))
    return engine


@pytest.mark.parametrize("kind", TYPES)
def test_a_good_file_is_stored_as_written_and_importing_it_again_changes_nothing(laoshan, kind):
    case = CASES[kind]
    dry = load(laoshan, kind, case.rows, dry_run=True)
    assert (dry.accepted, dry.added, dry.import_id, stored(laoshan, kind)) == (True, 2, None, {})
    outcome = load(laoshan, kind, case.rows)
    assert outcome.accepted, outcome.errors
    assert (outcome.rows, outcome.added, outcome.changed) == (2, 2, 0)
    found = stored(laoshan, kind)
    for row in read_facility_file(kind, "again.csv", csv_of(kind, case.rows)).rows:  # every value given is stored
        assert {name: found[row.values["code"]][name] for name in row.values} == row.values
    for code, values in case.stored.items():
        assert {name: found[code][name] for name in values} == values, code
    assert all(row["name_en"].isascii() and row["name_en"] for row in found.values())
    history = audit.audit_events(action=audit.IMPORT, engine=laoshan)
    assert f"{kind} " in history["detail"].iloc[0] and "2 added" in history["detail"].iloc[0]

    before = fingerprint(laoshan, [FACILITY_TYPES[kind].table])
    again = load(laoshan, kind, case.rows)
    assert (again.accepted, again.added, again.changed) == (True, 0, 0)
    assert fingerprint(laoshan, [FACILITY_TYPES[kind].table]) == before

    column, value = case.change
    changed = load(laoshan, kind, [{**case.rows[0], column: value}, case.rows[1]])
    assert (changed.accepted, changed.added, changed.changed) == (True, 0, 1)
    code = case.rows[0]["code"]
    assert str(stored(laoshan, kind)[code][column]) == value
    assert fingerprint(laoshan, [FACILITY_TYPES[kind].table]) != before


def bad_rows(kind: str) -> tuple[list[dict], list[tuple[int, str]]]:
    """A file with every error a row of ``kind`` can have, and the (row, code) each makes."""
    facility = FACILITY_TYPES[kind]
    good = CASES[kind].rows[0]
    number = next((c.name for c in facility.columns if c.reader == COUNT), None)
    degrees = next((c.name for c in facility.columns if c.reader == DEGREES), None)
    kind_column = next((c.name for c in facility.columns if c.reader == KIND), None)
    area = "area_code" if facility.has_area else None
    mistakes = [
        ({}, None),  # a good row
        ({"name_zh": ""}, "missing_value"),
        ({"code": "X-1"}, "bad_code"),
        ({"code": good["code"]}, "duplicate_key"),
        ({"name_zh": "=A1"}, "formula"),
        ({number: "many"}, "not_a_number") if number else None,
        ({number: "-3"}, "negative") if number else None,
        ({number: "2.5"}, "not_an_integer") if number else None,
        ({degrees: "200"}, "out_of_range") if degrees else None,
        ({degrees: "east"}, "not_a_number") if degrees else None,
        ({kind_column: "隧道"}, "bad_kind") if kind_column else None,
        ({area: "370212099"}, "unknown_code") if area else None,
        ({area: WANGGEZHUANG}, "retired_area") if area else None,
    ]
    rows, expected = [], []
    for n, (change, code) in enumerate(m for m in mistakes if m is not None):
        rows.append({**good, "code": f"{good['code']}E{n}" if n else good["code"], **change})
        if code:
            expected.append((n + 2, code))
    return rows, expected


@pytest.mark.parametrize("kind", TYPES)
def test_every_wrong_row_is_named_and_nothing_is_written(laoshan, kind):
    table = FACILITY_TYPES[kind].table
    before = fingerprint(laoshan, [table])
    rows, expected = bad_rows(kind)
    outcome = load(laoshan, kind, rows)
    assert not outcome.accepted and (outcome.rows, outcome.added, outcome.changed) == (0, 0, 0)
    assert sorted((err.row, err.code) for err in outcome.errors) == expected
    assert fingerprint(laoshan, [table]) == before
    assert audit.audit_events(action=audit.IMPORT, engine=laoshan)["outcome"].tolist() == [
        "refused",
        "ok",
    ]  # this file, the streets
    unknown = [err for err in outcome.errors if err.code == "unknown_code"]
    assert all(err.fields == {"kind": "area"} and err.column == "所在区划代码 (area_code)" for err in unknown)


@pytest.mark.parametrize("kind", TYPES)
def test_a_file_with_wrong_columns_is_refused_whole(kind):
    header = [c.header for c in FACILITY_TYPES[kind].columns]
    broken = [header[0], "颜色", header[0]]  # no names, an unknown column, the code twice
    facility_file = read_facility_file(kind, "broken.csv", csv_of(kind, [], header=broken) + b"X1,red,X1\r\n")
    codes = sorted(err.code for err in facility_file.errors)
    assert codes[:2] == ["duplicate_column", "missing_column"] and codes[-1] == "unknown_column"
    assert not facility_file.rows


@pytest.mark.parametrize("kind", TYPES)
def test_gbk_csv_and_xlsx_read_as_utf8_csv_does(kind):
    from openpyxl import Workbook

    rows = CASES[kind].rows
    expected = read_facility_file(kind, "utf8.csv", csv_of(kind, rows)).rows
    gbk = read_facility_file(kind, "gbk.csv", csv_of(kind, rows, encoding="gbk"))
    assert gbk.ok and gbk.rows == expected
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.zh for c in FACILITY_TYPES[kind].columns])  # Chinese headers alone
    for row in rows:  # numbers as Excel keeps them: codes of digits and counts as numbers
        sheet.append([_excel(row.get(c.name)) for c in FACILITY_TYPES[kind].columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = read_facility_file(kind, "facilities.xlsx", buffer.getvalue())
    assert xlsx.ok, xlsx.errors
    assert xlsx.rows == expected


def _excel(value: str | None):
    if not value:
        return None
    try:
        return float(value) if "." in value else int(value)
    except ValueError:
        return value


@pytest.mark.parametrize("kind", TYPES)
def test_an_admin_of_a_street_places_facilities_only_inside_it(laoshan, kind):
    case = CASES[kind]
    assert load(laoshan, kind, case.rows).accepted
    before = fingerprint(laoshan, [FACILITY_TYPES[kind].table])
    first, second = case.rows
    if not FACILITY_TYPES[kind].has_area:  # the catalogue: a street's admin may change nothing in it
        refused = load(laoshan, kind, [{**first, "category": "other"}, second], within=ZHONGHAN)
        assert [(err.row, err.code) for err in refused.errors] == [(2, "outside_area")]
        assert load(laoshan, kind, case.rows, within=ZHONGHAN).accepted  # unchanged rows are no change
        return
    outside = load(laoshan, kind, [{**second, "code": "NEW1"}], within=ZHONGHAN)
    assert [(err.row, err.code, err.fields) for err in outside.errors] == [
        (2, "outside_area", {"kind": FACILITY_TYPES[kind].reference, "area": ZHONGHAN})
    ]
    moved_in = load(laoshan, kind, [{**second, "area_code": ZHONGHAN}], within=ZHONGHAN)  # stood in Shazikou
    moved_out = load(laoshan, kind, [{**first, "area_code": SHAZIKOU}], within=ZHONGHAN)
    assert [err.code for err in moved_in.errors + moved_out.errors] == ["outside_area", "outside_area"]
    assert fingerprint(laoshan, [FACILITY_TYPES[kind].table]) == before
    inside = load(laoshan, kind, [{**first, "code": "NEW2"}], within=ZHONGHAN)
    assert (inside.accepted, inside.added) == (True, 1)


@pytest.mark.parametrize("kind", TYPES)
def test_an_export_imports_back_unchanged(laoshan, kind):
    assert load(laoshan, kind, CASES[kind].rows).accepted
    assert load(laoshan, kind, [{**CASES[kind].rows[0], "code": "ZZ9"}]).accepted  # some rows given in full, some not
    table = FACILITY_TYPES[kind].table
    before = fingerprint(laoshan, [table])
    exported = export_facilities(kind, engine=laoshan)
    assert exported.startswith(b"\xef\xbb\xbf") and exported.splitlines()[0] == template_csv(kind, "zh").splitlines()[0]
    back = import_facilities(kind, ("export.csv", exported), user=ADMIN, engine=laoshan)
    assert (back.accepted, back.rows, back.added, back.changed) == (True, 3, 0, 0)
    assert fingerprint(laoshan, [table]) == before
    if FACILITY_TYPES[kind].has_area:  # a street's export holds its own facilities only
        codes = [row.values["code"] for row in read_facility_file(kind, "z.csv", export_facilities(kind, laoshan, ZHONGHAN)).rows]
        assert codes == sorted(code for code, row in stored(laoshan, kind).items() if row["area_code"] == ZHONGHAN)


@pytest.mark.parametrize("kind", TYPES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_template_reads_back_as_its_example(kind, lang):
    template = template_csv(kind, lang)
    assert template.startswith(b"\xef\xbb\xbf")
    facility_file = read_facility_file(kind, "template.csv", template)
    assert facility_file.ok and len(facility_file.rows) == 1
    example = FACILITY_TYPES[kind].example
    assert facility_file.rows[0].values == example


def test_a_daily_report_for_a_new_checkpoint_is_taken_in(laoshan):
    assert load(laoshan, "checkpoints", CASES["checkpoints"].rows).accepted
    day = dt.date(2024, 6, 29)
    report = report_csv("checkpoint_daily", [{"day": day.isoformat(), "checkpoint_code": "CP002", "vehicles": 40, "people": 70,
                                               "temperature_checks": 70, "fever": 0}])  # fmt: skip
    outcome = import_one(laoshan, "cp.csv", report)
    assert outcome.accepted, outcome.errors
    with laoshan.connect() as conn:
        daily = conn.execute(select(s.checkpoint_daily)).mappings().one()
    assert (daily["checkpoint_code"], daily["day"], daily["people"]) == ("CP002", day, 70)
    unknown = import_one(laoshan, "cp.csv", report.replace(b"CP002", b"CP404"))
    assert [err.code for err in unknown.errors] == ["unknown_code"]
