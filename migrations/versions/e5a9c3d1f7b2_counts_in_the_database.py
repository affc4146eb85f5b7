"""Counts in the database: the JSON answers staff group by, copied into
columns of their own, and one index that covers every count of the
dashboards, the campaign view and the RAT pack; the follow-up list's order as
an index for keyset paging

The copies are kept in step by portal.models (answer_columns) on every write;
this fills them for the records already there. Plain columns, not generated
ones: SQLite 3.40 computes a generated column from the row even when an index
holds its value, so the counts would read every row again.

Revision ID: e5a9c3d1f7b2
Revises: c4e1f0a7d2b3
Create Date: 2026-12-06 22:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5a9c3d1f7b2'
down_revision = 'c4e1f0a7d2b3'

# Each copy, as SQL over the JSON, for the records already stored.
COPIES = [
    ('shu_answer', sa.String(length=10), 'choices', 'shu', None),
    ('shu_kind', sa.String(length=10), 'choices', 'shu_cara', None),
    ('shu_value', sa.BigInteger(), 'choices', 'shu_nilai', 'BIGINT'),
    ('package', sa.String(length=20), 'choices', 'program', None),
    ('campaign', sa.String(length=30), 'source', 'kampanye', None),
    ('contact', sa.Boolean(), 'choices', 'setuju_dihubungi', 'BOOLEAN'),
]
REPLACED = {'ix_submissions_cooperative': 'cooperative', 'ix_submissions_state': 'state',
            'ix_submissions_follow_up_status': 'follow_up_status'}
COUNTS = ['cooperative', 'duplicate_of_id', 'state', 'follow_up_status', 'shu_answer', 'shu_kind', 'shu_value',
          'package', 'kabupaten', 'occupation', 'campaign', 'contact', 'created_at']


def _value(dialect: str, column: str, key: str, cast: str | None) -> str:
    if dialect == 'postgresql':
        text = f"({column} ->> '{key}')"
        if cast == 'BOOLEAN':
            return f"({text} = 'true')"
        return f"CAST({text} AS {cast})" if cast else text
    path = f"json_extract({column}, '$.{key}')"
    if cast == 'BOOLEAN':  # JSON true reads as 1 in SQLite
        return f"({path} IS 1 AND json_type({column}, '$.{key}') = 'true')"
    if cast == 'BIGINT':
        return f"(CASE WHEN json_type({column}, '$.{key}') = 'integer' THEN {path} END)"
    return path


def upgrade():
    dialect = op.get_bind().dialect.name
    for name, type_, _, _, _ in COPIES:
        op.add_column('submissions', sa.Column(name, type_, nullable=True))
    op.execute("UPDATE submissions SET " + ", ".join(
        f"{name} = {_value(dialect, column, key, cast)}" for name, _, column, key, cast in COPIES))
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
        for name, *_ in reversed(COPIES):
            batch.drop_column(name)
