"""area roll-ups and indexes for the views' queries at city scale

Four roll-up tables (checkpoint hours, testing, vaccination and grid figures summed per
area and day) so that city- and district-wide views read a few rows instead of every
unit's, with ``rollup_dirty`` and the triggers that mark the days written to their
detail; an index covering the area listing; one for the last report of each type. The
roll-ups are filled from the detail already in the database.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 17:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

# Float and DateTime(timezone=True); on MySQL a double and microseconds.
from data_access.schema import Real

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CHECKPOINT_COUNTS = (
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
GRID_ACTIVITY = (
    "households_visited",
    "people_screened",
    "home_observation",
    "key_close_contacts",
    "key_risk_area_returnees",
    "key_inbound_travellers",
    "workers_on_duty",
)
RISK_COLOURS = ("green", "yellow", "orange", "red")


def _counts(names):
    return [sa.Column(name, sa.Integer(), nullable=False) for name in names]


def _area_keyed(table, *columns, keys=()):
    op.create_table(
        table,
        sa.Column("area_code", sa.String(length=24), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f(f"fk_{table}_area_code_area")),
        sa.PrimaryKeyConstraint("area_code", "day", *keys, name=op.f(f"pk_{table}")),
    )


def upgrade() -> None:
    _area_keyed(
        "checkpoint_area_hourly",
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        *_counts(CHECKPOINT_COUNTS),
        keys=("hour",),
    )
    _area_keyed(
        "testing_area_daily",
        *_counts(("samples_collected", "samples_tested", "positives", "pending")),
        sa.Column("pooled_ratio", sa.SmallInteger(), nullable=False),
        sa.Column("turnaround_median_h_weighted", Real, nullable=True),
        sa.Column("turnaround_p90_h_weighted", Real, nullable=True),
        sa.Column("sites_reporting", sa.Integer(), nullable=False),
    )
    _area_keyed(
        "vaccination_area_daily",
        sa.Column("site_kind", sa.String(length=12), nullable=False),
        sa.Column("age_group", sa.String(length=8), nullable=False),
        *_counts(("dose1", "dose2", "booster", "doses")),
        keys=("site_kind", "age_group"),
    )
    _area_keyed(
        "grid_area_daily",
        *_counts(GRID_ACTIVITY),
        sa.Column("risk_colour", sa.SmallInteger(), nullable=False),
        *_counts([f"units_{colour}" for colour in RISK_COLOURS]),
        sa.Column("units_reporting", sa.Integer(), nullable=False),
    )

    op.create_table(
        "rollup_dirty",
        sa.Column("detail_table", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("detail_table", "day", name=op.f("pk_rollup_dirty")),
    )

    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.drop_index("ix_area_level")
        batch_op.create_index(
            "ix_area_level_listing",
            ["level", "code", "parent_code", "name_zh", "name_en", "residents", "households"],
            unique=False,
        )
    with op.batch_alter_table("report_submission", schema=None) as batch_op:
        batch_op.create_index("ix_report_submission_type_reported_at", ["report_type", "reported_at"], unique=False)

    # Fill the roll-ups from the detail already there, and mark from now on. This uses the
    # roll-up definitions of the code being installed: fine while no later migration
    # changes these tables. Only this migration's four: later ones add their own.
    from data_access.rollups import create_marking_triggers

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # a city's detail takes longer than a page query may
        bind.exec_driver_sql("SET LOCAL statement_timeout = 0")
    for rollup in _rollups():
        rollup.refresh(bind)
    create_marking_triggers(bind, [rollup.detail for rollup in _rollups()])
    # Statistics for the new tables and indexes, so the planner picks them at once.
    analyze = "ANALYZE TABLE" if bind.dialect.name in ("mysql", "mariadb") else "ANALYZE"
    for table in ("area", "report_submission", *(rollup.table.name for rollup in _rollups())):
        bind.exec_driver_sql(f"{analyze} {table}")


def _rollups():
    import dataclasses

    from data_access.rollups import CHECKPOINT_HOURS, GRID, TESTING, VACCINATION

    # Without the vaccination totals, which 0010 creates and fills from this roll-up.
    return (CHECKPOINT_HOURS, TESTING, dataclasses.replace(VACCINATION, totals=None), GRID)


def downgrade() -> None:
    from data_access.rollups import drop_marking_triggers

    bind = op.get_bind()
    drop_marking_triggers(bind, [rollup.detail for rollup in _rollups()])
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS mark_rollup_days()")
    op.drop_table("rollup_dirty")
    with op.batch_alter_table("report_submission", schema=None) as batch_op:
        batch_op.drop_index("ix_report_submission_type_reported_at")
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.drop_index("ix_area_level_listing")
        batch_op.create_index("ix_area_level", ["level"], unique=False)
    for table in ("grid_area_daily", "vaccination_area_daily", "testing_area_daily", "checkpoint_area_hourly"):
        op.drop_table(table)
