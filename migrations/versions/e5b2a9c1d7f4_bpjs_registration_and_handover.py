"""Registration data for BPJS (NIK encrypted), branch layouts, handover batches and BPJS's answer

Revision ID: e5b2a9c1d7f4
Revises: e5a9c3d1f7b2
Create Date: 2026-12-06 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5b2a9c1d7f4'
down_revision = 'e5a9c3d1f7b2'


def upgrade():
    op.create_table(
        'bpjs_registrations',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('submission_id', sa.Integer(), sa.ForeignKey('submissions.id'), nullable=False, unique=True),
        sa.Column('nik_encrypted', sa.String(length=120), nullable=False),
        sa.Column('nik_hash', sa.String(length=64), nullable=False),
        sa.Column('ktp_name', sa.String(length=120), nullable=False),
        sa.Column('birth_date', sa.Date(), nullable=False),
        sa.Column('sex', sa.String(length=1), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=False),
        sa.Column('occupation', sa.String(length=20), nullable=False),
        sa.Column('kabupaten', sa.String(length=8), nullable=False),
        sa.Column('programme', sa.String(length=20), nullable=False),
        sa.Column('income', sa.Integer(), nullable=False),
        sa.Column('collection', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(length=40), nullable=False),
        sa.Column('kpj', sa.String(length=20), nullable=True),
    )
    op.create_index('ix_bpjs_registrations_nik_hash', 'bpjs_registrations', ['nik_hash'])
    op.create_table(
        'bpjs_branches',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('name', sa.String(length=80), nullable=False, unique=True),
        sa.Column('columns', sa.JSON(), nullable=False),
        sa.Column('date_format', sa.String(length=12), nullable=False),
        sa.Column('answer_columns', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(length=40), nullable=False),
    )
    op.create_table(
        'handover_batches',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('cooperative', sa.String(length=40), nullable=False),
        sa.Column('rat_id', sa.Integer(), sa.ForeignKey('rat_records.id'), nullable=False),
        sa.Column('branch_id', sa.Integer(), sa.ForeignKey('bpjs_branches.id'), nullable=False),
        sa.Column('start', sa.String(length=7), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=40), nullable=False),
        sa.Column('missing', sa.JSON(), nullable=False),
        sa.Column('answer_sha256', sa.String(length=64), nullable=True),
    )
    op.create_index('ix_handover_batches_cooperative', 'handover_batches', ['cooperative'])
    op.create_table(
        'handover_entries',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('batch_id', sa.Integer(), sa.ForeignKey('handover_batches.id'), nullable=False),
        sa.Column('submission_id', sa.Integer(), sa.ForeignKey('submissions.id'), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('months', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('first', sa.String(length=7), nullable=True),
        sa.Column('last', sa.String(length=7), nullable=True),
        sa.Column('result', sa.String(length=10), nullable=True),
        sa.Column('reason', sa.String(length=200), nullable=True),
        sa.Column('payment_code', sa.String(length=40), nullable=True),
        sa.Column('payment_amount', sa.Integer(), nullable=True),
        sa.Column('months_paid', sa.Integer(), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint('batch_id', 'submission_id', name='uq_handover_member'),
    )
    op.create_index('ix_handover_entries_batch_id', 'handover_entries', ['batch_id'])
    op.create_index('ix_handover_entries_submission_id', 'handover_entries', ['submission_id'])


def downgrade():
    op.drop_table('handover_entries')
    op.drop_table('handover_batches')
    op.drop_table('bpjs_branches')
    op.drop_table('bpjs_registrations')
