"""The field app's shell, its data for offline use, and the service worker that caches both.

The shell is one page; static/js/field*.js draws its screens from /field/data.json, keeps
work in IndexedDB and sends it through the JSON API's idempotent PUTs (docs/offline.md).
"""

import hashlib

from flask import Blueprint, current_app, jsonify, render_template, url_for
from flask_login import current_user, login_required

from inspector.field.data import field_data

# No url_prefix: the service worker lives at /sw.js, the rest under /field/.
bp = Blueprint("field", __name__)

# What the service worker keeps for offline use, besides the shell itself.
ASSETS = (
    "css/app.css",
    "js/field-db.js",
    "js/field-photos.js",
    "js/field-queue.js",
    "js/field.js",
    "js/sw-register.js",
    "icons/icon-192.png",
)


@bp.route("/field/")
@login_required
def app():
    """The shell: the same page for every screen of the field app."""
    return render_template("field/app.html")


@bp.route("/field/data.json")
@login_required
def data():
    """Everything the signed-in user needs to work offline, and a fresh CSRF token."""
    response = jsonify(field_data(current_user))
    response.headers["Cache-Control"] = "no-store"
    return response


def asset_urls():
    return [url_for("static", filename=name) for name in ASSETS]


@bp.route("/sw.js")
def service_worker():
    """The service worker, at the site root so it can answer any page when offline."""
    urls = asset_urls()
    shell_url = url_for("field.app")
    version = hashlib.sha256(" ".join([shell_url, *urls]).encode()).hexdigest()[:12]
    body = render_template("field/sw.js", assets=urls, shell_url=shell_url, version=version)
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
