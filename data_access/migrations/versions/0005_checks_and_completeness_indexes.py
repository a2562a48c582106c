"""indexes for data checks and reporting completeness: a day's submissions of a type,
site-days with more positives than tested (partial where the engine has partial indexes),
a unit's area with its scope columns, a community's grid units

Revision ID: 0005_checks_completeness
Revises: 0004
Create Date: 2026-11-30 16:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

from data_access.schema import POSITIVES_ABOVE_TESTED

revision = "0005_checks_completeness"
down_revision = "0004"
branch_labels = None
depends_on = None


STAT_TABLE = "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
AREA_INDEXES = {
    "ix_area_code_scope": ["code", "retired_on", "city_code", "district_code", "street_code", "community_code"],
    "ix_area_community_level": ["community_code", "level", "retired_on"],
}


def upgrade() -> None:
    with op.batch_alter_table("area", schema=None) as batch_op:
        for name, columns in AREA_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table("report_submission", schema=None) as batch_op:
        batch_op.create_index("ix_report_submission_day_type", ["day", "report_type", "unit_code"], unique=False)
    with op.batch_alter_table("testing_daily", schema=None) as batch_op:
        batch_op.create_index(
            "ix_testing_daily_positives_above_tested",
            ["day"],
            unique=False,
            sqlite_where=sa.text(POSITIVES_ABOVE_TESTED),
            postgresql_where=sa.text(POSITIVES_ABOVE_TESTED),
        )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.execute(sa.text(STAT_TABLE)).first() is not None:
        # SQLite's planner knows the other indexes from ANALYZE: without figures for the
        # new ones it takes them for selective and may prefer them where they are not.
        for name in [*AREA_INDEXES, "ix_report_submission_day_type", "ix_testing_daily_positives_above_tested"]:
            op.execute(f"ANALYZE {name}")


def downgrade() -> None:
    with op.batch_alter_table("testing_daily", schema=None) as batch_op:
        batch_op.drop_index("ix_testing_daily_positives_above_tested")
    with op.batch_alter_table("report_submission", schema=None) as batch_op:
        batch_op.drop_index("ix_report_submission_day_type")
    with op.batch_alter_table("area", schema=None) as batch_op:
        for name in AREA_INDEXES:
            batch_op.drop_index(name)
