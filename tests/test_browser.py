"""Every page in a real browser (Chromium via Playwright) at wall, tablet-landscape and
tablet-portrait sizes, in both languages: no exception box, no request to any host but
the app, nothing wider than the screen, a screenshot kept in test-artifacts/screenshots/.
Plus a forwarded link keeping its filter across pages, and the map's coloured polygons."""

from __future__ import annotations

import pytest

from tests.app_support import ARTIFACTS
from tests.browser_pages import VIEWPORTS, Dashboard

pytestmark = pytest.mark.browser

SCREENSHOTS = ARTIFACTS / "screenshots"
PAGES = {
    "overview": ("总览", "Overview"),
    "checkpoints": ("道口通行", "Checkpoint throughput"),
    "testing": ("核酸检测", "Testing volume"),
    "supplies": ("物资保障", "Supplies against daily capacity"),
    "vaccination": ("疫苗接种", "Vaccination coverage"),
    "isolation": ("隔离管控", "Isolation and observation"),
    "inspections": ("督导检查", "Inspections and enforcement"),
    "grid_map": ("网格地图", "Grid-unit map"),
    "definitions": ("指标说明", "Definitions"),
}
RISK_RGB = [(46, 157, 72), (242, 193, 46), (240, 127, 30), (215, 38, 30)]


@pytest.fixture()
def open_dashboard(browser, dashboard_server):
    contexts = []

    def make(viewport=(1920, 1080)) -> Dashboard:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN")
        contexts.append(context)
        return Dashboard(context.new_page(), dashboard_server.url)

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_every_page_renders_and_fits(open_dashboard, size, lang):
    width, height = VIEWPORTS[size]
    dashboard = open_dashboard((width, height))
    for page, titles in PAGES.items():
        # The overview is the default page: its address is the app's root.
        dashboard.open("" if page == "overview" else page, lang=lang, range="30d" if page != "overview" else "latest")
        assert dashboard.exceptions() == [], f"{page}: exception box"
        # Streamlit's automatic page list (from the pages/ folder) never shows.
        assert dashboard.page.locator("[data-testid='stSidebarNav']").count() == 0
        assert dashboard.title() == titles[0 if lang == "zh" else 1]
        assert dashboard.page_width() <= width, f"{page} is wider than the {width}px screen"
        if width < 1920:
            assert dashboard.small_touch_targets() == [], f"{page}: touch targets under 44 px"
        dashboard.screenshot(SCREENSHOTS / f"{page}_{width}x{height}_{lang}.png")
    assert dashboard.outside_requests == [], "the dashboard must not call any host but its own"


def test_forwarded_link_keeps_its_filter_across_pages(open_dashboard):
    dashboard = open_dashboard((1920, 1080)).open("testing", area="418802", range="7d", lang="en")
    assert dashboard.exceptions() == []
    assert dashboard.selected_in("District") == "Xishan District"
    dashboard.go_to_page("Supplies")
    assert dashboard.title() == "Supplies against daily capacity"
    assert dashboard.query.get("area") == ["418802"]
    assert dashboard.query.get("range") == ["7d"]
    assert dashboard.query.get("lang") == ["en"]
    assert "Last 7 days" in dashboard.sidebar_text()
    assert dashboard.selected_in("District") == "Xishan District"
    assert dashboard.scope_caption() == "Xishan District · 24 Apr 2022 – 30 Apr 2022"


def test_choosing_a_district_updates_the_url_and_the_figures(open_dashboard):
    dashboard = open_dashboard((1920, 1080)).open("checkpoints", lang="en", range="7d")
    city_people = dashboard.kpi("People checked")
    dashboard.choose_district("District", "Xishan District")
    assert dashboard.query.get("area") == ["418802"]
    assert dashboard.kpi("People checked") != city_people


def test_map_shows_polygons_in_risk_colours(open_dashboard):
    dashboard = open_dashboard((1920, 1080)).open("grid_map", lang="zh")
    dashboard.page.wait_for_timeout(1500)  # WebGL draws after the script has finished
    pixels = dashboard.map_pixels()

    def near(pixel, colour, tolerance=60):
        return sum(abs(a - b) for a, b in zip(pixel, colour, strict=False)) <= tolerance

    # Polygons are drawn with some transparency over a white page: blend before comparing.
    blended = [tuple(round(c * 190 / 255 + 255 * (1 - 190 / 255)) for c in rgb) for rgb in RISK_RGB]
    coloured = {i for i, colour in enumerate(blended) if sum(near(p, colour) for p in pixels[::7]) > 50}
    assert len(coloured) >= 2, f"expected polygons in at least two risk colours, saw {coloured}"


def test_a_one_day_range_draws_its_trend_with_the_30_days_before_it(open_dashboard):
    """The default filter is the latest day: the checkpoints trend still draws a month of
    points, the selected day under a highlighted band with larger points."""
    dashboard = open_dashboard()
    dashboard.open("checkpoints", lang="en", range="latest")
    chart = dashboard.page.locator("[data-testid='stVegaLiteChart']").first
    chart.locator("svg g.mark-symbol path").first.wait_for()
    points = chart.locator("svg g.mark-symbol path")
    assert points.count() >= 2 * 7, "two series of at least 7 days each"
    assert chart.locator("svg g.mark-rect path").count() == 1, "one band over the selected day"
    # Larger points mark the selected day: one per series.
    areas = points.evaluate_all("paths => paths.map(p => { const b = p.getBBox(); return Math.round(b.width * b.height); })")
    assert sorted(areas)[-2] > 2 * sorted(areas)[0] and sum(a == max(areas) for a in areas) == 2
    dashboard.screenshot(SCREENSHOTS / "trend_context_1920x1080_en.png")
