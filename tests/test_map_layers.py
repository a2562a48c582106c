"""What the map layers are made of: areas without a boundary still show (cells derived
from centre points, flagged as approximate; units with polygons are left as they are),
points sharing a place fan out, and counts fall into classes with 0 on its own."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from shapely.geometry import Point, shape

from presentation.map_layers import (
    LONE_CELL,
    CountClass,
    class_colours,
    count_class,
    count_classes,
    fit_places,
    point_records,
    polygon_records,
    spread_points,
    with_approximate_cells,
)

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


def test_points_sharing_a_place_fan_out_and_others_stay():
    lons, lats = spread_points(pd.Series([1.0, 2.0, 2.0, 2.0, 2.0]), pd.Series([0.0, 0.0, 0.0, 0.0, 0.0]), 0.01)
    assert (lons[0], lats[0]) == (1.0, 0.0) and (lons[1], lats[1]) == (2.0, 0.0)  # the first of a place stays on it
    spread = list(zip(lons[1:], lats[1:], strict=True))
    assert len(set(spread)) == 4
    gaps = [np.hypot(a[0] - b[0], a[1] - b[1]) for i, a in enumerate(spread) for b in spread[i + 1 :]]
    assert min(gaps) > 0.005 and max(np.hypot(x - 2.0, y) for x, y in spread) < 0.02


def test_point_records_carry_their_fill_edge_and_fields_as_text():
    points = pd.DataFrame(
        {
            "code": ["S1", "S2", "S3"],
            "lon": [120.0, 120.5, 120.5],
            "lat": [36.0, 36.2, 36.2],
            "at_area_centre": [False, True, True],
        }
    )
    records = point_records(points, [(1, 2, 3), (4, 5, 6), (7, 8, 9)], ["code"], zoom=10)
    assert [r["code"] for r in records] == ["S1", "S2", "S3"]
    assert records[0]["position"] == [120.0, 36.0] and records[0]["fill"] == [1, 2, 3, 235]
    assert records[0]["line"] == [60, 60, 60, 255] and records[1]["line"] == [255, 255, 255, 255]  # white: at its area's centre
    assert records[1]["position"] != records[2]["position"], "two sites at one centre are both seen"
    view = fit_places([SQUARE, None], points)
    assert 120.0 < view["longitude"] < 120.5 and 36.0 < view["latitude"] < 36.2


def test_counts_fall_into_classes_with_none_on_its_own():
    # The nine positive counts 1 … 8 and 40: quartiles at positions 2, 4 and 6 of 0 … 8 are
    # 3, 5 and 7, so the bands are 1–3, 4–5, 6–7 and 8 up to the largest count, 40.
    values = [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 40, "<5", None]
    classes = count_classes(values)
    assert classes == [CountClass(0, 0), CountClass(1, 3), CountClass(4, 5), CountClass(6, 7), CountClass(8, 40)]
    assert [count_class(v, classes) for v in (0, 1, 3, 4, 7, 8, 40, "<5", None, float("nan"))] == [
        0, 1, 1, 2, 3, 4, 4, None, None, None,
    ]  # fmt: skip
    # Few distinct counts give fewer bands, never an empty one; none at all gives only 0.
    assert count_classes([0, 1, 1, 1, 1, 9]) == [CountClass(0, 0), CountClass(1, 1), CountClass(2, 9)]
    assert count_classes([0, 0]) == count_classes([]) == [CountClass(0, 0)]
    assert count_classes([5, 5, 5]) == [CountClass(0, 0), CountClass(1, 5)]


def test_class_colours_spread_the_ramp_over_the_bands():
    ramp, zero = [(1, 1, 1), (2, 2, 2), (3, 3, 3), (4, 4, 4)], (0, 0, 0)
    assert class_colours([CountClass(0, 0)], ramp, zero) == [zero]
    assert class_colours([CountClass(0, 0), CountClass(1, 5)], ramp, zero) == [zero, (1, 1, 1)]
    two = [CountClass(0, 0), CountClass(1, 2), CountClass(3, 9)]
    assert class_colours(two, ramp, zero) == [zero, (1, 1, 1), (4, 4, 4)], "light to dark, the top band darkest"
    five = [CountClass(0, 0), *(CountClass(i, i) for i in range(1, 5))]
    assert class_colours(five, ramp, zero) == [zero, *ramp]
