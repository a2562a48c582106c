"""The command line, `python -m data_access.ingest`, run as a user runs it: exit status,
the summary on stdout, every error on stderr in the configured language."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.app_support import PROJECT_ROOT
from tests.intake_support import INTAKE_FILES, fingerprint, import_count, make_city


@pytest.fixture()
def city_url(new_database):
    engine = make_city(new_database, "sqlite")
    return engine, engine.url.render_as_string(hide_password=False)


def cli(url: str, *args: str, language: str = "zh") -> subprocess.CompletedProcess:
    env = {**os.environ, "DASHBOARD_LANGUAGE": language}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "data_access.ingest", "--database-url", url, *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_good_files_exit_0_with_a_summary(city_url):
    engine, url = city_url
    result = cli(url, str(INTAKE_FILES / "grid_valid.csv"), "--user", "张三")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "grid_valid.csv：已导入 2 行（网格工作），涉及 1 个上报单位、2022-04-03。",
        "1/1 个文件已导入，共 2 行。",
    ]
    assert result.stderr == ""
    assert import_count(engine) == 1


def test_a_rejected_file_exits_1_with_its_errors_on_stderr(city_url):
    engine, url = city_url
    before = fingerprint(engine)
    result = cli(url, str(INTAKE_FILES / "grid_valid.csv"), str(INTAKE_FILES / "bad_cells.csv"), "--batch", language="en")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "grid_valid.csv: not imported, nothing was changed. Errors found: 1.",
        "  grid_valid.csv: Another file of the batch has errors, so none was imported; this file itself is fine",
        "bad_cells.csv: not imported, nothing was changed. Errors found: 5.",
        "  bad_cells.csv: row 2, column “Day”, value “2022-13-01”: Not a date (write e.g. 2022-04-30)",
        "  bad_cells.csv: row 3, column “Hour”, value “24”: Must be between 0 and 23",
        "  bad_cells.csv: row 4, column “Vehicles checked”, value “十二”: Not a number",
        "  bad_cells.csv: row 5, column “People checked”, value “20.5”: Must be a whole number",
        "  bad_cells.csv: row 6, column “People checked”, value “”: Required value missing (write 0 for none)",
        "Files imported: 0 of 2; rows: 0.",
    ]
    assert fingerprint(engine) == before


def test_type_option_dry_run_and_a_missing_file(city_url):
    engine, url = city_url
    result = cli(url, str(INTAKE_FILES / "grid_valid.csv"), "--type", "testing")
    assert result.returncode == 1
    assert "选择的报表类型是“核酸检测”，但文件是“网格工作”" in result.stderr
    before = fingerprint(engine)
    imports = import_count(engine)
    result = cli(url, str(INTAKE_FILES / "grid_valid.csv"), "--dry-run")
    assert result.returncode == 0 and "校验通过" in result.stdout and "未写入任何数据" in result.stdout
    assert "已导入" not in result.stdout  # nothing was
    result = cli(url, str(INTAKE_FILES / "grid_valid.csv"), "--dry-run", "--lang", "en")
    assert "nothing written" in result.stdout and "imported" not in result.stdout.replace("Files imported", "")
    assert fingerprint(engine) == before and import_count(engine) == imports
    result = cli(url, str(INTAKE_FILES / "no_such_file.csv"))
    assert result.returncode == 2 and "no_such_file.csv" in result.stderr
