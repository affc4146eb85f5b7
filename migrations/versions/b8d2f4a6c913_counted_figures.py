"""Dashboard figures counted at most once a minute, shared by every worker

Revision ID: b8d2f4a6c913
Revises: a7c3e9d1b5f2
"""
from alembic import op
import sqlalchemy as sa

revision = 'b8d2f4a6c913'
down_revision = 'a7c3e9d1b5f2'


def upgrade():
    op.create_table(
        'counted_figures',
        sa.Column('key', sa.String(length=80), primary_key=True),
        sa.Column('counted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=False),
    )


def downgrade():
    op.drop_table('counted_figures')
