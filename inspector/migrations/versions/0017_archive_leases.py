"""an archive being built is held by a lease its builder renews; a stopped builder's runs out

A worker killed in the middle of a year's archive left it "building" for ever. The builder now
renews `lease_until` as it writes; the minute's sweep puts an archive whose lease ran out back
to pending (up to three builds), and only the holder of `builder` may finish it.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 23:40:00

"""
from alembic import op
import sqlalchemy as sa

from inspector.migrations.sqlite import foreign_keys_off_on_sqlite
from inspector.models._columns import UTCDateTime


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('document_archive', sa.Column('builder', sa.String(length=32), nullable=True))
    op.add_column('document_archive', sa.Column('lease_until', UTCDateTime(), nullable=True))
    op.add_column(
        'document_archive',
        sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'),
    )


def downgrade():
    with foreign_keys_off_on_sqlite(), op.batch_alter_table('document_archive') as batch_op:
        batch_op.drop_column('attempts')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('builder')
