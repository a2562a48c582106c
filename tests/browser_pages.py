"""Page objects for browser tests: what a user does on the dashboard, not CSS selectors.

``Dashboard`` wraps a Playwright page: open a view with a filter, wait for Streamlit to
settle, pick an area in the sidebar, switch pages, and read what is on screen. The
``browser`` fixture (``launch_browser`` once per test module) is in tests/conftest.py.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # WebGL (the pydeck map) on the CPU in a headless browser without a GPU.
    "--enable-unsafe-swiftshader",
]
VIEWPORTS = {"wall": (1920, 1080), "tablet-landscape": (1024, 768), "tablet-portrait": (768, 1024)}


def launch_browser(playwright, extra_args: tuple[str, ...] = ()):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed: apt-get install -y chromium fonts-noto-cjk (make test does this as root)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args])


@contextmanager
def dashboard_tabs(browser, base_url: str, **context_options) -> Iterator:
    """``make(viewport)``: a Dashboard in a new browser context of that size (with
    ``context_options``, e.g. ``accept_downloads=True``); every context closed at the end."""
    contexts = []

    def make(viewport=(1920, 1080)) -> Dashboard:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, **context_options)
        contexts.append(context)
        return Dashboard(context.new_page(), base_url)

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


class Dashboard:
    """One browser tab on the dashboard at ``base_url``."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.outside_requests: list[str] = []
        page.on("request", self._record_request)

    def _record_request(self, request) -> None:
        url = request.url
        if not url.startswith((self.base_url, "data:", "blob:", "ws://127.0.0.1", "http://127.0.0.1")):
            self.outside_requests.append(url)

    # ---- navigation and waiting
    def open(self, path: str = "", **params: str) -> Dashboard:
        query = f"?{urlencode(params)}" if params else ""
        self.page.goto(f"{self.base_url}/{path}{query}")
        self.wait_until_settled()
        return self

    def wait_until_settled(self, timeout: float = 60) -> None:
        """Until the script has finished, no element is still a loading skeleton and the
        main area holds something, three times in a row (a page can rerun right after its
        first run). A page that has just loaded says "not running" with an empty main area
        until its session connects and its script starts: on a busy machine that took
        longer than the three checks."""
        deadline = time.monotonic() + timeout
        calm = 0
        states: list[str] = []  # what kept it from settling, for the message
        while time.monotonic() < deadline:
            state = self.page.evaluate(
                """() => [document.querySelector("[data-testid='stApp']")?.getAttribute("data-test-script-state") ?? "no app",
                          document.querySelectorAll("[data-testid='stSkeleton']").length,
                          !!document.querySelector("[data-testid='stMain']"),
                          document.querySelectorAll("[data-testid='stMain'] [data-testid='stElementContainer']").length]"""
            )
            settled = state[0] == "notRunning" and state[1] == 0 and state[2] and state[3] > 0
            calm = calm + 1 if settled else 0
            if calm >= 3:
                return
            summary = f"{state[0]}, {state[1]} skeletons{'' if state[2] else ', no main'}{'' if state[3] else ', nothing drawn'}"
            if not states or states[-1] != summary:
                states.append(summary)
            self.page.wait_for_timeout(200)
        raise TimeoutError(
            f"the dashboard did not settle in {timeout:.0f} s at {self.page.url}; it went through: {' → '.join(states[-12:])}"
        )

    def go_to_page(self, label: str) -> None:
        """Click a page in the sidebar menu (the link carries the filter)."""
        self.page.locator("[data-testid='stSidebar'] [data-testid='stPageLink'] a", has_text=label).first.click()
        self.page.wait_for_timeout(300)
        self.wait_until_settled()

    def choose_district(self, label: str, name: str) -> None:
        box = self.page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']", has_text=label).first
        box.click()
        self.page.get_by_role("option", name=name, exact=True).click()
        self.page.wait_for_timeout(300)
        self.wait_until_settled()

    # ---- reading the screen
    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlparse(self.page.url).query)

    def title(self) -> str:
        return self.page.locator("h1").first.inner_text()

    def exceptions(self) -> list[str]:
        return self.page.locator("[data-testid='stException']").all_inner_texts()

    def sidebar_text(self) -> str:
        return self.page.locator("[data-testid='stSidebar']").inner_text()

    def selected_in(self, label: str) -> str:
        """The value shown in the sidebar select box labelled ``label``."""
        box = self.page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']", has_text=label).first
        return box.locator("input").input_value()

    def scope_caption(self) -> str:
        """The line under the page title: area · dates."""
        return self.page.locator("[data-testid='stMain'] [data-testid='stCaptionContainer']").first.inner_text()

    def page_width(self) -> int:
        """The widest scrollable content: the document and Streamlit's main scroll area."""
        return self.page.evaluate(
            """() => Math.max(document.documentElement.scrollWidth,
                              ...[...document.querySelectorAll("[data-testid='stMain'], [data-testid='stAppViewContainer']")]
                                 .map(e => e.scrollWidth))"""
        )

    def small_touch_targets(self, minimum: int = 44) -> list[str]:
        """Visible links, buttons, toggles and inputs in the main area and sidebar that are
        lower than ``minimum`` px (a finger needs about 44 px)."""
        return self.page.evaluate(
            """(minimum) => {
                const targets = document.querySelectorAll(
                  "[data-testid='stPageLink'] a, button[data-testid^='stBaseButton'], [data-testid='stSelectbox'] [role='group'], " +
                  "[data-testid='stCheckbox'] label, [data-testid='stNumberInput'] [data-baseweb='input'], [data-testid='stDateInput'] [data-baseweb='input']");
                return [...targets].filter(e => {
                  const r = e.getBoundingClientRect();
                  return r.width > 0 && r.height > 0 && r.height < minimum - 0.5;
                }).map(e => `${e.getAttribute('data-testid') || e.tagName}: ${e.innerText.slice(0, 30)} (${e.getBoundingClientRect().height}px)`);
            }""",
            minimum,
        )

    def main_text(self) -> str:
        return self.page.locator("[data-testid='stMain']").inner_text()

    def download_csv_of(self, block_title: str) -> list[list[str]]:
        """The rows of the CSV that the table block titled ``block_title`` offers, without
        the ``#`` lines that say what the export is."""
        block = self.page.locator("[data-testid='stLayoutWrapper']", has_text=block_title).last
        with self.page.expect_download() as download:
            block.locator("[data-testid='stDownloadButton'] button").first.click()
        rows = csv.reader(io.StringIO(download.value.path().read_bytes().decode("utf-8-sig")))
        return [row for row in rows if row and not row[0].startswith("#")]

    def kpi(self, label: str) -> str:
        card = self.page.locator("[data-testid='stMetric']", has_text=label).first
        return card.locator("[data-testid='stMetricValue']").inner_text()

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path))
        return path

    def map_pixels(self) -> list[tuple[int, int, int]]:
        """The pydeck map's pixels (RGB), read from a screenshot of its element."""
        from io import BytesIO

        from PIL import Image

        element = self.page.locator("[data-testid='stDeckGlJsonChart']").first
        image = Image.open(BytesIO(element.screenshot())).convert("RGB")
        return list(image.get_flattened_data())
