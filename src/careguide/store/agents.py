"""Doctor agents' governance: a physician's sign-off of one pack version, and the answers queued for audit.

A sign-off covers one agent version *and* one content digest (``assistant.agent_governance.pack_digest``),
so a pack file edited without raising its version is no longer covered. The audit queue holds the
person's request and the agent's answer (encrypted); a correction is kept on the item, with its version.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from careguide.privacy.crypto import EncryptedText
from careguide.store.base import Base, utcnow


class AgentSignoff(Base):
    __tablename__ = "agent_signoffs"
    __table_args__ = (UniqueConstraint("agent_id", "version", "digest", name="uq_agent_signoffs_agent_version_digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the pack's content and its documents
    # SET NULL: erasing the physician's account leaves the row, and a sign-off without its physician
    # no longer makes the pack active.
    doctor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgentAuditItem(Base):
    __tablename__ = "agent_audit_items"
    __table_args__ = (Index("ix_agent_audit_items_agent_status", "agent_id", "version", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    request: Mapped[str] = mapped_column(EncryptedText("assistant.agent_audit.request"))
    answer: Mapped[str] = mapped_column(EncryptedText("assistant.agent_audit.answer"))
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | approved | corrected
    corrected_answer: Mapped[str | None] = mapped_column(EncryptedText("assistant.agent_audit.corrected_answer"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
