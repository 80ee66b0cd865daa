"""The JSON API v1 for programs and the offline phone client."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from inspector.api import (  # noqa: E402,F401  (handlers attach to bp)
    auth,
    findings,
    inspections,
    photos,
    scores,
    templates,
    views,
)
