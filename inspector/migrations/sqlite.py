"""What migrations need to change tables on SQLite: shared, so each one says it in one line."""

import contextlib

from alembic import op


@contextlib.contextmanager
def foreign_keys_off_on_sqlite():
    """SQLite's batch mode copies a table and drops the old one, which the foreign keys of
    rows pointing at it forbid: switch them off around it (only possible between
    transactions, so this one is committed first and another begun). Elsewhere, nothing."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("COMMIT")
        op.execute("PRAGMA foreign_keys=OFF")
        op.execute("BEGIN")
    yield
    if sqlite:
        op.execute("COMMIT")
        op.execute("PRAGMA foreign_keys=ON")
        op.execute("BEGIN")
