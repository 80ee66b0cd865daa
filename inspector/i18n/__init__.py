"""Language and time zone: chosen per user, else from the browser."""

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user

from inspector.i18n import templating


def select_locale():
    """Pick the user's saved language (signed in, or the API's bearer of a token), then the
    session's, then the browser's."""
    if not has_request_context():
        return "en"  # command-line messages are for administrators, in English
    languages = current_app.config["LANGUAGES"]
    user = g.get("api_caller") or (current_user if current_user.is_authenticated else None)
    if user is not None and user.locale in languages:
        return user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone():
    """Show every time in the deployment's time zone."""
    return current_app.config["TIMEZONE"]


def init_app(app, babel):
    """Bind Flask-Babel to these choices and give templates their helpers."""
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    templating.register(app)
