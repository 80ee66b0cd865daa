"""A demo cleanup campaign in the 桂花镇 communities, its spots photographed before and after."""

import random
import uuid as uuid_module
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from inspector.demo.inspections import NAMESPACE, picture
from inspector.extensions import db
from inspector.findings.services import fix_finding, save_finding, verify_finding
from inspector.models import Campaign, Role, Site, User

NAME = "桂花镇“三新”环境整治"
SPOTS = [
    ("ghz-01", "房前屋后柴草乱堆", "村道两侧堆放柴草，影响通行"),
    ("ghz-02", "绿化带内生活垃圾", "绿化带内有塑料袋和饮料瓶"),
    ("ghz-03", "违规搭建的简易棚", "院墙外私搭石棉瓦棚"),
    ("ghz-04", "主干道积存建筑垃圾", ""),
    ("ghz-05", "垃圾桶满溢未清运", "两个垃圾桶满溢，周边有散落垃圾"),
]


def seed_campaign(now=None):
    """Create the demo campaign once: five spots, three fixed, two of them verified."""
    if db.session.scalar(select(Campaign.id).where(Campaign.name == NAME)):
        return None
    now = now or datetime.now(UTC)
    inspector = db.session.scalar(select(User).where(User.username == "inspector"))
    supervisor = db.session.scalar(select(User).where(User.username == "supervisor"))
    sites = db.session.scalars(select(Site).where(Site.code.like("ghz-%"))).all()
    if inspector is None or supervisor is None or not sites:
        return None
    today = now.date()
    campaign = Campaign(
        name=NAME,
        starts_on=today - timedelta(days=14),
        ends_on=today + timedelta(days=14),
        created_by_id=supervisor.id,
        description="组织居民对主要道路、绿化带、房前屋后开展清扫，整治前后同一位置拍照存档。",
        sites=list(sites),
    )
    db.session.add(campaign)
    # Repeatable demo data, not security.
    rng = random.Random(NAME)  # nosec B311
    for number, (code, title, description) in enumerate(SPOTS):
        spot = add_spot(
            inspector, campaign, code, title, description, now - timedelta(days=10 - number), rng
        )
        if number < 3:
            fix_spot(spot, now - timedelta(days=5 - number), rng)
        if number < 2:
            verify_finding(supervisor, spot, "accept", "已现场核实")
    return campaign


def add_spot(inspector, campaign, code, title, description, moment, rng):
    before = picture(inspector, f"campaign/{code}/before", f"{title}\n整治前", moment, rng, 14)
    body = {
        "site": code,
        "title": title,
        "description": description,
        "before_photos": [before.uuid],
    }
    ident = str(uuid_module.uuid5(NAMESPACE, f"campaign/{code}"))
    spot, _created = save_finding(inspector, ident, body, current_app.config)
    spot.campaign = campaign
    return spot


def fix_spot(spot, moment, rng):
    lead = db.session.scalar(
        select(User).where(User.role == Role.LEAD, User.department_id == spot.department_id)
    )
    if lead is None:
        return
    after = picture(
        lead, f"campaign/{spot.site.code}/after", f"{spot.title}\n整治后", moment, rng, 0
    )
    fix_finding(lead, spot, [after.uuid], "已组织居民清理完毕")
