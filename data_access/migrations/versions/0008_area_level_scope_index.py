"""an index of areas by level and scope: the areas of a level under a city, district or
street (a scope's communities, streets, districts) with their codes and retirement, read
from the index alone

Revision ID: 0008_area_level_scope
Revises: 0007_isolation_inspect_rollups
Create Date: 2026-12-01 03:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_area_level_scope"
down_revision = "0007_isolation_inspect_rollups"
branch_labels = None
depends_on = None


STAT_TABLE = "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
NAME = "ix_area_level_scope"
COLUMNS = ["level", "city_code", "district_code", "street_code", "code", "retired_on"]


def upgrade() -> None:
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.create_index(NAME, COLUMNS, unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.execute(sa.text(STAT_TABLE)).first() is not None:
        # SQLite's planner knows the other indexes from ANALYZE: without figures for the
        # new one it takes it for selective and may prefer it where it is not.
        op.execute(f"ANALYZE {NAME}")


def downgrade() -> None:
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.drop_index(NAME)
