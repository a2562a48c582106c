"""A district's reader gets nothing of another district from any query function.

Every public function of the query modules is found by the test itself (a new one is
covered, or the test fails until it is classified), then called for a reader of
district A (Jia District, 990101) asking for district B (O'Brien County, 990102):
functions that take a scope or an area code must refuse (AccessDenied), and listings
that take ``within`` must hold no row of B. Each is also called for A itself, so a
refusal of everything would not pass. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect

import pandas as pd
import pytest

from data_access import audit, users
from data_access.access import Access
from data_access.engine import upgrade_schema
from data_access.ingest import import_reports
from data_access.scope import AccessDenied, Scope, clear_area_cache
from data_access.settings import intake_settings, load_thresholds
from tests import fixtures_data
from tests.conftest import ENGINE_KINDS
from tests.fixtures_data import CITY, CP_A1, CP_B1, D1, D3, DISTRICT_A, DISTRICT_B, G6, STREET_B1

QUERY_MODULES = [
    "data_access.areas",
    "data_access.checkpoints",
    "data_access.testing",
    "data_access.supplies",
    "data_access.vaccination",
    "data_access.grid",
    "data_access.isolation",
    "data_access.inspections",
    "data_access.reporting",
    "data_access.report_freshness",
    "data_access.alerts",
    "data_access.data_checks",
    "data_access.audit",
    "data_access.users",
    "briefing.content",
]
FOREIGN = "990102"  # every code, name key or label of district B carries this

# Functions that read no area's figures, each with the reason.
AREA_FREE = {
    "data_access.areas.root_area": "the city's own name and code",
    "data_access.areas.data_date_bounds": "the first and last day with any data",
    "data_access.areas.domain_freshness": "the last day and report time per domain, no figures",
    "data_access.areas.domain_last_days": "the last day with data per domain, no figures",
    "data_access.areas.dataset_description": "sample or real, seed and scale",
    "data_access.areas.ping": "whether the database answers",
    "data_access.reporting.data_version": "the newest import and master-data change ids, no figures",
    "data_access.reporting.types_in_use": "which report types the centre has ever received, no figures",
    "data_access.areas.master_data_counts": "how many areas, boundaries, facilities and reports (the first-run guide)",
    "data_access.supplies.supply_items": "the catalogue of supply items",
    "data_access.testing.testing_rounds": "the city-wide mass-testing rounds' names and dates",
    "briefing.content.default_day": "the latest day with data",
    # Sign-in and the audit trail: looked up by email or token, or written, never listed.
    "data_access.users.find_user": "the signed-in identity's own user row",
    "data_access.users.active_user": "the signed-in identity's own user row",
    "data_access.users.kiosk_access": "the kiosk token's own link",
    "data_access.audit.record": "writes one event",
}
# Changes made by someone (``by``): tested below for a district admin's reach.
CHANGES = {"add_user", "set_user", "disable_user", "create_kiosk", "revoke_kiosk"}
# Values for the other parameters the query functions take.
ARGUMENTS = {
    "item_code": "MASK",
    "day": D3,
    "report_type": None,
    "text": "990",
    "level": "community",
    "limit": 100,
    # The alert rules and data-check parts (data_access.alerts.RULES, data_checks.CHECKS).
    "th": load_thresholds(),
    "baseline_days": 14,
    "settings": intake_settings(),
    "now": dt.datetime(2022, 5, 1, 12, tzinfo=dt.UTC),
    "limits": {"people": 3600, "vehicles": 1800},  # data_checks.above_lane_capacity_by_measure
    "days": [D3, D1],  # data_checks.booster_coverage_by_district
}
READER_A = Access(actor="a@example.org", role="admin", within=DISTRICT_A)


@pytest.fixture(scope="module", params=ENGINE_KINDS)
def city(request, new_database):
    """The hand-built city with users, kiosk links, imports and audit events in both districts."""
    engine = new_database(request.param)
    upgrade_schema(engine)
    fixtures_data.load(engine)
    clear_area_cache(engine)
    for district, name in ((DISTRICT_A, "a"), (DISTRICT_B, "b")):
        users.add_user(f"{name}@example.org", "reporter", district, engine=engine)
        users.create_kiosk(district, f"wall {district}", engine=engine)
    for code, within in ((CP_A1, DISTRICT_A), (CP_B1, DISTRICT_B)):
        report = f"日期,道口代码,查验车辆,查验人员,体温检测,发热人员\r\n{D3.isoformat()},{code},1,2,2,0\r\n".encode()
        import_reports(
            [(f"{within}.csv", report)], user=f"{within}@example.org", within=within, engine=engine, today=dt.date(2022, 5, 1)
        )
    return engine


def public_functions():
    for module_name in QUERY_MODULES:
        module = importlib.import_module(module_name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module_name and not name.startswith("_"):
                yield f"{module_name}.{name}", function


def reads_the_database(function) -> bool:
    return "engine" in inspect.signature(function).parameters


def call(function, engine, **given):
    parameters = inspect.signature(function).parameters
    kwargs = {}
    for name, parameter in parameters.items():
        if name in given:
            kwargs[name] = given[name]
        elif name == "engine":
            kwargs[name] = engine
        elif parameter.default is inspect.Parameter.empty:
            kwargs[name] = ARGUMENTS[name]
    return function(**kwargs)


def foreign_values(result) -> list[str]:
    """Every text in ``result`` that belongs to district B."""
    if isinstance(result, pd.DataFrame):
        cells = [str(value) for value in result.to_numpy().ravel()]
    elif isinstance(result, (list, tuple)):
        cells = [str(item) for item in result]
    elif isinstance(result, dict):
        cells = [str(v) for v in result.values()]
    else:
        cells = [str(result)]
    return [cell for cell in cells if FOREIGN in cell or "O'Brien" in cell or "乙县" in cell]


def kind(path: str, function) -> str:
    parameters = inspect.signature(function).parameters
    if "scope" in parameters:
        return "scope"
    if "code" in parameters or "area_code" in parameters and path.startswith("briefing."):
        return "code"
    if "within" in parameters:
        return "listing"
    return "other"


def test_every_query_function_is_classified():
    unclassified = []
    for path, function in public_functions():
        if not reads_the_database(function):
            continue  # a pure transform of frames it is given
        name = path.rsplit(".", 1)[1]
        if kind(path, function) == "other" and path not in AREA_FREE and name not in CHANGES:
            unclassified.append(path)
    assert unclassified == [], "take a scope, a code with within, or within; or name the function in AREA_FREE with why"
    assert len([p for p, f in public_functions() if reads_the_database(f)]) >= 40


@pytest.mark.parametrize("path", [p for p, f in public_functions() if reads_the_database(f) and kind(p, f) == "scope"])
def test_a_scope_of_another_district_is_refused(city, path):
    function = dict(public_functions())[path]
    with pytest.raises(AccessDenied):
        call(function, city, scope=Scope(DISTRICT_B, D1, D3, within=DISTRICT_A))
    with pytest.raises(AccessDenied):  # a street of B is as foreign as B
        call(function, city, scope=Scope(STREET_B1, D1, D3, within=DISTRICT_A))
    own = call(function, city, scope=Scope(DISTRICT_A, D1, D3, within=DISTRICT_A))
    assert foreign_values(own) == [], path


@pytest.mark.parametrize("path", [p for p, f in public_functions() if reads_the_database(f) and kind(p, f) == "code"])
def test_an_area_code_of_another_district_is_refused(city, path):
    function = dict(public_functions())[path]
    argument = "code" if "code" in inspect.signature(function).parameters else "area_code"
    for code in (DISTRICT_B, G6, CITY):
        with pytest.raises(AccessDenied):
            call(function, city, **{argument: code, "within": DISTRICT_A})
    own = call(function, city, **{argument: DISTRICT_A, "within": DISTRICT_A})
    assert foreign_values(own) == [], path


@pytest.mark.parametrize("path", [p for p, f in public_functions() if reads_the_database(f) and kind(p, f) == "listing"])
def test_listings_hold_nothing_of_another_district(city, path):
    function = dict(public_functions())[path]
    everything = call(function, city, within=None)
    assert foreign_values(everything), f"{path}: the fixture must give B rows, or this test proves nothing"
    assert foreign_values(call(function, city, within=DISTRICT_A)) == [], path
    assert not foreign_values(call(function, city, within=DISTRICT_B)) == []


def test_a_district_admin_changes_only_their_own_district(city):
    with pytest.raises(users.UserError) as refused:
        users.add_user("new@example.org", "viewer", DISTRICT_B, by=READER_A, engine=city)
    assert refused.value.code == "area_outside_yours"
    with pytest.raises(users.UserError):
        users.set_user("b@example.org", role="admin", by=READER_A, engine=city)
    with pytest.raises(users.UserError):
        users.set_user("a@example.org", area_code=DISTRICT_B, by=READER_A, engine=city)
    b_link = users.kiosk_links(engine=city, within=DISTRICT_B)["id"].iloc[0]
    with pytest.raises(users.UserError):
        users.revoke_kiosk(int(b_link), by=READER_A, engine=city)
    with pytest.raises(users.UserError):
        users.create_kiosk(DISTRICT_B, "not mine", by=READER_A, engine=city)
    assert users.find_user("b@example.org", city).role == "reporter"
    assert READER_A.actor not in set(audit.audit_events(action=audit.USER_CHANGE, engine=city)["actor"])  # nothing was changed
    users.add_user("new@example.org", "viewer", DISTRICT_A, by=READER_A, engine=city)  # their own district: fine
    assert audit.audit_events(actor=READER_A.actor, engine=city)["area_code"].tolist() == [DISTRICT_A]
