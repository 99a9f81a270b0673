"""Provider ``none``: no language model. Every feature composes its answer from the knowledge base."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from careguide.llm.base import ChatMessage, LLMError


class NoLLM:
    """The default provider; it never generates, so callers take their knowledge-base path."""

    name = "none"
    model = ""
    generates = False

    def available(self) -> bool:
        return True

    def complete(self, messages: Sequence[ChatMessage], *, max_tokens: int = 512,
                 temperature: float = 0.2) -> str:
        raise LLMError("unavailable", "provider none generates no text")

    def stream(self, messages: Sequence[ChatMessage], *, max_tokens: int = 512,
               temperature: float = 0.2) -> Iterator[str]:
        raise LLMError("unavailable", "provider none generates no text")
