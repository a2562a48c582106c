"""The data-intake page in a real browser (Chromium via Playwright): a staff member
uploads a good and a bad report and sees the summary and the errors row by row; the
page fits the wall screen and a portrait tablet in both languages, calls no outside host,
and leaves screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from data_access.engine import make_engine
from data_access.ingest import parse_report
from sample_data.generate import generate
from tests.app_support import ARTIFACTS, DashboardServer
from tests.browser_pages import Dashboard

pytestmark = pytest.mark.browser

SCREENSHOTS = ARTIFACTS / "screenshots"
SIZES = {"wall": (1920, 1080), "tablet-portrait": (768, 1024)}
LAST_DAY = "2022-04-30"  # the sample city's last day


class IntakePage(Dashboard):
    """What a staff member does on the data-intake page."""

    def open_intake(self, lang: str) -> IntakePage:
        self.open("data_intake", lang=lang)
        return self

    def choose_tab(self, label: str) -> None:
        self.page.get_by_role("tab", name=label).click()
        self.wait_until_settled()

    def upload(self, files: dict[str, bytes]) -> None:
        chooser = self.page.locator(
            "[data-testid='stFileUploader'] input[type='file']"
        ).first  # the daily reports' (master data has its own)
        chooser.set_input_files([{"name": name, "mimeType": "text/csv", "buffer": data} for name, data in files.items()])
        for name in files:  # each file appears in the uploader once it has been sent
            self.page.locator("[data-testid='stFileUploader']", has_text=name).wait_for()

    def import_as(self, reporter_label: str, name: str, button: str) -> None:
        self.page.get_by_label(reporter_label).fill(name)
        self.page.get_by_role("button", name=button).click()
        self.page.locator("[data-testid='stAlert']").first.wait_for()
        self.wait_until_settled()

    def alerts(self) -> list[str]:
        texts = self.page.locator(
            "[data-testid='stMain'] [data-testid='stAlert'] [data-testid='stMarkdownContainer']"
        ).all_inner_texts()
        return [text.strip() for text in texts]


@pytest.fixture(scope="module")
def intake_server(tmp_path_factory) -> Iterator[tuple[DashboardServer, object]]:
    """A dashboard of its own over the tiny sample city: uploads change its figures."""
    folder = tmp_path_factory.mktemp("intake_browser")
    url = f"sqlite:///{folder / 'tiny.sqlite'}"
    engine = make_engine(url)
    generate(engine, "tiny", log=lambda *_: None)
    server = DashboardServer(url, folder / "streamlit.log")
    try:
        server.wait_ready()
        yield server, engine
    finally:
        server.stop()
        engine.dispose()


@pytest.fixture()
def open_intake(browser, intake_server):
    server, _ = intake_server
    contexts = []

    def make(size=(1920, 1080), lang="zh") -> IntakePage:
        context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN", accept_downloads=True)
        contexts.append(context)
        return IntakePage(context.new_page(), server.url).open_intake(lang)

    yield make
    for context in contexts:
        context.close()


def reports(engine) -> tuple[bytes, bytes]:
    """A zero report (零报告) from every checkpoint for the last day, and a bad report."""
    with engine.connect() as conn:
        codes = [r[0] for r in conn.execute(text("SELECT code FROM checkpoint ORDER BY code"))]
    header = "日期,道口代码,查验车辆,查验人员,体温检测,发热人员"
    good = "\r\n".join([header, *[f"{LAST_DAY},{code},0,0,0,0" for code in codes]]) + "\r\n"
    bad = "\r\n".join([header, f"{LAST_DAY},{codes[0]},12,-3,0,0", f"{LAST_DAY},CP000000000,1,2,2,0"]) + "\r\n"
    return good.encode("gbk"), bad.encode("utf-8-sig")


def test_uploading_a_good_and_a_bad_report(open_intake, intake_server):
    _, engine = intake_server
    good, bad = reports(engine)
    with engine.connect() as conn:
        imports_before = conn.execute(text("SELECT COUNT(*) FROM report_import")).scalar()
    intake = open_intake((1920, 1080), "zh")
    intake.upload({"零报告.csv": good, "有错误.csv": bad})
    intake.import_as("上报人", "浏览器测试员", "校验并导入")

    assert intake.exceptions() == []
    assert "本次共 2 个文件：1 个已导入，1 个未导入。" in intake.alerts()
    text_shown = intake.main_text()
    assert "零报告.csv：已导入 4 行（道口查验（日报）），涉及 4 个上报单位、2022年4月30日。" in text_shown
    assert "有错误.csv：未导入，发现 2 处错误，数据库未作任何改动。" in text_shown
    intake.screenshot(SCREENSHOTS / "data_intake_upload_1920x1080_zh.png")

    rows = intake.download_csv_of("校验结果（逐行）")
    errors = rows[rows.index(["文件", "行", "列", "值", "原因"]) + 1 :]
    assert errors == [
        ["有错误.csv", "2", "查验人员", "-3", "不能为负数"],
        ["有错误.csv", "3", "道口代码", "CP000000000", "系统中没有这个道口代码"],
    ]
    with engine.connect() as conn:
        history = conn.execute(text("SELECT file_name, outcome, rows_accepted, imported_by FROM report_import ORDER BY id")).all()
    assert [tuple(r) for r in history[imports_before:]] == [
        ("零报告.csv", "accepted", 4, "浏览器测试员"),
        ("有错误.csv", "rejected", 0, "浏览器测试员"),
    ]

    # Every checkpoint has now reported for the last day.
    intake.choose_tab("上报情况")
    checkpoint_card = intake.page.locator("[data-testid='stMetric']", has_text="道口").first
    assert checkpoint_card.locator("[data-testid='stMetricValue']").inner_text() == "4 / 4"

    # A template downloads and reads back as its report type.
    intake.choose_tab("模板下载")
    block = intake.page.locator("[data-testid='stLayoutWrapper']", has_text="道口查验（分时段）").last
    with intake.page.expect_download() as download:
        block.get_by_role("button", name="Excel 模板").click()
    template = parse_report(download.value.suggested_filename, download.value.path().read_bytes())
    assert template.report_type.name == "checkpoint_hourly" and [e.code for e in template.errors] == ["header_only"]
    assert intake.outside_requests == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(SIZES))
def test_the_page_fits_and_reads_in_both_languages(open_intake, size, lang):
    width, height = SIZES[size]
    intake = open_intake((width, height), lang)
    zh = lang == "zh"
    assert intake.exceptions() == []
    assert intake.title() == ("数据上报" if zh else "Data intake")
    assert intake.page_width() <= width
    intake.screenshot(SCREENSHOTS / f"data_intake_{width}x{height}_{lang}.png")
    for tab in ["上报情况", "导入记录", "模板下载"] if zh else ["Reporting completeness", "Import history", "Templates"]:
        intake.choose_tab(tab)
        assert intake.exceptions() == []
        assert intake.page_width() <= width, f"{tab} is wider than the {width}px screen"
        slug = {0: "completeness", 1: "history", 2: "templates"}[
            (["上报情况", "导入记录", "模板下载"] if zh else ["Reporting completeness", "Import history", "Templates"]).index(tab)
        ]
        intake.screenshot(SCREENSHOTS / f"data_intake_{slug}_{width}x{height}_{lang}.png")
    assert intake.outside_requests == []
