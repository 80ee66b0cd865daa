"""The JSON form of an inspection, as the API answers it."""

from inspector.inspections.amendments import amendment_json, answer_in_force
from inspector.periods import iso


def inspection_json(inspection) -> dict:
    review = None
    if inspection.reviewed_at:
        review = {
            "by": inspection.reviewed_by.username,
            "at": iso(inspection.reviewed_at),
            "comment": inspection.review_comment,
        }
    location = None
    if inspection.lat is not None:
        location = {"lat": inspection.lat, "lon": inspection.lon}
    answer = {
        "id": inspection.uuid,
        "status": str(inspection.status),
        "site": inspection.site.code,
        "department": inspection.department.code,
        "template": inspection.checklist_id,
        "template_code": inspection.checklist.code,
        "template_version": inspection.checklist.version,
        "inspector": inspection.inspector.username,
        "started_at": iso(inspection.started_at),
        "submitted_at": iso(inspection.submitted_at),
        "location": location,
        "score": {
            "earned": inspection.earned,
            "possible": inspection.possible,
            "percent": inspection.percent,
        },
        "critical_failed": inspection.critical_failed,
        "responses": [response_json(r) for r in inspection.responses],
        "amendments": [amendment_json(a) for a in inspection.amendments],
        "review": review,
        "updated_at": iso(inspection.updated_at),
    }
    if inspection.inspector_signature or inspection.representative_signature:
        answer["signatures"] = signatures_json(inspection)
    return answer


def signatures_json(inspection) -> dict:
    drawn = (inspection.inspector_signature, inspection.representative_signature)
    inspector, representative = (photo.uuid if photo else None for photo in drawn)
    return {
        "inspector": inspector,
        "representative": representative,
        "representative_name": inspection.representative_name,
    }


def response_json(response) -> dict:
    """One answer as now in force (an amended one shows the ruling; `amendments` the history)."""
    return {
        "item": response.item.key,
        "answer": answer_in_force(response.inspection, response),
        "note": response.note,
        "photos": [link.photo.uuid for link in response.photos],
        "earned": response.earned,
        "possible": response.possible,
        "failed": response.failed,
    }
