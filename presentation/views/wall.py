"""Wall screen 大屏: what the command-centre wall draws — its header (title, live clock,
data time), the intervals read from its link, and the rotating views: dark charts, each
built by its own function from one query, isolation (people by category, the fullest
sites), the grid map, and who has reported."""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from data_access import checkpoints, grid, inspections, isolation, supplies, testing, vaccination
from data_access.report_freshness import report_freshness
from data_access.schema import ISOLATION_CATEGORIES
from data_access.scope import Scope
from presentation import charts, palette
from presentation import formatting as fmt
from presentation.catalogue import name
from presentation.tables import name_column
from presentation.text import locale_of, text
from presentation.trends import series_names
from presentation.views import report_freshness as freshness
from presentation.views.grid_map import grid_deck, label_units, legend_html
from presentation.views.inspections import PassLine
from presentation.views.isolation import category_name

VIEWS = ("checkpoints", "testing", "supplies", "vaccination", "isolation", "inspections", "grid", "reporting")
REFRESH_LIMITS = (10, 3600)  # seconds: a wall re-reading its figures more often than every 10 s only loads the database
ROTATE_LIMITS = (5, 3600)  # seconds: a view shown for less than 5 s cannot be read
SCALE_LIMITS = (0.5, 4.0)
MONTH_DAYS = 30


def _clamped(raw, default, low: float, high: float, kind=int):
    """``raw`` (from the wall's link) as a number within [low, high]; ``default`` when missing or unreadable."""
    try:
        value = kind(raw) if raw is not None else kind(default)
    except (TypeError, ValueError):
        value = kind(default)
    return min(high, max(low, value))


def refresh_seconds(raw, default: int) -> int:
    """How often the figures, alerts and header re-read the database (?refresh=, 10 s – 1 h)."""
    return _clamped(raw, default, *REFRESH_LIMITS)


def rotate_seconds(raw, default: int) -> int:
    """How long each view stays before the next (?rotate=, 5 s – 1 h)."""
    return _clamped(raw, default, *ROTATE_LIMITS)


def chart_scale(raw) -> float:
    """Chart size factor for screens above 1920×1080 (?scale=2 on a 4K wall); text scales
    by itself with the screen."""
    return _clamped(raw, 1.0, *SCALE_LIMITS, kind=float)


@dataclass(frozen=True)
class Screen:
    """How the wall draws: its language, chart scale and the days-of-cover alert line."""

    lang: str
    scale: float = 1.0
    cover_line: float = 7.0

    @property
    def height(self) -> int:
        return int(470 * self.scale)


# ---- the header
def header_html(title: str, badges: Sequence[str], person: str | None, data_time: str, timezone: str, lang: str) -> str:
    """Title, badges (sample data, open access) or the signed-in person, a clock ticking in
    the browser in the command centre's time zone, and the data time."""
    extras = "".join(f" · <span class='wall-sample'>{html.escape(badge)}</span>" for badge in badges)
    if person:
        extras += f" · {html.escape(person)}"
    clock_locale = json.dumps(locale_of(lang).replace("_", "-"))
    return f"""
        <div class="wall-header">
          <div class="wall-title">{html.escape(title)}{extras}</div>
          <div class="wall-clock"><span id="wall-clock"></span>
            <div class="wall-data-time">{html.escape(data_time)}</div>
          </div>
        </div>
        <script>
          (function () {{
            const el = document.getElementById("wall-clock");
            const format = new Intl.DateTimeFormat({clock_locale}, {{
              timeZone: {json.dumps(timezone)}, year: "numeric", month: "2-digit", day: "2-digit",
              hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }});
            function tick() {{ if (el) el.textContent = format.format(new Date()); }}
            tick();
            if (window.__wallClock) clearInterval(window.__wallClock);
            window.__wallClock = setInterval(tick, 1000);
          }})();
        </script>
        """


# ---- rotation
def view_at(index: int) -> str:
    return VIEWS[index % len(VIEWS)]


def dots(index: int) -> str:
    """Where the rotation is: ● for the view shown, ○ for the others."""
    return " ".join("●" if i == index % len(VIEWS) else "○" for i in range(len(VIEWS)))


def last_month(scope: Scope) -> Scope:
    return scope.with_days(scope.end - dt.timedelta(days=MONTH_DAYS - 1), scope.end)


# ---- the views' charts (dark, large type)
def _themed(chart, screen: Screen):
    return charts.wall_theme(chart.properties(height=screen.height), screen.scale)


def checkpoints_chart(daily: pd.DataFrame, screen: Screen):
    """People and vehicles checked per day over the last 30 days."""
    columns = {"people": "checkpoints.people", "vehicles": "checkpoints.vehicles"}
    chart = charts.line_chart(daily, "day", series_names(columns, screen.lang), screen.lang, colors=palette.WALL_SERIES[:2])
    return _themed(chart, screen)


def testing_chart(daily: pd.DataFrame, screen: Screen):
    """Samples collected and tested per day, positives on their own axis, over the last 30 days."""
    every = {
        "samples_collected": ("testing.samples_collected", palette.WALL_SERIES[0]),
        "samples_tested": ("testing.samples_tested", palette.WALL_SERIES[2]),
        "positives": ("testing.positives", palette.WALL_SERIES[3]),
    }
    drawn = {column: figure for column, figure in every.items() if column in daily}  # positives may be withheld
    chart = charts.line_chart(
        daily,
        "day",
        series_names({column: key for column, (key, _) in drawn.items()}, screen.lang),
        screen.lang,
        colors=[colour for _, colour in drawn.values()],
        secondary=["positives"] if "positives" in drawn else (),
    )
    return _themed(chart, screen)


# The wall's chart columns that are counts small-count suppression may cover.
SUPPRESSIBLE = {"positives": "testing.positives", "fever": "checkpoints.fever", "home_observation": "grid.home_observation"}


def without_small_counts(daily: pd.DataFrame, covered: Sequence[str], threshold: int) -> pd.DataFrame:
    """``daily`` without the covered counts (catalogue keys ``covered``) that hold a value
    from 1 to ``threshold`` − 1: a chart cannot draw "<5", and nobody at a wall can switch
    it to its table, so the series is left out."""
    small = [
        column
        for column, key in SUPPRESSIBLE.items()
        if key in covered and column in daily and pd.to_numeric(daily[column], errors="coerce").between(1, threshold - 1).any()
    ]
    return daily.drop(columns=small)


def supplies_chart(status: pd.DataFrame, screen: Screen):
    """Days of cover per item (this area), the items under the alert line in red, the line dashed."""
    shown = status.assign(item=status[name_column(screen.lang)], low=status["days_of_cover"].lt(screen.cover_line).fillna(False))
    bars = (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y("item:N", title=None, sort="x", axis=alt.Axis(labelFontSize=20 * screen.scale)),
            x=alt.X("days_of_cover:Q", title=name("supplies.days_of_cover", screen.lang)),
            color=alt.Color(
                "low:N", scale=alt.Scale(domain=[True, False], range=[palette.WALL_BAD, palette.WALL_OK]), legend=None
            ),
        )
    )
    line = charts.reference_line(screen.cover_line, axis="x", color=palette.WALL_RULE, dash=(8, 6), size=3)
    return _themed(alt.layer(bars, line), screen)


def vaccination_chart(by_area: pd.DataFrame, screen: Screen):
    """Booster coverage per area below the wall's, highest first, the figure beside each bar."""
    shown = by_area.assign(area=by_area[name_column(screen.lang)], pct=(by_area["coverage_booster"] * 100).round(1))
    bars = (
        alt.Chart(shown)
        .mark_bar(color=palette.WALL_SERIES[1])
        .encode(
            y=alt.Y("area:N", title=None, sort="-x", axis=alt.Axis(labelFontSize=20 * screen.scale)),
            x=alt.X("pct:Q", title=f"{name('vaccination.coverage_booster', screen.lang)} (%)", scale=alt.Scale(domain=[0, 100])),
        )
    )
    labels = bars.mark_text(align="left", dx=6, color=palette.WALL_TEXT, fontSize=20 * screen.scale).encode(
        text=alt.Text("pct:Q", format=".1f")
    )
    return _themed(alt.layer(bars, labels), screen)


@dataclass(frozen=True)
class ChartView:
    """One chart view: the query it reads, over the last 30 days or the filter's range, and its builder."""

    query: Callable[..., pd.DataFrame]
    build: Callable[[pd.DataFrame, Screen], object]  # a themed Altair chart
    last_30_days: bool = False

    def scope(self, scope: Scope) -> Scope:
        return last_month(scope) if self.last_30_days else scope


CHART_VIEWS: dict[str, ChartView] = {
    "checkpoints": ChartView(checkpoints.checkpoint_daily_totals, checkpoints_chart, last_30_days=True),
    "testing": ChartView(testing.testing_daily_totals, testing_chart, last_30_days=True),
    "supplies": ChartView(supplies.supply_status, supplies_chart),
    "vaccination": ChartView(vaccination.coverage_by_area, vaccination_chart),
}

# ---- isolation 隔离管控: people by category over 30 days, and the fullest sites beside it
ISOLATION_QUERY = isolation.people_by_category_daily
ISOLATION_SITES_QUERY = isolation.site_table
ISOLATION_PEOPLE_QUERY = isolation.people_daily_totals
CATEGORY_COLOURS = [palette.WALL_BAD, palette.WALL_RULE, "#c39bff", "#e0b080", palette.WALL_SERIES[2], palette.WALL_MUTED]
WALL_SITES = 6
FULL_IN_SHOWN_DAYS = 14  # a site filling later than this has no "full in" on the wall: it is no news


def isolation_chart(by_category: pd.DataFrame, screen: Screen):
    """People under management at each day's end, stacked by category."""
    order = [category_name(c, screen.lang) for c in ISOLATION_CATEGORIES]
    long = by_category.assign(category=by_category["category"].map(lambda c: category_name(c, screen.lang)))
    chart = charts.stacked_day_bars(
        long[["day", "category", "held"]].rename(columns={"held": "value"}),
        screen.lang,
        order,
        CATEGORY_COLOURS,
        value_title=name("isolation.held", screen.lang),
        part="category",
        part_title=text("isolation.category", screen.lang),
    )
    # Six categories in the wall's large type: the legend in rows of three, not cut off.
    chart.encoding.color.legend = alt.Legend(title=None, orient="top", columns=3)
    return _themed(chart, screen)


def isolation_html(sites: pd.DataFrame, overdue: float | None, line: float, lang: str, font_size: str = "1.5rem") -> str:
    """The fullest isolation sites on the day (occupancy, and the days until full of those
    filling), red above the occupancy line; people held past their release date and the
    sites breaking the single-room rule: in type read from across the room."""
    reported = sites[sites["reported"].astype(bool)] if sites is not None and not sites.empty else pd.DataFrame()
    lines = []
    for row in reported.sort_values(["occupancy", "code"], ascending=[False, True]).head(WALL_SITES).itertuples():
        line_text = text(
            "isolation.wall_site", lang, site=getattr(row, name_column(lang)), occupancy=fmt.percent(row.occupancy, lang)
        )
        if row.free_rooms > 0 and row.days_until_full < FULL_IN_SHOWN_DAYS:
            line_text += text("isolation.wall_full_in", lang, days=fmt.decimal(row.days_until_full, lang))
        colour = palette.WALL_BAD if row.occupancy > line or row.single_room_breach else palette.WALL_TEXT
        lines.append(f'<li style="color:{colour};font-size:{font_size};margin:.15rem 0">{html.escape(line_text)}</li>')
    body = (
        f'<ul style="margin:0;padding-left:1.2em">{"".join(lines)}</ul>'
        if lines
        else f'<div style="color:{palette.WALL_MUTED}">{html.escape(text("isolation.wall_none", lang))}</div>'
    )
    shared = int(reported["single_room_breach"].sum()) if not reported.empty else 0
    totals = [
        (text("isolation.wall_overdue", lang, n=fmt.count(overdue, lang)), bool(overdue)),
        (text("isolation.wall_shared", lang, n=fmt.count(shared, lang)), shared > 0),
    ]
    summary = "".join(
        f'<div style="color:{palette.WALL_BAD if bad else palette.WALL_OK};margin-top:.3rem">{html.escape(t)}</div>'
        for t, bad in totals
    )
    title = html.escape(text("isolation.wall_sites", lang))
    return (
        f'<div class="wall-isolation" style="font-size:{font_size};line-height:1.45;color:{palette.WALL_TEXT}">'
        f'<div style="font-size:.85em;color:{palette.WALL_MUTED};margin-bottom:.3rem">{title}</div>{body}{summary}</div>'
    )


GRID_QUERY = grid.grid_units_for_map


def grid_map(units: pd.DataFrame, screen: Screen):
    """The grid units coloured by risk level (四色), and its legend as HTML in large type."""
    deck, legend = grid_deck(label_units(units, screen.lang), "risk_colour", screen.lang, width_px=1000, height_px=screen.height)
    return deck, legend_html(legend, font_size="1.3rem")


REPORTING_QUERY = report_freshness
REPORTING_MAP_TYPE = "grid"  # the communities' grid reports: polygons that fill the map


def reporting_map(units: pd.DataFrame, areas: pd.DataFrame, screen: Screen):
    """Report freshness (上报时效): the communities coloured by their grid report's state over
    the grid map's areas, and the legend with each state's count and every type's counts."""
    mapped = freshness.label_units(units[units["report_type"] == REPORTING_MAP_TYPE], screen.lang)
    deck = freshness.freshness_deck(
        mapped,
        areas,
        screen.lang,
        width_px=760,
        height_px=screen.height,
        line_rgb=palette.rgb(palette.WALL_DOMAIN),
        tooltip=False,
    )
    return deck, freshness.wall_counts_html(units, REPORTING_MAP_TYPE, screen.lang, font_size=f"{1.5 * screen.scale:.2f}rem")


# ---- inspections 督导检查: the streets with the lowest pass rates over the alert's days
INSPECTIONS_QUERY = inspections.inspections_by_street
WALL_STREETS = 8


def lowest_pass_rates(by_street: pd.DataFrame, line: PassLine) -> pd.DataFrame:
    """The streets with the lowest pass rates, of those with at least the checks the alert
    judges on: a street with one failure in two checks is not news."""
    judged = by_street[by_street["inspections"] >= line.min_checks]
    return judged.sort_values(["pass_rate", "area_code"], kind="stable").head(WALL_STREETS)


def inspections_chart(by_street: pd.DataFrame, line: PassLine, screen: Screen):
    """The lowest pass rates by street, red under the alert line, the line dashed, the rate
    beside each bar."""
    lowest = lowest_pass_rates(by_street, line)
    shown = lowest.assign(area=lowest[name_column(screen.lang)], pct=(lowest["pass_rate"] * 100).round(1))
    shown = shown.assign(low=shown["pct"] < line.rate * 100)
    bars = (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=alt.Y("area:N", title=None, sort=list(shown["area"]), axis=alt.Axis(labelFontSize=20 * screen.scale, labelLimit=0)),
            x=alt.X("pct:Q", title=f"{name('inspections.pass_rate', screen.lang)} (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "low:N", scale=alt.Scale(domain=[True, False], range=[palette.WALL_BAD, palette.WALL_OK]), legend=None
            ),
        )
    )
    labels = bars.mark_text(align="right", dx=-8, color=palette.WALL_BRIGHT, fontSize=20 * screen.scale).encode(
        text=alt.Text("pct:Q", format=".1f"), color=alt.value(palette.WALL_BRIGHT)
    )
    alert_line = charts.reference_line(line.rate * 100, axis="x", color=palette.WALL_RULE, dash=(8, 6), size=3)
    return _themed(alt.layer(bars, labels, alert_line), screen)


def inspections_html(by_street: pd.DataFrame, line: PassLine, days: int, lang: str, font_size: str = "1.5rem") -> str:
    """What the chart shows and, for the whole area over the same days, entity checks,
    inspector-visits and the pass rate, then the problems overdue and the entities with an
    open problem at the last day's end: in type read from across the room, bad news red."""
    sums = by_street[["inspections", "inspector_visits", "inspections_passed", "overdue", "entities_open"]].sum()
    rate = sums["inspections_passed"] / sums["inspections"] if sums["inspections"] else None
    figures = [
        ("inspections.inspections", fmt.count(sums["inspections"], lang, compact=True), False),
        ("inspections.inspector_visits", fmt.count(sums["inspector_visits"], lang, compact=True), False),
        ("inspections.pass_rate", fmt.percent(rate, lang), rate is not None and rate < line.rate),
        ("inspections.overdue", fmt.count(sums["overdue"], lang), sums["overdue"] > 0),
        ("inspections.entities_open", fmt.count(sums["entities_open"], lang), False),
    ]
    rows = "".join(
        f"<div style='display:flex;gap:.6em;margin:.2em 0'><span>{html.escape(name(key, lang))}</span>"
        f"<b style='margin-left:auto;font-variant-numeric:tabular-nums;color:{palette.WALL_BAD if bad else palette.WALL_BRIGHT}'>"
        f"{html.escape(value)}</b></div>"
        for key, value, bad in figures
    )
    n, rate_text = fmt.count(line.min_checks, lang), fmt.percent(line.rate, lang, 0)
    note = text("insp.wall.lowest", lang, days=days, n=n, rate=rate_text)
    none = "" if not lowest_pass_rates(by_street, line).empty else text("insp.wall.none", lang, days=days, n=n)
    return (
        f"<div class='wall-inspections' style='font-size:{font_size};line-height:1.4;color:{palette.WALL_TEXT}'>"
        f"<div style='font-size:.8em;color:{palette.WALL_MUTED};margin-bottom:.4em'>{html.escape(note)}</div>"
        + (f"<div style='color:{palette.WALL_OK};margin-bottom:.4em'>{html.escape(none)}</div>" if none else "")
        + f"{rows}</div>"
    )
