"""at most one close in force per span of days: two supervisors closing at once make one close

Without it, two closes of the same week sent at the same moment on PostgreSQL both found none
in force and both were kept; reopening then lifted one, and the week stayed closed. A partial
unique index (SQLite and PostgreSQL both have them) lets the second insert fail, and the close
answers 409 like any close of a closed period.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 00:35:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    # Closes already doubled (the race above): keep the first of each span in force.
    op.execute(
        "UPDATE closed_period SET reopened_at = closed_at, reopened_by_id = closed_by_id "
        "WHERE reopened_at IS NULL AND EXISTS (SELECT 1 FROM closed_period AS earlier "
        "WHERE earlier.first = closed_period.first AND earlier.last = closed_period.last "
        "AND earlier.reopened_at IS NULL AND earlier.id < closed_period.id)"
    )
    op.create_index(
        'ix_closed_period_in_force', 'closed_period', ['first', 'last'], unique=True,
        sqlite_where=sa.text('reopened_at IS NULL'),
        postgresql_where=sa.text('reopened_at IS NULL'),
    )


def downgrade():
    op.drop_index('ix_closed_period_in_force', table_name='closed_period')
