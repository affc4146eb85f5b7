"""cover periods per member and published coverage figures

Revision ID: f3a8d6b2c915
Revises: e5b2d8c4a961
"""
from alembic import op
import sqlalchemy as sa

revision = 'f3a8d6b2c915'
down_revision = 'e5b2d8c4a961'


def upgrade():
    op.create_table(
        'cover_periods',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('submission_id', sa.Integer(), sa.ForeignKey('submissions.id'), nullable=False),
        sa.Column('first', sa.String(length=7), nullable=False),
        sa.Column('last', sa.String(length=7), nullable=False),
        sa.Column('programme', sa.String(length=20), nullable=False),
        sa.Column('payer', sa.String(length=10), nullable=False),
        sa.Column('monthly', sa.JSON(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('confirmed', sa.Boolean(), nullable=False),
        sa.Column('receipt', sa.String(length=40), nullable=True),
        sa.Column('handover_entry_id', sa.Integer(), sa.ForeignKey('handover_entries.id'), nullable=True,
                  unique=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=40), nullable=False),
    )
    op.create_index('ix_cover_periods_submission_id', 'cover_periods', ['submission_id'])
    op.create_table(
        'coverage_publications',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('published_by', sa.String(length=40), nullable=False),
    )


def downgrade():
    op.drop_table('coverage_publications')
    op.drop_table('cover_periods')
