"""The JSON form of a finding, as the API answers it."""

from inspector.models import FindingStatus
from inspector.periods import iso


def is_overdue(finding, today) -> bool:
    """Still open after its due day (a fix waiting for verification is not overdue)."""
    return finding.status == FindingStatus.OPEN and finding.due is not None and finding.due < today


def photo_ids(finding, stage):
    return [link.photo.uuid for link in finding.photos if link.stage == stage]


def finding_json(finding, today) -> dict:
    fix = verification = None
    if finding.fixed_at:
        fix = {
            "by": finding.fixed_by.username,
            "at": iso(finding.fixed_at),
            "note": finding.fix_note,
        }
    if finding.verified_at:
        verification = {
            "by": finding.verified_by.username,
            "at": iso(finding.verified_at),
            "comment": finding.verify_comment,
        }
    return {
        "id": finding.uuid,
        "status": str(finding.status),
        "site": finding.site.code,
        "department": finding.department.code,
        "title": finding.title,
        "description": finding.description,
        "due": finding.due.isoformat() if finding.due else None,
        "overdue": is_overdue(finding, today),
        "inspection": finding.inspection.uuid if finding.inspection else None,
        "before_photos": photo_ids(finding, "before"),
        "after_photos": photo_ids(finding, "after"),
        "fix": fix,
        "verification": verification,
        "resolution": str(finding.resolution) if finding.resolution else None,
        "created_at": iso(finding.created_at),
    }
