"""token lifecycle (expiry, last use), sign-in by normalised username, demo password marker

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 09:00:00

Written by hand. API tokens get an expiry and the time of their last use.
`user.username_key` is the username as sign-in and throttling see it (NFKC, case-folded,
stripped); existing users get theirs here. `user.demo_password_hash` is the hash seed-demo
gave an account; demo accounts seeded before this revision that still have the published
password get it here, so the warning banner shows for them too.
"""
import unicodedata

from alembic import op
import sqlalchemy as sa
from werkzeug.security import check_password_hash


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def normalize_username(text):
    # A frozen copy of inspector.models.accounts.normalize_username, as of this revision.
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text or "").casefold())
    return folded.strip()


def fill_username_keys():
    users = sa.table("user", sa.column("id", sa.Integer), sa.column("username", sa.String),
                     sa.column("username_key", sa.String))
    connection = op.get_bind()
    keys = {}
    for ident, username in connection.execute(sa.select(users.c.id, users.c.username)):
        keys.setdefault(normalize_username(username), []).append(username)
        connection.execute(users.update().where(users.c.id == ident)
                           .values(username_key=normalize_username(username)))
    clashes = [names for names in keys.values() if len(names) > 1]
    if clashes:
        raise RuntimeError(
            "These usernames differ only in case or width; rename all but one of each, then "
            f"upgrade again: {clashes}"
        )


# Frozen copies of inspector/demo.py's accounts and password, as of this revision. The password
# is the published demo one (README), looked for so that it can be warned about.
DEMO_PASSWORD = "wenming-2026"  # nosec B105
DEMO_USERNAMES = ["admin", "supervisor", "inspector", "inspector2"] + [
    f"lead-{code}" for code in ("office", "finance", "personnel", "property", "engineering",
                                "security", "canteen", "vehicles")
]


def mark_demo_passwords():
    users = sa.table("user", sa.column("id", sa.Integer), sa.column("username", sa.String),
                     sa.column("password_hash", sa.String),
                     sa.column("demo_password_hash", sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c.password_hash)
                              .where(users.c.username.in_(DEMO_USERNAMES))).all()
    for ident, password_hash in rows:
        if check_password_hash(password_hash, DEMO_PASSWORD):
            connection.execute(users.update().where(users.c.id == ident)
                               .values(demo_password_hash=password_hash))


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('username_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('demo_password_hash', sa.String(length=256), nullable=True))
    fill_username_keys()
    mark_demo_passwords()
    # Counts kept under the old throttling policy's keys would never be read or cleaned up again
    # (they cover the last 15 minutes at most): the new policy starts from none.
    op.execute("DELETE FROM throttle_event")
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('username_key', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_user_username_key'), ['username_key'])


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_username_key'), type_='unique')
        batch_op.drop_column('demo_password_hash')
        batch_op.drop_column('username_key')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')
