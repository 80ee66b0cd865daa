"""findings name the item that opened them, and how they were closed

A finding pointed at the answer row that failed; correcting a returned inspection rewrites its
answers, and deleting an answer a finding pointed at failed (a foreign key error). Findings now
name the checklist item instead, and say how a closed one ended (accepted fix, or withdrawn
because the corrected inspection no longer fails the item).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('resolution', sa.Enum('accepted', 'withdrawn', name='findingresolution', native_enum=False, length=16), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_finding_item_id_checklist_item'), 'checklist_item', ['item_id'], ['id'])
    op.execute(
        "UPDATE finding SET item_id = "
        "(SELECT response.item_id FROM response WHERE response.id = finding.response_id) "
        "WHERE response_id IS NOT NULL"
    )
    op.execute("UPDATE finding SET resolution = 'accepted' WHERE status = 'closed'")
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_finding_response_id_response'), type_='foreignkey')
        batch_op.drop_column('response_id')


def downgrade():
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_finding_response_id_response'), 'response', ['response_id'], ['id'])
    op.execute(
        "UPDATE finding SET response_id = (SELECT response.id FROM response "
        "WHERE response.inspection_id = finding.inspection_id "
        "AND response.item_id = finding.item_id)"
    )
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_finding_item_id_checklist_item'), type_='foreignkey')
        batch_op.drop_column('resolution')
        batch_op.drop_column('item_id')
