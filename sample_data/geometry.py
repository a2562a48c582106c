"""Polygons for the sample city: nested Voronoi tilings, so every unit lies inside its
parent and siblings cover the parent without gaps or overlaps."""

from __future__ import annotations

import json
import math

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Polygon, mapping
from shapely.geometry.base import BaseGeometry

# ~1 m at this latitude: enough for a map, small enough to keep GeoJSON light.
COORD_DECIMALS = 5


def city_outline(rng: np.random.Generator, lon: float, lat: float, radius_km: float) -> Polygon:
    """A blob-shaped city boundary around (lon, lat)."""
    angles = np.linspace(0, 2 * math.pi, 72, endpoint=False)
    # Smooth radial noise: a few low-frequency harmonics with random phases.
    radius = np.ones_like(angles)
    for k, amp in ((2, 0.12), (3, 0.08), (5, 0.05)):
        radius += amp * np.sin(k * angles + rng.uniform(0, 2 * math.pi))
    km_per_deg_lat = 111.0
    km_per_deg_lon = 111.0 * math.cos(math.radians(lat))
    xs = lon + radius * radius_km * np.cos(angles) / km_per_deg_lon
    ys = lat + radius * radius_km * np.sin(angles) / km_per_deg_lat
    return Polygon(np.column_stack([xs, ys]))


def _random_points_in(polygon: BaseGeometry, n: int, rng: np.random.Generator) -> np.ndarray:
    minx, miny, maxx, maxy = polygon.bounds
    points: list[np.ndarray] = []
    count = 0
    shapely.prepare(polygon)
    while count < n:
        batch = rng.uniform((minx, miny), (maxx, maxy), size=(max(8, n * 3), 2))
        inside = shapely.contains_xy(polygon, batch[:, 0], batch[:, 1])
        chosen = batch[inside][: n - count]
        points.append(chosen)
        count += len(chosen)
    return np.vstack(points)[:n]


def subdivide(parent: BaseGeometry, n: int, rng: np.random.Generator, relax: int = 1) -> list[BaseGeometry]:
    """Split ``parent`` into ``n`` pieces that tile it exactly (Voronoi cells clipped to it).

    ``relax`` rounds of Lloyd relaxation make the pieces more even in size.
    """
    if n <= 1:
        return [parent]
    seeds = _random_points_in(parent, n, rng)
    cells: list[BaseGeometry] = []
    for round_ in range(relax + 1):
        diagram = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=parent)
        raw = list(diagram.geoms)
        # voronoi_polygons does not keep the seed order: match cells back to seeds.
        ordered = [None] * len(seeds)
        tree = shapely.STRtree(raw)
        for i, (x, y) in enumerate(seeds):
            hits = tree.query(shapely.points(x, y), predicate="intersects")
            ordered[i] = raw[int(hits[0])] if len(hits) else raw[i % len(raw)]
        cells = [cell.intersection(parent) for cell in ordered]
        if round_ < relax:
            centroids = [c.centroid for c in cells if not c.is_empty]
            if len(centroids) == len(seeds):
                seeds = np.array([(c.x, c.y) for c in centroids])
    cells = [c for c in cells if not c.is_empty and c.area > 0]
    return [_polygonal(c) for c in cells]


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Drop stray points/lines an intersection can leave behind."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"]
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]


def to_geojson(geom: BaseGeometry) -> str:
    """Compact GeoJSON geometry text with rounded coordinates."""
    rounded = shapely.set_precision(geom, 10**-COORD_DECIMALS, mode="pointwise")
    return json.dumps(mapping(rounded), separators=(",", ":"))


def from_geojson(text: str) -> BaseGeometry:
    return shapely.from_geojson(text)
