"""Counts in the database: the JSON answers staff group by, as generated columns,
and one index that covers every count of the dashboards, the campaign view and
the RAT pack; the follow-up list's order as an index for keyset paging

The columns are computed by the database from ``choices`` and ``source`` (no
code writes them): SQLite adds them as VIRTUAL (its ALTER TABLE cannot add a
STORED one), PostgreSQL as STORED. ``->>`` reads JSON the same way on both
(SQLite 3.38 or newer).

Revision ID: e5a9c3d1f7b2
Revises: c4e1f0a7d2b3
Create Date: 2026-12-06 22:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5a9c3d1f7b2'
down_revision = 'c4e1f0a7d2b3'
branch_labels = None
depends_on = None

# The same expressions as portal.models.Submission's Computed columns.
GENERATED = [
    ('shu_answer', sa.String(length=10), "choices ->> 'shu'"),
    ('shu_kind', sa.String(length=10), "choices ->> 'shu_cara'"),
    ('shu_value', sa.BigInteger(), "CAST(choices ->> 'shu_nilai' AS BIGINT)"),
    ('package', sa.String(length=20), "choices ->> 'program'"),
    ('campaign', sa.String(length=30), "source ->> 'kampanye'"),
    ('contact', sa.Boolean(), "CAST(choices ->> 'setuju_dihubungi' AS TEXT) IN ('true', '1')"),
]
REPLACED = {'ix_submissions_cooperative': 'cooperative', 'ix_submissions_state': 'state',
            'ix_submissions_follow_up_status': 'follow_up_status'}
COUNTS = ['cooperative', 'duplicate_of_id', 'state', 'follow_up_status', 'shu_answer', 'shu_kind', 'shu_value',
          'package', 'kabupaten', 'occupation', 'campaign', 'contact', 'created_at']


def upgrade():
    stored = op.get_bind().dialect.name == 'postgresql'
    for name, type_, expression in GENERATED:
        op.add_column('submissions', sa.Column(name, type_, sa.Computed(expression, persisted=stored or None)))
    op.create_index('ix_submissions_counts', 'submissions', COUNTS)
    # Replaced by the index above (which starts with the cooperative and holds
    # both): a planner grouping by state or status chose these single-column
    # indexes and read every row through them, and each cost members' inserts.
    for name in REPLACED:
        op.drop_index(name, table_name='submissions')
    op.create_index('ix_submissions_listing', 'submissions', ['created_at', 'id'])
    op.create_index('ix_submissions_coop_listing', 'submissions', ['cooperative', 'created_at', 'id'])


def downgrade():
    for name, column in REPLACED.items():
        op.create_index(name, 'submissions', [column])
    op.drop_index('ix_submissions_coop_listing', table_name='submissions')
    op.drop_index('ix_submissions_listing', table_name='submissions')
    op.drop_index('ix_submissions_counts', table_name='submissions')
    with op.batch_alter_table('submissions') as batch:
        for name, _, _ in reversed(GENERATED):
            batch.drop_column(name)
