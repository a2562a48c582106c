"""The briefing as one self-contained HTML page: inline CSS laid out for A4 (``@page``) and
for the screen, charts as inline SVG, no outside requests. The PDF is printed from it."""

from __future__ import annotations

import datetime as dt
from html import escape

from briefing import text  # noqa: F401 - registers the briefing's words
from briefing.charts import chart_svg
from briefing.content import Briefing, DomainSection, KeyFigure, Name
from briefing.text import COUNT_UNITS_ZH
from presentation import formatting as fmt
from ui.i18n import t


def _quiet_outside_streamlit() -> None:
    """ui.alerts_view imports the app's cached loaders, which warn "No runtime found" when
    defined outside a running app (the command line); expected here, so not shown."""
    import streamlit.runtime
    from streamlit.logger import get_logger

    if not streamlit.runtime.exists():
        get_logger("streamlit.runtime.caching.cache_data_api").setLevel("ERROR")


_quiet_outside_streamlit()
from ui.alerts_view import alert_text  # noqa: E402 - after quieting its import

MINUS = "\u2212"
ALERTS_SHOWN = 30
MISSING_UNITS_SHOWN = 12
CJK_FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB"'
# English text in a Latin face (CJK faces set quotes and dashes full-width), Chinese names
# in it still find a CJK face.
FONT_STACKS = {
    "zh": f"{CJK_FONTS}, sans-serif",
    "en": f'"Noto Sans", "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", {CJK_FONTS}, sans-serif',
}


def render_html(briefing: Briefing, lang: str) -> str:
    """The whole page for ``briefing`` in ``lang`` ("zh" or "en")."""
    title = t("briefing.title", lang, area=briefing.area(lang))
    parts = [
        _masthead(briefing, lang, title),
        _sample_notice(briefing, lang),
        _figures(briefing, lang),
        _alerts(briefing, lang),
        _trends(briefing, lang),
        _completeness(briefing, lang),
        _data_time(briefing, lang),
    ]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} · {escape(fmt.day(briefing.day, lang))}</title>\n"
        f'<meta name="description" content="{escape(t("briefing.name", lang))} · {escape(briefing.area_code)} · {briefing.day.isoformat()}">\n'
        f'<meta name="author" content="{escape(t("app.title", lang))}">\n'
        f"<style>\n{_css(lang, title)}\n</style>\n</head>\n<body>\n"
        f'<main class="sheet">\n{"".join(p for p in parts if p)}</main>\n</body>\n</html>\n'
    )


# ---------------------------------------------------------------- sections
def _masthead(b: Briefing, lang: str, title: str) -> str:
    level = t(f"filter.level.{b.level}", lang)
    meta = [
        t("briefing.for_day", lang, day=fmt.day(b.day, lang)),
        t("briefing.data_time", lang, time=fmt.local_time(b.last_reported_at, lang)),
        t("briefing.generated", lang, time=fmt.local_time(b.generated_at, lang)),
    ]
    return (
        '<header class="masthead">\n'
        f'<div class="kicker">{escape(t("app.title", lang))} · {escape(t("briefing.name", lang))}</div>\n'
        f"<h1>{escape(title)}</h1>\n"
        f'<div class="meta"><span class="area">{escape(b.area_code)} · {escape(level)}</span>'
        + "".join(f"<span>{escape(m)}</span>" for m in meta)
        + "</div>\n</header>\n"
    )


def _sample_notice(b: Briefing, lang: str) -> str:
    if not b.is_sample:
        return ""
    return f'<aside class="notice" role="note">{escape(t("briefing.sample_notice", lang))}</aside>\n'


def _figures(b: Briefing, lang: str) -> str:
    yesterday = b.day - dt.timedelta(days=1)
    rows = []
    for section in b.sections:
        rows.append(
            f'<tr class="domain"><th colspan="4">{escape(t(f"domain.{section.domain}", lang))}{_counted_note(section, lang)}</th></tr>'
        )
        for figure in section.figures:
            change, tone = _change(figure, lang)
            rows.append(
                f'<tr data-figure="{figure.key}" data-value="{"" if figure.value is None else repr(figure.value)}" '
                f'data-previous="{"" if figure.previous is None else repr(figure.previous)}">'
                f"<td>{escape(_label(figure, lang))}</td>"
                f'<td class="num value">{escape(_value(figure, figure.value, lang, on_the_day=True))}</td>'
                f'<td class="num">{escape(_value(figure, figure.previous, lang))}</td>'
                f'<td class="num change {tone}">{escape(change)}</td></tr>'
            )
    return (
        f'<section class="figures">\n<h2>{escape(t("briefing.section.figures", lang))}</h2>\n'
        '<table class="grid figures-table">\n<colgroup><col class="c-label"><col><col><col class="c-change"></colgroup>\n'
        f"<thead><tr><th>{escape(t('briefing.col.figure', lang))}</th>"
        f'<th class="num">{escape(fmt.short_day(b.day, lang))}</th>'
        f'<th class="num">{escape(fmt.short_day(yesterday, lang))}</th>'
        f'<th class="num">{escape(t("briefing.col.change", lang))}</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n</section>\n"
    )


def _alerts(b: Briefing, lang: str) -> str:
    heading = f"<h2>{escape(t('briefing.section.alerts', lang, n=len(b.alerts)))}</h2>\n"
    if not b.alerts:
        return f'<section class="alerts">\n{heading}<p class="ok">{escape(t("alerts.none", lang))}</p>\n</section>\n'
    areas = {code: name(lang) for code, name in b.alert_areas.items()}
    items = {code: name(lang) for code, name in b.items.items()}
    rows = [
        f'<tr class="{a.severity}" data-rule="{a.rule}"><td class="sev"><span class="badge {a.severity}">'
        f"{escape(t(f'alerts.severity.{a.severity}', lang))}</span></td><td>{escape(alert_text(a, lang, areas, items))}</td></tr>"
        for a in b.alerts[:ALERTS_SHOWN]
    ]
    more = (
        f'<p class="more">{escape(t("alerts.more", lang, n=len(b.alerts) - ALERTS_SHOWN))}</p>\n'
        if len(b.alerts) > ALERTS_SHOWN
        else ""
    )
    return (
        f'<section class="alerts">\n{heading}<table class="grid alerts-table">\n'
        f'<thead><tr><th class="sev">{escape(t("briefing.col.severity", lang))}</th><th>{escape(t("briefing.col.alert", lang))}</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n{more}</section>\n"
    )


def _trends(b: Briefing, lang: str) -> str:
    charts = [
        f'<figure class="chart" data-domain="{s.domain}"><figcaption>{escape(t(f"domain.{s.domain}", lang))} · '
        f"{escape(t(f'briefing.chart.{s.domain}', lang))}</figcaption>\n{chart_svg(s.chart, lang, f'chart-{s.domain}')}\n</figure>"
        for s in b.sections
    ]
    return (
        f'<section class="trends">\n<h2>{escape(t("briefing.section.trends", lang))}</h2>\n'
        f'<div class="charts">\n{chr(10).join(charts)}\n</div>\n</section>\n'
    )


def _completeness(b: Briefing, lang: str) -> str:
    rows = []
    for row in b.completeness:
        rows.append(
            f'<tr data-report-type="{row.report_type}"><td>{escape(t(f"report_type.{row.report_type}", lang))}</td>'
            f'<td class="num">{row.expected:,}</td><td class="num">{row.reported:,}</td>'
            f'<td class="num{" bad" if row.missing else ""}">{row.missing:,}</td><td class="num">{escape(fmt.percent(row.rate))}</td></tr>'
        )
    expected = sum(r.expected for r in b.completeness)
    reported = sum(r.reported for r in b.completeness)
    missing = sum(r.missing for r in b.completeness)
    rows.append(
        f'<tr class="total"><td>{escape(t("briefing.total", lang))}</td><td class="num">{expected:,}</td>'
        f'<td class="num">{reported:,}</td><td class="num">{missing:,}</td>'
        f'<td class="num">{escape(fmt.percent(reported / expected if expected else None))}</td></tr>'
    )
    if b.missing_units:
        names = [
            f"{u.name(lang)}（{t(f'report_type.{u.report_type}', lang)}）"
            if lang == "zh"
            else f"{u.name(lang)} ({t(f'report_type.{u.report_type}', lang)})"
            for u in b.missing_units[:MISSING_UNITS_SHOWN]
        ]
        listed = ("、" if lang == "zh" else "; ").join(names)
        if len(b.missing_units) > MISSING_UNITS_SHOWN:
            listed += ("" if lang == "zh" else " ") + t(
                "briefing.missing_more", lang, n=len(b.missing_units) - MISSING_UNITS_SHOWN
            )
        note = f'<p class="missing">{escape(t("briefing.missing_units", lang, units=listed))}</p>\n'
    else:
        note = f'<p class="ok">{escape(t("briefing.all_reported", lang))}</p>\n'
    return (
        f'<section class="completeness">\n<h2>{escape(t("briefing.section.completeness", lang, day=fmt.day(b.day, lang)))}</h2>\n'
        '<table class="grid completeness-table">\n'
        f'<thead><tr><th>{escape(t("overview.report_type", lang))}</th><th class="num">{escape(t("overview.expected", lang))}</th>'
        f'<th class="num">{escape(t("overview.reported", lang))}</th><th class="num">{escape(t("overview.missing", lang))}</th>'
        f'<th class="num">{escape(t("briefing.col.rate", lang))}</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n{note}</section>\n"
    )


def _data_time(b: Briefing, lang: str) -> str:
    """Per domain (one column each): the latest day with data and the last report received."""
    head = "".join(f'<th data-domain="{f.domain}">{escape(t(f"domain.{f.domain}", lang))}</th>' for f in b.freshness)
    days = "".join(f"<td>{escape(fmt.day(f.last_day, lang))}</td>" for f in b.freshness)
    reports = "".join(f"<td>{escape(fmt.local_time(f.last_reported_at, lang))}</td>" for f in b.freshness)
    return (
        f'<section class="data-time">\n<h2>{escape(t("briefing.section.data_time", lang))}</h2>\n'
        '<table class="grid freshness-table">\n'
        f"<thead><tr><th>{escape(t('briefing.col.domain', lang))}</th>{head}</tr></thead>\n"
        f"<tbody>\n<tr><th>{escape(t('overview.last_day', lang))}</th>{days}</tr>\n"
        f"<tr><th>{escape(t('overview.last_report', lang))}</th>{reports}</tr>\n</tbody>\n</table>\n"
        f'<p class="generated">{escape(t("briefing.generated", lang, time=fmt.local_time(b.generated_at, lang)))} · '
        f"{escape(t('app.title', lang))}</p>\n</section>\n"
    )


# ---------------------------------------------------------------- figures as text
def _label(figure: KeyFigure, lang: str) -> str:
    fields = {k: v(lang) if isinstance(v, Name) else v for k, v in figure.label_fields.items()}
    return t(f"briefing.figure.{figure.key}", lang, **fields)


def _value(figure: KeyFigure, value: float | None, lang: str, on_the_day: bool = False) -> str:
    """A figure's value with its unit: counts in 万 in Chinese (full figures in English)."""
    if value is None:
        # Nothing for the day but something the day before: its units did not report.
        return t("briefing.not_reported", lang) if on_the_day and figure.previous is not None else "—"
    if figure.kind == "ratio":
        return fmt.percent(value, figure.digits)
    if figure.kind == "days":
        return f"{fmt.decimal(value)} {t('unit.days', lang)}" if lang != "zh" else f"{fmt.decimal(value)}天"
    number = fmt.count(value, lang, compact=lang == "zh")
    return number + (COUNT_UNITS_ZH.get(figure.unit, "") if lang == "zh" else "")


def _change(figure: KeyFigure, lang: str) -> tuple[str, str]:
    """The change against the day before with its sign (and, for counts, in per cent),
    and its tone: good, bad or neutral news."""
    change = figure.change
    if change is None:
        return "—", "neutral"
    if change == 0:
        return t("common.no_change", lang), "neutral"
    if figure.kind == "ratio":
        text_ = _signed_points(change, figure.digits, lang)
    elif figure.kind == "days":
        text_ = f"{'+' if change > 0 else MINUS}{abs(change):,.1f}" + ("天" if lang == "zh" else f" {t('unit.days', lang)}")
    else:
        # In Chinese a change reads in 万 when the figure itself does ("32.8万辆", "−9.7万").
        in_wan = lang == "zh" and abs(figure.value) >= 1e5 and abs(change) >= 1e3
        text_ = (
            f"{'+' if change > 0 else MINUS}{abs(change) / 1e4:,.1f}万"
            if in_wan
            else fmt.signed_count(change, lang).replace("-", MINUS, 1)
        )
        relative = figure.relative_change
        if relative is not None:
            text_ += f"（{_signed_percent(relative)}）" if lang == "zh" else f" ({_signed_percent(relative)})"
    if figure.better is None:
        tone = "neutral"
    else:
        tone = "good" if (change > 0) == (figure.better == "up") else "bad"
    return text_, tone


def _signed_points(change: float, digits: int, lang: str) -> str:
    """A change of a ratio in percentage points, with enough digits not to read as 0."""
    points = change * 100
    while digits < 4 and 0 < abs(points) < 10**-digits:
        digits += 1
    sign = "+" if points > 0 else MINUS
    return f"{sign}{abs(points):.{digits}f}" + ("个百分点" if lang == "zh" else " pp")


def _signed_percent(ratio: float) -> str:
    return f"{'+' if ratio > 0 else MINUS if ratio < 0 else ''}{abs(ratio) * 100:.1f}%"


def _counted_note(section: DomainSection, lang: str) -> str:
    if section.counted_in is None:
        return ""
    # Vaccination doses are counted where given; only coverage needs the district's population.
    key = "briefing.coverage_counted_in" if section.domain == "vaccination" else "briefing.counted_in"
    return f'<span class="note">{escape(t(key, lang, name=section.counted_in(lang)))}</span>'


# ---------------------------------------------------------------- style
def _css(lang: str, title: str) -> str:
    footer = (
        f'"{_css_string(t("briefing.footer", lang, title=title))}" counter(page) '
        f'"{_css_string(t("briefing.footer_of", lang))}" counter(pages) "{_css_string(t("briefing.footer_end", lang))}"'
    )
    return f"""
@page {{
  size: A4;
  margin: 14mm 14mm 16mm 14mm;
  @bottom-center {{ content: {footer}; font-family: {FONT_STACKS[lang]}; font-size: 7.5pt; color: #777; }}
}}
* {{ box-sizing: border-box; }}
html {{ font-family: {FONT_STACKS[lang]}; font-size: 9.5pt; line-height: 1.45; color: #1b1f24;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; }}
@media screen {{
  body {{ background: #e8eaed; padding: 16px 0; }}
  .sheet {{ width: 210mm; min-height: 297mm; margin: 0 auto; padding: 14mm; background: #fff;
    box-shadow: 0 1px 6px rgba(0, 0, 0, .25); }}
}}
@media print {{ .sheet {{ width: auto; padding: 0; }} }}
.masthead {{ border-bottom: 2.5pt solid #c62828; padding-bottom: 5pt; margin-bottom: 8pt; }}
.kicker {{ color: #c62828; font-weight: 700; font-size: 9pt; letter-spacing: .05em; }}
h1 {{ font-size: 17pt; margin: 2pt 0 4pt; line-height: 1.25; }}
.meta {{ display: flex; flex-wrap: wrap; gap: 2pt 12pt; color: #444; font-size: 8.5pt; }}
.meta .area {{ font-weight: 700; color: #1b1f24; }}
.notice {{ border: 1pt solid #e0a800; background: #fff8e1; color: #5d4300; padding: 4pt 7pt; font-size: 8pt;
  margin: 0 0 8pt; border-radius: 3pt; }}
h2 {{ font-size: 11.5pt; margin: 11pt 0 4pt; padding-left: 6pt; border-left: 3.5pt solid #c62828;
  break-after: avoid; page-break-after: avoid; }}
section {{ margin-bottom: 4pt; }}
table.grid {{ width: 100%; border-collapse: collapse; font-size: 9pt; }}
table.grid th, table.grid td {{ padding: 1.6pt 6pt; border-bottom: .6pt solid #dde1e6; vertical-align: top; }}
table.grid thead th {{ background: #f1f3f5; font-weight: 700; text-align: left; border-bottom: 1pt solid #9aa3ad; }}
table.grid tr {{ break-inside: avoid; page-break-inside: avoid; }}
thead {{ display: table-header-group; }}
.num {{ text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }}
tr.domain th {{ background: #fafbfc; text-align: left; font-weight: 700; color: #c62828; padding-top: 4pt; }}
tr.domain .note {{ font-weight: 400; color: #666; font-size: 8pt; margin-left: 8pt; }}
.figures-table col.c-label {{ width: 40%; }}
.figures-table col.c-change {{ width: 26%; }}
.figures-table td.value {{ font-weight: 700; }}
.change.good {{ color: #1b7f3b; }}
.change.bad {{ color: #c62828; }}
.change.neutral {{ color: #444; }}
td.bad {{ color: #c62828; font-weight: 700; }}
.alerts-table th.sev, .alerts-table td.sev {{ width: 15%; white-space: nowrap; }}
.badge {{ display: inline-block; padding: 0 5pt; border-radius: 7pt; font-size: 7.5pt; font-weight: 700; color: #fff; }}
.badge.critical {{ background: #c62828; }}
.badge.warning {{ background: #ef6c00; }}
/* inline blocks rather than flex: a row of charts may then move to the next page alone */
.charts {{ font-size: 0; orphans: 1; widows: 1; }}
figure.chart {{ display: inline-block; vertical-align: top; width: 49.3%; margin: 0 0 4pt; font-size: 9pt; border: .6pt solid #dde1e6; border-radius: 3pt; padding: 3pt 4pt 1pt;
  break-inside: avoid; page-break-inside: avoid; }}
figure.chart:nth-child(odd) {{ margin-right: 1.4%; }}
figure.chart figcaption {{ font-weight: 700; font-size: 8.5pt; margin-bottom: 1pt; }}
figure.chart svg {{ display: block; width: 100%; height: auto; }}
.freshness-table tbody th {{ text-align: left; font-weight: 400; color: #444; white-space: nowrap; }}
.freshness-table td {{ font-size: 8.5pt; }}
.completeness-table tr.total td {{ font-weight: 700; border-top: 1pt solid #9aa3ad; }}
p.missing, p.ok, p.more, p.generated {{ font-size: 8.5pt; margin: 3pt 0; }}
p.missing {{ color: #8a1c1c; }}
p.ok {{ color: #1b7f3b; }}
p.generated {{ color: #666; }}
.completeness, .data-time {{ break-inside: avoid; page-break-inside: avoid; }}
"""


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
