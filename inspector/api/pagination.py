"""Keyset paging for API lists: `limit` and an opaque `next` link."""

from flask import request

from inspector.extensions import db
from inspector.inputs import int_arg
from inspector.limits import MAX_ID
from inspector.urls import public_url

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def page(stmt, id_column, serialize):
    """Answer one page of `stmt`, ordered by `id_column`, as {"items", "next"}."""
    limit = int_arg("limit", DEFAULT_LIMIT, low=1, high=MAX_LIMIT)
    after = int_arg("after", 0, low=0, high=MAX_ID)
    rows = db.session.scalars(
        stmt.where(id_column > after).order_by(id_column).limit(limit + 1)
    ).all()
    next_url = None
    if len(rows) > limit:
        rows = rows[:limit]
        args = {**request.args.to_dict(), "after": rows[-1].id, "limit": limit}
        next_url = public_url(request.endpoint, **(request.view_args or {}), **args)
    return {"items": [serialize(row) for row in rows], "next": next_url}
