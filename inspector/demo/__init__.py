"""Demo data drawn from the source document: the bureau, its departments and sites."""

from sqlalchemy import select

from inspector.auth import accounts
from inspector.checklists.services import save_checklist
from inspector.demo import passwords as demo_passwords
from inspector.demo.assessment import seed_assessment
from inspector.demo.campaigns import seed_campaign
from inspector.demo.checklists import DEMO_CHECKLISTS
from inspector.demo.inspections import seed_inspections
from inspector.demo.rounds import seed_rounds
from inspector.extensions import db
from inspector.models import Checklist, Department, Role, Site, User
from inspector.organization import services as organization

# The documented demo password (README): demo accounts only, never where ENV is "production"
# or HTTPS is on (cli.py: seed-demo refuses), and a banner on every page while one still has it.
DEMO_PASSWORD = "wenming-2026"  # nosec B105


def refusal(config):
    """Why demo data must not be added here, or None."""
    if config["ENV"] == "production" or config["HTTPS"]:
        return (
            "Refusing to add demo data: this is a production instance (INSPECTOR_ENV=production "
            "or INSPECTOR_HTTPS=true), and demo accounts share a published password."
        )
    return None


# The bureau's departments (科室) at the administrative centre.
DEPARTMENTS = [
    ("office", "办公室"),
    ("finance", "财务科"),
    ("personnel", "人事科"),
    ("property", "物业管理科"),
    ("engineering", "工程部"),
    ("security", "保卫科"),
    ("canteen", "机关餐厅"),
    ("vehicles", "车辆管理科"),
]

# Offices and shared spaces of the administrative centre, with who keeps them.
OFFICE_SITES = [
    ("A-301", "行政中心A区301 办公室", "office", "office"),
    ("A-302", "行政中心A区302 财务科", "office", "finance"),
    ("A-303", "行政中心A区303 人事科", "office", "personnel"),
    ("B-101", "行政中心B区101 物业管理科", "office", "property"),
    ("B-102", "行政中心B区102 工程部", "office", "engineering"),
    ("B-103", "行政中心B区103 保卫科", "office", "security"),
    ("C-101", "行政中心C区101 车辆管理科", "office", "vehicles"),
    ("canteen-hall", "职工餐厅", "public", "canteen"),
    ("lobby", "行政中心大厅与接待台", "public", "property"),
    ("corridors", "公共走廊与卫生间", "public", "property"),
    ("parking", "行政中心停车场", "public", "vehicles"),
    ("gate", "行政中心大门与值班室", "public", "security"),
]

# The 11 new residential communities of 桂花镇 (980 households) the bureau is twinned with;
# each is paired with one department, which answers for its cleanups.
COMMUNITIES = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]

PEOPLE = [
    ("admin", "周明", Role.ADMIN, None),
    ("supervisor", "王组长", Role.SUPERVISOR, None),
    ("inspector", "李督查", Role.INSPECTOR, None),
    ("inspector2", "张督查", Role.INSPECTOR, None),
    *[(f"lead-{code}", f"{name}负责人", Role.LEAD, code) for code, name in DEPARTMENTS],
]


def seed():
    """Add whatever demo records are missing; return the users created."""
    existing = set(db.session.scalars(select(Department.code)))
    for code, name in DEPARTMENTS:
        if code not in existing:
            organization.save_department(None, code, name)
    sites = set(db.session.scalars(select(Site.code)))
    for code, name, kind, department in OFFICE_SITES + community_sites():
        if code not in sites:
            community = name if kind == "residential" else ""
            organization.save_site(None, code, name, kind, department, community=community)
    checklists = set(db.session.scalars(select(Checklist.code)))
    for document in DEMO_CHECKLISTS:
        if document["code"] not in checklists:
            save_checklist(None, document)
    made = []
    users = set(db.session.scalars(select(User.username)))
    for username, display_name, role, department in PEOPLE:
        if username not in users:
            made.append(
                accounts.create_user(None, username, DEMO_PASSWORD, role, department, display_name)
            )
    demo_passwords.mark(made)
    db.session.flush()
    seed_inspections()
    seed_campaign()
    seed_assessment()
    seed_rounds()
    return made


def community_sites():
    codes = [code for code, _name in DEPARTMENTS]
    return [
        (f"ghz-{n:02d}", f"桂花镇新村{numeral}区", "residential", codes[(n - 1) % len(codes)])
        for n, numeral in enumerate(COMMUNITIES, start=1)
    ]
