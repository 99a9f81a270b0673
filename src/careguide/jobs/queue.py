"""Enqueueing: a job row now, a message to the backend after commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careguide.jobs.models import JobRecord
from careguide.jobs.registry import spec
from careguide.store.base import utcnow


class Backend(Protocol):
    """Carries job ids to whatever runs them."""

    def deliver(self, job_id: int, delay_seconds: float = 0.0) -> None: ...


_backend: Backend | None = None


def set_backend(backend: Backend | None) -> None:
    global _backend
    _backend = backend


def get_backend() -> Backend:
    """The configured backend (``CAREGUIDE_QUEUE``: inprocess by default, or redis)."""
    global _backend
    if _backend is None:
        from careguide.config import get_settings

        settings = get_settings()
        if settings.queue == "redis":
            from careguide.jobs.redis_queue import RedisBackend

            _backend = RedisBackend(settings.redis_url)
        else:
            from careguide.jobs.inprocess import InProcessBackend
            from careguide.store.db import get_database

            _backend = InProcessBackend(get_database(settings.resolved_database_url))
    return _backend


def enqueue(session: Session, name: str, args: dict[str, Any] | None = None, *, key: str | None = None,
            run_after: datetime | None = None, backend: Backend | None = None) -> JobRecord:
    """A job for ``name`` (idempotent on ``key``); delivered when ``session`` commits."""
    task = spec(name)
    if key is not None:
        existing = session.scalar(select(JobRecord).where(JobRecord.key == key))
        if existing is not None:
            return existing
    job = JobRecord(name=name, key=key, args=args or {}, max_attempts=task.max_attempts,
                    run_after=run_after or utcnow())
    try:
        with session.begin_nested():
            session.add(job)
            session.flush()
    except IntegrityError:  # another request enqueued the same key first
        existing = session.scalar(select(JobRecord).where(JobRecord.key == key))
        assert existing is not None
        return existing
    delay = max((job.run_after - utcnow()).total_seconds(), 0.0)
    target = backend or get_backend()
    job_id = job.id

    @event.listens_for(session, "after_commit", once=True)
    def _deliver(_session: Session) -> None:
        target.deliver(job_id, delay)

    return job
