"""Isolation and inspections in the sample city (sample_data/isolation_inspections.py): the
figures hold together as the intake demands, the planted flaws are where the module
docstring says and nowhere else, and the default city is calibrated to the seed reports."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, select

from data_access import schema as s
from data_access.engine import make_engine
from data_access.scope import clear_area_cache
from sample_data.generate import SCALES, generate

END = dt.date(2022, 4, 30)
E = {k: END - dt.timedelta(days=k) for k in range(10)}  # E[2] is E−2
ITEMS = s.CHECKLIST_ITEMS


def read(engine: Engine, table) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(select(table))
        frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    if "day" in frame:
        frame["day"] = frame["day"].map(lambda d: d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)[:10]))
    return frame


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('tiny') / 'tiny.sqlite'}")
    generate(engine, "tiny", 7, END, log=lambda *_: None)
    yield engine
    clear_area_cache(engine)
    engine.dispose()


@pytest.fixture(scope="module", params=["tiny", "small"])
def city(request) -> Engine:
    return request.getfixturevalue("tiny") if request.param == "tiny" else request.getfixturevalue("sample_database")[1]


def missing_on_the_last_day(engine: Engine, report_type: str, units: list[str]) -> set[str]:
    submitted = read(engine, s.report_submission)
    last = submitted[(submitted.report_type == report_type) & (submitted.day == END)]
    return set(units) - set(last.unit_code)


def wide(frame: pd.DataFrame, key: list[str], column: str) -> pd.DataFrame:
    return frame.set_index([*key, "day"])[column].unstack("day", fill_value=0).sort_index(axis=1)


def balance_breaks(frame: pd.DataFrame, key: list[str], stock: str, added: list[str], removed: list[str]) -> pd.DataFrame:
    """(key, day) where the day's stock is not the day before's + added − removed (days in order)."""
    stocks = wide(frame, key, stock)
    plus = sum(wide(frame, key, c).reindex_like(stocks).fillna(0) for c in added)
    minus = sum(wide(frame, key, c).reindex_like(stocks).fillna(0) for c in removed)
    expected = stocks.shift(1, axis=1) + plus - minus
    broken = (stocks != expected).iloc[:, 1:]
    return broken.stack().loc[lambda b: b].reset_index()


# ------------------------------------------------------------------ people under management
def test_each_street_s_people_balance_from_day_to_day(city):
    people = read(city, s.isolation_people_daily)
    assert set(people.category) <= set(s.ISOLATION_CATEGORIES) and set(people.measure) <= set(s.ISOLATION_MEASURES)
    assert ((people[list(s.ISOLATION_COUNTS)] >= 0).all().all()) and (people.overdue <= people.held).all()
    assert (people[list(s.ISOLATION_COUNTS)].sum(axis=1) > 0).all()  # rows of zeros are not kept
    breaks = balance_breaks(people, ["area_code", "category", "measure"], "held", ["new_in"], ["released"])
    # Only on the last day, where the two streets that did not report show no one.
    missing = missing_on_the_last_day(city, "isolation_people", list(read(city, s.area).query("level == 'street'").code))
    assert len(missing) == 2
    assert set(breaks.day) == {END} and set(breaks.area_code) <= missing


def test_overdue_people_are_the_planted_cohort_alone(city):
    people = read(city, s.isolation_people_daily)
    overdue = people[people.overdue > 0]
    assert set(zip(overdue.category, overdue.measure, strict=True)) <= {("close_contact", "centralised")}
    assert overdue.area_code.nunique() <= 1 and set(overdue.day) <= {E[2], E[1], E[0]}


def test_the_planted_cohort_is_held_past_its_release_date(sample_database):
    """In the small city's wave tail, the street with the most close contacts due to leave
    central isolation on E−2 keeps them: the same number overdue on E−2, E−1 and E."""
    _, engine = sample_database
    people = read(engine, s.isolation_people_daily)
    overdue = people[people.overdue > 0]
    (street,) = set(overdue.area_code)
    reported_last_day = not missing_on_the_last_day(engine, "isolation_people", [street])
    assert set(overdue.day) == {E[2], E[1], *([E[0]] if reported_last_day else [])}
    assert overdue.overdue.nunique() == 1 and overdue.overdue.iloc[0] > 0


def test_intake_follows_the_wave_and_steady_arrivals(sample_database):
    people = read(sample_database[1], s.isolation_people_daily)
    daily = people.pivot_table(index="day", columns="category", values="new_in", aggfunc="sum", fill_value=0)
    assert daily["close_contact"].sum() > 0 and daily["risk_area_arrival"].min() > 0
    # Close contacts come with the wave, arrivals all year round.
    assert daily["close_contact"].std() / daily["close_contact"].mean() > 2 * (
        daily["risk_area_arrival"].std() / daily["risk_area_arrival"].mean()
    )


# ------------------------------------------------------------------ isolation sites
def test_sites_house_the_centralised_isolation_one_person_a_room(city):
    sites = read(city, s.isolation_site)
    days = read(city, s.isolation_site_daily).merge(sites[["code", "rooms", "area_code"]], left_on="site_code", right_on="code")
    assert (days.rooms_occupied <= days.people).all() and (days.rooms_occupied <= days.rooms).all()
    assert (days.cases_found <= days.released).all()
    breaks = balance_breaks(days, ["site_code"], "people", ["new_in"], ["released"])
    (late_site,) = missing_on_the_last_day(city, "isolation_site", list(sites.code))
    assert breaks[["site_code", "day"]].values.tolist() == [[late_site, END]]
    # People in each district's sites are the district's streets' centralised isolation.
    district = read(city, s.area).set_index("code").district_code
    people = read(city, s.isolation_people_daily)
    central = (
        people[people.measure == "centralised"].assign(d=lambda f: f.area_code.map(district)).groupby(["d", "day"]).held.sum()
    )
    housed = days.assign(d=days.area_code.map(district)).groupby(["d", "day"]).people.sum()
    both = pd.concat([central, housed], axis=1, keys=["central", "housed"]).fillna(0)
    differ = both[both.central != both.housed].reset_index()
    assert set(differ.day) <= {END}  # where a street or the site did not report


def test_the_planted_single_room_breach_is_the_only_one(city):
    days = read(city, s.isolation_site_daily)
    breach = days[days.people > days.rooms_occupied]
    assert breach.site_code.nunique() == 1
    assert set(breach.day) <= {E[3], E[2], E[1], E[0]} and len(breach) >= 3


def test_the_breach_at_the_default_scale_puts_families_together(sample_database):
    days = read(sample_database[1], s.isolation_site_daily)
    breach = days[days.people > days.rooms_occupied].sort_values("day")
    assert (breach.people - breach.rooms_occupied).tolist()[:3] == [3, 4, 5]


def test_occupancy_at_the_default_scale(sample_database):
    _, engine = sample_database
    sites = read(engine, s.isolation_site).set_index("code")
    days = read(engine, s.isolation_site_daily)
    occupancy = days.rooms_occupied / days.site_code.map(sites.rooms)
    assert 0 < (occupancy > 0.85).mean() < 0.05  # occasionally, in the wave
    by_day = days.groupby("day")[["rooms_occupied"]].sum().rooms_occupied / sites.rooms.sum()
    assert by_day.max() > 0.5 and by_day.min() < 0.1


# ------------------------------------------------------------------ inspections
def test_inspection_figures_hold_together(city):
    rows = read(city, s.inspection_daily)
    assert set(rows.entity_type) <= set(s.INSPECTION_ENTITY_TYPES)
    assert (rows.inspections_passed <= rows.inspections).all()
    assert (rows.problems_found >= rows.inspections - rows.inspections_passed).all()
    assert (sum(rows[f"{item}_failed"] for item in ITEMS) <= rows.problems_found).all()
    for item in ITEMS:
        assert (rows[f"{item}_passed"] + rows[f"{item}_failed"] <= rows.inspections).all()
    # The register item (fever or cough medicine buyers) is checked at pharmacies only.
    pharmacies = rows.entity_type == "pharmacy"
    assert (rows.loc[~pharmacies, ["register_passed", "register_failed"]] == 0).all().all()
    assert (
        rows.loc[pharmacies, "register_passed"] + rows.loc[pharmacies, "register_failed"] == rows.loc[pharmacies, "inspections"]
    ).all()
    assert ((rows.overdue <= rows.open_problems) & (rows.entities_open <= rows.open_problems)).all()
    assert ((rows.inspections == 0) | (rows.inspector_visits >= rows.inspections)).all()
    breaks = balance_breaks(
        rows, ["team_code", "area_code", "entity_type"], "open_problems", ["problems_found"], ["fixed_on_time", "fixed_late"]
    )
    (late_team,) = missing_on_the_last_day(city, "inspection", list(read(city, s.inspection_team).code))
    assert set(breaks.team_code) <= {late_team} and set(breaks.day) <= {END}


def test_the_planted_street_s_pass_rate_falls_and_its_problems_run_overdue(sample_database):
    _, engine = sample_database
    rows = read(engine, s.inspection_daily)
    last_week = rows[rows.day >= E[6]].groupby("area_code")[["inspections", "inspections_passed"]].sum()
    before = rows[rows.day < E[6]]
    rate = last_week.inspections_passed / last_week.inspections
    busiest = rows.groupby("area_code").inspections.sum().idxmax()
    assert rate[busiest] < 0.8
    assert rate.drop(busiest)[last_week.inspections.drop(busiest) >= 30].min() > 0.8
    per_street = before.groupby("area_code")[["inspections", "inspections_passed"]].sum()
    assert per_street.loc[busiest, "inspections_passed"] / per_street.loc[busiest, "inspections"] > 0.88
    overdue_at_end = rows[rows.day == END].groupby("area_code").overdue.sum()
    assert overdue_at_end[busiest] == overdue_at_end.max() > 0


def test_inspections_run_at_zhumadian_s_rates(sample_database):
    """Zhumadian (~7 M people): 1,800 inspector-visits and 1,000+ entity checks a day; in
    all 48,000 checks, 66,000 visits, 110 penalty cases, 216,000 masks seized."""
    _, engine = sample_database
    rows = read(engine, s.inspection_daily)
    residents = read(engine, s.area).query("level == 'city'").residents.iloc[0]
    per_7m = 7_000_000 / residents / SCALES["small"].days
    assert 800 < rows.inspections.sum() * per_7m < 1_200
    assert 1.6 < rows.inspector_visits.sum() / rows.inspections.sum() < 2.0
    assert 0.90 < rows.inspections_passed.sum() / rows.inspections.sum() < 0.97
    assert 1.0 < rows.penalties.sum() / rows.inspections.sum() * 1000 < 4.0  # Zhumadian: 2.3 per 1,000
    assert 1.5 < rows.masks_seized.sum() / rows.inspections.sum() < 8  # Zhumadian: 4.5 per check
    types = rows.groupby("entity_type").inspections.sum()
    assert set(types.index) == set(s.INSPECTION_ENTITY_TYPES) and types.min() > 0.05 * types.sum()


def test_every_unit_reports_every_day_but_the_planted_missing_ones(city):
    submitted = read(city, s.report_submission)
    n_days = submitted.day.nunique()
    for report_type, table in (("isolation_site", s.isolation_site), ("inspection", s.inspection_team)):
        units = read(city, table).code
        counts = submitted[submitted.report_type == report_type].groupby("unit_code").size()
        assert set(counts.index) == set(units)
        assert sorted(counts.value_counts().items()) == [(n_days - 1, 1), (n_days, len(units) - 1)], report_type
    streets = submitted[submitted.report_type == "isolation_people"].groupby("unit_code").size()
    assert (streets == n_days).sum() == len(streets) - 2 and (streets == n_days - 1).sum() == 2
    assert np.all(submitted[submitted.report_type.isin(["isolation_people", "isolation_site", "inspection"])].import_id.isna())
