"""Accounts: creating and changing users, checking passwords (API tokens: auth/tokens.py)."""

import functools
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from inspector import audit
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.models import Role, User
from inspector.models.accounts import new_session_key, normalize_username
from inspector.organization.queries import department_by_code

COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "1234567890",
        "12345678910",
        "qwertyuiop",
        "0123456789",
        "abcdefghij",
        "iloveyou12",
        "1q2w3e4r5t",
        "a123456789",
        "admin12345",
        "woaini1314",
    }
)


def password_problem(password, username=""):
    """Return why a password is too weak, or None when it is acceptable."""
    minimum = current_app.config["MIN_PASSWORD_LENGTH"]
    if len(password) < minimum:
        return _l("Use at least %(n)d characters.", n=minimum)
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return _l("This password is too easy to guess.")
    if username and username.lower() in password.lower():
        return _l("The password must not contain the username.")
    return None


def create_user(actor, username, password, role, department_code=None, display_name=""):
    """Create a user after checking every rule; raise ValidationError naming the faults."""
    errors = {}
    username = (username or "").strip()
    key = normalize_username(username)
    if not key or max(len(username), len(key)) > 64 or not key.isprintable() or " " in key:
        errors["username"] = _l("Enter a username of up to 64 characters, without spaces.")
    elif db.session.scalar(select(User.id).where(User.username_key == key)):
        errors["username"] = _l("This username is already taken.")
    if role not in set(Role):
        errors["role"] = _l("Choose a valid role.")
    department = None
    if department_code:
        department = department_by_code(department_code)
        if department is None:
            errors["department"] = _l("Unknown department.")
    elif role == Role.LEAD:
        errors["department"] = _l("A department lead needs a department.")
    problem = password_problem(password or "", username)
    if problem:
        errors["password"] = problem
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username, role=Role(role), department=department, display_name=display_name.strip()
    )
    user.set_password(password)
    db.session.add(user)
    audit.record(
        actor, "user.create", user, username=username, role=str(role), department=department_code
    )
    return user


def authenticate(username, password):
    """Return the active user with this username and password, or None."""
    # Phone keyboards capitalise the first letter and may type full-width: "Ａdmin" is admin.
    user = db.session.scalar(select(User).where(User.username_key == normalize_username(username)))
    if user is None:
        # Hash anyway so timing does not tell which usernames exist.
        check_password_hash(dummy_hash(), password or "")
        return None
    if not user.check_password(password or "") or not user.active:
        return None
    return user


@functools.cache
def dummy_hash():
    return generate_password_hash(secrets.token_hex(16))


def update_user(actor, user, role, department_code, active, display_name="", password=None):
    """Change a user's role, department, status or password; audit every change."""
    errors = {}
    if role not in set(Role):
        errors["role"] = _l("Choose a valid role.")
    department = department_by_code(department_code) if department_code else None
    if department_code and department is None:
        errors["department"] = _l("Unknown department.")
    elif role == Role.LEAD and department is None:
        errors["department"] = _l("A department lead needs a department.")
    problem = password_problem(password, user.username) if password else None
    if problem:
        errors["password"] = problem
    if user.id == actor.id and (role != Role.ADMIN or not active):
        errors["role"] = _l("You cannot remove your own administrator rights.")
    if errors:
        raise ValidationError(errors)
    if user.role != role:
        audit.record(actor, "user.role", user, old=str(user.role), new=str(role))
    if user.active != active:
        audit.record(actor, "user.activate" if active else "user.deactivate", user)
        user.session_key = new_session_key()  # a deactivated user is signed out at once
    if password:
        user.set_password(password)
        audit.record(actor, "user.password_reset", user)
    user.role, user.department, user.active = Role(role), department, active
    user.display_name = (display_name or "").strip()[:100]
    return user
