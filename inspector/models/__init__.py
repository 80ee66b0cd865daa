"""The data model: every table of the product, imported in one place for Alembic."""

from inspector.models.accounts import ApiToken, Role, User
from inspector.models.audit import AuditEvent
from inspector.models.campaigns import Campaign, DraftNote, campaign_site
from inspector.models.checklists import Checklist, ChecklistItem, ChecklistSection, ItemType
from inspector.models.documents import ArchiveStatus, DocumentArchive
from inspector.models.events import Event, JobRun, OverdueNotice
from inspector.models.findings import Finding, FindingPhoto, FindingResolution, FindingStatus
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
from inspector.models.throttle import ThrottleEvent
from inspector.models.versions import DataVersion

__all__ = [
    "ApiToken",
    "ArchiveStatus",
    "AuditEvent",
    "Campaign",
    "Channel",
    "ChannelKind",
    "Checklist",
    "ChecklistItem",
    "ChecklistSection",
    "ClosedPeriod",
    "DataVersion",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryStatus",
    "Department",
    "DocumentArchive",
    "DraftNote",
    "Event",
    "Finding",
    "FindingPhoto",
    "FindingResolution",
    "FindingStatus",
    "Inspection",
    "InspectionStatus",
    "ItemType",
    "JobRun",
    "Notification",
    "OverdueNotice",
    "Photo",
    "Response",
    "ResponsePhoto",
    "Role",
    "Site",
    "SiteKind",
    "ThrottleEvent",
    "User",
    "campaign_site",
]
