"""campaigns and draft notes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 20:53:21.832041

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_campaign_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign'))
    )
    op.create_table('campaign_site',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_site_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_campaign_site_site_id_site')),
    sa.PrimaryKeyConstraint('campaign_id', 'site_id', name=op.f('pk_campaign_site'))
    )
    op.create_table('draft_note',
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('photos', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_draft_note_inspection_id_inspection'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('inspection_id', 'item_key', name=op.f('pk_draft_note'))
    )
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_finding_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_finding_campaign_id_campaign'), 'campaign', ['campaign_id'], ['id'])



def downgrade():
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_finding_campaign_id_campaign'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_finding_campaign_id'))
        batch_op.drop_column('campaign_id')

    op.drop_table('draft_note')
    op.drop_table('campaign_site')
    op.drop_table('campaign')
