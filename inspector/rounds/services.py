"""Planning rounds: the sites (listed or drawn), who inspects each, outcomes and reassignment.

Every rule of the contract's "Rounds" lives here, for the API and the web screens alike.
"""

import hashlib
import json
import uuid as uuid_module
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from inspector import audit, periods
from inspector.errors import ConflictError, ValidationError
from inspector.extensions import db
from inspector.inspections.permissions import may_author
from inspector.limits import TEXT_LENGTH, TITLE_LENGTH, too_long
from inspector.models import (
    Assignment,
    AssignmentOutcome,
    AssignmentPhoto,
    Checklist,
    Department,
    Round,
    Site,
    SiteKind,
    User,
)
from inspector.organization.services import community_name
from inspector.photos.services import photos_by_uuid
from inspector.rounds.balance import ImpossibleError, balance
from inspector.rounds.sampling import draw
from inspector.rounds.status import status_of

STRATA = {
    "kind": lambda site: str(site.kind),
    "department": lambda site: site.department.code,
    "community": lambda site: site.community,
}
MAX_OCCURRENCES = 26


def body_hash(body) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def create_round(actor, body, uuid=None, series=None):
    """Plan a round from an API-shaped body; answer (round, created).

    The same body under an existing id is answered with the stored round (created False);
    another body under it is a ConflictError. Raises ValidationError naming the faults.
    """
    digest = body_hash(body)
    if uuid is not None:
        existing = db.session.scalar(select(Round).where(Round.uuid == uuid))
        if existing is not None:
            if existing.body_sha256 != digest:
                raise ConflictError("A different round already has this id.")
            return existing, False
    title, checklist, first, last, inspectors, assign = read_plan(body)
    if body.get("sites") is not None:
        sites, draw_record = listed_sites(body["sites"]), None
    else:
        sites, draw_record = sampled_sites(body["sample"])
    people = assign_people(sites, inspectors, assign)
    round_ = Round(
        uuid=uuid or str(uuid_module.uuid4()),
        title=title,
        checklist=checklist,
        starts_on=first,
        ends_on=last,
        sample=sample_record(body.get("sample")),
        hidden=bool(body.get("hidden", False)),
        series=series,
        body_sha256=digest,
        created_by_id=actor.id if actor else None,
    )
    for site in sites:
        round_.assignments.append(
            Assignment(uuid=str(uuid_module.uuid4()), site=site, inspector=people[site.code])
        )
    db.session.add(round_)
    db.session.flush()
    audit.record(
        actor,
        "round.create",
        round_,
        title=title,
        template=checklist.id,
        dates=[first.isoformat(), last.isoformat()],
        hidden=round_.hidden,
        assignments={a.site.code: a.inspector.username for a in round_.assignments},
    )
    if draw_record is not None:
        audit.record(actor, "round.draw", round_, **draw_record)
    return round_, True


def read_plan(body):
    """The body's title, checklist, dates, inspectors and hand assignments, checked."""
    errors = {}
    title = (body.get("title") or "").strip()
    if not title or len(title) > TITLE_LENGTH:
        errors["title"] = _l("Enter a title of up to 200 characters.")
    checklist = read_checklist(body.get("template"), errors)
    first, last = read_dates(body.get("from"), body.get("to"), errors)
    if (body.get("sites") is None) == (body.get("sample") is None):
        errors["sites"] = _l("Give either a list of sites or a sample, not both.")
    inspectors = read_users(body.get("inspectors") or [], "inspectors", errors)
    assign = {
        code: read_users([username], f"assign.{code}", errors)
        for code, username in (body.get("assign") or {}).items()
    }
    if errors:
        raise ValidationError(errors)
    return title, checklist, first, last, inspectors, assign


def assign_people(sites, inspectors, assign) -> dict:
    """{site code: inspector}: those given by hand, the rest balanced (回避 always)."""
    errors, fixed = {}, {}
    by_code = {site.code: site for site in sites}
    for code, users in assign.items():
        site = by_code.get(code)
        if site is None:
            errors[f"assign.{code}"] = _l("Not a site of this round.")
        elif conflicted(site, users[0]):
            errors[f"assign.{code}"] = avoid_message(users[0])
        else:
            fixed[code] = users[0]
    if errors:
        raise ValidationError(errors)
    rest = [site for site in sites if site.code not in fixed]
    try:
        chosen = balance(rest, inspectors, lambda site, user: not conflicted(site, user))
    except ImpossibleError as impossible:
        names = ", ".join(site.code for site in impossible.sites[:20])
        message = _l(
            "These inspectors cannot share the sites evenly without inspecting their own "
            "department (回避): %(sites)s",
            sites=names,
        )
        raise ValidationError({"inspectors": message}) from None
    return {**fixed, **{site.code: user for site, user in zip(rest, chosen, strict=True)}}


def avoid_message(user):
    return _l("%(user)s belongs to the site's department (回避).", user=user.username)


def read_checklist(template_id, errors):
    checklist = db.session.get(Checklist, template_id) if isinstance(template_id, int) else None
    if checklist is None:
        errors["template"] = _l("Unknown checklist.")
    return checklist


def read_dates(raw_first, raw_last, errors):
    days = []
    for field, raw in (("from", raw_first), ("to", raw_last)):
        try:
            days.append(periods.parse_day(raw or ""))
        except (TypeError, ValueError):
            errors[field] = _l(
                "Use a date from %(first)s to %(last)s, YYYY-MM-DD.",
                first=periods.FIRST_DAY,
                last=periods.LAST_DAY,
            )
            days.append(None)
    first, last = days
    if first and last and last < first:
        errors["to"] = _l("The end must not be before the start.")
    return first, last


def read_users(usernames, field, errors):
    """The active users who may inspect, for `usernames`; faults go to errors[field]."""
    if not usernames:
        return []
    users = db.session.scalars(select(User).where(User.username.in_(set(usernames)))).all()
    found = {user.username: user for user in users}
    unknown = [name for name in usernames if name not in found]
    if unknown:
        errors[field] = _l("Unknown users: %(names)s", names=", ".join(unknown))
        return []
    unfit = [name for name in usernames if not (found[name].active and may_author(found[name]))]
    if unfit:
        errors[field] = _l("Not active inspectors: %(names)s", names=", ".join(unfit))
        return []
    return [found[name] for name in dict.fromkeys(usernames)]


def conflicted(site, user) -> bool:
    """回避: nobody inspects a site of their own department."""
    return user.department_id is not None and user.department_id == site.department_id


def listed_sites(codes):
    sites = db.session.scalars(select(Site).where(Site.code.in_(set(codes)))).all()
    found = {site.code: site for site in sites if site.active}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError({"sites": _l("Unknown sites: %(codes)s", codes=", ".join(missing))})
    if not found:
        raise ValidationError({"sites": _l("Choose at least one site.")})
    return sorted(found.values(), key=lambda site: site.code)


def sampled_sites(sample):
    """Draw the sample's sites; answer (sites, what the audit trail keeps of the draw)."""
    # JSON Schema counts 2.0 as an integer: make it one before it sizes a draw.
    sample = {**sample, "size": int(sample["size"]), "seed": int(sample["seed"]),
              "exclude_recent": int(sample.get("exclude_recent") or 0)}  # fmt: skip
    pool_spec = sample.get("pool") or {}
    stmt = select(Site).where(Site.active)
    kinds = pool_spec.get("kinds")
    if kinds:
        stmt = stmt.where(Site.kind.in_([SiteKind(kind) for kind in kinds]))
    departments = pool_spec.get("departments")
    if departments:
        known = db.session.scalars(select(Department).where(Department.code.in_(departments)))
        known = {department.code: department for department in known}
        unknown = [code for code in departments if code not in known]
        if unknown:
            message = _l("Unknown departments: %(codes)s", codes=", ".join(unknown))
            raise ValidationError({"sample.pool.departments": message})
        stmt = stmt.where(Site.department_id.in_([d.id for d in known.values()]))
    communities = [community_name(name) for name in pool_spec.get("communities") or []]
    if communities:
        known = set(db.session.scalars(select(Site.community).where(Site.active).distinct()))
        unknown = [name for name in communities if name not in known]
        if unknown:
            message = _l("No site in these communities: %(names)s", names="、".join(unknown))
            raise ValidationError({"sample.pool.communities": message})
        stmt = stmt.where(Site.community.in_(communities))
    pool = db.session.scalars(stmt).all()
    excluded = recent_site_ids(sample.get("exclude_recent") or 0)
    left_out = sorted(site.code for site in pool if site.id in excluded)
    pool = [site for site in pool if site.id not in excluded]
    if not pool:
        raise ValidationError({"sample.pool": _l("No site is left in the pool to draw from.")})
    strata = sample.get("strata")
    picked = draw(
        pool,
        sample["size"],
        sample["seed"],
        code=lambda site: site.code,
        stratum=STRATA[strata] if strata else None,
    )
    record = {
        "pool": sorted(site.code for site in pool),
        "excluded": left_out,
        "size": sample["size"],
        "strata": strata,
        "seed": sample["seed"],
        "exclude_recent": sample.get("exclude_recent") or 0,
        "result": [site.code for site in picked],
    }
    return picked, record


def recent_site_ids(count) -> set:
    """The sites of the `count` rounds planned last (any checklist)."""
    if not count:
        return set()
    rounds = select(Round.id).order_by(Round.id.desc()).limit(count).subquery()
    return set(
        db.session.scalars(
            select(Assignment.site_id).where(Assignment.round_id.in_(select(rounds.c.id)))
        )
    )


def sample_record(sample):
    if sample is None:
        return None
    return {
        "size": int(sample["size"]),
        "pool": sample.get("pool") or {},
        "strata": sample.get("strata"),
        "seed": int(sample["seed"]),
        "exclude_recent": int(sample.get("exclude_recent") or 0),
    }


def occurrences(first: date, last: date, repeat: str | None, count: int):
    """The (from, to) of each occurrence of a repeating round: the same length, every week or
    every month from the first."""
    if not repeat or count <= 1:
        return [(first, last)]
    length = last - first
    spans = []
    for n in range(count):
        if repeat == "week":
            start = first + timedelta(weeks=n)
        else:
            month = first.month - 1 + n
            year, month = first.year + month // 12, month % 12 + 1
            day = min(first.day, periods.month_end(year, month).day)
            start = first.replace(year=year, month=month, day=day)
        spans.append((start, start + length))
    return spans


def record_outcome(actor, assignment, status, reason, photo_ids, settings):
    """Close an assignment as unable (无法检查) or refused (拒检): a reason and a photo needed."""
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _l("Say why the site could not be inspected.")
    elif too_long(reason, TEXT_LENGTH):
        errors["reason"] = _l("At most %(n)d characters.", n=TEXT_LENGTH)
    if status not in set(AssignmentOutcome):
        errors["status"] = _l("Choose could not inspect or refused.")
    if not photo_ids:
        errors["photos"] = _l("Add a photo as evidence.")
    photos = photos_by_uuid(actor, photo_ids)
    missing = [uuid for uuid in photo_ids if uuid not in photos]
    if missing:
        errors["photos"] = _l("Photos not uploaded: %(ids)s", ids=", ".join(missing))
    if errors:
        raise ValidationError(errors)
    current, _inspection = status_of(assignment, settings)
    if current == "done":
        raise ConflictError("This assignment is already done: an inspection fulfils it.")
    same = (
        assignment.outcome == status
        and assignment.reason == reason
        and [p.photo.uuid for p in assignment.photos] == list(photo_ids)
    )
    if same:
        return assignment
    assignment.outcome, assignment.reason = AssignmentOutcome(status), reason
    assignment.outcome_at = datetime.now(UTC)
    assignment.photos = [
        AssignmentPhoto(photo=photos[uuid], position=n) for n, uuid in enumerate(photo_ids)
    ]
    audit.record(
        actor, "assignment.outcome", assignment, status=status, reason=reason, photos=photo_ids
    )
    return assignment


def reassign(actor, assignment, username, settings):
    """Give an open assignment to another inspector (never of the site's department)."""
    errors = {}
    users = read_users([username] if username else [], "inspector", errors)
    if not users and "inspector" not in errors:
        errors["inspector"] = _l("Choose an inspector.")
    if users and conflicted(assignment.site, users[0]):
        errors["inspector"] = avoid_message(users[0])
    if errors:
        raise ValidationError(errors)
    status, _inspection = status_of(assignment, settings)
    if status != "open":
        raise ConflictError("Only an open assignment can be given to someone else.")
    before = assignment.inspector.username
    if users[0].id == assignment.inspector_id:
        return assignment
    assignment.inspector = users[0]
    site = assignment.site.code
    audit.record(actor, "assignment.reassign", assignment, site=site, old=before, new=username)
    return assignment


def round_count() -> int:
    return db.session.scalar(select(func.count(Round.id))) or 0
