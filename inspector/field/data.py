"""What the field app keeps on the phone: sites, checklists and findings to fix."""

from datetime import date

from flask import url_for
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from inspector.checklists.services import checklist_document
from inspector.clock import local_now
from inspector.extensions import db
from inspector.findings.permissions import visible_findings
from inspector.findings.serialize import is_overdue, photo_ids
from inspector.inspections.permissions import may_author
from inspector.inspections.queries import SUGGESTED
from inspector.models import Checklist, ChecklistSection, Finding, FindingPhoto, FindingStatus
from inspector.organization.queries import sites_for_picking

MAX_FINDINGS = 300


def field_data(user) -> dict:
    inspects = may_author(user)
    today = local_now().date()
    return {
        "user": {
            "username": user.username,
            "name": user.name,
            "role": str(user.role),
            "department": user.department.code if user.department else None,
            "inspects": inspects,
        },
        "csrf_token": generate_csrf(),
        "sites": [site_json(site) for site, _ in sites_for_picking(user)] if inspects else [],
        "templates": current_templates() if inspects else [],
        "findings": findings_to_fix(user, today),
        "today": today.isoformat(),
    }


def site_json(site) -> dict:
    return {
        "code": site.code,
        "name": site.name,
        "kind": str(site.kind),
        "department": site.department.name,
        "suggested": SUGGESTED.get(site.kind),
    }


def current_templates() -> list:
    """The current version of each checklist, loaded in three queries, not one per section."""
    checklists = db.session.scalars(
        select(Checklist)
        .where(Checklist.is_current)
        .order_by(Checklist.name)
        .options(selectinload(Checklist.sections).selectinload(ChecklistSection.items))
    )
    return [template_json(c) for c in checklists]


def template_json(checklist) -> dict:
    return {"id": checklist.id, "version": checklist.version, **checklist_document(checklist)}


def findings_to_fix(user, today: date) -> list:
    """Open findings the user may fix, most overdue first, with their before photos."""
    stmt = (
        visible_findings(user)
        .where(Finding.status == FindingStatus.OPEN)
        .order_by(Finding.due, Finding.id)
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
