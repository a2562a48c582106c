"""Who this session is, decided at the top of every run: a signed-in user (Streamlit's
``st.login``, OpenID Connect), a wall's kiosk link, or open mode on the sample database.

``gate()`` draws the sign-in, no-access, expired-link or not-configured page and stops
the run when nobody may see anything; otherwise it returns the session's Access, which
``ui.data.load`` puts into every query's scope. Nothing here trusts session state: the
access is worked out again on every run from the identity cookie, the URL's kiosk token
and the database.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit.auth_util import get_secrets_auth_section

from data_access import audit, users
from data_access.access import OIDC, OPEN, OPEN_ACCESS, UNCONFIGURED, Access, auth_mode, embedded_database
from data_access.scope import DatabaseUnavailable
from data_access.settings import access_settings
from presentation.text import LANGUAGES
from ui.i18n import t

_ACCESS_KEY = "_access"


def current_mode() -> str:
    return auth_mode(access_settings().auth_mode, bool(get_secrets_auth_section()), embedded_database())


def current_access() -> Access:
    """The access ``gate()`` decided for this run (open mode outside a gated run)."""
    return st.session_state.get(_ACCESS_KEY) or OPEN_ACCESS


def identity_expired(claims: dict, now: dt.datetime | None = None) -> bool:
    """True when the identity token's ``exp`` (seconds since the epoch) has passed."""
    exp = claims.get("exp")
    try:
        return exp is not None and float(exp) <= (now or dt.datetime.now(dt.UTC)).timestamp()
    except (TypeError, ValueError):
        return True  # an unreadable expiry is not trusted


@st.cache_data(ttl=30, max_entries=1000, show_spinner=False)
def _active_user(email: str) -> users.User | None:
    # Short-lived: a disabled user or a changed role takes effect within 30 seconds.
    return users.active_user(email)


def _once(key: str) -> bool:
    """True the first time in this session (so sign-ins and refusals are logged once)."""
    seen = st.session_state.setdefault("_audited", set())
    if key in seen:
        return False
    seen.add(key)
    return True


def audit_once(key: str, actor: str, action: str, **fields) -> None:
    if _once(key):
        try:
            audit.record(actor, action, **fields)
        except DatabaseUnavailable:
            st.session_state["_audited"].discard(key)  # try again on the next run


def _stop_with(title_key: str, body_key: str, icon: str, **fields) -> None:
    st.title(t(title_key))
    st.info(t(body_key, **fields), icon=icon)


def _sign_in_button() -> None:
    st.button(t("auth.sign_in"), on_click=st.login, type="primary", icon=":material/login:", key="auth_sign_in")


def _on_sign_out() -> None:
    access = st.session_state.get(_ACCESS_KEY)
    if access is None:  # from the no-access page: the identity never became a user
        claims = st.user.to_dict() if st.user.is_logged_in else {}
        access = Access(actor=str(claims.get(access_settings().email_claim) or "?").strip().lower(), role="", within=None)
    try:
        audit.record(access.actor, audit.SIGN_OUT, area_code=access.within)
    except DatabaseUnavailable:
        pass
    st.logout()


def sign_out_button() -> None:
    st.button(t("auth.sign_out"), on_click=_on_sign_out, icon=":material/logout:", key="auth_sign_out", width="stretch")


def _kiosk(token: str) -> Access | None:
    why, access, area_code = users.kiosk_access(token)
    if access is None:
        audit_once(
            f"kiosk-denied:{token[:16]}",
            "kiosk:?" if area_code is None else f"kiosk:{area_code}",
            audit.DENIED,
            outcome=audit.REFUSED,
            area_code=area_code,
            detail=f"kiosk link {why}",
        )
        _stop_with("auth.kiosk_title", f"auth.kiosk_{why}", ":material/tv_off:")
        st.stop()
    audit_once(f"kiosk:{access.actor}", access.actor, audit.KIOSK_OPEN, area_code=access.within, detail=access.name)
    return access


def _signed_in_user() -> Access:
    if not st.user.is_logged_in:
        _stop_with("app.title", "auth.please_sign_in", ":material/lock:")
        _sign_in_button()
        st.stop()
    claims = st.user.to_dict()
    claim = access_settings().email_claim
    email = str(claims.get(claim) or "").strip().lower()
    if identity_expired(claims):
        _stop_with("auth.expired_title", "auth.expired", ":material/timer_off:")
        _sign_in_button()
        st.stop()
    user = _active_user(email) if email else None
    if user is None:
        audit_once(
            f"unknown:{email}",
            email or "?",
            audit.DENIED,
            outcome=audit.REFUSED,
            detail=f"no active user for {claim}={email or '—'}",
        )
        _stop_with("auth.no_access_title", "auth.no_access", ":material/person_off:", email=email or "—")
        sign_out_button()
        st.stop()
    access = user.access()
    audit_once(f"sign-in:{email}", access.actor, audit.SIGN_IN, area_code=access.within, detail=f"role={access.role}")
    return access


def gate() -> Access:
    """The session's access for this run; stops the run on a page of its own when there is none."""
    st.session_state.pop(_ACCESS_KEY, None)
    lang = st.query_params.get("lang")
    if lang in LANGUAGES and "lang" not in st.session_state:
        st.session_state["lang"] = lang
    mode = current_mode()
    token = st.query_params.get("kiosk")
    if mode == UNCONFIGURED:  # before anything else: not even a kiosk link opens such a database
        _stop_with("auth.unconfigured_title", "auth.unconfigured", ":material/settings:")
        st.code(t("auth.unconfigured_example"), language="toml")
        st.stop()
    if token:
        access = _kiosk(token)
    elif mode == OPEN:
        access = OPEN_ACCESS
    else:
        assert mode == OIDC
        access = _signed_in_user()
    st.session_state[_ACCESS_KEY] = access
    return access


def still_allowed() -> None:
    """For fragments that rerun on their own (the wall): a revoked or expired kiosk link,
    or a disabled user, ends the view at the next refresh."""
    access = current_access()
    token = st.query_params.get("kiosk")
    try:
        if access.is_kiosk:
            why, _, _ = users.kiosk_access(token or "")
            if why != users.KIOSK_OK:
                st.rerun(scope="app")
        elif access.role != OPEN and (users.active_user(access.actor) is None or identity_expired(st.user.to_dict())):
            st.rerun(scope="app")
    except DatabaseUnavailable:
        pass  # an outage does not end the wall: it keeps its figures under the banner


def draw_identity(area_label: str) -> None:
    """The sidebar's line saying who is signed in (with sign-out), or that nobody is."""
    access = current_access()
    if access.role == OPEN:
        st.markdown(f":orange-badge[:material/lock_open: {t('auth.open_badge')}]", help=t("auth.open_note"))
        return
    st.caption(
        ":material/account_circle: "
        + t("auth.signed_in_as", name=access.name or access.actor, role=t(f"auth.role.{access.role}"), area=area_label)
    )
    if not access.is_kiosk:
        sign_out_button()
