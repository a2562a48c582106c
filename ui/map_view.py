"""The grid map's frame for a colouring that draws objects of its own (reporting units,
streets and isolation sites, …): the map beside its legend, a click that picks one
object instead of drilling down, and the panel of what the picked object shows."""

from __future__ import annotations

import pydeck as pdk
import streamlit as st

from presentation.map_layers import details_markdown
from presentation.views.grid_map import legend_html
from ui.i18n import t

MAP_HEIGHT = 560
# The map's and the legend's widths: the legend wide enough on a tablet for "182–544 人  13"
# or "Missing today: 2" on one line (at 5:1 a 768-px screen left it 120 px).
WIDTHS = (4, 1.3)


def map_with_legend(deck: pdk.Deck, legend: list[tuple[str, list]], key: str, note: str | None = None):
    """``deck`` (a click reruns the page with one object picked) beside its legend: each
    section's heading and entries [(rgb, label) or (rgb, label, count)], then ``note``.
    Returns the selection."""
    map_column, legend_column = st.columns(list(WIDTHS))
    with map_column:
        picked = st.pydeck_chart(deck, height=MAP_HEIGHT, on_select="rerun", selection_mode="single-object", key=key)
    with legend_column:
        st.markdown(f"**{t('grid.legend')}**")
        for heading, entries in legend:
            st.markdown(heading)
            st.html(legend_html(entries))
        if note:
            st.caption(note)
    return picked


def picked_panel(title: str, lines: list[tuple[str, str]] | None, hint: str, key: str) -> None:
    """A bordered panel: the picked object's (label, value) lines, or ``hint`` until one is picked."""
    with st.container(border=True, key=key):
        st.markdown(f"**{title}**")
        st.markdown(details_markdown(lines) if lines else hint)
