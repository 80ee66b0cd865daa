"""The JSON form of an appeal, as the API answers it."""

from inspector.models import AppealStatus
from inspector.periods import iso

DECISIONS = {AppealStatus.UPHELD: "uphold", AppealStatus.OVERTURNED: "overturn"}


def appeal_json(appeal) -> dict:
    decision = None
    if appeal.status in DECISIONS:
        decision = {
            "decision": DECISIONS[appeal.status],
            "by": appeal.decided_by.username,
            "at": iso(appeal.decided_at),
            "comment": appeal.decision_comment,
            "answer": appeal.decision_answer,
        }
    return {
        "id": appeal.uuid,
        "inspection": appeal.inspection.uuid,
        "item": appeal.item.key,
        "department": appeal.department.code,
        "site": appeal.inspection.site.code,
        "author": appeal.author.username,
        "inspector": appeal.inspection.inspector.username,
        "status": str(appeal.status),
        "reason": appeal.reason,
        "photos": [link.photo.uuid for link in appeal.photos],
        "created_at": iso(appeal.created_at),
        "withdrawn_at": iso(appeal.withdrawn_at),
        "decision": decision,
    }
