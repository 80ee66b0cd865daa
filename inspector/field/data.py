"""What the field app keeps on the phone: the user, sites, checklists, their assignments and
findings to fix."""

from datetime import UTC, date, datetime

from flask import current_app, url_for
from flask_wtf.csrf import generate_csrf
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from inspector.activities.queries import active_kinds
from inspector.appeals.field import appeal_work
from inspector.checklists.lifecycle import offered
from inspector.checklists.services import checklist_document
from inspector.clock import local_now
from inspector.extensions import db
from inspector.field.work import closed_period, due_sites, my_inspections
from inspector.findings.permissions import visible_findings
from inspector.findings.serialize import is_overdue, photo_ids
from inspector.i18n.labels import ROLE_LABELS, SITE_KIND_LABELS
from inspector.inspections.permissions import may_author
from inspector.inspections.queries import SUGGESTED
from inspector.models import (
    Checklist,
    ChecklistSection,
    Department,
    Finding,
    FindingPhoto,
    FindingStatus,
    Role,
)
from inspector.notifications.inbox import unread_count
from inspector.organization.queries import sites_for_picking
from inspector.rounds.queries import my_assignments

MAX_FINDINGS = 300


def field_data(user) -> dict:
    """Everything `user` needs to work offline, with a fresh CSRF token."""
    inspects = may_author(user)
    today = local_now().date()
    sites = [site_json(site, visit) for site, visit in sites_for_picking(user)] if inspects else []
    return {
        "generated_at": datetime.now(UTC).isoformat(),
        "user": user_json(user, inspects),
        "csrf_token": generate_csrf(),
        "sites": sites,
        "templates": current_templates(user) if inspects else [],
        "findings": findings_to_fix(user, today),
        "inspections": my_inspections(user) if inspects else [],
        "due_sites": due_sites(user, sites) if inspects else [],
        "assignments": my_assignments(user, today, current_app.config) if inspects else [],
        "closed_period": closed_period(today),
        "appeals": appeal_work(user, current_app.config),
        "today": today.isoformat(),
        "unread": unread_count(user),  # the header's count, as of this data (offline too)
        "file_max_bytes": current_app.config["FILE_MAX_BYTES"],  # an activity's documents
        **activity_choices(user),
    }


def activity_choices(user) -> dict:
    """The kinds of activity, and the departments `user` may record them for."""
    departments = db.session.scalars(
        select(Department).where(Department.active).order_by(Department.code)
    ).all()
    if user.role == Role.LEAD:
        departments = [d for d in departments if d.id == user.department_id]
    return {
        "activity_kinds": [{"code": k.code, "name": k.name} for k in active_kinds()],
        "departments": [{"code": d.code, "name": d.name} for d in departments],
    }


def user_json(user, inspects) -> dict:
    return {
        "username": user.username,
        "name": user.name,
        "role": str(user.role),
        "role_label": str(ROLE_LABELS[user.role]),
        "department": user.department.code if user.department else None,
        "department_name": user.department.name if user.department else None,
        "inspects": inspects,
    }


def site_json(site, last_visit=None) -> dict:
    return {
        "code": site.code,
        "name": site.name,
        "kind": str(site.kind),
        "kind_label": str(SITE_KIND_LABELS[site.kind]),
        "department": site.department.name,
        "department_code": site.department.code,
        "suggested": SUGGESTED.get(site.kind),
        "last_visit": last_visit.date().isoformat() if last_visit else None,
    }


def current_templates(user) -> list:
    """The checklists `user` may start with (drafts for admins to try), in three queries."""
    checklists = db.session.scalars(
        offered(user)
        .where(Checklist.is_current)
        .order_by(Checklist.name)
        .options(selectinload(Checklist.sections).selectinload(ChecklistSection.items))
    )
    return [template_json(c) for c in checklists]


def template_json(checklist) -> dict:
    return {
        "id": checklist.id,
        "version": checklist.version,
        "status": str(checklist.status),
        "site_kinds": checklist.kinds,
        **checklist_document(checklist),
    }


def findings_to_fix(user, today: date) -> list:
    """Open findings for `user`, most overdue first, with their before photos.

    A lead: their department's. An inspector: those of their own rounds (opened by their
    inspections or by hand), not every department's. Reviewers: all they may fix.
    """
    stmt = visible_findings(user).where(Finding.status == FindingStatus.OPEN)
    if user.role == Role.INSPECTOR:
        stmt = stmt.where(or_(Finding.created_by_id == user.id, Finding.fixed_by_id == user.id))
    stmt = (
        stmt.order_by(Finding.due, Finding.id)
        .limit(MAX_FINDINGS)
        .options(
            joinedload(Finding.site),
            joinedload(Finding.department),
            selectinload(Finding.photos).joinedload(FindingPhoto.photo),
        )
    )
    return [finding_json(f, today) for f in db.session.scalars(stmt)]


def finding_json(finding, today) -> dict:
    return {
        "id": finding.uuid,
        "title": finding.title,
        "description": finding.description,
        "site": finding.site.code,
        "site_name": finding.site.name,
        "department": finding.department.name,
        "due": finding.due.isoformat() if finding.due else None,
        "overdue": is_overdue(finding, today),
        "before": [
            url_for("photos.show", uuid=u, variant="thumb") for u in photo_ids(finding, "before")
        ],
    }
