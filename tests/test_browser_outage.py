"""The wall through an outage, in a real browser: the database file is moved away under a
running server (the process notices: tests/test_sqlite_safety.py). At its next refresh the
wall shows the outage banner with the age of its figures and keeps the figures; when the
file is back, the banner goes at a later refresh, without a reload."""

from __future__ import annotations

import pytest

from tests.app_support import ARTIFACTS, DashboardServer, sqlite_copy
from tests.browser_pages import Dashboard, launch_browser

pytestmark = pytest.mark.browser

BANNER = "数据库暂时无法访问"


@pytest.fixture(scope="module")
def outage_server(sample_database, tmp_path_factory):
    folder = tmp_path_factory.mktemp("outage")
    copy = folder / "wall.sqlite"
    sqlite_copy(sample_database[0], copy)
    server = DashboardServer(
        f"sqlite:///{copy}", folder / "streamlit.log", {"DASHBOARD_CACHE_TTL_SECONDS": "1", "DASHBOARD_OUTAGE_RETRY_S": "2"}
    )
    try:
        server.wait_ready()
        yield server, copy
    finally:
        server.stop()


def figures(wall: Dashboard) -> list[str]:
    return wall.page.locator("[data-testid='stMetricValue']").all_inner_texts()


def test_the_wall_keeps_its_figures_with_their_age_through_an_outage(outage_server):
    from playwright.sync_api import sync_playwright

    server, database = outage_server
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            wall = Dashboard(page, server.url).open("", mode="wall", refresh="10")
            before = figures(wall)
            assert before and BANNER not in wall.main_text()

            moved = database.with_name("moved-away.sqlite")
            database.rename(moved)  # as an operator's `mv` or a full disk's cleanup would
            try:
                page.wait_for_function(f"() => document.body.innerText.includes('{BANNER}')", timeout=30_000)
                wall.wait_until_settled()  # the header fragment's run has finished
                assert wall.page.locator(".wall-header").count() == 1
                text = wall.main_text()
                assert "分钟前" in text, "the banner says how old the figures are"
                assert figures(wall) == before, "the wall keeps the figures it had"
                assert wall.exceptions() == []
                wall.screenshot(ARTIFACTS / "screenshots" / "wall_outage_1920x1080_zh.png")
            finally:
                moved.rename(database)
            page.wait_for_function(f"() => !document.body.innerText.includes('{BANNER}')", timeout=40_000)
            assert figures(wall) == before
        finally:
            browser.close()
