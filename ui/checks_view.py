"""Data checks on screen: a sentence per check, the list on the overview, and the flags
the KPI cards of the domains concerned carry."""

from __future__ import annotations

import streamlit as st

from data_access import data_checks as checks_module
from data_access.data_checks import DataCheck
from ui import format as fmt
from ui.i18n import t


def check_text(check: DataCheck, lang: str) -> str:
    domain = t(f"domain.{check.domain}", lang)
    day = fmt.day(check.day, lang) if check.day is not None else "—"
    if check.check == "tested_above_collected":
        return t("checks.tested_above_collected", lang, day=day, figure=fmt.count(check.figure, lang), available=fmt.count(check.details["available"], lang))
    if check.check == "doses_above_delivered":
        return t("checks.doses_above_delivered", lang, day=day, figure=fmt.count(check.figure, lang), delivered=fmt.count(check.details["delivered"], lang))
    if check.check == "cumulative_down":
        return t("checks.cumulative_down", lang, domain=domain, day=day, figure=fmt.count(check.figure, lang))
    if check.check == "jump":
        return t("checks.jump", lang, domain=domain, day=day, figure=fmt.count(check.figure, lang), median=fmt.count(check.details["median"], lang))
    return t("checks.stale", lang, domain=domain, day=day, expected=fmt.day(check.details["expected"], lang), figure=fmt.count(check.figure, lang))


def flags_by_domain(checks: list[DataCheck], lang: str) -> dict[str, str]:
    """Per domain, the text of its checks (what a KPI card's flag says)."""
    flags: dict[str, list[str]] = {}
    for check in checks:
        flags.setdefault(check.domain, []).append(check_text(check, lang))
    return {domain: "；".join(texts) if lang == "zh" else "; ".join(texts) for domain, texts in flags.items()}


def load_checks(scope) -> list[DataCheck]:
    """The scope's data checks, read as the session's user (cached with the other query results)."""
    from ui.data import as_reader, load_plain

    return load_plain(checks_module.data_checks, as_reader(scope), default=[])


def checks_panel(checks: list[DataCheck], lang: str, limit: int = 8) -> None:
    with st.container(border=True):
        st.markdown(f"**{t('checks.title', lang, n=len(checks))}**")
        if not checks:
            st.success(t("checks.none", lang), icon=":material/check_circle:")
            return
        for check in checks[:limit]:
            st.markdown(f":orange-badge[⚠] {check_text(check, lang)}")
        if len(checks) > limit:
            st.caption(t("alerts.more", lang, n=len(checks) - limit))


def flag_rows(table, checks: list[DataCheck], domain: str, lang: str, day_column: str):
    """``table`` (one row per day, ``day_column`` holding the day) with a data-check column
    naming what is wrong with the rows concerned."""
    by_day: dict = {}
    for check in checks:
        if check.domain == domain and check.check != "stale" and check.day is not None:
            by_day.setdefault(check.day, []).append(check_text(check, lang))
    if not by_day or table is None or table.empty:
        return table
    return table.assign(**{t("checks.flag", lang): table[day_column].map(lambda d: "⚠ " + "；".join(by_day[d]) if d in by_day else "")})
