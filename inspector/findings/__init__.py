"""Findings (整改): problems found, fixed with after photos, and verified."""

from flask import Blueprint

bp = Blueprint("findings", __name__, url_prefix="/findings")

from inspector.findings import views  # noqa: E402,F401  (views attach to bp)
