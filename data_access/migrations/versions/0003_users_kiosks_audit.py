"""users, kiosk links and the audit log; the importer's area on report_import

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

# Float and DateTime(timezone=True); on MySQL a double and microseconds.
from data_access.schema import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("area_code", sa.String(length=24), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_app_user_area_code_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("email", name=op.f("uq_app_user_email")),
    )
    op.create_table(
        "kiosk_link",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("area_code", sa.String(length=24), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=True),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"], name=op.f("fk_kiosk_link_area_code_area")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_link")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_kiosk_link_token_sha256")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("area_code", sa.String(length=24), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_at", ["at"], unique=False)
    with op.batch_alter_table("report_import", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area_code", sa.String(length=24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_import", schema=None) as batch_op:
        batch_op.drop_column("area_code")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_at")
    op.drop_table("audit_event")
    op.drop_table("kiosk_link")
    op.drop_table("app_user")
