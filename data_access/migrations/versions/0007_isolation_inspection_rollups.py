"""isolation and inspection roll-ups: people under management and inspection teams' days
summed per area (city, district) and day, so city- and district-wide views over long
ranges read a few rows; the triggers that mark the days written to their detail. The
roll-ups are filled from the detail already in the database.

Revision ID: 0007_isolation_inspect_rollups
Revises: 0006_isolation_inspections
Create Date: 2026-12-01 00:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

from data_access.schema import CHECKLIST_COUNTS, INSPECTION_COUNTS, ISOLATION_COUNTS

revision = "0007_isolation_inspect_rollups"
down_revision = "0006_isolation_inspections"
branch_labels = None
depends_on = None

TABLES = ("isolation_people_area_daily", "inspection_area_daily")


def _counts(names) -> list[sa.Column]:
    return [sa.Column(name, sa.Integer(), nullable=False) for name in names]


def _area_keyed(table: str, *columns: sa.Column, keys: tuple[str, ...]) -> None:
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
        "isolation_people_area_daily",
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("measure", sa.String(length=20), nullable=False),
        *_counts((*ISOLATION_COUNTS, "streets_reporting")),
        keys=("category", "measure"),
    )
    _area_keyed(
        "inspection_area_daily",
        sa.Column("entity_type", sa.String(length=20), nullable=False),
        *_counts((*INSPECTION_COUNTS, *CHECKLIST_COUNTS, "teams_in_city", "teams_in_district")),
        keys=("entity_type",),
    )
    # Fill the roll-ups from the detail already there, and mark from now on. This uses the
    # roll-up definitions of the code being installed: fine while no later migration
    # changes these tables.
    from data_access.rollups import INSPECTIONS, ISOLATION_PEOPLE, create_marking_triggers

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # a city's detail takes longer than a page query may
        bind.exec_driver_sql("SET LOCAL statement_timeout = 0")
    for rollup in (ISOLATION_PEOPLE, INSPECTIONS):
        rollup.refresh(bind)
    create_marking_triggers(bind, [ISOLATION_PEOPLE.detail, INSPECTIONS.detail])
    analyze = "ANALYZE TABLE" if bind.dialect.name in ("mysql", "mariadb") else "ANALYZE"
    for table in TABLES:
        bind.exec_driver_sql(f"{analyze} {table}")


def downgrade() -> None:
    from data_access.rollups import INSPECTIONS, ISOLATION_PEOPLE, drop_marking_triggers

    bind = op.get_bind()
    drop_marking_triggers(bind, [ISOLATION_PEOPLE.detail, INSPECTIONS.detail])
    op.execute(sa.text("DELETE FROM rollup_dirty WHERE detail_table IN ('isolation_people_daily', 'inspection_daily')"))
    for table in reversed(TABLES):
        op.drop_table(table)
