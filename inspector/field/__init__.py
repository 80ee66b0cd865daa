"""The phone app for field work (/field/): inspect and fix findings with or without a network."""

from flask import Blueprint

# No url_prefix: the service worker lives at /sw.js, the rest under /field/.
bp = Blueprint("field", __name__)

from inspector.field import views  # noqa: E402,F401  (views attach to bp)
