"""Who is told of an event: the right people, and the channels that subscribed to it.

People get it in their inbox (and by email when they gave an address); a group channel gets what
its department is concerned by (a global one: everything it subscribed to). Nobody is told of
what they did themselves.
"""

from sqlalchemy import select

from inspector.events import EVENTS
from inspector.extensions import db
from inspector.models import Channel, ChannelKind, Department, Finding, Role, User

# Events that concern every department: department channels get them too.
EVERY_DEPARTMENT = ("period.closed", "digest.weekly")


def supervisors():
    return db.session.scalars(
        select(User).where(User.role == Role.SUPERVISOR, User.active).order_by(User.id)
    ).all()


def leads(department_id):
    if department_id is None:
        return []
    return db.session.scalars(
        select(User)
        .where(User.role == Role.LEAD, User.active, User.department_id == department_id)
        .order_by(User.id)
    ).all()


def all_leads():
    return db.session.scalars(
        select(User).where(User.role == Role.LEAD, User.active).order_by(User.id)
    ).all()


def named(username):
    if not username:
        return []
    user = db.session.scalar(select(User).where(User.username == username, User.active))
    return [user] if user else []


def finding_creator(data):
    finding = db.session.scalar(select(Finding).where(Finding.uuid == data.get("id")))
    if finding is None:
        return []
    user = db.session.get(User, finding.created_by_id)
    return [user] if user is not None and user.active else []


def department_code(user):
    return user.department.code if user.department else None


def people(event):
    """[(user, department the message is about for them)] for `event`, the actor left out."""
    name, data = event.name, event.data or {}
    if name in ("inspection.submitted", "finding.escalated", "appeal.filed"):
        chosen = [(user, None) for user in supervisors()]
    elif name in ("inspection.returned", "inspection.approved"):
        chosen = [(user, None) for user in named(data.get("inspector"))]
    elif name == "finding.fixed":
        chosen = [(user, None) for user in finding_creator(data)]
    elif name == "finding.reopened":
        fixer = named((data.get("fix") or {}).get("by"))
        chosen = [(user, None) for user in leads(event.department_id) + fixer]
    elif name in ("finding.opened", "finding.closed", "finding.overdue", "appeal.decided"):
        chosen = [(user, None) for user in leads(event.department_id)]
    elif name in EVERY_DEPARTMENT:
        chosen = [(user, None) for user in supervisors()]
        chosen += [(user, department_code(user)) for user in all_leads()]
    else:
        chosen = []
    unique = {}
    for user, department in chosen:
        if user.id != event.actor_id:
            unique.setdefault(user.id, (user, department))
    return list(unique.values())


def subscribed(channel, name):
    wanted = channel.events or []
    if channel.kind == ChannelKind.WEBHOOK:
        # Webhooks get the contract's events only; "*" is all of those.
        return name in EVENTS and ("*" in wanted or name in wanted)
    return "*" in wanted or name in wanted


def channels(event):
    """[(channel, department the message is about for it)] subscribed to `event`."""
    live = db.session.scalars(
        select(Channel).where(Channel.deleted_at.is_(None)).order_by(Channel.id)
    ).all()
    codes = dict(db.session.execute(select(Department.id, Department.code)).all())
    chosen = []
    for channel in live:
        if not subscribed(channel, event.name):
            continue
        if channel.department_id is None:
            chosen.append((channel, None))
        elif event.name in EVERY_DEPARTMENT:
            chosen.append((channel, codes.get(channel.department_id)))
        elif channel.department_id == event.department_id:
            chosen.append((channel, None))
    return chosen
