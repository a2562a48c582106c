"""The overview's 每日简报 section: PDF and HTML downloads of the briefing for the current
filter's area and last day. Nothing is built until a button is clicked, so the overview
stays as fast as before; a click does not rerun the page."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from briefing import file_stem
from data_access import audit
from data_access.access import Access
from data_access.scope import Scope
from presentation import formatting as fmt
from ui.auth import current_access
from ui.i18n import t


def briefing_buttons(scope: Scope, lang: str) -> None:
    """Download buttons for the briefing of ``scope``'s area on ``scope``'s last day."""
    area_code, day = scope.area_code, scope.end
    reader = current_access()
    stem = file_stem(area_code, day, lang)
    with st.container(border=True, key="briefing_panel"):
        st.markdown(f"**{t('briefing.name', lang)}**")
        st.caption(t("briefing.panel_note", lang, day=fmt.day(day, lang)))
        with st.container(horizontal=True, gap="small"):
            st.download_button(
                t("briefing.download_pdf", lang),
                data=lambda: audited(reader, area_code, day, lang, "pdf"),
                file_name=f"{stem}.pdf",
                mime="application/pdf",
                key="briefing_pdf",
                icon=":material/picture_as_pdf:",
                on_click="ignore",
            )
            st.download_button(
                t("briefing.download_html", lang),
                data=lambda: audited(reader, area_code, day, lang, "html"),
                file_name=f"{stem}.html",
                mime="text/html",
                key="briefing_html",
                icon=":material/description:",
                on_click="ignore",
            )


def audited(reader: Access, area_code: str, day: dt.date, lang: str, kind: str) -> bytes:
    """The briefing file, built for ``reader`` (within their area) when it is downloaded,
    and the download written to the audit log."""
    html = briefing_html(area_code, day, lang, reader.within)
    data = briefing_pdf(html) if kind == "pdf" else html.encode("utf-8")
    audit.record(reader.actor, audit.BRIEFING, area_code=area_code, detail=f"{kind} {day.isoformat()} {lang}")
    return data


def briefing_html(area_code: str, day: dt.date, lang: str, within: str | None = None) -> str:
    from briefing import build_briefing, render_html

    return render_html(build_briefing(area_code, day, within=within), lang)


def briefing_pdf(html: str) -> bytes:
    from briefing import render_pdf

    return render_pdf(html)
