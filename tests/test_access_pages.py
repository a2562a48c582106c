"""The sign-in / access gate headless (Streamlit AppTest), on writable copies of the
small sample city: the not-configured, sign-in, no-access and expired pages, a district
viewer kept inside their district, reporting and admin rights, open mode and kiosk links.
Every refusal and sign-in must leave its row in the audit log.

Sign-in is "configured" by a temporary secrets.toml with an ``[auth]`` section: AppTest's
``at.secrets`` replaces ``st.secrets`` only, while ``get_secrets_auth_section()`` reads
Streamlit's ``secrets_singleton``, so the ``secrets.files`` option is pointed at the file.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
import streamlit as st
from sqlalchemy import update
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.secrets import secrets_singleton
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from data_access import users
from data_access.areas import area_info
from data_access.audit import audit_events
from data_access.engine import make_engine
from data_access.schema import kiosk_link
from data_access.settings import get_settings
from presentation import formatting as fmt
from tests.app_support import PROJECT_ROOT, checkpoint_sum, sqlite_copy
from ui.i18n import t

CITY, DISTRICT, OTHER_DISTRICT = "418800", "418801", "418802"
LAST_DAY = dt.date(2022, 4, 30)
PAGE_FILES = sorted(p.relative_to(PROJECT_ROOT).as_posix() for p in (PROJECT_ROOT / "pages").glob("*.py"))
AUTH_SECRETS = """[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "only-for-tests"
client_id = "epidemic-dashboard"
client_secret = "only-for-tests"
server_metadata_url = "https://sso.invalid/.well-known/openid-configuration"
"""


# ---------------------------------------------------------------- helpers
_COLD_PAGES_MANAGER = PagesManager.__init__


def _warm_pages_manager(self, *args, **kwargs) -> None:
    """A running server, after its first visit: pages come from st.navigation only.
    AppTest starts every run as a freshly started server (Streamlit's old ``pages/``
    mode), which runs a switched-to page without dashboard.py and its gate."""
    PagesManager.uses_pages_directory = False
    _COLD_PAGES_MANAGER(self, *args, **kwargs)


def signed_in(email: str, name: str = "", expires_in: int = 3600) -> dict:
    return {"is_logged_in": True, "email": email, "name": name or email, "exp": int(time.time()) + expires_in}


def open_app(query: dict | None = None, user: dict | None = None, page: str | None = None) -> AppTest:
    """A new session of dashboard.py (optionally then on ``page``), checked for exceptions."""
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=90)
    at.query_params.update(query or {})
    if user is not None:
        at.user = user
    run(at)
    if page is not None:
        run(at.switch_page(page))
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def titles(at: AppTest) -> list[str]:
    return [x.value for x in at.title]


def infos(at: AppTest) -> list[str]:
    return [x.value for x in at.info]


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def nav_links(at: AppTest) -> list[str]:
    return [link.value for link in at.get("page_link")]


def events(db, action: str, actor: str | None = None):
    rows = audit_events(action=action, engine=db.engine)
    return rows if actor is None else rows[rows["actor"] == actor]


def assert_stopped_on(at: AppTest, title_key: str, info_key: str, lang: str = "en", **fields) -> None:
    """A page of the gate's own: its title and note, and nothing of the dashboard."""
    assert titles(at) == [t(title_key, lang)]
    assert infos(at) == [t(info_key, lang, **fields)]
    assert len(at.metric) == 0 and nav_links(at) == []


class Db:
    def __init__(self, url: str) -> None:
        self.url, self.engine = url, make_engine(url)

    def add(self, email: str, role: str, area_code: str, name: str = "") -> users.User:
        return users.add_user(email, role, area_code, name, engine=self.engine)


@pytest.fixture()
def db(sample_database, tmp_path, monkeypatch):
    """A writable copy of the sample city as DATABASE_URL, sign-in mode "auto"."""
    source_url, _ = sample_database
    database = Db(sqlite_copy(source_url, tmp_path / "city.sqlite"))
    monkeypatch.setenv("DATABASE_URL", database.url)
    monkeypatch.setenv("DASHBOARD_AUTH_MODE", "auto")
    monkeypatch.delenv("DASHBOARD_EMAIL_CLAIM", raising=False)
    monkeypatch.setattr(PagesManager, "__init__", _warm_pages_manager)
    st.cache_data.clear()  # figures and users cached from another database must not show here
    yield database
    st.cache_data.clear()
    database.engine.dispose()


@pytest.fixture()
def oidc(tmp_path, monkeypatch):
    """Sign-in configured: Streamlit's secrets are a file with an [auth] section."""
    path = tmp_path / "secrets.toml"
    path.write_text(AUTH_SECRETS, encoding="utf-8")
    monkeypatch.setattr(secrets_singleton, "_secrets", None)  # parsed again from our file, reset afterwards
    monkeypatch.setattr(secrets_singleton, "_file_watchers_installed", True)  # no polling thread on a temp file
    with patch_config_options({"secrets.files": [str(path)]}):
        yield path


# ---------------------------------------------------------------- not configured, anonymous, unknown, expired
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_configured_database_without_sign_in_shows_nothing(db, lang):
    at = open_app({"lang": lang})
    assert titles(at) == [t("auth.unconfigured_title", lang)]
    assert infos(at) == [t("auth.unconfigured", lang)]
    assert [c.value for c in at.code] == [t("auth.unconfigured_example", lang)]
    assert len(at.metric) == 0 and nav_links(at) == [] and len(at.sidebar) == 0


@pytest.mark.parametrize("page", PAGE_FILES)
def test_an_anonymous_visitor_sees_only_the_sign_in_page(db, oidc, monkeypatch, page):
    at = open_app({"lang": "en"}, {"is_logged_in": False})
    sign_in_page = [t("app.title", "en")], [t("auth.please_sign_in", "en")], [t("auth.sign_in", "en")]
    assert (titles(at), infos(at), buttons(at)) == sign_in_page
    assert len(at.metric) == 0 and nav_links(at) == []
    run(at.switch_page(page))  # a page's own address, in the same session
    assert (titles(at), infos(at), buttons(at)) == sign_in_page
    assert len(at.metric) == 0 and nav_links(at) == []
    # A forwarded link as the very first visit after the server started (old pages/ mode).
    monkeypatch.setattr(PagesManager, "__init__", _COLD_PAGES_MANAGER)
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["lang"], at.user = "en", {"is_logged_in": False}
    run(at.switch_page(page))
    assert (titles(at), infos(at), buttons(at)) == sign_in_page
    assert len(at.metric) == 0 and nav_links(at) == []
    assert audit_events(engine=db.engine).empty


def test_an_unknown_identity_is_refused_and_logged_once(db, oidc):
    email = "stranger@example.org"
    at = open_app({"lang": "en"}, signed_in(" Stranger@Example.org ", "Stranger"))
    run(run(at))  # two reruns of the same session
    assert_stopped_on(at, "auth.no_access_title", "auth.no_access", email=email)
    assert buttons(at) == [t("auth.sign_out", "en")]
    denied = events(db, "denied", email)
    assert len(denied) == 1 and denied["outcome"].tolist() == ["refused"]
    assert events(db, "sign_in").empty


def test_signing_out_of_the_no_access_page_logs_that_identity(db, oidc):
    at = open_app({"lang": "en"}, signed_in("stranger@example.org"))
    at.button(key="auth_sign_out").click()
    run(at)  # st.logout: the session is signed out and sees the sign-in page
    assert titles(at) == [t("app.title", "en")] and buttons(at) == [t("auth.sign_in", "en")]
    assert events(db, "sign_out")["actor"].tolist() == ["stranger@example.org"]


def test_an_expired_identity_must_sign_in_again(db, oidc):
    db.add("viewer@example.org", "viewer", DISTRICT)
    at = open_app({"lang": "en"}, signed_in("viewer@example.org", expires_in=-60))
    assert_stopped_on(at, "auth.expired_title", "auth.expired")
    assert buttons(at) == [t("auth.sign_in", "en")]
    assert events(db, "sign_in").empty


def test_a_disabled_user_is_refused(db, oidc):
    db.add("gone@example.org", "admin", CITY)
    users.disable_user("gone@example.org", engine=db.engine)
    at = open_app({"lang": "en"}, signed_in("gone@example.org"))
    assert_stopped_on(at, "auth.no_access_title", "auth.no_access", email="gone@example.org")


# ---------------------------------------------------------------- a district viewer
def test_a_district_viewer_is_kept_in_their_district(db, oidc):
    db.add("viewer@example.org", "viewer", DISTRICT, "District Viewer")
    at = open_app({"lang": "en", "area": OTHER_DISTRICT}, signed_in("viewer@example.org"))
    own_name = area_info(DISTRICT, db.engine)["name_en"]
    assert [w.value for w in at.warning] == [t("auth.foreign_area", "en", code=OTHER_DISTRICT, area=own_name)]
    assert "area" not in at.query_params  # the filter is back on the viewer's own top area
    assert at.main.caption[0].value.startswith(own_name)
    # The overview's KPIs are the district's own figures on the data's last day.
    people = checkpoint_sum(db.engine, "people", DISTRICT, LAST_DAY, LAST_DAY, CITY)
    shown = {m.label.removeprefix(":orange[⚠] "): m.value for m in at.metric}  # data-check flag
    assert shown["People checked"] == fmt.count(people, "en", compact=True)
    # The area search finds only areas inside the district: a code prefix every area of
    # the city shares gives the district's own.
    (search,) = [box for box in at.sidebar.text_input if box.label == t("filter.search", "en")]
    search.input(CITY[:4]).run()
    (matches,) = [box for box in at.sidebar.selectbox if box.key == "w_area_search"]
    codes = [option.rsplit(" · ", 1)[1] for option in matches.options]
    assert len(codes) > 1 and all(code.startswith(DISTRICT) for code in codes)
    assert t("nav.admin", "en") not in nav_links(at)
    denied = events(db, "denied", "viewer@example.org")
    assert denied["area_code"].tolist() == [OTHER_DISTRICT] and denied["outcome"].tolist() == ["refused"]
    sign_in = events(db, "sign_in", "viewer@example.org")
    assert sign_in[["area_code", "detail"]].values.tolist() == [[DISTRICT, "role=viewer"]]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/admin.py")  # not among the viewer's pages
    at.button(key="auth_sign_out").click()
    run(at)
    assert titles(at) == [t("app.title", "en")] and len(at.metric) == 0
    assert events(db, "sign_out")[["actor", "area_code"]].values.tolist() == [["viewer@example.org", DISTRICT]]


def test_the_email_claim_can_be_another_claim(db, oidc, monkeypatch):
    monkeypatch.setenv("DASHBOARD_EMAIL_CLAIM", "upn")
    db.add("viewer@example.org", "viewer", DISTRICT)
    at = open_app({"lang": "en"}, {**signed_in("someone.else@example.org"), "upn": "Viewer@Example.org"})
    assert titles(at) == [t("nav.overview", "en")] and len(at.metric) > 0
    assert events(db, "sign_in")["actor"].tolist() == ["viewer@example.org"]


# ---------------------------------------------------------------- reporting and admin rights
def test_a_viewer_may_not_report_and_a_reporter_reports_as_themself(db, oidc):
    db.add("viewer@example.org", "viewer", DISTRICT)
    db.add("reporter@example.org", "reporter", DISTRICT, "Reporter One")
    at = open_app({"lang": "en"}, signed_in("viewer@example.org"), "pages/data_intake.py")
    assert titles(at) == [t("nav.data_intake", "en")]
    assert t("auth.may_not_report", "en") in infos(at)
    assert len(at.get("file_uploader")) == 0
    at = open_app({"lang": "en"}, signed_in("reporter@example.org"), "pages/data_intake.py")
    assert t("auth.may_not_report", "en") not in infos(at)
    assert len(at.get("file_uploader")) == 1
    reporter = at.text_input(key="intake_reporter_signed_in")
    assert reporter.disabled and reporter.value == "Reporter One <reporter@example.org>"
    assert [x.key for x in at.text_input if x.key == "intake_reporter"] == []


def test_an_admin_sees_users_kiosk_links_and_the_audit_log(db, oidc):
    db.add("admin@example.org", "admin", CITY, "City Admin")
    at = open_app({"lang": "en"}, signed_in("admin@example.org"), "pages/admin.py")
    assert t("nav.admin", "en") in nav_links(at)
    assert titles(at) == [t("nav.admin", "en")]
    assert [tab.label for tab in at.tabs] == [t(f"admin.tab.{tab}", "en") for tab in ("users", "kiosks", "audit")]
    log = at.dataframe[-1].value  # the audit log names the admin's own sign-in
    signed = log[log[t("admin.col.action", "en")] == t("admin.action.sign_in", "en")]
    assert signed[t("admin.col.actor", "en")].tolist() == ["admin@example.org"]


def test_an_admin_adds_a_user_and_a_demoted_admin_loses_the_page(db, oidc):
    db.add("admin@example.org", "admin", CITY, "City Admin")
    # In the default language: AppTest formats a selectbox's value outside the run, where t() uses it.
    lang = get_settings().language
    at = open_app({"lang": lang}, signed_in("admin@example.org"), "pages/admin.py")
    at.text_input(key="admin_add_email").input("New.Reporter@example.org")
    at.text_input(key="admin_add_name").input("New Reporter")
    at.selectbox(key="admin_add_role").set_value("reporter")
    at.selectbox(key="admin_add_area").set_value(OTHER_DISTRICT)
    (add,) = [b for b in at.button if b.label == t("admin.add", lang)]
    add.click()
    run(at)
    assert [s.value for s in at.success] == [t("admin.added", lang, email="new.reporter@example.org")]
    added = users.find_user("new.reporter@example.org", engine=db.engine)
    assert (added.role, added.area_code, added.name, added.active) == ("reporter", OTHER_DISTRICT, "New Reporter", True)
    change = events(db, "user_change", "admin@example.org")
    assert change["detail"].tolist() == [f"add new.reporter@example.org role=reporter area={OTHER_DISTRICT}"]
    # Demoted while on the page: the next run no longer offers it.
    users.set_user("admin@example.org", role="viewer", engine=db.engine)
    st.cache_data.clear()  # the gate caches users for 30 seconds
    run(at)
    assert titles(at) == [t("nav.overview", lang)] and len(at.tabs) == 0
    assert t("nav.admin", lang) not in nav_links(at)


# ---------------------------------------------------------------- open mode
def test_open_mode_says_so_in_the_sidebar(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_AUTH_MODE", "open")
    at = open_app({"lang": "en"})
    assert any(t("auth.open_badge", "en") in m.value for m in at.sidebar.markdown)
    assert len(at.metric) > 0 and t("nav.overview", "en") in nav_links(at)


# ---------------------------------------------------------------- kiosk links
def test_a_kiosk_link_opens_only_its_wall_until_revoked(db, oidc):
    link_id, token = users.create_kiosk(DISTRICT, "Wall A", engine=db.engine)
    at = open_app({"lang": "en", "mode": "wall", "kiosk": token})
    assert nav_links(at) == [] and len(at.sidebar) == 0
    assert len(at.metric) > 0 and at.session_state["filter"].area_code == DISTRICT
    opened = events(db, "kiosk_open", f"kiosk:{link_id}")
    assert opened[["area_code", "detail"]].values.tolist() == [[DISTRICT, "Wall A"]]
    # Without mode=wall and with another district's area: still only this wall, of its own area.
    at = open_app({"lang": "en", "kiosk": token, "area": OTHER_DISTRICT})
    assert nav_links(at) == [] and len(at.metric) > 0 and at.session_state["filter"].area_code == DISTRICT
    assert events(db, "denied", f"kiosk:{link_id}")["area_code"].tolist() == [OTHER_DISTRICT]
    users.revoke_kiosk(link_id, engine=db.engine)
    at = open_app({"lang": "en", "mode": "wall", "kiosk": token})
    assert_stopped_on(at, "auth.kiosk_title", "auth.kiosk_revoked")
    denied = events(db, "denied", f"kiosk:{DISTRICT}")
    assert denied[["outcome", "detail"]].values.tolist() == [["refused", "kiosk link revoked"]]


def test_an_expired_or_unknown_kiosk_link_opens_nothing(db, oidc):
    link_id, token = users.create_kiosk(DISTRICT, "Wall B", days=1, engine=db.engine)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    with db.engine.begin() as conn:
        conn.execute(update(kiosk_link).where(kiosk_link.c.id == link_id).values(expires_at=past))
    at = open_app({"lang": "en", "mode": "wall", "kiosk": token})
    assert_stopped_on(at, "auth.kiosk_title", "auth.kiosk_expired")
    at = open_app({"lang": "en", "mode": "wall", "kiosk": "not-a-token"})
    assert_stopped_on(at, "auth.kiosk_title", "auth.kiosk_unknown")
    denied = events(db, "denied")
    assert sorted(denied[["actor", "detail"]].values.tolist()) == [
        ["kiosk:418801", "kiosk link expired"],
        ["kiosk:?", "kiosk link unknown"],
    ]
    assert events(db, "kiosk_open").empty
