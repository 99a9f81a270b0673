"""A person's conversations with the assistant; the state (with every turn's text) is encrypted at rest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from careguide.privacy.crypto import EncryptedJSON
from careguide.store.base import Base, utcnow


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_person_updated", "person_id", "updated_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    state: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("assistant.conversation.state"))
    turns: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0)  # optimistic lock: concurrent turns never overwrite
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
