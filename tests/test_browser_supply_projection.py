"""The stock-out projection and suggested transfers in a real browser (Chromium via
Playwright), on a day of the sample's outbreak wave: at wall and tablet sizes in both
languages the section fits the screen with fingers' worth of targets; the what-if moves the
card; the transfers download as the table shows them; the wall lists the stock-outs."""

from __future__ import annotations

import pytest

from presentation.catalogue import name
from presentation.stock_projection import WhatIf
from presentation.text import text
from tests.app_support import ARTIFACTS
from tests.browser_pages import VIEWPORTS, dashboard_tabs
from tests.test_supply_outlook import CITY, ON_WAVE_DAY, WAVE_DAY, plan_on, projection_on

pytestmark = pytest.mark.browser

SCREENSHOTS = ARTIFACTS / "screenshots"


@pytest.fixture()
def open_dashboard(browser, dashboard_server):
    with dashboard_tabs(browser, dashboard_server.url, accept_downloads=True) as make:
        yield make


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_projection_fits_and_answers_the_what_if(open_dashboard, sample_database, size, lang):
    _, engine = sample_database
    width, height = VIEWPORTS[size]
    dashboard = open_dashboard((width, height))
    dashboard.open("supplies", lang=lang, **ON_WAVE_DAY)
    page = dashboard.page
    page.get_by_text(text("stockout.section", lang, days=14)).scroll_into_view_if_needed()
    assert dashboard.exceptions() == []
    assert dashboard.page_width() <= width, f"wider than the {width}px screen"
    if width < 1920:
        assert dashboard.small_touch_targets() == [], "touch targets under 44 px"
    label = name("supplies.projected_stockouts", lang)
    assert dashboard.kpi(label) == str(len(projection_on(engine, CITY, WAVE_DAY).stockouts()))
    dashboard.screenshot(SCREENSHOTS / f"supplies_projection_{width}x{height}_{lang}.png")

    field = page.locator("[data-testid='stNumberInput']", has_text=text("stockout.what_if.samples_tested", lang)).locator("input")
    field.fill("50")
    field.press("Enter")
    page.wait_for_timeout(300)
    dashboard.wait_until_settled()
    assert dashboard.kpi(label) == str(len(projection_on(engine, CITY, WAVE_DAY, WhatIf(samples_tested=0.5)).stockouts()))
    assert dashboard.outside_requests == []


def test_the_transfers_download_as_shown(open_dashboard, sample_database):
    _, engine = sample_database
    dashboard = open_dashboard()
    dashboard.open("supplies", lang="en", **ON_WAVE_DAY)
    rows = dashboard.download_csv_of(text("stockout.transfers_table", "en", days=7))
    header, body = rows[0], rows[1:]
    quantity = header.index(name("supplies.transfer_quantity", "en"))
    assert [int(row[quantity]) for row in body] == plan_on(projection_on(engine, CITY, WAVE_DAY)).moves["quantity"].tolist()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_wall_lists_the_projected_stockouts(open_dashboard, lang):
    dashboard = open_dashboard((1920, 1080))
    dashboard.open("", mode="wall", lang=lang, rotate="5", **ON_WAVE_DAY)
    board = dashboard.page.locator("div[class*='st-key-wall_view_supplies']")
    board.wait_for(timeout=60_000)
    dashboard.wait_until_settled()
    assert text("stockout.wall_title", lang, days=14) in board.inner_text()
    assert board.locator("li").count() == 6
    assert dashboard.page_width() <= 1920
    dashboard.screenshot(SCREENSHOTS / f"wall_supplies_1920x1080_{lang}.png")
