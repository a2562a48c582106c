"""The fever rule's figures summed in the database, against the hand-built city on every
engine: the same alerts as the rule judged on each checkpoint's daily rows."""

from __future__ import annotations

import pytest

from data_access.alerts import (
    Thresholds,
    checkpoint_fever_alerts,
    checkpoint_fever_daily,
    checkpoint_fever_figures,
    fever_alerts,
)
from tests.fixtures_data import CITY, CP_A1, CP_B1, D1, D2, D3, DISTRICT_A, DISTRICT_B, STREET_A1
from tests.helpers import records, scope


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
