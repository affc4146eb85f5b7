"""The idempotency key moves onto the submission it made

One row, one unique index and one statement fewer for every submission:
the key was only ever looked up to find its submission.

Revision ID: c4e1f0a7d2b3
Revises: bd723deac73a
Create Date: 2026-12-05 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4e1f0a7d2b3'
down_revision = 'bd723deac73a'


def upgrade():
    op.add_column('submissions', sa.Column('idempotency_key', sa.String(length=64), nullable=True))
    # Dropped with the table: makes the copy one look-up per row, not one scan.
    op.create_index('ix_idempotency_keys_submission_id', 'idempotency_keys', ['submission_id'])
    op.execute("UPDATE submissions SET idempotency_key = (SELECT MIN(k.key) FROM idempotency_keys k "
               "WHERE k.submission_id = submissions.id)")
    op.create_index('ix_submissions_idempotency_key', 'submissions', ['idempotency_key'], unique=True)
    op.drop_table('idempotency_keys')


def downgrade():
    op.create_table('idempotency_keys',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ),
    sa.PrimaryKeyConstraint('key')
    )
    op.execute("INSERT INTO idempotency_keys (key, submission_id, created_at) "
               "SELECT idempotency_key, id, created_at FROM submissions WHERE idempotency_key IS NOT NULL")
    op.drop_index('ix_submissions_idempotency_key', table_name='submissions')
    # Native DROP COLUMN (SQLite 3.35+, PostgreSQL): rebuilding the table
    # would check every event's foreign key against it.
    op.execute("ALTER TABLE submissions DROP COLUMN idempotency_key")
