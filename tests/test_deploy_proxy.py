"""The documented deployment (docs/DEPLOY.md): nginx with the shipped deploy/nginx/yqfk.conf
in front of two Streamlit replicas served under /yqfk/, on one PostgreSQL database.

The module starts the two replicas and nginx on free localhost ports; nginx runs the shipped
file with only its listen port and replica list changed. Through nginx a browser opens
every page from the sidebar, a card's definition link, the wall button and a download under
/yqfk/, uploads a report on each replica's session, and finally one replica is stopped: its
sessions reconnect to the other and draw their page again, the other's never notice.
nginx's access log (the key of the sticky cookie and the replica it chose, per request)
shows which replica answered what.

    .venv/bin/pytest tests/test_deploy_proxy.py     # needs nginx, Chromium and PostgreSQL
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shlex
import shutil
import subprocess
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from data_access.engine import make_engine
from data_access.scope import clear_area_cache
from sample_data.generate import generate
from tests.app_support import PROJECT_ROOT, DashboardServer, free_port
from tests.browser_pages import Dashboard, launch_browser
from tests.conftest import postgres_unavailable, postgres_url
from tests.test_browser_intake import IntakePage, reports

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

SHIPPED_CONFIG = PROJECT_ROOT / "deploy" / "nginx" / "yqfk.conf"
SHIPPED_UNIT = PROJECT_ROOT / "deploy" / "systemd" / "yqfk@.service"
# The browser reaches nginx by the shipped server_name, resolved to 127.0.0.1: Streamlit
# lets any page on localhost open its websocket, so only another name shows that nginx
# passes the Host the browser used (it accepts the websocket when Origin matches Host).
SERVER_NAME = re.search(r"^\s*server_name (\S+);$", SHIPPED_CONFIG.read_text(), flags=re.M).group(1)
BASE_PATH = "yqfk"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# The sidebar's pages (English labels), their address under /yqfk/ and their title.
PAGES = [
    ("Overview", "", "Overview"),
    ("Checkpoints", "checkpoints", "Checkpoint throughput"),
    ("Testing", "testing", "Testing volume"),
    ("Supplies", "supplies", "Supplies against daily capacity"),
    ("Vaccination", "vaccination", "Vaccination coverage"),
    ("Grid map", "grid_map", "Grid-unit map"),
    ("Data intake", "data_intake", "Data intake"),
    ("Definitions", "definitions", "Definitions"),
]
# Streamlit's app element: its attributes say the connection's and the script's state.
APP = "[data-testid='stApp']"


def nginx_unavailable() -> None:
    """Skip (locally) or fail (CI=true) when nginx is not installed."""
    message = f"nginx is not installed ({NGINX})"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{message}; CI=true, so the proxy test must run: apt-get install -y nginx", pytrace=False)
    pytest.skip(f"{message}; apt-get install -y nginx (make test does this as root) to run the proxy test")


def proxy_config(shipped: str, listen_port: int, replica_ports: list[int]) -> str:
    """The shipped config with its listen line and its replica lines pointed at this test's
    localhost ports; every other line as shipped."""
    listen = re.findall(r"^\s*listen 80;$", shipped, flags=re.M)
    replicas = re.findall(r"^(\s*)server 127\.0\.0\.1:850\d( [^;]*);$", shipped, flags=re.M)
    assert len(listen) == 1 and len(replicas) >= 2, "deploy/nginx/yqfk.conf: one `listen 80;`, a line per replica"
    indent, parameters = replicas[0]
    ours = "\n".join(f"{indent}server 127.0.0.1:{port}{parameters};" for port in replica_ports)
    config = re.sub(r"^\s*listen 80;$", f"    listen 127.0.0.1:{listen_port};", shipped, flags=re.M)
    config = re.sub(r"(^\s*server 127\.0\.0\.1:850\d [^;]*;\n)+", ours + "\n", config, count=1, flags=re.M)
    return config


def nginx_main_config(folder: Path) -> str:
    """The main file around the shipped one (Debian's /etc/nginx/nginx.conf does this part),
    with temp files in ``folder`` and an access log that names the sticky key and the replica."""
    # Run as root (CI), nginx's workers would be `nobody`, who cannot write into the test's
    # private folder (a request body over 16 KB is buffered to a file there).
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}worker_processes 1;
events {{ worker_connections 512; }}
http {{
{temp}
    include {folder / "yqfk.conf"};
    log_format replicas '$yqfk_replica "$upstream_addr" $status "$request"';
    access_log {folder / "access.log"} replicas;
}}
"""


@dataclass
class Proxy:
    """nginx on ``url`` (ending in /yqfk; ``public_url`` is the same by its server_name) in
    front of ``replicas`` (by port)."""

    url: str
    public_url: str
    root: str
    replicas: dict[int, DashboardServer]
    access_log: Path
    database: Engine
    _keys: dict[int, str] = field(default_factory=dict)

    def requests(self) -> list[tuple[str, int | None, int, str]]:
        """nginx's access log: (sticky key, the port of the replica that answered or None
        when nginx answered itself, status, request line)."""
        rows = []
        for line in self.access_log.read_text().splitlines():
            key, upstream, status, request = re.fullmatch(r'(\S+) "([^"]*)" (\d+) "(.*)"', line).groups()
            # After a failed try nginx lists every replica it tried: the last one answered.
            answered = upstream.split(", ")[-1]
            rows.append((key, None if answered == "-" else int(answered.rsplit(":", 1)[1]), int(status), request))
        return rows

    def replicas_for(self, key: str) -> set[int]:
        return {port for k, port, status, _ in self.requests() if k == key and port is not None and status < 500}

    def wait_logged(self, key: str, timeout: float = 5) -> set[int]:
        """The replicas of ``key``, once its request is in the log (nginx writes the line
        just after the answer)."""
        deadline = time.monotonic() + timeout
        while not (found := self.replicas_for(key)) and time.monotonic() < deadline:
            time.sleep(0.05)
        return found

    def key_for(self, port: int) -> str:
        """A sticky-cookie value that nginx sends to the replica on ``port``."""
        while port not in self._keys:
            key = secrets.token_hex(16)
            request = urllib.request.Request(f"{self.url}/_stcore/health", headers={"Cookie": f"yqfk_replica={key}"})
            with urllib.request.urlopen(request, timeout=5) as response:
                assert response.read() == b"ok"
            (chosen,) = self.wait_logged(key)
            self._keys.setdefault(chosen, key)
        return self._keys[port]

    def active_sessions(self, port: int) -> int:
        """Browser sessions connected to one replica, from its own metrics (its port, not nginx)."""
        with urllib.request.urlopen(f"{self.replicas[port].url}/_stcore/metrics", timeout=5) as response:
            found = re.search(r"^active_sessions (\d+)", response.read().decode(), flags=re.M)
        return int(found.group(1))

    def wait_sessions(self, expected: dict[int, int], timeout: float = 10) -> dict[int, int]:
        """The connected sessions per replica, once they are ``expected`` (a closed tab's
        websocket is noticed a moment after it closes) or the time is up."""
        deadline = time.monotonic() + timeout
        while (found := {port: self.active_sessions(port) for port in expected}) != expected:
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        return found


@pytest.fixture(scope="module")
def shared_database() -> Iterator[tuple[str, Engine]]:
    """A PostgreSQL database of this module's own with the tiny sample city: (URL, engine).
    A database rather than a schema: the replicas take it as a plain DATABASE_URL."""
    server_url = postgres_url()
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    name = f"t_{secrets.token_hex(5)}_proxy"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except OperationalError as error:
        admin.dispose()
        postgres_unavailable(server_url, f"{type(error).__name__}: {error}")
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    try:
        generate(engine, "tiny", log=lambda *_: None)
        yield url, engine
    finally:
        clear_area_cache(engine)
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="module")
def proxy(request, tmp_path_factory) -> Iterator[Proxy]:
    if not Path(NGINX).exists():
        nginx_unavailable()
    url, engine = request.getfixturevalue("shared_database")  # only once nginx is there
    folder = tmp_path_factory.mktemp("proxy")
    replicas: dict[int, DashboardServer] = {}
    nginx = None
    try:
        for n in (1, 2):
            server = DashboardServer(url, folder / f"replica{n}.log", base_path=BASE_PATH)
            replicas[server.port] = server
        for server in replicas.values():
            server.wait_ready()
        port = free_port()
        (folder / "yqfk.conf").write_text(proxy_config(SHIPPED_CONFIG.read_text(), port, list(replicas)))
        (folder / "nginx.conf").write_text(nginx_main_config(folder))
        nginx_log = open(folder / "nginx.log", "w")
        nginx = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", f"daemon off; pid {folder / 'nginx.pid'};"],
            stdout=nginx_log,
            stderr=subprocess.STDOUT,
        )
        root = f"http://127.0.0.1:{port}"
        wait_for_health(f"{root}/{BASE_PATH}/_stcore/health", nginx, folder / "nginx.log")
        public_url = f"http://{SERVER_NAME}:{port}/{BASE_PATH}"
        yield Proxy(f"{root}/{BASE_PATH}", public_url, root, replicas, folder / "access.log", engine)
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=10)
        for server in replicas.values():
            server.stop()


def wait_for_health(url: str, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"nginx did not answer {url} within {timeout}s")


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of a GET that follows no redirect."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def upload_status(proxy: Proxy, size: int) -> int:
    """nginx's answer to the headers of an upload of ``size`` bytes (no body is sent)."""
    target = urlparse(proxy.url)
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    try:
        conn.putrequest("PUT", f"/{BASE_PATH}/_stcore/upload_file/no-session/no-file")
        conn.putheader("Content-Type", "application/octet-stream")
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


def test_missing_nginx_skips_locally(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="nginx is not installed"):
        nginx_unavailable()


def test_missing_nginx_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        nginx_unavailable()


def test_the_replicas_run_with_the_shipped_units_options(proxy):
    """What the systemd unit starts is what this module's replicas run (its instance name
    being the port), so the test covers the shipped unit's server options too."""
    command = shlex.split(re.search(r"^ExecStart=(.+)$", SHIPPED_UNIT.read_text(), flags=re.M).group(1))
    assert command[1:5] == ["-m", "streamlit", "run", "dashboard.py"]
    for port, server in proxy.replicas.items():
        ran = server.process.args
        ours = dict(zip(ran[ran.index("dashboard.py") + 1 :: 2], ran[ran.index("dashboard.py") + 2 :: 2], strict=True))
        shipped = dict(zip(command[5::2], command[6::2], strict=True))
        assert {name: value.replace("%i", str(port)) for name, value in shipped.items()}.items() <= ours.items()


def test_health_answers_and_metrics_stay_inside(proxy):
    assert fetch(f"{proxy.url}/_stcore/health")[::2] == (200, b"ok")
    # Each replica has metrics on its own port (so a scraper on the host can read them) …
    for server in proxy.replicas.values():
        status, _, body = fetch(f"{server.url}/_stcore/metrics")
        assert status == 200 and b"active_sessions" in body
    # … and nginx does not show them, under the sub-path or at the root.
    assert fetch(f"{proxy.url}/_stcore/metrics")[0] == 404
    assert fetch(f"{proxy.root}/_stcore/metrics")[0] == 404
    # Nothing else on the host name is the dashboard; its address without the slash leads to it.
    assert fetch(f"{proxy.root}/")[0] == 404
    status, headers, _ = fetch(proxy.url)
    assert (status, headers["Location"]) == (301, f"/{BASE_PATH}/")

    status, headers, body = fetch(f"{proxy.url}/")
    assert status == 200 and b"<html" in body.lower()
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert re.fullmatch(r"yqfk_replica=[0-9a-f]{32}; Path=/yqfk/; HttpOnly; SameSite=Lax", headers["Set-Cookie"])


def test_the_proxy_takes_uploads_up_to_the_apps_limit(proxy):
    limit_mb = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    allowed_mb = int(re.search(r"^\s*client_max_body_size (\d+)m;", SHIPPED_CONFIG.read_text(), flags=re.M).group(1))
    # Room for the app's largest file and its multipart envelope, and not much more.
    assert limit_mb < allowed_mb <= limit_mb + 1
    # A larger upload is refused by nginx on its headers, before its body is sent.
    assert upload_status(proxy, allowed_mb * 2**20 + 1) == 413


@pytest.fixture(scope="module")
def browser():
    """Chromium that resolves the shipped server_name to this machine (for this module only)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright, (f"--host-resolver-rules=MAP {SERVER_NAME} 127.0.0.1",))
        yield browser
        browser.close()


def outside_requests(dashboard: Dashboard) -> list[str]:
    """Requests to any host but the dashboard's (its websocket has another scheme)."""
    return [url for url in dashboard.outside_requests if urlparse(url).hostname != SERVER_NAME]


@pytest.fixture()
def new_tab(browser, proxy):
    """A browser context (a person) whose requests nginx sends to the replica on ``port``."""
    contexts = []

    def make(port: int, page_class=Dashboard):
        context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN", accept_downloads=True)
        context.add_cookies([{"name": "yqfk_replica", "value": proxy.key_for(port), "url": f"{proxy.public_url}/"}])
        contexts.append(context)
        return page_class(context.new_page(), proxy.public_url)

    yield make
    for context in contexts:
        context.close()


def test_pages_links_wall_and_downloads_work_under_the_sub_path(browser, proxy):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN", accept_downloads=True)
    dashboard = Dashboard(context.new_page(), proxy.public_url).open("", lang="en")
    page = dashboard.page
    try:
        for label, path, title in PAGES:
            dashboard.go_to_page(label)
            address = urlparse(page.url)
            assert address.path == f"/{BASE_PATH}/{path}", label
            assert parse_qs(address.query).get("lang") == ["en"], label
            assert dashboard.title() == title
            assert dashboard.exceptions() == [], label
            assert "Page not found" not in page.locator("body").inner_text(), label

        # The overview's alerts open their view; its briefing downloads.
        dashboard.go_to_page("Overview")
        with page.expect_download() as briefing:
            page.get_by_role("button", name="Download briefing (HTML)").click()
        assert "<html" in briefing.value.path().read_text(encoding="utf-8")[:500].lower()
        alert_link = page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a").first
        target = alert_link.get_attribute("href").split("?")[0]
        alert_link.click()
        dashboard.wait_until_settled()
        assert urlparse(page.url).path == f"/{BASE_PATH}/{target}"
        assert dashboard.exceptions() == []

        dashboard.go_to_page("Checkpoints")
        with page.expect_download() as download:
            page.locator("[data-testid='stDownloadButton'] button").first.click()
        assert download.value.url.startswith(f"{proxy.public_url}/media/")
        lines = download.value.path().read_bytes().decode("utf-8-sig").splitlines()
        assert lines[0].startswith("# ") and len([line for line in lines if not line.startswith("#")]) > 2

        # A card's "?" links to its definition, in a new tab.
        page.locator("[data-testid='stMetric'] [data-testid='stTooltipIcon']").first.hover()
        with context.expect_page() as opened:
            page.locator("[data-testid='stTooltipContent'] a").first.click()
        definition = Dashboard(opened.value, proxy.public_url)
        definition.wait_until_settled()
        address = urlparse(definition.page.url)
        assert address.path == f"/{BASE_PATH}/definitions" and "metric" in parse_qs(address.query)
        assert definition.title() == "Definitions" and definition.exceptions() == []
        assert definition.page.locator(".st-key-definitions_linked").count() == 1

        # The sidebar's wall button opens the wall on the same filter.
        with context.expect_page() as opened:
            page.locator("[data-testid='stSidebar'] [data-testid='stLinkButton'] a").click()
        wall = Dashboard(opened.value, proxy.public_url)
        wall.wait_until_settled()
        address = urlparse(wall.page.url)
        assert address.path == f"/{BASE_PATH}/" and parse_qs(address.query)["mode"] == ["wall"]
        assert wall.exceptions() == [] and wall.page.locator("[data-testid='stMetric']").count() > 0
        assert not wall.page.locator("[data-testid='stSidebar']").is_visible()
        assert "Page not found" not in wall.page.locator("body").inner_text()

        assert outside_requests(dashboard) == outside_requests(definition) == outside_requests(wall) == []
        key = next(c["value"] for c in context.cookies() if c["name"] == "yqfk_replica")
    finally:
        context.close()  # its websockets close and reach the access log
    # Sticky: every request of this person, websockets and the download included, reached one replica.
    assert len(proxy.replicas_for(key)) == 1


@pytest.mark.parametrize("replica", [0, 1])
def test_an_upload_reaches_the_replica_of_its_session(new_tab, proxy, replica):
    """The uploaded file is kept by the replica that holds the session: with two replicas
    and no stickiness, about every other upload would land on the wrong one."""
    port = list(proxy.replicas)[replica]
    with proxy.database.connect() as conn:
        imports_before = conn.execute(text("SELECT COUNT(*) FROM report_import")).scalar()
    good, _ = reports(proxy.database)
    intake = new_tab(port, IntakePage).open_intake("zh")
    intake.upload({f"零报告{replica}.csv": good})
    intake.import_as("上报人", "代理测试员", "校验并导入")
    assert intake.exceptions() == []
    assert "本次共 1 个文件：1 个已导入，0 个未导入。" in intake.alerts()
    with proxy.database.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM report_import")).scalar() == imports_before + 1
    key = proxy.key_for(port)
    uploads = [port_ for k, port_, _, request in proxy.requests() if k == key and "/_stcore/upload_file/" in request]
    assert uploads and set(uploads) == {port}


def watch_connection(dashboard: Dashboard) -> None:
    """Record every change of the app's connection and script state, from now on."""
    dashboard.page.evaluate(
        """(selector) => {
            const app = document.querySelector(selector);
            window.__states = [];
            new MutationObserver(() => window.__states.push(
                app.getAttribute('data-test-connection-state') + ' ' + app.getAttribute('data-test-script-state'))
            ).observe(app, {attributes: true});
        }""",
        APP,
    )


def states(dashboard: Dashboard) -> list[str]:
    return dashboard.page.evaluate("() => window.__states")


def wait_reconnected(dashboard: Dashboard) -> None:
    """Until the app has lost its connection and is connected again."""
    dashboard.page.wait_for_function(
        """() => window.__states.some(s => !s.startsWith('CONNECTED'))
                 && window.__states[window.__states.length - 1].startsWith('CONNECTED')""",
        timeout=30_000,
    )


def test_sessions_of_a_stopped_replica_reconnect_to_the_other(new_tab, proxy):
    """Last in the module: it stops a replica."""
    stopped, kept = list(proxy.replicas)
    desk = new_tab(stopped).open("checkpoints", lang="en", range="7d")
    wall = new_tab(stopped).open("", mode="wall", lang="en")
    other = new_tab(kept).open("testing", lang="en")
    for dashboard in (desk, wall, other):
        watch_connection(dashboard)
    assert proxy.wait_sessions({stopped: 2, kept: 1}) == {stopped: 2, kept: 1}

    proxy.replicas[stopped].stop()

    # The desk reconnects (Streamlit shows "Connecting", then the page again); its next
    # click runs on the other replica, with the filter of its address.
    wait_reconnected(desk)
    desk.go_to_page("Testing")
    assert desk.title() == "Testing volume" and desk.exceptions() == []
    assert desk.query.get("range") == ["7d"]
    # The wall, which nobody touches, reconnects and runs its page again by itself.
    wait_reconnected(wall)
    wall.page.wait_for_function(
        "() => window.__states.slice(window.__states.findIndex(s => !s.startsWith('CONNECTED'))).some(s => s.endsWith('running'))",
        timeout=30_000,
    )
    wall.wait_until_settled()
    assert wall.exceptions() == [] and wall.page.locator("[data-testid='stMetric']").count() > 0
    # The sessions that were on the other replica never lost their connection.
    assert states(other) == [] or all(s.startswith("CONNECTED") for s in states(other))
    assert proxy.wait_sessions({kept: 3}) == {kept: 3}
