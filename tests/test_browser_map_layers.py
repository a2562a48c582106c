"""The grid map's isolation colouring in a real browser, on a tablet held upright: the
streets and the isolation sites drawn in their colours, the map's full-screen button clear
of the buttons above the map, a click showing the street's or site's figures without
leaving the filter, nothing fetched from outside. (The inspections colouring draws and
picks the same way: its figures and click are checked headless, tests/test_pages_map_layers.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from presentation import palette
from tests.app_support import ARTIFACTS
from tests.browser_pages import VIEWPORTS, Dashboard

pytestmark = pytest.mark.browser

WAVE = "2022-04-06"  # the sample city's fullest isolation sites: points in every occupancy colour
TOOLBAR_OVER_BUTTONS = """() => {
    const bars = [...document.querySelectorAll("[data-testid='stElementToolbar']")]
        .map(e => e.getBoundingClientRect()).filter(r => r.width > 0);
    return bars.flatMap(b => [...document.querySelectorAll("[data-testid='stButtonGroup'] button")].filter(e => {
        const r = e.getBoundingClientRect();
        return r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom;
    }).map(e => e.innerText));
}"""


def near(pixel, colour, tolerance=45) -> bool:
    return sum(abs(a - b) for a, b in zip(pixel, colour, strict=False)) <= tolerance


def click_near_centre(dashboard: Dashboard, panel_key: str, label: str) -> str:
    """Click the map near its centre (a second spot if the first lands on a border) until
    the panel ``panel_key`` shows ``label``; its text."""
    page = dashboard.page
    box = page.locator("[data-testid='stDeckGlJsonChart']").first.bounding_box()
    shown = f"() => document.querySelector(\"[class*='st-key-{panel_key}']\")?.innerText.includes('{label}')"
    for x, y in ((0.5, 0.5), (0.45, 0.55), (0.55, 0.45)):
        page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)
        try:
            page.wait_for_function(shown, timeout=15_000)
            break
        except PlaywrightTimeout:
            continue
    dashboard.wait_until_settled()
    return page.locator(f"[class*='st-key-{panel_key}']").inner_text()


def test_isolation_on_a_tablet(browser, dashboard_server):
    width, height = VIEWPORTS["tablet-portrait"]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    try:
        dashboard = Dashboard(context.new_page(), dashboard_server.url)
        dashboard.open("grid_map", lang="en", range="custom", start=WAVE, end=WAVE)
        page = dashboard.page
        page.locator("[data-testid='stButtonGroup'] button", has_text="Isolation").first.click()
        dashboard.wait_until_settled()
        page.wait_for_timeout(1500)  # WebGL draws after the script has finished
        assert dashboard.exceptions() == []
        pixels = dashboard.map_pixels()[::3]
        for state in ("green", "orange"):  # sites below 70 % and above 85 %
            assert sum(near(p, palette.rgb(palette.RISK[state])) for p in pixels) > 20, f"{state} sites drawn"
        assert sum(near(p, palette.rgb(palette.HOME_MEASURES_RAMP[-1]), 90) for p in pixels) > 200, "streets in purples"

        page.locator("[data-testid='stDeckGlJsonChart']").first.hover()
        page.wait_for_timeout(300)
        assert page.evaluate(TOOLBAR_OVER_BUTTONS) == [], "the full-screen button covers no button"
        panel = click_near_centre(dashboard, "grid_isolation_details", "Street / town")
        assert "Isolated or monitored at home" in panel or "Room occupancy" in panel
        assert "area" not in dashboard.query, "no drill-down"
        assert dashboard.page_width() <= width
        assert dashboard.exceptions() == [] and dashboard.outside_requests == []
        dashboard.screenshot(ARTIFACTS / "screenshots" / f"grid_map_isolation_{width}x{height}_en.png")
    finally:
        context.close()
