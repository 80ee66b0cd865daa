"""Activity screens: record one on the phone, and the week's list per department."""

from flask import Blueprint

bp = Blueprint("activities", __name__, url_prefix="/activities")
