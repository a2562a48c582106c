"""Sign-in in a real browser against a real OpenID Connect provider (oidc-provider-mock):
Chromium clicks the dashboard's sign-in button, types the identity on the provider's form
and comes back signed in. Never a shortcut through session state.

Who is tried: an anonymous visitor, an unknown identity, a district viewer who edits the
URL, follows another district's link and clicks the map, a reporter who uploads a file
with one foreign unit, an admin, and wall-screen kiosk links that are valid, revoked and
expired. Each leaves its row in the audit log.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import text, update

from data_access import audit, users
from data_access.engine import make_engine
from data_access.schema import kiosk_link
from sample_data.generate import generate
from tests.app_support import ARTIFACTS, DashboardServer, free_port
from tests.browser_pages import VIEWPORTS, Dashboard
from ui.i18n import t

pytestmark = pytest.mark.browser

SCREENSHOTS = ARTIFACTS / "screenshots"
PAGES = ["", "checkpoints", "testing", "supplies", "vaccination", "grid_map", "data_intake", "admin"]


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """The tiny sample city with a viewer and a reporter of its first district and an admin."""
    folder = tmp_path_factory.mktemp("access_browser")
    url = f"sqlite:///{folder / 'tiny.sqlite'}"
    engine = make_engine(url)
    generate(engine, "tiny", log=lambda *_: None)
    with engine.connect() as conn:
        root = conn.execute(text("SELECT code FROM area WHERE parent_code IS NULL")).scalar_one()
        own, other = conn.execute(text("SELECT code FROM area WHERE level = 'district' ORDER BY code LIMIT 2")).scalars().all()
    users.add_user("viewer@example.org", "viewer", own, "王晓 Wang Xiao", engine=engine)
    users.add_user("reporter@example.org", "reporter", own, "李明 Li Ming", engine=engine)
    users.add_user("admin@example.org", "admin", root, "赵主任 Director Zhao", engine=engine)
    yield {"url": url, "engine": engine, "folder": folder, "root": root, "own": own, "other": other}
    engine.dispose()


@pytest.fixture(scope="module")
def server(city, provider) -> Iterator[DashboardServer]:
    """The dashboard with sign-in configured the Streamlit way: [auth] in a secrets.toml."""
    port = free_port()
    secrets_file = city["folder"] / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "epidemic-dashboard"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    env = {"DASHBOARD_AUTH_MODE": "auto", "STREAMLIT_SECRETS_FILES": str(secrets_file)}
    server = DashboardServer(city["url"], city["folder"] / "streamlit.log", extra_env=env, port=port)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


class Visitor(Dashboard):
    """Someone at the dashboard with a browser of their own (own cookies)."""

    def sign_in(self, email: str) -> Visitor:
        self.open()
        self.page.get_by_role("button", name=t("auth.sign_in", "zh")).click()
        self.page.locator("input[name='sub']").fill(email)  # the provider's own form
        self.page.locator("form button[type='submit']").first.click()
        self.page.wait_for_url(f"{self.base_url}/**")
        self.wait_until_settled()
        return self

    def figures_shown(self) -> int:
        return self.page.locator(
            "[data-testid='stMetric'], [data-testid='stDataFrame'], [data-testid='stDeckGlJsonChart']"
        ).count()


@pytest.fixture()
def visitor(browser, server) -> Iterator:
    contexts = []

    def make(size=(1920, 1080)) -> Visitor:
        context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN", accept_downloads=True)
        contexts.append(context)
        return Visitor(context.new_page(), server.url)

    yield make
    for context in contexts:
        context.close()


def events(city, **filters):
    return audit.audit_events(engine=city["engine"], **filters)


def test_an_anonymous_visitor_sees_no_figure_on_any_page(visitor, city):
    guest = visitor()
    for path in PAGES:
        guest.open(path, area=city["own"])
        assert t("auth.please_sign_in", "zh") in guest.main_text(), path
        assert guest.figures_shown() == 0, path
        assert guest.page.locator("[data-testid='stSidebar'] [data-testid='stPageLink']").count() == 0
    guest.open(lang="en")
    assert t("auth.please_sign_in", "en") in guest.main_text()


def test_an_unknown_identity_sees_the_no_access_page(visitor, city):
    stranger = visitor().sign_in("stranger@example.org")
    assert t("auth.no_access_title", "zh") in stranger.title()
    assert "stranger@example.org" in stranger.main_text() and stranger.figures_shown() == 0
    denied = events(city, action=audit.DENIED, actor="stranger@example.org")
    assert len(denied) == 1 and denied["outcome"].iloc[0] == "refused"
    for name, size in VIEWPORTS.items():
        stranger.page.set_viewport_size({"width": size[0], "height": size[1]})
        stranger.screenshot(SCREENSHOTS / f"access_no_access_{name}_zh.png")


def test_a_district_viewer_stays_in_their_district(visitor, city):
    own, other = city["own"], city["other"]
    viewer = visitor().sign_in("viewer@example.org")
    assert "王晓 Wang Xiao" in viewer.sidebar_text()
    assert viewer.query.get("area", [own]) == [own] and viewer.figures_shown() > 0
    assert len(events(city, action=audit.SIGN_IN, actor="viewer@example.org")) == 1
    for lang in ("zh", "en"):
        viewer.open(lang=lang)
        for name, size in VIEWPORTS.items():
            viewer.page.set_viewport_size({"width": size[0], "height": size[1]})
            viewer.wait_until_settled()
            assert viewer.page_width() <= size[0] + 1, (name, lang)
            viewer.screenshot(SCREENSHOTS / f"access_viewer_overview_{name}_{lang}.png")
    viewer.page.set_viewport_size({"width": 1920, "height": 1080})

    # Their picker starts at their district's streets.
    with city["engine"].connect() as conn:
        street, street_name = conn.execute(
            text("SELECT code, name_zh FROM area WHERE parent_code = :d ORDER BY code LIMIT 1"), {"d": own}
        ).one()
    viewer.open()
    viewer.choose_district(t("filter.level.street", "zh"), street_name)
    assert viewer.query["area"] == [street]
    assert t("filter.level.district", "zh") not in viewer.sidebar_text()

    # The briefing they download is their district's, and the download is logged.
    viewer.open()
    with viewer.page.expect_download() as download:
        viewer.page.get_by_role("button", name=t("briefing.download_html", "zh")).click()
    briefing = download.value.path().read_text(encoding="utf-8")
    with city["engine"].connect() as conn:
        own_name, other_name = (
            conn.execute(text("SELECT name_zh FROM area WHERE code = :c"), {"c": c}).scalar_one() for c in (own, other)
        )
    assert own_name in briefing and other_name not in briefing
    logged = events(city, action=audit.BRIEFING, actor="viewer@example.org")
    assert logged["area_code"].tolist() == [own] and logged["detail"].iloc[0].startswith("html ")

    # An edited URL, and another district's forwarded link to a page with a range.
    for path, params in (("", {"area": other}), ("checkpoints", {"area": other, "range": "7d", "lang": "en"})):
        viewer.open(path, **params)
        notice = viewer.page.locator("[data-testid='stAlert']", has_text=other)
        assert notice.count() == 1
        assert viewer.query.get("area", [own]) == [own]
        assert other not in viewer.scope_caption()
    # one row per attempt (each link opened is a session of its own)
    assert events(city, action=audit.DENIED, actor="viewer@example.org")["area_code"].tolist() == [other, other]

    # The area search finds only their own district and what lies under it (a code prefix
    # that every area of the city shares).
    search = viewer.page.locator("[data-testid='stSidebar'] [data-testid='stTextInput'] input").first
    search.fill(own[:4])
    search.press("Enter")
    viewer.wait_until_settled()
    box = viewer.page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
    box.click()
    options = viewer.page.get_by_role("option").all_inner_texts()
    viewer.page.keyboard.press("Escape")
    assert options and all(option.split(" · ")[-1].startswith(own) for option in options)

    # A click on the map drills into one of their own units.
    viewer.open("grid_map")
    deck = viewer.page.locator("[data-testid='stDeckGlJsonChart']").first
    box = deck.bounding_box()
    deck.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    viewer.page.wait_for_timeout(500)
    viewer.wait_until_settled()
    assert viewer.query.get("area", [own])[0].startswith(own)
    assert viewer.page.locator("[data-testid='stAlert']", has_text=t("auth.foreign_area", "zh").split("{")[0]).count() == 0


def test_a_reporter_cannot_import_a_file_with_a_foreign_unit(visitor, city):
    engine = city["engine"]
    with engine.connect() as conn:
        mine = conn.execute(
            text(
                "SELECT c.code FROM checkpoint c JOIN area a ON a.code = c.area_code WHERE a.district_code = :d ORDER BY c.code LIMIT 1"
            ),
            {"d": city["own"]},
        ).scalar_one()
        theirs = conn.execute(
            text(
                "SELECT c.code FROM checkpoint c JOIN area a ON a.code = c.area_code WHERE a.district_code = :d ORDER BY c.code LIMIT 1"
            ),
            {"d": city["other"]},
        ).scalar_one()
        last_day = conn.execute(text("SELECT MAX(day) FROM checkpoint_daily")).scalar_one()
        before = conn.execute(text("SELECT COUNT(*), SUM(people) FROM checkpoint_daily")).one()
    report = f"日期,道口代码,查验车辆,查验人员,体温检测,发热人员\r\n{last_day},{mine},1,2,2,0\r\n{last_day},{theirs},1,2,2,0\r\n".encode()

    reporter = visitor().sign_in("reporter@example.org")
    reporter.open("data_intake")
    reporter_box = reporter.page.get_by_label(t("intake.reporter", "zh"))
    assert reporter_box.is_disabled() and "reporter@example.org" in reporter_box.input_value()
    reporter.page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
        [{"name": "两个区.csv", "mimeType": "text/csv", "buffer": report}]
    )
    reporter.page.locator("[data-testid='stFileUploader']", has_text="两个区.csv").wait_for()
    reporter.page.get_by_role("button", name=t("intake.submit", "zh")).click()
    reporter.page.locator("[data-testid='stAlert']").first.wait_for()
    reporter.wait_until_settled()
    assert "两个区.csv" in reporter.main_text()
    errors = reporter.download_csv_of("校验结果")[1:]
    assert len(errors) == 1 and "3" in errors[0] and theirs in errors[0]  # row 3 of the file: the foreign unit
    assert any("不在您的辖区" in cell for cell in errors[0])
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*), SUM(people) FROM checkpoint_daily")).one() == before
    refused = events(city, action=audit.IMPORT, actor="reporter@example.org")
    assert refused["outcome"].tolist() == ["refused"] and "两个区.csv" in refused["detail"].iloc[0]


def test_a_viewer_may_not_upload(visitor, city):
    viewer = visitor().sign_in("viewer@example.org")
    viewer.open("data_intake")
    assert t("auth.may_not_report", "zh") in viewer.main_text()
    assert viewer.page.locator("[data-testid='stFileUploader']").count() == 0


def test_kiosk_links_valid_revoked_and_expired(visitor, city):
    engine, own = city["engine"], city["own"]
    valid_id, valid = users.create_kiosk(own, "指挥中心大屏 1", engine=engine)
    revoked_id, revoked = users.create_kiosk(own, "大屏 2", engine=engine)
    users.revoke_kiosk(revoked_id, engine=engine)
    expired_id, expired = users.create_kiosk(own, "大屏 3", days=1, engine=engine)
    with engine.begin() as conn:
        conn.execute(
            update(kiosk_link)
            .where(kiosk_link.c.id == expired_id)
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )

    wall = visitor()
    wall.open("", kiosk=valid)  # no mode=wall: a kiosk link opens nothing but the wall
    wall.page.locator(".wall-header").wait_for()
    assert wall.page.locator("[data-testid='stSidebar'] [data-testid='stPageLink']").count() == 0
    wall.open("checkpoints", kiosk=valid, area=city["other"])  # another area in the link: still its own
    wall.page.locator(".wall-header").wait_for()
    assert wall.query.get("area", [own]) == [own]
    assert len(events(city, action=audit.KIOSK_OPEN, actor=f"kiosk:{valid_id}")) == 2  # each opening, once
    wall.wait_until_settled()
    wall.screenshot(SCREENSHOTS / "access_kiosk_wall_1920x1080_zh.png")

    for token, why in ((revoked, "revoked"), (expired, "expired"), ("not-a-token", "unknown")):
        other = visitor()
        other.open("", mode="wall", kiosk=token)
        assert t(f"auth.kiosk_{why}", "zh") in other.main_text()
        assert other.figures_shown() == 0 and other.page.locator(".wall-header").count() == 0
    denied = events(city, action=audit.DENIED)
    assert {"kiosk link revoked", "kiosk link expired", "kiosk link unknown"} <= set(denied["detail"])

    # The open wall stops at its next refresh once its link is revoked.
    users.revoke_kiosk(valid_id, engine=engine)
    wall.open("", mode="wall", kiosk=valid, refresh="2")
    assert t("auth.kiosk_revoked", "zh") in wall.main_text()


def test_the_admin_page_and_screenshots(visitor, city):
    admin = visitor().sign_in("admin@example.org")
    admin.go_to_page(t("nav.admin", "zh"))
    admin.page.get_by_role("tab", name=t("admin.tab.audit", "zh")).click()
    admin.wait_until_settled()
    rows = admin.download_csv_of(t("admin.audit_log", "zh"))
    assert ["admin@example.org", t("admin.action.sign_in", "zh")] in [row[1:3] for row in rows]
    assert "stranger@example.org" in {row[1] for row in rows}  # the refusals of the tests before
    assert len(events(city, action=audit.EXPORT, actor="admin@example.org")) == 1  # the download itself is logged
    for lang in ("zh", "en"):
        admin.open("admin", lang=lang)
        for name, size in VIEWPORTS.items():
            admin.page.set_viewport_size({"width": size[0], "height": size[1]})
            admin.wait_until_settled()
            assert admin.page_width() <= size[0] + 1, (name, lang)
            admin.screenshot(SCREENSHOTS / f"access_admin_{name}_{lang}.png")
    guest = visitor()
    for lang in ("zh", "en"):
        guest.open(lang=lang)
        for name, size in VIEWPORTS.items():
            guest.page.set_viewport_size({"width": size[0], "height": size[1]})
            guest.screenshot(SCREENSHOTS / f"access_sign_in_{name}_{lang}.png")
    viewer = visitor()
    viewer.sign_in("viewer@example.org")
    assert viewer.page.locator("[data-testid='stSidebar'] [data-testid='stPageLink']", has_text=t("nav.admin", "zh")).count() == 0
    viewer.open("admin")
    assert t("admin.tab.audit", "zh") not in viewer.main_text()
