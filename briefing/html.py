"""The briefing as one self-contained HTML page: inline CSS laid out for A4 (``@page``) and
for the screen, charts as inline SVG, no outside requests. The PDF is printed from it."""

from __future__ import annotations

import datetime as dt
from html import escape

from briefing.charts import chart_svg
from briefing.content import Briefing, DomainSection, KeyFigure, Name
from briefing.supply_outlook import outlook_html
from presentation import formatting as fmt
from presentation import palette
from presentation.catalogue import HIGHER, NEITHER, name
from presentation.sentences import alert_text
from presentation.suppression import note
from presentation.text import join, text

MINUS = "\u2212"
ALERTS_SHOWN = 30
MISSING_UNITS_SHOWN = 12
# In a row that reads compact, numbers from this size do (below it Chinese has no 万 form).
COMPACT_IN_ROW_FROM = 10_000
# The completeness table's columns after the report type, in order.
COMPLETENESS_FIGURES = ("reporting.expected", "reporting.reported", "reporting.missing", "reporting.rate")


def render_html(briefing: Briefing, lang: str) -> str:
    """The whole page for ``briefing`` in ``lang`` (a language of presentation/locales)."""
    title = text("briefing.title", lang, area=briefing.area(lang))
    parts = [
        _masthead(briefing, lang, title),
        _sample_notice(briefing, lang),
        _figures(briefing, lang),
        _alerts(briefing, lang),
        outlook_html(briefing, lang),
        _trends(briefing, lang),
        _completeness(briefing, lang),
        _data_time(briefing, lang),
    ]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{text("briefing.html_lang", lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} · {escape(fmt.day(briefing.day, lang))}</title>\n"
        f'<meta name="description" content="{escape(text("briefing.name", lang))} · {escape(briefing.area_code)} · {briefing.day.isoformat()}">\n'
        f'<meta name="author" content="{escape(text("app.title", lang))}">\n'
        f"<style>\n{_css(lang, title)}\n</style>\n</head>\n<body>\n"
        f'<main class="sheet">\n{"".join(p for p in parts if p)}</main>\n</body>\n</html>\n'
    )


# ---------------------------------------------------------------- sections
def _masthead(b: Briefing, lang: str, title: str) -> str:
    level = text(f"filter.level.{b.level}", lang)
    meta = [
        text("briefing.for_day", lang, day=fmt.day(b.day, lang)),
        text("briefing.data_time", lang, time=fmt.local_time(b.last_reported_at, lang)),
        text("briefing.generated", lang, time=fmt.local_time(b.generated_at, lang)),
    ]
    return (
        '<header class="masthead">\n'
        f'<div class="kicker">{escape(text("app.title", lang))} · {escape(text("briefing.name", lang))}</div>\n'
        f"<h1>{escape(title)}</h1>\n"
        f'<div class="meta"><span class="area">{escape(b.area_code)} · {escape(level)}</span>'
        + "".join(f"<span>{escape(m)}</span>" for m in meta)
        + "</div>\n</header>\n"
    )


def _sample_notice(b: Briefing, lang: str) -> str:
    if not b.is_sample:
        return ""
    return f'<aside class="notice" role="note">{escape(text("briefing.sample_notice", lang))}</aside>\n'


def _figures(b: Briefing, lang: str) -> str:
    yesterday = b.day - dt.timedelta(days=1)
    rows = []
    for section in b.sections:
        rows.append(
            f'<tr class="domain"><th colspan="4">{escape(text(f"domain.{section.domain}", lang))}{_counted_note(section, lang)}</th></tr>'
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
        f'<section class="figures">\n<h2>{escape(text("briefing.section.figures", lang))}</h2>\n'
        '<table class="grid figures-table">\n<colgroup><col class="c-label"><col><col><col class="c-change"></colgroup>\n'
        f"<thead><tr><th>{escape(text('briefing.col.figure', lang))}</th>"
        f'<th class="num">{escape(fmt.short_day(b.day, lang))}</th>'
        f'<th class="num">{escape(fmt.short_day(yesterday, lang))}</th>'
        f'<th class="num">{escape(text("briefing.col.change", lang))}</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n{_suppression_note(b, lang)}</section>\n"
    )


def _suppression_note(b: Briefing, lang: str) -> str:
    if b.suppressed_below is None:
        return ""
    n = b.suppressed_below
    return f'<p class="suppression-note">{escape(note(n, lang))} {escape(text("suppression.briefing_gap", lang, n=n))}</p>\n'


def _alerts(b: Briefing, lang: str) -> str:
    heading = f"<h2>{escape(text('briefing.section.alerts', lang, n=len(b.alerts)))}</h2>\n"
    if not b.alerts:
        return f'<section class="alerts">\n{heading}<p class="ok">{escape(text("alerts.none", lang))}</p>\n</section>\n'
    areas = {code: area(lang) for code, area in b.alert_areas.items()}
    items = {code: item(lang) for code, item in b.items.items()}
    rows = [
        f'<tr class="{a.severity}" data-rule="{a.rule}"><td class="sev"><span class="badge {a.severity}">'
        f"{escape(text(f'alerts.severity.{a.severity}', lang))}</span></td><td>{escape(alert_text(a, lang, areas, items))}</td></tr>"
        for a in b.alerts[:ALERTS_SHOWN]
    ]
    more = (
        f'<p class="more">{escape(text("alerts.more", lang, n=len(b.alerts) - ALERTS_SHOWN))}</p>\n'
        if len(b.alerts) > ALERTS_SHOWN
        else ""
    )
    return (
        f'<section class="alerts">\n{heading}<table class="grid alerts-table">\n'
        f'<thead><tr><th class="sev">{escape(text("briefing.col.severity", lang))}</th><th>{escape(text("briefing.col.alert", lang))}</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n{more}</section>\n"
    )


def _trends(b: Briefing, lang: str) -> str:
    charts = [
        f'<figure class="chart" data-domain="{s.domain}"><figcaption>{escape(text(f"domain.{s.domain}", lang))} · '
        f"{escape(text(f'briefing.chart.{s.domain}', lang))}</figcaption>\n{chart_svg(s.chart, lang, f'chart-{s.domain}')}\n</figure>"
        for s in b.sections
    ]
    return (
        f'<section class="trends">\n<h2>{escape(text("briefing.section.trends", lang))}</h2>\n'
        f'<div class="charts">\n{chr(10).join(charts)}\n</div>\n</section>\n'
    )


def _completeness(b: Briefing, lang: str) -> str:
    rows = []
    for row in b.completeness:
        rows.append(
            f'<tr data-report-type="{row.report_type}"><td>{escape(text(f"report_type.{row.report_type}", lang))}</td>'
            f'<td class="num">{fmt.count(row.expected, lang)}</td><td class="num">{fmt.count(row.reported, lang)}</td>'
            f'<td class="num{" bad" if row.missing else ""}">{fmt.count(row.missing, lang)}</td>'
            f'<td class="num">{escape(fmt.percent(row.rate, lang))}</td></tr>'
        )
    expected = sum(r.expected for r in b.completeness)
    reported = sum(r.reported for r in b.completeness)
    missing = sum(r.missing for r in b.completeness)
    rows.append(
        f'<tr class="total"><td>{escape(text("briefing.total", lang))}</td><td class="num">{fmt.count(expected, lang)}</td>'
        f'<td class="num">{fmt.count(reported, lang)}</td><td class="num">{fmt.count(missing, lang)}</td>'
        f'<td class="num">{escape(fmt.percent(reported / expected if expected else None, lang))}</td></tr>'
    )
    if b.missing_units:
        listed = join(
            (
                text("briefing.missing_unit", lang, name=u.name(lang), report_type=text(f"report_type.{u.report_type}", lang))
                for u in b.missing_units[:MISSING_UNITS_SHOWN]
            ),
            lang,
        )
        more = len(b.missing_units) - MISSING_UNITS_SHOWN
        missing_text = (
            text("briefing.missing_units_more", lang, units=listed, n=more)
            if more > 0
            else text("briefing.missing_units", lang, units=listed)
        )
        note = f'<p class="missing">{escape(missing_text)}</p>\n'
    else:
        note = f'<p class="ok">{escape(text("briefing.all_reported", lang))}</p>\n'
    figures = "".join(f'<th class="num">{escape(name(key, lang))}</th>' for key in COMPLETENESS_FIGURES)
    return (
        f'<section class="completeness">\n<h2>{escape(text("briefing.section.completeness", lang, day=fmt.day(b.day, lang)))}</h2>\n'
        '<table class="grid completeness-table">\n'
        f"<thead><tr><th>{escape(text('overview.report_type', lang))}</th>{figures}</tr></thead>\n"
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n{note}</section>\n"
    )


def _data_time(b: Briefing, lang: str) -> str:
    """Per domain (one column each): the latest day with data and the last report received."""
    head = "".join(f'<th data-domain="{f.domain}">{escape(text(f"domain.{f.domain}", lang))}</th>' for f in b.freshness)
    days = "".join(f"<td>{escape(fmt.day(f.last_day, lang))}</td>" for f in b.freshness)
    reports = "".join(f"<td>{escape(fmt.local_time(f.last_reported_at, lang))}</td>" for f in b.freshness)
    return (
        f'<section class="data-time">\n<h2>{escape(text("briefing.section.data_time", lang))}</h2>\n'
        '<table class="grid freshness-table">\n'
        f"<thead><tr><th>{escape(text('briefing.col.domain', lang))}</th>{head}</tr></thead>\n"
        f"<tbody>\n<tr><th>{escape(text('overview.last_day', lang))}</th>{days}</tr>\n"
        f"<tr><th>{escape(text('overview.last_report', lang))}</th>{reports}</tr>\n</tbody>\n</table>\n"
        f'<p class="generated">{escape(text("briefing.generated", lang, time=fmt.local_time(b.generated_at, lang)))} · '
        f"{escape(text('app.title', lang))}</p>\n</section>\n"
    )


# ---------------------------------------------------------------- figures as text
def _label(figure: KeyFigure, lang: str) -> str:
    """The figure's catalogue name, with what it picks out beside it."""
    label = figure.metric.name(lang)
    if figure.note is None:
        return label
    note = figure.note(lang) if isinstance(figure.note, Name) else fmt.with_unit(f"{figure.note:g}", "days", lang)
    return text("briefing.figure_note", lang, name=label, note=note)


def _value(figure: KeyFigure, value: float | None, lang: str, on_the_day: bool = False) -> str:
    """A figure's value in its catalogue unit: percentages, days with their unit, counts
    compact from 100,000 (62万人次, 620K) and followed by their unit where the language
    says one."""
    mark = figure.value_mark if on_the_day else figure.previous_mark
    if mark:
        return mark
    if value is None:
        # Nothing for the day but something the day before: its units did not report.
        return text("briefing.not_reported", lang) if on_the_day and figure.previous is not None else fmt.DASH
    unit = figure.metric.unit
    if unit == "percent":
        return fmt.percent(value, lang, figure.digits)
    if unit == "days":
        return fmt.with_unit(fmt.decimal(value, lang), unit, lang)
    return text(f"briefing.count.{unit}", lang, n=_count(value, lang, _compact_row(figure)))


def _change(figure: KeyFigure, lang: str) -> tuple[str, str]:
    """The change against the day before with its sign (and, for counts, in per cent),
    and its tone by the catalogue's good direction: good, bad or neutral news."""
    change = figure.change
    if change is None:
        return fmt.DASH, "neutral"
    if change == 0:
        return text("common.no_change", lang), "neutral"
    unit = figure.metric.unit
    if unit == "percent":
        change_text = _signed_points(change, figure.digits, lang)
    elif unit == "days":
        change_text = _signed(fmt.with_unit(fmt.decimal(abs(change), lang), unit, lang), change)
    else:
        change_text = _signed(_count(abs(change), lang, _compact_row(figure)), change)
        relative = figure.relative_change
        if relative is not None:
            relative_text = _signed(fmt.percent(abs(relative), lang), relative)
            change_text = text("briefing.change_relative", lang, change=change_text, relative=relative_text)
    better = figure.metric.better
    tone = "neutral" if better == NEITHER else "good" if (change > 0) == (better == HIGHER) else "bad"
    return change_text, tone


def _compact_row(figure: KeyFigure) -> bool:
    """A count's row reads compact (62万, 620K) when either day's figure is as large as a
    card would show compact, so its two days and its change read alike (9.4万 beside
    10.2万, not 94,416)."""
    return any(v is not None and abs(v) >= fmt.COMPACT_FROM for v in (figure.value, figure.previous))


def _count(number: float, lang: str, compact: bool) -> str:
    return fmt.count(number, lang, compact=compact, compact_from=COMPACT_IN_ROW_FROM)


def _signed_points(change: float, digits: int, lang: str) -> str:
    """A change of a ratio in percentage points, with enough digits not to read as 0."""
    points = change * 100
    while digits < 4 and 0 < abs(points) < 10**-digits:
        digits += 1
    return _signed(text("figure.points", lang, n=fmt.decimal(abs(points), lang, digits)), points)


def _signed(value_text: str, number: float) -> str:
    """``value_text`` after the sign of ``number``: a typographic minus, as in print."""
    return ("+" if number > 0 else MINUS if number < 0 else "") + value_text


def _counted_note(section: DomainSection, lang: str) -> str:
    if section.counted_in is None:
        return ""
    # Vaccination doses are counted where given; only coverage needs the district's population.
    if section.domain == "vaccination":
        key = "briefing.coverage_counted_in"
    else:
        key = "briefing.counted_in_street" if section.counted_level == "street" else "briefing.counted_in"
    return f'<span class="note">{escape(text(key, lang, name=section.counted_in(lang)))}</span>'


# ---------------------------------------------------------------- style
def _css(lang: str, title: str) -> str:
    footer = (
        f'"{_css_string(text("briefing.footer", lang, title=title))}" counter(page) '
        f'"{_css_string(text("briefing.footer_of", lang))}" counter(pages) "{_css_string(text("briefing.footer_end", lang))}"'
    )
    # Chinese text in a CJK face (quotes and dashes full-width); English in a Latin face,
    # the Chinese names in it still finding a CJK one.
    fonts = text("briefing.font_family", lang)
    return f"""
@page {{
  size: A4;
  margin: 14mm 14mm 16mm 14mm;
  @bottom-center {{ content: {footer}; font-family: {fonts}; font-size: 7.5pt; color: #777; }}
}}
* {{ box-sizing: border-box; }}
html {{ font-family: {fonts}; font-size: 9.5pt; line-height: 1.45; color: {palette.INK};
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; }}
@media screen {{
  body {{ background: {palette.SCREEN_BACKGROUND}; padding: 16px 0; }}
  .sheet {{ width: 210mm; min-height: 297mm; margin: 0 auto; padding: 14mm; background: #fff;
    box-shadow: 0 1px 6px rgba(0, 0, 0, .25); }}
}}
@media print {{ .sheet {{ width: auto; padding: 0; }} }}
.masthead {{ border-bottom: 2.5pt solid {palette.ACCENT}; padding-bottom: 5pt; margin-bottom: 8pt; }}
.kicker {{ color: {palette.ACCENT}; font-weight: 700; font-size: 9pt; letter-spacing: .05em; }}
h1 {{ font-size: 17pt; margin: 2pt 0 4pt; line-height: 1.25; }}
.meta {{ display: flex; flex-wrap: wrap; gap: 2pt 12pt; color: #444; font-size: 8.5pt; }}
.meta .area {{ font-weight: 700; color: {palette.INK}; }}
.notice {{ border: 1pt solid {palette.RISK["yellow"]}; background: {palette.NOTICE_FILL}; color: {palette.NOTICE_INK}; padding: 4pt 7pt; font-size: 8pt;
  margin: 0 0 8pt; border-radius: 3pt; }}
h2 {{ font-size: 11.5pt; margin: 11pt 0 4pt; padding-left: 6pt; border-left: 3.5pt solid {palette.ACCENT};
  break-after: avoid; page-break-after: avoid; }}
section {{ margin-bottom: 4pt; }}
table.grid {{ width: 100%; border-collapse: collapse; font-size: 9pt; }}
table.grid th, table.grid td {{ padding: 1.6pt 6pt; border-bottom: .6pt solid {palette.RULE}; vertical-align: top; }}
table.grid thead th {{ background: {palette.HEADER_FILL}; font-weight: 700; text-align: left; border-bottom: 1pt solid {palette.RULE_STRONG}; }}
table.grid tr {{ break-inside: avoid; page-break-inside: avoid; }}
thead {{ display: table-header-group; }}
.num {{ text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }}
tr.domain th {{ background: {palette.SECTION_FILL}; text-align: left; font-weight: 700; color: {palette.ACCENT}; padding-top: 4pt; }}
tr.domain .note {{ font-weight: 400; color: #666; font-size: 8pt; margin-left: 8pt; }}
.figures-table col.c-label {{ width: 46%; }}
.figures-table col.c-change {{ width: 22%; }}
.figures-table td.value {{ font-weight: 700; }}
.change.good {{ color: {palette.GOOD}; }}
.change.bad {{ color: {palette.BAD}; }}
.change.neutral {{ color: #444; }}
td.bad {{ color: {palette.BAD}; font-weight: 700; }}
.alerts-table th.sev, .alerts-table td.sev {{ width: 15%; white-space: nowrap; }}
.badge {{ display: inline-block; padding: 0 5pt; border-radius: 7pt; font-size: 7.5pt; font-weight: 700; color: #fff; }}
.badge.critical {{ background: {palette.BAD}; }}
.badge.warning {{ background: {palette.WARNING}; }}
/* inline blocks rather than flex: a row of charts may then move to the next page alone */
.charts {{ font-size: 0; orphans: 1; widows: 1; }}
figure.chart {{ display: inline-block; vertical-align: top; width: 49.3%; margin: 0 0 4pt; font-size: 9pt; border: .6pt solid {palette.RULE}; border-radius: 3pt; padding: 3pt 4pt 1pt;
  break-inside: avoid; page-break-inside: avoid; }}
figure.chart:nth-child(odd) {{ margin-right: 1.4%; }}
figure.chart figcaption {{ font-weight: 700; font-size: 8.5pt; margin-bottom: 1pt; }}
figure.chart svg {{ display: block; width: 100%; height: auto; }}
.freshness-table tbody th {{ text-align: left; font-weight: 400; color: #444; white-space: nowrap; }}
.freshness-table td {{ font-size: 8.5pt; }}
.completeness-table tr.total td {{ font-weight: 700; border-top: 1pt solid {palette.RULE_STRONG}; }}
p.missing, p.ok, p.more, p.generated {{ font-size: 8.5pt; margin: 3pt 0; }}
p.missing {{ color: {palette.BAD}; }}
p.ok {{ color: {palette.GOOD}; }}
p.generated {{ color: #666; }}
.completeness, .data-time {{ break-inside: avoid; page-break-inside: avoid; }}
"""


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
