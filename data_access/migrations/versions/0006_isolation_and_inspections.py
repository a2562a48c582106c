"""isolation and inspections: isolation sites and their days, people under management per
street, category and measure, inspecting teams and their days per street and kind of entity

Revision ID: 0006_isolation_inspections
Revises: 0005_checks_completeness
Create Date: 2026-11-30 20:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

from data_access.mysql import foreign_key_checks_off

# Float as a double on MySQL.
from data_access.schema import CHECKLIST_COUNTS, INSPECTION_COUNTS, ISOLATION_COUNTS, ISOLATION_SITE_COUNTS, Real

revision = "0006_isolation_inspections"
down_revision = "0005_checks_completeness"
branch_labels = None
depends_on = None

# table → its secondary indexes (name, columns)
INDEXES = {
    "isolation_site": [("ix_isolation_site_area_code", ["area_code"])],
    "isolation_site_daily": [("ix_isolation_site_daily_site_day", ["site_code", "day"])],
    "isolation_people_daily": [("ix_isolation_people_daily_area_day", ["area_code", "day"])],
    "inspection_team": [("ix_inspection_team_area_code", ["area_code"])],
    "inspection_daily": [
        ("ix_inspection_daily_area_day", ["area_code", "day"]),
        ("ix_inspection_daily_team_day", ["team_code", "day"]),
    ],
}


def _counts(names) -> list[sa.Column]:
    return [sa.Column(name, sa.Integer(), nullable=False) for name in names]


def _facility(name: str, *columns: sa.Column) -> None:
    """A facility table: code, names, its columns, area, place, retirement day."""
    op.create_table(
        name,
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        *columns,
        sa.Column("area_code", sa.String(length=24), nullable=False),
        sa.Column("lon", Real, nullable=True),
        sa.Column("lat", Real, nullable=True),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f(f"fk_{name}_area_code_area")),
        sa.PrimaryKeyConstraint("code", name=op.f(f"pk_{name}")),
    )


def upgrade() -> None:
    _facility("isolation_site", sa.Column("rooms", sa.Integer(), nullable=False))
    op.create_table(
        "isolation_site_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("site_code", sa.String(length=24), nullable=False),
        *_counts(ISOLATION_SITE_COUNTS),
        sa.ForeignKeyConstraint(
            ["site_code"], ["isolation_site.code"], name=op.f("fk_isolation_site_daily_site_code_isolation_site")
        ),
        sa.PrimaryKeyConstraint("day", "site_code", name=op.f("pk_isolation_site_daily")),
    )
    op.create_table(
        "isolation_people_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("area_code", sa.String(length=24), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("measure", sa.String(length=20), nullable=False),
        *_counts(ISOLATION_COUNTS),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_isolation_people_daily_area_code_area")),
        sa.PrimaryKeyConstraint("day", "area_code", "category", "measure", name=op.f("pk_isolation_people_daily")),
    )
    _facility("inspection_team", sa.Column("agency", sa.String(length=20), nullable=False))
    op.create_table(
        "inspection_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("team_code", sa.String(length=24), nullable=False),
        sa.Column("area_code", sa.String(length=24), nullable=False),
        sa.Column("entity_type", sa.String(length=20), nullable=False),
        *_counts(INSPECTION_COUNTS + CHECKLIST_COUNTS),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_inspection_daily_area_code_area")),
        sa.ForeignKeyConstraint(
            ["team_code"], ["inspection_team.code"], name=op.f("fk_inspection_daily_team_code_inspection_team")
        ),
        sa.PrimaryKeyConstraint("day", "team_code", "area_code", "entity_type", name=op.f("pk_inspection_daily")),
    )
    for table, indexes in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, columns in indexes:
                batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    # MySQL refuses to drop an index a foreign key uses, even just before its table goes.
    with foreign_key_checks_off(op.get_bind()):
        for table in reversed(INDEXES):
            with op.batch_alter_table(table, schema=None) as batch_op:
                for name, _ in INDEXES[table]:
                    batch_op.drop_index(name)
            op.drop_table(table)
