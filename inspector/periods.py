"""Dates and periods in the deployment's time zone. Pure: no Flask, no database.

Every date and time the app reads lies from FIRST_DAY to LAST_DAY, as written (before any
time zone is applied): wide enough for any real record, and far enough from the ends of
Python's calendar (years 1 and 9999) that shifting by a time zone, a week or a dozen periods
never leaves it.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


class OutOfRangeError(ValueError):
    """A well-formed date or time outside FIRST_DAY..LAST_DAY."""

    def __init__(self):
        super().__init__(f"dates run from {FIRST_DAY} to {LAST_DAY}")


def in_range(day: date) -> date:
    """Return `day` if it lies in FIRST_DAY..LAST_DAY; OutOfRangeError if not."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise OutOfRangeError()
    return day


def parse_day(text: str) -> date:
    """Parse a date, YYYY-MM-DD, from FIRST_DAY to LAST_DAY; ValueError if not."""
    return in_range(date.fromisoformat(text))


def parse_timestamp(text: str, zone: str) -> datetime:
    """Parse ISO 8601; a time without an offset is read in `zone`. Returns aware UTC.

    The date as written must lie in FIRST_DAY..LAST_DAY (ValueError if not).
    """
    return to_utc(datetime.fromisoformat(text), zone)


def to_utc(moment: datetime, zone: str) -> datetime:
    """`moment` in UTC, a naive one read in `zone`; OutOfRangeError if its date is out of range."""
    in_range(moment.date())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC)


def iso(moment: datetime | None) -> str | None:
    """A time as ISO 8601 text, or None."""
    return moment.isoformat() if moment else None


def day_bounds(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    """Return [start, end) in UTC covering local days `first` to `last` inclusive."""
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_date(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


@dataclass(frozen=True)
class Period:
    """A span of local days, first and last inclusive, of one kind."""

    kind: str  # "week", "month", "quarter", "year" or "range"
    first: date
    last: date

    @property
    def key(self) -> str:
        """A short name that parse_period reads back: 2026-W48, 2026-11, 2026-Q4, 2026."""
        if self.kind == "week":
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.first.year)
        return f"{self.first}..{self.last}"

    def previous(self) -> "Period":
        if self.kind == "range":
            days = (self.last - self.first).days + 1
            return Period(
                "range", self.first - timedelta(days=days), self.last - timedelta(days=days)
            )
        return period_containing(self.first - timedelta(days=1), self.kind)

    def next(self) -> "Period":
        if self.kind == "range":
            days = (self.last - self.first).days + 1
            return Period(
                "range", self.first + timedelta(days=days), self.last + timedelta(days=days)
            )
        return period_containing(self.last + timedelta(days=1), self.kind)

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last


KINDS = ("week", "month", "quarter", "year")


def period_containing(day: date, kind: str) -> Period:
    """The ISO week (Monday to Sunday), month, quarter or year that holds `day`."""
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        return Period(kind, first, first + timedelta(days=6))
    if kind == "month":
        return Period(kind, day.replace(day=1), month_end(day.year, day.month))
    if kind == "quarter":
        start_month = (day.month - 1) // 3 * 3 + 1
        return Period(kind, date(day.year, start_month, 1), month_end(day.year, start_month + 2))
    if kind == "year":
        return Period(kind, date(day.year, 1, 1), date(day.year, 12, 31))
    raise ValueError(f"unknown period kind {kind!r}")


def period_of_days(first: date, last: date) -> Period:
    """The week, month, quarter or year that is exactly first..last, else a range."""
    for kind in KINDS:
        period = period_containing(first, kind)
        if period.first == first and period.last == last:
            return period
    return Period("range", first, last)


def month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def parse_period(text: str) -> Period:
    """Read a period key: 2026-W48, 2026-11, 2026-Q4, 2026 or 2026-11-01..2026-11-30.

    ValueError if it is none of these, or reaches outside FIRST_DAY..LAST_DAY.
    """
    try:
        period = read_period((text or "").strip())
    except OverflowError:
        raise OutOfRangeError() from None
    in_range(period.first)
    in_range(period.last)
    return period


def read_period(text: str) -> Period:
    if ".." in text:
        first, last = (date.fromisoformat(part) for part in text.split("..", 1))
        if last < first:
            raise ValueError("a range must end on or after its start")
        return Period("range", first, last)
    if "-W" in text:
        year, week = text.split("-W")
        return period_containing(date.fromisocalendar(int(year), int(week), 1), "week")
    if "-Q" in text:
        year, quarter = text.split("-Q")
        if not 1 <= int(quarter) <= 4:
            raise ValueError("a quarter is 1 to 4")
        return period_containing(date(int(year), int(quarter) * 3 - 2, 1), "quarter")
    if len(text) == 7:
        return period_containing(date.fromisoformat(text + "-01"), "month")
    if len(text) == 4 and text.isdigit():
        return period_containing(date(int(text), 1, 1), "year")
    raise ValueError(f"not a period: {text!r}")


def last_periods(period: Period, count: int) -> list[Period]:
    """`count` periods ending with `period`, oldest first."""
    periods = [period]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods[::-1]
