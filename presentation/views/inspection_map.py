"""Inspections on the grid map 督导检查: the streets of the filter coloured by the entities
with a problem still open at the end of the range's last day, grey where no team reported
a check there over the range, with a legend counting each class, what a clicked street
shows, and the table of the streets beneath, most entities open first."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pydeck as pdk

from presentation import formatting as fmt
from presentation import palette
from presentation.catalogue import name
from presentation.map_layers import (
    POLYGON_STYLE,
    TOOLTIP,
    TOOLTIP_FIELDS,
    CompactDeck,
    basemap_args,
    count_colouring,
    each_once,
    fit_view,
    layer,
    polygon_records,
    with_approximate_cells,
)
from presentation.palette import rgb
from presentation.tables import WHOLE, ColumnFormat, display_frame, formats_for, name_column
from presentation.text import text as t

LAYER_ID = "inspection-streets"
LAYER_IDS = (LAYER_ID,)
LEVEL = "street"  # teams report per street inspected
OPEN_RGB = [rgb(colour) for colour in palette.OPEN_PROBLEMS_RAMP]
ZERO_RGB = rgb(palette.ZERO_COUNT)


def label_streets(streets: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``inspection_map_units``' streets with their code, display name, whether a team
    reported there over the range (a check, or a problem still open), and the entities
    with an open problem to draw (none where nothing was reported: no data, not 0)."""
    reported = (streets["inspections"] > 0) | (streets["open_problems"] > 0)
    return streets.assign(
        code=streets["area_code"],
        name=streets[name_column(lang)],
        reported=reported,
        entities_drawn=streets["entities_open"].where(reported),
    )


def open_colouring(streets: pd.DataFrame):
    """Entities with an open problem per street in classes (streets without reports: no data)."""
    return count_colouring(streets["entities_drawn"], OPEN_RGB, ZERO_RGB)


def _tips(streets: pd.DataFrame, lang: str) -> dict[str, list[str]]:
    entities, overdue, rate = (name(f"inspections.{key}", lang) for key in ("entities_open", "overdue", "pass_rate"))
    no_checks = t("map.inspections.no_checks", lang)
    counts = each_once(streets["entities_open"], lambda n: f"{entities}: {fmt.count(n, lang)}")
    return {
        "title": list(streets["name"]),
        "line1": [shown if seen else no_checks for shown, seen in zip(counts, streets["reported"], strict=True)],
        "line2": each_once(streets["overdue"], lambda n: f"{overdue}: {fmt.count(n, lang)}"),
        "line3": each_once(streets["pass_rate"], lambda r: f"{rate}: {fmt.percent(r, lang)}"),
    }


def inspection_deck(streets: pd.DataFrame, lang: str, width_px: int = 760, height_px: int = 540) -> pdk.Deck:
    """The labelled ``streets`` filled by the class of entities with an open problem (a
    street without a boundary as an approximate cell around its centre), each carrying
    its code and its tooltip's lines."""
    streets = with_approximate_cells(streets)
    records = polygon_records(streets.assign(**_tips(streets, lang)), open_colouring(streets).fills, TOOLTIP_FIELDS)
    view = fit_view(streets, width_px, height_px)
    return CompactDeck(
        layers=[layer("PolygonLayer", records, LAYER_ID, True, **POLYGON_STYLE)],
        initial_view_state=pdk.ViewState(**view, pitch=0, bearing=0),
        tooltip=TOOLTIP,
        **basemap_args(),
    )


def legend(streets: pd.DataFrame, lang: str) -> list[tuple[str, list]]:
    """One section, (heading, [(rgb, label, count)]): each class with the streets in it,
    then the streets without reports."""
    entries = open_colouring(streets).legend("map.inspections.entities", t("map.inspections.not_reported", lang), streets, lang)
    return [(t("map.inspections.heading", lang), entries)]


def summary(streets: pd.DataFrame, start: dt.date, end: dt.date, lang: str) -> str:
    """The totals over the map: entities with an open problem and problems overdue at the
    end of the last day, in how many streets; checks over the range and their pass rate."""
    checks = int(streets["inspections"].sum())
    return t(
        "map.inspections.note",
        lang,
        day=fmt.day(end, lang),
        entities=fmt.count(streets["entities_open"].sum(), lang),
        streets=fmt.count(int((streets["entities_open"] > 0).sum()), lang),
        overdue=fmt.count(streets["overdue"].sum(), lang),
        checks=fmt.count(checks, lang),
        days=fmt.day_range(start, end, lang),
        rate=fmt.percent(streets["inspections_passed"].sum() / checks if checks else None, lang),
    )


DETAIL_FIGURES = {
    "entities_open": "inspections.entities_open",
    "open_problems": "inspections.open_problems",
    "overdue": "inspections.overdue",
    "inspections": "inspections.inspections",
    "inspections_passed": "inspections.passed",
    "pass_rate": "inspections.pass_rate",
    "inspector_visits": "inspections.inspector_visits",
    "problems_found": "inspections.problems_found",
    "fixed_on_time": "inspections.fixed_on_time",
    "fixed_late": "inspections.fixed_late",
    "penalties": "inspections.penalties",
}


def details(streets: pd.DataFrame, picked: tuple[str, str] | None, lang: str) -> list[tuple[str, str]] | None:
    """(label, value) lines for the clicked street: its open problems at the end of the
    last day and its checks over the range; None when nothing on the map is picked."""
    if not picked or picked[0] != LAYER_ID:
        return None
    found = streets[streets["code"] == picked[1]]
    if found.empty:
        return None
    street = found.iloc[0]
    lines = [(t("filter.level.street", lang), f"{street['name']} ({street['code']})")]
    if not street["reported"]:
        lines.append((t("map.inspections.reports", lang), t("map.inspections.no_checks", lang)))
    for column, key in DETAIL_FIGURES.items():
        value = street[column]
        lines.append((name(key, lang), fmt.percent(value, lang) if column == "pass_rate" else fmt.count(value, lang)))
    return lines


STREETS_TABLE = {
    "code": "common.code",
    "name": "filter.level.street",
    "entities_open": "inspections.entities_open",
    "open_problems": "inspections.open_problems",
    "overdue": "inspections.overdue",
    "inspections": "inspections.inspections",
    "inspections_passed": "inspections.passed",
    "pass_rate_pct": "inspections.pass_rate",
    "inspector_visits": "inspections.inspector_visits",
    "problems_found": "inspections.problems_found",
    "fixed_on_time": "inspections.fixed_on_time",
    "fixed_late": "inspections.fixed_late",
    "on_time_rate_pct": "inspections.on_time_rate",
    "penalties": "inspections.penalties",
    "masks_seized": "inspections.masks_seized",
}


def streets_table(streets: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The labelled streets, most entities with an open problem first, then most overdue."""
    ordered = streets.sort_values(["entities_open", "overdue", "code"], ascending=[False, False, True], kind="stable")
    shown = ordered.assign(
        pass_rate_pct=(ordered["pass_rate"] * 100).round(1), on_time_rate_pct=(ordered["on_time_rate"] * 100).round(1)
    )
    return display_frame(shown, STREETS_TABLE, lang).reset_index(drop=True)


def streets_formats(lang: str):
    """Counts with the language's separators, rates as per cent with one decimal."""
    rates = ("pass_rate_pct", "on_time_rate_pct")
    counts = {key: WHOLE for column, key in STREETS_TABLE.items() if column not in ("code", "name", *rates)}
    return formats_for({**counts, **{STREETS_TABLE[c]: ColumnFormat(format="%.1f") for c in rates}}, lang)
