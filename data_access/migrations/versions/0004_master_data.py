"""master data: grid workers of an area, retirement days, facility locations, area changes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 11:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

# Float and DateTime(timezone=True); on MySQL a double and microseconds.
from data_access.mysql import foreign_key_checks_off
from data_access.schema import Real, UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FACILITIES = ("checkpoint", "sampling_site", "lab", "vaccination_site", "warehouse")
NEW_LOCATIONS = ("lab", "vaccination_site", "warehouse")


def upgrade() -> None:
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grid_workers", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("retired_on", sa.Date(), nullable=True))
    for table in FACILITIES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in NEW_LOCATIONS:
                batch_op.add_column(sa.Column("lon", Real, nullable=True))
                batch_op.add_column(sa.Column("lat", Real, nullable=True))
            batch_op.add_column(sa.Column("retired_on", sa.Date(), nullable=True))
    op.create_table(
        "area_change",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("area_code", sa.String(length=24), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("change", sa.String(length=10), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_area_change_area_code_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area_change")),
    )
    with op.batch_alter_table("area_change", schema=None) as batch_op:
        batch_op.create_index("ix_area_change_area_code", ["area_code"], unique=False)


def downgrade() -> None:
    # MySQL refuses to drop an index a foreign key uses, even just before its table goes.
    with foreign_key_checks_off(op.get_bind()):
        with op.batch_alter_table("area_change", schema=None) as batch_op:
            batch_op.drop_index("ix_area_change_area_code")
        op.drop_table("area_change")
        for table in FACILITIES:
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.drop_column("retired_on")
                if table in NEW_LOCATIONS:
                    batch_op.drop_column("lat")
                    batch_op.drop_column("lon")
        with op.batch_alter_table("area", schema=None) as batch_op:
            batch_op.drop_column("retired_on")
            batch_op.drop_column("grid_workers")
