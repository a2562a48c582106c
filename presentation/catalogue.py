"""The metric catalogue 指标说明: the single source of every figure's identity.

Each figure the dashboard shows (a KPI card, a chart series, a table column, an alert, a
data check, an export header, a line of the briefing) is one entry here, found by its key.
The entry says where the figure comes from, the level it is counted at and which direction
is good; its name, one-sentence definition and formula are in the language catalogues
(``presentation/locales/<lang>.toml``, table ``[metric."<key>"]``), so a new language
touches no Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from presentation.text import text

HIGHER, LOWER, NEITHER = "higher", "lower", "neither"  # which direction is good
DOMAINS = ("checkpoints", "testing", "supplies", "vaccination", "grid", "isolation", "inspections", "reporting", "areas")


@dataclass(frozen=True)
class Metric:
    key: str
    unit: str  # a key of the [unit] texts: people, vehicles, samples, percent, days, …
    tables: tuple[str, ...]  # the stored tables it is computed from
    level: str  # the finest level it is counted at: unit (every level), street, community, district
    better: str = NEITHER  # higher | lower | neither

    @property
    def domain(self) -> str:
        return self.key.split(".", 1)[0]

    def name(self, lang: str) -> str:
        return text(f"metric.{self.key}.name", lang)

    def definition(self, lang: str) -> str:
        return text(f"metric.{self.key}.definition", lang)

    def formula(self, lang: str) -> str:
        return text(f"metric.{self.key}.formula", lang)


_CP = ("checkpoint_daily", "checkpoint_hourly", "checkpoint")
_TEST = ("testing_daily", "sampling_site")
_LAB = ("lab_daily", "lab")
_SUP = ("supply_ledger", "warehouse", "supply_item")
_VAC = ("vaccination_daily", "vaccination_site", "vaccination_target")
_GRID = ("grid_daily", "area")
_ACTIVITY = ("testing_daily", "checkpoint_daily", "vaccination_daily")  # what uses supplies up
_ISO = ("isolation_people_daily", "area")
_SITE = ("isolation_site_daily", "isolation_site")
_INSP = ("inspection_daily", "inspection_team")

_ENTRIES = [
    # ---- checkpoints 道口
    Metric("checkpoints.vehicles", "vehicles", _CP, "street"),
    Metric("checkpoints.people", "people", _CP, "street"),
    Metric("checkpoints.fever", "people", _CP, "street", LOWER),
    Metric("checkpoints.fever_per_100k", "per_100k", _CP, "street", LOWER),
    Metric("checkpoints.code_yellow", "people", _CP, "street", LOWER),
    Metric("checkpoints.code_red", "people", _CP, "street", LOWER),
    Metric("checkpoints.risk_area_arrivals", "people", _CP, "street", LOWER),
    Metric("checkpoints.turned_back", "people", _CP, "street", LOWER),
    Metric("checkpoints.to_fever_clinic", "people", _CP, "street", LOWER),
    Metric("checkpoints.checkpoints", "sites", ("checkpoint",), "street"),
    Metric("checkpoints.lanes", "lanes", ("checkpoint",), "street"),
    Metric("checkpoints.staffed_hours", "hours", _CP, "street"),
    Metric("checkpoints.people_per_lane_hour", "people", ("checkpoint",), "street"),
    Metric("checkpoints.staffed_capacity", "people", _CP, "street"),
    Metric("checkpoints.utilisation", "percent", _CP, "street"),
    # ---- testing 核酸检测
    Metric("testing.samples_collected", "samples", _TEST, "community"),
    Metric("testing.samples_tested", "samples", _TEST, "community"),
    Metric("testing.positives", "samples", _TEST, "community", LOWER),
    Metric("testing.positivity", "percent", _TEST, "community", LOWER),
    Metric("testing.backlog", "samples", _TEST, "community", LOWER),
    Metric("testing.turnaround_median", "hours", _TEST, "community", LOWER),
    Metric("testing.turnaround_p90", "hours", _TEST, "community", LOWER),
    Metric("testing.pooling", "ratio", _TEST, "community"),
    Metric("testing.tubes_tested", "tubes", _LAB, "district"),
    Metric("testing.capacity_tubes", "tubes", _LAB, "district"),
    Metric("testing.lab_utilisation", "percent", _LAB, "district"),
    Metric("testing.labs", "sites", _LAB, "district"),
    Metric("testing.round_coverage", "percent", ("testing_daily", "testing_round", "area"), "community", HIGHER),
    # ---- supplies 物资保障 (held by district depots: counted per district, not below)
    Metric("supplies.stock", "item_units", _SUP, "district", HIGHER),
    Metric("supplies.daily_consumption", "item_units", _SUP, "district"),
    Metric("supplies.days_of_cover", "days", _SUP, "district", HIGHER),
    Metric("supplies.lowest_district_cover", "days", _SUP, "district", HIGHER),
    Metric("supplies.lowest_area_cover", "days", _SUP, "district", HIGHER),
    Metric("supplies.district_cover", "days", _SUP, "district", HIGHER),
    Metric("supplies.items_below_line", "items", _SUP, "district", LOWER),
    Metric("supplies.production_capacity", "item_units", ("supply_ledger",), "district", HIGHER),
    Metric("supplies.capacity_gap", "item_units", _SUP, "district", LOWER),
    Metric("supplies.inbound_procured", "item_units", _SUP, "district"),
    Metric("supplies.inbound_allocated", "item_units", _SUP, "district"),
    Metric("supplies.inbound_donated", "item_units", _SUP, "district"),
    Metric("supplies.outbound_frontline", "item_units", _SUP, "district"),
    # stock-out projection 断供预测 and suggested transfers 调剂建议 (presentation/stock_projection.py)
    Metric("supplies.projected_stockouts", "items", _SUP, "district", LOWER),
    Metric("supplies.stockout_date", "date", _SUP, "district", HIGHER),
    Metric("supplies.projected_use", "item_units", _SUP, "district"),
    Metric("supplies.due_in", "item_units", _SUP, "district", HIGHER),
    Metric("supplies.lowest_projected_cover", "days", _SUP, "district", HIGHER),
    Metric("supplies.use_per_activity", "ratio", _SUP + _ACTIVITY, "district"),
    Metric("supplies.projected_stock", "item_units", _SUP, "district", HIGHER),
    Metric("supplies.line_stock", "item_units", _SUP, "district"),
    Metric("supplies.transfer_quantity", "item_units", _SUP, "district"),
    Metric("supplies.giver_cover_before", "days", _SUP, "district", HIGHER),
    Metric("supplies.giver_cover_after", "days", _SUP, "district", HIGHER),
    Metric("supplies.receiver_cover_before", "days", _SUP, "district", HIGHER),
    Metric("supplies.receiver_cover_after", "days", _SUP, "district", HIGHER),
    # ---- vaccination 疫苗接种
    Metric("vaccination.doses", "doses", _VAC, "community", HIGHER),
    Metric("vaccination.dose1", "doses", _VAC, "community", HIGHER),
    Metric("vaccination.dose2", "doses", _VAC, "community", HIGHER),
    Metric("vaccination.booster", "doses", _VAC, "community", HIGHER),
    Metric("vaccination.coverage_dose1", "percent", _VAC, "district", HIGHER),
    Metric("vaccination.coverage_dose2", "percent", _VAC, "district", HIGHER),
    Metric("vaccination.coverage_booster", "percent", _VAC, "district", HIGHER),
    Metric("vaccination.vaccinated_dose1", "persons", ("vaccination_daily", "vaccination_target"), "district", HIGHER),
    Metric("vaccination.vaccinated_dose2", "persons", ("vaccination_daily", "vaccination_target"), "district", HIGHER),
    Metric("vaccination.vaccinated_booster", "persons", ("vaccination_daily", "vaccination_target"), "district", HIGHER),
    Metric("vaccination.target_population", "persons", ("vaccination_target",), "district"),
    Metric("vaccination.sites", "sites", ("vaccination_site",), "community"),
    Metric("vaccination.site_capacity", "doses", ("vaccination_site",), "community"),
    Metric("vaccination.doses_per_day", "doses", _VAC, "community"),
    Metric("vaccination.site_utilisation", "percent", _VAC, "community"),
    # ---- grid units 网格
    Metric("grid.units", "units", _GRID, "unit"),
    Metric("grid.units_red", "units", _GRID, "unit", LOWER),
    Metric("grid.units_orange", "units", _GRID, "unit", LOWER),
    Metric("grid.units_yellow", "units", _GRID, "unit", LOWER),
    Metric("grid.units_green", "units", _GRID, "unit", HIGHER),
    Metric("grid.units_red_orange", "units", _GRID, "unit", LOWER),
    Metric("grid.households_visited", "households", _GRID, "unit", HIGHER),
    Metric("grid.visited_pct", "percent", _GRID, "unit", HIGHER),
    Metric("grid.people_screened", "persons", _GRID, "unit"),
    Metric("grid.home_observation", "persons", _GRID, "unit", LOWER),
    Metric("grid.key_persons", "persons", _GRID, "unit", LOWER),
    Metric("grid.workers_on_duty", "persons", _GRID, "unit", HIGHER),
    Metric("grid.workers_per_1000_households", "per_1000", _GRID, "unit", HIGHER),
    # ---- isolation and observation 隔离管控 (people reported per street; sites stand in streets)
    Metric("isolation.held", "persons", _ISO, "street", LOWER),
    Metric("isolation.held_centralised", "persons", _ISO, "street", LOWER),
    Metric("isolation.held_home_isolation", "persons", _ISO, "street", LOWER),
    Metric("isolation.held_home_monitoring", "persons", _ISO, "street", LOWER),
    Metric("isolation.at_home", "persons", _ISO, "street", LOWER),
    Metric("isolation.held_per_10k", "per_10k", _ISO, "street", LOWER),
    Metric("isolation.new_in", "persons", _ISO, "street"),
    Metric("isolation.released", "persons", _ISO, "street"),
    Metric("isolation.overdue", "persons", _ISO, "street", LOWER),
    Metric("isolation.sites", "sites", ("isolation_site",), "street"),
    Metric("isolation.rooms", "rooms", ("isolation_site",), "street", HIGHER),
    Metric("isolation.rooms_occupied", "rooms", _SITE, "street"),
    Metric("isolation.free_rooms", "rooms", _SITE, "street", HIGHER),
    Metric("isolation.occupancy", "percent", _SITE, "street", LOWER),
    Metric("isolation.site_people", "persons", _SITE, "street"),
    Metric("isolation.site_arrivals", "persons", _SITE, "street"),
    Metric("isolation.site_departures", "persons", _SITE, "street"),
    Metric("isolation.staff", "persons", _SITE, "street", HIGHER),
    Metric("isolation.cases_found", "persons", _SITE, "street", LOWER),
    Metric("isolation.net_intake", "persons", _SITE, "street"),
    Metric("isolation.days_until_full", "days", _SITE, "street", HIGHER),
    Metric("isolation.single_room_breaches", "sites", _SITE, "street", LOWER),
    # ---- inspections and enforcement 督导检查 (teams report per street inspected)
    Metric("inspections.inspections", "checks", _INSP, "street", HIGHER),
    Metric("inspections.inspector_visits", "visits", _INSP, "street", HIGHER),
    Metric("inspections.passed", "checks", _INSP, "street", HIGHER),
    Metric("inspections.pass_rate", "percent", _INSP, "street", HIGHER),
    Metric("inspections.item_passed", "checks", _INSP, "street", HIGHER),
    Metric("inspections.item_failed", "checks", _INSP, "street", LOWER),
    Metric("inspections.item_checked", "checks", _INSP, "street"),
    Metric("inspections.item_pass_rate", "percent", _INSP, "street", HIGHER),
    Metric("inspections.problems_found", "problems", _INSP, "street", LOWER),
    Metric("inspections.fixed_on_time", "problems", _INSP, "street", HIGHER),
    Metric("inspections.fixed_late", "problems", _INSP, "street", LOWER),
    Metric("inspections.on_time_rate", "percent", _INSP, "street", HIGHER),
    Metric("inspections.open_problems", "problems", _INSP, "street", LOWER),
    Metric("inspections.overdue", "problems", _INSP, "street", LOWER),
    Metric("inspections.entities_open", "entities", _INSP, "street", LOWER),
    Metric("inspections.penalties", "cases", _INSP, "street"),
    Metric("inspections.masks_seized", "masks", _INSP, "street"),
    Metric("inspections.teams", "teams", ("inspection_daily", "inspection_team"), "street", HIGHER),
    # ---- reporting 上报
    Metric(
        "reporting.expected",
        "units",
        ("report_import", "checkpoint", "sampling_site", "vaccination_site", "warehouse", "area"),
        "unit",
    ),
    Metric(
        "reporting.reported",
        "units",
        ("report_import", "checkpoint_daily", "testing_daily", "supply_ledger", "vaccination_daily", "grid_daily"),
        "unit",
        HIGHER,
    ),
    Metric(
        "reporting.missing",
        "units",
        ("report_import", "checkpoint_daily", "testing_daily", "supply_ledger", "vaccination_daily", "grid_daily"),
        "unit",
        LOWER,
    ),
    Metric(
        "reporting.rate",
        "percent",
        ("report_import", "checkpoint_daily", "testing_daily", "supply_ledger", "vaccination_daily", "grid_daily"),
        "unit",
        HIGHER,
    ),
    # ---- areas 区划
    Metric("areas.residents", "persons", ("area",), "unit"),
    Metric("areas.households", "households", ("area",), "unit"),
]

METRICS: dict[str, Metric] = {m.key: m for m in _ENTRIES}


def metric(key: str) -> Metric:
    """The catalogue entry ``key`` (a KeyError names a figure nobody defined)."""
    return METRICS[key]


def name(key: str, lang: str) -> str:
    """A figure's name in ``lang``: what its card, column or chart series says."""
    return METRICS[key].name(lang)


def search(query: str, lang: str) -> list[Metric]:
    """Entries whose key, name, definition or formula contain ``query`` (either language
    for the name), in catalogue order; every entry for an empty query."""
    words = query.strip().lower().split()
    if not words:
        return list(_ENTRIES)
    found = []
    for entry in _ENTRIES:
        haystack = " ".join(
            [
                entry.key,
                entry.name(lang),
                entry.definition(lang),
                entry.formula(lang),
                *(entry.name(other) for other in _languages()),
            ]
        ).lower()
        if all(word in haystack for word in words):
            found.append(entry)
    return found


def _languages() -> tuple[str, ...]:
    from presentation.text import LANGUAGES

    return LANGUAGES
