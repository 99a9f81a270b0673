"""Rate limits: per credential, per client address and on costly routes; 429 with Retry-After and a
message in the caller's language; counters shared between workers through Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careguide.api.app import create_app
from careguide.api.ratelimit import RateLimit
from careguide.privacy.ratelimit import Limit, MemoryStore, RateLimiter, RedisStore


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class _People:
    def __init__(self, database) -> None:  # type: ignore[no-untyped-def]
        self.database = database

    def make(self, username: str) -> tuple[int, dict[str, str]]:
        from careguide import accounts

        with self.database.session() as session:
            user = accounts.create_user(session, accounts.NewUser(username, "password-123"))
            return user.id, {"Authorization": f"Bearer {accounts.issue_token(session, user)}"}


@pytest.fixture
def people(sqlite_database):  # type: ignore[no-untyped-def]
    return _People(sqlite_database)


def _client(database, settings, clock: Clock, per_credential: int = 3, per_client: int = 100, costly: int = 50):
    app = create_app(settings, database)
    app.add_middleware(RateLimit, limiter=RateLimiter(MemoryStore(clock=clock)),
                       per_client=Limit("client", per_client, 60), per_credential=Limit("credential", per_credential, 60),
                       costly=Limit("costly", costly, 60))
    return TestClient(app)


def test_a_user_over_the_limit_gets_429_with_retry_after_and_others_are_unaffected(sqlite_database, settings, people):
    clock = Clock()
    client = _client(sqlite_database, settings, clock)
    _, alice = people.make("alice_rl")
    _, bob = people.make("bob_rl")
    assert [client.get("/api/v1/me", headers=alice).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/me", headers=alice)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["error"]["code"] == "rate_limited"
    assert client.get("/api/v1/me", headers=bob).status_code == 200
    clock.now += 61  # the next window
    assert client.get("/api/v1/me", headers=alice).status_code == 200


def test_the_refusal_is_in_the_callers_language(sqlite_database, settings, people):
    client = _client(sqlite_database, settings, Clock(), per_credential=1)
    _, carol = people.make("carol_rl")
    client.get("/api/v1/me", headers=carol)
    refused = client.get("/api/v1/me", headers={**carol, "Accept-Language": "zh-CN"})
    assert refused.status_code == 429 and "请求过于频繁" in refused.json()["error"]["message"]


def test_random_credentials_do_not_escape_the_address_limit(sqlite_database, settings):
    client = _client(sqlite_database, settings, Clock(), per_client=5)
    statuses = [client.get("/api/v1/me", headers={"Authorization": f"Bearer fake-{n}"}).status_code for n in range(7)]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]


def test_costly_routes_have_a_tighter_limit(sqlite_database, settings, people):
    client = _client(sqlite_database, settings, Clock(), per_credential=100, costly=2)
    _, dave = people.make("dave_rl")
    statuses = [client.post("/api/v1/check", json={"text": "drinking vinegar softens blood vessels"},
                            headers=dave).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/me", headers=dave).status_code == 200  # reading stays open


def _redis_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([binary, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            return process, client
        except redis.ConnectionError:
            time.sleep(0.05)
    process.terminate()
    pytest.fail("redis-server did not start")


def test_two_workers_share_counters_through_redis(tmp_path):
    process, client = _redis_server(tmp_path)
    try:
        clock = Clock()
        worker_a, worker_b = RateLimiter(RedisStore(client, clock=clock)), RateLimiter(RedisStore(client, clock=clock))
        limit = Limit("credential", 3, 60)
        verdicts = [w.check([("token-1", limit)]).allowed for w in (worker_a, worker_b, worker_a, worker_b)]
        assert verdicts == [True, True, True, False]
        assert worker_a.check([("token-2", limit)]).allowed
        clock.now += 60
        assert worker_b.check([("token-1", limit)]).allowed
    finally:
        process.terminate()
        process.wait(timeout=10)
