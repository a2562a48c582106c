"""The grid map as drawn on the grid-map page and the wall: units coloured by risk colour
or a metric, a tooltip of their figures, and the matching legend."""

from __future__ import annotations

import pandas as pd
import pydeck as pdk

from presentation import formatting as fmt
from ui.components import name_column
from ui.i18n import t
from ui.map_layers import (
    APPROXIMATE_RGB,
    METRICS,
    RISK_RGB,
    fit_view,
    metric_breaks,
    metric_fill,
    metric_legend,
    polygon_records,
    risk_fill,
    with_approximate_cells,
)
from data_access.settings import get_settings

LAYER_ID = "grid-units"
TOOLTIP_FIELDS = [
    "code", "name", "risk_label", "residents", "households", "households_visited", "visited_text",
    "home_observation", "key_persons", "workers_on_duty", "workers_text", "units_red", "units_orange", "approximate_note",
]


def label_units(units: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``units`` with the display columns the tooltip and table use."""
    return units.assign(
        name=units[name_column(lang)],
        risk_label=units["risk_colour"].map(
            lambda i: t("grid.no_data", lang) if pd.isna(i) else t(f"grid.risk.{['green', 'yellow', 'orange', 'red'][int(i)]}", lang)
        ),
        visited_text=units["visited_pct"].map(fmt.percent),
        workers_text=units["workers_per_1000_households"].map(lambda v: fmt.decimal(v, 1)),
    )


def grid_deck(units: pd.DataFrame, metric: str, lang: str, width_px: int = 760, height_px: int = 540) -> tuple[pdk.Deck, list]:
    """The map of labelled ``units`` coloured by ``metric``, and its legend [(rgb, label)].
    Units without a boundary are drawn as cells around their centre points, and the legend
    says those cells are approximate."""
    units = with_approximate_cells(units)
    column, as_percent = METRICS[metric]
    if metric == "risk_colour":
        fills = [risk_fill(v) for v in units["risk_colour"]]
        legend = [(rgb, t(f"grid.risk.{name}", lang)) for name, rgb in RISK_RGB.items()]
    else:
        breaks = metric_breaks(units[column])
        fills = [metric_fill(v, breaks) for v in units[column]]
        legend = [(entry.rgb, entry.label) for entry in metric_legend(breaks, as_percent)]
    if units["approximate"].any():
        legend.append((APPROXIMATE_RGB, t("grid.approximate", lang, n=int(units["approximate"].sum()))))
    tooltip_html = (
        "<b>{name}</b> <small>{code}</small><br/>"
        f"{t('grid.col.risk', lang)}: {{risk_label}}<br/>"
        f"{t('common.residents', lang)}: {{residents}} · {t('common.households', lang)}: {{households}}<br/>"
        f"{t('grid.col.visited', lang)}: {{households_visited}} ({{visited_text}})<br/>"
        f"{t('grid.col.home_observation', lang)}: {{home_observation}} · {t('grid.col.key_persons', lang)}: {{key_persons}}<br/>"
        f"{t('grid.col.workers', lang)}: {{workers_on_duty}} ({t('grid.col.workers_per_1000', lang)}: {{workers_text}})<br/>"
        f"{t('grid.col.units_red', lang)}: {{units_red}} · {t('grid.col.units_orange', lang)}: {{units_orange}}"
        "<br/><i>{approximate_note}</i>"
    )
    units = units.assign(approximate_note=units["approximate"].map(lambda a: t("grid.approximate_tooltip", lang) if a else ""))
    layer = pdk.Layer(
        "PolygonLayer",
        data=polygon_records(units, fills, TOOLTIP_FIELDS),
        id=LAYER_ID,
        get_polygon="polygon",
        get_fill_color="fill",
        get_line_color="line",
        line_width_min_pixels=1,
        pickable=True,
        auto_highlight=True,
        stroked=True,
        filled=True,
    )
    basemap = get_settings().basemap_style
    # No basemap unless an intranet style is configured: map_provider=None with pydeck's
    # default map_style makes no request outside the app (map_style=None would fetch one).
    basemap_args = {"map_provider": "carto", "map_style": basemap} if basemap else {"map_provider": None}
    deck = pdk.Deck(
        layers=[layer],
        initial_view_state=pdk.ViewState(**fit_view(units, width_px, height_px), pitch=0, bearing=0),
        tooltip={"html": tooltip_html, "style": {"fontSize": "13px"}},
        **basemap_args,
    )
    return deck, legend


def legend_html(legend: list, font_size: str = "1rem") -> str:
    return "".join(
        f"<div style='display:flex;align-items:center;gap:8px;margin:4px 0;font-size:{font_size}'>"
        f"<span style='display:inline-block;width:1.4em;height:1em;border-radius:3px;background:rgb{tuple(rgb)}'></span>"
        f"<span>{label}</span></div>"
        for rgb, label in legend
    )
