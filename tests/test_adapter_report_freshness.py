"""Report freshness 上报时效 on every engine: each reporting unit's state for a day (on time,
late, missing, missing for 2+ days), where it is and who answers for it, against the
hand-built city with submissions added below and worked out by hand; and the states
agree with reporting completeness (reported = on time + late, missing = missing +
missing 2+ days), here and on the generated sample city.

Local time is Asia/Shanghai (UTC+8): the deadline for the 3rd is 4 Apr 10:00 local,
02:00 UTC; for the 2nd, 3 Apr 02:00 UTC.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import insert, update

from data_access import schema as s
from data_access.report_freshness import FRESHNESS_COLUMNS, STATES, freshness_states, report_deadline, report_freshness
from data_access.reporting import SUBMISSION_TYPES, reporting_completeness
from data_access.scope import Scope
from tests.fixtures_data import (
    CITY,
    COMMUNITY_A1A,
    COMMUNITY_A1B,
    COMMUNITY_A2A,
    COMMUNITY_B1A,
    CP_A1,
    CP_A2,
    CP_B1,
    D1,
    D2,
    D3,
    DISTRICT_A,
    ENGINE_KINDS,
    SS1,
    SS2,
    SS3,
    SS4,
    STREET_A1,
    STREET_B1,
    VS_AF1,
    VS_AM1,
    VS_BF1,
    VS_BV1,
    WH_A,
    WH_B,
    WH_CITY,
)
from tests.fixtures_isolation import IS_A1, IT_A1, IT_A2
from tests.helpers import scope, utc_naive
from tests.intake_support import make_city

SHANGHAI = ZoneInfo("Asia/Shanghai")
D4 = D3 + dt.timedelta(days=1)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


# Added to the test city's own (tests/fixtures_data.py SUBMISSIONS: CP_A1, CP_B1, SS1 and
# the Garden community on the 3rd, the Jia depot on the 2nd, all before their deadlines).
MORE_SUBMISSIONS = [
    ("checkpoint", CP_A2, D2, utc(2022, 4, 3, 2, 30)),  # 10:30 local: late for the 2nd
    ("testing", SS2, D3, utc(2022, 4, 4, 2, 0, 0)),  # 10:00:00 local, the deadline itself: on time
    ("testing", SS3, D3, utc(2022, 4, 4, 2, 0, 1)),  # a second after: late
    ("testing", SS4, D1, utc(2022, 4, 1, 12, 0)),  # last report the 1st
    ("supplies", WH_B, D3, utc(2022, 4, 5, 1, 0)),  # a day after the deadline: late
    ("vaccination", VS_AF1, D3, utc(2022, 4, 3, 12, 0)),
    ("vaccination", VS_AM1, D2, utc(2022, 4, 2, 12, 0)),
    ("vaccination", VS_BF1, D4, utc(2022, 4, 4, 12, 0)),  # after the day shown: not its last report then
    ("grid", COMMUNITY_A1B, D3, utc(2022, 4, 4, 3, 0)),  # 11:00 local: late
    ("grid", COMMUNITY_A2A, D2, utc(2022, 4, 2, 14, 0)),
]
# Checkpoint B1 has coordinates of its own; the other sites are placed at their area's
# centre (fixtures: area i at 114.0 + i × 0.01, 33.0). Vaccination vehicle 1 is retired
# from the 3rd: expected on the 2nd, not on the 3rd.
CP_B1_PLACE = (114.5, 33.5)


@pytest.fixture(scope="module", params=ENGINE_KINDS)
def city(request, new_database):
    engine = make_city(new_database, request.param)
    with engine.begin() as conn:
        conn.execute(
            insert(s.report_submission),
            [dict(zip(["report_type", "unit_code", "day", "reported_at"], row, strict=True)) for row in MORE_SUBMISSIONS],
        )
        conn.execute(update(s.checkpoint).where(s.checkpoint.c.code == CP_B1).values(lon=CP_B1_PLACE[0], lat=CP_B1_PLACE[1]))
        conn.execute(update(s.vaccination_site).where(s.vaccination_site.c.code == VS_BV1).values(retired_on=D3))
    return engine


def states(frame: pd.DataFrame, report_type: str) -> dict[str, str]:
    rows = frame[frame["report_type"] == report_type]
    return dict(zip(rows["unit_code"], rows["state"], strict=True))


def test_each_unit_s_state_for_the_3rd(city):
    result = report_freshness(scope(CITY, D3, D3), engine=city)
    assert list(result.columns) == FRESHNESS_COLUMNS
    assert result["report_type"].drop_duplicates().tolist() == list(SUBMISSION_TYPES)
    assert states(result, "checkpoint") == {CP_A1: "on_time", CP_A2: "missing", CP_B1: "on_time"}
    assert states(result, "testing") == {SS1: "on_time", SS2: "on_time", SS3: "late", SS4: "missing_2plus"}
    assert states(result, "supplies") == {WH_A: "missing", WH_B: "late", WH_CITY: "missing_2plus"}
    # VS_BF1 reported only for the 4th; VS_BV1 is retired from the 3rd.
    assert states(result, "vaccination") == {VS_AF1: "on_time", VS_AM1: "missing", VS_BF1: "missing_2plus"}
    assert states(result, "grid") == {
        COMMUNITY_A1A: "on_time",
        COMMUNITY_A1B: "late",
        COMMUNITY_A2A: "missing",
        COMMUNITY_B1A: "missing_2plus",
    }


def test_last_report_is_the_latest_up_to_the_day(city):
    result = report_freshness(scope(CITY, D3, D3), engine=city).set_index("unit_code")
    assert result.at[CP_A2, "last_day"] == D2
    assert utc_naive(result.at[CP_A2, "last_reported_at"]) == dt.datetime(2022, 4, 3, 2, 30)
    assert result.at[SS4, "last_day"] == D1
    assert utc_naive(result.at[SS3, "last_reported_at"]) == dt.datetime(2022, 4, 4, 2, 0, 1)
    for never in (WH_CITY, VS_BF1, COMMUNITY_B1A):  # VS_BF1's report for the 4th is after the day shown
        assert result.at[never, "last_day"] is None and pd.isna(result.at[never, "last_reported_at"])
    # The 4th shown: VS_BF1 on time, the rest one day further behind.
    fourth = report_freshness(scope(CITY, D4, D4), engine=city)
    assert states(fourth, "vaccination") == {VS_AF1: "missing", VS_AM1: "missing_2plus", VS_BF1: "on_time"}


def test_the_2nd_is_judged_by_its_own_deadline(city):
    result = report_freshness(scope(CITY, D2, D2), engine=city)
    assert states(result, "checkpoint") == {CP_A1: "missing_2plus", CP_A2: "late", CP_B1: "missing_2plus"}
    assert states(result, "testing") == {SS1: "missing_2plus", SS2: "missing_2plus", SS3: "missing_2plus", SS4: "missing"}
    assert states(result, "supplies")[WH_A] == "on_time"  # 3 Apr 07:00 local
    assert VS_BV1 in states(result, "vaccination")  # not retired yet
    assert states(result, "grid")[COMMUNITY_A2A] == "on_time"


def test_places_and_responsible_areas(city):
    result = report_freshness(scope(CITY, D3, D3), engine=city).set_index("unit_code")
    # Own coordinates, or the area's centre (Dongfeng street is area 3: 114.03, 33.0).
    assert (result.at[CP_B1, "lon"], result.at[CP_B1, "lat"], result.at[CP_B1, "at_area_centre"]) == (114.5, 33.5, False)
    assert (result.at[CP_A1, "lon"], result.at[CP_A1, "lat"]) == pytest.approx((114.03, 33.0))
    assert result.at[CP_A1, "at_area_centre"]
    assert pd.isna(result.at[CP_A1, "polygon"])
    # A community is drawn by its own boundary and answers to its street.
    assert result.at[COMMUNITY_A1A, "polygon"].startswith('{"type": "Polygon"')
    assert not result.at[COMMUNITY_A1A, "at_area_centre"]
    responsible = result[["responsible_code", "responsible_zh", "responsible_en"]]
    assert tuple(responsible.loc[COMMUNITY_A1A]) == (STREET_A1, "东风街道", "Dongfeng Subdistrict")
    assert tuple(responsible.loc[CP_B1]) == (STREET_B1, "北 镇", "North Harbour Town")
    assert tuple(responsible.loc[SS1]) == (COMMUNITY_A1A, "花园社区", "Garden Community")
    assert tuple(responsible.loc[WH_CITY]) == (CITY, "测试市", "Test City (test)")


def test_one_type_and_a_narrower_scope(city):
    only = report_freshness(scope(DISTRICT_A, D3, D3), "supplies", engine=city)
    assert only["unit_code"].tolist() == [WH_A]  # the district's own depot
    # A community sees its street's checkpoints and its district's depot, as completeness does.
    garden = report_freshness(scope(COMMUNITY_A1A, D3, D3), engine=city)
    assert garden[["report_type", "unit_code"]].values.tolist() == [
        ["checkpoint", CP_A1],
        ["testing", SS1],
        ["supplies", WH_A],
        ["vaccination", VS_AF1],
        ["grid", COMMUNITY_A1A],
        ["isolation_people", STREET_A1],
        ["isolation_site", IS_A1],
        ["inspection", IT_A1],
        ["inspection", IT_A2],
    ]


def state_counts(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    return {
        t: frame[frame["report_type"] == t]["state"].value_counts().reindex(list(STATES), fill_value=0).to_dict()
        for t in SUBMISSION_TYPES
    }


def assert_agrees_with_completeness(engine, area: str, day: dt.date) -> None:
    counts = state_counts(report_freshness(Scope(area, day, day), engine=engine))
    for row in reporting_completeness(Scope(area, day, day), engine=engine).itertuples():
        shown = counts[row.report_type]
        assert (shown["on_time"] + shown["late"], shown["missing"] + shown["missing_2plus"]) == (row.reported, row.missing), (
            area,
            day,
            row.report_type,
        )


def test_counts_for_the_whole_city(city):
    # By hand from the states above: (on time, late, missing, missing 2+ days).
    assert {t: tuple(c.values()) for t, c in state_counts(report_freshness(scope(CITY, D3, D3), engine=city)).items()} == {
        "checkpoint": (2, 0, 1, 0),
        "testing": (2, 1, 0, 1),
        "supplies": (0, 1, 1, 1),
        "vaccination": (1, 0, 1, 1),
        "grid": (1, 1, 1, 1),
        # tests/fixtures_isolation.py: Dongfeng on time, Xi'an Road late, North Harbour never;
        # site IS_A1 on time, IS_A2 never (IS_B1 retired); teams A1 and B1 on time, A2 never.
        "isolation_people": (1, 1, 0, 1),
        "isolation_site": (1, 0, 0, 1),
        "inspection": (2, 0, 0, 1),
    }


@pytest.mark.parametrize("area", [CITY, DISTRICT_A, STREET_A1, COMMUNITY_A1A, STREET_B1])
@pytest.mark.parametrize("day", [D1, D2, D3, D4])
def test_states_agree_with_reporting_completeness(city, area, day):
    assert_agrees_with_completeness(city, area, day)


# ------------------------------------------------------------------ the pure classification
def test_the_deadline_is_ten_the_next_morning_local_time():
    assert report_deadline(D3, SHANGHAI) == dt.datetime(2022, 4, 4, 10, 0, tzinfo=SHANGHAI)
    assert report_deadline(D3, SHANGHAI).astimezone(dt.UTC) == utc(2022, 4, 4, 2, 0)
    assert report_deadline(D3, ZoneInfo("UTC")) == utc(2022, 4, 4, 10, 0)


def test_freshness_states_by_hand():
    last_day = pd.Series([D3, D3, D3, D3, D2, D1, None, D4])
    arrived = pd.Series(
        [
            utc(2022, 4, 3, 9, 0),  # during the day itself
            utc(2022, 4, 4, 2, 0),  # the deadline to the second
            utc(2022, 4, 4, 2, 0, 1),  # a second late
            utc(2022, 4, 9, 0, 0),  # days late
            utc(2022, 4, 2, 12, 0),
            utc(2022, 4, 1, 12, 0),
            None,
            utc(2022, 4, 4, 12, 0),  # a later day than the one judged: nothing for the 3rd
        ]
    )
    assert freshness_states(last_day, arrived, D3, SHANGHAI).tolist() == [
        "on_time",
        "on_time",
        "late",
        "late",
        "missing",
        "missing_2plus",
        "missing_2plus",
        "missing_2plus",
    ]
    # The same instant judged in another time zone: 02:00:01 UTC is before 10:00 UTC.
    assert freshness_states(last_day[2:3], arrived[2:3], D3, ZoneInfo("UTC")).tolist() == ["on_time"]
    assert freshness_states(pd.Series([], dtype=object), pd.Series([], dtype=object), D3, SHANGHAI).tolist() == []


# ------------------------------------------------------------------ the sample city
SAMPLE_CITY, SAMPLE_DISTRICT, SAMPLE_STREET, SAMPLE_COMMUNITY = "418800", "418801", "418801001", "418801001001"
SAMPLE_LAST_DAY = dt.date(2022, 4, 30)


@pytest.mark.parametrize("area", [SAMPLE_CITY, SAMPLE_DISTRICT, SAMPLE_STREET, SAMPLE_COMMUNITY])
@pytest.mark.parametrize("days_back", [0, 1, 20])
def test_states_agree_with_completeness_on_the_sample_city(sample_database, area, days_back):
    _, engine = sample_database
    assert_agrees_with_completeness(engine, area, SAMPLE_LAST_DAY - dt.timedelta(days=days_back))


def test_the_sample_city_has_units_in_more_than_one_state(sample_database):
    """Otherwise the agreement above would prove little."""
    _, engine = sample_database
    result = report_freshness(Scope(SAMPLE_CITY, SAMPLE_LAST_DAY, SAMPLE_LAST_DAY), engine=engine)
    assert {"on_time", "missing"} <= set(result["state"])
    assert (
        len(result)
        == reporting_completeness(Scope(SAMPLE_CITY, SAMPLE_LAST_DAY, SAMPLE_LAST_DAY), engine=engine)["expected"].sum()
    )
