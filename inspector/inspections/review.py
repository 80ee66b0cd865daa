"""The review queue: narrowing inspections by department, inspector, site and dates, and
approving several at once. The caller commits once."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from inspector.errors import DomainError
from inspector.extensions import db
from inspector.inspections.services import review_inspection
from inspector.models import Department, Inspection, Role, Site, User
from inspector.periods import day_bounds, parse_day

MAX_BULK = 200  # one confirmation page stays readable and one request stays short


@dataclass
class QueueFilter:
    department: str = ""
    inspector: str = ""
    site: str = ""
    first: date | None = None
    last: date | None = None
    faults: dict = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return any((self.department, self.inspector, self.site, self.first, self.last))

    def args(self) -> dict:
        """The query string that gives this filter again (for links and going back)."""
        values = {
            "department": self.department,
            "inspector": self.inspector,
            "site": self.site,
            "from": self.first.isoformat() if self.first else "",
            "to": self.last.isoformat() if self.last else "",
        }
        return {name: value for name, value in values.items() if value}


def read_filter(args) -> QueueFilter:
    """Read the filter from query arguments; a date that is not one is named, not a 500."""
    chosen = QueueFilter(
        department=args.get("department", "").strip()[:32],
        inspector=args.get("inspector", "").strip()[:64],
        site=args.get("site", "").strip()[:32],
    )
    for name, attr in (("from", "first"), ("to", "last")):
        text = args.get(name, "").strip()
        if text:
            try:
                setattr(chosen, attr, parse_day(text))
            except ValueError:
                chosen.faults[name] = text
    return chosen


def narrow(stmt, chosen: QueueFilter, zone):
    """Apply the filter to a query of inspections (dates: the local day submitted)."""
    if chosen.department:
        stmt = stmt.where(
            Inspection.department_id.in_(
                select(Department.id).where(Department.code == chosen.department)
            )
        )
    if chosen.inspector:
        stmt = stmt.where(
            Inspection.inspector_id.in_(select(User.id).where(User.username == chosen.inspector))
        )
    if chosen.site:
        stmt = stmt.where(Inspection.site_id.in_(select(Site.id).where(Site.code == chosen.site)))
    if chosen.first:
        stmt = stmt.where(
            Inspection.submitted_at >= day_bounds(chosen.first, chosen.first, zone)[0]
        )
    if chosen.last:
        stmt = stmt.where(Inspection.submitted_at < day_bounds(chosen.last, chosen.last, zone)[1])
    return stmt


def filter_choices() -> dict:
    """What the filter's selects offer: every department, inspector and site."""
    return {
        "departments": db.session.scalars(select(Department).order_by(Department.code)).all(),
        "inspectors": db.session.scalars(
            select(User).where(User.role.in_((Role.INSPECTOR, Role.ADMIN))).order_by(User.username)
        ).all(),
        "sites": db.session.scalars(select(Site).order_by(Site.code)).all(),
    }


def approve_many(actor, inspections, settings):
    """Approve each inspection that can be; return (approved, [(inspection, reason), ...])."""
    approved, skipped = [], []
    for inspection in inspections:
        try:
            review_inspection(actor, inspection, "approve", "", settings)
        except DomainError as refusal:
            skipped.append((inspection, refusal.message))
        else:
            approved.append(inspection)
    return approved, skipped
