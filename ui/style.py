"""The little CSS the layout needs beyond Streamlit's theme, injected once per run."""

import streamlit as st

from presentation import palette as p

_CSS = """
<style>
/* KPI rows: cards share a row but keep a minimum width, so they wrap on tablets. */
div[class*="st-key-kpis_220_"] > div { flex: 1 1 220px !important; min-width: 200px; }
div[class*="st-key-kpis_260_"] > div { flex: 1 1 260px !important; min-width: 220px; }
div[class*="st-key-kpis_300_"] > div { flex: 1 1 300px !important; min-width: 240px; }
/* Side-by-side blocks stack when each would be narrower than ~420 px. */
div[class*="st-key-pair_"] > div { flex: 1 1 440px !important; min-width: 0; }
/* Less empty space above the page title. */
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
/* Touch targets (tablets): links, buttons, toggles, inputs and select boxes at least 44 px high. */
[data-testid="stPageLink"] a { min-height: 44px; align-items: center; }
.stApp button[data-testid^="stBaseButton"] { min-height: 44px; }
.stApp [data-testid="stSelectbox"] [role="group"], .stApp [data-testid="stDateInput"] [data-baseweb="input"],
.stApp [data-testid="stNumberInput"] [data-baseweb="input"] { min-height: 44px; }
.stApp [data-testid="stCheckbox"] label { min-height: 44px; align-items: center; }
/* A map's toolbar (full screen) inside its top-right corner: above the map (Streamlit's
   place for it) it covered the end of a row of buttons over the map on tablets. */
[data-testid="stDeckGlJsonChart"] [data-testid="stElementToolbar"] { top: 0.25rem !important; right: 0.25rem !important; }
</style>
"""


def inject() -> None:
    st.html(_CSS)


_WALL_CSS = f"""
<style>
/* Wall screen: no sidebar, header or toolbar; dark; sizes in rem set for 1920×1080
   (figures read from 5 m) and the root font grown on larger screens, so text scales with
   the screen (charts follow ?scale=, see pages/wall.py). */
@media (min-width: 2400px) {{ html {{ font-size: 21.33px; }} }}
@media (min-width: 3400px) {{ html {{ font-size: 32px; }} }}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] {{ display: none !important; }}
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{ background: {p.WALL_BACKGROUND} !important; color: {p.WALL_TEXT}; }}
[data-testid="stMainBlockContainer"] {{ padding: 1rem 1.6rem .5rem 1.6rem !important; max-width: 100% !important; }}
.stApp [data-testid="stMarkdownContainer"] p, .stApp h3 {{ color: {p.WALL_TEXT}; }}
.stApp [data-testid="stMarkdownContainer"] p {{ font-size: 1.38rem; }}
/* The outage banner: white on deep red, readable from the back of the room. */
.stApp [data-testid="stAlertContainer"] {{ background: #991b1b !important; }}
.stApp [data-testid="stAlertContainer"] p, .stApp [data-testid="stAlertContainer"] [data-testid="stIconMaterial"] {{ color: #ffffff !important; font-size: 1.5rem; }}
.stApp h3 {{ font-size: 1.68rem !important; padding: 0 0 .3rem 0; }}
/* KPI cards: all seven in one row, big figures. */
div[class*="st-key-kpis_"] > div {{ flex: 1 1 160px !important; min-width: 150px !important; }}
[data-testid="stMetric"] {{ background: {p.WALL_PANEL}; border-color: {p.WALL_GRID} !important; padding: .6rem .8rem !important; }}
[data-testid="stMetricValue"] p {{ font-size: min(3.48rem, 2.65vw) !important; line-height: 1.15; font-weight: 650; color: {p.WALL_BRIGHT} !important; }}
[data-testid="stMetricLabel"] p {{ font-size: 1.20rem !important; color: {p.WALL_MUTED} !important; }}
/* A long figure name wraps instead of being cut; nobody hovers a wall, so no help icons. */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {{ white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
[data-testid="stMetricLabel"] [data-testid="stTooltipIcon"], [data-testid="stMetricLabel"] svg {{ display: none !important; }}
[data-testid="stMetricDelta"] {{ background: rgba(255, 255, 255, .08) !important; }}
[data-testid="stMetricDelta"] p {{ font-size: 1.20rem !important; color: inherit !important; }}
[data-testid="stMetricDeltaDescription"] p {{ color: {p.WALL_MUTED} !important; font-size: 0.96rem !important; }}
[data-testid="stMetricChart"] svg {{ background-color: transparent !important; }}
[data-testid="stVerticalBlockBorderWrapper"], div[class*="st-key-wall_view"] {{ background: {p.WALL_PANEL}; border-color: {p.WALL_GRID} !important; }}
.wall-header {{ display: flex; justify-content: space-between; align-items: flex-end; border-bottom: 2px solid {p.WALL_GRID}; padding-bottom: .3rem; }}
.wall-title {{ font-size: 2.52rem; font-weight: 700; color: {p.WALL_BRIGHT}; }}
.wall-sample {{ color: {p.WALL_RULE}; font-size: .6em; }}
.wall-clock {{ text-align: right; font-size: 2.16rem; font-variant-numeric: tabular-nums; color: {p.WALL_BRIGHT}; }}
.wall-data-time {{ font-size: 1.14rem; color: {p.WALL_MUTED}; }}
.wall-dots {{ font-size: .7em; color: {p.WALL_OK}; letter-spacing: .2em; }}
</style>
"""


def inject_wall() -> None:
    st.html(_WALL_CSS)
