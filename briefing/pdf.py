"""The briefing's HTML printed to an A4 PDF by WeasyPrint, with the fonts it uses (Noto
Sans CJK for Chinese) subset and embedded, so it reads the same on any machine."""

from __future__ import annotations

import logging

# WeasyPrint logs every CSS property it does not implement (e.g. print-color-adjust) as a
# warning; they are expected and say nothing about the document.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def render_pdf(html: str) -> bytes:
    """``html`` (a page from briefing.html) as PDF bytes. Makes no outside request: the
    page is self-contained, and any URL it named would be refused."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # data: URIs only: a page that named any other resource would not fetch it.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
