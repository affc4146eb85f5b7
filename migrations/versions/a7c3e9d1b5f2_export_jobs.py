"""Large exports made in the background, with their progress and an expiring file

Revision ID: a7c3e9d1b5f2
Revises: f3a8d6b2c915
"""
from alembic import op
import sqlalchemy as sa

revision = 'a7c3e9d1b5f2'
down_revision = 'f3a8d6b2c915'


def upgrade():
    op.create_table(
        'export_jobs',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('fmt', sa.String(length=4), nullable=False),
        sa.Column('cooperative', sa.String(length=40), nullable=True),
        sa.Column('filters', sa.JSON(), nullable=True),
        sa.Column('requested_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('expected', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('claimed_by', sa.String(length=80), nullable=True),
        sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('file_name', sa.String(length=80), nullable=True),
        sa.Column('size', sa.BigInteger(), nullable=True),
        sa.Column('message', sa.String(length=300), nullable=True),
    )
    op.create_index('ix_export_jobs_status', 'export_jobs', ['status'])


def downgrade():
    op.drop_index('ix_export_jobs_status', table_name='export_jobs')
    op.drop_table('export_jobs')
