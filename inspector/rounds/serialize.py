"""Rounds and assignments as the API answers them."""

from inspector.rounds.status import statuses


def assignment_json(assignment, status, today) -> dict:
    state, inspection = status
    round_ = assignment.round
    return {
        "id": assignment.uuid,
        "round": round_.uuid,
        "round_title": round_.title,
        "template": round_.checklist_id,
        "from": round_.starts_on.isoformat(),
        "to": round_.ends_on.isoformat(),
        "site": assignment.site.code,
        "site_name": assignment.site.name,
        "department": assignment.site.department.code,
        "inspector": assignment.inspector.username,
        "status": state,
        "overdue": state == "open" and round_.ends_on < today,
        "inspection": inspection,
        "reason": assignment.reason if assignment.outcome else None,
        "photos": [p.photo.uuid for p in assignment.photos] if assignment.outcome else [],
    }


def assignments_json(assignments, settings, today) -> list:
    found = statuses(assignments, settings)
    return [assignment_json(a, found[a.id], today) for a in assignments]


def round_json(round_, assignments, settings, today) -> dict:
    body = {
        "id": round_.uuid,
        "title": round_.title,
        "template": round_.checklist_id,
        "template_name": round_.checklist.name,
        "from": round_.starts_on.isoformat(),
        "to": round_.ends_on.isoformat(),
        "hidden": round_.hidden,
        "series": round_.series,
        "assignments": assignments_json(assignments, settings, today),
    }
    if round_.sample is not None:
        body["sample"] = round_.sample
    return body
