"""Read-only queries behind the inspection screens."""

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from inspector.extensions import db
from inspector.inspections.permissions import visible_to
from inspector.models import Inspection, InspectionStatus, Role, Site, SiteKind

# Which demo checklist suits which kind of site; others follow in name order.
SUGGESTED = {
    SiteKind.OFFICE: "office-weekly",
    SiteKind.PUBLIC: "civilised-behaviour",
    SiteKind.RESIDENTIAL: "residential-cleanup",
}


def site_or_404(code):
    site = db.session.scalar(select(Site).where(Site.code == code, Site.active))
    if site is None:
        abort(404)
    return site


def sites_for_picking(user, q=""):
    """Active sites, the ones this user inspected most recently first."""
    last_visit = (
        select(Inspection.site_id, func.max(Inspection.started_at).label("at"))
        .where(Inspection.inspector_id == user.id)
        .group_by(Inspection.site_id)
        .subquery()
    )
    stmt = (
        select(Site, last_visit.c.at)
        .outerjoin(last_visit, last_visit.c.site_id == Site.id)
        .where(Site.active)
        .order_by(last_visit.c.at.desc().nulls_last(), Site.code)
        .options(joinedload(Site.department))
    )
    if q:
        stmt = stmt.where(
            Site.name.contains(q, autoescape=True) | Site.code.contains(q, autoescape=True)
        )
    return db.session.execute(stmt.limit(500)).all()


def suggested_first(checklists, site):
    wanted = SUGGESTED.get(site.kind)
    return sorted(checklists, key=lambda c: (c.code != wanted, c.name))


def inspection_groups(user):
    """The user's inspections in groups to act on, most urgent first."""
    recent = visible_to(user).order_by(Inspection.updated_at.desc())
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
