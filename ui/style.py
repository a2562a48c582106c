"""The little CSS the layout needs beyond Streamlit's theme, injected once per run."""

import streamlit as st

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
/* Touch targets: page links and segmented buttons at least 44 px high. */
[data-testid="stSidebar"] [data-testid="stPageLink"] a { min-height: 44px; align-items: center; }
button[data-testid^="stBaseButton-segmented_control"] { min-height: 44px; }
</style>
"""


def inject() -> None:
    st.html(_CSS)
