"""inspections keep the signatures drawn on the phone: the inspector's and the representative's

The inspection report (PDF) prints them above the signature lines. Each is an uploaded image
(a photo row: stored, hashed and served like any photo); the representative's name is typed.

Revision ID: 0013
Revises: 0009
Create Date: 2026-11-29 16:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0009'
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


def downgrade():
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_column('representative_name')
        for column in SIGNATURES:
            if op.get_bind().dialect.name != 'sqlite':
                batch_op.drop_constraint(f'fk_inspection_{column}_photo', type_='foreignkey')
            batch_op.drop_column(column)
