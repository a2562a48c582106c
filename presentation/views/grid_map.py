"""The grid map as drawn on the grid-map page and the wall: units coloured by risk colour
or a metric, a tooltip of their figures, and the matching legend."""

from __future__ import annotations

import pandas as pd
import pydeck as pdk

from presentation import formatting as fmt
from presentation.catalogue import name
from presentation.kpis import card
from presentation.map_layers import (
    APPROXIMATE_RGB,
    METRICS,
    RISK_RGB,
    basemap_args,
    fit_view,
    metric_breaks,
    metric_fill,
    metric_legend,
    polygon_records,
    risk_fill,
    with_approximate_cells,
)
from presentation.tables import display_frame, name_column
from presentation.text import text as t

LAYER_ID = "grid-units"
TOOLTIP_METRICS = (
    "areas.residents", "areas.households", "grid.households_visited", "grid.home_observation", "grid.key_persons",
    "grid.workers_on_duty", "grid.workers_per_1000_households", "grid.units_red", "grid.units_orange",
)  # fmt: skip
# The colourings the map offers: risk level, or a catalogue figure …
COLOUR_BY = {
    "risk_colour": None,
    "visited_pct": "grid.visited_pct",
    "home_observation": "grid.home_observation",
    "workers_per_1000_households": "grid.workers_per_1000_households",
}
# … or who has reported (presentation/views/report_freshness.py), which draws reporting units;
# or isolation and inspections per street (presentation/views/isolation_map.py, inspection_map.py).
REPORTING, ISOLATION, INSPECTIONS = "reporting", "isolation", "inspections"
COLOURINGS = (*COLOUR_BY, REPORTING, ISOLATION, INSPECTIONS)
TOOLTIP_FIELDS = [
    "code",
    "name",
    "risk_label",
    "residents",
    "households",
    "households_visited",
    "visited_text",
    "home_observation",
    "key_persons",
    "workers_on_duty",
    "workers_text",
    "units_red",
    "units_orange",
    "approximate_note",
]


def label_units(units: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``units`` with the display columns the tooltip and table use."""
    return units.assign(
        name=units[name_column(lang)],
        risk_label=units["risk_colour"].map(
            lambda i: t("grid.no_data", lang)
            if pd.isna(i)
            else t(f"grid.risk.{['green', 'yellow', 'orange', 'red'][int(i)]}", lang)
        ),
        visited_text=units["visited_pct"].map(lambda v: fmt.percent(v, lang)),
        workers_text=units["workers_per_1000_households"].map(lambda v: fmt.decimal(v, lang)),
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
        values = pd.to_numeric(units[column], errors="coerce")  # a suppressed count ("<5") is drawn as no data
        breaks = metric_breaks(values)
        fills = [metric_fill(v, breaks) for v in values]
        legend = [(entry.rgb, entry.label) for entry in metric_legend(breaks, as_percent)]
    if units["approximate"].any():
        legend.append((APPROXIMATE_RGB, t("grid.approximate", lang, n=int(units["approximate"].sum()))))
    n = {key: name(key, lang) for key in TOOLTIP_METRICS}
    tooltip_html = (
        "<b>{name}</b> <small>{code}</small><br/>"
        f"{t('grid.col.risk', lang)}: {{risk_label}}<br/>"
        f"{n['areas.residents']}: {{residents}} · {n['areas.households']}: {{households}}<br/>"
        f"{n['grid.households_visited']}: {{households_visited}} ({{visited_text}})<br/>"
        f"{n['grid.home_observation']}: {{home_observation}} · {n['grid.key_persons']}: {{key_persons}}<br/>"
        f"{n['grid.workers_on_duty']}: {{workers_on_duty}} ({n['grid.workers_per_1000_households']}: {{workers_text}})<br/>"
        f"{n['grid.units_red']}: {{units_red}} · {n['grid.units_orange']}: {{units_orange}}"
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
    deck = pdk.Deck(
        layers=[layer],
        initial_view_state=pdk.ViewState(**fit_view(units, width_px, height_px), pitch=0, bearing=0),
        tooltip={"html": tooltip_html, "style": {"fontSize": "13px"}},
        **basemap_args(),
    )
    return deck, legend


def legend_html(legend: list, font_size: str = "1rem") -> str:
    """Legend rows (rgb, label) — or (rgb, label, count), the count aligned right — each
    with its colour's swatch (which keeps its size when a narrow column wraps the label)."""
    count = "<b style='margin-left:auto;padding-left:4px;font-variant-numeric:tabular-nums'>{}</b>"
    return "".join(
        f"<div style='display:flex;align-items:center;gap:8px;margin:4px 0;font-size:{font_size}'>"
        f"<span style='flex:none;display:inline-block;width:1.4em;height:1em;border-radius:3px;background:rgb{tuple(rgb)}'></span>"
        f"<span>{label}</span>{count.format(rest[0]) if rest else ''}</div>"
        for rgb, label, *rest in legend
    )


def colour_by_label(option: str, lang: str) -> str:
    if option == REPORTING:
        return t("freshness.colour_by", lang)
    if option in (ISOLATION, INSPECTIONS):
        return t(f"map.{option}.colour_by", lang)
    return t("grid.metric.risk_colour", lang) if COLOUR_BY[option] is None else name(COLOUR_BY[option], lang)


def grid_cards(units: pd.DataFrame, lang: str) -> list:
    """Units by colour, people under home observation and households visited, summed over the map."""
    total = units[["units_green", "units_yellow", "units_orange", "units_red"]].sum().sum()
    return [
        card("grid.units", fmt.count(total, lang), lang),
        card("grid.units_red", fmt.count(units["units_red"].sum(), lang), lang),
        card("grid.units_orange", fmt.count(units["units_orange"].sum(), lang), lang),
        card(
            "grid.home_observation",
            fmt.count(units["home_observation"].sum(), lang, compact=True),
            lang,
            count=units["home_observation"].sum(),
        ),
        card("grid.households_visited", fmt.count(units["households_visited"].sum(), lang, compact=True), lang),
    ]


TABLE_COLUMNS = {
    "code": "common.code",
    "name": "common.name",
    "risk_label": "grid.col.risk",
    "units_red": "grid.units_red",
    "units_orange": "grid.units_orange",
    "units_yellow": "grid.units_yellow",
    "units_green": "grid.units_green",
    "residents": "areas.residents",
    "households": "areas.households",
    "households_visited": "grid.households_visited",
    "visited_pct_value": "grid.visited_pct",
    "people_screened": "grid.people_screened",
    "home_observation": "grid.home_observation",
    "key_persons": "grid.key_persons",
    "workers_on_duty": "grid.workers_on_duty",
    "workers_per_1000": "grid.workers_per_1000_households",
}


def units_table(units: pd.DataFrame, lang: str) -> pd.DataFrame:
    shown = units.assign(
        visited_pct_value=(units["visited_pct"] * 100).round(1), workers_per_1000=units["workers_per_1000_households"].round(1)
    )
    return display_frame(shown, TABLE_COLUMNS, lang)


def go_to_labels(units: pd.DataFrame) -> dict[str, str]:
    """Code → "name · code" for the go-to list (one pass, not a lookup per option)."""
    return dict(zip(units["code"], units["name"] + " · " + units["code"], strict=True))
