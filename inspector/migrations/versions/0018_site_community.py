"""sites belong to a community (社区, 村): rounds draw from some communities, or one per community

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 23:55:00

"""
from alembic import op
import sqlalchemy as sa

from inspector.migrations.sqlite import foreign_keys_off_on_sqlite


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        'site',
        sa.Column('community', sa.String(length=100), nullable=False, server_default=''),
    )


def downgrade():
    with foreign_keys_off_on_sqlite(), op.batch_alter_table('site') as batch_op:
        batch_op.drop_column('community')
