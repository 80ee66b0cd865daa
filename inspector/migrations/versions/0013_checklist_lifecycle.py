"""checklists have a lifecycle (draft, published, retired) and may be limited to site kinds

Existing checklists were offered to everyone at every site, so they become published with
no site kinds (all of them).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 15:40:00

"""
import contextlib

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


@contextlib.contextmanager
def foreign_keys_off_on_sqlite():
    """SQLite's batch mode copies a table and drops the old one, which the foreign keys of
    rows pointing at it forbid: switch them off around it (only possible between
    transactions, so this one is committed first and another begun)."""
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        op.execute('COMMIT')
        op.execute('PRAGMA foreign_keys=OFF')
        op.execute('BEGIN')
    yield
    if sqlite:
        op.execute('COMMIT')
        op.execute('PRAGMA foreign_keys=ON')
        op.execute('BEGIN')


def upgrade():
    with op.batch_alter_table('checklist', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.Enum('draft', 'published', 'retired', name='checkliststatus', native_enum=False, length=16), nullable=False, server_default='published'))
        batch_op.add_column(sa.Column('site_kinds', sa.String(length=64), nullable=False, server_default=''))


def downgrade():
    with foreign_keys_off_on_sqlite(), op.batch_alter_table('checklist') as batch_op:
        batch_op.drop_column('site_kinds')
        batch_op.drop_column('status')
