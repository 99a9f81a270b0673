"""Background jobs: idempotent enqueue, run after commit, retries, dead letters, lease takeover,
on the embedded backend and on Dramatiq + Redis, over SQLite and PostgreSQL."""

from __future__ import annotations

import socket
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from careguide.jobs import enqueue, task
from careguide.jobs.inprocess import InProcessBackend
from careguide.jobs.models import JobRecord
from careguide.jobs.runner import claim, run
from careguide.store.base import utcnow
from careguide.store.models import Notification, Role, User

FAILURES: dict[str, int] = {}


@task("test.notify", max_attempts=3, retry_base_seconds=0.05)
def notify(session, user_id: int, title: str):
    session.add(Notification(user_id=user_id, kind="test", title=title))
    return {"ok": True}


@task("test.flaky", max_attempts=3, retry_base_seconds=0.05)
def flaky(session, user_id: int, fail_times: int, tag: str):
    FAILURES[tag] = FAILURES.get(tag, 0) + 1
    session.add(Notification(user_id=user_id, kind="test", title=f"try {FAILURES[tag]}"))
    if FAILURES[tag] <= fail_times:
        raise RuntimeError(f"transient failure {FAILURES[tag]}")  # the notification above is rolled back
    return {"tries": FAILURES[tag]}


class Recorder:
    """A backend that only records deliveries, to drive the runner step by step."""

    def __init__(self):
        self.delivered: list[tuple[int, float]] = []

    def deliver(self, job_id, delay_seconds=0.0):
        self.delivered.append((job_id, delay_seconds))


def _user(database) -> int:
    with database.session() as session:
        user = User(username=f"u{uuid.uuid4().hex[:8]}", password_hash="x", role=Role.PATIENT)
        session.add(user)
        session.flush()
        return user.id


def _notes(database, user_id) -> list[str]:
    with database.session() as session:
        return list(session.scalars(select(Notification.title).where(Notification.user_id == user_id)))


def _wait(database, job_id, statuses=("done", "dead"), timeout=20.0) -> JobRecord:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with database.session() as session:
            job = session.get(JobRecord, job_id)
            if job is not None and job.status in statuses:
                return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not reach {statuses}")


def test_delivery_happens_only_after_commit_and_enqueue_is_idempotent(database):
    user = _user(database)
    recorder = Recorder()
    with database.session() as session:
        first = enqueue(session, "test.notify", {"user_id": user, "title": "a"}, key="k1", backend=recorder)
        again = enqueue(session, "test.notify", {"user_id": user, "title": "a"}, key="k1", backend=recorder)
        assert first.id == again.id and recorder.delivered == []
    assert [job_id for job_id, _ in recorder.delivered] == [first.id]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(JobRecord).where(JobRecord.key == "k1")) == 1


def test_rolled_back_enqueue_delivers_nothing(database):
    recorder = Recorder()
    with pytest.raises(RuntimeError), database.session() as session:
        enqueue(session, "test.notify", {"user_id": 1, "title": "x"}, backend=recorder)
        raise RuntimeError("request failed")
    assert recorder.delivered == []


def test_in_process_backend_runs_the_job(database):
    user = _user(database)
    backend = InProcessBackend(database)
    with database.session() as session:
        job = enqueue(session, "test.notify", {"user_id": user, "title": "hello"}, backend=backend)
    assert _wait(database, job.id).status == "done"
    assert _notes(database, user) == ["hello"]


def test_failures_retry_with_rollback_then_succeed(database):
    user = _user(database)
    backend = InProcessBackend(database)
    tag = uuid.uuid4().hex
    with database.session() as session:
        job = enqueue(session, "test.flaky", {"user_id": user, "fail_times": 2, "tag": tag}, backend=backend)
    done = _wait(database, job.id)
    assert (done.status, done.attempts, done.result) == ("done", 3, {"tries": 3})
    assert _notes(database, user) == ["try 3"]  # the failed tries left nothing behind


def test_a_job_that_keeps_failing_is_dead_lettered_with_its_error(database):
    user = _user(database)
    backend = InProcessBackend(database)
    with database.session() as session:
        job = enqueue(session, "test.flaky", {"user_id": user, "fail_times": 99, "tag": uuid.uuid4().hex},
                      backend=backend)
    dead = _wait(database, job.id)
    assert dead.status == "dead" and dead.attempts == 3 and "transient failure 3" in dead.error
    assert _notes(database, user) == []


def test_a_live_lease_blocks_a_second_worker_and_an_expired_one_is_taken_over(database):
    user = _user(database)
    with database.session() as session:
        job = enqueue(session, "test.notify", {"user_id": user, "title": "once"}, backend=Recorder())
    assert claim(database, job.id, worker="crashed-worker")
    assert run(database, job.id, worker="other") is None  # the lease is still live
    with database.session() as session:
        session.execute(update(JobRecord).where(JobRecord.id == job.id)
                        .values(locked_until=utcnow() - timedelta(seconds=1)))
    assert run(database, job.id, worker="other") == "done"
    assert run(database, job.id, worker="third") is None  # done jobs never run again
    assert _notes(database, user) == ["once"]


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis server on 127.0.0.1:6379")
def test_dramatiq_worker_on_redis_runs_and_retries_jobs(database):
    from careguide.jobs.redis_queue import RedisBackend

    user = _user(database)
    backend = RedisBackend("redis://127.0.0.1:6379/0", database=database, queue=f"careguide-test-{uuid.uuid4().hex[:8]}")
    worker, stop = backend.start_worker(threads=2, sweep_every=0.5)
    try:
        with database.session() as session:
            plain = enqueue(session, "test.notify", {"user_id": user, "title": "via redis"}, backend=backend)
            retried = enqueue(session, "test.flaky", {"user_id": user, "fail_times": 1, "tag": uuid.uuid4().hex},
                              backend=backend)
        assert _wait(database, plain.id).status == "done"
        assert _wait(database, retried.id).attempts == 2
        assert sorted(_notes(database, user)) == ["try 2", "via redis"]
    finally:
        stop.set()
        worker.stop()
        backend.broker.flush(backend.queue)


def test_a_scheduler_pass_outlives_a_database_that_is_down(database):
    """The worker's and the embedded scheduler's loop must go on through a database outage."""
    from careguide.jobs.schedule import PERIODIC, schedule_pass
    from careguide.store.db import Database

    with socket.socket() as probe:  # a port nothing listens on: every connection is refused, for real
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = Database(f"postgresql+psycopg://careguide@127.0.0.1:{port}/none?connect_timeout=2")
    assert schedule_pass(down, InProcessBackend(down)) is False
    backend = InProcessBackend(database)
    assert schedule_pass(database, backend) is True
    with database.session() as session:
        keys = session.scalars(select(JobRecord.key)).all()
    assert {key.split(":")[1] for key in keys if key} >= set(PERIODIC)
