"""data version counters for cached score sheets

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 22:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('data_version',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('counter', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_version'))
    )
    op.bulk_insert(table, [{'name': 'scores', 'counter': 0}])


def downgrade():
    op.drop_table('data_version')
