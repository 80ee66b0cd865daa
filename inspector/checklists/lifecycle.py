"""A checklist's lifecycle and reach: who sees it, where and whether new inspections may use it.

draft: only admins see it and may try it; published: offered to every inspector at the site
kinds it is limited to (all when none); retired: kept for the inspections already made with it,
offered for none. The status and kinds belong to the code, so every version carries the same.
"""

from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from inspector import audit
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.models import Checklist, ChecklistStatus, Role, SiteKind

# Which status each lifecycle button leads to, from which statuses.
TRANSITIONS = {
    "publish": (ChecklistStatus.PUBLISHED, (ChecklistStatus.DRAFT, ChecklistStatus.RETIRED)),
    "retire": (ChecklistStatus.RETIRED, (ChecklistStatus.PUBLISHED, ChecklistStatus.DRAFT)),
    "unpublish": (ChecklistStatus.DRAFT, (ChecklistStatus.PUBLISHED,)),
}


def may_see(user, checklist) -> bool:
    """Drafts are the admins' own until published."""
    return checklist.status != ChecklistStatus.DRAFT or user.role == Role.ADMIN


def visible(user, stmt=None):
    """Narrow a query of checklists to those `user` may see."""
    stmt = select(Checklist) if stmt is None else stmt
    if user.role != Role.ADMIN:
        stmt = stmt.where(Checklist.status != ChecklistStatus.DRAFT)
    return stmt


def offered(user, stmt=None):
    """Narrow a query of checklists to those `user` may start a new inspection with."""
    stmt = visible(user, stmt)
    return stmt.where(Checklist.status != ChecklistStatus.RETIRED)


def check_may_start(user, checklist, site, started_at=None):
    """Refuse a new inspection with a checklist that is hidden, retired or not for this site.

    A phone keeps its checklists and may reach the server hours after it began: an inspection
    begun (`started_at`, the phone's clock) before the checklist was retired is accepted.
    """
    if not may_see(user, checklist):
        raise ValidationError({"template": _l("No such checklist.")})
    if checklist.status == ChecklistStatus.RETIRED and not began_before_retirement(
        checklist, started_at
    ):
        raise ValidationError(
            {"template": _l("This checklist is retired: new inspections use another one.")}
        )
    if not checklist.suits(site.kind):
        raise ValidationError({"template": _l("This checklist is not used at this kind of site.")})


# How long before its retirement an inspection may have begun on a phone and still land: a
# round done offline over a weekend, not a backdated clock reaching into the past for ever.
OFFLINE_GRACE = timedelta(days=7)


def began_before_retirement(checklist, started_at) -> bool:
    retired_at = checklist.retired_at
    if started_at is None or retired_at is None:
        return False
    return retired_at - OFFLINE_GRACE <= started_at < retired_at


# The lifecycle button that leads to each status (the API sets the status itself).
ACTION_TO = {target: action for action, (target, _sources) in TRANSITIONS.items()}


def set_status(actor, checklist, status):
    """Give the checklist `status` through its lifecycle; the status it has is no change."""
    target = ChecklistStatus(status)
    if checklist.status == target:
        return
    action = ACTION_TO[target]
    if checklist.status not in TRANSITIONS[action][1]:
        raise ValidationError({"status": _l("A retired checklist can only be published again.")})
    change_status(actor, checklist, action)


def change_status(actor, checklist, action):
    """Publish, retire or take back a checklist (every version of its code)."""
    if action not in TRANSITIONS:
        raise ValidationError({"action": _l("Unknown action.")})
    target, sources = TRANSITIONS[action]
    if checklist.status not in sources:
        raise ValidationError({"action": _l("This checklist cannot do that now.")})
    retired_at = datetime.now(UTC) if target == ChecklistStatus.RETIRED else None
    set_for_code(checklist.code, status=target, retired_at=retired_at)
    audit.record(actor, f"checklist.{action}", checklist, code=checklist.code)


def limit_to_kinds(actor, checklist, kinds):
    """Offer the checklist only at sites of these kinds (none chosen: at every site)."""
    unknown = set(kinds) - {str(kind) for kind in SiteKind}
    if unknown:
        raise ValidationError({"site_kinds": _l("Unknown site kind.")})
    chosen = " ".join(str(kind) for kind in SiteKind if str(kind) in kinds)
    set_for_code(checklist.code, site_kinds=chosen)
    audit.record(actor, "checklist.site_kinds", checklist, code=checklist.code, kinds=chosen)


def set_for_code(code, **values):
    db.session.execute(update(Checklist).where(Checklist.code == code).values(**values))
    db.session.expire_all()
