"""vaccination totals per area and day: the vaccination roll-up summed over site kinds and
age groups, so each district's doses up to a day read a tenth of the roll-up's rows (the
vaccination alert, the vaccine-flow checks); filled from the roll-up already there

Revision ID: 0010_vaccination_area_totals
Revises: 0009_area_retired_on
Create Date: 2026-12-01 07:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_vaccination_area_totals"
down_revision = "0009_area_retired_on"
branch_labels = None
depends_on = None

TABLE = "vaccination_area_totals"
MEASURES = ("dose1", "dose2", "booster", "doses")


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("area_code", sa.String(length=24), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in MEASURES],
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f(f"fk_{TABLE}_area_code_area")),
        sa.PrimaryKeyConstraint("area_code", "day", name=op.f(f"pk_{TABLE}")),
    )
    # The roll-up's rows summed: days it has marked for rebuilding are rebuilt with it later.
    sums = ", ".join(f"SUM({name})" for name in MEASURES)
    op.execute(
        f"INSERT INTO {TABLE} (area_code, day, {', '.join(MEASURES)}) "
        f"SELECT area_code, day, {sums} FROM vaccination_area_daily GROUP BY area_code, day"
    )
    bind = op.get_bind()
    analyze = "ANALYZE TABLE" if bind.dialect.name in ("mysql", "mariadb") else "ANALYZE"
    bind.exec_driver_sql(f"{analyze} {TABLE}")


def downgrade() -> None:
    op.drop_table(TABLE)
