"""The wall screen in a real browser: no sidebar, big figures, rotation on the configured
interval, and figures that refresh themselves when new data reaches the database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from data_access.engine import make_engine
from presentation import formatting as fmt
from presentation.catalogue import name
from presentation.text import text as message
from presentation.views.wall import VIEWS
from tests.app_support import ARTIFACTS, DashboardServer, sqlite_copy
from tests.browser_pages import Dashboard, launch_browser

pytestmark = pytest.mark.browser

VIEW_TITLES = [message(f"wall.view.{view}", "zh") for view in VIEWS]  # in the order they rotate


@pytest.fixture(scope="module")
def wall_server(sample_database, tmp_path_factory):
    """A server of its own on a copy of the sample database (the test writes to it), with
    a 1-second query cache so a refresh sees new data at once."""
    folder = tmp_path_factory.mktemp("wall")
    copy = folder / "wall.sqlite"
    sqlite_copy(sample_database[0], copy)
    server = DashboardServer(f"sqlite:///{copy}", folder / "streamlit.log", {"DASHBOARD_CACHE_TTL_SECONDS": "1"})
    try:
        server.wait_ready()
        yield server, make_engine(f"sqlite:///{copy}")
    finally:
        server.stop()


@pytest.fixture(scope="module")
def wall(wall_server):
    from playwright.sync_api import sync_playwright

    server, _ = wall_server
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        dashboard = Dashboard(page, server.url).open(
            "", mode="wall", rotate="5", refresh="10"
        )  # the shortest intervals a link may ask for
        yield dashboard
        browser.close()


def current_view(dashboard: Dashboard) -> str:
    heading = dashboard.page.locator("[data-testid='stMain'] h3").first.inner_text()
    return next((title for title in VIEW_TITLES if title in heading), heading)


def test_wall_has_no_sidebar_and_fills_the_screen(wall):
    assert wall.exceptions() == []
    assert not wall.page.locator("[data-testid='stSidebar']").is_visible()
    assert not wall.page.locator("[data-testid='stToolbar']").is_visible()
    assert wall.page_width() <= 1920
    value = wall.page.locator("[data-testid='stMetricValue'] p").first
    size = float(value.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert size >= 50, f"KPI figures must read from 5 m: {size}px"
    assert wall.outside_requests == []
    wall.screenshot(ARTIFACTS / "screenshots" / "wall_1920x1080_zh.png")


def test_wall_rotates_to_the_next_view(wall):
    first = current_view(wall)
    wall.page.wait_for_function(
        "(first) => { const h = document.querySelector(\"[data-testid='stMain'] h3\"); return h && !h.innerText.includes(first); }",
        arg=first,
        timeout=15_000,
    )
    second = current_view(wall)
    assert second != first
    assert VIEW_TITLES.index(second) == (VIEW_TITLES.index(first) + 1) % len(VIEW_TITLES)


def test_wall_refreshes_figures_and_rolls_over_to_a_new_day(wall, wall_server):
    _, engine = wall_server
    new_day = dt.date(2022, 5, 1)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO checkpoint_daily SELECT :new_day, checkpoint_code, vehicles, people + 1000, temperature_checks, fever, "
                "code_yellow, code_red, risk_area_arrivals, turned_back, to_fever_clinic, staffed_hours "
                "FROM checkpoint_daily WHERE day = :last_day"
            ),
            {"new_day": new_day.isoformat(), "last_day": "2022-04-30"},
        )
        people = conn.execute(
            text("SELECT SUM(people) FROM checkpoint_daily WHERE day = :d"), {"d": new_day.isoformat()}
        ).scalar()
    expected = fmt.count(people, "zh", compact=True)
    card = wall.page.locator("[data-testid='stMetric']", has_text=name("checkpoints.people", "zh")).locator(
        "[data-testid='stMetricValue']"
    )
    wall.page.wait_for_function(
        "([el, want]) => el && el.innerText.trim() === want",
        arg=[card.element_handle(), expected],
        timeout=30_000,
    )
    header = wall.page.locator(".wall-data-time").inner_text()
    assert fmt.day(new_day, "zh") in header, "the latest-day filter rolled over to the new day"
