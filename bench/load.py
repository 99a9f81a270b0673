"""Load test: a realistic mix against 1 and then 2 uvicorn workers on PostgreSQL + Redis.

Creates a scratch PostgreSQL database (dropped afterwards), migrates and seeds it (demo
accounts, the demo booking directory), starts the API with CAREGUIDE_QUEUE=redis and drives
it from a separate load-generator process (asyncio + httpx): each virtual user logs in,
runs a short triage interview, reads their record timeline, matches, holds and confirms a
booking, and (when the API has one) sends an assistant chat turn. It prints requests/s,
p50/p99 latency and error rate per phase and per endpoint, and the 2-worker/1-worker ratio.

    python bench/load.py [--seconds 10] [--users 16] [--json]

Figures depend on the machine: on a shared 2-core host the load generator, PostgreSQL,
Redis and the API workers all compete for the same cores, so 2 workers cannot double.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

ADMIN_URL = os.environ.get("CAREGUIDE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
PASSWORD = "careguide-demo-1"
USERNAME = "load_user_{}"
COMPLAINTS = ("我头痛两天了，有点恶心", "I have had a sore throat and a mild fever since yesterday",
              "胃痛三天，吃完饭更明显", "My lower back hurts after lifting a box")
QUESTIONS = ("血压130/85要紧吗？", "How much exercise should an adult with diabetes get?", "糖化血红蛋白是什么？",
             "Is it safe to take paracetamol with a cold?")


def app_factory() -> Any:
    """The careguide app, plus the booking router when the app does not mount it yet."""
    from careguide.api.app import create_app

    app = create_app()
    from careguide.api.app import ROUTER_MODULES

    if "careguide.api.routers.booking" not in ROUTER_MODULES:
        from careguide.api.routers.booking import router

        app.include_router(router)
    from careguide.api import resilience

    resilience.install(app)  # idempotent: the same handlers again if create_app installed them
    return app


# --- the scratch database and the server -------------------------------------------------------

def create_database() -> tuple[str, str]:
    import sqlalchemy

    name = f"careguide_load_{uuid.uuid4().hex[:10]}"
    admin = sqlalchemy.create_engine(f"{ADMIN_URL}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return name, f"{ADMIN_URL}/{name}"


def drop_database(name: str) -> None:
    import sqlalchemy

    admin = sqlalchemy.create_engine(f"{ADMIN_URL}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def server_env(data_dir: Path, database_url: str) -> dict[str, str]:
    return dict(os.environ, CAREGUIDE_DATA_DIR=str(data_dir), CAREGUIDE_DATABASE_URL=database_url,
                CAREGUIDE_QUEUE="redis", CAREGUIDE_SECRET_KEY="load-test-secret-" + "x" * 32,
                CAREGUIDE_LOGIN_MAX_FAILURES="1000")


def prepare(env: dict[str, str]) -> None:
    for command in (["db", "upgrade"], ["demo", "seed"], ["booking", "seed", "--cities", "beijing,shanghai"]):
        subprocess.run([sys.executable, "-m", "careguide", *command], env=env, check=True, capture_output=True)


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "load:app_factory", "--factory", "--app-dir", str(Path(__file__).parent),
         "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        env=env, start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("the API did not become ready in 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- the load generator (runs in its own process: --drive) -------------------------------------

class Recorder:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.conflicts = 0
        self.statuses: dict[str, int] = defaultdict(int)  # unexpected answers by endpoint and status

    async def call(self, client: httpx.AsyncClient, name: str, method: str, url: str,
                   expect: tuple[int, ...] = (200, 201), conflict_ok: bool = False, **kwargs: Any) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)
        except httpx.HTTPError:
            self.latency[name].append(time.perf_counter() - started)
            self.errors[name] += 1
            return None
        self.latency[name].append(time.perf_counter() - started)
        if response.status_code in expect:
            return response
        if conflict_ok and response.status_code == 409:  # someone else took the slot: a refusal, not a fault
            self.conflicts += 1
            return None
        self.errors[name] += 1
        self.statuses[f"{name}:{response.status_code}"] += 1
        return None


async def virtual_user(base: str, rec: Recorder, stop_at: float, number: int, chat: bool) -> None:
    rng = random.Random(number)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while time.perf_counter() < stop_at:
            login = await rec.call(client, "login", "POST", "/api/v1/auth/token",
                                   json={"username": USERNAME.format(number), "password": PASSWORD})
            if login is None:
                continue
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            me = await rec.call(client, "me", "GET", "/api/v1/me", headers=headers)
            if me is None:
                continue
            person = me.json()["id"]
            step = await rec.call(client, "triage_start", "POST", "/api/v1/triage/sessions", headers=headers,
                                  json={"text": rng.choice(COMPLAINTS), "age": 40})
            for _ in range(3):
                if step is None or time.perf_counter() >= stop_at:
                    break
                view = step.json()
                question = view.get("question")
                if not question:
                    break
                options = question.get("options") or [{"id": "no"}]
                step = await rec.call(client, "triage_answer", "POST", f"/api/v1/triage/sessions/{view['id']}/answer",
                                      headers=headers, json={"question_id": question["id"],
                                                             "value": rng.choice(options)["id"]})
            await rec.call(client, "timeline", "GET", f"/api/v1/records/{person}/timeline?limit=50", headers=headers)
            matched = await rec.call(client, "booking_match", "POST", "/api/v1/booking/match", headers=headers,
                                     json={"disposition": "routine", "department_ids": ["general_practice"]})
            proposals = matched.json().get("proposals", []) if matched is not None else []
            if proposals:
                held = await rec.call(client, "booking_hold", "POST", "/api/v1/booking/holds", headers=headers,
                                      conflict_ok=True, json={"slot_id": rng.choice(proposals)["slot_id"]})
                if held is not None:
                    await rec.call(client, "booking_confirm", "POST",
                                   f"/api/v1/booking/appointments/{held.json()['id']}/confirm", headers=headers,
                                   conflict_ok=True)
            if chat:
                started = await rec.call(client, "chat_start", "POST", "/api/v1/chat/conversations",
                                         headers=headers, json={})
                if started is not None:
                    await rec.call(client, "chat_turn", "POST",
                                   f"/api/v1/chat/conversations/{started.json()['id']}/messages", headers=headers,
                                   json={"text": rng.choice(QUESTIONS)})


async def create_user(client: httpx.AsyncClient, number: int) -> None:
    """One person per virtual user, with a record of 60 readings, so no two users share a row lock."""
    registered = await client.post("/api/v1/auth/register", json={
        "username": USERNAME.format(number), "password": PASSWORD, "full_name": f"Load {number}",
        "language": "zh" if number % 2 else "en", "city": "北京" if number % 2 else "上海"})
    if registered.status_code not in (201, 409):
        raise RuntimeError(f"registering a load user failed: {registered.status_code} {registered.text[:200]}")
    # While the API answers before it commits (docs/scaling.md, Findings), a fresh account or token
    # may not be visible to the next request yet: wait for it here, outside the measurement.
    headers: dict[str, str] = {}
    for _ in range(50):
        if not headers:
            token = await client.post("/api/v1/auth/token",
                                      json={"username": USERNAME.format(number), "password": PASSWORD})
            if token.status_code == 200:
                headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        if headers and (await client.get("/api/v1/me", headers=headers)).status_code == 200:
            break
        await asyncio.sleep(0.1)
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": f"urn:uuid:load-{number}-{n}", "resource": {
            "resourceType": "Observation", "id": f"load-{number}-{n}", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]},
            "effectiveDateTime": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00+08:00",
            "valueQuantity": {"value": 4.5 + (n % 20) / 10, "unit": "mmol/L",
                              "system": "http://unitsofmeasure.org", "code": "mmol/L"}}}
        for n in range(60)]}
    imported = await client.post("/api/v1/records/import", headers=headers,
                                 files={"files": ("glucose.json", json.dumps(bundle).encode(), "application/json")})
    if imported.status_code != 200:
        raise RuntimeError(f"seeding a load user's record failed: {imported.status_code} {imported.text[:200]}")


def setup_users(base: str, users: int) -> None:
    async def main() -> None:
        # One at a time: concurrent uploads into an ``async def`` import route that does its database
        # work on the event loop can deadlock a worker on the audit lock (docs/scaling.md, Findings).
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:
            for number in range(users):
                await create_user(client, number)

    asyncio.run(main())


def drive(base: str, seconds: float, users: int, chat: bool) -> dict[str, Any]:
    rec = Recorder()

    async def main() -> float:
        begun = time.perf_counter()
        await asyncio.gather(*(virtual_user(base, rec, begun + seconds, n, chat) for n in range(users)))
        return time.perf_counter() - begun

    elapsed = asyncio.run(main())
    every = sorted(x for values in rec.latency.values() for x in values)
    total_errors = sum(rec.errors.values())
    endpoints = {
        name: {"requests": len(values), "p50_ms": _pct(values, 0.5), "p99_ms": _pct(values, 0.99),
               "errors": rec.errors.get(name, 0)}
        for name, values in sorted(rec.latency.items())
    }
    return {"rps": round(len(every) / elapsed, 1), "requests": len(every), "seconds": round(elapsed, 2),
            "p50_ms": _pct(every, 0.5), "p99_ms": _pct(every, 0.99),
            "error_rate": round(total_errors / len(every), 4) if every else 1.0,
            "booking_conflicts": rec.conflicts, "unexpected": dict(rec.statuses), "endpoints": endpoints}


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(int(len(ordered) * q), len(ordered) - 1)] * 1000, 1)


def run_phase(base: str, seconds: float, users: int, chat: bool) -> dict[str, Any]:
    """Drive ``base`` from a separate process so the generator does not share the server's GIL."""
    done = subprocess.run([sys.executable, __file__, "--drive", base, "--seconds", str(seconds),
                           "--users", str(users)] + (["--chat"] if chat else []),
                          check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--users", type=int, default=16, help="concurrent virtual users")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    parser.add_argument("--chat", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        print(json.dumps(drive(args.drive, args.seconds, args.users, args.chat)))
        return
    if args.setup:
        setup_users(args.setup, args.users)
        return

    name, url = create_database()
    phases: dict[int, dict[str, Any]] = {}
    chat = False
    try:
        with tempfile.TemporaryDirectory(prefix="careguide-load-") as tmp:
            env = server_env(Path(tmp), url)
            prepare(env)
            for workers in (1, 2):
                port = free_port()
                server = start_server(env, port, workers)
                try:
                    base = f"http://127.0.0.1:{port}"
                    paths = httpx.get(f"{base}/openapi.json", timeout=10).json().get("paths", {})
                    chat = "/api/v1/chat/conversations/{conversation_id}/messages" in paths
                    if workers == 1:  # the load users and their records, not measured
                        subprocess.run([sys.executable, __file__, "--setup", base, "--users", str(args.users)],
                                       check=True)
                    run_phase(base, 4.0, 4, chat)  # warm-up, not measured: each worker loads its knowledge base
                    phases[workers] = run_phase(base, args.seconds, args.users, chat)
                finally:
                    stop_server(server)
    finally:
        drop_database(name)
    one, two = phases[1], phases[2]
    figures = {
        "rps_1_worker": one["rps"], "rps_2_workers": two["rps"],
        "scaling_ratio": round(two["rps"] / one["rps"], 3) if one["rps"] else 0.0,
        "p50_ms": two["p50_ms"], "p99_ms": two["p99_ms"],
        "p50_ms_1_worker": one["p50_ms"], "p99_ms_1_worker": one["p99_ms"],
        "error_rate": round(max(one["error_rate"], two["error_rate"]), 4),
        "error_rate_1_worker": one["error_rate"], "error_rate_2_workers": two["error_rate"],
        "booking_conflicts": one["booking_conflicts"] + two["booking_conflicts"],
        "unexpected_1_worker": one["unexpected"], "unexpected_2_workers": two["unexpected"],
        "endpoints_1_worker": one["endpoints"], "endpoints_2_workers": two["endpoints"],
        "chat_in_mix": chat, "users": args.users, "seconds_per_phase": args.seconds,
        "database": "postgresql", "queue": "redis", "cpu_count": os.cpu_count(),
    }
    for workers, phase in ((1, one), (2, two)):
        print(f"{workers} worker(s): {phase['rps']:>7.1f} req/s  p50 {phase['p50_ms']} ms  p99 {phase['p99_ms']} ms  "
              f"errors {phase['error_rate']:.2%}  ({phase['requests']} requests)", file=sys.stderr)
        for endpoint, row in phase["endpoints"].items():
            print(f"    {endpoint:<16} {row['requests']:>6}  p50 {row['p50_ms']:>7} ms  p99 {row['p99_ms']:>7} ms  "
                  f"errors {row['errors']}", file=sys.stderr)
    print(f"scaling ratio 2/1 workers: {figures['scaling_ratio']}  (chat in mix: {chat}; "
          f"{os.cpu_count()} CPUs shared by generator, PostgreSQL, Redis and the API)", file=sys.stderr)
    if args.json:
        print(json.dumps(figures))


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    main()
