"""Closing a year's evaluation: its results kept as they were, marks refused until reopened.

Like a closed score period: the evaluation follows the records (provisional) until a
supervisor closes the year; then every department's and the whole unit's results are kept and
answered as they were, whatever changes later. Only an admin reopens it; both are audited.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inspector import audit
from inspector.errors import ConflictError
from inspector.extensions import db
from inspector.frameworks.evaluation import evaluation, evaluation_json
from inspector.models import Department, EvaluationClosure

UNIT = ""  # the key of the whole unit's results


def closure_of(framework, year):
    return db.session.scalar(
        select(EvaluationClosure).where(
            EvaluationClosure.framework_code == framework.code, EvaluationClosure.year == year
        )
    )


def live_answer(framework, year, department, zone):
    result = evaluation(framework, year, department, zone)
    return {**evaluation_json(framework, year, department, result), "closed": False}


def current_answer(framework, year, department, zone):
    """The evaluation as the API answers it: kept results once the year is closed."""
    closure = closure_of(framework, year)
    key = department.code if department else UNIT
    if closure is not None and key in closure.results:
        return {**closure.results[key], "closed": True}
    return live_answer(framework, year, department, zone)


def close_evaluation(actor, framework, year, zone):
    """Keep the year's results for the unit and every department (the caller commits)."""
    if closure_of(framework, year) is not None:
        raise ConflictError(_l("This year's evaluation is already closed."), code="closed")
    departments = db.session.scalars(select(Department).where(Department.active)).all()
    results = {UNIT: live_answer(framework, year, None, zone)}
    for department in departments:
        results[department.code] = live_answer(framework, year, department, zone)
    closure = EvaluationClosure(
        framework_code=framework.code, year=year, results=results, closed_by_id=actor.id
    )
    try:
        with db.session.begin_nested():  # another close of the year at this moment: one wins
            db.session.add(closure)
    except IntegrityError:
        raise ConflictError(
            _l("This year's evaluation is already closed."), code="closed"
        ) from None
    audit.record(actor, "evaluation.close", closure, code=framework.code, year=year)
    return closure


def reopen_evaluation(actor, framework, year):
    """Let the year's evaluation follow the records again (admins)."""
    closure = closure_of(framework, year)
    if closure is None:
        raise ConflictError(_l("This year's evaluation is not closed."), code="not_closed")
    audit.record(actor, "evaluation.reopen", closure, code=framework.code, year=year)
    db.session.delete(closure)


def refuse_if_closed(framework, year):
    if closure_of(framework, year) is not None:
        raise ConflictError(
            _l("This year's evaluation is closed; an admin must reopen it first."),
            code="period_closed",
        )
