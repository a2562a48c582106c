"""Reporters report only for their own area: a file with one foreign unit is refused as
a whole, each such row named, nothing written; the history and the audit log name the
importer. The command line needs ``--as`` an active reporter once sign-in is configured."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from data_access import audit, users
from data_access.ingest import import_reports
from data_access.reporting import import_history
from tests.app_support import PROJECT_ROOT
from tests.fixtures_data import CP_A1, CP_A2, CP_B1, DISTRICT_A, STREET_A1
from tests.intake_support import fingerprint

TODAY = dt.date(2022, 5, 1)


def checkpoint_report(*codes: str) -> bytes:
    rows = "".join(f"2022-04-03,{code},10,20,20,0\r\n" for code in codes)
    return ("日期,道口代码,查验车辆,查验人员,体温检测,发热人员\r\n" + rows).encode()


def test_a_file_with_one_foreign_unit_is_refused_whole(city):
    before = fingerprint(city)
    [outcome] = import_reports(
        [("mixed.csv", checkpoint_report(CP_A1, CP_B1, CP_A2))], user="a@example.org", within=DISTRICT_A, engine=city, today=TODAY
    )
    assert not outcome.accepted and outcome.rows == 0
    assert [(e.code, e.row, e.value, e.fields) for e in outcome.errors] == [
        ("outside_area", 3, CP_B1, {"kind": "checkpoint", "area": DISTRICT_A})
    ]
    assert fingerprint(city) == before  # not one figure written
    history = import_history(engine=city, within=DISTRICT_A)
    assert history.iloc[0][["imported_by", "outcome"]].tolist() == ["a@example.org", "rejected"]
    event = audit.audit_events(action=audit.IMPORT, engine=city).iloc[0]
    assert (event["actor"], event["outcome"], event["area_code"]) == ("a@example.org", "refused", DISTRICT_A)


def test_a_street_reporter_may_not_report_for_the_rest_of_the_district(city):
    # CP_A2 stands in Xi'an Road Subdistrict, the other street of district A.
    [outcome] = import_reports(
        [("a2.csv", checkpoint_report(CP_A2))], user="s@example.org", within=STREET_A1, engine=city, today=TODAY
    )
    assert [e.code for e in outcome.errors] == ["outside_area"]


def test_own_units_are_imported_and_the_history_names_the_importer(fresh_city):
    [outcome] = import_reports(
        [("own.csv", checkpoint_report(CP_A1))], user="a@example.org", within=DISTRICT_A, engine=fresh_city, today=TODAY
    )
    assert outcome.accepted and outcome.rows == 1
    assert import_history(engine=fresh_city, within=DISTRICT_A)["imported_by"].tolist() == ["a@example.org"]
    assert import_history(engine=fresh_city, within="990102").empty  # another district's reader sees none of it
    assert audit.audit_events(action=audit.IMPORT, engine=fresh_city)["outcome"].tolist() == ["ok"]


def cli(url: str, secrets_file, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "STREAMLIT_SECRETS_FILES": str(secrets_file), "DASHBOARD_LANGUAGE": "en"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "data_access.ingest", "--database-url", url, *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture()
def signed_in_city(new_database, tmp_path):
    from tests.intake_support import make_city

    engine = make_city(new_database, "sqlite")
    users.add_user("rep@example.org", "reporter", DISTRICT_A, engine=engine)
    users.add_user("view@example.org", "viewer", DISTRICT_A, engine=engine)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[auth]\nclient_id = "x"\nclient_secret = "y"\nredirect_uri = "http://localhost/oauth2callback"\ncookie_secret = "z"\n'
    )
    report = tmp_path / "report.csv"
    report.write_bytes(checkpoint_report(CP_A1))
    foreign = tmp_path / "foreign.csv"
    foreign.write_bytes(checkpoint_report(CP_B1))
    return engine, engine.url.render_as_string(hide_password=False), secrets, report, foreign


def test_the_command_line_needs_an_active_reporter_once_sign_in_is_configured(signed_in_city):
    engine, url, secrets, report, foreign = signed_in_city
    for args in ((), ("--as", "view@example.org"), ("--as", "nobody@example.org")):
        result = cli(url, secrets, str(report), *args)
        assert result.returncode == 2 and "--as" in result.stderr and "Traceback" not in result.stderr
    assert import_history(engine=engine).empty
    assert audit.audit_events(action=audit.DENIED, engine=engine).shape[0] == 3

    result = cli(url, secrets, str(foreign), "--as", "rep@example.org")
    assert result.returncode == 1 and "outside your area" in result.stderr
    result = cli(url, secrets, str(report), "--as", "rep@example.org")
    assert result.returncode == 0, result.stderr
    importer = import_history(engine=engine)["imported_by"].iloc[0]
    assert importer.startswith("rep@example.org (os:")


def test_without_sign_in_the_command_line_imports_as_before(signed_in_city, tmp_path):
    engine, url, _, report, _ = signed_in_city
    result = cli(url, tmp_path / "no-secrets.toml", str(report), "--user", "张三")
    assert result.returncode == 0, result.stderr
    assert import_history(engine=engine)["imported_by"].tolist() == ["张三"]
