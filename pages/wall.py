"""Wall screen 大屏: for the command-centre wall, unattended all day. Big KPI figures, the
clock and data time, active alerts, and one view at a time rotating on an interval.

Figures and alerts live in fragments that re-run on the refresh interval; the view
rotates in its own fragment; the clock ticks in the browser. Relative dates ("last 7
days") are recomputed on each refresh, so they roll over when a new day's data arrives.
"""

import datetime as dt
import html

import altair as alt
import pandas as pd
import streamlit as st

from data_access import areas, checkpoints, grid, supplies, testing, vaccination
from data_access.access import OPEN
from data_access.scope import Scope
from ui import format as fmt
from ui.alerts_view import alerts_panel, load_alerts
from ui.auth import current_access, still_allowed
from ui.components import PALETTE, kpi_row, line_chart, name_column
from ui.data import is_sample_data, load, load_plain
from ui.i18n import t
from ui.map_view import grid_deck, label_units, legend_html
from ui.overview_figures import overview_kpis
from ui.page_setup import page_context
from ui.settings import get_settings
from ui.sidebar import area_name, live_scope

state, _ = page_context()
lang = state.lang
settings = get_settings()


def _seconds(param: str, default: int) -> int:
    """An interval from the URL (a screen can be tuned by its link) or the settings."""
    try:
        return max(2, int(st.query_params.get(param, default)))
    except ValueError:
        return default


def _scale() -> float:
    """Chart size factor for screens above 1920×1080 (``?scale=2`` on a 4K wall); text
    scales by itself with the screen."""
    try:
        return min(4.0, max(0.5, float(st.query_params.get("scale", 1))))
    except ValueError:
        return 1.0


SCALE = _scale()
ROTATE = _seconds("rotate", settings.wall_rotate_seconds)
REFRESH = _seconds("refresh", settings.wall_refresh_seconds)
VIEWS = ("checkpoints", "testing", "supplies", "vaccination", "grid")


def dark(chart):
    """Wall charts: dark background, large type readable from across the room."""
    return (
        chart.configure(background="#111a2e", font="Noto Sans CJK SC, sans-serif")
        .configure_axis(
            labelColor="#cfd8e8", titleColor="#cfd8e8", gridColor="#24314f", domainColor="#3a4a6b",
            labelFontSize=18 * SCALE, titleFontSize=18 * SCALE,
        )
        .configure_legend(labelColor="#e8eef7", titleColor="#e8eef7", labelFontSize=20 * SCALE, symbolSize=220 * SCALE, labelLimit=0)
        .configure_view(stroke=None)
    )


# ---- header: title, area, clock (ticks in the browser) and data time
@st.fragment(run_every=REFRESH)
def header() -> None:
    still_allowed()  # a revoked or expired kiosk link ends the wall at the next refresh
    scope = live_scope()
    freshness = load_plain(areas.domain_freshness, default=pd.DataFrame())
    last_report = freshness["last_reported_at"].dropna().max() if freshness is not None and not freshness.empty else None
    sample = f" · <span class='wall-sample'>{t('app.sample_badge')}</span>" if is_sample_data() else ""
    reader = current_access()
    if reader.role == OPEN:
        sample += f" · <span class='wall-sample'>{t('auth.open_badge')}</span>"
    elif not reader.is_kiosk:  # a signed-in person on the wall: their name, as on every page
        sample += f" · {html.escape(reader.name or reader.actor)}"
    st.html(
        f"""
        <div class="wall-header">
          <div class="wall-title">{t('wall.title')} · {area_name(state.area_code, lang)}{sample}</div>
          <div class="wall-clock"><span id="wall-clock"></span>
            <div class="wall-data-time">{t('wall.data_time', day=fmt.day(scope.end, lang), time=fmt.local_time(last_report, lang))}</div>
          </div>
        </div>
        <script>
          (function () {{
            const el = document.getElementById("wall-clock");
            const format = new Intl.DateTimeFormat("{'zh-CN' if lang == 'zh' else 'en-GB'}", {{
              timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
              hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }});
            function tick() {{ if (el) el.textContent = format.format(new Date()); }}
            tick();
            if (window.__wallClock) clearInterval(window.__wallClock);
            window.__wallClock = setInterval(tick, 1000);
          }})();
        </script>
        """,
        unsafe_allow_javascript=True,
    )


@st.fragment(run_every=REFRESH)
def figures() -> None:
    kpi_row(overview_kpis(live_scope(), lang), per_row=7)


@st.fragment(run_every=REFRESH)
def alerts() -> None:
    alerts_panel(load_alerts(live_scope()), lang, limit=7, big=True)


@st.fragment(run_every=ROTATE)
def rotating_view() -> None:
    index = st.session_state.get("wall_view", -1) + 1
    st.session_state["wall_view"] = index
    view = VIEWS[index % len(VIEWS)]
    scope = live_scope()
    month = scope.with_days(scope.end - dt.timedelta(days=29), scope.end)
    dots = " ".join("●" if i == index % len(VIEWS) else "○" for i in range(len(VIEWS)))
    with st.container(border=True, key=f"wall_view_{view}"):
        st.markdown(f"### {t(f'wall.view.{view}')} <span class='wall-dots'>{dots}</span>", unsafe_allow_html=True)
        draw_view(view, scope, month)


def draw_view(view: str, scope: Scope, month: Scope) -> None:
    names = name_column(lang)
    height = int(470 * SCALE)
    if view == "checkpoints":
        daily = load(checkpoints.checkpoint_daily_totals, month)
        if not daily.empty:
            chart = line_chart(daily, "day", {"people": t("cp.people"), "vehicles": t("cp.vehicles")}, colors=["#5ab0ff", "#ffb347"])
            st.altair_chart(dark(chart.properties(height=height)), width="stretch", theme=None)
    elif view == "testing":
        daily = load(testing.testing_daily_totals, month)
        if not daily.empty:
            chart = line_chart(
                daily, "day",
                {"samples_collected": t("test.collected"), "samples_tested": t("test.tested"), "positives": t("test.positives")},
                colors=["#5ab0ff", "#7dd87d", "#ff6b6b"], secondary=["positives"],
            )
            st.altair_chart(dark(chart.properties(height=height)), width="stretch", theme=None)
    elif view == "supplies":
        status = load(supplies.supply_status, scope)
        if not status.empty:
            status = status.assign(item=status[names], low=status["days_of_cover"] < settings.days_of_cover_threshold)
            bars = alt.Chart(status).mark_bar().encode(
                y=alt.Y("item:N", title=None, sort="x", axis=alt.Axis(labelFontSize=20 * SCALE)),
                x=alt.X("days_of_cover:Q", title=t("sup.days_of_cover")),
                color=alt.Color("low:N", scale=alt.Scale(domain=[True, False], range=["#ff6b6b", "#5ab0ff"]), legend=None),
            )
            rule = alt.Chart(pd.DataFrame({"x": [settings.days_of_cover_threshold]})).mark_rule(color="#ffb347", strokeDash=[8, 6], size=3).encode(x="x:Q")
            st.altair_chart(dark((bars + rule).properties(height=height)), width="stretch", theme=None)
    elif view == "vaccination":
        by_area = load(vaccination.coverage_by_area, scope)
        if not by_area.empty:
            by_area = by_area.assign(area=by_area[names], pct=(by_area["coverage_booster"] * 100).round(1))
            bars = alt.Chart(by_area).mark_bar(color=PALETTE[3]).encode(
                y=alt.Y("area:N", title=None, sort="-x", axis=alt.Axis(labelFontSize=20 * SCALE)),
                x=alt.X("pct:Q", title="%", scale=alt.Scale(domain=[0, 100])),
            )
            labels = bars.mark_text(align="left", dx=6, color="#e8eef7", fontSize=20 * SCALE).encode(text=alt.Text("pct:Q", format=".1f"))
            st.altair_chart(dark((bars + labels).properties(height=height)), width="stretch", theme=None)
    elif view == "grid":
        units = load(grid.grid_units_for_map, scope)
        if not units.empty:
            deck, legend = grid_deck(label_units(units, lang), "risk_colour", lang, width_px=1000, height_px=height)
            map_column, legend_column = st.columns([5, 1])
            map_column.pydeck_chart(deck, height=height)
            legend_column.html(legend_html(legend, font_size="1.3rem"))


header()
figures()
main, side = st.columns([2, 1])
with main:
    rotating_view()
with side:
    alerts()
