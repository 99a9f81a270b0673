"""The one interface every language-model provider implements.

A provider turns chat messages into text, whole (:meth:`LLM.complete`) or as it is produced
(:meth:`LLM.stream`). Failures of every kind - unreachable server, timeout, HTTP error, a reply
that is not what the protocol promises - surface as :class:`LLMError` with a short machine
``reason``, so callers can fall back to the knowledge-base answer (provider ``none``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

Role = Literal["system", "user", "assistant"]
FailureReason = Literal["unavailable", "timeout", "connection", "http_status", "garbage", "empty"]


class ChatMessage(BaseModel):
    role: Role
    content: str


class Completion(BaseModel):
    """A finished generation, or the record of why there is none (``text`` is then None)."""

    text: str | None = None
    provider: str
    model: str = ""
    fell_back: bool = False
    reason: str = ""
    attempts: int = Field(default=0, description="HTTP or model calls made, retries included.")


class LLMError(RuntimeError):
    """A provider could not produce usable text; ``reason`` says which way it failed."""

    def __init__(self, reason: FailureReason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason: FailureReason = reason
        self.detail = detail


@runtime_checkable
class LLM(Protocol):
    """A text generator. ``generates`` is False for providers that never produce text (``none``)."""

    name: str
    model: str
    generates: bool

    def available(self) -> bool:
        """True when the provider can be called at all (library installed, model file present)."""
        ...

    def complete(self, messages: Sequence[ChatMessage], *, max_tokens: int = 512,
                 temperature: float = 0.2) -> str:
        """The whole reply; raises LLMError."""
        ...

    def stream(self, messages: Sequence[ChatMessage], *, max_tokens: int = 512,
               temperature: float = 0.2) -> Iterator[str]:
        """The reply in pieces as they arrive; raises LLMError, possibly after some pieces."""
        ...
