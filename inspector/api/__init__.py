"""The JSON API v1 for programs and the offline phone client."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
