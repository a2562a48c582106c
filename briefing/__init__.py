"""Daily briefing 每日简报: one area and day as an A4 document — key figures against the
day before, alerts, a chart per domain, reporting completeness and the data time — as a
self-contained HTML page and as a PDF with its Chinese font embedded.

    from briefing import build_briefing, render_html, render_pdf
    b = build_briefing("418800", datetime.date(2022, 4, 30))
    html = render_html(b, "zh"); pdf = render_pdf(html)

``python -m briefing`` does the same from the command line (see docs/BRIEFING.md).
"""

import datetime as _dt

from briefing.content import Briefing, BriefingError, build_briefing, default_day

__all__ = ["Briefing", "BriefingError", "build_briefing", "default_day", "file_stem", "render_html", "render_pdf"]


def file_stem(area_code: str, day: _dt.date, lang: str) -> str:
    """``briefing-418800-2022-04-30-zh``: sorts by area and day, safe on any file system."""
    return f"briefing-{area_code}-{day.isoformat()}-{lang}"


def render_html(briefing: Briefing, lang: str) -> str:
    from briefing.html import render_html as _render

    return _render(briefing, lang)


def render_pdf(html: str) -> bytes:
    from briefing.pdf import render_pdf as _render

    return _render(html)
