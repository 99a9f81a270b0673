"""The caller's in-app notifications: reminders, check-backs, booking confirmations."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from careguide.api.deps import CurrentUser, SessionDep
from careguide.api.errors import ApiError
from careguide.store.base import utcnow
from careguide.store.models import Notification

router = APIRouter(prefix="/api/v1/me/notifications", tags=["notifications"])


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    title: str
    body: str
    link: str | None
    due_at: datetime
    read_at: datetime | None


def due_notifications(session: SessionDep, user_id: int, *, include_read: bool = False,
                      limit: int = 50) -> list[Notification]:
    """Notifications whose time has come, newest first (future reminders stay hidden until due)."""
    query = select(Notification).where(Notification.user_id == user_id, Notification.due_at <= utcnow())
    if not include_read:
        query = query.where(Notification.read_at.is_(None))
    return list(session.scalars(query.order_by(Notification.due_at.desc()).limit(limit)))


@router.get("", response_model=list[NotificationOut])
def list_notifications(user: CurrentUser, session: SessionDep, include_read: bool = False,
                       limit: int = 50) -> list[Notification]:
    return due_notifications(session, user.id, include_read=include_read, limit=min(max(limit, 1), 200))


@router.post("/{notification_id}/read", response_model=NotificationOut)
def mark_read(notification_id: int, user: CurrentUser, session: SessionDep) -> Notification:
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise ApiError(404, "api.not_found")
    if notification.read_at is None:
        notification.read_at = utcnow()
    return notification
