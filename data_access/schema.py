"""The database schema (SQLAlchemy 2 Core): one table per thing the command centre records.

Areas carry their ancestors at every level (``city_code`` … ``grid_code``), so an
area scope ("this area and everything under it") is one indexed equality on the
column of the scope's level, the same on SQLite, PostgreSQL and MySQL / MariaDB.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.dialects import mysql

from data_access.mysql import MYSQL_DIALECTS

# A floating-point figure (coordinates, turnaround hours and their weighted sums) as a double
# on every engine: MySQL's FLOAT is single precision, 6.3 would be read back as 6.30000019.
Real = Float().with_variant(mysql.DOUBLE(asdecimal=False), *MYSQL_DIALECTS)


class UtcDateTime(TypeDecorator):
    """A point in time, stored as UTC on every engine and read back timezone-aware.

    SQLite has no time zones: SQLAlchemy would store an aware datetime's local clock
    time as it is, so +08:00 times would be read back 8 hours off. MySQL's DATETIME has no
    time zone either, and keeps fractions of a second only when asked (``fsp``).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name in MYSQL_DIALECTS:
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return super().load_dialect_impl(dialect)

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name in ("sqlite", *MYSQL_DIALECTS) else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Levels of the administrative / grid hierarchy, top to bottom.
LEVELS: tuple[str, ...] = ("city", "district", "street", "community", "compound", "grid")
LEVEL_COLUMN: dict[str, str] = {level: f"{level}_code" for level in LEVELS}

# 四色 colour cards, least to most severe (green 绿, yellow 黄, orange 橙, red 红).
RISK_COLOURS: tuple[str, ...] = ("green", "yellow", "orange", "red")

area = Table(
    "area",
    metadata,
    Column("code", String(24), primary_key=True),
    Column("parent_code", String(24), ForeignKey("area.code"), nullable=True),
    Column("level", String(12), nullable=False),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("residents", Integer, nullable=False, default=0),
    Column("households", Integer, nullable=False, default=0),
    Column("lon", Real),
    Column("lat", Real),
    Column("polygon", Text),  # GeoJSON geometry (Polygon or MultiPolygon), WGS84
    Column("grid_workers", Integer, nullable=False, default=0, server_default="0"),  # 网格员 of a grid unit
    Column("retired_on", Date),  # from this day the area takes no reports; its history stays
    # Ancestors at every level (the area's own code at its own level, NULL below it).
    Column("city_code", String(24), nullable=False),
    Column("district_code", String(24)),
    Column("street_code", String(24)),
    Column("community_code", String(24)),
    Column("compound_code", String(24)),
    Column("grid_code", String(24)),
    Index("ix_area_parent_code", "parent_code"),
    Index("ix_area_district_code", "district_code"),
    Index("ix_area_street_code", "street_code"),
    Index("ix_area_community_code", "community_code"),
    Index("ix_area_compound_code", "compound_code"),
    # Covers the area picker's listing by level (every column but the polygon), so it
    # never reads the wide rows that carry polygons.
    Index("ix_area_level_listing", "level", "code", "parent_code", "name_zh", "name_en", "residents", "households"),
    # A unit's area by its code with what a scope and reporting completeness ask of it
    # (retired? which ancestors?), and a community's grid units with their level and
    # retirement, without reading area rows (whose polygon comes before those columns).
    Index("ix_area_code_scope", "code", "retired_on", "city_code", "district_code", "street_code", "community_code"),
    Index("ix_area_community_level", "community_code", "level", "retired_on"),
    # The areas of a level under a city, district or street with their codes and
    # retirement (reporting completeness's communities with grid units, a scope's streets):
    # read from the index alone, where the listing index leaves a read of each area row.
    Index("ix_area_level_scope", "level", "city_code", "district_code", "street_code", "code", "retired_on"),
    # The areas retired by a day, a handful: what the root's reporting completeness leaves out.
    Index("ix_area_retired_on", "retired_on"),
)

# ---------------------------------------------------------------- checkpoints 道口
checkpoint = Table(
    "checkpoint",
    metadata,
    Column("code", String(24), primary_key=True),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("kind", String(20), nullable=False),  # highway_exit, national_road, provincial_road, rail_station, airport
    Column("lanes", SmallInteger, nullable=False),
    Column("shifts", SmallInteger, nullable=False, default=3),
    # People one lane can check per staffed hour; lanes × this = hourly staffed capacity.
    Column("people_per_lane_hour", Integer, nullable=False, default=300),
    Column("area_code", String(24), ForeignKey("area.code"), nullable=False),
    Column("lon", Real),
    Column("lat", Real),
    Column("retired_on", Date),
    Index("ix_checkpoint_area_code", "area_code"),
)

_checkpoint_counts = (
    "vehicles",
    "people",
    "temperature_checks",
    "fever",
    "code_yellow",
    "code_red",
    "risk_area_arrivals",
    "turned_back",
    "to_fever_clinic",
)
CHECKPOINT_COUNTS: tuple[str, ...] = _checkpoint_counts

checkpoint_hourly = Table(
    "checkpoint_hourly",
    metadata,
    Column("day", Date, primary_key=True),
    Column("hour", SmallInteger, primary_key=True),
    Column("checkpoint_code", String(24), ForeignKey("checkpoint.code"), primary_key=True),
    *[Column(name, Integer, nullable=False, default=0) for name in _checkpoint_counts],
    Index("ix_checkpoint_hourly_checkpoint_day", "checkpoint_code", "day"),
)

# Daily roll-up of checkpoint_hourly (or a daily report's figures when no hours were
# reported); kept in step by data_access.rollups so daily views never scan hours.
checkpoint_daily = Table(
    "checkpoint_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("checkpoint_code", String(24), ForeignKey("checkpoint.code"), primary_key=True),
    *[Column(name, Integer, nullable=False, default=0) for name in _checkpoint_counts],
    Column("staffed_hours", SmallInteger, nullable=False, default=24),
    Index("ix_checkpoint_daily_checkpoint_day", "checkpoint_code", "day"),
)

# Area roll-ups (kept in step by data_access.rollups): one row per area at the roll-up's
# levels, day (and key) summing every unit that stands under the area, so a city- or
# district-wide figure reads a few rows instead of every unit's.
checkpoint_area_hourly = Table(
    "checkpoint_area_hourly",
    metadata,
    Column("area_code", String(24), ForeignKey("area.code"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("hour", SmallInteger, primary_key=True),
    *[Column(name, Integer, nullable=False, default=0) for name in _checkpoint_counts],
)

# ---------------------------------------------------------------- testing 核酸检测
sampling_site = Table(
    "sampling_site",
    metadata,
    Column("code", String(24), primary_key=True),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("area_code", String(24), ForeignKey("area.code"), nullable=False),
    Column("daily_capacity", Integer, nullable=False),  # samples per day
    Column("lon", Real),
    Column("lat", Real),
    Column("retired_on", Date),
    Index("ix_sampling_site_area_code", "area_code"),
)

lab = Table(
    "lab",
    metadata,
    Column("code", String(24), primary_key=True),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("area_code", String(24), ForeignKey("area.code"), nullable=False),
    Column("daily_capacity_tubes", Integer, nullable=False),
    Column("lon", Real),
    Column("lat", Real),
    Column("retired_on", Date),
    Index("ix_lab_area_code", "area_code"),
)

POSITIVES_ABOVE_TESTED = "positives > samples_tested"

testing_daily = Table(
    "testing_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("site_code", String(24), ForeignKey("sampling_site.code"), primary_key=True),
    Column("lab_code", String(24), ForeignKey("lab.code"), nullable=False),
    Column("samples_collected", Integer, nullable=False, default=0),
    Column("samples_tested", Integer, nullable=False, default=0),
    Column("positives", Integer, nullable=False, default=0),
    Column("pending", Integer, nullable=False, default=0),  # collected, awaiting result
    Column("pooled_ratio", SmallInteger, nullable=False, default=1),  # 10 means 10:1 混采
    Column("turnaround_median_h", Real),
    Column("turnaround_p90_h", Real),
    Index("ix_testing_daily_site_day", "site_code", "day"),
    # The data check's site-days with more positives than tested, without reading every
    # site-day of the range: partial on SQLite and PostgreSQL (MySQL has no partial
    # indexes and keeps a plain one on day).
    Index(
        "ix_testing_daily_positives_above_tested",
        "day",
        sqlite_where=text(POSITIVES_ABOVE_TESTED),
        postgresql_where=text(POSITIVES_ABOVE_TESTED),
    ),
)

testing_area_daily = Table(
    "testing_area_daily",
    metadata,
    Column("area_code", String(24), ForeignKey("area.code"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("samples_collected", Integer, nullable=False, default=0),
    Column("samples_tested", Integer, nullable=False, default=0),
    Column("positives", Integer, nullable=False, default=0),
    Column("pending", Integer, nullable=False, default=0),
    Column("pooled_ratio", SmallInteger, nullable=False, default=1),  # the largest of the day
    # Σ turnaround × samples tested over sites reporting a turnaround (÷ samples tested = mean).
    Column("turnaround_median_h_weighted", Real),
    Column("turnaround_p90_h_weighted", Real),
    Column("sites_reporting", Integer, nullable=False, default=0),
)

lab_daily = Table(
    "lab_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("lab_code", String(24), ForeignKey("lab.code"), primary_key=True),
    Column("tubes_tested", Integer, nullable=False, default=0),
    Column("capacity_tubes", Integer, nullable=False, default=0),
)

testing_round = Table(
    "testing_round",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("start_day", Date, nullable=False),
    Column("end_day", Date, nullable=False),
)

# ---------------------------------------------------------------- supplies 物资保障
supply_item = Table(
    "supply_item",
    metadata,
    Column("code", String(24), primary_key=True),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("category", String(40), nullable=False),
    Column("unit_zh", String(20), nullable=False),
    Column("unit_en", String(20), nullable=False),
)

warehouse = Table(
    "warehouse",
    metadata,
    Column("code", String(24), primary_key=True),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("area_code", String(24), ForeignKey("area.code"), nullable=False),
    Column("lon", Real),
    Column("lat", Real),
    Column("retired_on", Date),
    Index("ix_warehouse_area_code", "area_code"),
)

supply_ledger = Table(
    "supply_ledger",
    metadata,
    Column("day", Date, primary_key=True),
    Column("warehouse_code", String(24), ForeignKey("warehouse.code"), primary_key=True),
    Column("item_code", String(24), ForeignKey("supply_item.code"), primary_key=True),
    Column("opening_stock", Integer, nullable=False),
    Column("inbound_procured", Integer, nullable=False, default=0),
    Column("inbound_allocated", Integer, nullable=False, default=0),
    Column("inbound_donated", Integer, nullable=False, default=0),
    Column("outbound_frontline", Integer, nullable=False, default=0),
    Column("closing_stock", Integer, nullable=False),
    Column("production_capacity", Integer, nullable=False, default=0),  # local, per day
    Index("ix_supply_ledger_item_day", "item_code", "day"),
)

# ---------------------------------------------------------------- vaccination 疫苗接种
vaccination_site = Table(
    "vaccination_site",
    metadata,
    Column("code", String(24), primary_key=True),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("kind", String(12), nullable=False),  # fixed, mobile_team, vehicle
    Column("area_code", String(24), ForeignKey("area.code"), nullable=False),
    Column("daily_capacity", Integer, nullable=False),
    Column("lon", Real),
    Column("lat", Real),
    Column("retired_on", Date),
    Index("ix_vaccination_site_area_code", "area_code"),
)

AGE_GROUPS: tuple[str, ...] = ("3-11", "12-17", "18-59", "60-79", "80+")
DOSE_NUMBERS: tuple[int, ...] = (1, 2, 3)  # 3 = booster 加强针

vaccination_daily = Table(
    "vaccination_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("site_code", String(24), ForeignKey("vaccination_site.code"), primary_key=True),
    Column("age_group", String(8), primary_key=True),
    Column("dose_number", SmallInteger, primary_key=True),
    Column("doses", Integer, nullable=False),
    Index("ix_vaccination_daily_site_day", "site_code", "day"),
)

vaccination_area_daily = Table(
    "vaccination_area_daily",
    metadata,
    Column("area_code", String(24), ForeignKey("area.code"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("site_kind", String(12), primary_key=True),
    Column("age_group", String(8), primary_key=True),
    Column("dose1", Integer, nullable=False, default=0),
    Column("dose2", Integer, nullable=False, default=0),
    Column("booster", Integer, nullable=False, default=0),
    Column("doses", Integer, nullable=False, default=0),  # all doses, whatever their number
)

# vaccination_area_daily summed over site kinds and age groups: one row per area (city,
# district) and day, for the figures that need neither, read over the whole history (each
# district's doses up to a day: a tenth of the roll-up's rows). Rebuilt with the roll-up.
vaccination_area_totals = Table(
    "vaccination_area_totals",
    metadata,
    Column("area_code", String(24), ForeignKey("area.code"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("dose1", Integer, nullable=False, default=0),
    Column("dose2", Integer, nullable=False, default=0),
    Column("booster", Integer, nullable=False, default=0),
    Column("doses", Integer, nullable=False, default=0),
)

vaccination_target = Table(
    "vaccination_target",
    metadata,
    Column("area_code", String(24), ForeignKey("area.code"), primary_key=True),
    Column("age_group", String(8), primary_key=True),
    Column("population", Integer, nullable=False),
    # Cumulative doses given before the first day of data (coverage = baseline + doses since).
    Column("baseline_dose1", Integer, nullable=False, default=0),
    Column("baseline_dose2", Integer, nullable=False, default=0),
    Column("baseline_dose3", Integer, nullable=False, default=0),
)

# ---------------------------------------------------------------- grid units 网格
grid_daily = Table(
    "grid_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("unit_code", String(24), ForeignKey("area.code"), primary_key=True),
    Column("households_visited", Integer, nullable=False, default=0),
    Column("people_screened", Integer, nullable=False, default=0),
    Column("home_observation", Integer, nullable=False, default=0),
    Column("key_close_contacts", Integer, nullable=False, default=0),
    Column("key_risk_area_returnees", Integer, nullable=False, default=0),
    Column("key_inbound_travellers", Integer, nullable=False, default=0),
    Column("workers_on_duty", SmallInteger, nullable=False, default=0),
    Column("risk_colour", SmallInteger, nullable=False, default=0),  # index into RISK_COLOURS
    Index("ix_grid_daily_unit_day", "unit_code", "day"),
)

GRID_ACTIVITY: tuple[str, ...] = (
    "households_visited",
    "people_screened",
    "home_observation",
    "key_close_contacts",
    "key_risk_area_returnees",
    "key_inbound_travellers",
    "workers_on_duty",
)

grid_area_daily = Table(
    "grid_area_daily",
    metadata,
    Column("area_code", String(24), ForeignKey("area.code"), primary_key=True),
    Column("day", Date, primary_key=True),
    *[Column(name, Integer, nullable=False, default=0) for name in GRID_ACTIVITY],
    Column("risk_colour", SmallInteger, nullable=False, default=0),  # the worst unit's colour
    *[Column(f"units_{colour}", Integer, nullable=False, default=0) for colour in RISK_COLOURS],
    Column("units_reporting", Integer, nullable=False, default=0),
)

# ---------------------------------------------------------------- isolation 隔离管控
# Who is under management (密接, 次密接, arrivals from risk areas and from abroad,
# discharged patients in recovery, others) and how (集中隔离, 居家隔离, 居家健康监测).
ISOLATION_CATEGORIES: tuple[str, ...] = (
    "close_contact",
    "secondary_contact",
    "risk_area_arrival",
    "inbound_arrival",
    "discharged",
    "other",
)
ISOLATION_MEASURES: tuple[str, ...] = ("centralised", "home_isolation", "home_monitoring")
ISOLATION_COUNTS: tuple[str, ...] = ("new_in", "released", "held", "overdue")

# Centralised isolation sites 集中隔离点 (hotels and purpose-built sites), one room per person.
isolation_site = Table(
    "isolation_site",
    metadata,
    Column("code", String(24), primary_key=True),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("area_code", String(24), ForeignKey("area.code"), nullable=False),
    Column("rooms", Integer, nullable=False),  # rooms that can take a person
    Column("lon", Real),
    Column("lat", Real),
    Column("retired_on", Date),
    Index("ix_isolation_site_area_code", "area_code"),
)

ISOLATION_SITE_COUNTS: tuple[str, ...] = ("rooms_occupied", "people", "staff", "new_in", "released", "cases_found")

# A site's day: rooms occupied and people held at the day's end, staff on duty, people in
# and out during the day (out: released, moved on, or taken to hospital as a case found).
isolation_site_daily = Table(
    "isolation_site_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("site_code", String(24), ForeignKey("isolation_site.code"), primary_key=True),
    *[Column(name, Integer, nullable=False, default=0) for name in ISOLATION_SITE_COUNTS],
    Index("ix_isolation_site_daily_site_day", "site_code", "day"),
)

# A street's (街道/镇) people under management, per category and measure: in and out during
# the day, held at its end, and of those held how many are past their release date. Rows
# of all zeros are not kept; a street with nothing to report still reports (零报告).
isolation_people_daily = Table(
    "isolation_people_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("area_code", String(24), ForeignKey("area.code"), primary_key=True),
    Column("category", String(20), primary_key=True),
    Column("measure", String(20), primary_key=True),
    *[Column(name, Integer, nullable=False, default=0) for name in ISOLATION_COUNTS],
    Index("ix_isolation_people_daily_area_day", "area_code", "day"),
)

# The people of isolation_people_daily per area (city, district), day, category and
# measure (rollups.ISOLATION_PEOPLE); streets_reporting counts each street once a day
# (summed over a day's categories and measures).
isolation_people_area_daily = Table(
    "isolation_people_area_daily",
    metadata,
    Column("area_code", String(24), ForeignKey("area.code"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("category", String(20), primary_key=True),
    Column("measure", String(20), primary_key=True),
    *[Column(name, Integer, nullable=False, default=0) for name in ISOLATION_COUNTS],
    Column("streets_reporting", Integer, nullable=False, default=0),
)

# ---------------------------------------------------------------- inspections 督导检查
INSPECTION_ENTITY_TYPES: tuple[str, ...] = ("pharmacy", "market", "restaurant", "public_venue", "cold_chain")
# The five-point list 一戴二亮三测四扫五登记 (Yucheng's pharmacies): masks worn, health and
# travel codes shown, temperature taken, venue code scanned, fever/cough buyers registered.
CHECKLIST_ITEMS: tuple[str, ...] = ("mask", "codes", "temperature", "scan", "register")
INSPECTION_AGENCIES: tuple[str, ...] = ("market_regulation", "health_supervision", "medical_insurance", "commerce", "other")

inspection_team = Table(
    "inspection_team",
    metadata,
    Column("code", String(24), primary_key=True),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=False),
    Column("agency", String(20), nullable=False),  # one of INSPECTION_AGENCIES
    Column("area_code", String(24), ForeignKey("area.code"), nullable=False),  # where the team is based
    Column("lon", Real),
    Column("lat", Real),
    Column("retired_on", Date),
    Index("ix_inspection_team_area_code", "area_code"),
)

INSPECTION_COUNTS: tuple[str, ...] = (
    "inspections",  # entity checks 检查家次
    "inspector_visits",  # 出动人次
    "inspections_passed",  # checks that found no problem
    "problems_found",
    "fixed_on_time",  # problems put right by their deadline (on the spot included)
    "fixed_late",
    "open_problems",  # at the day's end, overdue ones included
    "overdue",  # open past their deadline at the day's end
    "entities_open",  # entities with an open problem at the day's end
    "penalties",  # administrative penalty cases 行政处罚
    "masks_seized",  # fake or substandard masks 问题口罩
)
CHECKLIST_COUNTS: tuple[str, ...] = tuple(f"{item}_{result}" for item in CHECKLIST_ITEMS for result in ("passed", "failed"))

# A team's day in one street and one kind of entity. Open problems, overdue and entities
# with an open problem are the stock at the day's end: a team reports every street and
# kind where it has any, even on a day without checks there.
inspection_daily = Table(
    "inspection_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("team_code", String(24), ForeignKey("inspection_team.code"), primary_key=True),
    Column("area_code", String(24), ForeignKey("area.code"), primary_key=True),
    Column("entity_type", String(20), primary_key=True),
    *[Column(name, Integer, nullable=False, default=0) for name in INSPECTION_COUNTS + CHECKLIST_COUNTS],
    Index("ix_inspection_daily_area_day", "area_code", "day"),
    Index("ix_inspection_daily_team_day", "team_code", "day"),
)

# inspection_daily per area (city, district), day and kind of entity (rollups.INSPECTIONS).
# A team is counted once a day per district (teams_in_district) and once in the city
# (teams_in_city): summed over a day's kinds, the teams reporting there.
inspection_area_daily = Table(
    "inspection_area_daily",
    metadata,
    Column("area_code", String(24), ForeignKey("area.code"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("entity_type", String(20), primary_key=True),
    *[Column(name, Integer, nullable=False, default=0) for name in INSPECTION_COUNTS + CHECKLIST_COUNTS],
    Column("teams_in_city", Integer, nullable=False, default=0),
    Column("teams_in_district", Integer, nullable=False, default=0),
)

# ---------------------------------------------------------------- report intake 数据上报
report_import = Table(
    "report_import",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("imported_at", UtcDateTime(), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("report_type", String(30), nullable=False),
    Column("rows_accepted", Integer, nullable=False, default=0),
    Column("imported_by", String(100), nullable=False),
    Column("outcome", String(12), nullable=False),  # accepted, rejected
    Column("errors", Text),  # JSON list of errors when rejected
    # The importer's own area (who may see this attempt); NULL for the whole city.
    Column("area_code", String(24)),
    Index("ix_report_import_imported_at", "imported_at"),
)

# Which reporting unit reported which day, by which import (for 零报告 completeness).
report_submission = Table(
    "report_submission",
    metadata,
    Column("report_type", String(30), primary_key=True),
    Column("unit_code", String(24), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("import_id", Integer, ForeignKey("report_import.id"), nullable=True),
    Column("reported_at", UtcDateTime(), nullable=False),
    # The last report of each type (data freshness) without reading every submission.
    Index("ix_report_submission_type_reported_at", "report_type", "reported_at"),
    # One day's submissions of a type in one range (reporting completeness), not one
    # primary-key probe per unit. The day first, so that the last report of a type is
    # still read from the index above.
    Index("ix_report_submission_day_type", "day", "report_type", "unit_code"),
)

# Days of a detail table written since its area roll-up was last rebuilt (kept by triggers,
# see data_access.rollups): a roll-up is read only while its detail has no marked day.
rollup_dirty = Table(
    "rollup_dirty",
    metadata,
    Column("detail_table", String(40), primary_key=True),
    Column("day", Date, primary_key=True),
)

# ---------------------------------------------------------------- access 用户与权限
ROLES: tuple[str, ...] = ("viewer", "reporter", "admin")

# People who may sign in: matched by the identity provider's email claim. No passwords.
app_user = Table(
    "app_user",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, unique=True),  # stored lower-case
    Column("name", String(100), nullable=False, default=""),
    Column("role", String(12), nullable=False),  # viewer, reporter, admin
    Column("area_code", String(24), ForeignKey("area.code"), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# Read-only wall-screen links: only the token's SHA-256 is kept.
kiosk_link = Table(
    "kiosk_link",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("area_code", String(24), ForeignKey("area.code"), nullable=False),
    Column("label", String(100), nullable=False),
    Column("created_by", String(254), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime()),  # NULL: until revoked
    Column("revoked_at", UtcDateTime()),
)

# Who did what, when, for which area: sign-ins, refusals, imports, downloads, user changes.
audit_event = Table(
    "audit_event",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(254), nullable=False),  # an email, "kiosk:ID", "os:NAME" or "anonymous"
    Column("action", String(30), nullable=False),
    Column("outcome", String(12), nullable=False),  # ok, denied, refused
    Column("area_code", String(24)),
    Column("detail", String(500), nullable=False, default=""),
    Index("ix_audit_event_at", "at"),
)

# Effective-dated changes to areas 区划调整: renamed, moved, retired, merged into another.
area_change = Table(
    "area_change",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("area_code", String(24), ForeignKey("area.code"), nullable=False),
    Column("effective_on", Date, nullable=False),
    Column("change", String(10), nullable=False),  # rename, move, retire, merge
    Column("detail", Text, nullable=False),  # JSON: the values before and after
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("recorded_by", String(254), nullable=False),
    Index("ix_area_change_area_code", "area_code"),
)

# A one-row description of what this database holds (sample or real, seed, scale).
dataset_info = Table(
    "dataset_info",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)
