"""Cleanup campaigns (环境整治): spots found, fixed and verified, with a before/after archive."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")

from inspector.campaigns import views  # noqa: E402,F401  (views attach to bp)
