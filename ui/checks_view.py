"""Data checks on screen: the list on the overview (several days of the same check on one
line naming the days). Their sentences, card flags and row flags: presentation/sentences.py."""

from __future__ import annotations

import streamlit as st

from data_access import data_checks as checks_module
from data_access.data_checks import DataCheck
from presentation.sentences import figure_help, group_text, grouped
from presentation.text import markdown_plain
from ui.data import as_reader, load_plain
from ui.i18n import t


def load_checks(scope) -> list[DataCheck]:
    """The scope's data checks, read as the session's user (cached with the other query results)."""
    return load_plain(checks_module.data_checks, as_reader(scope), default=[])


def checks_panel(checks: list[DataCheck], lang: str, limit: int = 8) -> None:
    groups = grouped(checks)
    with st.container(border=True):
        st.markdown(f"**{t('checks.title', lang, n=len(checks))}**")
        if not checks:
            st.success(t("checks.none", lang), icon=":material/check_circle:")
            return
        for group in groups[:limit]:
            st.markdown(
                f":orange-badge[⚠] {markdown_plain(group_text(group, lang), 2000)}", help=figure_help(group[-1].metric, lang)
            )
        if len(groups) > limit:
            st.caption(t("alerts.more", lang, n=len(groups) - limit))
