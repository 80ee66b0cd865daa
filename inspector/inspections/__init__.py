"""Inspections (督查): the phone flow to pick a site, answer a checklist and submit."""

from flask import Blueprint

bp = Blueprint("inspections", __name__, url_prefix="/inspections")

from inspector.inspections import views  # noqa: E402,F401  (views attach to bp)
