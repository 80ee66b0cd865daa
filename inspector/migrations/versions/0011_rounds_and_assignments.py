"""rounds and assignments

A round plans who inspects which site between two dates, the sites listed or drawn at random
(the draw kept with the round); an assignment ends done (an inspection), unable or refused.
Sites get a location and a radius: inspections made outside it, or without GPS, are flagged.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 15:28:15.003308

"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

def upgrade():
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('lon', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('radius_m', sa.Integer(), nullable=True))
    op.create_table('round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('checklist_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('sample', sa.JSON(), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('series', sa.String(length=36), nullable=True),
    sa.Column('body_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['checklist_id'], ['checklist.id'], name=op.f('fk_round_checklist_id_checklist')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_round_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round')),
    sa.UniqueConstraint('uuid', name=op.f('uq_round_uuid'))
    )
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_checklist_id'), ['checklist_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_series'), ['series'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_starts_on'), ['starts_on'], unique=False)

    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('inspector_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('unable', 'refused', name='assignmentoutcome', native_enum=False, length=16), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['inspector_id'], ['user.id'], name=op.f('fk_assignment_inspector_id_user')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_assignment_round_id_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_assignment_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment')),
    sa.UniqueConstraint('round_id', 'site_id', name=op.f('uq_assignment_round_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_assignment_uuid'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_inspector_id'), ['inspector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_site_id'), ['site_id'], unique=False)

    op.create_table('assignment_photo',
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_assignment_photo_assignment_id_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['photo_id'], ['photo.id'], name=op.f('fk_assignment_photo_photo_id_photo')),
    sa.PrimaryKeyConstraint('assignment_id', 'photo_id', name=op.f('pk_assignment_photo'))
    )
    with op.batch_alter_table('assignment_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_photo_photo_id'), ['photo_id'], unique=False)

def downgrade():
    with op.batch_alter_table('assignment_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_photo_photo_id'))

    op.drop_table('assignment_photo')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_site_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_round_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_inspector_id'))

    op.drop_table('assignment')
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_starts_on'))
        batch_op.drop_index(batch_op.f('ix_round_series'))
        batch_op.drop_index(batch_op.f('ix_round_checklist_id'))

    op.drop_table('round')
    with op.batch_alter_table('site', schema=None) as batch_op:
        batch_op.drop_column('radius_m')
        batch_op.drop_column('lon')
        batch_op.drop_column('lat')

