"""Campaigns: creating them and counting their progress."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from inspector import audit, periods
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.limits import TEXT_LENGTH, TITLE_LENGTH, too_long
from inspector.models import Campaign, FindingStatus, Site
from inspector.periods import FIRST_DAY, LAST_DAY


def parse_day(raw, field, errors):
    if not raw:
        errors[field] = _l("Choose a date.")
        return None
    try:
        return periods.parse_day(raw)
    except ValueError:
        errors[field] = _l(
            "Use a date from %(first)s to %(last)s, YYYY-MM-DD.", first=FIRST_DAY, last=LAST_DAY
        )
        return None


def save_campaign(actor, name, description, starts_on, ends_on, codes, campaign=None):
    """Create or change a campaign over the sites `codes`, dates as typed (YYYY-MM-DD).

    Raises ValidationError naming the faults.
    """
    errors = {}
    name, description = (name or "").strip(), (description or "").strip()
    if not name or len(name) > TITLE_LENGTH:
        errors["name"] = _l("Enter a name of up to 200 characters.")
    if too_long(description, TEXT_LENGTH):
        errors["description"] = _l("At most %(n)d characters.", n=TEXT_LENGTH)
    first = parse_day(starts_on, "starts_on", errors)
    last = parse_day(ends_on, "ends_on", errors)
    if first and last and last < first:
        errors["ends_on"] = _l("The end must not be before the start.")
    sites = db.session.scalars(select(Site).where(Site.code.in_(codes))).all() if codes else []
    if not sites:
        errors["sites"] = _l("Choose at least one site.")
    if errors:
        raise ValidationError(errors)
    campaign = campaign or Campaign(created_by_id=actor.id)
    campaign.name, campaign.description = name, description
    campaign.starts_on, campaign.ends_on, campaign.sites = first, last, list(sites)
    db.session.add(campaign)
    audit.record(actor, "campaign.save", campaign, name=name, sites=sorted(codes))
    return campaign


def progress(campaign):
    """Spots found, fixed (fixed or verified) and verified."""
    statuses = [spot.status for spot in campaign.spots]
    return {
        "found": len(statuses),
        "fixed": sum(s in (FindingStatus.FIXED, FindingStatus.CLOSED) for s in statuses),
        "verified": sum(s == FindingStatus.CLOSED for s in statuses),
    }


def all_campaigns():
    return db.session.scalars(select(Campaign).order_by(Campaign.starts_on.desc())).all()
