"""Background jobs: durable records in the database, delivered by a queue backend.

``enqueue(session, name, args, key=...)`` writes a job row in the caller's transaction and
hands its id to the backend once that transaction commits. Backends (one file each):
``inprocess`` (the embedded default: a thread pool inside the API process) and ``redis``
(Dramatiq on Redis, for separate ``careguide worker`` processes). Retries, idempotency
and the dead-letter record live in the job table, so they behave the same on both.
"""

from careguide.jobs.queue import Backend, enqueue, get_backend, set_backend
from careguide.jobs.registry import task

__all__ = ["Backend", "enqueue", "get_backend", "set_backend", "task"]
