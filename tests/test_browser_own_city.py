"""A command centre loads its own city in the browser, from an empty database: the root
made on the command line, then areas from the public division-code list, the district
boundary, centre points, checkpoints and one day of reports, all through the Data
intake page. The overview, the map and completeness then show them. Screenshots at the
three sizes in both languages."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from data_access import audit
from data_access.areas import master_data_counts
from data_access.engine import make_engine
from data_access.ingest.validate import local_today
from presentation.catalogue import name as figure_name
from tests.app_support import ARTIFACTS, PROJECT_ROOT, DashboardServer
from tests.browser_pages import VIEWPORTS, Dashboard
from ui.i18n import t

pytestmark = pytest.mark.browser

SCREENSHOTS = ARTIFACTS / "screenshots"
REFERENCE = PROJECT_ROOT / "tests" / "reference_data"
DAY = local_today().isoformat()
CENTRES = (
    "区划代码 (code),上级代码 (parent_code),层级 (level),名称 (name_zh),常住人口 (residents),户数 (households),中心经度 (lon),中心纬度 (lat)\r\n"
    "370212001,370212,街道,中韩街道,180000,62000,120.455,36.115\r\n"
    "370212002,370212,街道,沙子口街道,70000,25000,120.545,36.125\r\n"
    "370212003,370212,街道,王哥庄街道,60000,21000,120.645,36.255\r\n"
    "370212004,370212,街道,北宅街道,30000,11000,120.545,36.245\r\n"
    "370212005,370212,街道,金家岭街道,110000,40000,120.455,36.095\r\n"
).encode()
CHECKPOINTS = (
    "道口代码 (code),名称 (name_zh),类型 (kind),车道数 (lanes),所在区划代码 (area_code),经度 (lon),纬度 (lat)\r\n"
    "CP370212001,沙子口高速出口道口,高速出口,4,370212002,120.55,36.12\r\n"
    "CP370212002,王哥庄省道道口,省道,2,370212003,120.64,36.25\r\n"
).encode()
REPORT = (f"日期,道口代码,查验车辆,查验人员,体温检测,发热人员\r\n{DAY},CP370212001,3200,5400,5400,1\r\n").encode()


@pytest.fixture(scope="module")
def own_city(tmp_path_factory) -> Iterator[tuple[DashboardServer, object]]:
    folder = tmp_path_factory.mktemp("own_city")
    url = f"sqlite:///{folder / 'laoshan.sqlite'}"
    created = subprocess.run(
        [sys.executable, "-m", "data_access.setup", "--database-url", url, "new", "--code", "370212", "--name", "崂山区"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    server = DashboardServer(url, folder / "streamlit.log", extra_env={"DASHBOARD_AUTH_MODE": "open"})
    engine = make_engine(url)
    try:
        server.wait_ready()
        yield server, engine
    finally:
        server.stop()
        engine.dispose()


class IntakeDesk(Dashboard):
    def master_upload(self, kind_label: str, name: str, data: bytes, mime: str = "text/csv") -> str:
        self.open("data_intake")
        self.page.get_by_role("tab", name=t("intake.tab.master", "zh")).click()
        box = self.page.locator("[data-testid='stSelectbox']", has_text=t("master.kind", "zh"))
        box.click()
        self.page.get_by_role("option", name=kind_label, exact=True).click()
        self.wait_until_settled()
        # The master-data form is the one whose uploader takes GeoJSON too.
        form = self.page.locator("[data-testid='stForm']", has=self.page.locator("input[accept*='geojson']"))
        form.locator("input[type='file']").set_input_files([{"name": name, "mimeType": mime, "buffer": data}])
        form.locator("[data-testid='stFileUploader']", has_text=name).wait_for()
        form.get_by_label(t("master.importer", "zh")).fill("区指挥部 张工")
        form.get_by_role("button", name=t("master.submit", "zh")).click()
        self.page.locator("[data-testid='stAlert']", has_text=name).first.wait_for()
        self.wait_until_settled()
        return self.page.locator("[data-testid='stAlert']", has_text=name).first.inner_text()


def test_a_new_command_centre_loads_its_own_city(browser, own_city):
    server, engine = own_city
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    desk = IntakeDesk(context.new_page(), server.url)

    desk.open()
    assert t("master.first_run_title", "zh") in desk.main_text()
    assert t("app.sample_badge", "zh") not in desk.sidebar_text()  # real data: no sample badge
    desk.screenshot(SCREENSHOTS / "own_city_first_run_1920x1080_zh.png")

    assert "5" in desk.master_upload("区划与网格", "laoshan_streets.csv", (REFERENCE / "laoshan_streets.csv").read_bytes())
    assert "167" in desk.master_upload("区划与网格", "laoshan_villages.csv", (REFERENCE / "laoshan_villages.csv").read_bytes())
    assert "更新边界 1 个" in desk.master_upload(
        "边界（GeoJSON）", "laoshan.geojson", (REFERENCE / "laoshan_boundary.geojson").read_bytes(), "application/geo+json"
    )
    desk.master_upload("区划与网格", "centres.csv", CENTRES)
    assert "新增 2" in desk.master_upload("道口", "checkpoints.csv", CHECKPOINTS)
    assert master_data_counts(engine) == {"areas": 172, "boundaries": 1, "facilities": 2, "reports": 0}
    with desk.page.expect_download() as download:  # the tab still shows checkpoints: their export
        desk.page.get_by_role("button", name=t("master.export", "zh")).click()
    exported = download.value.path().read_text(encoding="utf-8-sig")
    assert exported.count("\n") == 1 + 2 and "CP370212001" in exported and "CP370212002" in exported
    assert audit.audit_events(action=audit.EXPORT, engine=engine)["detail"].tolist() == [
        "master data checkpoints: checkpoints.csv"
    ]

    # A day of reports through the ordinary upload.
    desk.open("data_intake")
    desk.page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
        [{"name": "道口日报.csv", "mimeType": "text/csv", "buffer": REPORT}]
    )
    desk.page.locator("[data-testid='stFileUploader']", has_text="道口日报.csv").wait_for()
    desk.page.get_by_label(t("intake.reporter", "zh")).first.fill("区指挥部 张工")
    desk.page.get_by_role("button", name=t("intake.submit", "zh")).click()
    desk.page.locator("[data-testid='stAlert']").first.wait_for()
    desk.wait_until_settled()
    assert "道口日报.csv" in desk.main_text() and "已导入" in desk.main_text()

    # The overview counts it, completeness expects both checkpoints, the map draws the streets.
    for lang in ("zh", "en"):
        desk.open(lang=lang)
        assert t("master.first_run_title", lang) not in desk.main_text()
        assert desk.kpi(figure_name("checkpoints.people", lang)).replace(",", "") == "5400"
        for name, size in VIEWPORTS.items():
            desk.page.set_viewport_size({"width": size[0], "height": size[1]})
            desk.wait_until_settled()
            assert desk.page_width() <= size[0] + 1, (name, lang)
            desk.screenshot(SCREENSHOTS / f"own_city_overview_{name}_{lang}.png")
        desk.page.set_viewport_size({"width": 1920, "height": 1080})
        desk.open("grid_map", lang=lang)
        assert t("grid.approximate", lang, n=5) in desk.main_text()
        pixels = desk.map_pixels()
        assert sum(1 for p in pixels if p != (255, 255, 255)) > len(pixels) * 0.05  # cells drawn
        for name, size in VIEWPORTS.items():
            desk.page.set_viewport_size({"width": size[0], "height": size[1]})
            desk.wait_until_settled()
            desk.screenshot(SCREENSHOTS / f"own_city_map_{name}_{lang}.png")
        desk.page.set_viewport_size({"width": 1920, "height": 1080})
    # Every view opens on a city that has only checkpoints so far.
    for path in ("checkpoints", "testing", "supplies", "vaccination", "grid_map"):
        for params in ({}, {"area": "370212002", "range": "7d"}):
            desk.open(path, **params)
            assert desk.exceptions() == [] and "error" not in desk.main_text().lower(), (path, params)
    desk.open("data_intake")
    desk.page.get_by_role("tab", name=t("intake.tab.completeness", "zh")).click()
    desk.wait_until_settled()
    assert desk.exceptions() == []
    desk.screenshot(SCREENSHOTS / "own_city_completeness_1920x1080_zh.png")
    context.close()
