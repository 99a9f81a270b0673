"""Provider ``openai``: any OpenAI-compatible chat endpoint (vLLM, Ollama, llama.cpp server, hosted APIs).

Talks ``POST {base_url}/chat/completions`` with httpx, whole or streamed as server-sent events.
Connection failures, 429 and 5xx answers are retried with exponential back-off; a server that
stops sending for ``timeout_s`` (or takes longer than ``total_timeout_s`` overall) is a timeout;
a reply that is not the protocol's JSON, has no text, or is not readable text is ``garbage``.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import httpx

from careguide.llm.base import ChatMessage, LLMError

_RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


class OpenAICompatibleLLM:
    name = "openai"
    generates = True

    def __init__(self, base_url: str, model: str, api_key: str = "", timeout_s: float = 30.0, *,
                 retries: int = 2, backoff_s: float = 0.2, total_timeout_s: float | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout_s = timeout_s
        self.total_timeout_s = total_timeout_s if total_timeout_s is not None else timeout_s * 4
        self.retries = retries
        self.backoff_s = backoff_s
        self.attempts = 0  # calls made by the last complete()/stream(), retries included
        headers = {"Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = httpx.Client(timeout=httpx.Timeout(timeout_s), headers=headers, transport=transport)

    def available(self) -> bool:
        return bool(self.base_url and self.model)

    def close(self) -> None:
        self._client.close()

    # -- whole replies -------------------------------------------------------------------------
    def complete(self, messages: Sequence[ChatMessage], *, max_tokens: int = 512,
                 temperature: float = 0.2) -> str:
        body = self._body(messages, max_tokens, temperature, stream=False)
        deadline = time.monotonic() + self.total_timeout_s
        response = self._post_with_retries(body, deadline)
        try:
            payload = response.json()
            text = payload["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMError("garbage", f"not an OpenAI chat completion: {response.text[:120]!r}") from exc
        return _checked_text(text)

    # -- streamed replies ----------------------------------------------------------------------
    def stream(self, messages: Sequence[ChatMessage], *, max_tokens: int = 512,
               temperature: float = 0.2) -> Iterator[str]:
        body = self._body(messages, max_tokens, temperature, stream=True)
        deadline = time.monotonic() + self.total_timeout_s
        self.attempts = 0
        for attempt in range(self.retries + 1):
            self.attempts += 1
            produced = False
            try:
                with self._client.stream("POST", f"{self.base_url}/chat/completions", json=body) as response:
                    if response.status_code in _RETRYABLE_STATUS and attempt < self.retries:
                        self._sleep(attempt, deadline)
                        continue
                    _raise_for_status(response)
                    pieces: list[str] = []
                    for piece in _sse_pieces(response.iter_lines(), deadline):
                        produced = True
                        pieces.append(piece)
                        yield piece
                    _checked_text("".join(pieces))
                    return
            except httpx.TimeoutException as exc:
                raise LLMError("timeout", str(exc) or "no data within the timeout") from exc
            except httpx.TransportError as exc:
                if produced or attempt >= self.retries:
                    raise LLMError("connection", str(exc)) from exc
                self._sleep(attempt, deadline)
        raise LLMError("http_status", "server kept failing")

    # -- helpers -------------------------------------------------------------------------------
    def _body(self, messages: Sequence[ChatMessage], max_tokens: int, temperature: float,
              stream: bool) -> dict[str, Any]:
        return {"model": self.model, "messages": [m.model_dump() for m in messages],
                "max_tokens": max_tokens, "temperature": temperature, "stream": stream}

    def _post_with_retries(self, body: dict[str, Any], deadline: float) -> httpx.Response:
        self.attempts = 0
        for attempt in range(self.retries + 1):
            self.attempts += 1
            try:
                response = self._client.post(f"{self.base_url}/chat/completions", json=body,
                                             timeout=self._remaining(deadline))
            except httpx.TimeoutException as exc:
                raise LLMError("timeout", str(exc) or "no reply within the timeout") from exc
            except httpx.TransportError as exc:
                if attempt >= self.retries:
                    raise LLMError("connection", str(exc)) from exc
                self._sleep(attempt, deadline)
                continue
            if response.status_code in _RETRYABLE_STATUS and attempt < self.retries:
                self._sleep(attempt, deadline)
                continue
            _raise_for_status(response)
            return response
        raise LLMError("http_status", "server kept failing")  # pragma: no cover - loop always returns

    def _remaining(self, deadline: float) -> httpx.Timeout:
        left = deadline - time.monotonic()
        if left <= 0:
            raise LLMError("timeout", "overall time limit reached")
        return httpx.Timeout(min(self.timeout_s, left))

    def _sleep(self, attempt: int, deadline: float) -> None:
        pause = self.backoff_s * (2**attempt)
        if time.monotonic() + pause >= deadline:
            raise LLMError("timeout", "overall time limit reached while retrying")
        time.sleep(pause)


def _raise_for_status(response: httpx.Response) -> None:
    if response.status_code >= 400:
        response.read()
        raise LLMError("http_status", f"HTTP {response.status_code}: {response.text[:120]!r}")


def _sse_pieces(lines: Iterator[str], deadline: float) -> Iterator[str]:
    """Text deltas from an OpenAI ``text/event-stream``; anything else on a data line is garbage."""
    for line in lines:
        if time.monotonic() > deadline:
            raise LLMError("timeout", "stream exceeded the overall time limit")
        line = line.strip()
        if not line or line.startswith(":") or line.startswith(("event:", "id:", "retry:")):
            continue
        if not line.startswith("data:"):
            raise LLMError("garbage", f"not a server-sent event line: {line[:80]!r}")
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            chunk = json.loads(data)
            choice = chunk["choices"][0] if chunk.get("choices") else {}
            piece = (choice.get("delta") or {}).get("content") or ""
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise LLMError("garbage", f"not an OpenAI stream chunk: {data[:80]!r}") from exc
        if not isinstance(piece, str):
            raise LLMError("garbage", "stream delta content is not text")
        if piece:
            yield piece


def _checked_text(text: object) -> str:
    """The reply if it is readable text; empty, non-text or mostly control/replacement characters fail."""
    if not isinstance(text, str):
        raise LLMError("garbage", "reply content is not text")
    stripped = text.strip()
    if not stripped:
        raise LLMError("empty", "reply has no text")
    unreadable = sum(1 for ch in stripped
                     if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn") and ch not in "\n\t"))
    if unreadable / len(stripped) > 0.1:
        raise LLMError("garbage", "reply is not readable text")
    return stripped
