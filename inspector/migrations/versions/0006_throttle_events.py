"""failed sign-ins and token guesses, for throttling

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 22:45:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('throttle_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle_event'))
    )
    with op.batch_alter_table('throttle_event', schema=None) as batch_op:
        batch_op.create_index('ix_throttle_event_scope_key_at', ['scope', 'key', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('throttle_event', schema=None) as batch_op:
        batch_op.drop_index('ix_throttle_event_scope_key_at')
    op.drop_table('throttle_event')
