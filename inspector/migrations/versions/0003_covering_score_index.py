"""covering index for score roll-ups

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 21:05:00.000000

The roll-ups filter inspections by department, submitted_at and status and sum percent
and critical_failed. ix_inspection_dept_submitted_score starts with the same two columns
as ix_inspection_dept_submitted, which it replaces, and also holds the three columns the
roll-up reads, so a score sheet is answered from the index alone (see docs/benchmarks.md).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(
            'ix_inspection_dept_submitted_score',
            ['department_id', 'submitted_at', 'status', 'percent', 'critical_failed'],
            unique=False,
        )
        batch_op.drop_index('ix_inspection_dept_submitted')


def downgrade():
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(
            'ix_inspection_dept_submitted', ['department_id', 'submitted_at'], unique=False
        )
        batch_op.drop_index('ix_inspection_dept_submitted_score')
