"""Checklists (检查表): the admin screens to write, import and export them."""

from flask import Blueprint

bp = Blueprint("checklists", __name__, url_prefix="/checklists")

from inspector.checklists import views  # noqa: E402,F401  (views attach to bp)
