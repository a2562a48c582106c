"""The alert rules' figures as the database sums them, against the hand-built city on every
engine: testing per area and day (from the testing roll-up down to streets, from the sites
below), and the fever rule's per checkpoint — the same alerts as the rule judged on each
checkpoint's daily rows."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.alerts import (
    Thresholds,
    checkpoint_fever_alerts,
    checkpoint_fever_daily,
    checkpoint_fever_figures,
    fever_alerts,
    testing_alerts,
    testing_daily_by_area,
)
from tests.fixtures_data import (
    CITY,
    COMMUNITY_A1A,
    CP_A1,
    CP_B1,
    D1,
    D2,
    D3,
    DISTRICT_A,
    DISTRICT_B,
    STREET_A1,
)
from tests.helpers import records, scope

TESTING_COLUMNS = ("area_code", "day", "samples_collected", "samples_tested", "positives", "backlog", "turnaround_p90_h")


def test_testing_figures_per_district_and_day(engine):
    result = testing_daily_by_area(scope(CITY), engine)
    assert list(result.columns) == list(TESTING_COLUMNS)
    rows = records(result, *TESTING_COLUMNS)
    assert [r[:6] for r in rows] == [
        # District A: SS1, SS2, SS3 (SS2 not on D3); backlog = pending summed
        (DISTRICT_A, D1, 180, 160, 1, 20),
        (DISTRICT_A, D2, 330, 300, 1, 50),
        (DISTRICT_A, D3, 60, 85, 1, 5),
        (DISTRICT_B, D1, 40, 40, 2, 0),
        (DISTRICT_B, D2, 0, 0, 0, 0),
        (DISTRICT_B, D3, 10, 10, 0, 0),
    ]
    # p90 weighted by samples tested: D1 (10×90 + 8×50 + 12×20) / 160 = 9.625; D2 (20×180 +
    # 18×60 + 9×60) / 300 = 17.4; D3 (7×65 + 6×20) / 85 = 6.7647; B: 5, none tested, 3
    p90 = [r[6] for r in rows]
    assert p90[:3] == [pytest.approx(9.625), pytest.approx(17.4), pytest.approx(575 / 85)]
    assert p90[3:] == [pytest.approx(5.0), None, pytest.approx(3.0)]


def test_testing_figures_below_a_district(engine):
    # A street (rolled up): its own rows, SS1 and SS2. D1 p90 (10×90 + 8×50) / 140; D2 (20×180 + 18×60) / 240
    street = records(testing_daily_by_area(scope(STREET_A1), engine), *TESTING_COLUMNS)
    assert street == [
        (STREET_A1, D1, 150, 140, 1, 10, pytest.approx(1300 / 140)),
        (STREET_A1, D2, 280, 240, 1, 50, pytest.approx(19.5)),
        (STREET_A1, D3, 40, 65, 0, 5, pytest.approx(7.0)),
    ]
    # A community (no roll-up): its sites, by their street — SS1 alone
    community = records(testing_daily_by_area(scope(COMMUNITY_A1A, D1, D1), engine), *TESTING_COLUMNS)
    assert community == [(STREET_A1, D1, 100, 90, 1, 10, pytest.approx(10.0))]
    # Backlog 10 → 50 is one rise: with a 1-day line it fires on D2 (figure 50); p90 19.5 h is
    # above an 18 h line; 1 positive among 240 tested is 0.42 %, judged from 200 tested
    th = Thresholds(backlog_rising_days=1, turnaround_p90_hours=18, positivity_min_tested=200)
    alerts = testing_alerts(testing_daily_by_area(scope(STREET_A1), engine), D2, th)
    assert [(a.rule, a.severity, a.figure) for a in alerts] == [
        ("testing_backlog", "warning", 50.0),
        ("testing_turnaround", "warning", pytest.approx(19.5)),
        ("testing_positivity", "critical", pytest.approx(1 / 240)),
    ]
    assert testing_alerts(testing_daily_by_area(scope(STREET_A1), engine), D3, th) == []  # 50 → 5, 7 h, no positive


def test_fever_figures_per_checkpoint(engine):
    result = checkpoint_fever_figures(scope(CITY, D3, D3), D3, 2, engine=engine)
    assert records(result, "checkpoint_code", "fever", "people", "baseline_fever", "baseline_people", "baseline_days") == [
        # CP_A1 on D3: open, nobody came; D1 fever 1 + 0, people 20 + 8; D2 fever 0, people 25
        (CP_A1, 0, 0, 1, 53, 2),
        # CP_A2 did not report on D3: not judged. CP_B1 on D3: 1 fever among 16; D1 7 people, D2 4
        (CP_B1, 1, 16, 0, 11, 2),
    ]
    assert records(result, "name_en", "area_code")[1] == ("O'Hare provincial road", "990102001")


def test_fever_figures_narrowed(engine):
    # One day before D3: D2 only.
    assert records(checkpoint_fever_figures(scope(CITY), D3, 1, engine=engine), "checkpoint_code", "baseline_people") == [
        (CP_A1, 25),
        (CP_B1, 4),
    ]
    # At least one fever on the day: CP_B1 only; district A: CP_A1 only; no day before D1.
    assert records(checkpoint_fever_figures(scope(CITY), D3, 2, 1, engine), "checkpoint_code") == [(CP_B1,)]
    assert records(checkpoint_fever_figures(scope(DISTRICT_A), D3, 2, engine=engine), "checkpoint_code") == [(CP_A1,)]
    assert checkpoint_fever_figures(scope(CITY), D1, 28, engine=engine).empty


def test_fever_alert_from_the_figures(engine):
    # CP_B1 on D3: 1 / 16 people = 6,250 per 100,000. No fever on D1 and D2, so the reference
    # is one case among an average day's 11 / 2 people: 18,181.8 per 100,000. A ratio of 0.3
    # needs 5,454.5: the alert fires; 0.4 needs 7,272.7: it does not.
    fires = Thresholds(fever_ratio=0.3, fever_min_cases=1, fever_baseline_days=2)
    alerts = fever_alerts(checkpoint_fever_figures(scope(DISTRICT_B), D3, 2, 1, engine), fires)
    assert [(a.area_code, a.figure, a.details["fever"], a.details["baseline"]) for a in alerts] == [
        ("990102001", pytest.approx(6250.0), 1, 0.0)
    ]
    quiet = Thresholds(fever_ratio=0.4, fever_min_cases=1, fever_baseline_days=2)
    assert fever_alerts(checkpoint_fever_figures(scope(DISTRICT_B), D3, 2, 1, engine), quiet) == []


@pytest.mark.parametrize(
    "th",
    [
        Thresholds(fever_ratio=0.3, fever_min_cases=1, fever_baseline_days=2),
        Thresholds(fever_ratio=0.01, fever_min_cases=0, fever_baseline_days=1),
        Thresholds(fever_ratio=0.01, fever_min_cases=0, fever_baseline_days=28),
    ],
)
@pytest.mark.parametrize("area_code", [CITY, DISTRICT_A, STREET_A1])
@pytest.mark.parametrize("day", [D2, D3])
def test_same_alerts_as_the_rule_on_daily_rows(engine, th, area_code, day):
    daily = checkpoint_fever_daily(scope(area_code, D1, day), engine)
    expected = checkpoint_fever_alerts(daily, day, th)
    figures = checkpoint_fever_figures(scope(area_code, day, day), day, th.fever_baseline_days, th.fever_min_cases, engine)
    assert fever_alerts(figures, th) == expected


def test_a_report_type_never_received_raises_no_missing_report_alert(new_database):
    """A centre that has never received, say, inspection reports is not told every day
    that all its teams failed to send them; once one arrives, the others are missing."""
    from sqlalchemy import delete, insert

    from data_access import reporting
    from data_access import schema as s
    from data_access.alerts import missing_reports_rule
    from data_access.engine import upgrade_schema
    from data_access.scope import Scope, clear_area_cache
    from data_access.settings import load_thresholds
    from tests import fixtures_data

    engine = new_database("sqlite")
    upgrade_schema(engine)
    fixtures_data.load(engine)
    clear_area_cache(engine)
    with engine.begin() as conn:
        conn.execute(delete(s.report_submission).where(s.report_submission.c.report_type == "inspection"))
    scope = Scope(fixtures_data.CITY, fixtures_data.D3, fixtures_data.D3)
    assert "inspection" not in reporting.types_in_use(engine)
    assert "inspection" in set(reporting.reporting_completeness(scope, engine=engine)["report_type"])  # still listed
    kinds = {a.details.get("report_type") for a in missing_reports_rule(scope, engine, load_thresholds())}
    assert "inspection" not in kinds
    team = engine.connect().execute(s.inspection_team.select().limit(1)).first()
    with engine.begin() as conn:
        conn.execute(
            insert(s.report_submission),
            [
                {
                    "report_type": "inspection",
                    "unit_code": team.code,
                    "day": fixtures_data.D1,
                    "reported_at": dt.datetime(2022, 4, 2, 1, tzinfo=dt.UTC),
                }
            ],
        )
    assert "inspection" in reporting.types_in_use(engine)
    kinds = {a.details.get("report_type") for a in missing_reports_rule(scope, engine, load_thresholds())}
    assert "inspection" in kinds
