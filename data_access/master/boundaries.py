"""Area boundaries 区划边界: a GeoJSON FeatureCollection of polygons, one feature per area
(any level), checked and written all or nothing into ``area.polygon``.

Each feature names its area by a property code, adcode, area_code or 区划代码 (DataV's
files work as downloaded). Features for areas outside the database's root, such as the
neighbouring districts an open city file also holds, are skipped and counted. Polygons
are simplified (about 20 m) and rounded to 5 decimals (about 1 m) before they are
stored; an area's centre is taken from its polygon when it has none. Importing a file
again, or a file from ``export_boundaries``, changes nothing.

Coordinates: longitude and latitude in WGS-84, as GPS gives them (the national standard
CGCS2000 is the same within a metre). Amap, DataV and Tencent files are in GCJ-02, a few
hundred metres off WGS-84: they are accepted as they are, and line up with each other on
a map without a basemap, but sit a few hundred metres off a WGS-84 (intranet) basemap.
For such a basemap convert them first, with a tool such as coordTransform.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import shapely
from shapely.errors import GEOSException
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity
from sqlalchemy import Connection, Engine, select, update

from data_access import schema as s
from data_access.ingest import errors as e
from data_access.ingest.writer import intake_transaction
from data_access.master import reference
from data_access.master.intake import record_import, too_large
from data_access.scope import resolve_engine, run, within_condition

REPORT_TYPE = "boundaries"  # report_import.report_type of a boundaries file
# Reasons of this importer (their texts: presentation/locales, intake.reason.*; docs/INTAKE.md).
NOT_GEOJSON = e.NOT_GEOJSON
NO_AREA_CODE = e.NO_AREA_CODE
NOT_A_POLYGON = e.NOT_A_POLYGON
INVALID_POLYGON = e.INVALID_POLYGON
OUTSIDE_CHINA = e.OUTSIDE_CHINA
CHILD_OUTSIDE_PARENT = e.CHILD_OUTSIDE_PARENT  # a warning: the file is still imported

# Mainland China and its islands, in WGS-84 degrees: a projected file (metres) or one
# with latitude and longitude swapped falls outside.
CHINA_LON, CHINA_LAT = (73.0, 136.0), (3.0, 54.0)
COORD_DECIMALS = 5  # ~1 m, as the sample city's polygons (sample_data/geometry.py)
METRES_PER_DEGREE = 111_000  # of latitude; a degree of longitude is shorter, which only makes the tolerance finer
# A child may stick out of its parent this much (two files drawn at different scales never
# match exactly) before it is worth a warning.
OUTSIDE_PARENT_SHARE = 0.02


@dataclass
class BoundaryImport:
    """What became of a boundaries file: features for our areas, areas whose polygon or
    centre changed, features skipped (not under the root), errors and warnings."""

    file_name: str
    accepted: bool = False
    rows: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[e.IntakeError] = field(default_factory=list)
    warnings: list[e.IntakeError] = field(default_factory=list)
    import_id: int | None = None

    def error(self, code: str, row: int | None = None, column: str | None = None, value=None, **fields) -> None:
        self.errors.append(e.IntakeError(code, self.file_name, row, column, None if value is None else str(value)[:200], fields))

    def warn(self, code: str, row: int, column: str, value: str, **fields) -> None:
        self.warnings.append(e.IntakeError(code, self.file_name, row, column, value, fields))


# ---------------------------------------------------------------- reading the file
def read_features(outcome: BoundaryImport, data: bytes) -> list[dict]:
    """[{"row", "code", "geometry"}] of the file; file-level problems and features
    without a code go to ``outcome``'s errors."""
    if not data.strip():
        outcome.error(e.EMPTY_FILE)
        return []
    problem = too_large(data)
    if problem:
        outcome.error(problem.code, **problem.fields)
        return []
    try:
        boundaries = reference.read_boundaries(data)
    except reference.UnrecognisedFile:
        return _name_what_is_wrong(outcome, data)
    if not boundaries:
        outcome.error(e.EMPTY_FILE)
    return [{"row": number, **boundary} for number, boundary in enumerate(boundaries, start=1)]


def _name_what_is_wrong(outcome: BoundaryImport, data: bytes) -> list[dict]:
    # read_boundaries stops at the first feature without a code: read them one by one to
    # name every such feature, as a refused file names every wrong row.
    try:
        collection = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        collection = None
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection" or not isinstance(features, list):
        outcome.error(NOT_GEOJSON)
        return []
    found = []
    for number, feature in enumerate(features, start=1):
        try:
            (boundary,) = reference.read_boundaries(json.dumps({"type": "FeatureCollection", "features": [feature]}).encode())
        except reference.UnrecognisedFile:
            outcome.error(NO_AREA_CODE, number, "code")
            continue
        found.append({"row": number, **boundary})
    return found


def checked_geometry(outcome: BoundaryImport, row: int, code: str, geometry) -> BaseGeometry | None:
    """The feature's polygon, or None with the reason in ``outcome``'s errors."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        outcome.error(NOT_A_POLYGON, row, "geometry", code, type=str(kind or "—"))
        return None
    try:
        geom = shapely.force_2d(shape(geometry))
    except (ValueError, TypeError, IndexError, KeyError, GEOSException) as problem:  # malformed coordinates
        outcome.error(INVALID_POLYGON, row, "geometry", code, detail=str(problem)[:100])
        return None
    if geom.is_empty:
        outcome.error(INVALID_POLYGON, row, "geometry", code, detail="empty")
        return None
    west, south, east, north = geom.bounds
    if not (CHINA_LON[0] <= west and east <= CHINA_LON[1] and CHINA_LAT[0] <= south and north <= CHINA_LAT[1]):
        outcome.error(OUTSIDE_CHINA, row, "geometry", code, bounds=f"{west:.4f}, {south:.4f} – {east:.4f}, {north:.4f}")
        return None
    if not geom.is_valid:
        outcome.error(INVALID_POLYGON, row, "geometry", code, detail=explain_validity(geom)[:100])
        return None
    return geom


def stored_form(geom: BaseGeometry, tolerance_m: float) -> BaseGeometry:
    """``geom`` as stored: simplified (keeping it valid), rounded to ~1 m."""
    if tolerance_m > 0:
        geom = geom.simplify(tolerance_m / METRES_PER_DEGREE, preserve_topology=True)
    rounded = shapely.set_precision(geom, 10**-COORD_DECIMALS, mode="pointwise")
    # Rounding can fold a sliver onto itself; the default mode rebuilds a valid shape.
    return rounded if rounded.is_valid else shapely.set_precision(geom, 10**-COORD_DECIMALS)


def geojson_text(geom: BaseGeometry) -> str:
    return json.dumps(mapping(geom), separators=(",", ":"))


# ---------------------------------------------------------------- checks against the database
def _stored(conn: Connection, codes: set[str]) -> dict[str, dict]:
    columns = [s.area.c[name] for name in ("code", "parent_code", "level", "lon", "lat", "polygon", *s.LEVEL_COLUMN.values())]
    found, codes = {}, sorted(codes)
    for start in range(0, len(codes), 900):  # SQLite's limit on bound parameters
        for row in conn.execute(select(*columns).where(s.area.c.code.in_(codes[start : start + 900]))).mappings():
            found[row["code"]] = dict(row)
    return found


def _root_prefixes(conn: Connection) -> tuple[str, ...]:
    """What the codes under the root start with: 370212 for a district, 3702 for the city 370200."""
    roots = conn.execute(select(s.area.c.code).where(s.area.c.parent_code.is_(None))).scalars()
    return tuple(root[:4] if len(root) == 6 and root.endswith("00") else root for root in roots)


def _polygon(text: str | None) -> BaseGeometry | None:
    try:
        geom = shapely.from_geojson(text) if text else None
    except GEOSException:
        return None
    return geom if geom is not None and geom.is_valid and not geom.is_empty else None


def _warn_outside_parents(outcome: BoundaryImport, features: list[dict], stored: dict[str, dict]) -> None:
    """A child sticking out of its parent (this file's polygon, else the stored one)."""
    in_file = {f["code"]: f["stored"] for f in features}
    for f in features:
        parent = stored[f["code"]]["parent_code"]
        outline = in_file.get(parent) or _polygon(stored.get(parent, {}).get("polygon"))
        child = f["stored"]
        if outline is None or child.area == 0:
            continue
        try:
            share = child.difference(outline).area / child.area
        except GEOSException:  # a topology GEOS cannot overlay: no warning rather than no import
            continue
        if share > OUTSIDE_PARENT_SHARE:
            outcome.warn(CHILD_OUTSIDE_PARENT, f["row"], "geometry", f["code"], parent=parent, share=round(100 * share))


def check_features(
    conn: Connection, outcome: BoundaryImport, features: list[dict], within: str | None, tolerance_m: float
) -> tuple[list[dict], dict[str, dict]]:
    """The features for our areas, each with its polygon as it would be stored
    (``stored``), and the stored rows they name; errors and warnings go to ``outcome``."""
    prefixes = _root_prefixes(conn)
    codes = {f["code"] for f in features}
    stored = _stored(conn, codes)
    stored |= _stored(conn, {row["parent_code"] for row in stored.values() if row["parent_code"]} - codes)
    first_row: dict[str, int] = {}
    kept = []
    for f in features:
        code, row = f["code"], f["row"]
        if code not in stored:
            if code.startswith(prefixes):
                outcome.error(e.UNKNOWN_CODE, row, "code", code, kind="area")
            else:
                outcome.skipped += 1  # a neighbour's boundary, in the same open file
            continue
        if code in first_row:
            outcome.error(e.DUPLICATE_KEY, row, "code", code, first_row=first_row[code])
            continue
        first_row[code] = row
        # The ancestor columns hold the area's own code at its level: inside ``within``
        # when ``within`` is one of them.
        if within is not None and within not in {stored[code][column] for column in s.LEVEL_COLUMN.values()}:
            outcome.error(e.OUTSIDE_AREA, row, "code", code, kind="area", area=within)
        geom = checked_geometry(outcome, row, code, f["geometry"])
        if geom is not None:
            kept.append({**f, "source": geom, "stored": stored_form(geom, tolerance_m)})
    _warn_outside_parents(outcome, kept, stored)
    return kept, stored


# ---------------------------------------------------------------- writing
def _write(conn: Connection, features: list[dict], stored: dict[str, dict]) -> int:
    updated = 0
    for f in features:
        old = stored[f["code"]]
        values = {}
        # A file that holds what is stored (an export, rounded as stored) changes nothing,
        # even though simplifying it again could drop another point.
        if old["polygon"] not in (geojson_text(f["stored"]), geojson_text(stored_form(f["source"], 0))):
            values["polygon"] = geojson_text(f["stored"])
        if old["lon"] is None or old["lat"] is None:
            centre = f["stored"].representative_point()  # inside the polygon, unlike a centroid
            values |= {"lon": round(centre.x, COORD_DECIMALS), "lat": round(centre.y, COORD_DECIMALS)}
        if values:
            conn.execute(update(s.area).where(s.area.c.code == f["code"]).values(**values))
            updated += 1
    return updated


def import_boundaries(
    file_name: str,
    data: bytes,
    *,
    user: str,
    engine: Engine | None = None,
    within: str | None = None,
    dry_run: bool = False,
    tolerance_m: float = 20.0,
) -> BoundaryImport:
    """Check the GeoJSON ``data`` against the database and write its polygons all or
    nothing, as ``user`` (who may change only areas inside ``within`` when given).
    Every attempt is recorded in the import history and the audit log."""
    engine = resolve_engine(engine)

    def _import() -> BoundaryImport:
        outcome = BoundaryImport(file_name)
        features = read_features(outcome, data)
        with intake_transaction(engine, commit=not dry_run) as conn:
            features, stored = check_features(conn, outcome, features, within, tolerance_m)
            outcome.accepted = not outcome.errors
            if outcome.accepted:
                outcome.rows = len(features)
                outcome.updated = _write(conn, features, stored)
            summary = f"{outcome.updated} updated, {outcome.skipped} skipped"
            if outcome.warnings:
                summary += f", {len(outcome.warnings)} warning" + ("s" if len(outcome.warnings) > 1 else "")
            outcome.import_id = record_import(
                conn, kind=REPORT_TYPE, file_name=file_name, data=data, user=user, within=within,
                accepted=outcome.accepted, rows=outcome.rows, errors=outcome.errors, summary=summary,
            )  # fmt: skip
        outcome.errors, outcome.warnings = e.capped(outcome.errors), e.capped(outcome.warnings)
        return outcome

    result = run(_import)
    if dry_run:
        result.import_id = None
    return result


# ---------------------------------------------------------------- export
def export_boundaries(engine: Engine | None = None, within: str | None = None) -> bytes:
    """The stored polygons (of the areas inside ``within``) as a GeoJSON FeatureCollection,
    one feature per line, that ``import_boundaries`` reads back without a change."""
    engine = resolve_engine(engine)
    columns = [s.area.c[name] for name in ("code", "name_zh", "name_en", "level", "polygon")]
    query = select(*columns).where(s.area.c.polygon.is_not(None))
    condition = within_condition(engine, within)
    if condition is not None:
        query = query.where(condition)

    def _rows() -> list[dict]:
        with engine.connect() as conn:
            return [dict(row) for row in conn.execute(query.order_by(s.area.c.code)).mappings()]

    features = [json.dumps(_feature(row), ensure_ascii=False, separators=(",", ":")) for row in run(_rows)]
    return ('{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n").encode("utf-8")


def _feature(row: dict) -> dict:
    properties = {name: row[name] for name in ("code", "name_zh", "name_en", "level")}
    return {"type": "Feature", "properties": properties, "geometry": json.loads(row["polygon"])}
