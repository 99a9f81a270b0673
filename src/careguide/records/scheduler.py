"""The reminder scheduler: ``tick`` plans (daily) and delivers (every call) reminders.

In-process by default: the API starts a ``ReminderScheduler`` thread. At scale a separate
worker runs ``careguide records reminders-worker`` instead; several may run at once, since
``run_due`` claims rows with SKIP LOCKED on PostgreSQL and SQLite serialises writers.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from careguide.records.reminders import plan_all, run_due
from careguide.store.base import utcnow
from careguide.store.db import Database

log = logging.getLogger("careguide.records.scheduler")


class ReminderScheduler:
    def __init__(self, database: Database, interval_s: float = 60.0, plan_every: timedelta = timedelta(days=1)) -> None:
        self.database = database
        self.interval_s = interval_s
        self.plan_every = plan_every
        self._planned_at: datetime | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self, now: datetime | None = None) -> int:
        """One pass: re-plan everyone when a day has passed, then deliver what is due. Returns sent count."""
        now = now or utcnow()
        with self.database.session() as session:
            if self._planned_at is None or now - self._planned_at >= self.plan_every:
                plan_all(session, now)
                self._planned_at = now
        with self.database.session() as session:
            return run_due(session, now)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="careguide-reminders", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                sent = self.tick()
                if sent:
                    log.info("delivered %d reminders", sent)
            except Exception:  # keep the scheduler alive; the next tick retries
                log.exception("reminder tick failed")
            self._stop.wait(self.interval_s)
