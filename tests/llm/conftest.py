"""A real OpenAI-compatible HTTP server (Starlette under uvicorn, in a thread) whose behaviour is
chosen by the requested model name, so the tests exercise the real httpx client end to end."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

HANG_S = 3.0


@dataclass
class FakeOpenAI:
    base_url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    failures_before_success: int = 2


def _completion(text: str) -> dict[str, Any]:
    return {"id": "cmpl-1", "object": "chat.completion", "model": "fake",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]}


def _chunk(text: str) -> str:
    return "data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": text}}]}) + "\n\n"


def _app(state: FakeOpenAI) -> Starlette:
    async def chat(request: Request) -> Response:
        body = await request.json()
        state.requests.append(body)
        state.headers.append(dict(request.headers))
        model = body.get("model", "")
        last_user = next((m["content"] for m in reversed(body["messages"]) if m["role"] == "user"), "")
        reply = f"You asked: {last_user}"
        if model == "flaky" and len(state.requests) <= state.failures_before_success:
            return JSONResponse({"error": "overloaded"}, status_code=503)
        if model == "bad-request":
            return JSONResponse({"error": "bad model"}, status_code=400)
        if model == "hang":
            await asyncio.sleep(HANG_S)
        if model == "garbage":
            return PlainTextResponse("<html>502 upstream exploded</html>")
        if model == "wrong-shape":
            return JSONResponse({"result": reply})
        if model == "binary":
            return JSONResponse(_completion("\x00\x01\x02\ufffd\ufffd\x7f\x03\x04"))
        if body.get("stream"):
            return StreamingResponse(_stream(model, reply), media_type="text/event-stream")
        return JSONResponse(_completion(reply))

    async def _stream(model: str, reply: str) -> AsyncIterator[str]:
        words = reply.split(" ")
        for i, word in enumerate(words):
            yield _chunk(word + (" " if i < len(words) - 1 else ""))
            if model == "stream-hang" and i == 0:
                await asyncio.sleep(HANG_S)
            if model == "stream-garbage" and i == 1:
                yield "data: {not json at all\n\n"
        yield "data: [DONE]\n\n"

    return Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"])])


@pytest.fixture(scope="session")
def fake_openai() -> Iterator[FakeOpenAI]:
    state = FakeOpenAI()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(_app(state), log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "fake OpenAI server did not start"
    state.base_url = f"http://127.0.0.1:{port}/v1"
    yield state
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def fake(fake_openai: FakeOpenAI) -> FakeOpenAI:
    fake_openai.requests.clear()
    fake_openai.headers.clear()
    return fake_openai
