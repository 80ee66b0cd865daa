"""events (the outbox), channels, deliveries and their attempts, the inbox; users' email

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

KIND = sa.Enum('webhook', 'wecom', 'dingtalk', 'email', name='channelkind', native_enum=False, length=16)
STATUS = sa.Enum('pending', 'delivered', 'failed', name='deliverystatus', native_enum=False, length=16)


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('record_key', sa.String(length=80), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('dispatched_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_event_actor_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_event_department_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    op.create_index('ix_event_dispatched_at_id', 'event', ['dispatched_at', 'id'], unique=False)

    op.create_table('job_run',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', 'period', name=op.f('pk_job_run'))
    )

    op.create_table('overdue_notice',
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.Column('due', sa.String(length=10), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['finding.id'], name=op.f('fk_overdue_notice_finding_id_finding'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('finding_id', 'due', 'level', name=op.f('pk_overdue_notice'))
    )

    op.create_table('channel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', KIND, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('target', sa.String(length=2000), nullable=False),
    sa.Column('secret', sa.String(length=200), nullable=False),
    sa.Column('events', sa.JSON(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_channel_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_channel_department_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel'))
    )

    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', KIND, nullable=False),
    sa.Column('target', sa.String(length=32), nullable=False),
    sa.Column('record_key', sa.String(length=80), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('status', STATUS, nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retry_since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('held_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status_code', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channel.id'], name=op.f('fk_delivery_channel_id_channel')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_delivery_event_id_event')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_delivery_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery')),
    sa.UniqueConstraint('uuid', name=op.f('uq_delivery_uuid'))
    )
    op.create_index('ix_delivery_status_next_attempt_at', 'delivery', ['status', 'next_attempt_at'], unique=False)
    op.create_index('ix_delivery_target_record_key_id', 'delivery', ['target', 'record_key', 'id'], unique=False)
    op.create_index('ix_delivery_channel_id_id', 'delivery', ['channel_id', 'id'], unique=False)
    op.create_index(op.f('ix_delivery_event_id'), 'delivery', ['event_id'], unique=False)
    op.create_index(op.f('ix_delivery_user_id'), 'delivery', ['user_id'], unique=False)

    op.create_table('delivery_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=200), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('fk_delivery_attempt_delivery_id_delivery'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_attempt'))
    )
    op.create_index(op.f('ix_delivery_attempt_delivery_id'), 'delivery_attempt', ['delivery_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_notification_event_id_event')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    op.create_index('ix_notification_user_id_read_at', 'notification', ['user_id', 'read_at'], unique=False)


def downgrade():
    op.drop_index('ix_notification_user_id_read_at', table_name='notification')
    op.drop_table('notification')
    op.drop_index(op.f('ix_delivery_attempt_delivery_id'), table_name='delivery_attempt')
    op.drop_table('delivery_attempt')
    for name in ('ix_delivery_user_id', 'ix_delivery_event_id', 'ix_delivery_channel_id_id',
                 'ix_delivery_target_record_key_id', 'ix_delivery_status_next_attempt_at'):
        op.drop_index(name, table_name='delivery')
    op.drop_table('delivery')
    op.drop_table('channel')
    op.drop_table('overdue_notice')
    op.drop_table('job_run')
    op.drop_index('ix_event_dispatched_at_id', table_name='event')
    op.drop_table('event')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('email')
