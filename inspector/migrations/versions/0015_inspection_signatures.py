"""inspections keep the signatures drawn on the phone; evidence archives built in the background

The inspection report (PDF) prints the signatures above the signature lines. Each is an uploaded image
(a photo row: stored, hashed and served like any photo); the representative's name is typed.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 16:00:00

"""
from alembic import op
import sqlalchemy as sa

from inspector.migrations.sqlite import foreign_keys_off_on_sqlite


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


SIGNATURES = ('inspector_signature_id', 'representative_signature_id')


def upgrade():
    # SQLite adds a column with its foreign key in place. Batch mode would copy the table and
    # drop the old one, which the answers' foreign keys to it forbid once inspections exist.
    if op.get_bind().dialect.name == 'sqlite':
        for column in SIGNATURES:
            op.execute(
                f'ALTER TABLE inspection ADD COLUMN {column} INTEGER '
                f'CONSTRAINT fk_inspection_{column}_photo REFERENCES photo (id)'
            )
    else:
        for column in SIGNATURES:
            op.add_column('inspection', sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(f'fk_inspection_{column}_photo', 'inspection', 'photo', [column], ['id'])
    op.add_column('inspection', sa.Column('representative_name', sa.String(length=100), nullable=False, server_default=''))
    # The year's archive (台账), asked for on a screen and built by the worker.
    op.create_table(
        'document_archive',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('first', sa.Date(), nullable=False),
        sa.Column('last', sa.Date(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('status', sa.Enum('pending', 'building', 'ready', 'failed', name='archivestatus', native_enum=False, length=16), nullable=False),
        sa.Column('file_key', sa.String(length=200), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('documents', sa.Integer(), nullable=True),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_document_archive_requested_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_archive')),
    )
    with op.batch_alter_table('document_archive', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_archive_requested_by_id'), ['requested_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('document_archive', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_archive_requested_by_id'))
    op.drop_table('document_archive')
    with foreign_keys_off_on_sqlite(), op.batch_alter_table('inspection') as batch_op:
        batch_op.drop_column('representative_name')
        for column in SIGNATURES:
            if op.get_bind().dialect.name != 'sqlite':
                batch_op.drop_constraint(f'fk_inspection_{column}_photo', type_='foreignkey')
            batch_op.drop_column(column)
