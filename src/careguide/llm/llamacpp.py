"""Provider ``llamacpp``: a local GGUF model through llama-cpp-python (optional extra ``llamacpp``).

The library compiles llama.cpp when installed (minutes on a small machine), so it is not a
default dependency: without it, or without the model file, :meth:`available` is False and every
call raises ``LLMError("unavailable")``, which callers treat like provider ``none``.
Small base models (the 270M Gemma that a registry package ships) have no chat template; the
messages are rendered as a plain transcript so the same code drives base and chat models.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from careguide.llm.base import ChatMessage, LLMError
from careguide.llm.openai import _checked_text


def installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


class LlamaCppLLM:
    name = "llamacpp"
    generates = True

    def __init__(self, model_path: str | Path, *, n_ctx: int = 2048, n_threads: int | None = None) -> None:
        self.model = str(model_path)
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self._llama: Any = None
        self._lock = threading.Lock()  # a llama.cpp context is not safe to share between threads

    def available(self) -> bool:
        return installed() and bool(self.model) and Path(self.model).is_file()

    def complete(self, messages: Sequence[ChatMessage], *, max_tokens: int = 512,
                 temperature: float = 0.2) -> str:
        return _checked_text("".join(self.stream(messages, max_tokens=max_tokens, temperature=temperature)))

    def stream(self, messages: Sequence[ChatMessage], *, max_tokens: int = 512,
               temperature: float = 0.2) -> Iterator[str]:
        llama = self._load()
        with self._lock:
            try:
                chunks = llama.create_completion(render_transcript(messages), max_tokens=max_tokens,
                                                 temperature=temperature, stream=True,
                                                 stop=["\nuser:", "\nsystem:"])
                for chunk in chunks:
                    piece = chunk["choices"][0].get("text") or ""
                    if piece:
                        yield piece
            except (RuntimeError, ValueError, KeyError, IndexError) as exc:
                raise LLMError("garbage", f"llama.cpp failed: {exc}") from exc

    def _load(self) -> Any:
        if not self.available():
            raise LLMError("unavailable", "llama-cpp-python is not installed or the model file is missing"
                           if installed() else "llama-cpp-python is not installed (pip install 'careguide[llamacpp]')")
        if self._llama is None:
            from llama_cpp import Llama

            try:
                self._llama = Llama(model_path=self.model, n_ctx=self.n_ctx, n_threads=self.n_threads,
                                    verbose=False)
            except (RuntimeError, ValueError) as exc:
                raise LLMError("unavailable", f"cannot load {self.model}: {exc}") from exc
        return self._llama


def render_transcript(messages: Sequence[ChatMessage]) -> str:
    lines = [f"{m.role}: {m.content.strip()}" for m in messages]
    return "\n".join(lines) + "\nassistant:"
