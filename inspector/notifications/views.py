"""The inbox for everyone; channels and the delivery log for administrators."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from inspector import queue
from inspector.admin.views import show_errors
from inspector.auth.permissions import role_required
from inspector.auth.views import safe_next
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.models import ChannelKind, Delivery, DeliveryAttempt, Role
from inspector.notifications import channels, inbox
from inspector.notifications.forms import ChannelForm, SettingsForm
from inspector.notifications.labels import (
    CHANNEL_KIND_LABELS,
    DELIVERY_STATUS_LABELS,
    EVENT_LABELS,
)

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
LOG_PAGE = 100


@bp.app_context_processor
def header_helpers():
    """The unread count and latest messages, counted only when a page shows them (the header's
    count is inspector/main/chrome.py's, kept with the header)."""

    def unread():
        return inbox.unread_count(current_user) if current_user.is_authenticated else 0

    def latest_unread():
        return inbox.latest(current_user, unread_only=True, limit=3)

    return {
        "unread_count": unread,
        "latest_unread": latest_unread,
        "shown_target": channels.shown_target,
        "EVENT_LABELS": EVENT_LABELS,
        "CHANNEL_KIND_LABELS": CHANNEL_KIND_LABELS,
        "DELIVERY_STATUS_LABELS": DELIVERY_STATUS_LABELS,
    }


@bp.route("/")
@login_required
def index():
    """Show the signed-in user's messages, newest first."""
    form = SettingsForm(email=current_user.email, locale=current_user.locale or "zh")
    return render_template(
        "notifications/index.html", messages=inbox.latest(current_user), form=form
    )


@bp.route("/<int:notification_id>")
@login_required
def open_message(notification_id):
    """Mark a message read and go to what it is about."""
    notification = inbox.get_own_or_404(current_user, notification_id)
    inbox.mark_read(current_user, notification)
    db.session.commit()
    return redirect(inbox.drawn(notification).url or url_for("notifications.index"), code=303)


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    """Mark every message read."""
    inbox.mark_read(current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"), code=303)


@bp.route("/settings", methods=["POST"])
@login_required
def settings():
    """Save where one's messages are mailed, and their language."""
    form = SettingsForm()
    if form.validate_on_submit():
        current_user.email = (form.email.data or "").strip() or None
        current_user.locale = form.locale.data
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for("notifications.index"), code=303)
    messages = inbox.latest(current_user)
    return render_template("notifications/index.html", messages=messages, form=form), 422


@bp.route("/channels")
@role_required(Role.ADMIN)
def channel_list():
    """List the channels messages go to."""
    return render_template("notifications/channels.html", channels=channels.live_channels())


@bp.route("/channels/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create_channel():
    """Add a WeCom or DingTalk robot, a mailbox or a webhook."""
    form = ChannelForm()
    if form.validate_on_submit():
        # The boxes ticked by default include events only people and robots are sent: a
        # webhook keeps the contract's events of those ticked, and the page says which not.
        allowed = channels.allowed_events(form.kind.data)
        events = [name for name in form.events.data if name in allowed]
        left_out = [name for name in form.events.data if name not in allowed]
        try:
            channel, secret = channels.create_channel(
                current_user, form.kind.data, form.target.data, events or form.events.data,
                form.secret.data or None, form.department.data or None,
                name=form.name.data, locale=form.locale.data,
            )  # fmt: skip
        except ValidationError as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            db.session.commit()
            flash(_("Channel added. Send a test message to check it."), "success")
            if left_out:
                names = "、".join(str(EVENT_LABELS.get(name, name)) for name in left_out)
                flash(_("Webhooks are not sent: %(names)s.", names=names), "info")
            if channel.kind == ChannelKind.WEBHOOK and not form.secret.data:
                flash(_("Its signing secret, shown this once: %(secret)s", secret=secret), "info")
            return redirect(url_for("notifications.channel", channel_id=channel.id), code=303)
    return render_template("notifications/channel_form.html", form=form)


def channel_or_404(channel_id):
    channel = channels.get_channel_or_none(channel_id)
    if channel is None:
        abort(404)
    return channel


@bp.route("/channels/<int:channel_id>")
@role_required(Role.ADMIN)
def channel(channel_id):
    """Show a channel and its latest deliveries."""
    found = channel_or_404(channel_id)
    rows = delivery_rows(channels.deliveries_of(found))
    return render_template("notifications/channel.html", channel=found, deliveries=rows)


@bp.route("/channels/<int:channel_id>/test", methods=["POST"])
@role_required(Role.ADMIN)
def test_channel(channel_id):
    """Send a test message through a channel."""
    delivery = channels.send_test(current_user, channel_or_404(channel_id))
    db.session.commit()
    queue.nudge(current_app._get_current_object(), "deliver", delivery.id)
    flash(_("Test message queued: it shows below within seconds."), "success")
    return redirect(url_for("notifications.channel", channel_id=channel_id), code=303)


@bp.route("/channels/<int:channel_id>/delete", methods=["POST"])
@role_required(Role.ADMIN)
def delete_channel(channel_id):
    """Stop sending to a channel."""
    channels.delete_channel(current_user, channel_or_404(channel_id))
    db.session.commit()
    flash(_("Channel deleted."), "success")
    return redirect(url_for("notifications.channel_list"), code=303)


def delivery_rows(stmt):
    """The newest deliveries of `stmt`, each with its attempts (newest first)."""
    if request.args.get("status") in DELIVERY_STATUS_LABELS:
        stmt = stmt.where(Delivery.status == request.args["status"])
    found = db.session.scalars(stmt.order_by(Delivery.id.desc()).limit(LOG_PAGE)).all()
    attempts = {}
    if found:
        for attempt in db.session.scalars(
            select(DeliveryAttempt)
            .where(DeliveryAttempt.delivery_id.in_([d.id for d in found]))
            .order_by(DeliveryAttempt.id.desc())
        ):
            attempts.setdefault(attempt.delivery_id, []).append(attempt)
    return [(delivery, attempts.get(delivery.id, [])) for delivery in found]


@bp.route("/deliveries")
@role_required(Role.ADMIN)
def deliveries():
    """The delivery log: every channel's and every person's email, failed ones first to see."""
    rows = delivery_rows(channels.deliveries_of())
    return render_template("notifications/deliveries.html", deliveries=rows)


@bp.route("/deliveries/<int:delivery_id>/retry", methods=["POST"])
@role_required(Role.ADMIN)
def retry(delivery_id):
    """Send a failed delivery again (same delivery id)."""
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None:
        abort(404)
    channels.retry(current_user, delivery)
    db.session.commit()
    queue.nudge(current_app._get_current_object(), "deliver", delivery.id)
    flash(_("Sending it again."), "success")
    back = request.form.get("back")
    return redirect(safe_next(back) if back else url_for("notifications.deliveries"), code=303)
