"""Secure by default: when the app asks for sign-in, when it refuses to open at all, and
when an identity token has expired (pure functions and settings, no Streamlit)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.access import OIDC, OPEN, UNCONFIGURED, auth_mode, auth_section_configured
from data_access.settings import access_settings
from ui.auth import identity_expired


@pytest.mark.parametrize(
    ("configured", "auth_section", "embedded", "expected"),
    [
        ("auto", False, True, OPEN),  # make run: the embedded sample city
        ("auto", False, False, UNCONFIGURED),  # a DATABASE_URL and nobody said how people sign in
        ("auto", True, False, OIDC),
        ("auto", True, True, OIDC),  # [auth] configured: sign-in, even on the sample
        ("oidc", False, True, UNCONFIGURED),
        ("oidc", True, False, OIDC),
        ("open", False, False, OPEN),  # only when asked for
        ("open", True, False, OIDC),  # a configured sign-in is never turned off by a leftover setting
    ],
)
def test_auth_mode(configured, auth_section, embedded, expected):
    assert auth_mode(configured, auth_section, embedded) == expected


def test_settings_come_from_dashboard_toml_and_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("DASHBOARD_AUTH_MODE", raising=False)
    path = tmp_path / "dashboard.toml"
    path.write_text('[access]\nauth_mode = "oidc"\nemail_claim = "preferred_username"\n')
    assert (access_settings(path).auth_mode, access_settings(path).email_claim) == ("oidc", "preferred_username")
    monkeypatch.setenv("DASHBOARD_AUTH_MODE", "open")
    assert access_settings(path).auth_mode == "open"
    monkeypatch.setenv("DASHBOARD_AUTH_MODE", "nobody")
    with pytest.raises(ValueError, match="auth_mode"):
        access_settings(path)


def test_the_auth_section_is_found_in_any_secrets_file(tmp_path):
    empty, other, auth = tmp_path / "a.toml", tmp_path / "b.toml", tmp_path / "c.toml"
    empty.write_text("")
    other.write_text('[connections]\nurl = "x"\n')
    auth.write_text('[auth]\nclient_id = "x"\n')
    assert not auth_section_configured([empty, other, tmp_path / "missing.toml"])
    assert auth_section_configured([empty, auth])
    broken = tmp_path / "broken.toml"
    broken.write_text("[auth\n")
    assert not auth_section_configured([broken])


def test_identity_expiry():
    now = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
    assert not identity_expired({"exp": now.timestamp() + 60}, now)
    assert identity_expired({"exp": now.timestamp()}, now)
    assert identity_expired({"exp": "soon"}, now)  # an unreadable expiry is not trusted
    assert not identity_expired({}, now)  # providers that send no exp: the cookie's own life applies


def test_the_server_refuses_uploads_above_the_intake_limit():
    """Streamlit's own upload limit (200 MB unless set) matches the intake's, so a larger
    file is refused by the server, not only by the widget's check in the browser."""
    import math
    import tomllib

    from data_access.settings import intake_settings
    from tests.app_support import PROJECT_ROOT

    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == math.ceil(intake_settings().max_file_mb)


def test_make_run_serves_only_this_machine_unless_asked():
    from tests.app_support import PROJECT_ROOT

    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "HOST ?= 127.0.0.1" in makefile and "--server.address $(HOST)" in makefile
