"""The evidence binder (台账): each indicator's evidence for a year, as assessors read it."""

import csv
import io
import zipfile
from datetime import date

from sqlalchemy import select

from inspector.activities.permissions import visible_activities
from inspector.extensions import db
from inspector.frameworks.evaluation import activities_of, latest_mark, linked_item_ids
from inspector.inspections.permissions import visible_to
from inspector.models import Activity, Inspection, Response
from inspector.photos.services import storage
from inspector.scores.exports import safe_text
from inspector.scores.rollup import counted

MAX_LISTED = 200  # per indicator: a binder lists a year's records, not a decade's


def indicator_evidence(user, framework, indicator, year, department, zone):
    """The activities, inspections and mark behind one indicator."""
    activities = []
    if indicator.activity_kinds:
        stmt = activities_of(indicator, year, department).order_by(Activity.date)
        stmt = visible_activities(user, stmt)
        activities = db.session.scalars(stmt.limit(MAX_LISTED)).all()
    inspections = []
    ids = linked_item_ids(indicator)
    if ids:
        stmt = visible_to(user, select(Inspection)).where(
            Inspection.id.in_(select(Response.inspection_id).where(Response.item_id.in_(ids))),
            *counted(date(year, 1, 1), date(year, 12, 31), False, zone),
        )
        if department is not None:
            stmt = stmt.where(Inspection.department_id == department.id)
        stmt = stmt.order_by(Inspection.submitted_at)
        inspections = db.session.scalars(stmt.limit(MAX_LISTED)).all()
    mark = latest_mark(framework, indicator, year, department)
    files = [link.file for activity in activities for link in activity.files]
    return {"indicator": indicator, "activities": activities, "inspections": inspections,
            "mark": mark, "files": files}  # fmt: skip


def binder_sections(user, framework, year, department, zone="Asia/Shanghai"):
    """The binder's sections (测评项目), each with its indicators' evidence, in order."""
    sections = []
    for indicator in framework.indicators:
        if not sections or sections[-1]["title"] != indicator.section:
            sections.append({"title": indicator.section, "entries": []})
        sections[-1]["entries"].append(
            indicator_evidence(user, framework, indicator, year, department, zone)
        )
    return sections


def documents(sections):
    """(name in the archive, file) for each document of the binder, by indicator, once each."""
    seen, named = set(), []
    for section in sections:
        for entry in section["entries"]:
            for activity in entry["activities"]:
                for link in activity.files:
                    if (entry["indicator"].code, link.file.id) in seen:
                        continue
                    seen.add((entry["indicator"].code, link.file.id))
                    name = f"{entry['indicator'].code}/{activity.date}-{link.file.name}"
                    named.append((name, activity, link.file))
    return named


def documents_zip(sections) -> bytes:
    """The binder's attached documents, a folder per indicator, with an index.csv."""
    named = documents(sections)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, _activity, record in named:
            with storage().open(record.key) as source:
                archive.writestr(name, source.read())
        index = io.StringIO()
        writer = csv.writer(index)
        writer.writerow(["file", "date", "activity", "sha256"])
        for name, activity, record in named:
            writer.writerow([name, activity.date, safe_text(activity.title), record.sha256])
        archive.writestr("index.csv", index.getvalue().encode("utf-8-sig"))
    return buffer.getvalue()
