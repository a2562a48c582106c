"""an index of areas by the day they were retired: the few areas retired by a day, which
the root area's reporting completeness leaves out without looking up every unit's area

Revision ID: 0009_area_retired_on
Revises: 0008_area_level_scope
Create Date: 2026-12-01 06:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_area_retired_on"
down_revision = "0008_area_level_scope"
branch_labels = None
depends_on = None


STAT_TABLE = "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
NAME = "ix_area_retired_on"


def upgrade() -> None:
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.create_index(NAME, ["retired_on"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.execute(sa.text(STAT_TABLE)).first() is not None:
        # Without figures for the new index SQLite's planner takes it for selective (see 0008).
        op.execute(f"ANALYZE {NAME}")


def downgrade() -> None:
    with op.batch_alter_table("area", schema=None) as batch_op:
        batch_op.drop_index(NAME)
