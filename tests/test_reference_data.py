"""Reading public division-code lists and boundaries (data_access.master.reference): hand-written
cases and the real Laoshan (崂山区, 370212) extracts in tests/reference_data/ (see its README)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from data_access.master.reference import (
    UnrecognisedFile,
    english_name,
    level_of_code,
    parent_of_code,
    read_boundaries,
    read_division_codes,
    within_root,
)

REFERENCE = Path(__file__).parent / "reference_data"
LAOSHAN = "370212"


def _read(file_name: str) -> list[dict]:
    return read_division_codes((REFERENCE / file_name).read_bytes(), file_name)


@pytest.fixture(scope="module")
def streets() -> list[dict]:
    return _read("laoshan_streets.csv")


@pytest.fixture(scope="module")
def villages() -> list[dict]:
    return _read("laoshan_villages.csv")


# ---------------------------------------------------------------- codes
@pytest.mark.parametrize(
    "code, level",
    [
        ("370212", "district"),
        ("370200", "city"),
        ("441900", "city"),  # 东莞市: a city without districts, its streets directly below it
        ("370000", None),  # a province
        ("370212001", "street"),
        ("370212001001", "community"),
        ("370212001001001", "compound"),
        ("370212001001001001", "grid"),
        ("37021", None),
        ("3702120010", None),
        ("", None),
        ("37021a", None),
        ("３７０２１２", None),  # full-width digits are no code
    ],
)
def test_level_of_code(code, level):
    assert level_of_code(code) == level


@pytest.mark.parametrize(
    "code, parent",
    [
        ("370212001001", "370212001"),
        ("370212001", "370212"),
        ("370212", "370200"),
        ("370200", None),
        ("370000", None),
        ("370212001001001", "370212001001"),
        ("370212001001001001", "370212001001001"),
        ("nonsense", None),
    ],
)
def test_parent_of_code(code, parent):
    assert parent_of_code(code) == parent


# ---------------------------------------------------------------- English names
@pytest.mark.parametrize(
    "name_zh, level, name_en",
    [
        ("中韩街道", "street", "Zhonghan Subdistrict"),
        ("王哥庄街道", "street", "Wanggezhuang Subdistrict"),
        ("沙子口街道", "street", "Shazikou Subdistrict"),
        ("北宅街道", "street", "Beizhai Subdistrict"),
        ("金家岭街道", "street", "Jinjialing Subdistrict"),
        ("漓东街道办事处", "street", "Lidong Subdistrict"),
        ("南高乡", "street", "Nangao Township"),
        ("东于镇", "street", "Dongyu Town"),
        ("崂山区", "district", "Laoshan District"),
        ("胶州市", "district", "Jiaozhou City"),
        ("天峨县", "district", "Tian'e County"),  # the apostrophe parts syllables as in Xi'an
        ("沙县", "district", "Shaxian County"),  # a one-character name keeps its generic word
        ("青岛市", "city", "Qingdao City"),
        # Committee titles as the national lists write them are dropped.
        ("中韩社区居民委员会", "community", "Zhonghan Community"),
        ("张村河南社区居民委员会", "community", "Zhangcunhenan Community"),
        ("东于社区居委会", "community", "Dongyu Community"),
        ("振华路居委会", "community", "Zhenhualu Community"),
        ("流清河村村民委员会", "community", "Liuqinghe Village"),
        ("南高村委会", "community", "Nangao Village"),
        ("王家村社区居民委员会", "community", "Wangjiacun Community"),  # 村 belongs to this community's name
        ("李村村民委员会", "community", "Licun Village"),
        ("横塘社区", "community", "Hengtang Community"),
        # Only the level's own words are translated.
        ("金家岭小区", "compound", "Jinjialingxiaoqu"),
        ("崂山区", "street", "Laoshanqu"),
        ("", "street", ""),
    ],
)
def test_english_name(name_zh, level, name_en):
    assert english_name(name_zh, level) == name_en


# ---------------------------------------------------------------- the Laoshan extracts
def test_laoshan_streets_read_as_is(streets):
    header = (REFERENCE / "laoshan_streets.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "code,name,areaCode,provinceCode,cityCode"  # modood's own header, unedited
    assert streets[0] == {"code": "370212001", "name_zh": "中韩街道", "parent_code": "370212", "level": "street"}
    assert {row["level"] for row in streets} == {"street"}
    assert all(row["parent_code"] == row["code"][:6] for row in streets)


def test_laoshan_villages_read_as_is(villages, streets):
    header = (REFERENCE / "laoshan_villages.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "code,name,streetCode,provinceCode,cityCode,areaCode"
    assert villages[0] == {
        "code": "370212001001",
        "name_zh": "中韩社区居民委员会",
        "parent_code": "370212001",
        "level": "community",
    }
    assert {row["level"] for row in villages} == {"community"}
    street_codes = {row["code"] for row in streets}
    for row in villages:
        assert len(row["code"]) == 12
        assert row["parent_code"] in street_codes  # from the file's streetCode column
        assert row["parent_code"] == parent_of_code(row["code"])  # and the codes nest


def test_within_root_keeps_all_and_only_laoshan(streets, villages):
    laoshan_streets = within_root(streets, LAOSHAN)
    laoshan_villages = within_root(villages, LAOSHAN)
    assert [row["name_zh"] for row in laoshan_streets] == ["中韩街道", "沙子口街道", "王哥庄街道", "北宅街道", "金家岭街道"]
    assert len(laoshan_villages) == 167
    assert all(row["code"].startswith(LAOSHAN) for row in laoshan_streets + laoshan_villages)
    # The rows of the other district (370213 李沧区) at the end of each file are dropped.
    dropped = [row for row in streets + villages if not row["code"].startswith(LAOSHAN)]
    assert dropped and {row["code"][:6] for row in dropped} == {"370213"}
    assert len(laoshan_streets) + len(laoshan_villages) + len(dropped) == len(streets) + len(villages)


def test_within_root_a_street_a_city_and_the_root_itself(streets, villages):
    assert len(within_root(villages, "370212001")) == 22  # 中韩街道's communities
    # A city's code is padded with zeros: 370200 holds every district of Qingdao.
    assert within_root(streets + villages, "370200") == streets + villages
    assert within_root(streets + villages, "370212000000") == within_root(streets + villages, LAOSHAN)
    root = {"code": LAOSHAN, "name_zh": "崂山区", "parent_code": "370200", "level": "district"}
    assert root not in within_root([root, *streets], LAOSHAN)
    with pytest.raises(ValueError):
        within_root(streets, "")


def test_laoshan_street_names_in_english(streets):
    names = [english_name(row["name_zh"], row["level"]) for row in within_root(streets, LAOSHAN)]
    assert names == [
        "Zhonghan Subdistrict",
        "Shazikou Subdistrict",
        "Wanggezhuang Subdistrict",
        "Beizhai Subdistrict",
        "Jinjialing Subdistrict",
    ]
    assert all(name.endswith((" Subdistrict", " Town")) for name in names)


def test_laoshan_community_names_in_english(villages):
    names = {row["name_zh"]: english_name(row["name_zh"], row["level"]) for row in villages}
    assert names["西韩社区居民委员会"] == "Xihan Community"
    assert names["流清河村村民委员会"] == "Liuqinghe Village"
    assert names["王哥庄村村民委员会"] == "Wanggezhuang Village"
    assert all(name.endswith((" Community", " Village")) for name in names.values())
    assert not any("weiyuanhui" in name.lower() for name in names.values())


@pytest.mark.parametrize("file_name", ["laoshan_streets.csv", "laoshan_villages.csv"])
def test_gbk_and_bom_copies_read_the_same(file_name):
    text = (REFERENCE / file_name).read_text(encoding="utf-8")
    expected = _read(file_name)
    assert read_division_codes(text.encode("gbk"), file_name) == expected
    assert read_division_codes(text.encode("utf-8-sig"), file_name) == expected
    assert read_division_codes(text.replace("\n", "\r\n").encode("utf-8"), file_name) == expected


# ---------------------------------------------------------------- other formats
def test_plain_code_name_file():
    data = "code,name\n370212,崂山区\n370212001,中韩街道\n370212001001,中韩社区居民委员会\n".encode()
    assert read_division_codes(data, "codes.csv") == [
        {"code": "370212", "name_zh": "崂山区", "parent_code": "370200", "level": "district"},
        {"code": "370212001", "name_zh": "中韩街道", "parent_code": "370212", "level": "street"},
        {"code": "370212001001", "name_zh": "中韩社区居民委员会", "parent_code": "370212001", "level": "community"},
    ]


def test_statistical_table_with_chinese_headers_and_12_digit_codes():
    # As the statistical tables print it: every level padded to 12 digits, 城乡分类代码 beside.
    data = "统计用区划代码,城乡分类代码,名称\n370212000000,,崂山区\n370212001000,,中韩街道\n370212001001,111,中韩社区居民委员会\n"
    rows = read_division_codes(data.encode("gbk"), "统计用区划代码.csv")
    assert [(row["code"], row["parent_code"], row["level"]) for row in rows] == [
        ("370212", "370200", "district"),
        ("370212001", "370212", "street"),
        ("370212001001", "370212001", "community"),
    ]
    assert [row["name_zh"] for row in rows] == ["崂山区", "中韩街道", "中韩社区居民委员会"]


def test_short_header_tab_separated_and_extra_columns():
    data = "代码\t名称\t备注\n370212001\t中韩街道\t办事处在同安路\n\n".encode()
    assert read_division_codes(data, "streets.tsv") == [
        {"code": "370212001", "name_zh": "中韩街道", "parent_code": "370212", "level": "street"},
    ]


def test_modood_cities_and_areas_files_short_codes_are_padded():
    cities = read_division_codes(b"code,name,provinceCode\n3702,\xe9\x9d\x92\xe5\xb2\x9b\xe5\xb8\x82,37\n", "cities.csv")
    assert cities == [{"code": "370200", "name_zh": "青岛市", "parent_code": "370000", "level": "city"}]
    areas = read_division_codes("code,name,cityCode,provinceCode\n370212,崂山区,3702,37\n".encode(), "areas.csv")
    assert areas == [{"code": "370212", "name_zh": "崂山区", "parent_code": "370200", "level": "district"}]


def test_unrelated_headers_are_named_in_the_error():
    with pytest.raises(UnrecognisedFile) as raised:
        read_division_codes(b"date,checkpoint,vehicles\n2024-05-01,K1,12\n", "checkpoints.csv")
    assert isinstance(raised.value, ValueError)
    for word in ("checkpoints.csv", "date", "checkpoint", "vehicles"):
        assert word in str(raised.value)


def test_empty_and_binary_files_are_unrecognised():
    with pytest.raises(UnrecognisedFile):
        read_division_codes(b"", "empty.csv")
    with pytest.raises(UnrecognisedFile):
        read_division_codes(b"code,name\n" + bytes([0x81, 0x30, 0xFF]), "broken.csv")


# ---------------------------------------------------------------- boundaries
def test_laoshan_boundary_extract():
    boundaries = read_boundaries((REFERENCE / "laoshan_boundary.geojson").read_bytes())
    assert [(b["code"], b["name"]) for b in boundaries] == [("370212", "崂山区"), ("370213", "李沧区")]
    laoshan = boundaries[0]["geometry"]
    assert laoshan["type"] in ("Polygon", "MultiPolygon")
    polygons = laoshan["coordinates"] if laoshan["type"] == "MultiPolygon" else [laoshan["coordinates"]]
    points = [point for polygon in polygons for ring in polygon for point in ring]
    # Longitude first, on Qingdao's east coast and its islands out to sea.
    assert all(120.3 < lon < 121.0 and 35.8 < lat < 36.4 for lon, lat in points)


def _collection(*properties, geometry=None) -> bytes:
    geometry = geometry or {"type": "Polygon", "coordinates": [[[120.4, 36.1], [120.5, 36.1], [120.5, 36.2], [120.4, 36.1]]]}
    features = [{"type": "Feature", "properties": p, "geometry": geometry} for p in properties]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def test_boundary_code_properties():
    data = _collection(
        {"code": "370212"},
        {"adcode": 370213, "name": "李沧区"},
        {"area_code": 370212001001.0},
        {"区划代码": "370212001000", "名称": "中韩街道"},
    )
    boundaries = read_boundaries(data)
    assert [(b["code"], b["name"]) for b in boundaries] == [
        ("370212", None),
        ("370213", "李沧区"),
        ("370212001001", None),
        ("370212001", "中韩街道"),
    ]
    assert boundaries[0]["geometry"]["type"] == "Polygon"
    assert read_boundaries(b"\xef\xbb\xbf" + data) == boundaries  # a UTF-8 BOM is fine


def test_boundary_without_code_or_not_geojson():
    with pytest.raises(UnrecognisedFile) as raised:
        read_boundaries(_collection({"adcode": 370212}, {"name": "崂山区", "level": "district"}))
    assert "feature 2" in str(raised.value) and "level" in str(raised.value)
    for data in (b"not json", b'{"type": "Feature", "properties": {}}', b"[]"):
        with pytest.raises(UnrecognisedFile):
            read_boundaries(data)


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("中韩社区居民委员会", "中韩社区"),
        ("流清河村村民委员会", "流清河村"),
        ("某社区居委会", "某社区"),
        ("东村委会", "东村"),
        ("中韩街道", "中韩街道"),
        ("居委会", "居委会"),
    ],
)
def test_common_names_drop_the_committee_title(title, name):
    from data_access.master.reference import common_name

    assert common_name(title) == name
