"""Home, language choice and the manifest."""

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from inspector.auth.views import safe_next
from inspector.clock import local_now
from inspector.extensions import db
from inspector.field.views import render_shell
from inspector.main.dashboard import home_summary
from inspector.main.more import more_links
from inspector.models import Role

# Their home is the offline-first field app's work list (static/js/screens/home.js).
FIELD_HOME = (Role.INSPECTOR, Role.LEAD)

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    """Show the signed-in user what to do next."""
    if current_user.role in FIELD_HOME:
        return render_shell()
    summary = home_summary(current_user, local_now().date())
    return render_template("main/index.html", summary=summary)


@bp.route("/more")
@login_required
def more():
    """Everything not on the main tabs, in groups: the rest of the work, then administration."""
    return render_template("main/more.html", groups=more_links(current_user.role))


@bp.route("/language", methods=["POST"])
def language():
    """Switch the interface language and remember the choice."""
    locale = request.form.get("locale")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_next(request.form.get("next")), code=303)


@bp.route("/manifest.webmanifest")
def manifest():
    """Describe the installable web app."""
    body = {
        "name": _("Inspector"),
        "short_name": _("Inspector"),
        "start_url": url_for("main.index"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b91c1c",
        "icons": [
            {
                "src": url_for("static", filename="icons/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": url_for("static", filename="icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
        ],
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return response
