"""Amendments: a ruling on appeal changes what an answer counts for, never the answer itself.

The response row keeps the answer the inspector gave; an Amendment records the answer in force
from then on (`answer_from` → `answer_to`), who made it, when, on which appeal, and the
inspection's score before and after. The stored scores (the response's earned, possible and
failed; the inspection's earned, possible, percent and critical_failed) follow the answers in
force, so every score sheet, hot spot and finding reads the ruling without knowing about it.
"""

from inspector import audit, scoring
from inspector.checklists.services import scoring_item, scoring_items
from inspector.models import Amendment
from inspector.models._columns import utcnow
from inspector.periods import iso


def answer_in_force(inspection, response):
    """The response's answer after the inspection's amendments (Response.answer_in_force)."""
    return response.answer_in_force


def score_json(inspection) -> dict:
    return {
        "earned": inspection.earned,
        "possible": inspection.possible,
        "percent": inspection.percent,
    }


def rescore(inspection, checklist):
    """Store the scores of the answers in force on the responses and the inspection."""
    answers = {}
    for response in inspection.responses:
        answer = answer_in_force(inspection, response)
        result = scoring.score_item(scoring_item(response.item), answer)
        response.earned, response.possible = result.earned, result.possible
        response.failed = result.failed
        answers[response.item.key] = answer
    score = scoring.score_inspection(scoring_items(checklist), answers)
    inspection.earned, inspection.possible = score.earned, score.possible
    inspection.percent, inspection.critical_failed = score.percent, score.critical_failed


def amend(actor, inspection, response, answer, appeal=None):
    """Put `answer` in force for the response's item, recording the change and the scores."""
    before = score_json(inspection)
    amendment = Amendment(
        item_id=response.item_id,
        item=response.item,
        appeal=appeal,
        answer_from=answer_in_force(inspection, response),
        answer_to=answer,
        by_id=actor.id,
        at=utcnow(),
        score_before=before,
        score_after=before,  # until rescored below
    )
    inspection.amendments.append(amendment)
    rescore(inspection, inspection.checklist)
    amendment.score_after = score_json(inspection)
    audit.record(
        actor,
        "inspection.amend",
        inspection,
        item=response.item.key,
        answer_from=amendment.answer_from,
        answer_to=answer,
        appeal=appeal.uuid if appeal is not None else None,
        score_before=before,
        score_after=amendment.score_after,
    )
    return amendment


def amendment_json(amendment) -> dict:
    return {
        "item": amendment.item.key,
        "from": amendment.answer_from,
        "to": amendment.answer_to,
        "appeal": amendment.appeal.uuid if amendment.appeal is not None else None,
        "by": amendment.by.username,
        "at": iso(amendment.at),
        "score_before": amendment.score_before,
        "score_after": amendment.score_after,
    }
