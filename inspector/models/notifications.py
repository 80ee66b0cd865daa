"""Where messages go (channels), what was sent and how it went (deliveries), and the inbox."""

import enum
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, enum_type, utcnow


class ChannelKind(enum.StrEnum):
    WEBHOOK = "webhook"  # an integrator's receiver: the contract's signed JSON
    WECOM = "wecom"  # 企业微信 group robot
    DINGTALK = "dingtalk"  # 钉钉 custom robot
    EMAIL = "email"  # a mailbox, e.g. a department's


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class Channel(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ChannelKind] = mapped_column(enum_type(ChannelKind))
    name: Mapped[str] = mapped_column(String(100), default="")
    # The receiver (webhook, robot) or the mailbox (email). A robot's URL holds its key: it is
    # a secret too, shown back only in part.
    target: Mapped[str] = mapped_column(String(2000))
    # The webhook's signing secret, or the DingTalk robot's 加签 secret. Never shown back.
    secret: Mapped[str] = mapped_column(String(200), default="")
    events: Mapped[Any] = mapped_column(JSON, default=list)  # names, or ["*"]
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id"))
    locale: Mapped[str] = mapped_column(String(8), default="zh")
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    department: Mapped[Optional["Department"]] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Channel {self.id} {self.kind}>"


class Delivery(db.Model):
    __table_args__ = (
        # The sweeper's question: which pending deliveries are due?
        Index("ix_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        # Order per record: is an earlier delivery to the same target still pending?
        Index("ix_delivery_target_record_key_id", "target", "record_key", "id"),
        Index("ix_delivery_channel_id_id", "channel_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)  # X-Inspector-Delivery
    event_id: Mapped[Optional[int]] = mapped_column(ForeignKey("event.id"), index=True)
    name: Mapped[str] = mapped_column(String(32))  # the event's name, "digest.weekly", "test"
    channel_id: Mapped[Optional[int]] = mapped_column(ForeignKey("channel.id"))
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[ChannelKind] = mapped_column(enum_type(ChannelKind))
    target: Mapped[str] = mapped_column(String(32))  # "channel:7" or "user:12"
    record_key: Mapped[str] = mapped_column(String(80))
    # Exactly what is sent, fixed when the delivery is made: every retry sends the same bytes.
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_type(DeliveryStatus), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Retries go on until retry_since + DELIVERY_GIVE_UP_AFTER (a retry by hand restarts it).
    retry_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A worker sending it holds it until then; a killed worker's hold simply runs out.
    held_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_status_code: Mapped[Optional[int]] = mapped_column()
    last_error: Mapped[str] = mapped_column(String(200), default="")

    channel: Mapped[Optional[Channel]] = relationship()
    user: Mapped[Optional["User"]] = relationship()  # noqa: F821
    event: Mapped[Optional["Event"]] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Delivery {self.id} {self.name} to {self.target} {self.status}>"


class DeliveryAttempt(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("delivery.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_code: Mapped[Optional[int]] = mapped_column()  # None: no answer
    error: Mapped[str] = mapped_column(String(200), default="")
    duration_ms: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<DeliveryAttempt {self.delivery_id} {self.status_code}>"


class Notification(db.Model):
    """A message in a person's in-app inbox, drawn in their language when they read it."""

    # The header's unread count: one indexed count per page.
    __table_args__ = (Index("ix_notification_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    event_id: Mapped[Optional[int]] = mapped_column(ForeignKey("event.id"))
    name: Mapped[str] = mapped_column(String(32))
    # What the message is drawn from: the event's data, and for whom (a department digest).
    data: Mapped[Any] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.name} for {self.user_id}>"
