"""Periodic jobs: enqueued once per period under an idempotency key, so many workers or API
processes scheduling at once still create one job per period."""

from __future__ import annotations

import logging
from datetime import datetime

from careguide.jobs.queue import Backend, enqueue
from careguide.store.base import utcnow
from careguide.store.db import Database

# task name -> period in minutes
PERIODIC: dict[str, int] = {
    "records.deliver_reminders": 15,
    "records.plan_reminders": 24 * 60,
    "assistant.purge_conversations": 24 * 60,
}


def schedule_periodic(database: Database, backend: Backend | None = None, now: datetime | None = None) -> int:
    moment = now or utcnow()
    created = 0
    with database.session() as session:
        for name, minutes in PERIODIC.items():
            slot = int(moment.timestamp() // (minutes * 60))
            job = enqueue(session, name, key=f"periodic:{name}:{slot}", backend=backend)
            created += job.attempts == 0 and job.status == "queued"
    return created


def schedule_pass(database: Database, backend: Backend | None = None, *, sweep: bool = True) -> bool:
    """One pass of a scheduler loop (the worker's or the embedded one's): enqueue what is due, and
    (``sweep``) re-deliver what was left behind where the backend can. A database outage (a restart,
    a dropped connection) is logged and the loop goes on; the next pass tries again. True when it ran."""
    try:
        schedule_periodic(database, backend)
        redeliver = getattr(backend, "sweep", None) if sweep else None
        if redeliver is not None:
            redeliver()
    except Exception:  # a transient database error must not end the schedule
        logging.getLogger("careguide.jobs").exception("scheduler pass failed")
        return False
    return True
