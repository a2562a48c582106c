"""Turning grid figures into what the map draws: polygon records, fill colours, legend,
and a view that fits the units (pure functions, no Streamlit)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from data_access.schema import RISK_COLOURS
from data_access.settings import get_settings
from presentation import palette
from presentation.palette import rgb

RISK_RGB = {name: rgb(colour) for name, colour in palette.RISK.items()}
NO_DATA_RGB = rgb(palette.NO_DATA)
APPROXIMATE_RGB = rgb(palette.APPROXIMATE_EDGE)  # the edge of a cell derived from centre points
METRIC_RAMP = [rgb(colour) for colour in palette.METRIC_RAMP]
FILL_ALPHA = 190

# Metric name → column of grid_units_for_map, and whether it is a ratio (0–1).
METRICS = {
    "risk_colour": ("risk_colour", False),
    "visited_pct": ("visited_pct", True),
    "home_observation": ("home_observation", False),
    "workers_per_1000_households": ("workers_per_1000_households", False),
}


@dataclass(frozen=True)
class LegendEntry:
    rgb: tuple[int, int, int]
    label: str


def risk_fill(index) -> tuple[int, int, int]:
    """The 四色 colour for a risk index 0–3 (grey when missing)."""
    if index is None or pd.isna(index):
        return NO_DATA_RGB
    return RISK_RGB[RISK_COLOURS[int(index)]]


def metric_breaks(values: pd.Series, classes: int = len(METRIC_RAMP)) -> list[float]:
    """Class boundaries by quantiles of the values present (at most ``classes`` classes)."""
    valid = values.dropna().astype(float)
    if valid.empty:
        return []
    quantiles = np.unique(np.quantile(valid, np.linspace(0, 1, classes + 1)))
    return [float(q) for q in quantiles]


def metric_fill(value, breaks: list[float]) -> tuple[int, int, int]:
    """The ramp colour of the class ``value`` falls in."""
    if value is None or pd.isna(value) or len(breaks) < 2:
        return NO_DATA_RGB if value is None or pd.isna(value) else METRIC_RAMP[-1]
    position = int(np.searchsorted(breaks[1:-1], float(value), side="right"))
    step = (len(METRIC_RAMP) - 1) / max(1, len(breaks) - 2)
    return METRIC_RAMP[min(len(METRIC_RAMP) - 1, round(position * step))]


def metric_legend(breaks: list[float], as_percent: bool) -> list[LegendEntry]:
    def label(v: float) -> str:
        return f"{v * 100:.1f}%" if as_percent else (f"{v:,.0f}" if abs(v) >= 10 else f"{v:,.1f}")

    if len(breaks) < 2:
        return []
    step = (len(METRIC_RAMP) - 1) / max(1, len(breaks) - 2)
    return [
        LegendEntry(METRIC_RAMP[min(len(METRIC_RAMP) - 1, round(i * step))], f"{label(lo)} – {label(hi)}")
        for i, (lo, hi) in enumerate(zip(breaks[:-1], breaks[1:], strict=False))
    ]


# Half the side of the square drawn for a lone unit that has only a centre point (degrees, ~300 m).
LONE_CELL = 0.003


def with_approximate_cells(units: pd.DataFrame) -> pd.DataFrame:
    """``units`` where those without a polygon but with a centre point get a cell derived
    from the centre points (Voronoi cells of all the units' centres, cut to the hull of
    the others), flagged in the column ``approximate``. Areas loaded without boundaries
    still show on the map, and the legend can say which cells are approximate."""
    from shapely import MultiPoint, Point, box, voronoi_polygons
    from shapely.geometry import mapping

    units = units.assign(approximate=False)
    missing = (
        units["polygon"].isna() & units["lon"].notna() & units["lat"].notna()
        if "lon" in units
        else units["polygon"].isna() & False
    )
    if not missing.any():
        return units
    centres = [Point(lon, lat) for lon, lat in zip(units.loc[missing, "lon"], units.loc[missing, "lat"], strict=True)]
    if len(centres) == 1:
        cells = [box(centres[0].x - LONE_CELL, centres[0].y - LONE_CELL, centres[0].x + LONE_CELL, centres[0].y + LONE_CELL)]
    else:
        points = MultiPoint(centres)
        # The cells are cut to the points' hull grown by half the typical spacing, so the
        # outer units do not reach to the horizon.
        spacing = max(points.convex_hull.length / max(len(centres), 1), LONE_CELL * 2)
        frame = points.convex_hull.buffer(spacing / 2)
        regions = list(voronoi_polygons(points, extend_to=frame).geoms)
        cells = [next((r for r in regions if r.covers(c)), c.buffer(LONE_CELL)).intersection(frame) for c in centres]
    units.loc[missing, "polygon"] = [json.dumps(mapping(cell.simplify(1e-5))) for cell in cells]
    units.loc[missing, "approximate"] = True
    return units


def polygon_records(units: pd.DataFrame, fills: list[tuple[int, int, int]], fields: list[str]) -> list[dict]:
    """One record per polygon ring set (a MultiPolygon gives several records with the same
    fields): ``polygon`` (list of rings), ``fill`` (RGBA) and the tooltip ``fields``."""
    records: list[dict] = []
    present = [field for field in fields if field in units.columns]
    nothing = [None] * len(units)
    # Column by column, not row by row: iterrows built a Series per unit (1 s for 3,000).
    columns = [units.get("polygon", nothing), units.get("approximate", nothing), fills, *[units[f] for f in present]]
    for text, approximate, fill, *values in zip(*columns, strict=False):
        if not isinstance(text, str):
            continue
        geometry = json.loads(text)
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        props = {field: _plain(value) for field, value in zip(present, values, strict=True)}
        # An approximate cell (no boundary loaded) has an edge of its own colour.
        line = [*APPROXIMATE_RGB, 255] if approximate is True else [60, 60, 60, 200]
        for rings in polygons:
            records.append({"polygon": rings, "fill": [*fill, FILL_ALPHA], "line": line, **props})
    return records


def _plain(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else round(float(value), 4)
    if value is pd.NA or value is None:
        return None
    return value


class CompactDeck(pdk.Deck):
    """A deck whose JSON (what ``st.pydeck_chart`` sends on each rerun) has no indentation
    and keeps Chinese as UTF-8: pydeck's own indents by 2 and escapes every character,
    which for a city's 3,000 community polygons made 3.4 MB and a second of CPU."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


def basemap_args() -> dict:
    """The deck's basemap: none unless an intranet style is configured. map_provider=None
    with pydeck's default map_style makes no request outside the app (map_style=None would
    fetch one)."""
    style = get_settings().basemap_style
    return {"map_provider": "carto", "map_style": style} if style else {"map_provider": None}


def fit_view(units: pd.DataFrame, width_px: int = 760, height_px: int = 540) -> dict:
    """Centre and zoom (Web Mercator) that show every unit's polygon."""
    xs, ys = [], []
    for text in units["polygon"].dropna():
        geometry = json.loads(text)
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for rings in polygons:
            for x, y in rings[0]:
                xs.append(x)
                ys.append(y)
    if not xs:
        return {"longitude": 114.0, "latitude": 33.0, "zoom": 9}
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_x = max(max_x - min_x, 1e-4) / 360
    span_y = max(merc(max_y) - merc(min_y), 1e-6) / (2 * math.pi)
    # deck.gl's zoom 0 shows the world in 512 pixels.
    zoom = min(math.log2(width_px / 512 / span_x), math.log2(height_px / 512 / span_y)) - 0.1
    return {"longitude": (min_x + max_x) / 2, "latitude": (min_y + max_y) / 2, "zoom": round(max(1.0, min(zoom, 18.0)), 2)}
