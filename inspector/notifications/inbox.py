"""The in-app inbox: a person's messages, the unread count in the header, marking read."""

import functools
from datetime import UTC, datetime

from flask_babel import get_locale
from sqlalchemy import bindparam, func, select, update

from inspector.extensions import db
from inspector.models import Notification
from inspector.notifications.messages import render

PAGE = 100


def unread_count(user) -> int:
    """One count on the (user_id, read_at) index: cheap enough for every page."""
    return db.session.scalar(unread_query(), {"user_id": user.id})


@functools.cache
def unread_query():
    """Built once: every page's header runs it (building costs more than running it)."""
    return (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))
    )


def latest(user, unread_only=False, limit=PAGE):
    """The user's newest messages, each with its text in the reader's language."""
    stmt = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    rows = db.session.scalars(stmt.order_by(Notification.id.desc()).limit(limit)).all()
    return [(row, drawn(row)) for row in rows]


def drawn(notification):
    data = notification.data or {}
    return render(
        notification.name, data, str(get_locale()), data.get("_department"), absolute=False
    )


def get_own_or_404(user, notification_id):
    from flask import abort

    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        abort(404)
    return notification


def mark_read(user, notification=None):
    """Mark one message, or all of the user's, read."""
    stmt = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification is not None:
        stmt = stmt.where(Notification.id == notification.id)
    db.session.execute(stmt.values(read_at=datetime.now(UTC)))


def notify(user_id, name, data):
    """Put a message in one person's inbox (not from an event: e.g. an archive is ready)."""
    db.session.add(Notification(user_id=user_id, name=name, data=data))
