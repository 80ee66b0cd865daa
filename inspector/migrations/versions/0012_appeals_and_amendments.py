"""appeals (申诉) against deductions, and the amendments an overturn makes

An appeal names one item of a submitted inspection (one per item, ever); an overturn adds an
amendment row and leaves the answer row as the inspector gave it. Findings gain the resolution
"overturned" (a string column of length 16: no schema change).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 15:28:17.015179

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('appeal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'withdrawn', 'upheld', 'overturned', name='appealstatus', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=False),
    sa.Column('decision_answer', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_appeal_author_id_user')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_appeal_decided_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_appeal_department_id_department')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_appeal_inspection_id_inspection')),
    sa.ForeignKeyConstraint(['item_id'], ['checklist_item.id'], name=op.f('fk_appeal_item_id_checklist_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal')),
    sa.UniqueConstraint('inspection_id', 'item_id', name=op.f('uq_appeal_inspection_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_appeal_uuid'))
    )
    with op.batch_alter_table('appeal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appeal_inspection_id'), ['inspection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appeal_status'), ['status'], unique=False)

    op.create_table('amendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=True),
    sa.Column('answer_from', sa.JSON(), nullable=False),
    sa.Column('answer_to', sa.JSON(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('score_before', sa.JSON(), nullable=False),
    sa.Column('score_after', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeal.id'], name=op.f('fk_amendment_appeal_id_appeal')),
    sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_amendment_by_id_user')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_amendment_inspection_id_inspection'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['checklist_item.id'], name=op.f('fk_amendment_item_id_checklist_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment'))
    )
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('appeal_photo',
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeal.id'], name=op.f('fk_appeal_photo_appeal_id_appeal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], name=op.f('fk_appeal_photo_photo_id_photo')),
    sa.PrimaryKeyConstraint('appeal_id', 'photo_id', name=op.f('pk_appeal_photo'))
    )
    with op.batch_alter_table('appeal_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_photo_photo_id'), ['photo_id'], unique=False)



def downgrade():
    with op.batch_alter_table('appeal_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeal_photo_photo_id'))

    op.drop_table('appeal_photo')
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_inspection_id'))

    op.drop_table('amendment')
    with op.batch_alter_table('appeal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeal_status'))
        batch_op.drop_index(batch_op.f('ix_appeal_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_appeal_department_id'))

    op.drop_table('appeal')
