"""The audit chain: every read and write of health data appends one event.

Each event's hash is SHA-256 over its own fields and the previous event's hash, so
changing, deleting or inserting a row breaks the chain at that row. ``verify``
walks the chain in order and names the first event that does not fit.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careguide.store.base import utcnow
from careguide.store.models import AuditEvent

GENESIS = "0" * 64
_MAX_RETRIES = 20
_PG_LOCK_KEY = 0x6361726567  # "careg"


class Outcome:
    ALLOWED = "allowed"
    DENIED = "denied"
    ERROR = "error"


def record(
    session: Session,
    *,
    action: str,
    outcome: str,
    actor_id: int | None = None,
    subject_id: int | None = None,
    resource: str = "",
    purpose: str = "",
    detail: dict[str, object] | None = None,
) -> AuditEvent:
    """Append one event to the chain inside ``session``'s transaction.

    Appends are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock held to
    commit); should two writers still meet, the unique sequence number turns the loser's
    insert into an IntegrityError inside a savepoint, and it retries on the new tail.
    """
    key = chain_key()
    if session.get_bind().dialect.name == "postgresql":
        # The chain is one total order: appenders queue on a transaction-scoped lock
        # (released at commit) instead of racing for the same sequence number.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    for _ in range(_MAX_RETRIES):
        now = utcnow()
        tail = session.execute(
            select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
        ).first()
        seq, prev_hash = (tail[0] + 1, tail[1]) if tail else (1, GENESIS)
        event = AuditEvent(
            seq=seq,
            at=now.replace(microsecond=now.microsecond // 1000 * 1000),
            actor_id=actor_id,
            subject_id=subject_id,
            action=action,
            resource=resource,
            purpose=purpose,
            outcome=outcome,
            detail=detail or {},
            prev_hash=prev_hash,
        )
        event.hash = event_hash(event, key)
        try:
            with session.begin_nested():
                session.add(event)
                session.flush()
        except IntegrityError:
            continue
        return event
    raise RuntimeError("audit chain: could not append after repeated contention")


def chain_key() -> bytes:
    """The HMAC key of the chain, derived from the deployment's secret (kept outside the database),
    so someone who can write to the database cannot forge a consistent chain."""
    from careguide.config import get_settings

    secret = get_settings().resolved_secret_key()
    return hashlib.sha256(b"careguide-audit-chain:" + secret.encode("utf-8")).digest()


def event_hash(event: AuditEvent, key: bytes) -> str:
    body = {
        "seq": event.seq,
        "at": _iso(event.at),
        "actor_id": event.actor_id,
        "subject_id": event.subject_id,
        "action": event.action,
        "resource": event.resource,
        "purpose": event.purpose,
        "outcome": event.outcome,
        "detail": event.detail or {},
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    first_bad_seq: int | None = None
    first_bad_id: int | None = None
    problem: str = ""


def verify(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the chain from the start; report the first altered, inserted or deleted event."""
    key = chain_key()
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    last_seq = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return ChainReport(ok=True, events=count)
        for event in rows:
            count += 1
            if event.seq != expected_seq:
                problem = (
                    f"event(s) deleted before seq {event.seq}: expected seq {expected_seq}"
                    if event.seq > expected_seq
                    else f"seq {event.seq} out of order"
                )
                return ChainReport(False, count, event.seq, event.id, problem)
            if event.prev_hash != expected_prev:
                return ChainReport(
                    False, count, event.seq, event.id, "previous-hash link broken (an event was inserted, deleted or replaced)"
                )
            if event_hash(event, key) != event.hash:
                return ChainReport(False, count, event.seq, event.id, "contents altered: hash does not match")
            expected_prev = event.hash
            expected_seq += 1
            last_seq = event.seq
