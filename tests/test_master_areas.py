"""A command centre's own areas: a new database with its root, the areas template checked
row by row and written all or nothing, idempotent re-imports, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from data_access import audit, setup
from data_access import schema as s
from data_access.engine import make_engine
from data_access.master.areas import AreaFile, import_areas, read_area_file
from data_access.setup import SetupError
from tests.app_support import PROJECT_ROOT
from tests.conftest import ENGINE_KINDS
from tests.intake_support import fingerprint

REFERENCE = PROJECT_ROOT / "tests" / "reference_data"
HEADER = "区划代码 (code),上级代码 (parent_code),层级 (level),名称 (name_zh),英文名称 (name_en),常住人口 (residents),户数 (households),中心经度 (lon),中心纬度 (lat),网格员 (grid_workers)\r\n"
GOOD = HEADER + (
    "370212001,370212,街道,中韩街道,,120000,45000,120.46,36.10,\r\n"
    "370212002,370212,街道,沙子口街道,Shazikou Subdistrict,80000,30000,,,\r\n"
    "370212001001,370212001,社区,张村社区,,5200,1900,,,\r\n"
    "370212001001001,370212001001,小区,海尔花园,,1200,400,,,\r\n"
    "370212001001001001,370212001001001,网格,第一网格,,300,100,,,3\r\n"
)


@pytest.fixture(params=ENGINE_KINDS)
def laoshan(request, new_database):
    engine = new_database(request.param)
    setup.new_database("370212", "崂山区", engine=engine)
    return engine


def areas(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        return {row["code"]: dict(row) for row in conn.execute(select(s.area)).mappings()}


def load(engine, text: str, name: str = "areas.csv", **kwargs):
    return import_areas(read_area_file(name, text.encode("utf-8")), user="admin@example.org", engine=engine, **kwargs)


def test_a_new_database_holds_only_its_root(laoshan):
    (root,) = areas(laoshan).values()
    assert (root["code"], root["level"], root["name_zh"], root["name_en"], root["parent_code"]) == (
        "370212",
        "district",
        "崂山区",
        "Laoshan District",
        None,
    )
    assert root["district_code"] == "370212" and root["city_code"] == "370200"
    with pytest.raises(SetupError, match="already holds areas"):
        setup.new_database("370212", "崂山区", engine=laoshan)


@pytest.mark.parametrize("code", ["37021", "370000", "37021a", "3702120"])
def test_the_root_must_be_a_city_or_district_code(code, tmp_path):
    from data_access.engine import make_engine

    with pytest.raises(SetupError):
        setup.new_database(code, "某区", engine=make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}"))


def test_the_template_is_imported_with_ancestors_and_pinyin_names(laoshan):
    outcome = load(laoshan, GOOD)
    assert outcome.accepted, outcome.errors
    assert (outcome.rows, outcome.added, outcome.changed) == (5, 5, 0)
    stored = areas(laoshan)
    grid = stored["370212001001001001"]
    assert (grid["level"], grid["district_code"], grid["street_code"], grid["community_code"], grid["compound_code"]) == (
        "grid", "370212", "370212001", "370212001001", "370212001001001",
    )  # fmt: skip
    assert grid["grid_workers"] == 3
    assert stored["370212001"]["name_en"] == "Zhonghan Subdistrict"  # made from the pinyin
    assert stored["370212002"]["name_en"] == "Shazikou Subdistrict"  # as given
    assert stored["370212001001"]["name_en"].endswith("Community")
    assert (stored["370212001"]["lon"], stored["370212001"]["residents"]) == (120.46, 120000)
    history = audit.audit_events(action=audit.IMPORT, engine=laoshan)
    assert history["outcome"].tolist() == ["ok"] and "5 added" in history["detail"].iloc[0]


def test_importing_again_changes_nothing_and_a_rename_is_an_update(laoshan):
    load(laoshan, GOOD)
    before = fingerprint(laoshan, [s.area])
    again = load(laoshan, GOOD)
    assert (again.accepted, again.added, again.changed) == (True, 0, 0)
    assert fingerprint(laoshan, [s.area]) == before
    renamed = load(laoshan, HEADER + "370212002,370212,街道,沙子口街道办事处,Shazikou Office,80000,30000,,,\r\n")
    assert (renamed.added, renamed.changed) == (0, 1)
    assert areas(laoshan)["370212002"]["name_en"] == "Shazikou Office"


def test_every_wrong_row_is_named_and_nothing_is_written(laoshan):
    before = fingerprint(laoshan, [s.area])
    bad = HEADER + (
        "370212001,370212,街道,中韩街道,,120000,45000,,,\r\n"  # row 2: fine
        "370212009001,370212009,社区,无主社区,,1,1,,,\r\n"  # row 3: no such parent
        "370212001002,370212001,街道,错层社区,,1,1,,,\r\n"  # row 4: a street under a street
        "370211001001,370212001,社区,跨区社区,,1,1,,,\r\n"  # row 5: code not under its parent
        "370212001,370212,街道,中韩街道,,1,1,,,\r\n"  # row 6: twice
        "370212001003,370212001,楼栋,未知层级,,1,1,,,\r\n"  # row 7: no such level
        "370212001004,370212001,社区,负人口,,-5,1,200,,\r\n"  # row 8: negative, longitude off
    )
    outcome = load(laoshan, bad)
    assert not outcome.accepted and outcome.rows == 0
    found = sorted((err.row, err.code) for err in outcome.errors)
    assert found == [
        (3, "unknown_parent"), (4, "wrong_level"), (5, "code_not_under_parent"), (6, "duplicate_key"),
        (7, "bad_level"), (8, "negative"), (8, "out_of_range"),
    ]  # fmt: skip
    assert fingerprint(laoshan, [s.area]) == before
    assert audit.audit_events(action=audit.IMPORT, engine=laoshan)["outcome"].tolist() == ["refused"]


def test_a_cycle_and_a_move_are_refused(laoshan):
    load(laoshan, GOOD)
    cycle = HEADER + "370212003,370212003001,街道,甲,,1,1,,,\r\n370212003001,370212003,社区,乙,,1,1,,,\r\n"
    assert "cycle" in {err.code for err in load(laoshan, cycle).errors}
    moved = HEADER + "370212001001,370212002,社区,张村社区,,5200,1900,,,\r\n"
    assert [(err.row, err.code) for err in load(laoshan, moved).errors] == [(2, "code_not_under_parent"), (2, "parent_changed")]


def test_a_template_with_missing_columns_is_refused_whole(laoshan):
    area_file = read_area_file("short.csv", "区划代码,名称\r\n370212001,中韩街道\r\n".encode())
    assert isinstance(area_file, AreaFile) and [err.code for err in area_file.errors] == ["missing_column", "missing_column"]
    assert not import_areas(area_file, user="x", engine=laoshan).accepted
    with laoshan.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.area)).scalar_one() == 1


def test_an_admin_of_a_street_adds_areas_only_under_it(laoshan):
    load(laoshan, GOOD)
    outside = load(laoshan, HEADER + "370212002001,370212002,社区,南窑社区,,1,1,,,\r\n", within="370212001")
    assert [err.code for err in outside.errors] == ["outside_area"]
    inside = load(laoshan, HEADER + "370212001002,370212001,社区,石老人社区,,1,1,,,\r\n", within="370212001")
    assert inside.accepted and inside.added == 1


# ---------------------------------------------------------------- the public division-code lists, as published
def command(*args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_district_loads_its_streets_and_villages_from_the_public_lists(tmp_path):
    url = f"sqlite:///{tmp_path / 'laoshan.sqlite'}"
    created = command("data_access.setup", "--database-url", url, "new", "--code", "370212", "--name", "崂山区")
    assert created.returncode == 0, created.stderr
    streets, villages = REFERENCE / "laoshan_streets.csv", REFERENCE / "laoshan_villages.csv"

    early = command("data_access.master", "areas", str(villages), "--database-url", url, "--lang", "en")
    assert early.returncode == 1 and "No area has this parent code" in early.stderr  # streets first
    assert "row 2," in early.stderr  # rows named as they stand in the file
    done = command("data_access.master", "areas", str(streets), "--database-url", url)
    assert done.returncode == 0 and "5 new" in done.stdout, done.stderr
    done = command("data_access.master", "areas", str(villages), "--database-url", url)
    assert done.returncode == 0 and "167 new" in done.stdout, done.stderr
    again = command("data_access.master", "areas", str(villages), "--database-url", url)
    assert "0 new, 0 changed" in again.stdout

    done = command("data_access.master", "boundaries", str(REFERENCE / "laoshan_boundary.geojson"), "--database-url", url)
    assert done.returncode == 0 and "1 boundaries updated, 1 outside the root skipped" in done.stdout, done.stderr
    exported = tmp_path / "areas.csv"
    assert command("data_access.master", "export", "areas", "--out", str(exported), "--database-url", url).returncode == 0
    again = command("data_access.master", "areas", str(exported), "--database-url", url)
    assert "172 areas: 0 new, 0 changed" in again.stdout, again.stderr
    renamed = command(
        "data_access.master",
        "change",
        "rename",
        "370212002",
        "--name",
        "沙子口新街道",
        "--on",
        "2026-12-01",
        "--database-url",
        url,
    )
    assert renamed.returncode == 0, renamed.stderr
    wrong = command(
        "data_access.master",
        "change",
        "merge",
        "370212001",
        "--into",
        "370212001001",
        "--on",
        "2026-12-01",
        "--database-url",
        url,
    )
    assert wrong.returncode == 1 and "wrong_level" in wrong.stderr  # a street merged into a community

    engine = make_engine(url)
    stored = areas(engine)
    assert stored["370212002"]["name_zh"] == "沙子口新街道" and stored["370212"]["polygon"]
    assert {code[:6] for code in stored} == {"370212"}  # Licang's rows in the same files were left out
    assert [a["level"] for a in stored.values()].count("community") == 167
    assert (stored["370212001001"]["name_zh"], stored["370212001001"]["name_en"]) == ("中韩社区", "Zhonghan Community")
    assert all(a["parent_code"] in stored for a in stored.values() if a["parent_code"])
    engine.dispose()


def test_the_export_imports_again_without_a_change(laoshan):
    from data_access.master.areas import export_areas, template_csv

    load(laoshan, GOOD)
    before = fingerprint(laoshan, [s.area])
    exported = export_areas(engine=laoshan)
    again = import_areas(read_area_file("export.csv", exported), user="x", engine=laoshan)
    assert (again.accepted, again.rows, again.added, again.changed) == (True, 5, 0, 0), again.errors
    assert fingerprint(laoshan, [s.area]) == before
    assert export_areas(engine=laoshan, within="370212001").decode("utf-8-sig").count("\r\n") == 1 + 3  # header + its 3 areas
    template = read_area_file("template.csv", template_csv())
    assert template.ok and len(template.rows) == 2


def test_master_data_files_keep_the_intake_limits(laoshan, monkeypatch):
    from data_access.master.boundaries import import_boundaries
    from data_access.master.facilities import import_facilities
    from data_access.settings import intake_settings

    monkeypatch.setenv("INTAKE_MAX_ROWS", "3")
    monkeypatch.setenv("INTAKE_MAX_FILE_MB", "0.001")  # about a kilobyte
    intake_settings.cache_clear()
    try:
        big = (HEADER + "370212001,370212,街道,中韩街道,,1,1,,,\r\n" * 40).encode()
        assert [err.code for err in read_area_file("big.csv", big).errors] == ["file_too_large"]
        many = read_area_file("many.csv", GOOD.encode())  # 5 rows, small enough in bytes
        assert [err.code for err in many.errors] == ["too_many_rows"]
        assert [err.code for err in import_facilities("warehouses", ("big.csv", big), user="x", engine=laoshan).errors] == [
            "file_too_large"
        ]
        assert [
            err.code for err in import_boundaries("big.geojson", b"{" + b" " * 4000 + b"}", user="x", engine=laoshan).errors
        ] == ["file_too_large"]
    finally:
        intake_settings.cache_clear()
