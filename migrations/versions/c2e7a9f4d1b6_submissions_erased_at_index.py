"""Erasures found by time: an export file made since a member was erased is removed

Revision ID: c2e7a9f4d1b6
Revises: b8d2f4a6c913
"""
from alembic import op

revision = 'c2e7a9f4d1b6'
down_revision = 'b8d2f4a6c913'


def upgrade():
    op.create_index('ix_submissions_erased_at', 'submissions', ['erased_at'])


def downgrade():
    op.drop_index('ix_submissions_erased_at', table_name='submissions')
