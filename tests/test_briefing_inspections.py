"""The daily briefing's inspections section 督导检查 on the sample city: the day's figures
and the day before's against raw SQL, a community counted for its street, the rows and
the chart in both languages."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from briefing.content import build_briefing
from briefing.html import render_html
from presentation.catalogue import name
from presentation.text import text
from tests.app_support import sql_scalar

CITY, COMMUNITY, STREET = "418800", "418801001001", "418801001"
DAY = dt.date(2022, 4, 30)
GENERATED = dt.datetime(2022, 5, 1, 0, 30, tzinfo=dt.UTC)
COUNTS = ("inspections", "inspector_visits", "problems_found", "overdue", "penalties")


def on_day(engine, column: str, prefix: str, day: dt.date) -> int:
    return sql_scalar(
        engine,
        f"SELECT COALESCE(SUM({column}), 0) FROM inspection_daily WHERE area_code LIKE :prefix AND day = :day",
        prefix=prefix,
        day=day.isoformat(),
    )


@pytest.fixture(scope="module")
def city(sample_database):
    return build_briefing(CITY, DAY, engine=sample_database[1], now=GENERATED)


def test_the_days_figures_match_the_database(city, sample_database):
    _, engine = sample_database
    section = city.section("inspections")
    assert section.has_day and section.counted_in is None
    for day, value in ((DAY, "value"), (DAY - dt.timedelta(days=1), "previous")):
        for column in COUNTS:
            assert getattr(city.figure(f"inspections.{column}"), value) == on_day(engine, column, "4188%", day), column
        passed, checks = on_day(engine, "inspections_passed", "4188%", day), on_day(engine, "inspections", "4188%", day)
        assert getattr(city.figure("inspections.pass_rate"), value) == pytest.approx(passed / checks)
    # The chart: entity checks (bars) and problems found (right axis) over 30 days, the day last.
    checks, problems = section.chart.series
    assert (checks.label, problems.label, problems.right_axis) == ("inspections.inspections", "inspections.problems_found", True)
    assert checks.values[-1] == on_day(engine, "inspections", "4188%", DAY) and len(checks.values) == 30


def test_a_community_is_counted_for_its_street(sample_database):
    _, engine = sample_database
    briefing = build_briefing(COMMUNITY, DAY, engine=engine, now=GENERATED)
    section = briefing.section("inspections")
    assert section.counted_level == "street" and section.counted_in.zh.endswith(("街道", "镇", "乡"))
    figure = briefing.figure("inspections.inspections")
    assert figure.previous == on_day(engine, "inspections", f"{STREET}%", DAY - dt.timedelta(days=1)) > 0
    # Its street's teams sent no row for the last day: "not reported", not 0.
    rows = sql_scalar(
        engine, "SELECT COUNT(*) FROM inspection_daily WHERE area_code = :street AND day = :day", street=STREET, day=DAY
    )
    assert rows == 0 and figure.value is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_section_in_both_languages(city, lang):
    html = render_html(city, lang)
    assert text("domain.inspections", lang) in html and text("briefing.chart.inspections", lang) in html
    assert 'data-domain="inspections"' in html
    row = re.search(r'<tr data-figure="inspections.inspections"[^>]*><td>(.*?)</td><td class="num value">(.*?)</td>', html)
    assert row and row.group(1) == name("inspections.inspections", lang)
    if lang == "zh":
        assert row.group(2).endswith("家次")  # counts read with their unit in Chinese
    pass_rate = re.search(r'<tr data-figure="inspections.pass_rate"[^>]*>.*?<td class="num value">(.*?)</td>', html)
    assert pass_rate and pass_rate.group(1).endswith("%")
