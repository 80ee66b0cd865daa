"""Sign-in, sign-out and the user's own account page."""

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from inspector import audit
from inspector.auth import accounts, devices, sessions, throttle
from inspector.auth import tokens as token_service
from inspector.auth.forms import LoginForm, PasswordForm
from inspector.auth.permissions import get_token_or_404
from inspector.auth.sessions import end_session, start_session
from inspector.extensions import db

bp = Blueprint("auth", __name__)


def safe_next(target):
    """Return `target` if it is a path on this site, else the home page."""
    parts = urlsplit(target or "")
    if (
        not target
        or parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
    ):
        return url_for("main.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    if session.get(sessions.TIMED_OUT):
        flash(sessions.sign_in_message(), "info")  # came here straight after a timeout
    form = LoginForm()
    if form.validate_on_submit():
        keys = throttle.login_keys(form.username.data, devices.nonce_for(form.username.data))
        wait = throttle.wait_seconds(keys)
        if wait:
            return too_many_failures(form, wait)
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is not None:
            start_signed_in(user)
            throttle.clear(keys)
            db.session.commit()
            response = redirect(safe_next(request.args.get("next")), code=303)
            return devices.remember(response, user)
        throttle.record_failure(keys)
        flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", form=form)


def too_many_failures(form, wait):
    """Answer 429: this account (or address) must wait before the next try."""
    flash(
        _(
            "Too many failed sign-ins. Try again in %(wait)s.",
            wait=format_timedelta(timedelta(seconds=wait), threshold=1.1, add_direction=False),
        ),
        "error",
    )
    return render_template("auth/login.html", form=form), 429, {"Retry-After": str(wait)}


def start_signed_in(user):
    """A fresh session for `user`: nothing carried over but the chosen language."""
    end_session()  # whatever this browser's session held, but its language
    login_user(user)
    start_session()
    if session.get("locale") and not user.locale:
        user.locale = session["locale"]
    if user.locale:
        session["locale"] = user.locale  # the sign-in page speaks it after this session ends
    audit.record(user, "user.login", user)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out everywhere: a new session key ends this user's sessions on every device."""
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        user.end_sessions()
        audit.record(user, "user.logout", user)
        db.session.commit()
    end_session()
    return redirect(url_for("auth.login"), code=303)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Change one's own password."""
    form = PasswordForm()
    if form.validate_on_submit():
        problem = accounts.password_problem(form.password.data, current_user.username)
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        elif problem:
            form.password.errors.append(problem)
        else:
            current_user.set_password(form.password.data)
            audit.record(current_user, "user.password", current_user)
            db.session.commit()
            # The new session key signs out every other session; renew this one.
            login_user(current_user._get_current_object())
            start_session()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.account"), code=303)
    return render_template("auth/account.html", form=form)


@bp.route("/account/tokens")
@login_required
def tokens():
    """List one's own API tokens."""
    owned = token_service.tokens_of(current_user)
    return render_template("auth/tokens.html", owner=current_user, tokens=owned)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id):
    """Revoke an API token: one's own, or anyone's for an admin. It stops working at once."""
    token = get_token_or_404(token_id)
    token_service.revoke_token(current_user, token)
    db.session.commit()
    flash(_("The token “%(label)s” no longer works.", label=token.label or token.id), "success")
    if token.user_id == current_user.id:
        return redirect(url_for("auth.tokens"), code=303)
    return redirect(url_for("admin.user_tokens", user_id=token.user_id), code=303)
