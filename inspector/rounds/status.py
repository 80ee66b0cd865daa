"""Where each assignment stands: `done` when its inspector submitted an inspection of that
site and checklist (any version of its code) within the round's dates, else its outcome
(`unable`, `refused`), else `open`. Computed, never stored: a returned inspection stops
counting, a corrected one counts again."""

from collections import defaultdict

from sqlalchemy import select

from inspector.extensions import db
from inspector.models import Checklist, Inspection, InspectionStatus
from inspector.periods import day_bounds

COUNTED = (InspectionStatus.SUBMITTED, InspectionStatus.APPROVED)
STATUSES = ("open", "done", "unable", "refused")


def statuses(assignments, settings) -> dict:
    """{assignment id: (status, uuid of the inspection that fulfils it or None)}."""
    by_round = defaultdict(list)
    for assignment in assignments:
        by_round[assignment.round].append(assignment)
    answer = {}
    for round_, members in by_round.items():
        fulfilled = inspections_for(round_, members, settings)
        for assignment in members:
            inspection = fulfilled.get((assignment.site_id, assignment.inspector_id))
            if inspection:
                answer[assignment.id] = ("done", inspection)
            elif assignment.outcome:
                answer[assignment.id] = (str(assignment.outcome), None)
            else:
                answer[assignment.id] = ("open", None)
    return answer


def status_of(assignment, settings):
    return statuses([assignment], settings)[assignment.id]


def inspections_for(round_, assignments, settings) -> dict:
    """{(site id, inspector id): the uuid of the first counted inspection in the round}."""
    start, end = day_bounds(round_.starts_on, round_.ends_on, settings["TIMEZONE"])
    versions = select(Checklist.id).where(Checklist.code == round_.checklist.code)
    rows = db.session.execute(
        select(Inspection.site_id, Inspection.inspector_id, Inspection.uuid)
        .where(
            Inspection.checklist_id.in_(versions),
            Inspection.status.in_(COUNTED),
            Inspection.submitted_at >= start,
            Inspection.submitted_at < end,
            Inspection.site_id.in_({a.site_id for a in assignments}),
            Inspection.inspector_id.in_({a.inspector_id for a in assignments}),
        )
        .order_by(Inspection.submitted_at, Inspection.id)
    )
    found = {}
    for site_id, inspector_id, uuid in rows:
        found.setdefault((site_id, inspector_id), uuid)
    return found
