"""Conversations as stored state: load, answer one turn, save - safe under concurrent turns.

The assistant itself is pure (state in, state out); this module keeps that state in the
database, encrypted, with an optimistic version check so two turns sent at once cannot
silently overwrite each other (the second gets a clear "try again" and loses nothing).
Agent referrals land in the clinic's queue; an agent answers only under a stored physician sign-off,
and its sampled answers land in that physician's audit queue.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from careguide.assistant import agent_governance
from careguide.assistant.assistant import Assistant, TurnResult
from careguide.assistant.state import ConversationState
from careguide.privacy import audit
from careguide.privacy.consent import Access, require_access
from careguide.store.base import utcnow
from careguide.store.conversations import Conversation
from careguide.store.models import User


class ConversationError(Exception):
    """``key`` is a catalog key in ``conversations``."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def start(session: Session, actor: User, person_id: int, region: str, lang: str | None = None) -> Conversation:
    require_access(session, actor, person_id, Access.WRITE, resource=f"person/{person_id}/conversations")
    state = ConversationState(region=region, language=lang if lang in ("en", "zh") else None)
    row = Conversation(id=state.id, person_id=person_id, state=state.model_dump(mode="json"))
    session.add(row)
    session.flush()
    return row


def load(session: Session, actor: User, conversation_id: str, access: Access = Access.READ) -> Conversation:
    row = session.get(Conversation, conversation_id)
    if row is None:
        raise ConversationError("not_found")
    require_access(session, actor, row.person_id, access, resource=f"conversation/{conversation_id}")
    return row


def state_of(row: Conversation) -> ConversationState:
    return ConversationState.model_validate(row.state)


def answer(session: Session, assistant: Assistant, actor: User, conversation_id: str, text: str,
           lang: str | None = None) -> TurnResult:
    row = load(session, actor, conversation_id, Access.WRITE)
    seen_version = row.version
    state = state_of(row)
    pack = assistant.agents.packs.get(state.agent_id) if state.agent_id else None
    signoff = agent_governance.signoff_for(session, pack) if pack is not None else None
    result = assistant.respond(state, text, lang, agent_signoff=signoff)
    saved = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.version == seen_version)
        .values(state=result.state.model_dump(mode="json"), turns=len(result.state.turns),
                version=seen_version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(saved, "rowcount", 0) != 1:
        raise ConversationError("busy")
    audit.record(session, action="assistant.turn", outcome=audit.Outcome.ALLOWED, actor_id=actor.id,
                 subject_id=row.person_id, resource=f"conversation/{conversation_id}",
                 detail={"intent": result.intent, "emergency": result.emergency, "refused": result.refused,
                         "autonomy_level": result.autonomy_level, "safety_rules": result.safety_rules[:20]})
    if result.agent is not None and pack is not None:
        agent_governance.queue_for_audit(session, row.person_id, text, result.agent, pack, result.language)
    referral = result.agent.referral if result.agent else None
    if referral is not None:
        from careguide.clinician import queue

        queue.refer(session, actor, row.person_id, source="agent", department=referral.department,
                    urgency=_urgency(referral.urgency), reason=referral.summary,
                    detail=referral.model_dump(mode="json"))
    return result


def purge_expired(session: Session, retention_days: int) -> int:
    """Delete conversations untouched for longer than the retention period."""
    cutoff = utcnow() - timedelta(days=retention_days)
    done = session.execute(delete(Conversation).where(Conversation.updated_at < cutoff))
    return int(getattr(done, "rowcount", 0) or 0)


def recent(session: Session, actor: User, person_id: int, limit: int = 20) -> list[Conversation]:
    require_access(session, actor, person_id, Access.READ, resource=f"person/{person_id}/conversations")
    return list(session.scalars(select(Conversation).where(Conversation.person_id == person_id)
                                .order_by(Conversation.updated_at.desc()).limit(limit)))


def _urgency(value: str) -> str:
    return value if value in ("ambulance", "emergency", "urgent", "routine", "self_care") else "routine"
