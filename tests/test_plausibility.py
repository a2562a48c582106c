"""Plausibility rules (issue 9): each at its limit and one over it — a report just at the
limit is accepted, one just over is refused with its row and reason; the same figures
already stored are flagged by the data checks, on every day of the range. Limits come
from ``[intake]`` in dashboard.toml, each overridden by its environment variable. On
SQLite and PostgreSQL; every figure worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from sqlalchemy import insert, update

from data_access import rollups
from data_access import schema as s
from data_access import settings as intake_settings_module
from data_access.data_checks import DataCheck, data_checks
from data_access.ingest import IntakeError
from data_access.rollups import refresh_checkpoint_daily
from data_access.scope import Scope
from data_access.settings import IntakeSettings
from tests.fixtures_data import (
    CITY,
    CP_A1,
    CP_A2,
    CP_B1,
    D1,
    D2,
    D3,
    DISTRICT_B,
    ENGINE_KINDS,
    LAB_A,
    SS1,
    SS2,
    SS3,
    SS4,
    VS_AF1,
    VS_AM1,
    VS_BF1,
    VS_BV1,
)
from tests.intake_support import import_one, make_city, report_csv

D4, D5, D6, D7, D8 = (D3 + dt.timedelta(days=i) for i in range(1, 6))
NOW = dt.datetime(2022, 7, 1, 4, 0, tzinfo=dt.UTC)  # long after every day used here


def errors(outcome) -> list[dict]:
    return [{k: v for k, v in e.to_json().items() if k != "file"} for e in outcome.errors]


def error(code, row, column, value, **fields) -> dict:
    found = {"code": code, "row": row, "column": column, "value": value}
    return found | {"fields": fields} if fields else found


def doses(*rows: tuple) -> bytes:
    """A vaccination report: (day, site, age group, dose number, doses) per row."""
    return report_csv(
        "vaccination",
        [
            {"day": d.isoformat(), "site_code": site, "age_group": age, "dose_number": n, "doses": k}
            for d, site, age, n, k in rows
        ],
    )


def tests_report(*rows: dict) -> bytes:
    return report_csv("testing", [{"day": D3.isoformat(), "lab_code": LAB_A, "pending": 0, **row} for row in rows])


def hour_row(people: int, vehicles: int) -> dict:
    return {
        "day": D3.isoformat(),
        "hour": 10,
        "checkpoint_code": CP_A1,
        "vehicles": vehicles,
        "people": people,
        "temperature_checks": 7200,
        "fever": 0,
    }


def day_row(people: int, vehicles: int) -> dict:
    return {
        "day": D3.isoformat(),
        "checkpoint_code": CP_A2,
        "vehicles": vehicles,
        "people": people,
        "temperature_checks": 0,
        "fever": 0,
        "staffed_hours": 10,
    }


# ================================================================== at intake
def test_doses_per_site_day_up_to_capacity_times_the_factor(city):
    # VS_AF1 declares 100 doses a day: at most 100 × 3 = 300 on a day, all age groups and
    # doses together. On 3 Apr: 200 boosters + 50 1st + 50 2nd doses = 300, the limit.
    # (Nothing else breaks: Jia District's 18-59s are 300 + 100 = 400 people; boosters
    # 100 + 30 baseline + 60 stored − 10 replaced + 200 = 380, 1st doses 330 + 9 + 50 = 389,
    # 2nd 270 + 4 + 51 = 325; Dongfeng's 2nd doses 200 + 51 stay below its 1st 250 + 7 + 50.)
    at_limit = doses((D3, VS_AF1, "18-59", 3, 200), (D3, VS_AF1, "18-59", 1, 50), (D3, VS_AF1, "18-59", 2, 50))
    assert import_one(city, "at_limit.csv", at_limit, dry_run=True).accepted

    # One more 2nd dose: 301. The running total passes 300 on the third data row (row 4).
    over = doses((D3, VS_AF1, "18-59", 3, 200), (D3, VS_AF1, "18-59", 1, 50), (D3, VS_AF1, "18-59", 2, 51))
    outcome = import_one(city, "over.csv", over)
    assert not outcome.accepted
    assert errors(outcome) == [
        error(
            "doses_above_capacity", 4, "doses", "51", site=VS_AF1, day="2022-04-03", doses=301, capacity=100, factor=3, limit=300
        )
    ]


def test_the_capacity_factor_is_a_setting(city):
    # With a factor of 2.5, VS_BV1 (40 a day) may give 100: 100 passes, 101 does not.
    # (No one aged 12-17 has a target population: coverage is not judged for them.)
    settings = IntakeSettings(doses_capacity_factor=2.5)
    ok = import_one(city, "ok.csv", doses((D3, VS_BV1, "12-17", 3, 100)), settings=settings, dry_run=True)
    assert ok.accepted, ok.errors
    outcome = import_one(city, "over.csv", doses((D3, VS_BV1, "12-17", 3, 101)), settings=settings)
    assert errors(outcome) == [
        error(
            "doses_above_capacity",
            2,
            "doses",
            "101",
            site=VS_BV1,
            day="2022-04-03",
            doses=101,
            capacity=40,
            factor=2.5,
            limit=100,
        )
    ]


def test_cumulative_doses_up_to_the_target_population(city):
    # O'Brien County (990102), ages 60-79: 40 people, 20 with a 1st dose before the data
    # began and 3 more on 1 Apr (VS_BF1). 17 1st doses at VS_BV1 on 3 Apr make
    # 20 + 3 + 17 = 40: coverage 100 %, allowed.
    at_limit = doses((D3, VS_BV1, "60-79", 1, 17))
    assert import_one(city, "at_limit.csv", at_limit, dry_run=True).accepted

    # 18 make 41 > 40.
    outcome = import_one(city, "over.csv", doses((D3, VS_BV1, "60-79", 1, 18)))
    assert errors(outcome) == [
        error(
            "doses_above_population",
            2,
            "doses",
            "18",
            area=DISTRICT_B,
            age_group="60-79",
            dose=1,
            day="2022-04-03",
            doses=41,
            population=40,
        )
    ]
    from presentation.intake_text import describe

    (found,) = outcome.errors
    assert (
        describe(found, "zh")
        == "累计第1剂 41 超过目标人群 40，接种率将超过 100%（区县 990102，60-79 岁，截至 2022-04-03，含基线）"
    )
    assert describe(found, "en") == (
        "Cumulative 1st doses 41 exceed the target population 40: coverage above 100% (district 990102, ages 60-79, up to 2022-04-03, baseline included)"
    )


def test_a_breach_on_an_earlier_day_names_that_day_and_its_row(city):
    # Boosters for O'Brien's 60-79s: 40 people, none before the data. A file of 25 on
    # 2 Apr and 16 on 3 Apr passes 40 on the 3rd (41): the 3 Apr row (row 3) is named.
    outcome = import_one(city, "two_days.csv", doses((D2, VS_BV1, "60-79", 3, 25), (D3, VS_BV1, "60-79", 3, 16)))
    assert errors(outcome) == [
        error(
            "doses_above_population",
            3,
            "doses",
            "16",
            area=DISTRICT_B,
            age_group="60-79",
            dose=3,
            day="2022-04-03",
            doses=41,
            population=40,
        )
    ]


def test_an_old_excess_does_not_block_an_unrelated_report(fresh_city):
    # Stored before the rule existed: O'Brien's 60-79s reach 20 + 3 + 30 = 53 1st doses (of 40).
    with fresh_city.begin() as conn:
        conn.execute(
            insert(s.vaccination_daily), [{"day": D2, "site_code": VS_BF1, "age_group": "60-79", "dose_number": 1, "doses": 30}]
        )
    # Boosters for the 18-59s (80 people, 20 + 10 so far, + 5) are no business of that excess …
    assert import_one(fresh_city, "boosters.csv", doses((D3, VS_BV1, "18-59", 3, 5))).accepted
    # … but one more 1st dose for the 60-79s makes it worse (54 > 53 already over 40).
    outcome = import_one(fresh_city, "worse.csv", doses((D3, VS_BV1, "60-79", 1, 1)))
    assert [(e["code"], e["fields"]["doses"]) for e in errors(outcome)] == [("doses_above_population", 54)]


def test_positives_up_to_samples_tested(city):
    # Ximen (SS3) on 3 Apr: 20 collected, 20 tested (nothing carried in): 20 positives may be.
    at_limit = tests_report({"site_code": SS3, "samples_collected": 20, "samples_tested": 20, "positives": 20})
    assert import_one(city, "at_limit.csv", at_limit, dry_run=True).accepted
    outcome = import_one(
        city, "over.csv", tests_report({"site_code": SS3, "samples_collected": 20, "samples_tested": 20, "positives": 21})
    )
    assert errors(outcome) == [error("positives_above_tested", 2, "positives", "21", tested=20)]


def test_tested_up_to_collected_plus_the_backlog_carried_in(city):
    # Garden (SS1) left 30 pending on 2 Apr (stored): on the 3rd, 40 collected + 30 = 70 may be tested.
    at_limit = tests_report({"site_code": SS1, "samples_collected": 40, "samples_tested": 70, "positives": 0})
    assert import_one(city, "at_limit.csv", at_limit, dry_run=True).accepted
    outcome = import_one(
        city, "over.csv", tests_report({"site_code": SS1, "samples_collected": 40, "samples_tested": 71, "positives": 0})
    )
    assert errors(outcome) == [error("tested_above_collected", 2, "samples_tested", "71", collected=40, backlog=30)]

    # The file gives the day before itself (35 pending on the 2nd, in place of the stored 30):
    # 40 + 35 = 75 may be tested on the 3rd, 76 may not (row 3).
    day_before = {
        "day": D2.isoformat(),
        "site_code": SS1,
        "samples_collected": 200,
        "samples_tested": 180,
        "positives": 0,
        "pending": 35,
    }
    assert import_one(
        city,
        "with_day_before.csv",
        tests_report(day_before, {"site_code": SS1, "samples_collected": 40, "samples_tested": 75, "positives": 0}),
        dry_run=True,
    ).accepted
    outcome = import_one(
        city,
        "with_day_before.csv",
        tests_report(day_before, {"site_code": SS1, "samples_collected": 40, "samples_tested": 76, "positives": 0}),
    )
    assert errors(outcome) == [error("tested_above_collected", 3, "samples_tested", "76", collected=40, backlog=35)]


def test_checkpoint_hour_up_to_what_its_lanes_pass(city):
    # CP_A1 has 2 lanes: in an hour at most 2 × 3,600 = 7,200 people and 2 × 1,800 = 3,600 vehicles.
    hourly = "checkpoint_hourly"
    assert import_one(city, "at_limit.csv", report_csv(hourly, [hour_row(7200, 3600)]), dry_run=True).accepted
    outcome = import_one(city, "over.csv", report_csv(hourly, [hour_row(7201, 3601)]))
    assert errors(outcome) == [  # in the file's column order: vehicles, then people
        error("vehicles_above_lanes", 2, "vehicles", "3601", lanes=2, per_lane_hour=1800, hours=1, limit=3600),
        error("people_above_lanes", 2, "people", "7201", lanes=2, per_lane_hour=3600, hours=1, limit=7200),
    ]


def test_checkpoint_day_up_to_what_its_lanes_pass_in_its_staffed_hours(city):
    # CP_A2 has 4 lanes, staffed 10 hours: at most 4 × 3,600 × 10 = 144,000 people and
    # 4 × 1,800 × 10 = 72,000 vehicles that day.
    daily = "checkpoint_daily"
    assert import_one(city, "at_limit.csv", report_csv(daily, [day_row(144_000, 72_000)]), dry_run=True).accepted
    outcome = import_one(city, "over.csv", report_csv(daily, [day_row(144_001, 72_000)]))
    assert errors(outcome) == [
        error("people_above_lanes", 2, "people", "144001", lanes=4, per_lane_hour=3600, hours=10, limit=144_000)
    ]
    from presentation.intake_text import describe

    assert (
        describe(IntakeError.from_json(outcome.errors[0].to_json()), "zh")
        == "查验人员超过 4 条车道 × 每车道每小时 3,600 人 × 10 小时 = 144,000"
    )
    assert describe(outcome.errors[0], "en") == "People checked exceed 4 lanes × 3,600 per lane-hour × 10 h = 144,000"


def test_counts_never_go_down(city):
    # A day's count is 0 at least: a running total cannot go down through the intake.
    assert import_one(city, "zero.csv", doses((D3, VS_AM1, "18-59", 3, 0)), dry_run=True).accepted
    assert errors(import_one(city, "negative.csv", doses((D3, VS_AM1, "18-59", 3, -1)))) == [error("negative", 2, "doses", "-1")]


# ================================================================== limits from [intake]
ENV = ("INTAKE_DOSES_CAPACITY_FACTOR", "INTAKE_MAX_PEOPLE_PER_LANE_HOUR", "INTAKE_MAX_VEHICLES_PER_LANE_HOUR")


@pytest.fixture
def configured(monkeypatch):
    """intake_settings() read afresh for the test, from a ``dashboard.toml`` of the test's own."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)

    def use(toml_path=None):
        if toml_path is not None:
            monkeypatch.setattr(intake_settings_module, "SETTINGS_FILE", toml_path)
        intake_settings_module.intake_settings.cache_clear()
        return intake_settings_module.intake_settings()

    yield use
    intake_settings_module.intake_settings.cache_clear()


def test_the_shipped_limits_are_the_documented_defaults(configured):
    shipped = tomllib.loads(intake_settings_module.SETTINGS_FILE.read_text(encoding="utf-8"))["intake"]
    assert shipped["doses_capacity_factor"] == 3
    assert shipped["max_people_per_lane_hour"] == 3600
    assert shipped["max_vehicles_per_lane_hour"] == 1800
    read = configured()
    assert (read.doses_capacity_factor, read.max_people_per_lane_hour, read.max_vehicles_per_lane_hour) == (3.0, 3600, 1800)
    assert IntakeSettings() == IntakeSettings(
        doses_capacity_factor=3, max_people_per_lane_hour=3600, max_vehicles_per_lane_hour=1800
    )


def test_limits_are_read_from_intake_and_overridden_by_the_environment(configured, monkeypatch, tmp_path):
    toml = tmp_path / "dashboard.toml"
    toml.write_text(
        "[intake]\ndoses_capacity_factor = 1.5\nmax_people_per_lane_hour = 500\nmax_vehicles_per_lane_hour = 250\n",
        encoding="utf-8",
    )
    read = configured(toml)
    assert (read.doses_capacity_factor, read.max_people_per_lane_hour, read.max_vehicles_per_lane_hour) == (1.5, 500, 250)
    monkeypatch.setenv("INTAKE_MAX_PEOPLE_PER_LANE_HOUR", "100")
    monkeypatch.setenv("INTAKE_DOSES_CAPACITY_FACTOR", "2")
    read = configured(toml)
    assert (read.doses_capacity_factor, read.max_people_per_lane_hour, read.max_vehicles_per_lane_hour) == (2.0, 100, 250)


def test_the_configured_limit_is_the_one_intake_and_data_checks_use(configured, monkeypatch, city):
    monkeypatch.setenv("INTAKE_MAX_PEOPLE_PER_LANE_HOUR", "10")
    configured()
    # At intake (no settings given: the configured ones): CP_A1's 2 lanes pass 2 × 10 = 20 people an hour.
    ok = import_one(
        city,
        "20.csv",
        report_csv("checkpoint_hourly", [hour_row(20, 0) | {"temperature_checks": 20}]),
        settings=None,
        dry_run=True,
    )
    assert ok.accepted, ok.errors
    outcome = import_one(
        city, "21.csv", report_csv("checkpoint_hourly", [hour_row(21, 0) | {"temperature_checks": 21}]), settings=None
    )
    assert errors(outcome) == [error("people_above_lanes", 2, "people", "21", lanes=2, per_lane_hour=10, hours=1, limit=20)]

    # On the stored test city (imports above were dry runs or refused), hours above lanes × 10 people:
    #   1 Apr: CP_A2 (4 lanes, 40) 200 at 8:00 (+160); CP_A1 20 at 8:00 is just the limit
    #   2 Apr: CP_A2 90 at 8:00 (+50) and 60 at 9:00 (+20); CP_A1 25 at 8:00 (+5) — furthest over: CP_A2 at 8:00
    #   3 Apr: CP_B1 (1 lane, 10) 16 at 9:00 (+6)
    found = [
        c for c in data_checks(Scope(CITY, D1, D3), city, now=NOW) if c.check == "above_lane_capacity" and c.measure == "people"
    ]
    assert [(c.day, c.details["unit"], c.details["hour"], c.figure, c.details["limit"], c.details["units"]) for c in found] == [
        (D1, CP_A2, 8, 200.0, 40, [CP_A2]),
        (D2, CP_A2, 8, 90.0, 40, [CP_A2, CP_A1]),
        (D3, CP_B1, 9, 16.0, 10, [CP_B1]),
    ]


# ================================================================== on stored figures
# Figures stored around the intake (as if loaded before the rules existed), each rule just
# at its limit on one day and one over on another:
JUNE = [dt.date(2022, 6, 1) + dt.timedelta(days=i) for i in range(20)]
JUNE_PEOPLE = [1000, 1020, 990, 1010, 1005, 995, 1000, 1015, 985, 1000, 1010, 990, 1000, 1005, 3000, 1000, 1010, 995, 1005, 1000]


@pytest.fixture(scope="module", params=ENGINE_KINDS)
def planted(request, new_database):
    engine = make_city(new_database, request.param)
    vaccination = [
        (D4, VS_AF1, "3-11", 1, 300),  # capacity 100 × 3: at the limit
        (D5, VS_AF1, "3-11", 1, 301),  # one over
        (D4, VS_BF1, "60-79", 1, 17),  # O'Brien 60-79: 20 + 3 + 17 = 40 1st doses of 40 people
        (D6, VS_BF1, "60-79", 1, 1),  # 41 of 40
        (D7, VS_AM1, "3-11", 1, 0),  # the day's total 0: the running total stays
        (D8, VS_AM1, "3-11", 1, -3),  # and goes down
    ]  # (3-11 has no target population anywhere: those doses change no coverage by age)
    with engine.begin() as conn:
        conn.execute(
            insert(s.vaccination_daily),
            [dict(zip(("day", "site_code", "age_group", "dose_number", "doses"), r, strict=True)) for r in vaccination],
        )
        t = s.testing_daily.c
        for day, site, values in (
            (D2, SS1, {"positives": 180}),  # tested 180: at the limit
            (D3, SS4, {"positives": 11}),  # tested 10: one over
            (D3, SS1, {"samples_tested": 90}),  # 3 Apr: tested 90 + 20 + 10 = 120 = collected 70 + 2 Apr's backlog 50
            (D2, SS2, {"samples_tested": 111}),  # 2 Apr: tested 180 + 111 + 60 + 0 = 351 > collected 330 + 1 Apr's backlog 20
        ):
            conn.execute(update(s.testing_daily).where(t.day == day, t.site_code == site).values(**values))
        conn.execute(
            insert(s.checkpoint_hourly),
            [
                {"day": D4, "hour": 10, "checkpoint_code": CP_A1, "vehicles": 3600, "people": 7200},  # 2 lanes: at both limits
                {"day": D5, "hour": 10, "checkpoint_code": CP_A1, "vehicles": 3601, "people": 7201},  # one over both
            ],
        )
        refresh_checkpoint_daily(conn, [(CP_A1, D4), (CP_A1, D5)])
        daily = [
            # CP_A2, 4 lanes for 10 staffed hours, reported as a day: 72,000 vehicles is the limit, 144,001 people one over.
            {"day": D6, "checkpoint_code": CP_A2, "vehicles": 72_000, "people": 144_001, "staffed_hours": 10},
            # CP_B1 in June, steady about 1,000 people a day but 3,000 on 15 June.
            *(
                {"day": d, "checkpoint_code": CP_B1, "vehicles": p // 2, "people": p, "staffed_hours": 24}
                for d, p in zip(JUNE, JUNE_PEOPLE, strict=True)
            ),
        ]
        conn.execute(insert(s.checkpoint_daily), daily)
        rollups.refresh_pending(conn)
    return engine


def found(engine, scope: Scope, check: str) -> list[DataCheck]:
    return [c for c in data_checks(scope, engine, now=NOW) if c.check == check]


def test_stored_doses_above_capacity_are_flagged(planted):
    (over,) = found(planted, Scope(CITY, D4, D8), "doses_above_capacity")  # 4 Apr's 300 is the limit
    assert (over.day, over.figure, over.metric) == (D5, 301.0, "vaccination.doses")
    assert (over.details["unit"], over.details["capacity"], over.details["limit"], over.details["n"]) == (VS_AF1, 100, 300, 1)


def test_stored_coverage_above_100_percent_is_flagged(planted):
    # O'Brien County's figures as the vaccination page shows them: 60-79s' 1st doses 40 of
    # 40 as of 5 Apr (100 %), 41 of 40 as of 6 Apr (102.5 %); the county as a whole:
    # 90 + 3 + 17 + 1 = 111 of 120.
    assert found(planted, Scope(DISTRICT_B, D1, D5), "coverage_above_population") == []
    for end in (D6, D8):  # still there when the range ends later: coverage only grows
        (over,) = found(planted, Scope(DISTRICT_B, D1, end), "coverage_above_population")
        assert (over.day, over.figure, over.metric) == (end, 41 / 40, "vaccination.coverage_dose1")
        assert over.details == {"breakdown": "age_group", "people": 41, "population": 40, "age_group": "60-79"}


def test_stored_positives_above_tested_are_flagged(planted):
    (over,) = found(planted, Scope(CITY, D1, D3), "positives_above_tested")  # 2 Apr's 180 of 180 is the limit
    assert (over.day, over.figure, over.details["unit"], over.details["limit"], over.metric) == (
        D3,
        11.0,
        SS4,
        10,
        "testing.positives",
    )


def test_stored_tested_above_collected_is_flagged(planted):
    (over,) = found(planted, Scope(CITY, D1, D3), "tested_above_collected")  # 3 Apr's 120 of 120 is the limit
    assert (over.day, over.figure, over.details["available"], over.metric) == (D2, 351.0, 350.0, "testing.samples_tested")


def test_stored_hours_and_days_above_lane_capacity_are_flagged(planted):
    checks = found(planted, Scope(CITY, D4, D8), "above_lane_capacity")
    # 5 Apr, CP_A1 at 10:00 over both limits (its day, rolled up from that hour, is not
    # repeated); 6 Apr, CP_A2's daily report: people over 144,000, vehicles at 72,000.
    assert [
        (c.day, c.metric, c.details["unit"], c.details["hour"], c.figure, c.details["limit"], c.details["hours"]) for c in checks
    ] == [
        (D5, "checkpoints.people", CP_A1, 10, 7201.0, 7200, 1),
        (D6, "checkpoints.people", CP_A2, None, 144_001.0, 144_000, 10),
        (D5, "checkpoints.vehicles", CP_A1, 10, 3601.0, 3600, 1),
    ]


def test_stored_running_total_going_down_is_flagged(planted):
    checks = [c for c in found(planted, Scope(CITY, D4, D8), "cumulative_down") if c.domain == "vaccination"]
    assert [(c.day, c.figure, c.metric) for c in checks] == [(D8, -3.0, "vaccination.doses")]


def test_an_extreme_day_is_found_whatever_day_the_range_ends(planted):
    # CP_B1's 14 days before 15 June sorted: 985, 990, 990, 995, 1000 ×4, 1005, 1005,
    # 1010, 1010, 1015, 1020: median 1000 (7th and 8th). 3,000 is far outside; the days
    # after it are judged against windows holding it, and the median shrugs it off.
    for scope in (Scope(CITY, JUNE[14], JUNE[14]), Scope(CITY, JUNE[9], JUNE[19]), Scope(CITY, JUNE[0], JUNE[19])):
        jumps = [c for c in found(planted, scope, "jump") if c.domain == "checkpoints"]
        assert [(c.day, c.figure, c.details["median"], c.metric) for c in jumps] == [
            (JUNE[14], 3000.0, 1000.0, "checkpoints.people")
        ], scope
    assert [c for c in found(planted, Scope(CITY, JUNE[15], JUNE[19]), "jump") if c.domain == "checkpoints"] == []


def test_every_bad_day_of_a_range_is_listed(planted):
    # The whole of 1–8 April: each rule's day over, and only those.
    checks = [
        c
        for c in data_checks(Scope(CITY, D1, D8), planted, now=NOW)
        if c.check not in ("stale", "jump", "coverage_above_population")
    ]
    assert sorted((c.check, c.metric, c.day) for c in checks) == sorted(
        [
            ("tested_above_collected", "testing.samples_tested", D2),
            ("positives_above_tested", "testing.positives", D3),
            ("above_lane_capacity", "checkpoints.people", D5),
            ("above_lane_capacity", "checkpoints.people", D6),
            ("above_lane_capacity", "checkpoints.vehicles", D5),
            ("doses_above_capacity", "vaccination.doses", D5),
            ("cumulative_down", "vaccination.doses", D8),
            ("single_room", "isolation.single_room_breaches", D2),  # the hand-built city's family: 8 people, 7 rooms
        ]
    )
