"""Inspections 督导检查: the alerts (problems overdue for rectification, a street's pass rate
under the line) at their thresholds on hand-built figures, through SQL on the hand-built
city (every engine) and on the sample city's planted street; the data checks on stored
figures the intake would refuse; their sentences in both languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import update

from data_access import schema as s
from data_access.alerts import RULES, Thresholds, active_alerts, inspection_alerts, inspections_rule, load_thresholds
from data_access.data_checks import DataCheck, data_checks
from data_access.engine import upgrade_schema
from data_access.scope import Scope, clear_area_cache
from presentation.sentences import ALERT_METRIC, alert_text, check_text, flags_by_metric
from tests import fixtures_data
from tests.fixtures_data import CITY, COMMUNITY_A1A, D1, D2, D3, DISTRICT_B, STREET_A1, STREET_A2, STREET_B1
from tests.fixtures_isolation import IT_A1, IT_A2
from tests.helpers import scope

TH = Thresholds()
DAY = dt.date(2022, 4, 30)
WEEK = DAY - dt.timedelta(days=6)
NOW = dt.datetime(2022, 5, 1, 12, tzinfo=dt.UTC)  # the sample's and the hand-built city's data are not late


def streets(*rows) -> pd.DataFrame:
    """Per street: checks, checks passed, problems overdue and open at the day's end."""
    return pd.DataFrame(rows, columns=["area_code", "inspections", "inspections_passed", "overdue", "open_problems"])


def fired(frame: pd.DataFrame, rule: str, th: Thresholds = TH) -> list[str]:
    return [a.severity for a in inspection_alerts(frame, WEEK, DAY, th) if a.rule == rule]


# ---- hand-built figures
@pytest.mark.parametrize(("overdue", "expected"), [(0, []), (2, []), (3, ["warning"]), (9, ["warning"]), (10, ["critical"])])
def test_problems_overdue_for_rectification(overdue, expected):
    assert fired(streets(("418801001", 50, 50, overdue, overdue + 2)), "inspections_overdue") == expected


@pytest.mark.parametrize(
    ("checks", "passed", "expected"),
    [
        (30, 24, []),  # 80 % is the line itself: not below it
        (30, 23, ["warning"]),  # 76.7 %
        (100, 60, ["warning"]),  # 60 % is the critical line itself
        (100, 59, ["critical"]),
        (29, 0, []),  # fewer checks than the rule judges, however bad
        (2, 1, []),  # one failure in two checks is no trend
        (0, 0, []),  # nothing checked: no rate at all
    ],
)
def test_pass_rate_under_the_line_with_enough_checks(checks, passed, expected):
    assert fired(streets(("418801001", checks, passed, 0, 0)), "inspections_pass_rate") == expected


def test_each_street_is_judged_on_its_own():
    frame = streets(("418801001", 40, 30, 4, 6), ("418801002", 40, 39, 0, 0), ("418802001", 10, 2, 12, 12))
    alerts = inspection_alerts(frame, WEEK, DAY, TH)
    assert [(a.area_code, a.rule, a.severity, a.figure) for a in alerts] == [
        ("418801001", "inspections_overdue", "warning", 4.0),
        ("418801001", "inspections_pass_rate", "warning", 0.75),
        ("418802001", "inspections_overdue", "critical", 12.0),  # 10 checks: its 20 % is not judged
    ]
    overdue, rate, _ = alerts
    assert overdue.page == rate.page == "inspections"
    # The link opens the page on the street and the days the alert judged.
    assert overdue.query_params == {"area": "418801001", "range": "custom", "start": "2022-04-30", "end": "2022-04-30"}
    assert rate.query_params == {"area": "418801001", "range": "custom", "start": "2022-04-24", "end": "2022-04-30"}
    assert rate.details | {"query": None} == {"checks": 40, "days": 7, "threshold": 0.8, "query": None}
    assert overdue.details["open"] == 6


def test_alert_sentences_in_both_languages():
    frame = streets(("418801001", 40, 30, 4, 6))
    overdue, rate = inspection_alerts(frame, WEEK, DAY, TH)
    names = {"418801001": "东风街道"}
    assert alert_text(overdue, "zh", names, {}) == "东风街道：4 个问题超期未整改（未整改共 6 个）"
    assert alert_text(rate, "zh", names, {}) == "东风街道：近 7 天检查合格率 75.0%，低于 80%（检查 40 家次）"
    names = {"418801001": "Dongfeng Street"}
    assert alert_text(overdue, "en", names, {}) == "Dongfeng Street: 4 problems overdue for rectification (6 still open)"
    assert alert_text(rate, "en", names, {}) == (
        "Dongfeng Street: pass rate 75.0% over the last 7 days, under 80% (40 entity checks)"
    )
    assert ALERT_METRIC["inspections_overdue"] == "inspections.overdue"
    assert ALERT_METRIC["inspections_pass_rate"] == "inspections.pass_rate"


def test_thresholds_come_from_the_inspections_table(tmp_path: Path):
    path = tmp_path / "alerts.toml"
    path.write_text(
        "[alerts.inspections]\ninspection_overdue_warning = 1\ninspection_pass_rate_warning = 0.9\n"
        "inspection_pass_rate_min_checks = 10\ninspection_pass_rate_days = 3\n",
        encoding="utf-8",
    )
    th = load_thresholds(str(path))
    assert (th.inspection_overdue_warning, th.inspection_overdue_critical) == (1, 10)
    assert (th.inspection_pass_rate_warning, th.inspection_pass_rate_min_checks, th.inspection_pass_rate_days) == (0.9, 10, 3)
    # The project's own file says what the defaults say.
    shipped = load_thresholds()
    assert (shipped.inspection_overdue_warning, shipped.inspection_pass_rate_warning) == (3, 0.8)
    assert (shipped.inspection_pass_rate_min_checks, shipped.inspection_pass_rate_days) == (30, 7)


def test_the_alerts_open_the_inspections_page():
    from ui.alerts_view import PAGE_FILES

    assert inspections_rule in RULES
    assert (Path(__file__).resolve().parent.parent / PAGE_FILES["inspections"]).exists()


# ---- through SQL, the hand-built city (tests/fixtures_isolation.py)
# Over D1–D3 by street: Dongfeng (A1) 24 checks, 20 passed, 1 problem overdue on D3; Xi'an
# Road (A2) 4 checks, 3 passed; North Harbour (B1) 8 checks, 7 passed.
LOW = Thresholds(
    inspection_overdue_warning=1,
    inspection_pass_rate_warning=0.85,
    inspection_pass_rate_min_checks=5,
    inspection_pass_rate_days=3,
)


def inspection_alerts_of(alerts) -> list[tuple]:
    return [(a.area_code, a.rule, a.severity, a.figure) for a in alerts if a.rule.startswith("inspections_")]


def test_alerts_through_sql(engine):
    found = inspection_alerts_of(inspections_rule(scope(CITY, D3, D3), engine, LOW))
    assert found == [
        (STREET_A1, "inspections_overdue", "warning", 1.0),
        (STREET_A1, "inspections_pass_rate", "warning", pytest.approx(20 / 24)),  # Xi'an Road's 3 of 4: too few
    ]
    # With 4 checks enough, Xi'an Road's 75 % is judged too; North Harbour's 7 of 8 is above the line.
    fewer = Thresholds(**{**LOW.__dict__, "inspection_pass_rate_min_checks": 4})
    assert [(a.area_code, a.rule) for a in inspections_rule(scope(CITY, D3, D3), engine, fewer)] == [
        (STREET_A1, "inspections_overdue"),
        (STREET_A1, "inspections_pass_rate"),
        (STREET_A2, "inspections_pass_rate"),
    ]
    # Among all the rules, for a community: its street's; for district B: none.
    assert inspection_alerts_of(active_alerts(scope(COMMUNITY_A1A, D3, D3), engine, LOW)) == [
        (STREET_A1, "inspections_overdue", "warning", 1.0),
        (STREET_A1, "inspections_pass_rate", "warning", pytest.approx(20 / 24)),
    ]
    assert inspection_alerts_of(active_alerts(scope(DISTRICT_B, D3, D3), engine, LOW)) == []
    # On D2, the last 3 days are D1–D2 (nothing before): A1 19 of 21 (90.5 %), nothing overdue
    # yet; North Harbour 4 of 5 (80 %).
    assert inspection_alerts_of(inspections_rule(scope(CITY, D2, D2), engine, LOW)) == [
        (STREET_B1, "inspections_pass_rate", "warning", pytest.approx(0.8))
    ]
    # The shipped thresholds: nothing in so small a city.
    assert inspections_rule(scope(CITY, D3, D3), engine, TH) == []


# ---- data checks on stored figures the intake refuses
@pytest.fixture(scope="module", params=fixtures_data.ENGINE_KINDS)
def broken_city(request, new_database):
    """The hand-built city with two impossible team reports: on D2 IT_A1 passed 6 of the 5
    checks at Dongfeng's markets; on D3 IT_A2 has 4 problems overdue of the 3 open."""
    engine = new_database(request.param)
    upgrade_schema(engine)
    fixtures_data.load(engine)
    i = s.inspection_daily.c
    with engine.begin() as conn:
        conn.execute(
            update(s.inspection_daily)
            .where(i.day == D2, i.team_code == IT_A1, i.area_code == STREET_A1)
            .values(inspections_passed=6)
        )
        conn.execute(update(s.inspection_daily).where(i.day == D3, i.team_code == IT_A2).values(overdue=4))
    clear_area_cache(engine)
    return engine


def inspection_checks(checks: list[DataCheck]) -> list[tuple]:
    return [
        (c.check, c.day, c.figure, c.details["unit"], c.details["limit"], c.metric)
        for c in checks
        if c.domain == "inspections" and c.check != "stale"
    ]


def test_impossible_team_reports_are_flagged(broken_city):
    checks = data_checks(Scope(CITY, D1, D3), broken_city, NOW)
    assert inspection_checks(checks) == [
        ("passed_above_checks", D2, 6.0, IT_A1, 5, "inspections.pass_rate"),
        ("overdue_above_open", D3, 4.0, IT_A2, 3, "inspections.overdue"),
    ]
    # A street's reports, a community's (its street's); not district B's, nor other days'.
    assert len(inspection_checks(data_checks(Scope(COMMUNITY_A1A, D1, D3), broken_city, NOW))) == 2
    assert inspection_checks(data_checks(Scope(STREET_A1, D3, D3), broken_city, NOW))[0][0] == "overdue_above_open"
    assert inspection_checks(data_checks(Scope(DISTRICT_B, D1, D3), broken_city, NOW)) == []
    assert inspection_checks(data_checks(Scope(CITY, D1, D1), broken_city, NOW)) == []


def test_impossible_reports_in_both_languages(broken_city):
    checks = [c for c in data_checks(Scope(CITY, D1, D3), broken_city, NOW) if c.check == "passed_above_checks"]
    assert (
        check_text(checks[0], "en") == "2 Apr 2022, Jia market regulation team 1: 6 checks passed, more than the 5 entity checks"
    )
    assert check_text(checks[0], "zh") == "2022年4月2日 甲区市场监管督导组1：合格 6 家次，多于检查 5 家次"
    # The pass-rate card carries it.
    assert "6" in flags_by_metric(checks, "en")["inspections.pass_rate"]


def test_the_hand_built_city_has_no_impossible_report(engine):
    assert inspection_checks(data_checks(Scope(CITY, D1, D3), engine, NOW)) == []


# ---- the sample city: the planted street, and nothing else
def test_the_sample_citys_planted_street_alerts(sample_database):
    _, engine = sample_database
    alerts = [a for a in active_alerts(Scope("418800", DAY, DAY), engine) if a.rule.startswith("inspections_")]
    # The most inspected street passes 70 % of its checks over the last 7 days, and half of
    # the problems found there from E−9 to E−4 are left overdue (sample_data/isolation_inspections.py).
    planted = {a.area_code for a in alerts}
    assert len(planted) == 1, alerts
    assert sorted(a.rule for a in alerts) == ["inspections_overdue", "inspections_pass_rate"]
    rate = next(a for a in alerts if a.rule == "inspections_pass_rate")
    assert 0.6 <= rate.figure < 0.8 and rate.details["checks"] >= 30
    # Nothing impossible in the sample, and no jump in its checks.
    checks = data_checks(Scope("418800", DAY - dt.timedelta(days=29), DAY), engine, NOW)
    assert inspection_checks(checks) == []
