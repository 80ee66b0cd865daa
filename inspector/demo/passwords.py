"""Whether an account still has the published demo password: a banner on every signed-in page.

Cheap enough for every page: seed-demo keeps the hash it gave each demo account, so the check is
a comparison of two columns, never a password hash computed per request. A "yes" is asked again
on each page, so the banner goes as soon as the last demo password is changed; a "no" is
trusted for a minute by each process, so a real deployment pays one small query a minute.
"""

import functools
import time

from flask import current_app
from sqlalchemy import select

from inspector.extensions import db
from inspector.models import User

TRUST_NO_FOR = 60  # seconds
CACHE_KEY = "inspector.no_demo_password_until"


def mark(users):
    """Remember that `users` got the demo password (their hash as it is now)."""
    for user in users:
        user.demo_password_hash = user.password_hash


def in_use() -> bool:
    """Tell whether any active account still has the password seed-demo gave it."""
    if current_app.extensions.get(CACHE_KEY, 0) > time.monotonic():
        return False
    found = db.session.scalar(demo_account_query())
    if found is None:
        current_app.extensions[CACHE_KEY] = time.monotonic() + TRUST_NO_FOR
    return found is not None


@functools.cache
def demo_account_query():
    """Built once: while the demo accounts are in use, every page runs it."""
    return (
        select(User.id).where(User.active, User.demo_password_hash == User.password_hash).limit(1)
    )


def forget():
    """After seed-demo in this process: look again at once."""
    current_app.extensions.pop(CACHE_KEY, None)


def init_app(app):
    app.jinja_env.globals["demo_password_in_use"] = in_use
