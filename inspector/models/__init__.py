"""The data model: every table of the product, imported in one place for Alembic."""

from inspector.models.accounts import ApiToken, Role, User
from inspector.models.activities import (
    Activity,
    ActivityFile,
    ActivityKind,
    ActivityPhoto,
    StoredFile,
)
from inspector.models.appeals import Amendment, Appeal, AppealPhoto, AppealStatus
from inspector.models.audit import AuditEvent
from inspector.models.campaigns import Campaign, DraftNote, campaign_site
from inspector.models.checklists import (
    Checklist,
    ChecklistItem,
    ChecklistSection,
    ChecklistStatus,
    ItemType,
)
from inspector.models.documents import ArchiveStatus, DocumentArchive
from inspector.models.events import Event, JobRun, OverdueNotice
from inspector.models.findings import Finding, FindingPhoto, FindingResolution, FindingStatus
from inspector.models.frameworks import (
    EvaluationClosure,
    Framework,
    FrameworkMark,
    Indicator,
    Method,
)
from inspector.models.inspections import Inspection, InspectionStatus, Response, ResponsePhoto
from inspector.models.notifications import (
    Channel,
    ChannelKind,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
)
from inspector.models.org import Department, Site, SiteKind
from inspector.models.periods import ClosedPeriod
from inspector.models.photos import Photo
from inspector.models.rounds import Assignment, AssignmentOutcome, AssignmentPhoto, Round
from inspector.models.throttle import ThrottleEvent
from inspector.models.totals import DepartmentTotal, ItemTotal
from inspector.models.versions import DataVersion, DepartmentChange

__all__ = [
    "Activity",
    "ActivityFile",
    "ActivityKind",
    "ActivityPhoto",
    "Amendment",
    "Appeal",
    "AppealPhoto",
    "AppealStatus",
    "ApiToken",
    "Assignment",
    "AssignmentOutcome",
    "AssignmentPhoto",
    "ArchiveStatus",
    "AuditEvent",
    "Campaign",
    "Channel",
    "ChannelKind",
    "Checklist",
    "ChecklistItem",
    "ChecklistSection",
    "ChecklistStatus",
    "ClosedPeriod",
    "DataVersion",
    "DepartmentChange",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryStatus",
    "Department",
    "DepartmentTotal",
    "DocumentArchive",
    "DraftNote",
    "Event",
    "EvaluationClosure",
    "Finding",
    "FindingPhoto",
    "FindingResolution",
    "FindingStatus",
    "Framework",
    "FrameworkMark",
    "Indicator",
    "Inspection",
    "InspectionStatus",
    "ItemTotal",
    "ItemType",
    "JobRun",
    "Notification",
    "OverdueNotice",
    "Method",
    "Photo",
    "Response",
    "ResponsePhoto",
    "Role",
    "Round",
    "Site",
    "SiteKind",
    "StoredFile",
    "ThrottleEvent",
    "User",
    "campaign_site",
]
