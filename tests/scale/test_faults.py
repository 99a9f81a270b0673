"""Faults under load: kill -9 an API worker and the queue worker, restart PostgreSQL; then the
database must hold every answered request, every job once, and no slot booked twice.

Runs 2 uvicorn workers and one ``careguide worker`` on a scratch PostgreSQL database and its
own Redis database; skipped when either server is unreachable.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

PG_ADMIN = os.environ.get("CAREGUIDE_SCALE_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("CAREGUIDE_SCALE_REDIS", "redis://127.0.0.1:6379/12")
PASSWORD = "careguide-demo-1"
HERE = Path(__file__).parent
# Migrate and seed in one process (three CLI runs would import careguide three times).
SEED = """
from datetime import date
from careguide import demo
from careguide.booking.demo import seed_directory
from careguide.store import get_database
database = get_database()
database.upgrade()
with database.session() as session:
    demo.seed(session)
    seed_directory(session, date.today(), 7, city_keys=["beijing"], days=3)
"""


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not (_reachable("127.0.0.1", 5432) and _reachable("127.0.0.1", 6379)),
    reason="the fault test needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379",
)


# --- processes ------------------------------------------------------------------------------

@dataclass
class Stack:
    env: dict[str, str]
    data_dir: Path
    database_url: str
    base: str
    api: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes] | None = None
    logs: list[Path] = field(default_factory=list)

    def start_worker(self) -> None:
        # The worker imports the records tasks first, whether or not careguide.jobs.tasks does yet.
        log = self.data_dir / f"worker-{len(self.logs)}.log"
        self.logs.append(log)
        self.worker = subprocess.Popen(
            [sys.executable, "-c", "import careguide.jobs.tasks_records; from careguide.cli import main; main()",
             "worker", "--threads", "4"],
            env=self.env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )

    def api_worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.api.pid}/task/{self.api.pid}/children").read_text().split()
        return [int(pid) for pid in children
                if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _admin(statement: str) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(f"{PG_ADMIN}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _clear_redis_queue() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter("dramatiq*"):
        client.delete(key)
    client.close()


def _wait_ready(base: str, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base} not ready after {seconds} s")


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    name = f"careguide_faults_{uuid.uuid4().hex[:8]}"
    _admin(f'CREATE DATABASE "{name}"')
    _clear_redis_queue()
    data_dir = Path(tempfile.mkdtemp(prefix="careguide-faults-"))
    database_url = f"{PG_ADMIN}/{name}"
    env = dict(os.environ, CAREGUIDE_DATA_DIR=str(data_dir), CAREGUIDE_DATABASE_URL=database_url,
               CAREGUIDE_QUEUE="redis", CAREGUIDE_REDIS_URL=REDIS_URL, CAREGUIDE_SECRET_KEY="f" * 48,
               CAREGUIDE_LOGIN_MAX_FAILURES="1000",
               # The load here is the test's own, on purpose: rate limits (tested in tests/privacy) stay out of it.
               CAREGUIDE_RATE_LIMIT_PER_CLIENT="1000000", CAREGUIDE_RATE_LIMIT_PER_CREDENTIAL="1000000",
               CAREGUIDE_RATE_LIMIT_COSTLY="1000000")
    api: subprocess.Popen[bytes] | None = None
    built: Stack | None = None
    try:
        subprocess.run([sys.executable, "-c", SEED], env=env, check=True, capture_output=True)
        port = _free_port()
        api = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "scale_app:create_app", "--factory", "--app-dir", str(HERE),
             "--port", str(port), "--workers", "2", "--log-level", "warning", "--no-access-log"],
            env=env, stdout=(data_dir / "api.log").open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        built = Stack(env, data_dir, database_url, f"http://127.0.0.1:{port}", api)
        _wait_ready(built.base, 60)
        built.start_worker()
        yield built
    finally:
        for process in (api, built.worker if built else None):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        _postgres_running()
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _clear_redis_queue()
        shutil.rmtree(data_dir, ignore_errors=True)


def _restart_postgres(down_s: float = 2.0) -> None:
    """Stop this machine's PostgreSQL (fast: open transactions are cut), keep it down ``down_s``
    as a failover would, and start it again."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    cluster = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
    subprocess.run([*cluster, "stop", "-m", "fast"], check=True, capture_output=True, timeout=60)
    time.sleep(down_s)
    subprocess.run([*cluster, "start"], check=True, capture_output=True, timeout=60)


def _postgres_running() -> None:
    """Leave this machine's PostgreSQL up, whatever happened in the test."""
    if _reachable("127.0.0.1", 5432):
        return
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False,
                   capture_output=True, timeout=60)


# --- the load -------------------------------------------------------------------------------

@dataclass
class Ledger:
    """What the clients were told: the successes the database must hold, and every other answer."""

    bookings: list[int] = field(default_factory=list)
    imports: list[list[str]] = field(default_factory=list)  # resource ids of each answered import
    refusals: dict[str, int] = field(default_factory=dict)
    unclear: list[str] = field(default_factory=list)  # answers that are neither success nor retriable
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, kind: str) -> None:
        with self.lock:
            self.refusals[kind] = self.refusals.get(kind, 0) + 1


def _judge(ledger: Ledger, response: httpx.Response | None, what: str) -> bool:
    """True on success; records a retriable failure, or an unclear one the test fails on."""
    if response is None:
        ledger.note(f"{what}:connection")  # the killed worker's connections, or the restart window
        return False
    if response.status_code in (200, 201):
        ledger.note(f"{what}:ok")
        return True
    if response.status_code == 503 and response.headers.get("retry-after"):
        ledger.note(f"{what}:503")
    elif response.status_code == 409 and what == "booking":
        ledger.note("booking:409")  # the slot went to someone else: a clear refusal
    else:
        with ledger.lock:
            ledger.unclear.append(f"{what}: {response.status_code} {response.text[:200]}")
    return False


def _request(client: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response | None:
    try:
        return client.request(method, url, **kwargs)
    except httpx.HTTPError:
        return None


def _login(client: httpx.Client, username: str) -> dict[str, str] | None:
    response = _request(client, "POST", "/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    if response is None or response.status_code != 200:
        return None
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _booker(base: str, username: str, stop: threading.Event, ledger: Ledger) -> None:
    with httpx.Client(base_url=base, timeout=20) as client:
        headers = None
        while not stop.is_set():
            headers = headers or _login(client, username)
            if headers is None:
                time.sleep(0.3)
                continue
            matched = _request(client, "POST", "/api/v1/booking/match", headers=headers,
                               json={"disposition": "routine", "department_ids": ["general_practice"]})
            if not _judge(ledger, matched, "match"):
                time.sleep(0.2)
                continue
            assert matched is not None
            for proposal in matched.json().get("proposals", [])[:2]:
                booked = _request(client, "POST", "/api/v1/booking/appointments", headers=headers,
                                  json={"slot_id": proposal["slot_id"]})
                if _judge(ledger, booked, "booking"):
                    assert booked is not None
                    with ledger.lock:
                        ledger.bookings.append(int(booked.json()["id"]))
                    break


def _importer(base: str, username: str, stop: threading.Event, ledger: Ledger) -> None:
    with httpx.Client(base_url=base, timeout=20) as client:
        headers = None
        while not stop.is_set():
            headers = headers or _login(client, username)
            if headers is None:
                time.sleep(0.3)
                continue
            ids = [f"sync-{uuid.uuid4().hex[:12]}" for _ in range(3)]
            bundle = _bundle(ids)
            response = _request(client, "POST", "/api/v1/records/import", headers=headers,
                                files={"files": ("labs.json", json.dumps(bundle).encode(), "application/json")})
            if _judge(ledger, response, "import") and response is not None:
                if response.json().get("errors"):
                    with ledger.lock:
                        ledger.unclear.append(f"import refused its file: {response.text[:200]}")
                    continue
                with ledger.lock:
                    ledger.imports.append(ids)


def _prober(base: str, stop: threading.Event, ledger: Ledger) -> None:
    """A cheap authenticated read, as often as it answers: it sees the PostgreSQL restart."""
    with httpx.Client(base_url=base, timeout=10) as client:
        headers = None
        while not stop.is_set():
            headers = headers or _login(client, "doctor")
            if headers is None:
                time.sleep(0.1)
                continue
            response = _request(client, "GET", "/api/v1/me", headers=headers)
            if not _judge(ledger, response, "probe"):
                time.sleep(0.05)


def _bundle(observation_ids: list[str]) -> dict[str, Any]:
    def observation(oid: str, value: float) -> dict[str, Any]:
        return {"resourceType": "Observation", "id": oid, "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]},
                "effectiveDateTime": "2024-03-01T08:00:00+08:00",
                "valueQuantity": {"value": value, "unit": "mmol/L", "system": "http://unitsofmeasure.org",
                                  "code": "mmol/L"}}

    resources = [observation(oid, 5.0 + n / 10) for n, oid in enumerate(observation_ids)]
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]}


def _enqueue_import_jobs(stack: Stack, count: int, person_username: str) -> list[tuple[str, list[str]]]:
    """Stage ``count`` files and enqueue their import jobs, as the API does after an upload."""
    from sqlalchemy import select

    from careguide.jobs.redis_queue import RedisBackend
    from careguide.jobs.tasks_records import enqueue_import, stage_upload
    from careguide.store.db import Database
    from careguide.store.models import User

    database = Database(stack.database_url)
    backend = RedisBackend(REDIS_URL, database)
    staged: list[tuple[str, list[str]]] = []
    try:
        with database.session() as session:
            user = session.scalar(select(User).where(User.username == person_username))
            assert user is not None
            for _ in range(count):
                ids = [f"job-{uuid.uuid4().hex[:12]}" for _ in range(4)]
                name = stage_upload(stack.data_dir, "labs.json", json.dumps(_bundle(ids)).encode())
                enqueue_import(session, user, user.id, name, lang="en", key=f"import:{name}", backend=backend)
                staged.append((name, ids))
        return staged
    finally:
        backend.broker.close()
        database.dispose()


# --- the test -------------------------------------------------------------------------------

def test_answered_requests_survive_killed_workers_and_a_postgres_restart(stack: Stack) -> None:
    ledger = Ledger()
    stop = threading.Event()
    clients = [threading.Thread(target=_booker, args=(stack.base, user, stop, ledger))
               for user in ("demo", "demo_en", "caregiver")]
    clients += [threading.Thread(target=_importer, args=(stack.base, user, stop, ledger))
                for user in ("demo", "demo_en")]
    probe_stop = threading.Event()
    clients.append(threading.Thread(target=_prober, args=(stack.base, probe_stop, ledger)))
    for client in clients:
        client.start()
    began = time.time()
    jobs = _enqueue_import_jobs(stack, 12, "demo_en")
    time.sleep(3)

    victim = stack.api_worker_pids()[0]
    os.kill(victim, signal.SIGKILL)  # one API worker dies mid-request
    assert stack.worker is not None
    os.killpg(stack.worker.pid, signal.SIGKILL)  # the queue worker dies with jobs in hand
    stack.worker.wait()
    jobs += _enqueue_import_jobs(stack, 6, "demo_en")  # enqueued while no worker runs
    time.sleep(2)
    stack.start_worker()

    time.sleep(2)
    _restart_postgres()  # every pooled connection breaks; new ones fail until the server is up
    restarted_at = time.time()
    _wait_ready(stack.base, 30)
    recovered_after = time.time() - restarted_at
    time.sleep(4)
    stop.set()
    probe_stop.set()
    for client in clients:
        client.join(timeout=30)

    # After the restart the API answers again with no one touching it: a fresh booking succeeds.
    with httpx.Client(base_url=stack.base, timeout=20) as http:
        headers = _login(http, "caregiver")
        assert headers is not None, "login fails after the PostgreSQL restart"
        matched = http.post("/api/v1/booking/match", headers=headers,
                              json={"disposition": "routine", "department_ids": ["general_practice"]})
        assert matched.status_code == 200, matched.text

    load_s = time.time() - began
    # The restarted queue worker must have lived through the PostgreSQL stop on its own.
    assert stack.worker is not None and stack.worker.poll() is None, (
        f"the queue worker exited ({stack.worker.returncode if stack.worker else None}): "
        + stack.logs[-1].read_text(errors="replace")[-1500:])
    _wait_for_jobs(stack.database_url, len(jobs), deadline_s=60)
    jobs_s = time.time() - began - load_s
    retried = _check_database(stack, ledger, jobs)
    assert not ledger.unclear, f"answers that are neither success nor a retriable error: {ledger.unclear[:5]}"
    assert ledger.bookings and ledger.imports, f"the load made no progress: {ledger.refusals}"
    assert recovered_after < 30
    # The restart was seen as retriable answers (503 + Retry-After) or refused connections, never as a 500.
    assert ledger.refusals.get("probe:503", 0) + ledger.refusals.get("probe:connection", 0) > 0, ledger.refusals
    print(f"bookings {len(ledger.bookings)}, imports {len(ledger.imports)}, jobs {len(jobs)} ({retried} retried), "
          f"refusals {ledger.refusals}, ready {recovered_after:.1f} s after the restart, "
          f"load {load_s:.0f} s, jobs settled {jobs_s:.0f} s later")


def _wait_for_jobs(database_url: str, expected: int, deadline_s: float) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(database_url)
    try:
        deadline = time.time() + deadline_s
        while time.time() < deadline:
            with engine.connect() as connection:
                open_jobs = connection.exec_driver_sql(
                    "SELECT count(*) FROM jobs WHERE name = 'records.import_file' AND status NOT IN ('done', 'dead')"
                ).scalar_one()
            if open_jobs == 0:
                return
            time.sleep(1)
        raise AssertionError(f"{open_jobs} of {expected} import jobs neither done nor dead after {deadline_s} s")
    finally:
        engine.dispose()


def _check_database(stack: Stack, ledger: Ledger, jobs: list[tuple[str, list[str]]]) -> int:
    """Assert the database holds what the clients were told; returns how many jobs ran more than once."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(stack.database_url)
    try:
        with engine.connect() as db:
            def scalar(sql: str, **params: Any) -> Any:
                return db.execute(sqlalchemy.text(sql), params).scalar_one()

            # Every booking a client was told about is there and still active.
            for appointment_id in ledger.bookings:
                status = scalar("SELECT count(*) FROM booking_appointments WHERE id = :id "
                                "AND status IN ('booked', 'held')", id=appointment_id)
                assert status == 1, f"appointment {appointment_id} was answered 201 but is not in the database"
            # No slot carries two active appointments.
            doubled = scalar("SELECT count(*) FROM (SELECT slot_id FROM booking_appointments "
                             "WHERE status IN ('booked', 'held') GROUP BY slot_id HAVING count(*) > 1) AS d")
            assert doubled == 0, f"{doubled} slots booked twice"
            # Every answered import is in the record.
            for ids in ledger.imports:
                found = scalar("SELECT count(*) FROM record_resources WHERE resource_id = ANY(:ids)", ids=ids)
                assert found == len(ids), f"an import answered 200 is missing {len(ids) - found} resources"
            # Every job ran exactly once (its one audit event, its resources once), or is dead with its error.
            for name, ids in jobs:
                status, error = db.execute(sqlalchemy.text("SELECT status, error FROM jobs WHERE key = :key"),
                                           {"key": f"import:{name}"}).one()
                effects = scalar("SELECT count(*) FROM audit_events WHERE action = 'records.import' "
                                 "AND resource = :resource", resource=f"records/import/{name}")
                found = scalar("SELECT count(*) FROM record_resources WHERE resource_id = ANY(:ids)", ids=ids)
                if status == "done":
                    assert effects == 1, f"job {name} took effect {effects} times"
                    assert found == len(ids), f"job {name} is done but {len(ids) - found} resources are missing"
                    assert not (stack.data_dir / "uploads" / name).exists(), f"job {name} left its upload behind"
                else:
                    assert status == "dead" and error, f"job {name} is {status} without a recorded error"
                    assert effects == 0 and found == 0, f"dead job {name} left effects behind"
            return int(scalar("SELECT count(*) FROM jobs WHERE attempts > 1"))
    finally:
        engine.dispose()
