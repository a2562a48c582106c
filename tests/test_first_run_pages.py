"""A new database in the app (headless): with no area at all, a page that says how to
start and offers every template; with its root and areas but no report yet, the overview
guides through the steps and every page opens without an error."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_access import setup
from data_access.engine import make_engine, upgrade_schema
from data_access.master.areas import import_areas, read_area_file
from tests.app_support import PROJECT_ROOT
from ui.i18n import t

PAGES = ["checkpoints", "testing", "supplies", "vaccination", "isolation", "grid_map", "data_intake"]


@pytest.fixture()
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    engine = make_engine(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_AUTH_MODE", "open")
    st.cache_data.clear()
    yield engine
    st.cache_data.clear()
    engine.dispose()


def run(params: dict) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_database_without_areas_says_how_to_start(database, lang):
    upgrade_schema(database)
    at = run({"lang": lang})
    assert [i.value for i in at.info] == [t("master.no_root", lang)]
    assert "data_access.setup new" in at.code[0].value
    assert len(at.get("download_button")) == 10  # areas, boundaries and the eight facility kinds
    assert len(at.metric) == 0


def test_a_new_city_opens_every_page_and_the_overview_guides(database):
    setup.new_database("370212", "崂山区", engine=database)
    template = "区划代码,上级代码,层级,名称,中心经度,中心纬度\r\n370212001,370212,街道,中韩街道,120.45,36.11\r\n370212002,370212,街道,沙子口街道,120.54,36.12\r\n"
    assert import_areas(read_area_file("streets.csv", template.encode()), user="x", engine=database).accepted
    at = run({"lang": "en"})
    assert t("master.first_run_title", "en") in [h.value for h in at.subheader]
    steps = [m.value for m in at.markdown if "**1." in m.value or "**2." in m.value]
    assert steps and ":material/check_circle:" in steps[0] and "2 loaded" in steps[0]  # areas done
    assert ":material/radio_button_unchecked:" in steps[1]  # boundaries not yet
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])


def test_a_file_name_is_shown_as_typed_not_as_markdown():
    from presentation.text import markdown_plain

    shown = markdown_plain("**粗体** [链接](http://evil.example) <img src=x> :red[红] $x$\x00.csv")
    assert "\x00" not in shown
    for position, char in enumerate(shown):
        if char in "*[]()<>:$.":
            assert shown[position - 1] == "\\", (char, shown[: position + 1])  # escaped, so shown as typed
    assert shown.replace("\\", "") == "**粗体** [链接](http://evil.example) <img src=x> :red[红] $x$.csv"
