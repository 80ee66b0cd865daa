"""The assessment year in the demo: the activity kinds the source document names, a year of
activity records, and a framework built from its sections (100 points + 10 bonus)."""

import random
import uuid as uuid_module
from datetime import date, timedelta

from sqlalchemy import select

from inspector.activities.services import save_activity, save_kind
from inspector.clock import local_now
from inspector.demo.inspections import NAMESPACE, picture
from inspector.extensions import db
from inspector.frameworks.services import save_framework
from inspector.models import ActivityKind, Department, Framework, User

# (code, name, expected per department each week)
KINDS = [
    ("political-study", "每周五政治学习", 1),
    ("cleanup", "大扫除", 1),
    ("reading", "读书活动（每月2-3本）", 0),
    ("persuasion", "文明劝导", 0),
    ("moral-models", "道德模范宣传", 0),
    ("law-education", "未成年人法制教育", 0),
    ("student-aid", "帮困助学", 0),
    ("left-behind", "关爱留守儿童", 0),
    ("festival", "传统节日活动", 0),
    ("leaflets", "宣传资料入户", 0),
    ("lecture", "文明礼仪培训讲座", 0),
]
FESTIVALS = [("02-17", "春节团拜与慰问"), ("04-04", "清明祭英烈"),
             ("05-31", "端午包粽子"), ("08-19", "七夕文明婚恋观宣讲"),
             ("09-25", "中秋联谊"), ("10-29", "重阳敬老")]  # fmt: skip
OCCASIONAL = [
    ("persuasion", "餐厅文明劝导", "职工餐厅", 6),
    ("moral-models", "道德模范事迹宣传", "行政中心大厅", 4),
    ("law-education", "未成年人法制教育进校园", "桂花镇中心小学", 3),
    ("student-aid", "帮困助学金发放", "桂花镇中心小学", 2),
    ("left-behind", "关爱留守儿童“六一”活动", "桂花镇新村三区", 2),
    ("leaflets", "文明创建宣传单入户（11个小区980户）", "桂花镇", 3),
    ("lecture", "文明礼仪培训讲座", "行政中心报告厅", 4),
    ("reading", "党员读书交流会", "三楼会议室", 10),
]

FRAMEWORK = {
    "code": "wmdw", "name": "文明单位测评体系（示范）", "bonus_cap": 10,
    "indicators": [
        {"code": "1.1", "section": "组织领导", "title": "领导小组与目标责任", "points": 10,
         "method": "material", "criteria": "成立领导小组，目标责任写入各科室年度目标，有奖惩制度"},
        {"code": "2.1", "section": "思想道德建设", "title": "每周五政治学习", "points": 10,
         "method": "activity", "activity_kinds": ["political-study"], "target": 52,
         "criteria": "每周一次，全年52次；少一次按比例扣分"},
        {"code": "2.2", "section": "思想道德建设", "title": "党员读书活动", "points": 5,
         "method": "activity", "activity_kinds": ["reading"], "target": 12},
        {"code": "2.3", "section": "思想道德建设", "title": "道德模范与法制教育", "points": 5,
         "method": "activity", "activity_kinds": ["moral-models", "law-education"], "target": 8},
        {"code": "3.1", "section": "环境卫生", "title": "办公环境整洁", "points": 15,
         "method": "inspection", "criteria": "资料摆放整齐、桌面无灰尘、地面无痰迹、窗明几净",
         "items": [{"template": "office-weekly", "item": k}
                   for k in ("documents", "desk-dust", "floor-spit", "windows")]},
        {"code": "3.2", "section": "环境卫生", "title": "公共场所文明", "points": 10,
         "method": "inspection", "criteria": "无吸烟、无乱吐乱扔、无高声喧哗",
         "items": [{"template": "civilised-behaviour", "item": k}
                   for k in ("spitting", "smoking", "noise")]},
        {"code": "3.3", "section": "环境卫生", "title": "车辆停放规范", "points": 5,
         "method": "inspection", "items": [{"template": "office-weekly", "item": "parking"}]},
        {"code": "3.4", "section": "环境卫生", "title": "每周大扫除", "points": 5,
         "method": "activity", "activity_kinds": ["cleanup"], "target": 52},
        {"code": "4.1", "section": "志愿服务与结对帮扶", "title": "“三新”结对小区环境整治",
         "points": 10, "method": "inspection",
         "items": [{"template": "residential-cleanup", "item": k}
                   for k in ("junk-piles", "litter", "main-roads", "house-surrounds")]},
        {"code": "4.2", "section": "志愿服务与结对帮扶", "title": "帮困助学与关爱留守儿童",
         "points": 5, "method": "activity", "activity_kinds": ["student-aid", "left-behind"],
         "target": 4},
        {"code": "4.3", "section": "志愿服务与结对帮扶", "title": "文明劝导", "points": 5,
         "method": "activity", "activity_kinds": ["persuasion"], "target": 12},
        {"code": "5.1", "section": "资料台账", "title": "资料收集归档", "points": 10,
         "method": "material", "criteria": "活动有方案、有记录、有照片，按指标装订成册"},
        {"code": "6.1", "section": "群众满意度", "title": "问卷调查满意率", "points": 5,
         "method": "survey", "criteria": "满意率×分值"},
        {"code": "7.1", "section": "否决项", "title": "无重大违法违纪及安全事故",
         "method": "material", "veto": True, "criteria": "发生即一票否决"},
        {"code": "8.1", "section": "特色工作", "title": "传统节日主题活动", "points": 6,
         "method": "activity", "activity_kinds": ["festival"], "target": 6, "bonus": True},
        {"code": "8.2", "section": "特色工作", "title": "宣传资料入户", "points": 6,
         "method": "activity", "activity_kinds": ["leaflets"], "target": 3, "bonus": True},
    ],
}  # fmt: skip


def seed_assessment():
    """Kinds, a framework for this year and this year's activities, once each."""
    known = set(db.session.scalars(select(ActivityKind.code)))
    for position, (code, name, per_week) in enumerate(KINDS):
        if code not in known:
            save_kind(None, code, name, per_week).position = position
    db.session.flush()
    today = local_now().date()
    if db.session.scalar(select(Framework.id).where(Framework.code == FRAMEWORK["code"])) is None:
        save_framework(None, {**FRAMEWORK, "year": today.year})
    seed_activities(today)


def seed_activities(today):
    author = db.session.scalar(select(User).where(User.username == "inspector"))
    if author is None:
        return
    rng = random.Random(today.year)  # nosec B311 (repeatable demo data)
    first = date(today.year, 1, 1)
    seed_weekly(author, rng, first, today)
    for month_day, title in FESTIVALS:
        day = date.fromisoformat(f"{today.year}-{month_day}")
        if day <= today:
            record(author, f"festival/{day}", "festival", title, day, None, "行政中心", 80)
    for code, title, place, count in OCCASIONAL:
        for n in range(count):
            day = first + timedelta(days=rng.randint(0, max(0, (today - first).days)))
            record(author, f"{code}/{n}", code, title, day, None, place, rng.randint(10, 60))


def seed_weekly(author, rng, first, today):
    """Friday political study for the whole unit; each department's cleanups, recent weeks."""
    departments = db.session.scalars(select(Department).order_by(Department.code)).all()
    friday = first + timedelta(days=(4 - first.weekday()) % 7)
    week = 0
    while friday <= today:
        week += 1
        if rng.random() > 0.2:  # about one Friday in five missed: the gap the report admits
            record(author, f"study/{friday}", "political-study", f"第{week}周政治学习", friday,
                   None, "三楼会议室", rng.randint(35, 60), photo=week % 9 == 0)  # fmt: skip
        if (today - friday).days < 7 * 8:  # the last eight weeks' cleanups per department
            for n, department in enumerate(departments):
                if (week + n) % 5:
                    record(author, f"cleanup/{friday}/{department.code}", "cleanup",
                           f"{department.name}大扫除", friday - timedelta(days=1), department,
                           "办公区", rng.randint(3, 12))  # fmt: skip
        friday += timedelta(days=7)


def record(author, name, kind, title, day, department, place, participants, photo=False):
    ident = str(uuid_module.uuid5(NAMESPACE, f"activity/{name}"))
    body = {"kind": kind, "title": title, "date": day.isoformat(), "place": place,
            "participants": participants, "department": department.code if department else None,
            "description": f"{title}，参加{participants}人。"}  # fmt: skip
    if photo:
        rng = random.Random(ident)  # nosec B311
        body["photos"] = [picture(author, f"activity/{name}", title, None, rng, clutter=4).uuid]
    save_activity(author, ident, body)
