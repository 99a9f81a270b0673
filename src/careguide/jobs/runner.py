"""Claiming and running jobs: the same code whichever backend delivered the job id."""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from sqlalchemy import or_, select, update

from careguide.jobs.models import JobRecord
from careguide.jobs.registry import run_task, spec
from careguide.store.base import utcnow
from careguide.store.db import Database

log = logging.getLogger("careguide.jobs")
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


def backoff(attempt: int, base_seconds: float = 2.0) -> timedelta:
    """Time before the next try: base, 4 x base, 16 x base ... capped at 10 minutes."""
    return timedelta(seconds=min(base_seconds * 4 ** max(attempt - 1, 0), 600))


def claim(database: Database, job_id: int, worker: str = WORKER_ID) -> bool:
    """Take the job if it is due and nobody holds a live lease on it (one conditional UPDATE)."""
    now = utcnow()
    with database.session() as session:
        job = session.get(JobRecord, job_id)
        if job is None:
            return False
        lease = spec(job.name).lease_seconds
        claimed = session.execute(
            update(JobRecord)
            .where(
                JobRecord.id == job_id,
                JobRecord.run_after <= now,
                or_(JobRecord.status == "queued",
                    (JobRecord.status == "running") & (JobRecord.locked_until < now)),
            )
            .values(status="running", attempts=JobRecord.attempts + 1, locked_by=worker,
                    locked_until=now + timedelta(seconds=lease))
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(claimed, "rowcount", 0) == 1)


def run(database: Database, job_id: int, worker: str = WORKER_ID) -> str | None:
    """Run one job if it can be claimed; returns its new status (None when not claimed)."""
    if not claim(database, job_id, worker):
        return None
    try:
        with database.session() as session:
            job = session.get(JobRecord, job_id)
            assert job is not None
            result = run_task(job.name, session, dict(job.args or {}))
            # Done only if this worker still holds the lease: the work and the mark commit together.
            marked = session.execute(
                update(JobRecord)
                .where(JobRecord.id == job_id, JobRecord.status == "running", JobRecord.locked_by == worker)
                .values(status="done", result=result, error=None, finished_at=utcnow(), locked_until=None)
                .execution_options(synchronize_session=False)
            )
            if getattr(marked, "rowcount", 0) != 1:
                raise LeaseLost(job_id)
        return "done"
    except LeaseLost:
        log.warning("job %s: lease lost to another worker; its work was rolled back", job_id)
        return None
    except Exception as exc:  # any failure of the task is recorded on the job, then retried or dead-lettered
        log.exception("job %s failed", job_id)
        return _failed(database, job_id, f"{type(exc).__name__}: {exc}"[:4000])


class LeaseLost(RuntimeError):
    pass


def _failed(database: Database, job_id: int, error: str) -> str:
    with database.session() as session:
        job = session.get(JobRecord, job_id)
        assert job is not None
        job.error = error
        job.locked_until = None
        if job.attempts >= job.max_attempts:
            job.status = "dead"
            job.finished_at = utcnow()
        else:
            job.status = "queued"
            job.run_after = utcnow() + backoff(job.attempts, spec(job.name).retry_base_seconds)
        return job.status


def seconds_until_due(database: Database, job_id: int) -> float:
    """How long a retried job waits before it may run again (0 when due or gone)."""
    with database.session() as session:
        job = session.get(JobRecord, job_id)
        return max((job.run_after - utcnow()).total_seconds(), 0.0) if job else 0.0


def due_jobs(database: Database, limit: int = 100) -> list[int]:
    """Jobs a sweeper should (re)deliver: queued and due, or running with an expired lease."""
    now = utcnow()
    with database.session() as session:
        return list(session.scalars(
            select(JobRecord.id)
            .where(or_((JobRecord.status == "queued") & (JobRecord.run_after <= now),
                       (JobRecord.status == "running") & (JobRecord.locked_until < now)))
            .order_by(JobRecord.run_after)
            .limit(limit)
        ))
