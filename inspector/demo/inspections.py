"""A few weeks of demo inspections with photos, made through the real services."""

import io
import random
import uuid as uuid_module
from datetime import UTC, datetime, timedelta

from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import select

from inspector.checklists.services import scoring_item
from inspector.extensions import db
from inspector.inspections.queries import SUGGESTED
from inspector.inspections.services import review_inspection, save_inspection
from inspector.models import Checklist, Inspection, Role, Site, User
from inspector.photos.services import store_photo
from inspector.photos.stamp import load_font

NAMESPACE = uuid_module.UUID("6f1d2a4e-2c1b-4d8e-9a51-0b7c3e5f9d10")
WEEKS = 3
COMMENTS = ["请补拍整改前照片", "扣分依据不清，请补充说明"]


def seed_inspections(now=None):
    """Make WEEKS weeks of rounds: each office and public site weekly, villages biweekly."""
    now = now or datetime.now(UTC)
    inspectors = db.session.scalars(
        select(User).where(User.role == Role.INSPECTOR).order_by(User.id)
    ).all()
    supervisor = db.session.scalar(select(User).where(User.role == Role.SUPERVISOR))
    checklists = {
        c.code: c for c in db.session.scalars(select(Checklist).where(Checklist.is_current))
    }
    sites = db.session.scalars(select(Site).where(Site.active).order_by(Site.code)).all()
    if not inspectors or not supervisor:
        return 0
    made = 0
    for week in range(WEEKS, 0, -1):
        for number, site in enumerate(sites):
            if site.kind == "residential" and (week + number) % 2:
                continue
            checklist = checklists.get(SUGGESTED[site.kind])
            moment = now - timedelta(weeks=week - 1, days=number % 5, hours=number % 7)
            ident = str(uuid_module.uuid5(NAMESPACE, f"{site.code}/{week}"))
            if checklist is None or moment > now or exists(ident):
                continue
            # Repeatable demo data, not security.
            rng = random.Random(ident)  # nosec B311
            inspector = inspectors[number % len(inspectors)]
            inspection = make_one(inspector, ident, site, checklist, moment, rng)
            decide(supervisor, inspection, week, rng)
            made += 1
    return made


def exists(ident):
    return db.session.scalar(select(Inspection.id).where(Inspection.uuid == ident)) is not None


def make_one(inspector, ident, site, checklist, moment, rng):
    responses = [answer(inspector, item, rng, site, moment) for item in checklist.items]
    body = {
        "template": checklist.id,
        "site": site.code,
        "submit": True,
        "started_at": (moment - timedelta(minutes=12)).isoformat(),
        "submitted_at": moment.isoformat(),
        "responses": responses,
    }
    inspection, _created = save_inspection(inspector, ident, body, current_app.config)
    return inspection


def answer(inspector, item, rng, site, moment):
    rule = scoring_item(item)
    roll = rng.random()
    if rule.type == "text":
        return {"item": item.key, "answer": rng.choice(["无", "整体情况良好", "已当场提醒"])}
    failed = roll < (0.015 if rule.critical else 0.2)
    if rule.type == "check":
        value = "na" if roll > 0.97 else ("fail" if failed else "pass")
    elif rule.type == "scale":
        value = int(rule.points) - (rng.randint(1, int(rule.points)) if failed else 0)
    else:
        value = {"count": rng.randint(1, 3) if failed else 0}
    response = {"item": item.key, "answer": value}
    if failed and item.photo_on_fail and value != "na":
        response["photos"] = [demo_photo(inspector, item, site, moment, rng)]
        response["note"] = f"{site.name}：{item.text}"
    return response


def demo_photo(inspector, item, site, moment, rng):
    """A generated 'photo' of the problem, stored through the real photo pipeline."""
    name = f"photo/{site.code}/{item.key}/{moment:%Y%m%d}"
    return picture(inspector, name, f"{site.name}\n{item.text}", moment, rng, clutter=12).uuid


def picture(user, name, caption, moment, rng, clutter):
    """Draw a scene (`clutter` boxes of junk on grey ground) and store it as photo `name`."""
    image = Image.new("RGB", (1024, 768), (rng.randint(90, 160),) * 3)
    draw = ImageDraw.Draw(image)
    for _ in range(clutter):
        x, y = rng.randint(0, 900), rng.randint(0, 650)
        colour = tuple(rng.randint(40, 230) for _ in range(3))
        draw.rectangle((x, y, x + rng.randint(40, 200), y + rng.randint(30, 150)), fill=colour)
    draw.text((40, 40), caption, font=load_font(40), fill="white")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    buffer.seek(0)
    ident = str(uuid_module.uuid5(NAMESPACE, name))
    photo, _created = store_photo(user, ident, buffer, taken_at=moment)
    return photo


def decide(supervisor, inspection, week, rng):
    """Older weeks are reviewed; this week waits for the supervisor."""
    if week == 1:
        return
    if rng.random() < 0.08:
        review_inspection(
            supervisor, inspection, "return", rng.choice(COMMENTS), current_app.config
        )
    else:
        review_inspection(supervisor, inspection, "approve", "", current_app.config)
