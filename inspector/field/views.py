"""The field app's shell, its data for offline use, and the service worker that caches both.

The shell is one page for every field screen (home, start, the inspection, review, my
inspections, findings); static/js/app.js draws the screen its path names from data kept on
the phone, keeps work in IndexedDB and sends it through the JSON API (docs/offline.md).
"""

import hashlib
from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, url_for
from flask_login import current_user, login_required

from inspector.assets import file_hash
from inspector.field.data import field_data

# No url_prefix: the service worker lives at /sw.js, the rest under /field/.
bp = Blueprint("field", __name__)


# Versioned files every page loads (served under ?v=<hash>, cached for a year).
ASSETS = ("css/app.css", "js/sw-register.js", "js/sync-mark.js", "icons/icon-192.png")
# Shown on the field screens: this header tells the service worker to keep the page as the
# shell for offline use.
SHELL_HEADER = "X-Inspector-Shell"


def render_shell():
    """The shell, with the user's field data in it, so it works offline as it was sent."""
    response = current_app.make_response(
        render_template("field/app.html", field_data=field_data(current_user))
    )
    response.headers[SHELL_HEADER] = "1"
    return response


@bp.route("/field/")
@login_required
def app():
    """The shell: the same page for every screen of the field app."""
    return render_shell()


@bp.route("/field/<path:screen>")
@login_required
def screen(screen):
    """Any field screen (/field/start, /field/inspections/<uuid>, ...): the same shell."""
    return render_shell()


@bp.route("/field/data.json")
@login_required
def data():
    """Everything the signed-in user needs to work offline, and a fresh CSRF token."""
    response = jsonify(field_data(current_user))
    response.headers["Cache-Control"] = "no-store"
    return response


def module_paths():
    """The field app's ES modules, by the unversioned URLs their imports use."""
    folder = Path(current_app.static_folder) / "js"
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.js"))
    return [f"js/{name}" for name in names]


@bp.route("/sw.js")
def service_worker():
    """The service worker, at the site root so it can answer any page when offline."""
    assets = [url_for("static", filename=name) for name in ASSETS]
    modules = [f"{current_app.static_url_path}/{name}" for name in module_paths()]
    hashes = [file_hash(current_app, name) or "" for name in module_paths()]
    shell_url = url_for("field.app")
    version = hashlib.sha256(" ".join([shell_url, *assets, *hashes]).encode()).hexdigest()[:12]
    body = render_template(
        "field/sw.js",
        assets=assets,
        modules=modules,
        shell_url=shell_url,
        version=version,
        shell_header=SHELL_HEADER,
    )
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
