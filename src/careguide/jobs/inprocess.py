"""The embedded default: jobs run on a small thread pool inside the serving process."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from careguide.jobs.runner import due_jobs, run, seconds_until_due
from careguide.store.db import Database


class InProcessBackend:
    def __init__(self, database: Database, workers: int = 2) -> None:
        self.database = database
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="careguide-job")

    def deliver(self, job_id: int, delay_seconds: float = 0.0) -> None:
        if delay_seconds > 0:
            timer = threading.Timer(delay_seconds, self._submit, args=(job_id,))
            timer.daemon = True
            timer.start()
        else:
            self._submit(job_id)

    def _submit(self, job_id: int) -> None:
        self.pool.submit(self._run_and_retry, job_id)

    def _run_and_retry(self, job_id: int) -> None:
        if run(self.database, job_id) == "queued":
            self.deliver(job_id, seconds_until_due(self.database, job_id))

    def sweep(self) -> int:
        """Deliver jobs left behind (a restart, an expired lease); returns how many."""
        found = due_jobs(self.database)
        for job_id in found:
            self._submit(job_id)
        return len(found)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True)


def start_scheduler(database: Database, backend: InProcessBackend, every_seconds: float = 60.0) -> threading.Event:
    """Every minute: enqueue the periodic jobs that are due and re-deliver jobs left behind."""
    from careguide.jobs.schedule import schedule_pass

    stop = threading.Event()

    def loop() -> None:
        while True:
            schedule_pass(database, backend)
            if stop.wait(every_seconds):
                return

    threading.Thread(target=loop, name="careguide-scheduler", daemon=True).start()
    return stop
