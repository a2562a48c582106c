"""Area hierarchy, data date bounds, freshness and dataset facts (data_access.areas)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_access.areas import (
    area_children,
    area_info,
    area_path,
    areas_down_to,
    data_date_bounds,
    dataset_description,
    domain_freshness,
    ping,
    root_area,
    search_areas,
)
from data_access.engine import upgrade_schema
from data_access.scope import UnknownArea
from tests.fixtures_data import (
    CITY,
    COMMUNITY_A1A,
    COMMUNITY_A1B,
    COMMUNITY_A2A,
    COMPOUND_A1A1,
    COMPOUND_A1A2,
    D0,
    D3,
    DISTRICT_A,
    DISTRICT_B,
    G1,
    G2,
    G3,
    STREET_A1,
    STREET_A2,
    STREET_B1,
)
from tests.helpers import utc_naive

AREA_COLUMNS = ["code", "parent_code", "level", "name_zh", "name_en", "residents", "households"]


def codes(frame: pd.DataFrame) -> list[str]:
    return frame["code"].tolist()


def test_root_area_is_the_city(engine):
    root = root_area(engine)
    assert (root["code"], root["level"], root["name_en"], root["residents"]) == (CITY, "city", "Test City (test)", 720)
    assert root["parent_code"] is None


def test_area_info(engine):
    info = area_info(DISTRICT_B, engine)
    assert set(info) == set(AREA_COLUMNS)
    assert (info["parent_code"], info["level"], info["name_zh"], info["name_en"], info["residents"], info["households"]) == (
        CITY,
        "district",
        "乙县",
        "O'Brien County",
        120,
        0,
    )
    assert area_info(STREET_B1, engine)["name_zh"] == "北 镇"  # a space inside a Chinese name survives


@pytest.mark.parametrize("code", ["999999", "", "990101 ", "x' OR '1'='1"])
def test_area_info_unknown_code(engine, code):
    with pytest.raises(UnknownArea):
        area_info(code, engine)


def test_area_children(engine):
    assert codes(area_children(CITY, engine)) == [DISTRICT_A, DISTRICT_B]
    children = area_children(DISTRICT_A, engine)
    assert list(children.columns) == AREA_COLUMNS
    assert codes(children) == [STREET_A1, STREET_A2]
    assert codes(area_children(COMPOUND_A1A1, engine)) == [G1, G2]
    leaf = area_children(G1, engine)
    assert leaf.empty and list(leaf.columns) == AREA_COLUMNS
    assert area_children("x' OR '1'='1", engine).empty


def test_area_path_top_first(engine):
    assert codes(area_path(G2, engine)) == [CITY, DISTRICT_A, STREET_A1, COMMUNITY_A1A, COMPOUND_A1A1, G2]
    assert area_path(STREET_A2, engine)["name_en"].tolist() == ["Test City (test)", "Jia District", "Xi'an Road Subdistrict"]
    assert codes(area_path(CITY, engine)) == [CITY]
    with pytest.raises(UnknownArea):
        area_path("990103", engine)


def test_search_by_name_with_an_apostrophe(engine):
    assert codes(search_areas("Xi'an", engine=engine)) == [STREET_A2]
    assert codes(search_areas("o'brien", engine=engine)) == [DISTRICT_B]  # case-insensitive English
    assert codes(search_areas("社区", engine=engine)) == [COMMUNITY_A1A, COMMUNITY_A1B, COMMUNITY_A2A]
    assert codes(search_areas("北 镇", engine=engine)) == [STREET_B1]


def test_search_by_code_prefix_shortest_first(engine):
    # Down to communities by default: streets (9 digits) before communities (12).
    assert codes(search_areas("9901010", engine=engine)) == [STREET_A1, STREET_A2, COMMUNITY_A1A, COMMUNITY_A1B, COMMUNITY_A2A]
    assert codes(search_areas("9901010", limit=2, engine=engine)) == [STREET_A1, STREET_A2]
    assert codes(search_areas("990101001001", max_level="grid", engine=engine)) == [
        COMMUNITY_A1A,
        COMPOUND_A1A1,
        COMPOUND_A1A2,
        G1,
        G2,
        G3,
    ]
    assert codes(search_areas("99", max_level="district", engine=engine)) == [CITY, DISTRICT_A, DISTRICT_B]


@pytest.mark.parametrize("text", ["", "   ", "no such place", "x' OR '1'='1", "'; DROP TABLE area; --"])
def test_search_without_a_match_is_empty(engine, text):
    result = search_areas(text, engine=engine)
    assert result.empty and list(result.columns) == AREA_COLUMNS
    assert len(areas_down_to("grid", engine)) == 21  # nothing was dropped


def test_areas_down_to(engine):
    assert codes(areas_down_to("city", engine)) == [CITY]
    assert codes(areas_down_to("street", engine)) == [CITY, DISTRICT_A, STREET_A1, STREET_A2, DISTRICT_B, STREET_B1]
    assert len(areas_down_to("grid", engine)) == 21  # 1 + 2 + 3 + 4 + 5 + 6


def test_data_date_bounds_span_every_domain(engine):
    # The earliest data are D0's vaccination doses; the latest day is D3.
    assert data_date_bounds(engine) == (D0, D3)


def test_domain_freshness(engine):
    result = domain_freshness(engine)
    assert list(result.columns) == ["domain", "last_day", "last_reported_at"]
    got = {row.domain: (row.last_day, utc_naive(row.last_reported_at)) for row in result.itertuples()}
    assert got == {
        # checkpoints: the later of the two D3 submissions (20:00 and 21:30 UTC)
        "checkpoints": (D3, dt.datetime(2022, 4, 3, 21, 30)),
        "testing": (D3, dt.datetime(2022, 4, 3, 22, 15)),
        # supplies' last submission was for D2, though the ledger has D3 rows
        "supplies": (D3, dt.datetime(2022, 4, 2, 23, 0)),
        "vaccination": (D3, None),  # never submitted through intake
        "grid": (D3, dt.datetime(2022, 4, 3, 18, 45)),
        # isolation: people and sites reported; the later is Xi'an Road's late people report
        "isolation": (D3, dt.datetime(2022, 4, 4, 3, 0)),
        # inspections: IT_A1 and IT_B1 reported the 3rd, IT_B1 the later (IT_A2 did not)
        "inspections": (D3, dt.datetime(2022, 4, 3, 16, 0)),
    }


def test_dataset_description(engine):
    assert dataset_description(engine) == {"kind": "test", "city_code": CITY, "note": "hand-built, it's tiny"}


def test_ping(engine):
    assert ping(engine) is True


def test_an_empty_database(empty_engine):
    upgrade_schema(empty_engine)
    assert data_date_bounds(empty_engine) is None
    assert dataset_description(empty_engine) == {}
    with pytest.raises(UnknownArea):
        root_area(empty_engine)
    freshness = domain_freshness(empty_engine)
    domains = ["checkpoints", "testing", "supplies", "vaccination", "grid", "isolation", "inspections"]
    assert freshness["domain"].tolist() == domains
    assert freshness["last_day"].isna().all()
