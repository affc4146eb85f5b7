"""A RAT record finalised without its signed scan keeps the reason why

Revision ID: e5b2d8c4a961
Revises: e5b2a9c1d7f4
Create Date: 2026-12-06 22:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5b2d8c4a961'
down_revision = 'e5b2a9c1d7f4'


def upgrade():
    op.add_column('rat_records', sa.Column('scan_missing_reason', sa.Text(), nullable=True))


def downgrade():
    op.execute("ALTER TABLE rat_records DROP COLUMN scan_missing_reason")
