"""The filter every query takes (data_access.scope): scope values, widening, the area cache,
unknown areas, bound parameters and an unreachable database."""

from __future__ import annotations

import contextlib
import datetime as dt
from functools import partial

import pytest
from sqlalchemy import event, select

from data_access import areas, checkpoints, grid, supplies, testing, vaccination
from data_access.engine import make_engine
from data_access.schema import area
from data_access.scope import (
    DatabaseUnavailable,
    Scope,
    UnknownArea,
    area_level,
    area_row,
    breakdown_level,
    child_level,
    clear_area_cache,
    frame,
    in_scope,
    widen_to,
)
from tests.fixtures_data import CITY, COMMUNITY_A1A, D1, D2, D3, DISTRICT_A, DISTRICT_B, G1, STREET_A1
from tests.helpers import scope

# Every public query that takes a scope, by name (item code bound for supply_item_daily).
SCOPED_QUERIES = {
    "checkpoint_daily_totals": checkpoints.checkpoint_daily_totals,
    "checkpoint_hourly_profile": checkpoints.checkpoint_hourly_profile,
    "checkpoint_table": checkpoints.checkpoint_table,
    "checkpoint_by_area": checkpoints.checkpoint_by_area,
    "testing_daily_totals": testing.testing_daily_totals,
    "lab_utilisation_daily": testing.lab_utilisation_daily,
    "testing_by_area": testing.testing_by_area,
    "round_coverage_by_area": testing.round_coverage_by_area,
    "supply_status": supplies.supply_status,
    "supply_item_daily": lambda s, engine: supplies.supply_item_daily(s, "MASK", engine),
    "days_of_cover_by_district": supplies.days_of_cover_by_district,
    "supplies.effective_scope": supplies.effective_scope,
    "doses_by_day": vaccination.doses_by_day,
    "coverage_by_age_group": vaccination.coverage_by_age_group,
    "coverage_by_area": vaccination.coverage_by_area,
    "coverage_total": vaccination.coverage_total,
    "site_capacity": vaccination.site_capacity,
    "vaccination.effective_scope": vaccination.effective_scope,
    "grid_units_for_map": grid.grid_units_for_map,
    "grid_daily_totals": grid.grid_daily_totals,
}
# Queries that take an area code directly (the scope's code is passed as that code).
CODE_QUERIES = {
    "area_info": lambda s, engine: areas.area_info(s.area_code, engine),
    "area_path": lambda s, engine: areas.area_path(s.area_code, engine),
}
INJECTION = "x' OR '1'='1"


# ------------------------------------------------------------------ the Scope value
def test_scope_days_are_inclusive():
    assert Scope(CITY, D1, D3).days == 3
    assert Scope(CITY, D2, D2).days == 1


def test_scope_rejects_a_start_after_its_end():
    with pytest.raises(ValueError, match="after"):
        Scope(CITY, D3, D1)


def test_scope_copies():
    original = Scope(CITY, D1, D3)
    assert original.with_area(DISTRICT_A) == Scope(DISTRICT_A, D1, D3)
    assert original.with_days(D2, D2) == Scope(CITY, D2, D2)
    assert original == Scope(CITY, D1, D3)  # unchanged (frozen)


@pytest.mark.parametrize(
    ("level", "finest", "expected"),
    [
        ("city", "grid", "district"),
        ("district", "grid", "street"),
        ("compound", "grid", "grid"),
        ("grid", "grid", "grid"),  # nothing below a grid unit: itself
        ("city", "district", "district"),
        ("district", "district", "district"),  # would be street, but figures stop at districts
        ("street", "street", "street"),
        ("street", "community", "community"),
    ],
)
def test_breakdown_level(level, finest, expected):
    assert breakdown_level(level, finest) == expected


def test_child_level():
    assert child_level("city") == "district"
    assert child_level("compound") == "grid"
    assert child_level("grid") is None


# ------------------------------------------------------------------ areas, widening, cache
def test_area_level_and_row(engine):
    assert area_level(engine, G1) == "grid"
    row = area_row(engine, COMMUNITY_A1A)
    assert (row["city_code"], row["district_code"], row["street_code"], row["community_code"]) == (
        CITY,
        DISTRICT_A,
        STREET_A1,
        COMMUNITY_A1A,
    )
    assert row["compound_code"] is None and row["grid_code"] is None


@pytest.mark.parametrize(
    ("area_code", "finest", "expected"),
    [
        (G1, "district", DISTRICT_A),
        (STREET_A1, "district", DISTRICT_A),
        (G1, "street", STREET_A1),
        (DISTRICT_B, "district", DISTRICT_B),  # at the level: unchanged
        (CITY, "district", CITY),  # above it: unchanged
    ],
)
def test_widen_to(engine, area_code, finest, expected):
    assert widen_to(engine, scope(area_code, D2, D3), finest) == scope(expected, D2, D3)


@contextlib.contextmanager
def captured_sql(engine):
    """Every (statement text, parameters) the engine sends while the block runs."""
    seen: list[tuple[str, object]] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def test_area_rows_are_cached_per_engine(engine):
    clear_area_cache(engine)
    with captured_sql(engine) as seen:
        area_level(engine, DISTRICT_B)
        area_level(engine, DISTRICT_B)
    assert len(seen) == 1
    clear_area_cache(engine)
    with captured_sql(engine) as seen:
        area_level(engine, DISTRICT_B)
    assert len(seen) == 1


def test_unknown_areas_are_not_cached(engine):
    for _ in range(2):
        with pytest.raises(UnknownArea):
            area_level(engine, "999999")


# ------------------------------------------------------------------ every query
ALL_QUERIES = {**SCOPED_QUERIES, **CODE_QUERIES}


@pytest.mark.parametrize("query", ALL_QUERIES.values(), ids=ALL_QUERIES.keys())
@pytest.mark.parametrize("area_code", ["999999", INJECTION, "9901", "990101%"])
def test_unknown_area_raises(engine, query, area_code):
    with pytest.raises(UnknownArea):
        query(scope(area_code), engine=engine)


def _values(parameters) -> list:
    if isinstance(parameters, dict):
        return list(parameters.values())
    if isinstance(parameters, (list, tuple)) and parameters and isinstance(parameters[0], (list, tuple, dict)):
        return [v for p in parameters for v in _values(p)]
    return list(parameters or ())


@pytest.mark.parametrize("query", ALL_QUERIES.values(), ids=ALL_QUERIES.keys())
def test_filter_values_reach_sql_as_bound_parameters(engine, query):
    clear_area_cache(engine)  # so the area lookup is part of what is captured
    start, end = dt.date(2022, 4, 1), dt.date(2022, 4, 3)
    with captured_sql(engine) as seen:
        query(Scope(DISTRICT_B, start, end), engine=engine)
    assert seen, "the query sent no SQL"
    for statement, _ in seen:
        assert DISTRICT_B not in statement, statement
        assert "2022-04" not in statement, statement
    sent = [v for _, parameters in seen for v in _values(parameters)]
    assert DISTRICT_B in sent


def test_in_scope_binds_an_injected_code(engine):
    # in_scope on its own, without the area lookup that would reject the code first.
    result = frame(engine, select(area.c.code).where(in_scope("district", INJECTION)))
    assert result.empty and list(result.columns) == ["code"]
    assert frame(engine, select(area.c.code).where(in_scope("district", DISTRICT_B))).shape == (
        5,
        1,
    )  # B, B1, B1a, its compound, G6


def test_an_injected_item_code_matches_nothing(engine):
    assert supplies.supply_item_daily(scope(CITY), "MASK' OR '1'='1", engine).empty


# ------------------------------------------------------------------ a database that is down
@pytest.fixture
def unreachable_engine():
    # Nothing listens on port 1: the connection is refused at once.
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    yield engine
    clear_area_cache(engine)
    engine.dispose()


@pytest.mark.parametrize(
    "call",
    [
        partial(areas.ping),
        partial(areas.root_area),
        partial(areas.data_date_bounds),
        partial(checkpoints.checkpoint_daily_totals, scope(CITY)),
        partial(supplies.supply_status, scope(DISTRICT_A)),
    ],
    ids=["ping", "root_area", "data_date_bounds", "checkpoint_daily_totals", "supply_status"],
)
def test_a_database_that_is_down_raises_database_unavailable(unreachable_engine, call):
    with pytest.raises(DatabaseUnavailable):
        call(engine=unreachable_engine)
