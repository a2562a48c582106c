"""The data-intake page headless (Streamlit AppTest), on the hand-built test city: its
sections in both languages, an upload of a good and a bad file with the summary and the
row-by-row errors, the history and the completeness figures that follow."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from presentation.text import markdown_plain
from tests.app_support import PROJECT_ROOT
from tests.intake_support import INTAKE_FILES, import_count, make_city

ZERO_REPORT = "日期,道口代码,查验车辆,查验人员,体温检测,发热人员\r\n2022-04-03,CP990101002,0,0,0,0\r\n".encode()


@pytest.fixture()
def page(new_database, monkeypatch):
    engine = make_city(new_database, "sqlite")
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    st.cache_data.clear()  # cached figures of another test's database must not show here

    def open_page(lang: str = "zh") -> AppTest:
        at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=90)
        at.query_params["lang"] = lang
        at.run()
        at.switch_page("pages/data_intake.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    yield engine, open_page
    st.cache_data.clear()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_shows_its_sections(page, lang):
    _, open_page = page
    at = open_page(lang)
    zh = lang == "zh"
    assert at.title[0].value == ("数据上报" if zh else "Data intake")
    assert [t.label for t in at.tabs] == (
        ["上传日报", "上报情况", "导入记录", "模板下载", "基础数据"]
        if zh
        else ["Upload", "Reporting completeness", "Import history", "Templates", "Master data"]
    )
    # Completeness on the data's last day (3 Apr 2022), worked out in test_ingest_reporting.py.
    assert metrics(at) == (
        {
            "道口": "2 / 3",
            "采样点": "1 / 4",
            "物资仓库": "0 / 3",
            "接种点": "0 / 4",
            "社区（网格）": "1 / 4",
            "街道（隔离管控）": "2 / 3",
            "集中隔离点": "1 / 2",
            "督导检查组": "2 / 3",
        }  # fmt: skip
        if zh
        else {
            "Checkpoints": "2 / 3",
            "Sampling sites": "1 / 4",
            "Warehouses": "0 / 3",
            "Vaccination sites": "0 / 4",
            "Communities (grid units)": "1 / 4",
            "Streets (isolation and observation)": "2 / 3",
            "Isolation sites": "1 / 2",
            "Inspecting teams": "2 / 3",
        }
    )
    assert any(("17" in w.value) for w in at.warning)
    downloads = at.get("download_button")
    labels = [d.proto.label for d in downloads]
    assert labels.count("CSV 模板" if zh else "CSV template") == 9 and labels.count("Excel 模板" if zh else "Excel template") == 9
    assert any(i.value == ("还没有导入记录。" if zh else "No imports yet.") for i in at.info)


def test_uploading_a_good_and_a_bad_file(page):
    engine, open_page = page
    at = open_page("zh")
    at.file_uploader(key="intake_files").set_value(
        [("zero.csv", ZERO_REPORT, "text/csv"), ("bad_colour.csv", (INTAKE_FILES / "bad_colour.csv").read_bytes(), "text/csv")]
    )
    at.text_input(key="intake_reporter").set_value("赵六")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]

    assert [e.value for e in at.error] == ["本次共 2 个文件：1 个已导入，1 个未导入。"]
    texts = [m.value for m in at.markdown]
    # File names are the uploader's text, shown as typed (escaped for Markdown).
    assert any(f"{markdown_plain('zero.csv')}：已导入 1 行（道口查验（日报））" in text for text in texts)
    assert any(f"{markdown_plain('bad_colour.csv')}：未导入，发现 1 处错误" in text for text in texts)
    errors = at.dataframe[0].value
    assert errors.values.tolist() == [["bad_colour.csv", 2, "风险等级", "紫", "风险等级应为 绿、黄、橙、红 之一"]]
    assert import_count(engine) == 2
    # The zero report counts: every checkpoint has now reported for the 3rd.
    assert metrics(at)["道口"] == "3 / 3"
    (history,) = [d.value for d in at.dataframe if "SHA-256" in d.value.columns]
    assert history[["文件", "类型", "导入行数", "上报人", "结果"]].values.tolist() == [
        ["bad_colour.csv", "网格工作", 0, "赵六", "未导入"],
        ["zero.csv", "道口查验（日报）", 1, "赵六", "已导入"],
    ]
    assert history["错误"].tolist() == ["1 · 风险等级应为 绿、黄、橙、红 之一", ""]


def test_no_name_no_import(page):
    engine, open_page = page
    at = open_page("en")
    at.file_uploader(key="intake_files").set_value(("zero.csv", ZERO_REPORT, "text/csv"))
    at.button[0].click().run()
    assert [w.value for w in at.warning][0] == "Please type your name."
    assert import_count(engine) == 0


def test_the_units_list_shows_the_missing_first_and_all_on_request(page):
    _, open_page = page
    at = open_page("zh")
    (units,) = [d.value for d in at.dataframe if "状态" in d.value.columns]
    assert len(units) == 17 and set(units["状态"]) == {"未报"}
    assert units[units["代码"] == "WH990101"][["上报单位", "最近上报日期"]].values.tolist() == [
        ["甲区防疫物资储备库", "2022年4月2日"]
    ]
    at.toggle(key="intake_only_missing").set_value(False).run()
    (units,) = [d.value for d in at.dataframe if "状态" in d.value.columns]
    assert len(units) == 26 and units["状态"].tolist() == ["未报"] * 17 + ["已报"] * 9


def test_a_refused_upload_shows_in_the_history_at_once(page):
    """Nothing was imported, so no figure changed, but the history has a new row: it is
    shown on the next run, not after the cache expires."""
    _, open_page = page
    at = open_page("en")
    before = next((len(d.value) for d in at.dataframe if "SHA-256" in d.value.columns), 0)
    at.file_uploader(key="intake_files").set_value(
        [("bad_colour.csv", (INTAKE_FILES / "bad_colour.csv").read_bytes(), "text/csv")]
    )
    at.text_input(key="intake_reporter").set_value("Zhao Liu")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    (history,) = [d.value for d in at.dataframe if "SHA-256" in d.value.columns]
    assert len(history) == before + 1 and history.iloc[0]["File"] == "bad_colour.csv"


def test_an_import_from_the_command_line_shows_on_the_next_run(page):
    """Data written by another process (the command line, another replica) is shown on the
    next page run, not after the cache's TTL: the page follows the newest import."""
    from data_access.ingest import import_reports

    engine, open_page = page
    at = open_page("en")
    assert metrics(at)["Checkpoints"] == "2 / 3"  # the hand-built city: one checkpoint has not reported
    (outcome,) = import_reports([("cli.csv", ZERO_REPORT)], user="os:cli", engine=engine)
    assert outcome.accepted
    at = open_page("en")  # the next visit: the figures were cached by the first one
    assert metrics(at)["Checkpoints"] == "3 / 3"
    (history,) = [d.value for d in at.dataframe if "SHA-256" in d.value.columns]
    assert history.iloc[0]["File"] == "cli.csv"
