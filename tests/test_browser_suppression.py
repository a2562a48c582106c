"""Small-count suppression in a real browser: a dashboard server with suppression on for
the screen, the testing page of a street (its communities) and of one community at wall,
tablet-landscape and tablet-portrait sizes in both languages — no exception, nothing wider
than the screen, no small count shown, screenshots kept — and the CSV and XLSX the
street's table downloads, as a user gets them."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from presentation.catalogue import name
from presentation.suppression import WITHHELD_MARK
from presentation.text import text
from tests.app_support import ARTIFACTS, DashboardServer
from tests.browser_pages import VIEWPORTS, dashboard_tabs
from tests.test_suppression_pages import SMALL_COMMUNITY, STREET, community_positives

pytestmark = pytest.mark.browser

SCREENSHOTS = ARTIFACTS / "screenshots"
ON_SCREEN = {"DASHBOARD_SUPPRESSION_ENABLED": "true", "DASHBOARD_SUPPRESSION_ON_SCREEN": "true"}


@pytest.fixture(scope="module")
def suppressing_server(sample_database, tmp_path_factory):
    url, _ = sample_database
    server = DashboardServer(url, tmp_path_factory.mktemp("suppression") / "streamlit.log", extra_env=ON_SCREEN)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture()
def open_dashboard(browser, suppressing_server):
    with dashboard_tabs(browser, suppressing_server.url, accept_downloads=True) as make:
        yield make


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_a_street_and_a_community_with_small_counts_suppressed_on_screen(open_dashboard, size, lang):
    width, height = VIEWPORTS[size]
    dashboard = open_dashboard((width, height))
    dashboard.open("testing", area=STREET, range="30d", lang=lang)
    assert dashboard.exceptions() == []
    assert dashboard.page_width() <= width
    block = dashboard.page.locator("[data-testid='stLayoutWrapper']", has_text=text("test.by_area", lang)).last
    block.scroll_into_view_if_needed()
    cells = _grid_text(block)
    assert "<5" in cells and WITHHELD_MARK in cells, cells
    dashboard.screenshot(SCREENSHOTS / f"suppression_street_{width}x{height}_{lang}.png")
    dashboard.page.screenshot(path=str(SCREENSHOTS / f"suppression_street_table_{width}x{height}_{lang}.png"), full_page=True)

    dashboard.open("testing", area=SMALL_COMMUNITY, range="30d", lang=lang)
    assert dashboard.exceptions() == []
    assert dashboard.page_width() <= width
    assert dashboard.kpi(name("testing.positives", lang)) == "<5"
    assert text("suppression.chart_as_table", lang) in dashboard.main_text()
    dashboard.screenshot(SCREENSHOTS / f"suppression_community_{width}x{height}_{lang}.png")
    assert dashboard.outside_requests == []


def _grid_text(block, timeout_ms: int = 10_000) -> str:
    """The text of a table block's data grid (a canvas: read through its accessible cells,
    which the grid fills in once it has drawn)."""
    cells = block.locator("[role='gridcell']")
    for _ in range(timeout_ms // 250):
        if cells.count() and any(cells.all_inner_texts()):
            break
        block.page.wait_for_timeout(250)
    return " ".join(cells.all_inner_texts())


def test_the_street_table_downloads_with_small_counts_suppressed(open_dashboard, sample_database):
    _, engine = sample_database
    dashboard = open_dashboard((1920, 1080)).open("testing", area=STREET, range="30d", lang="en")
    exact = community_positives(engine)
    column = name("testing.positives", "en")
    rows = dashboard.download_csv_of("Testing by area")
    header, body, total = rows[0], rows[1:-1], rows[-1]
    at = header.index(column)
    assert total[0] == "Total" and int(total[at]) == sum(exact.values())
    assert not [row[at] for row in body if row[at] in ("1", "2", "3", "4")]
    assert "<5" in [row[at] for row in body] and WITHHELD_MARK in [row[at] for row in body]

    block = dashboard.page.locator("[data-testid='stLayoutWrapper']", has_text="Testing by area").last
    with dashboard.page.expect_download() as download:
        block.locator("[data-testid='stDownloadButton'] button").nth(1).click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book.worksheets[0]
    values = [row[at] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values[-1] == sum(exact.values())
    assert not [v for v in values[:-1] if v in (1, 2, 3, 4)]
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["Suppression"].startswith("Small counts suppressed")
