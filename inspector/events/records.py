"""How each kind of record appears in an event: its key, its department and its JSON."""

from inspector.models import ClosedPeriod, Finding, Inspection
from inspector.periods import iso

SERIALIZERS = {}


def register(model, serialize, department=None):
    """Let events carry `model` records: `serialize(obj, today)` is the API's JSON of one."""
    SERIALIZERS[model] = (
        serialize,
        department or (lambda obj: getattr(obj, "department_id", None)),
    )


def record_key(obj) -> str:
    """The record an event is about, e.g. "finding:<uuid>": its events keep their order."""
    ident = getattr(obj, "uuid", None) or getattr(obj, "id", "")
    return f"{type(obj).__name__.lower()}:{ident}"[:80]


def record_data(obj, today) -> dict:
    serialize, _department = SERIALIZERS.get(type(obj), (None, None))
    if serialize is None:
        return {"id": getattr(obj, "uuid", None) or getattr(obj, "id", None)}
    return serialize(obj, today)


def department_of(obj):
    _serialize, department = SERIALIZERS.get(type(obj), (None, None))
    return department(obj) if department else getattr(obj, "department_id", None)


def inspection_data(inspection, _today):
    from inspector.inspections.serialize import inspection_json

    return inspection_json(inspection)


def finding_data(finding, today):
    from inspector.findings.serialize import finding_json

    return finding_json(finding, today)


def period_data(closed, _today):
    """period.closed: the period and its frozen sheets, as GET /api/v1/scores answers them."""
    sheets = closed.snapshot or {}
    return {
        "id": closed.id,
        "kind": closed.kind,
        "from": closed.first.isoformat(),
        "to": closed.last.isoformat(),
        "closed_at": iso(closed.closed_at),
        "closed_by": username(closed.closed_by_id),
        "final": {**sheets.get("final", {}), "closed": True},
        "provisional": {**sheets.get("provisional", {}), "closed": True},
    }


def username(user_id):
    from inspector.extensions import db
    from inspector.models import User

    user = db.session.get(User, user_id) if user_id else None
    return user.username if user else None


register(Inspection, inspection_data)
register(Finding, finding_data)
register(ClosedPeriod, period_data, department=lambda closed: None)
