"""How booking tells a person something: one small channel interface; in-app is the first channel."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel
from sqlalchemy.orm import Session

from careguide.store.base import utcnow
from careguide.store.models import Notification


class Message(BaseModel):
    """One message to one user, already in their language; ``due_at`` delays reminders."""

    user_id: int
    kind: str
    title: str
    body: str = ""
    link: str | None = None
    due_at: datetime | None = None


class Channel(Protocol):
    """Delivers a message inside the caller's transaction (so a refused booking sends nothing)."""

    def send(self, session: Session, message: Message) -> None: ...


class InAppChannel:
    """Writes the message as a ``Notification`` row the web pages and API show."""

    def send(self, session: Session, message: Message) -> None:
        session.add(
            Notification(
                user_id=message.user_id,
                kind=message.kind,
                title=message.title[:200],
                body=message.body,
                link=message.link,
                due_at=message.due_at or utcnow(),
            )
        )


DEFAULT_CHANNEL: Channel = InAppChannel()
