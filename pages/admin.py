"""Users & audit 用户与审计 (admins only): add, change and disable users, make and revoke
wall-screen kiosk links, and read the audit log. Every change is audited as the admin."""

import datetime as dt

import pandas as pd
import streamlit as st

from data_access import audit, users
from data_access.schema import ROLES
from data_access.scope import DatabaseUnavailable
from data_access.settings import access_settings
from presentation.views import admin as view
from ui.auth import current_access
from ui.components import page_header, table_block
from ui.data import load_plain, show_database_banner
from ui.i18n import t
from ui.page_setup import page_context
from ui.sidebar import area_name, area_table

state, scope = page_context()
lang = state.lang
admin = current_access()
page_header("nav.admin", "")
if not admin.is_admin:
    st.warning(t("admin.only_admins"), icon=":material/block:")
    st.stop()

areas = area_table()
area_codes = areas.index.tolist()


def area_label(code: str) -> str:
    return f"{area_name(code, lang)} · {code}"


def apply(change) -> None:
    """Run a user change; say what happened, or why it could not be made."""
    try:
        message = change()
    except users.UserError as error:
        st.session_state["admin_message"] = ("error", t(f"admin.error.{error.code}", detail=error.detail))
    except DatabaseUnavailable as error:
        show_database_banner(error)
        return
    else:
        st.session_state["admin_message"] = ("success", message)
        st.cache_data.clear()


kind, message = st.session_state.pop("admin_message", (None, None))
if kind:
    (st.success if kind == "success" else st.error)(message)

users_tab, kiosk_tab, audit_tab = st.tabs([t("admin.tab.users"), t("admin.tab.kiosks"), t("admin.tab.audit")])

# ---------------------------------------------------------------- users
with users_tab:
    listed = load_plain(users.list_users, admin.within, default=pd.DataFrame())
    if listed is not None and not listed.empty:
        table_block(t("admin.users"), view.users_table(listed, area_label, lang), "users")
    else:
        st.info(t("admin.no_users"), icon=":material/group:")

    add_col, change_col = st.columns(2)
    with add_col, st.form("admin_add_user", border=True):
        st.markdown(f"**{t('admin.add_user')}**")
        email = st.text_input(t("admin.col.email"), max_chars=254, key="admin_add_email")
        name = st.text_input(t("admin.col.name"), max_chars=100, key="admin_add_name")
        role = st.selectbox(t("admin.col.role"), ROLES, format_func=lambda r: t(f"auth.role.{r}"), key="admin_add_role")
        area = st.selectbox(t("admin.col.area"), area_codes, format_func=area_label, key="admin_add_area")
        if st.form_submit_button(t("admin.add"), type="primary", icon=":material/person_add:"):
            apply(lambda: t("admin.added", email=users.add_user(email, role, area, name, by=admin).email))
            st.rerun()

    with change_col, st.form("admin_change_user", border=True):
        st.markdown(f"**{t('admin.change_user')}**")
        emails = listed["email"].tolist() if listed is not None and not listed.empty else []
        who = st.selectbox(t("admin.col.email"), emails, index=None, key="admin_change_email", placeholder=t("admin.choose"))
        new_role = st.selectbox(
            t("admin.col.role"),
            [None, *ROLES],
            format_func=lambda r: t("admin.unchanged") if r is None else t(f"auth.role.{r}"),
            key="admin_change_role",
        )
        new_area = st.selectbox(
            t("admin.col.area"),
            [None, *area_codes],
            format_func=lambda c: t("admin.unchanged") if c is None else area_label(c),
            key="admin_change_area",
        )
        status = st.radio(
            t("admin.col.status"),
            [None, True, False],
            horizontal=True,
            key="admin_change_active",
            format_func=lambda a: t("admin.unchanged") if a is None else (t("admin.active") if a else t("admin.disabled")),
        )
        if st.form_submit_button(t("admin.save"), icon=":material/save:") and who:
            apply(
                lambda: t(
                    "admin.changed", email=users.set_user(who, role=new_role, area_code=new_area, active=status, by=admin).email
                )
            )
            st.rerun()

# ---------------------------------------------------------------- kiosk links
with kiosk_tab:
    st.caption(t("admin.kiosk_note"))
    links = load_plain(users.kiosk_links, admin.within, default=pd.DataFrame())
    now = dt.datetime.now(dt.UTC)

    if links is not None and not links.empty:
        table_block(t("admin.kiosks"), view.kiosk_table(links, area_label, now, lang), "kiosk_links")
    made = st.session_state.pop("admin_new_kiosk", None)
    if made:
        st.success(t("admin.kiosk.made"), icon=":material/link:")
        st.code(made, language=None)
    make_col, revoke_col = st.columns(2)
    with make_col, st.form("admin_make_kiosk", border=True):
        st.markdown(f"**{t('admin.kiosk.make')}**")
        label = st.text_input(t("admin.col.label"), max_chars=100, key="admin_kiosk_label")
        kiosk_area = st.selectbox(t("admin.col.area"), area_codes, format_func=area_label, key="admin_kiosk_area")
        days = st.number_input(t("admin.kiosk.days"), min_value=0, max_value=3650, value=30, step=1, key="admin_kiosk_days")
        if st.form_submit_button(t("admin.kiosk.make"), type="primary", icon=":material/add_link:"):

            def make() -> str:
                _, token = users.create_kiosk(kiosk_area, label, int(days) or None, by=admin)
                st.session_state["admin_new_kiosk"] = users.kiosk_url(access_settings().public_url, token)
                return t("admin.kiosk.made")

            apply(make)
            st.rerun()
    with revoke_col, st.form("admin_revoke_kiosk", border=True):
        st.markdown(f"**{t('admin.kiosk.revoke')}**")
        ids = links["id"].tolist() if links is not None and not links.empty else []
        link_id = st.selectbox(
            "ID",
            ids,
            index=None,
            key="admin_kiosk_revoke_id",
            placeholder=t("admin.choose"),
            format_func=lambda i: f"{i} · {links.set_index('id').at[i, 'label']}",
        )
        if st.form_submit_button(t("admin.kiosk.revoke"), icon=":material/link_off:") and link_id is not None:
            apply(lambda: (users.revoke_kiosk(int(link_id), by=admin), t("admin.kiosk.revoked_done", id=link_id))[1])
            st.rerun()

# ---------------------------------------------------------------- audit log
with audit_tab:
    left, middle, right = st.columns(3)
    action = left.selectbox(
        t("admin.col.action"),
        list(audit.ACTIONS),
        index=None,
        key="admin_audit_action",
        format_func=lambda a: t(f"admin.action.{a}"),
        placeholder=t("filter.whole"),
    )
    actor = middle.text_input(t("admin.col.actor"), max_chars=100, key="admin_audit_actor")
    since = right.date_input(t("admin.since"), value=None, key="admin_audit_since", format="YYYY-MM-DD")
    events = load_plain(audit.audit_events, admin.within, action, actor or None, since, 1000, default=pd.DataFrame())
    if events is None or events.empty:
        st.info(t("admin.no_events"), icon=":material/history:")
    else:
        table_block(t("admin.audit_log"), view.audit_table(events, lang), "audit_log")
