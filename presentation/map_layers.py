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
from presentation import formatting as fmt
from presentation import palette
from presentation.palette import rgb
from presentation.text import markdown_plain
from presentation.text import text as message

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


# ---------------------------------------------------------------- counts in classes
@dataclass(frozen=True)
class CountClass:
    """A band of whole counts, ``low`` to ``high`` inclusive (0 to 0: units with none)."""

    low: int
    high: int


def count_classes(values, bands: int = 4) -> list[CountClass]:
    """Classes for a count drawn on the map: 0 alone (nothing to see), then up to ``bands``
    bands of the positive counts cut at their quantiles, each from one past the last; the
    top band ends at the largest count. Values that are not numbers (no data, a suppressed
    "<5") are left out."""
    numbers = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").dropna()
    positive = numbers[numbers > 0]
    if positive.empty:
        return [CountClass(0, 0)]
    top = int(positive.max())
    cuts = np.quantile(positive, np.linspace(0, 1, bands + 1)[1:-1]) if bands > 1 else []
    lows = sorted({1, *(int(math.floor(q)) + 1 for q in cuts if math.floor(q) + 1 <= top)})
    highs = [low - 1 for low in lows[1:]] + [top]
    return [CountClass(0, 0), *(CountClass(low, high) for low, high in zip(lows, highs, strict=True))]


def count_class(value, classes: list[CountClass]) -> int | None:
    """The index of the class ``value`` falls in; None for no number (no data, "<5")."""
    number = pd.to_numeric(value, errors="coerce")
    if number is None or pd.isna(number):
        return None
    return next((i for i, c in enumerate(classes) if number <= c.high), len(classes) - 1)


def class_colours(classes: list[CountClass], ramp: list[tuple[int, int, int]], zero: tuple[int, int, int]) -> list:
    """A colour per class: ``zero`` for none, the ramp spread over the bands (light → dark)."""
    bands = len(classes) - 1
    if bands <= 0:
        return [zero]
    step = (len(ramp) - 1) / max(1, bands - 1)
    return [zero, *(ramp[min(len(ramp) - 1, round(i * step))] for i in range(bands))]


@dataclass(frozen=True)
class CountColouring:
    """A count drawn on the map: its classes, their colours, and each unit's class (None:
    no number to draw, e.g. a suppressed "<5")."""

    classes: list[CountClass]
    colours: list[tuple[int, int, int]]
    found: list[int | None]

    @property
    def fills(self) -> list[tuple[int, int, int]]:
        return [NO_DATA_RGB if i is None else self.colours[i] for i in self.found]

    def legend(self, range_key: str, no_data: str, units: pd.DataFrame, lang: str) -> list[tuple]:
        """[(rgb, range, units)] per class, the message ``range_key`` filled with the
        class's range ("0", "1–3"); then, when there are any, the units with no number
        (labelled ``no_data``) and the approximate cells of ``units`` without a boundary."""

        def span(c: CountClass) -> str:
            return fmt.count(c.low, lang) if c.low == c.high else f"{fmt.count(c.low, lang)}–{fmt.count(c.high, lang)}"

        entries = [
            (colour, message(range_key, lang, range=span(c)), fmt.count(self.found.count(i), lang))
            for i, (c, colour) in enumerate(zip(self.classes, self.colours, strict=True))
        ]
        if None in self.found:
            entries.append((NO_DATA_RGB, no_data, fmt.count(self.found.count(None), lang)))
        if approximate := int((units["polygon"].isna() & units["lon"].notna()).sum()):
            entries.append((APPROXIMATE_RGB, message("grid.approximate", lang, n=approximate)))
        return entries


def count_colouring(values, ramp: list[tuple[int, int, int]], zero: tuple[int, int, int]) -> CountColouring:
    """``values`` (one per unit) in classes (``count_classes``) coloured 0 → ``zero``, then along ``ramp``."""
    values = list(values)
    classes = count_classes(values)
    return CountColouring(classes, class_colours(classes, ramp, zero), [count_class(v, classes) for v in values])


def each_once(values, form) -> list[str]:
    """``form(value)`` for each of ``values``, worked out once per distinct value: Babel takes
    ~40 µs a number, and a city's streets and sites share most of theirs."""
    done: dict = {}
    return [done[v] if v in done else done.setdefault(v, form(v)) for v in values]


# One tooltip for every layer of a deck: each object fills the same fields (Streamlit
# escapes what it puts in, so a name typed with markup shows as typed).
# Short lines: a tooltip is cut at the map's edge.
TOOLTIP_FIELDS = ["code", "title", "line1", "line2", "line3"]
TOOLTIP = {"html": "<b>{title}</b> <small>{code}</small><br/>{line1}<br/>{line2}<br/>{line3}", "style": {"fontSize": "13px"}}


def picked_object(selection, layer_ids) -> tuple[str, str] | None:
    """(layer id, code) of the object clicked on a map of ``layer_ids`` (``st.pydeck_chart``'s selection)."""
    objects = (selection or {}).get("selection", {}).get("objects", {})
    for layer_id in layer_ids:
        if objects.get(layer_id) and objects[layer_id][0].get("code"):
            return layer_id, objects[layer_id][0]["code"]
    return None


def details_markdown(lines: list[tuple[str, str]]) -> str:
    """A clicked object's (label, value) lines as Markdown, names escaped (they are typed by people)."""
    return "  \n".join(f"**{markdown_plain(label)}**: {markdown_plain(value)}" for label, value in lines)


# ---------------------------------------------------------------- points over areas
POINT_RADIUS_PX = 7
# The edge of a point placed at its area's centre (no coordinates of its own): white, which
# stands apart from every fill.
ROUGH_EDGE = (255, 255, 255)
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))  # radians between successive points of a sunflower spiral
POLYGON_STYLE = {
    "get_polygon": "polygon",
    "get_fill_color": "fill",
    "get_line_color": "line",
    "line_width_min_pixels": 1,
    "filled": True,
}
POINT_STYLE = {
    "get_position": "position",
    "get_fill_color": "fill",
    "get_line_color": "line",
    "get_radius": POINT_RADIUS_PX,
    "radius_units": "'pixels'",
    "line_width_min_pixels": 2,
}


def spread_points(lon: pd.Series, lat: pd.Series, spacing: float) -> tuple[list[float], list[float]]:
    """Points that share a place (sites shown at their area's centre) fanned out around it
    on a sunflower spiral, about ``spacing`` degrees apart, so each can be seen and clicked."""
    spread_lon, spread_lat = [float(v) for v in lon], [float(v) for v in lat]
    seen: dict[tuple[float, float], int] = {}
    for i, place in enumerate(zip(spread_lon, spread_lat, strict=True)):
        k = seen[place] = seen.get(place, -1) + 1
        radius, angle = spacing * math.sqrt(k), k * GOLDEN_ANGLE
        spread_lon[i] += radius * math.cos(angle) / max(math.cos(math.radians(place[1])), 0.1)
        spread_lat[i] += radius * math.sin(angle)
    return spread_lon, spread_lat


def point_records(points: pd.DataFrame, fills: list, fields: list[str], zoom: float, line_rgb=(60, 60, 60)) -> list[dict]:
    """One record per point of ``points`` (``lon``, ``lat``, ``at_area_centre``): its place
    (points sharing one fanned out, about 2.5 radii apart at ``zoom``), ``fill`` (RGB),
    an edge (white for a point at its area's centre) and the ``fields`` as text."""
    # deck.gl: 512 px show 360° at zoom 0.
    lons, lats = spread_points(points["lon"], points["lat"], 2.5 * POINT_RADIUS_PX * 360 / (512 * 2**zoom))
    return [
        {
            "position": [round(lon, 5), round(lat, 5)],
            "fill": [*fill, 235],
            "line": [*(ROUGH_EDGE if rough else line_rgb), 255],
            **{field: str(value) for field, value in zip(fields, values, strict=True)},
        }
        for lon, lat, fill, rough, *values in zip(
            lons, lats, fills, points["at_area_centre"], *[points[f] for f in fields], strict=True
        )
    ]


def layer(kind: str, data: list[dict], layer_id: str, pickable: bool, **style) -> pdk.Layer:
    """A deck layer of ``data`` records, outlined; picked objects highlight."""
    return pdk.Layer(kind, data=data, id=layer_id, pickable=pickable, auto_highlight=pickable, stroked=True, **style)


def _place_box(lon: float, lat: float, half: float = 0.002) -> str:
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
    return json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})


def fit_places(polygons, points: pd.DataFrame, width_px: int = 760, height_px: int = 540) -> dict:
    """A view fitting the ``polygons`` (GeoJSON texts, None skipped) and the ``points``."""
    shapes = [p for p in polygons if isinstance(p, str)]
    shapes += [_place_box(lon, lat) for lon, lat in zip(points["lon"], points["lat"], strict=True)]
    return fit_view(pd.DataFrame({"polygon": shapes}, dtype="object"), width_px, height_px)


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
