"""Areas without a boundary still show on the map: cells derived from centre points,
flagged as approximate; units with polygons are left as they are."""

from __future__ import annotations

import json

import pandas as pd
from shapely.geometry import Point, shape

from presentation.map_layers import LONE_CELL, polygon_records, with_approximate_cells

SQUARE = json.dumps(
    {"type": "Polygon", "coordinates": [[[120.0, 36.0], [120.1, 36.0], [120.1, 36.1], [120.0, 36.1], [120.0, 36.0]]]}
)


def units(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["code", "polygon", "lon", "lat"])


def test_units_with_boundaries_are_left_alone():
    result = with_approximate_cells(units([("A", SQUARE, 120.05, 36.05)]))
    assert result["polygon"].tolist() == [SQUARE] and not result["approximate"].any()


def test_centre_points_become_cells_that_hold_them_and_do_not_overlap():
    rows = [
        ("A", None, 120.40, 36.10),
        ("B", None, 120.45, 36.12),
        ("C", None, 120.42, 36.16),
        ("D", SQUARE, 120.05, 36.05),
        ("E", None, None, None),
    ]
    result = with_approximate_cells(units(rows)).set_index("code")
    assert result["approximate"].to_dict() == {"A": True, "B": True, "C": True, "D": False, "E": False}
    cells = {code: shape(json.loads(result.at[code, "polygon"])) for code in "ABC"}
    for code, cell in cells.items():
        assert cell.is_valid and cell.contains(Point(result.at[code, "lon"], result.at[code, "lat"])), code
    assert cells["A"].intersection(cells["B"]).area < 1e-9
    assert pd.isna(result.at["E", "polygon"])  # no centre either: listed in the table only
    records = polygon_records(result.reset_index().iloc[:3], [(1, 2, 3)] * 3, ["code"])
    assert {tuple(r["line"][:3]) for r in records} == {(30, 110, 220)}


def test_a_lone_centre_gets_a_small_square():
    result = with_approximate_cells(units([("A", None, 120.4, 36.1)]))
    cell = shape(json.loads(result.at[0, "polygon"]))
    assert abs(cell.area - (2 * LONE_CELL) ** 2) < 1e-9
