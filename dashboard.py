"""疫情防控运行看板 — entry point: page list and the shared sidebar filter.

streamlit run dashboard.py
"""

from urllib.parse import urlencode

import streamlit as st

from data_access import areas as area_queries
from data_access.ingest.validate import local_today
from data_access.settings import get_settings
from presentation.text import LANGUAGES
from sample_data.ensure import ensure_database
from ui import style
from ui.auth import draw_identity, gate
from ui.data import data_bounds, database_failed, ensure_engine, follow_writes, is_sample_data, load_plain, reset_banner
from ui.i18n import t
from ui.master_data_view import empty_database_page
from ui.sidebar import (
    area_name,
    draw_area_picker,
    draw_date_filter,
    draw_language_switch,
    filter_query_params,
    init_filter,
    keep_within,
    sync_url,
)

st.set_page_config(page_title="疫情防控运行看板", page_icon="🛡️", layout="wide")
reset_banner()
style.inject()
if st.query_params.get("lang") in LANGUAGES and "lang" not in st.session_state:
    st.session_state["lang"] = st.query_params["lang"]  # before anything can fail: its message in the chosen language

PAGES = [
    # (file, title key, icon, url path)
    ("pages/overview.py", "nav.overview", ":material/dashboard:", "overview"),
    ("pages/checkpoints.py", "nav.checkpoints", ":material/directions_car:", "checkpoints"),
    ("pages/testing.py", "nav.testing", ":material/science:", "testing"),
    ("pages/supplies.py", "nav.supplies", ":material/inventory_2:", "supplies"),
    ("pages/vaccination.py", "nav.vaccination", ":material/vaccines:", "vaccination"),
    ("pages/isolation.py", "nav.isolation", ":material/home_health:", "isolation"),
    ("pages/inspections.py", "nav.inspections", ":material/fact_check:", "inspections"),
    ("pages/grid_map.py", "nav.grid_map", ":material/map:", "grid_map"),
    ("pages/data_intake.py", "nav.data_intake", ":material/upload_file:", "data_intake"),
    ("pages/definitions.py", "nav.definitions", ":material/menu_book:", "definitions"),
]
ADMIN_PAGES = [("pages/admin.py", "nav.admin", ":material/admin_panel_settings:", "admin")]

engine = ensure_engine(ensure_database)  # the embedded default gets the sample city
if engine is None:  # the banner says why; the page still says what it is
    st.title(t("app.title"))
    st.stop()
follow_writes()  # data written elsewhere (a command line, another replica) shows at once
access = gate()  # who this is; stops on a sign-in, no-access or not-configured page
# A new city with areas but no daily report yet: every page opens on today, the overview guides.
bounds = data_bounds() or (local_today(), local_today())
# The filter's top: the whole city, or the user's own area.
if access.within is None:
    root = load_plain(area_queries.root_area)
else:
    root = load_plain(area_queries.area_info, access.within, None, access.within)
if root is None and database_failed():  # the banner says it; no "load your data" during an outage
    st.title(t("app.title"))
    st.stop()
if root is None:  # not even a root area: how to start, and the templates
    empty_database_page(st.session_state.get("lang") or get_settings().language)
    st.stop()

state = init_filter(root["code"], bounds)
keep_within(root["code"])
wall_mode = st.query_params.get("mode") == "wall" or access.is_kiosk  # a kiosk link opens only the wall
if wall_mode:
    # The wall screen: one page, no sidebar; every address shows it while mode=wall.
    style.inject_wall()
    # Every page's address opens the wall too, so a wall link with any path shows no
    # "page not found" dialog over it.
    aliases = ["wall", *[url for *_, url in PAGES + ADMIN_PAGES]]
    current = st.navigation(
        [st.Page("pages/wall.py", title=t("wall.open"), url_path=url, default=(url == "wall")) for url in aliases],
        position="hidden",
    )
    sync_url(root["code"])
    current.run()
    st.stop()

pages = [
    st.Page(path, title=t(title), icon=icon, url_path=url, default=(i == 0))
    for i, (path, title, icon, url) in enumerate(PAGES + (ADMIN_PAGES if access.is_admin else []))
]
current = st.navigation(pages, position="hidden")

with st.sidebar:
    st.markdown(f"### :material/shield: {t('app.title')}")
    if is_sample_data():
        st.caption(f":orange-badge[{t('app.sample_badge')}]")
    draw_identity(area_name(root["code"], state.lang))
    links = filter_query_params(root["code"])
    for page in pages:
        st.page_link(page, label=page.title, icon=page.icon, query_params=links, width="stretch")
    st.divider()
    draw_area_picker(root)
    draw_date_filter(bounds)
    st.divider()
    draw_language_switch()
    st.link_button(
        t("wall.open"),
        "./?" + urlencode({**links, "mode": "wall"}),
        icon=":material/tv:",
        width="stretch",
    )

sync_url(root["code"])
current.run()
