"""The current time in the deployment's time zone (TIMEZONE)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_now() -> datetime:
    """Return the current time in the deployment's time zone."""
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"]))
