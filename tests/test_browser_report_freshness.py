"""Report freshness on the grid map in a real browser: the map draws the units in the state
colours, a click on one shows its last report and responsible area without leaving the
filter, the missing units download as a CSV, at desk and tablet sizes, nothing fetched
from outside."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from data_access.reporting import reporting_completeness
from data_access.scope import Scope
from presentation import palette
from presentation.views.report_freshness import STATES
from tests.app_support import ARTIFACTS
from tests.browser_pages import VIEWPORTS, Dashboard

pytestmark = pytest.mark.browser

CITY, LAST_DAY = "418800", dt.date(2022, 4, 30)


def open_reporting(browser, server, size: str, report_type_label: str | None = None) -> Dashboard:
    width, height = VIEWPORTS[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    dashboard = Dashboard(context.new_page(), server.url).open("grid_map", lang="en")
    for label in ("Reporting", report_type_label):
        if label:
            dashboard.page.locator("[data-testid='stButtonGroup'] button", has_text=label).first.click()
            dashboard.wait_until_settled()
    dashboard.page.wait_for_timeout(1500)  # WebGL draws after the script has finished
    return dashboard


def near(pixel, colour, tolerance=60) -> bool:
    return sum(abs(a - b) for a, b in zip(pixel, colour, strict=False)) <= tolerance


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_reporting_map_draws_states_and_a_click_shows_the_unit(browser, dashboard_server, size):
    dashboard = open_reporting(browser, dashboard_server, size)
    page = dashboard.page
    assert dashboard.exceptions() == []
    # Communities filled in the state colours (drawn with some transparency over white).
    blended = {s: tuple(round(c * 190 / 255 + 255 * (1 - 190 / 255)) for c in palette.rgb(palette.FRESHNESS[s])) for s in STATES}
    pixels = dashboard.map_pixels()[::7]
    assert sum(near(p, blended["on_time"]) for p in pixels) > 50, "on-time communities in blue"

    deck = page.locator("[data-testid='stDeckGlJsonChart']").first
    deck.scroll_into_view_if_needed()
    box = deck.bounding_box()
    shown = "() => document.querySelector(\"[class*='st-key-grid_report_details']\")?.innerText.includes('Reporting unit')"
    # A click on a community near the map's centre (a second spot if the first lands on a
    # border, or while the server is busy the first click's rerun is still on its way).
    for x, y in ((0.5, 0.5), (0.45, 0.55), (0.55, 0.45)):
        page.mouse.move(box["x"] + box["width"] * x, box["y"] + box["height"] * y)
        page.wait_for_timeout(300)
        page.mouse.down()
        page.mouse.up()
        try:
            page.wait_for_function(shown, timeout=15_000)
            break
        except PlaywrightTimeout:
            continue
    page.wait_for_function(shown, timeout=15_000)
    dashboard.wait_until_settled()
    panel = page.locator("[class*='st-key-grid_report_details']").inner_text()
    for label in ("Reporting state", "Last report", "Responsible area"):
        assert label in panel
    assert dashboard.title() == "Grid-unit map" and "area" not in dashboard.query, "no drill-down in reporting mode"
    assert dashboard.page_width() <= VIEWPORTS[size][0]
    assert dashboard.outside_requests == []
    dashboard.screenshot(ARTIFACTS / "screenshots" / f"grid_map_reporting_{VIEWPORTS[size][0]}x{VIEWPORTS[size][1]}_en.png")


def test_missing_units_download_as_csv(browser, dashboard_server, sample_database):
    _, engine = sample_database
    counts = reporting_completeness(Scope(CITY, LAST_DAY, LAST_DAY), engine=engine).set_index("report_type")
    dashboard = open_reporting(browser, dashboard_server, "wall", "Vaccination sites")
    missing = int(counts.at["vaccination", "missing"])
    assert missing > 0, "the sample city must have a vaccination site missing, or this proves nothing"
    rows = dashboard.download_csv_of("Units missing the report for")
    assert rows[0][:3] == ["Code", "Reporting unit", "Reporting state"]
    assert len(rows) - 1 == missing
    assert {row[2] for row in rows[1:]} <= {"Missing today", "Missing 2+ days"}
