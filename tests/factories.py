"""Plain functions that make valid records for tests."""

import itertools

from inspector.auth import tokens
from inspector.extensions import db
from inspector.models import Department, Role, Site, SiteKind, User

PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def new_department(code=None, name=None):
    n = next(_numbers)
    record = Department(code=code or f"dept{n}", name=name or f"科室{n}")
    db.session.add(record)
    db.session.flush()
    return record


def new_site(department=None, code=None, kind=SiteKind.OFFICE, name=None, community=""):
    n = next(_numbers)
    record = Site(
        code=code or f"site{n}",
        name=name or f"检查点{n}",
        kind=kind,
        department=department or new_department(),
        community=community,
    )
    db.session.add(record)
    db.session.flush()
    return record


def new_user(role=Role.INSPECTOR, department=None, username=None, **kwargs):
    if role == Role.LEAD and department is None:
        department = new_department()
    record = User(
        username=username or f"{role}{next(_numbers)}",
        role=Role(role),
        department=department,
        **kwargs,
    )
    record.set_password(PASSWORD)
    db.session.add(record)
    db.session.flush()
    return record


def new_token(user):
    return tokens.create_token(None, user, "test")


def new_checklist(document=None):
    from inspector.checklists.services import save_checklist
    from inspector.demo.checklists import OFFICE_WEEKLY

    return save_checklist(None, document or OFFICE_WEEKLY)


def new_photo(user):
    import hashlib
    import uuid

    from inspector.models import Photo

    ident = str(uuid.uuid4())
    record = Photo(
        uuid=ident,
        sha256=hashlib.sha256(ident.encode()).hexdigest(),
        uploaded_by_id=user.id,
        format="jpeg",
        size=1000,
        width=40,
        height=30,
        original_key=f"photos/{ident}/original",
        display_key=f"photos/{ident}/d.jpg",
        thumb_key=f"photos/{ident}/t.jpg",
    )
    db.session.add(record)
    db.session.flush()
    return record


def new_inspection(
    site, percent, submitted_at, status="submitted", critical=False, checklist=None, inspector=None
):
    """A scored inspection as the services would store it (for roll-up tests)."""
    import uuid

    from inspector.models import Inspection

    checklist = checklist or new_checklist()
    record = Inspection(
        uuid=str(uuid.uuid4()),
        checklist_id=checklist.id,
        site=site,
        department_id=site.department_id,
        inspector_id=(inspector or new_user()).id,
        status=status,
        started_at=submitted_at,
        submitted_at=submitted_at,
        earned=percent,
        possible=100 if percent is not None else 0,
        percent=percent,
        critical_failed=critical,
    )
    db.session.add(record)
    db.session.flush()
    return record


# Answers to new_checklist() (the office checklist) with every item passing.
ALL_PASS = [
    {"item": "documents", "answer": "pass"},
    {"item": "desk-dust", "answer": "pass"},
    {"item": "floor-spit", "answer": {"count": 0}},
    {"item": "windows", "answer": 3},
    {"item": "smoking", "answer": "pass"},
    {"item": "litter", "answer": {"count": 0}},
    {"item": "mandarin", "answer": "pass"},
    {"item": "parking", "answer": 4},
    {"item": "remarks", "answer": "一切正常"},
]


def replace(responses, key, **fields):
    return [{**r, **fields} if r["item"] == key else r for r in responses]
