"""Who an API request is from, read as plain values; the account's ORM entity only when used.

Authenticating a bearer token reads the account's row with a Core statement (`Caller`). Most
of what the answer needs (who the caller is, their role, department and language) is right
there. The account as an ORM entity, which the services take, is made from the same row on
first use of `g.api_user`, without a second query. Loading it through the ORM made the read
cost 152 µs instead of 86, and `GET /api/v1/me`, which needs no entity, went 292 → 195 µs
(issue 18, docs/benchmarks.md). A property of a custom `g` class is Flask's documented way to
make something lazily per request.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask.ctx import _AppCtxGlobals
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from inspector.database import read_only_part
from inspector.extensions import db
from inspector.models import Department, Role, User


def columns_of(model):
    """Every column attribute of `model`, by name."""
    return tuple(attribute.key for attribute in model.__mapper__.column_attrs)


ACCOUNT, DEPARTMENT = columns_of(User), columns_of(Department)


def selected_columns():
    """What a statement must select for Caller.from_row: the account's columns by their own
    names, its department's prefixed with "department__" (an outer join: None without one)."""
    return [
        *(User.__mapper__.columns[key].label(key) for key in ACCOUNT),
        *(Department.__mapper__.columns[key].label(f"department__{key}") for key in DEPARTMENT),
    ]


@dataclass(frozen=True, slots=True, repr=False)
class Caller:
    """A request's user as plain values: every column of their account, and of their
    department (None without one). What an answer needs is read from them."""

    account: Mapping[str, Any]
    department_row: Mapping[str, Any] | None

    @classmethod
    def from_row(cls, row):
        """The caller in a row of `selected_columns()`."""
        department = None
        if row["department__id"] is not None:
            department = {key: row[f"department__{key}"] for key in DEPARTMENT}
        return cls({key: row[key] for key in ACCOUNT}, department)

    @classmethod
    def of(cls, user):
        """The caller a loaded account is (the web session's user on the phone's API calls).

        Its department may not be loaded yet: it is read in a read-only part of its own, so in
        a write request that read does not take the write lock before the slow work (a photo's
        decoding) that must not hold it.
        """
        with read_only_part(keep_loaded=True):
            account = {key: getattr(user, key) for key in ACCOUNT}
            department = user.department
            if department is not None:
                department = {key: getattr(department, key) for key in DEPARTMENT}
        return cls(account, department)

    @property
    def id(self) -> int:
        return self.account["id"]

    @property
    def username(self) -> str:
        return self.account["username"]

    @property
    def role(self) -> Role:
        return self.account["role"]

    @property
    def locale(self) -> str | None:
        return self.account["locale"]

    @property
    def department(self) -> str | None:
        """The department's code."""
        return self.department_row["code"] if self.department_row else None

    def __repr__(self) -> str:
        # Not the row: it holds the account's password hash and session key.
        return f"<Caller {self.username} ({self.role})>"

    def user(self):
        """The account as an entity of the current session, made without a query.

        Its department is made too, so `user.department` needs no query either (the photo
        upload's stamp reads it while no transaction may be open). Each is as a query would have
        loaded it, with nothing to write: reading, changing and expiring work as for any loaded
        entity (a commit expires it; its next use reads it again). An entity the session already
        holds is used as it is, loaded or expired, like any other use of that entity.

        Attaching begins the session's transaction, and in a write request the next statement
        would then take the write lock, before the slow work that must not hold it: the
        attaching is a read-only part of its own, like the token's read it stands for.
        """
        with read_only_part(keep_loaded=True):
            department = None
            if self.department_row is not None:
                department = attached(Department, self.department_row)
            return attached(User, self.account, department=department)


def attached(model, columns, **related):
    """The session's entity of `model` with these columns: the one it holds, or one made from
    them (and the `related` entities, as if loaded with it) and attached as persistent and
    unchanged (SQLAlchemy's make_transient_to_detached).

    The values are set as committed, as a query sets them: no validator or event runs, so
    what the entity holds is the row exactly (User's username validator would otherwise
    recompute username_key).
    """
    session = db.session()
    held = session.identity_map.get(session.identity_key(model, columns["id"]))
    if held is not None:
        return held
    entity = model()
    for key, value in (*columns.items(), *related.items()):
        set_committed_value(entity, key, value)
    make_transient_to_detached(entity)
    session.add(entity)
    return entity


class RequestGlobals(_AppCtxGlobals):
    """Flask's `g`, with the API's user made on first use from `g.api_caller`."""

    # Flask's own writes straight into __dict__, past the setter below; this is Python's.
    __setattr__ = object.__setattr__

    @property
    def api_user(self):
        """The API caller's account as an ORM entity (AttributeError when no one is signed in)."""
        user = self.__dict__.get("_api_user")
        if user is None:
            caller = self.__dict__.get("api_caller")
            if caller is None:
                raise AttributeError("api_user")
            user = self._api_user = caller.user()
        return user

    @api_user.setter
    def api_user(self, user):
        """Set an account already loaded (the web session's user); its caller comes with it."""
        self._api_user = user
        self.api_caller = Caller.of(user)
