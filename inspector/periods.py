"""Dates and periods in the deployment's time zone. Pure: no Flask, no database."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def parse_timestamp(text: str, zone: str) -> datetime:
    """Parse ISO 8601; a time without an offset is read in `zone`. Returns aware UTC."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(UTC)


def day_bounds(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    """Return [start, end) in UTC covering local days `first` to `last` inclusive."""
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_date(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()
