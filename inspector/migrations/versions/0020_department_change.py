"""which departments each change to the scores touched, so a sheet is brought up to date by
re-reading those departments instead of all of them

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('department_change',
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('department_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('version', 'department_id', name=op.f('pk_department_change'))
    )


def downgrade():
    op.drop_table('department_change')
