"""API baseline: requests/s of a trivial endpoint and of an authenticated read endpoint.

Starts one uvicorn worker on a scratch SQLite database, drives it from this process with
concurrent keep-alive HTTP clients, and prints both rates and their ratio. Later
benchmarks compare against these figures.

    python bench/api_baseline.py [--seconds 5] [--concurrency 16] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(data_dir: Path, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CAREGUIDE_DATA_DIR=str(data_dir), CAREGUIDE_PORT=str(port))
    subprocess.run([sys.executable, "-m", "careguide", "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "careguide", "demo", "seed"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "careguide.api.app:create_app", "--factory", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        env=env,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("server did not start")


async def drive(url: str, headers: dict[str, str], seconds: float, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            response = await client.get(url, headers=headers)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors += 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        begun = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - begun
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
        "errors": errors,
        "requests": len(latencies),
    }


def trivial_baseline(seconds: float, concurrency: int = 16) -> dict[str, float]:
    """Requests/s of GET /healthz on one worker: the baseline other benchmarks divide by."""
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = start_server(Path(tmp), port)
        try:
            figures = asyncio.run(drive(f"http://127.0.0.1:{port}/healthz", {}, seconds, concurrency))
        finally:
            server.terminate()
            server.wait(timeout=10)
    return {"trivial_rps": round(figures["rps"], 1), "trivial_p99_ms": round(figures["p99_ms"], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = start_server(Path(tmp), port)
        try:
            base = f"http://127.0.0.1:{port}"
            token = httpx.post(f"{base}/api/v1/auth/token",
                               json={"username": "demo", "password": "careguide-demo-1"}).json()["access_token"]
            person = httpx.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["id"]
            trivial = asyncio.run(drive(f"{base}/healthz", {}, args.seconds, args.concurrency))
            authed = asyncio.run(drive(f"{base}/api/v1/people/{person}/profile",
                                       {"Authorization": f"Bearer {token}"}, args.seconds, args.concurrency))
        finally:
            server.terminate()
            server.wait(timeout=10)
    figures = {
        "trivial_rps": round(trivial["rps"], 1),
        "trivial_p99_ms": round(trivial["p99_ms"], 2),
        "authenticated_read_rps": round(authed["rps"], 1),
        "authenticated_read_p99_ms": round(authed["p99_ms"], 2),
        "ratio_authenticated_to_trivial": round(authed["rps"] / trivial["rps"], 3),
        "errors": trivial["errors"] + authed["errors"],
        "database": "sqlite",
        "workers": 1,
        "concurrency": args.concurrency,
    }
    print(f"trivial GET /healthz:          {figures['trivial_rps']:>8.1f} req/s  p99 {figures['trivial_p99_ms']} ms")
    print(f"authenticated profile read:    {figures['authenticated_read_rps']:>8.1f} req/s  "
          f"p99 {figures['authenticated_read_p99_ms']} ms")
    print(f"ratio authenticated/trivial:   {figures['ratio_authenticated_to_trivial']}")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
