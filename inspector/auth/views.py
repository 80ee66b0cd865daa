"""Sign-in, sign-out and the user's own account page."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from inspector import accounts, audit
from inspector.auth import bp
from inspector.auth.forms import LoginForm, PasswordForm
from inspector.extensions import db


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
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is not None:
            locale = session.get("locale")
            session.clear()  # a fresh session at sign-in: nothing carried over
            login_user(user)
            if locale and not user.locale:
                user.locale = locale
            audit.record(user, "user.login", user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")), code=303)
        flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out and forget the session."""
    logout_user()
    session.clear()
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
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.account"), code=303)
    return render_template("auth/account.html", form=form)
