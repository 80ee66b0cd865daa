"""Read-only queries behind the inspection screens."""

from sqlalchemy import func, select

from inspector.extensions import db
from inspector.inspections.permissions import visible_to
from inspector.models import Inspection, InspectionStatus, Role, SiteKind

# Which demo checklist suits which kind of site; others follow in name order.
SUGGESTED = {
    SiteKind.OFFICE: "office-weekly",
    SiteKind.PUBLIC: "civilised-behaviour",
    SiteKind.RESIDENTIAL: "residential-cleanup",
}


def suggested_first(checklists, site):
    wanted = SUGGESTED.get(site.kind)
    return sorted(checklists, key=lambda c: (c.code != wanted, c.name))


def inspection_groups(user, narrow=lambda stmt: stmt):
    """The user's inspections in groups to act on, most urgent first, each narrowed."""
    # In the order of the time each row shows: when it was submitted, or for a draft its last
    # change (a review or a correction changes updated_at, not the day it was submitted).
    shown = func.coalesce(Inspection.submitted_at, Inspection.updated_at)
    recent = narrow(visible_to(user)).order_by(shown.desc(), Inspection.id.desc())
    groups = []
    if user.role in (Role.INSPECTOR, Role.ADMIN):
        mine = recent.where(Inspection.inspector_id == user.id)
        groups.append(("returned", mine.where(Inspection.status == InspectionStatus.RETURNED)))
        groups.append(("drafts", mine.where(Inspection.status == InspectionStatus.DRAFT)))
    done_statuses = [InspectionStatus.SUBMITTED, InspectionStatus.APPROVED]
    if user.role in (Role.SUPERVISOR, Role.ADMIN):
        groups.append(("to_review", recent.where(Inspection.status == InspectionStatus.SUBMITTED)))
        done_statuses = [InspectionStatus.APPROVED]  # the submitted ones are listed above
    done = recent.where(Inspection.status.in_(done_statuses))
    groups.append(("recent", done))
    return [(name, db.session.scalars(stmt.limit(100)).all()) for name, stmt in groups]


def answers_by_key(inspection):
    return {response.item.key: response for response in inspection.responses}


def open_draft(user, site, checklist):
    """The user's unfinished draft of this checklist at this site, if there is one."""
    return db.session.scalar(
        select(Inspection)
        .where(
            Inspection.inspector_id == user.id,
            Inspection.site_id == site.id,
            Inspection.checklist_id == checklist.id,
            Inspection.status == InspectionStatus.DRAFT,
        )
        .order_by(Inspection.updated_at.desc())
        .limit(1)
    )
