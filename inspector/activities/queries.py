"""Read-only queries behind the activity screens: a week's records and its expectations."""

from sqlalchemy import func, or_, select

from inspector.activities.permissions import visible_activities
from inspector.extensions import db
from inspector.models import Activity, ActivityKind, Department


def week_activities(user, week, department=None):
    stmt = visible_activities(user).where(Activity.date >= week.first, Activity.date <= week.last)
    if department is not None:
        stmt = stmt.where(
            or_(Activity.department_id.is_(None), Activity.department_id == department.id)
        )
    return db.session.scalars(stmt.order_by(Activity.date.desc(), Activity.id.desc())).all()


def week_expectations(week, department=None):
    """Per recurring kind and department: records this week against the kind's per_week.

    A whole-unit record (no department) counts for every department.
    """
    kinds = db.session.scalars(
        select(ActivityKind)
        .where(ActivityKind.active, ActivityKind.per_week > 0)
        .order_by(ActivityKind.position, ActivityKind.code)
    ).all()
    stmt = select(Department).where(Department.active).order_by(Department.code)
    if department is not None:
        stmt = stmt.where(Department.id == department.id)
    departments = db.session.scalars(stmt).all()
    counts = {
        (kind_id, department_id): count
        for kind_id, department_id, count in db.session.execute(
            select(Activity.kind_id, Activity.department_id, func.count())
            .where(Activity.date >= week.first, Activity.date <= week.last)
            .group_by(Activity.kind_id, Activity.department_id)
        )
    }
    rows = []
    for kind in kinds:
        unit = counts.get((kind.id, None), 0)
        cells = []
        for dept in departments:
            done = unit + counts.get((kind.id, dept.id), 0)
            cells.append({"department": dept, "done": done, "met": done >= kind.per_week})
        rows.append({"kind": kind, "cells": cells})
    return departments, rows


def active_kinds():
    return db.session.scalars(
        select(ActivityKind).where(ActivityKind.active).order_by(ActivityKind.position)
    ).all()
