"""record identity, duplicates, how consent was collected, login attempts, scheduled jobs

A phone number no longer identifies a record (households share one phone):
the unique constraint becomes a plain index. Existing rows stay as they are:
under the old constraint no two of them share a number in one cooperative.

Revision ID: b7c41e2d9a10
Revises: 8d01ec88334f
Create Date: 2026-12-01 21:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = "b7c41e2d9a10"
down_revision = "8d01ec88334f"


def upgrade():
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_constraint("uq_submission_coop_phone", type_="unique")
        batch_op.add_column(sa.Column("duplicate_of_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_submissions_duplicate_of", "submissions",
                                    ["duplicate_of_id"], ["id"])
        batch_op.create_index("ix_submissions_coop_phone", ["cooperative_key", "phone"], unique=False)

    with op.batch_alter_table("consent_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("collection", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.alter_column("actor", existing_type=sa.String(length=20), type_=sa.String(length=40),
                              existing_nullable=False)

    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("address", sa.String(length=45), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_attempts_address", "login_attempts", ["address", "id"])
    op.create_index("ix_login_attempts_username", "login_attempts", ["username", "id"])

    op.create_table(
        "scheduled_jobs",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_result", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )
    op.bulk_insert(sa.table("scheduled_jobs", sa.column("name", sa.String)), [{"name": "retensi"}])


def downgrade():
    op.drop_table("scheduled_jobs")
    op.drop_index("ix_login_attempts_username", table_name="login_attempts")
    op.drop_index("ix_login_attempts_address", table_name="login_attempts")
    op.drop_table("login_attempts")
    with op.batch_alter_table("consent_events", schema=None) as batch_op:
        batch_op.alter_column("actor", existing_type=sa.String(length=40), type_=sa.String(length=20),
                              existing_nullable=False)
        batch_op.drop_column("collection")
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_coop_phone")
        batch_op.drop_constraint("fk_submissions_duplicate_of", type_="foreignkey")
        batch_op.drop_column("duplicate_of_id")
        batch_op.create_unique_constraint("uq_submission_coop_phone", ["cooperative_key", "phone"])
