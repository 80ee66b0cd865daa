"""Demo rounds: the weekly office round (one round per week) and an unannounced random sample
of the 桂花镇 communities."""

import uuid as uuid_module
from datetime import timedelta

from sqlalchemy import select

from inspector.clock import local_now
from inspector.demo.inspections import NAMESPACE
from inspector.extensions import db
from inspector.models import Checklist, Round, User
from inspector.periods import period_containing
from inspector.rounds.services import create_round

WEEKLY = "机关办公区周检"
SAMPLED = "桂花镇新村随机抽查"
INSPECTORS = ["inspector", "inspector2"]


def seed_rounds(now=None):
    """Plan the demo rounds once: last week's, this week's and next week's office round, and
    five communities drawn at random (seed 2019, one per department where possible)."""
    if db.session.scalar(select(Round.id).where(Round.title.in_([WEEKLY, SAMPLED]))):
        return
    supervisor = db.session.scalar(select(User).where(User.username == "supervisor"))
    office = current("office-weekly")
    village = current("residential-cleanup")
    if supervisor is None or office is None or village is None:
        return
    today = now.date() if now else local_now().date()
    monday = period_containing(today, "week").first
    series = str(uuid_module.uuid5(NAMESPACE, "round-series-office"))
    from inspector.demo import OFFICE_SITES  # noqa: PLC0415 (the demo package imports this)

    for weeks in (-1, 0, 1):
        start = monday + timedelta(weeks=weeks)
        body = {
            "title": WEEKLY,
            "template": office.id,
            "from": start.isoformat(),
            "to": (start + timedelta(days=4)).isoformat(),
            "sites": [code for code, _name, _kind, _dept in OFFICE_SITES],
            "inspectors": INSPECTORS,
        }
        ident = str(uuid_module.uuid5(NAMESPACE, f"round-office-{weeks}"))
        create_round(supervisor, body, uuid=ident, series=series)
    body = {
        "title": SAMPLED,
        "template": village.id,
        "from": monday.isoformat(),
        "to": (monday + timedelta(days=13)).isoformat(),
        "sample": {"size": 5, "pool": {"kinds": ["residential"]}, "strata": "department",
                   "seed": 2019},
        "inspectors": INSPECTORS,
        "hidden": True,
    }  # fmt: skip
    create_round(supervisor, body, uuid=str(uuid_module.uuid5(NAMESPACE, "round-village")))


def current(code):
    return db.session.scalar(select(Checklist).where(Checklist.code == code, Checklist.is_current))
