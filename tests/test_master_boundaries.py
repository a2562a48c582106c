"""Area boundaries: Laoshan's real district outline and hand-drawn street rectangles,
checked feature by feature, written all or nothing, idempotent, exported and read back
unchanged, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
import shapely
from sqlalchemy import select

from data_access import audit, setup
from data_access import schema as s
from data_access.master import reference
from data_access.master.areas import from_reference_rows, import_areas
from data_access.master.boundaries import export_boundaries, import_boundaries
from tests.app_support import PROJECT_ROOT
from tests.conftest import ENGINE_KINDS
from tests.intake_support import fingerprint

REFERENCE = PROJECT_ROOT / "tests" / "reference_data"
LAOSHAN = (REFERENCE / "laoshan_boundary.geojson").read_bytes()  # 370212 崂山区 and its neighbour 370213 李沧区


@pytest.fixture(params=ENGINE_KINDS)
def laoshan(request, new_database):
    """Laoshan with its 5 streets (370212001 中韩 … 370212005 金家岭), no polygons yet."""
    engine = new_database(request.param)
    setup.new_database("370212", "崂山区", engine=engine)
    data = (REFERENCE / "laoshan_streets.csv").read_bytes()
    rows = reference.within_root(reference.read_division_codes(data, "streets.csv"), "370212")
    assert import_areas(from_reference_rows("streets.csv", data, rows), user="admin", engine=engine).added == 5
    yield engine
    engine.dispose()  # its connections back to a PostgreSQL server other test runs share


def rectangle(west: float, south: float, east: float, north: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]}


# Inside Laoshan's real outline (its mainland is about 120.41–120.96 E, 35.89–36.34 N).
INSIDE_A, INSIDE_B = rectangle(120.55, 36.15, 120.60, 36.20), rectangle(120.60, 36.20, 120.65, 36.25)
# Four fifths of it west of Laoshan, in Licang.
MOSTLY_OUTSIDE = rectangle(120.45, 36.15, 120.50, 36.20)
# A notch in the bottom edge just deeper than the 20 m tolerance (0.00018018°), which
# rounding to 5 decimals makes just shallower: simplifying the stored polygon again
# would drop it.
NOTCHED = {
    "type": "Polygon",
    "coordinates": [
        [[120.60, 36.20], [120.625, 36.199819815], [120.65, 36.20], [120.65, 36.25], [120.60, 36.25], [120.60, 36.20]]
    ],
}


def collection(*features: tuple[dict, dict]) -> bytes:
    """A FeatureCollection of (properties, geometry) pairs."""
    items = [{"type": "Feature", "properties": p, "geometry": g} for p, g in features]
    return json.dumps({"type": "FeatureCollection", "features": items}, ensure_ascii=False).encode()


def street(geometry, code: str = "370212001") -> tuple[dict, dict]:
    """A feature's (properties, geometry)."""
    return {"code": code}, geometry


def load(engine, data: bytes, name: str = "boundaries.geojson", **kwargs):
    return import_boundaries(name, data, user="admin@example.org", engine=engine, **kwargs)


def stored(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        return {
            row["code"]: dict(row)
            for row in conn.execute(select(s.area.c.code, s.area.c.polygon, s.area.c.lon, s.area.c.lat)).mappings()
        }


def found(outcome) -> list[tuple]:
    return [(err.row, err.code, err.column, err.value) for err in outcome.errors]


def test_the_real_district_outline_loads_and_its_neighbour_is_skipped(laoshan):
    outcome = load(laoshan, LAOSHAN, "370200_full.json")
    assert outcome.accepted, outcome.errors
    assert (outcome.rows, outcome.updated, outcome.skipped, outcome.warnings) == (1, 1, 1, [])
    root = stored(laoshan)["370212"]
    polygon = shapely.from_geojson(root["polygon"])
    source = shapely.geometry.shape(json.loads(LAOSHAN.splitlines()[1].rstrip(b","))["geometry"])
    assert polygon.is_valid and polygon.geom_type == "MultiPolygon" and len(polygon.geoms) == 9  # no island lost
    assert shapely.get_num_coordinates(polygon) <= shapely.get_num_coordinates(source) == 186
    assert polygon.symmetric_difference(source).area < 0.001 * source.area
    assert polygon.contains(shapely.Point(root["lon"], root["lat"]))  # the centre, taken from the polygon
    assert all(a["polygon"] is None for code, a in stored(laoshan).items() if code != "370212")

    before = fingerprint(laoshan, [s.area])
    again = load(laoshan, LAOSHAN, "370200_full.json")
    assert (again.accepted, again.rows, again.updated, again.skipped) == (True, 1, 0, 1)
    assert fingerprint(laoshan, [s.area]) == before


def test_a_centre_already_given_is_kept(laoshan):
    load(laoshan, collection(street(INSIDE_A, "370212003")))
    first = stored(laoshan)["370212003"]
    assert (first["lon"], first["lat"]) == (120.575, 36.175)
    outcome = load(laoshan, collection(street(INSIDE_B, "370212003")))
    assert outcome.updated == 1
    moved = stored(laoshan)["370212003"]
    assert (moved["lon"], moved["lat"]) == (120.575, 36.175) and "120.65" in moved["polygon"]


def test_a_self_intersecting_polygon_refuses_the_whole_file(laoshan):
    before = fingerprint(laoshan, [s.area])
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[120.60, 36.20], [120.65, 36.25], [120.65, 36.20], [120.60, 36.25], [120.60, 36.20]]],
    }
    outcome = load(laoshan, collection(street(INSIDE_A, "370212003"), ({"adcode": 370212004}, bow_tie)))
    assert not outcome.accepted and outcome.rows == outcome.updated == 0
    assert found(outcome) == [(2, "invalid_polygon", "geometry", "370212004")]
    assert outcome.errors[0].fields["detail"].startswith("Self-intersection")
    assert fingerprint(laoshan, [s.area]) == before


# What is wrong: the file, and the error (row = the feature's position, column, value = the code).
WRONG = {
    "point": (collection(street({"type": "Point", "coordinates": [120.6, 36.2]})), (1, "not_a_polygon", "geometry", "370212001")),
    "no-geometry": (collection(street(None)), (1, "not_a_polygon", "geometry", "370212001")),
    "unknown-code": (collection(street(INSIDE_A, "370212009")), (1, "unknown_code", "code", "370212009")),
    "at-0-0": (collection(street(rectangle(0, 0, 0.1, 0.1))), (1, "outside_china", "geometry", "370212001")),
    "lat-lon-swapped": (collection(street(rectangle(36.15, 120.55, 36.2, 120.6))), (1, "outside_china", "geometry", "370212001")),
    "no-code": (collection(street(INSIDE_A), ({"name": "无名"}, INSIDE_B)), (2, "no_area_code", "code", None)),
    "twice": (collection(street(INSIDE_A), street(INSIDE_B)), (2, "duplicate_key", "code", "370212001")),
    "no-features": (collection(), (None, "empty_file", None, None)),
    "empty": (b"", (None, "empty_file", None, None)),
    "csv": (b"code,name\n370212001,x\n", (None, "not_geojson", None, None)),
    "one-feature": (json.dumps({"type": "Feature", "geometry": INSIDE_A}).encode(), (None, "not_geojson", None, None)),
    "untyped": (json.dumps({"features": [{"properties": {}, "geometry": INSIDE_A}]}).encode(), (None, "not_geojson", None, None)),
}


@pytest.mark.parametrize(("data", "expected"), WRONG.values(), ids=WRONG.keys())
def test_a_wrong_file_or_feature_is_named_and_nothing_is_written(laoshan, data, expected):
    before = fingerprint(laoshan, [s.area])
    outcome = load(laoshan, data)
    assert not outcome.accepted and found(outcome) == [expected]
    assert fingerprint(laoshan, [s.area]) == before


def test_a_street_sticking_out_of_its_district_is_a_warning(laoshan):
    load(laoshan, LAOSHAN)
    outcome = load(laoshan, collection(street(MOSTLY_OUTSIDE), street(INSIDE_A, "370212003")))
    assert outcome.accepted and outcome.updated == 2
    assert [(w.row, w.code, w.value, w.fields) for w in outcome.warnings] == [
        (1, "child_outside_parent", "370212001", {"parent": "370212", "share": 83})
    ]
    # The parent's outline may come from the same file.
    district = rectangle(120.50, 36.10, 120.70, 36.30)
    outcome = load(
        laoshan,
        collection(street(district, "370212"), street(INSIDE_A, "370212003"), street(MOSTLY_OUTSIDE)),
    )
    assert [(w.row, w.value) for w in outcome.warnings] == [(3, "370212001")]
    history = audit.audit_events(action=audit.IMPORT, engine=laoshan)
    assert "1 warning)" in history["detail"].iloc[0]


def test_an_admin_of_a_street_draws_only_its_own_boundary(laoshan):
    before = fingerprint(laoshan, [s.area])
    mixed = collection(street(INSIDE_A), street(INSIDE_B, "370212002"))
    outcome = load(laoshan, mixed, within="370212001")
    assert found(outcome) == [(2, "outside_area", "code", "370212002")]
    assert fingerprint(laoshan, [s.area]) == before
    own = load(laoshan, collection(street(INSIDE_A)), within="370212001")
    assert own.accepted and own.updated == 1


def test_export_then_import_changes_nothing(laoshan):
    load(laoshan, LAOSHAN)
    load(laoshan, collection(street(INSIDE_A, "370212003"), street(NOTCHED, "370212004")))
    exported = export_boundaries(engine=laoshan)
    features = json.loads(exported)["features"]
    assert [f["properties"]["code"] for f in features] == ["370212", "370212003", "370212004"]
    assert features[2]["geometry"]["coordinates"][0][1] == [120.625, 36.19982]  # the notch, kept and rounded
    assert features[1]["properties"] == {
        "code": "370212003",
        "name_zh": "王哥庄街道",
        "name_en": "Wanggezhuang Subdistrict",
        "level": "street",
    }
    before = fingerprint(laoshan, [s.area])
    again = load(laoshan, exported, "export.geojson")
    assert (again.accepted, again.rows, again.updated, again.skipped) == (True, 3, 0, 0)
    assert fingerprint(laoshan, [s.area]) == before and export_boundaries(engine=laoshan) == exported
    one_street = json.loads(export_boundaries(engine=laoshan, within="370212003"))["features"]
    assert [f["properties"]["code"] for f in one_street] == ["370212003"]


def test_every_attempt_is_recorded_and_a_dry_run_writes_nothing(laoshan):
    trial = load(laoshan, LAOSHAN, dry_run=True)
    assert (trial.accepted, trial.updated, trial.import_id) == (True, 1, None)
    assert stored(laoshan)["370212"]["polygon"] is None
    accepted = load(laoshan, LAOSHAN, "370200_full.json")
    refused = load(laoshan, collection(street(INSIDE_A, "370212009")), "bad.geojson")
    with laoshan.connect() as conn:
        history = conn.execute(
            select(s.report_import.c.id, s.report_import.c.file_name, s.report_import.c.outcome, s.report_import.c.rows_accepted)
            .where(s.report_import.c.report_type == "boundaries")
            .order_by(s.report_import.c.id)
        ).all()
    assert [tuple(row) for row in history] == [
        (accepted.import_id, "370200_full.json", "accepted", 1),
        (refused.import_id, "bad.geojson", "rejected", 0),
    ]
    events = audit.audit_events(action=audit.IMPORT, engine=laoshan)
    events = events[events["detail"].str.startswith("boundaries")]
    assert events["outcome"].tolist() == ["refused", "ok"]
    assert "(1 updated, 1 skipped)" in events["detail"].iloc[1]
