"""How event names, channel kinds and delivery states are said to people."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

EVENT_LABELS = {
    "*": _l("Everything"),
    "inspection.submitted": _l("Inspection submitted"),
    "inspection.returned": _l("Inspection returned"),
    "inspection.approved": _l("Inspection approved"),
    "finding.opened": _l("Finding opened"),
    "finding.fixed": _l("Finding fixed"),
    "finding.closed": _l("Finding closed"),
    "finding.reopened": _l("Fix rejected"),
    "finding.overdue": _l("Finding overdue"),
    "finding.escalated": _l("Still overdue (escalated)"),
    "period.closed": _l("Period closed"),
    "appeal.filed": _l("Appeal filed"),
    "appeal.decided": _l("Appeal decided"),
    "digest.weekly": _l("Weekly summary"),
    "test": _l("Test message"),
}
CHANNEL_KIND_LABELS = {
    "wecom": _l("WeCom group robot"),
    "dingtalk": _l("DingTalk group robot"),
    "email": _l("Email"),
    "webhook": _l("Webhook"),
}
DELIVERY_STATUS_LABELS = {
    "pending": _l("Pending"),
    "delivered": _l("Delivered"),
    "failed": lazy_pgettext("delivery", "Failed"),
}
