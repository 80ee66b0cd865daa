"""a checklist remembers when it was retired, so inspections begun offline before that still land

An inspector's phone keeps the checklists it was given and may start an inspection with one
hours before it reaches the server; if an admin retired the checklist in between, the
inspection begun while it was still offered is accepted (docs/checklists.md).
Checklists retired before this migration take the time of their last `checklist.retire` in
the audit trail.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 23:50:00

"""
from alembic import op
import sqlalchemy as sa

from inspector.migrations.sqlite import foreign_keys_off_on_sqlite
from inspector.models._columns import UTCDateTime


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('checklist', sa.Column('retired_at', UTCDateTime(), nullable=True))
    op.execute(
        "UPDATE checklist SET retired_at = ("
        " SELECT max(audit_event.at) FROM audit_event JOIN checklist AS version"
        " ON audit_event.object_id = CAST(version.id AS VARCHAR(64))"
        " WHERE audit_event.action = 'checklist.retire'"
        " AND audit_event.object_type = 'checklist' AND version.code = checklist.code)"
        " WHERE status = 'retired'"
    )


def downgrade():
    with foreign_keys_off_on_sqlite(), op.batch_alter_table('checklist') as batch_op:
        batch_op.drop_column('retired_at')
