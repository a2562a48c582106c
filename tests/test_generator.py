"""The sample city generator (sample_data.generate) at scale "tiny" (and, where a test says
so, the default scale "small"): deterministic, honest about being sample data,
geometrically sound and internally consistent."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

import pandas as pd
import pytest
import shapely
from sqlalchemy import Engine, select

from data_access import schema as s
from data_access.data_checks import VACCINE_ITEM, data_checks, doses_above_delivered, vaccine_delivered_and_given
from data_access.engine import make_engine
from data_access.scope import Scope, clear_area_cache
from sample_data.generate import SCALES, generate
from tests.fixtures_data import ENGINE_KINDS

SEED = 7
END = dt.date(2022, 4, 30)
CODE_LENGTH = {"city": 6, "district": 6, "street": 9, "community": 12, "compound": 15, "grid": 18}
# Coordinates are rounded to 1e-5° (~1 m): a child may poke out of its parent by that much.
TOLERANCE_DEG = 2e-5


def _quiet(*_args) -> None:
    pass


def generated_sqlite(directory, seed: int) -> Engine:
    engine = make_engine(f"sqlite:///{directory / f'tiny-{seed}.sqlite'}")
    generate(engine, "tiny", seed, END, log=_quiet)
    return engine


def _plain(value):
    """One spelling per value whatever the engine: instants in UTC, dates as ISO text."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def table_digests(engine: Engine) -> dict[str, str]:
    """Per table, a SHA-256 of every row in primary-key order."""
    digests = {}
    with engine.connect() as conn:
        for table in s.metadata.sorted_tables:
            digest = hashlib.sha256()
            rows = conn.execute(select(table).order_by(*table.primary_key.columns))
            for row in rows:
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
            digests[table.name] = digest.hexdigest()
    return digests


def read(engine: Engine, table) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(select(table))
        return pd.DataFrame(result.all(), columns=list(result.keys()))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Engine:
    engine = generated_sqlite(tmp_path_factory.mktemp("tiny"), SEED)
    yield engine
    clear_area_cache(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def areas(tiny) -> pd.DataFrame:
    return read(tiny, s.area).set_index("code", drop=False)


# ------------------------------------------------------------------ determinism
def test_same_seed_gives_the_same_database_and_another_seed_does_not(tiny, tmp_path):
    again = generated_sqlite(tmp_path, SEED)
    other = generated_sqlite(tmp_path, SEED + 1)
    try:
        reference = table_digests(tiny)
        assert table_digests(again) == reference
        differing = {name for name, digest in table_digests(other).items() if digest != reference[name]}
        # Everything drawn from the seed differs; only the fixed lists (items) and what is
        # empty in a generated city (imports) may be the same.
        assert differing >= {
            "area",
            "checkpoint",
            "checkpoint_hourly",
            "testing_daily",
            "supply_ledger",
            "vaccination_daily",
            "grid_daily",
            "isolation_people_daily",
            "isolation_site_daily",
            "inspection_daily",
        }
    finally:
        for engine in (again, other):
            engine.dispose()


def test_generating_again_replaces_the_data(tiny, tmp_path):
    engine = generated_sqlite(tmp_path, SEED)
    try:
        generate(engine, "tiny", SEED, END, log=_quiet)  # a second run on the same database
        assert table_digests(engine) == table_digests(tiny)
    finally:
        engine.dispose()


# ------------------------------------------------------------------ what the data says it is
def test_sample_data_says_so(tiny, areas):
    info = dict(read(tiny, s.dataset_info)[["key", "value"]].itertuples(index=False))
    assert info["kind"] == "sample"
    assert (info["scale"], info["seed"]) == ("tiny", str(SEED))
    assert info["last_day"] == END.isoformat()
    assert info["first_day"] == (END - dt.timedelta(days=SCALES["tiny"].days - 1)).isoformat()
    city = areas[areas.level == "city"].iloc[0]
    assert "示例" in city.name_zh
    assert "sample" in city.name_en.lower()


def test_scale_tiny_has_the_counts_it_promises(areas, tiny):
    scale = SCALES["tiny"]
    counts = areas.level.value_counts().to_dict()
    assert counts == {
        "city": 1,
        "district": scale.districts,
        "street": scale.streets,
        "community": scale.communities,
        "compound": scale.compounds,
        "grid": scale.grid_units,
    }
    assert len(read(tiny, s.checkpoint)) == scale.checkpoints
    assert areas.loc[areas.level == "city", "residents"].iloc[0] == pytest.approx(scale.residents, rel=0.05)


# ------------------------------------------------------------------ codes and hierarchy
def test_codes_follow_the_hierarchy(areas):
    for row in areas.itertuples():
        assert len(row.code) == CODE_LENGTH[row.level], row.code
        assert row.code.isdigit(), row.code
        if row.level == "city":
            assert pd.isna(row.parent_code)
            continue
        parent = areas.loc[row.parent_code]
        assert s.LEVELS.index(parent.level) == s.LEVELS.index(row.level) - 1, row.code
        if row.level != "district":  # a district code shares the city's 4-digit prefix (GB/T 2260)
            assert row.code.startswith(parent.code), row.code
        else:
            assert row.code[:4] == parent.code[:4], row.code


def test_ancestor_columns_match_the_parent_chain(areas):
    for row in areas.itertuples():
        expected = dict.fromkeys(s.LEVEL_COLUMN.values())
        node = row
        while True:
            expected[s.LEVEL_COLUMN[node.level]] = node.code
            if pd.isna(node.parent_code):
                break
            node = next(areas.loc[[node.parent_code]].itertuples())
        actual = {column: (None if pd.isna(getattr(row, column)) else getattr(row, column)) for column in s.LEVEL_COLUMN.values()}
        assert actual == expected, row.code


def test_residents_and_households_add_up(areas):
    for parent_code, children in areas[areas.parent_code.notna()].groupby("parent_code"):
        parent = areas.loc[parent_code]
        assert children.residents.sum() == parent.residents, parent_code
        assert children.households.sum() == parent.households, parent_code


# ------------------------------------------------------------------ polygons
@pytest.fixture(scope="module")
def shapes(areas) -> dict:
    return {code: shapely.from_geojson(text) for code, text in areas.polygon.items()}


def test_every_area_has_a_valid_polygon(areas, shapes):
    assert areas.polygon.notna().all()
    for code, shape in shapes.items():
        assert shape.geom_type in ("Polygon", "MultiPolygon"), code
        assert shape.is_valid and shape.area > 0, code


def test_children_lie_within_their_parent(areas, shapes):
    for row in areas[areas.parent_code.notna()].itertuples():
        parent = shapes[row.parent_code].buffer(TOLERANCE_DEG)
        assert parent.contains(shapes[row.code]), f"{row.code} leaves {row.parent_code}"


def test_children_tile_their_parent(areas, shapes):
    for parent_code, children in areas[areas.parent_code.notna()].groupby("parent_code"):
        parent_area = shapes[parent_code].area
        pieces = [shapes[code] for code in children.code]
        assert sum(p.area for p in pieces) == pytest.approx(parent_area, rel=0.005), parent_code
        overlap = sum(a.intersection(b).area for a, b in itertools.combinations(pieces, 2))
        assert overlap <= parent_area * 1e-4, parent_code


# ------------------------------------------------------------------ figures that must hold together
def test_hourly_counts_narrow_down(tiny):
    hourly = read(tiny, s.checkpoint_hourly)
    assert len(hourly) > 0
    assert (hourly.people >= hourly.temperature_checks).all()
    assert (hourly.temperature_checks >= hourly.fever).all()
    assert (hourly.fever >= hourly.to_fever_clinic).all()
    assert hourly.hour.between(0, 23).all()


def test_daily_checkpoint_rows_are_the_sum_of_the_hours(tiny):
    hourly = read(tiny, s.checkpoint_hourly)
    daily = read(tiny, s.checkpoint_daily).set_index(["checkpoint_code", "day"]).sort_index()
    summed = hourly.groupby(["checkpoint_code", "day"])[list(s.CHECKPOINT_COUNTS)].sum().sort_index()
    assert daily[list(s.CHECKPOINT_COUNTS)].equals(summed.astype(daily[list(s.CHECKPOINT_COUNTS)].dtypes))
    assert (daily.staffed_hours == hourly.groupby(["checkpoint_code", "day"]).size().sort_index()).all()


def test_supply_ledger_balances(tiny):
    ledger = read(tiny, s.supply_ledger)
    inbound = ledger.inbound_procured + ledger.inbound_allocated + ledger.inbound_donated
    assert (ledger.closing_stock == ledger.opening_stock + inbound - ledger.outbound_frontline).all()
    assert (ledger.closing_stock >= 0).all()
    # Each day opens with the previous day's closing stock.
    ordered = ledger.sort_values(["warehouse_code", "item_code", "day"])
    previous_close = ordered.groupby(["warehouse_code", "item_code"]).closing_stock.shift()
    continues = previous_close.isna() | (previous_close == ordered.opening_stock)
    assert continues.all()


def test_second_doses_never_outnumber_first_doses(tiny):
    doses = read(tiny, s.vaccination_daily).merge(
        read(tiny, s.vaccination_site)[["code", "area_code"]].rename(columns={"code": "site_code"}), on="site_code"
    )
    targets = read(tiny, s.vaccination_target).set_index(["area_code", "age_group"])
    per_day = doses.pivot_table(
        index=["area_code", "age_group", "day"], columns="dose_number", values="doses", aggfunc="sum", fill_value=0
    )
    cumulative = per_day.groupby(level=["area_code", "age_group"]).cumsum()
    baseline = targets.reindex(cumulative.index.droplevel("day"))
    first = baseline.baseline_dose1.to_numpy() + cumulative.get(1, 0).to_numpy()
    second = baseline.baseline_dose2.to_numpy() + cumulative.get(2, 0).to_numpy()
    assert baseline.population.notna().all(), "doses given where no target population is known"
    assert (second <= first).all()
    # and with no dose given at all, the baselines themselves
    assert (targets.baseline_dose2 <= targets.baseline_dose1).all()
    assert (targets.baseline_dose1 <= targets.population).all()


def _coverage_by_level(engine: Engine) -> dict[str, pd.DataFrame]:
    """Per level: for every area of that level holding a target population or a site that
    gave doses, and every age group, the target population and the people with each dose
    (baseline + every dose given by the sites in it), as coverage counts them."""
    areas = read(engine, s.area).set_index("code")
    sites = read(engine, s.vaccination_site)[["code", "area_code"]].rename(columns={"code": "site_code"})
    given = read(engine, s.vaccination_daily).merge(sites, on="site_code")
    targets = read(engine, s.vaccination_target)
    result = {}
    for level, column in s.LEVEL_COLUMN.items():
        population = (
            targets.assign(key=targets.area_code.map(areas[column]))
            .dropna(subset=["key"])
            .groupby(["key", "age_group"])[["population", "baseline_dose1", "baseline_dose2", "baseline_dose3"]]
            .sum()
        )
        doses = (
            given.assign(key=given.area_code.map(areas[column]))
            .dropna(subset=["key"])
            .groupby(["key", "age_group", "dose_number"])
            .doses.sum()
            .unstack(fill_value=0)
            .reindex(columns=list(s.DOSE_NUMBERS), fill_value=0)
        )
        table = population.join(doses, how="outer")
        for dose in s.DOSE_NUMBERS:
            table[f"dose{dose}"] = table[f"baseline_dose{dose}"].fillna(0) + table[dose].fillna(0)
        result[level] = table
    return result


@pytest.fixture(scope="module")
def small(sample_database) -> Engine:
    """The default scale (the city `make run` loads): conftest's small sample city."""
    return sample_database[1]


@pytest.mark.parametrize("city", ["tiny", "small"])
def test_cumulative_doses_stay_within_the_target_population(city, request):
    """At every level (grid unit to city), for every age group and dose: people with the
    dose never outnumber the target population (coverage ≤ 100 %), a full course never
    outnumbers first doses nor a booster a full course."""
    engine = request.getfixturevalue(city)
    areas = read(engine, s.area)
    by_level = _coverage_by_level(engine)
    assert set(by_level) == set(s.LEVELS)
    for level, table in by_level.items():
        if level in ("community", "compound", "grid"):  # targets and sites are kept per street
            assert table.empty, level
            continue
        assert set(table.index.get_level_values("key")) == set(areas[areas.level == level].code), level
        assert set(table.index.get_level_values("age_group")) == set(s.AGE_GROUPS), level
        assert table.population.notna().all(), f"{level}: doses given where no target population is known"
        for dose in s.DOSE_NUMBERS:
            over = table[table[f"dose{dose}"] > table.population]
            assert over.empty, f"{level}, dose {dose}: coverage above 100 % in\n{over}"
        assert (table.dose2 <= table.dose1).all() and (table.dose3 <= table.dose2).all(), level


# ------------------------------------------------------------------ vaccine deliveries
SHORTAGE_DAYS = [END - dt.timedelta(days=n) for n in (4, 3, 2)]  # the planted shortage (generate's docstring)


def _vaccine_ledger(engine: Engine) -> pd.DataFrame:
    ledger = read(engine, s.supply_ledger)
    ledger = ledger[ledger.item_code == VACCINE_ITEM].merge(
        read(engine, s.warehouse)[["code", "area_code"]].rename(columns={"code": "warehouse_code", "area_code": "district_code"})
    )
    sites = read(engine, s.vaccination_site)[["code", "area_code"]].rename(columns={"code": "site_code"})
    given = read(engine, s.vaccination_daily).merge(sites, on="site_code")
    given["district_code"] = given.area_code.map(read(engine, s.area).set_index("code").district_code)
    per_day = given.groupby(["district_code", "day"]).doses.sum().rename("given").reset_index()
    return (
        ledger.merge(per_day, on=["district_code", "day"], how="left").fillna({"given": 0}).sort_values(["district_code", "day"])
    )


def test_vaccine_reaches_every_district_depot_in_batches(tiny, areas):
    ledger = _vaccine_ledger(tiny)
    districts = sorted(areas[areas.level == "district"].code)
    planted = districts[-1]
    assert sorted(ledger.district_code.unique()) == districts
    assert (ledger.groupby("district_code").size() == SCALES["tiny"].days).all()
    assert (
        (ledger.inbound_procured == 0).all() and (ledger.inbound_donated == 0).all() and (ledger.production_capacity == 0).all()
    )
    for code, rows in ledger.groupby("district_code"):
        rows = rows.set_index("day")
        # The sites draw from the depot what they give (in the shortage, from the emergency
        # lot, booked out of the depot with it the day after).
        booked_late = END - dt.timedelta(days=1)
        normal = [day for day in rows.index if code != planted or day not in [*SHORTAGE_DAYS, booked_late]]
        assert (rows.loc[normal, "outbound_frontline"] == rows.loc[normal, "given"]).all(), code
        if code == planted:
            assert (rows.loc[SHORTAGE_DAYS, ["opening_stock", "outbound_frontline", "closing_stock"]] == 0).all().all()
            assert rows.loc[booked_late, "outbound_frontline"] == rows.loc[[*SHORTAGE_DAYS, booked_late], "given"].sum()
            continue
        # A batch in whole cartons of 100 doses every 3–5 days; the working stock never runs out.
        assert (rows.inbound_allocated % 100 == 0).all(), code
        deliveries = pd.Series(rows.index[rows.inbound_allocated > 0])
        assert len(deliveries) >= 4, code
        assert deliveries.diff().dropna().dt.days.between(3, 5).all(), code
        assert (rows.closing_stock > 0).all(), code
    # Every depot ends the period with over a week of doses in stock (no supply alert).
    last_week = ledger[ledger.day > END - dt.timedelta(days=7)]
    cover = last_week.groupby("district_code").apply(
        lambda r: r.closing_stock.iloc[-1] / r.outbound_frontline.mean(), include_groups=False
    )
    assert (cover > 7).all(), cover


def _doses_above_delivered(engine: Engine, area_code: str, first_day: dt.date) -> list[tuple[str, dt.date]]:
    checks = data_checks(Scope(area_code, first_day, END), engine, now=dt.datetime(2022, 5, 1, 3, tzinfo=dt.UTC))
    return [(area_code, c.day) for c in checks if c.check == "doses_above_delivered"]


def test_doses_above_delivered_flags_the_planted_shortage_and_nothing_else(tiny, areas):
    """data_checks over the whole tiny city: the doses-above-delivered check fires on the
    three shortage days in the last district, whether the filter is the city (judged per
    district: the other district's stock does not hide it), the district or a street of
    it (which reads its district), and nowhere else."""
    first_day = END - dt.timedelta(days=SCALES["tiny"].days - 1)
    districts = sorted(areas[areas.level == "district"].code)
    assert districts[-1] == "418802"
    street = areas[(areas.level == "street") & (areas.district_code == "418802")].code.iloc[0]
    found = [check for code in ["418800", *districts, street] for check in _doses_above_delivered(tiny, code, first_day)]
    assert found == [(code, day) for code in ("418800", "418802", street) for day in SHORTAGE_DAYS]
    city = data_checks(Scope("418800", first_day, END), tiny, now=dt.datetime(2022, 5, 1, 3, tzinfo=dt.UTC))
    assert {c.details["area_code"] for c in city if c.check == "doses_above_delivered"} == {"418802"}  # it names the district


def test_the_default_city_has_the_same_single_shortage(small):
    """At the default scale: deliveries cover the doses given in every district but the
    last, and there only on the three planted days (found from the city's filter too) (the check itself, without the rest of
    data_checks, which judges every figure on every day)."""
    districts = sorted(read(small, s.area).query("level == 'district'").code)
    found = {}
    for code in ["418800", *districts]:
        scope = Scope(code, END - dt.timedelta(days=SCALES["small"].days - 1), END)
        found[code] = [c.day for c in doses_above_delivered(vaccine_delivered_and_given(scope, small))]
    assert found == {code: (SHORTAGE_DAYS if code in ("418800", districts[-1]) else []) for code in ["418800", *districts]}


def test_testing_figures_hold_together(tiny):
    testing = read(tiny, s.testing_daily)
    assert (testing.samples_tested >= testing.positives).all()
    assert (testing.pending >= 0).all()
    assert (testing.turnaround_p90_h >= testing.turnaround_median_h).all()


# ------------------------------------------------------------------ the server engines
@pytest.mark.parametrize("kind", [kind for kind in ENGINE_KINDS if kind.values[0] != "sqlite"])
def test_a_server_engine_gets_the_same_city_as_sqlite(tiny, new_database, kind):
    engine = new_database(kind)  # PostgreSQL (COPY, statement triggers), MariaDB (executemany, row triggers)
    generate(engine, "tiny", SEED, END, log=_quiet)
    assert table_digests(engine) == table_digests(tiny)


def test_doses_given_read_from_the_district_roll_up_match_the_detail(tiny, monkeypatch):
    """The doses-above-delivered check reads doses per district from the roll-up when it is
    up to date; the detail rows give the same frame."""
    from data_access import rollups

    scope = Scope("418800", END - dt.timedelta(days=SCALES["tiny"].days - 1), END)
    assert rollups.VACCINATION.usable(tiny, "district")
    from_rollup = vaccine_delivered_and_given(scope, tiny)
    monkeypatch.setattr(type(rollups.VACCINATION), "usable", lambda self, engine, *levels: False)
    from_detail = vaccine_delivered_and_given(scope, tiny)
    assert not from_rollup.empty
    pd.testing.assert_frame_equal(from_rollup, from_detail, check_dtype=False)
