"""Jobs carried by Dramatiq on Redis, run by ``careguide worker`` processes on any host.

Dramatiq was picked over Celery (heavier, more moving parts) and arq (asyncio, while
careguide's storage is synchronous): it is a small synchronous library whose Redis broker
re-delivers the messages of a worker that died. Retries, idempotency and dead letters are
kept in the job table instead of Dramatiq's own, so they are the same in every backend.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from careguide.jobs.runner import due_jobs, run, seconds_until_due

log = logging.getLogger("careguide.jobs")
QUEUE = "careguide"
ACTOR = "careguide_run_job"


class RedisBackend:
    def __init__(self, url: str, database: Any = None, queue: str = QUEUE) -> None:
        self.url = url
        self.queue = queue
        self.broker = RedisBroker(url=url)
        self._database = database
        backend = self

        def run_job(job_id: int) -> None:
            if run(backend.database, job_id) == "queued":
                backend.deliver_when_due(job_id)

        self.actor = dramatiq.actor(actor_name=ACTOR, queue_name=queue, max_retries=0, broker=self.broker)(run_job)

    @property
    def database(self) -> Any:
        if self._database is None:
            from careguide.store.db import get_database

            self._database = get_database()
        return self._database

    def deliver(self, job_id: int, delay_seconds: float = 0.0) -> None:
        self.actor.send_with_options(args=(job_id,), delay=int(delay_seconds * 1000) or None)

    def deliver_when_due(self, job_id: int) -> None:
        self.deliver(job_id, seconds_until_due(self.database, job_id))

    def sweep(self) -> int:
        found = due_jobs(self.database)
        for job_id in found:
            self.deliver(job_id)
        return len(found)

    def start_worker(self, threads: int = 4, sweep_every: float = 15.0) -> tuple[dramatiq.Worker, threading.Event]:
        """A Dramatiq worker in this process plus a sweeper that re-delivers jobs left behind."""
        worker = dramatiq.Worker(self.broker, worker_threads=threads, queues={self.queue})
        worker.start()
        stop = threading.Event()

        def sweeper() -> None:
            while not stop.wait(sweep_every):
                try:
                    self.sweep()
                except Exception:  # a database hiccup must not kill the sweeper; it tries again
                    log.exception("job sweep failed")

        threading.Thread(target=sweeper, name="careguide-sweeper", daemon=True).start()
        return worker, stop
