"""Photos: uploading evidence and serving its re-encoded copies to those who may see it."""

from flask import Blueprint

bp = Blueprint("photos", __name__, url_prefix="/photos")

from inspector.photos import views  # noqa: E402,F401  (views attach to bp)
