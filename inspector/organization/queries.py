"""Finding departments and sites by code: the one place the views and services look them up."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from inspector.extensions import db
from inspector.models import Department, Inspection, Site


def department_by_code(code):
    """The department with this code, or None."""
    return db.session.scalar(select(Department).where(Department.code == code))


def department_or_404(code):
    return db.first_or_404(select(Department).where(Department.code == code))


def active_site(code):
    """The active site with this code, or None (a retired site takes no new records)."""
    return db.session.scalar(select(Site).where(Site.code == code, Site.active))


def site_or_404(code):
    return db.first_or_404(select(Site).where(Site.code == code, Site.active))


def sites_for_picking(user, q=""):
    """Active sites, the ones this user inspected most recently first: (site, last visit)."""
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
