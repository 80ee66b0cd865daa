"""Departments and sites: creating and changing them under the rules."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from inspector import audit
from inspector.errors import ConflictError, ValidationError
from inspector.extensions import db
from inspector.limits import COMMUNITY_LENGTH
from inspector.models import Department, Site, SiteKind
from inspector.organization.queries import department_by_code

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


def check_code(errors, model, code, current=None):
    """Check a code's form and uniqueness; return True when it clashes with another record."""
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        errors["code"] = _l("Use 1-32 letters, digits, '-', '_' or '.'.")
    elif code != getattr(current, "code", None) and db.session.scalar(
        select(model.id).where(model.code == code)
    ):
        errors["code"] = _l("This code is already in use.")
        return True
    return False


def check_name(errors, name):
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 100:
        errors["name"] = _l("Enter a name of up to 100 characters.")
    elif has_control_characters(name):
        errors["name"] = _l("The name contains invisible control characters.")


def has_control_characters(text):
    # PostgreSQL refuses NUL in text, and other control characters only hide things.
    return any(unicodedata.category(char) == "Cc" for char in text)


def refuse(errors, clash):
    """A code already taken, and nothing else wrong, is a conflict (409); else invalid (422)."""
    if clash and len(errors) == 1:
        raise ConflictError(fields=errors)
    raise ValidationError(errors)


def save_department(actor, code, name, active=True, department=None):
    """Create a department, or update `department`; raise ValidationError naming faults."""
    errors = {}
    clash = check_code(errors, Department, code, department)
    check_name(errors, name)
    if errors:
        refuse(errors, clash)
    action = "department.update" if department else "department.create"
    department = department or Department()
    department.code, department.name, department.active = code, name.strip(), bool(active)
    db.session.add(department)
    audit.record(actor, action, department, code=code, name=department.name, active=active)
    return department


def read_location(extra, site, errors):
    """(lat, lon, radius in metres) for a site: all three, or none (kept when not given)."""
    if "lat" not in extra:
        return (site.lat, site.lon, site.radius_m) if site else (None, None, None)
    lat, lon, radius = extra.get("lat"), extra.get("lon"), extra.get("radius_m")
    given = [value is not None for value in (lat, lon, radius)]
    if not any(given):
        return None, None, None
    if not all(given):
        errors["radius_m"] = _l("Give the latitude, the longitude and the radius, or none.")
    elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors["lat"] = _l("Latitude from -90 to 90, longitude from -180 to 180.")
    elif not 10 <= radius <= 10000:
        errors["radius_m"] = _l("A radius from 10 to 10000 metres.")
    return lat, lon, radius


def community_name(text) -> str:
    """A community's name as sites keep it (and round pools compare it): one line, spaced once."""
    return " ".join((text or "").split())[:COMMUNITY_LENGTH]


def save_site(actor, code, name, kind, department_code, site=None, **extra):
    """Create a site, or update `site`; raise ValidationError naming faults."""
    errors = {}
    clash = check_code(errors, Site, code, site)
    check_name(errors, name)
    if kind not in set(SiteKind):
        errors["kind"] = _l("Choose office, residential or public.")
    department = department_by_code(department_code) if department_code else None
    if department is None:
        errors["department"] = (
            _l("Unknown department.") if department_code else _l("Choose a department.")
        )
    expected = extra.get("expected_per_week", getattr(site, "expected_per_week", 1))
    if not isinstance(expected, int) or isinstance(expected, bool) or not 0 <= expected <= 50:
        errors["expected_per_week"] = _l("Enter a whole number from 0 to 50.")
    where = read_location(extra, site, errors)
    if errors:
        refuse(errors, clash)
    action = "site.update" if site else "site.create"
    site = site or Site()
    site.code, site.name, site.kind, site.department = (
        code,
        name.strip(),
        SiteKind(kind),
        department,
    )
    site.address = (extra.get("address") or "").strip()[:200]
    site.community = community_name(extra.get("community"))
    site.expected_per_week = expected
    site.active = bool(extra.get("active", True))
    site.lat, site.lon, site.radius_m = where
    db.session.add(site)
    audit.record(actor, action, site, code=code, department=department_code)
    return site
