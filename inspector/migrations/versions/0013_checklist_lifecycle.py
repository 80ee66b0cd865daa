"""checklists have a lifecycle (draft, published, retired) and may be limited to site kinds

Existing checklists were offered to everyone at every site, so they become published with
no site kinds (all of them).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 15:40:00

"""
from alembic import op
import sqlalchemy as sa

from inspector.migrations.sqlite import foreign_keys_off_on_sqlite


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checklist', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.Enum('draft', 'published', 'retired', name='checkliststatus', native_enum=False, length=16), nullable=False, server_default='published'))
        batch_op.add_column(sa.Column('site_kinds', sa.String(length=64), nullable=False, server_default=''))


def downgrade():
    with foreign_keys_off_on_sqlite(), op.batch_alter_table('checklist') as batch_op:
        batch_op.drop_column('site_kinds')
        batch_op.drop_column('status')
