"""careguide.llm: one small interface (:class:`LLM`), several providers, and the fallback rule.

- ``none`` (default): no model; features answer from the knowledge base.
- ``openai``: any OpenAI-compatible endpoint (base URL, model, key, timeout from settings).
- ``llamacpp``: a local GGUF file (``llm_model`` is its path) through the optional extra.

:func:`generate` never raises: when the configured model fails, hangs or talks garbage it returns a
:class:`Completion` with ``text=None`` and the reason, and the caller answers as provider ``none``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from careguide.config import Settings, get_settings
from careguide.llm.base import LLM, ChatMessage, Completion, LLMError
from careguide.llm.llamacpp import LlamaCppLLM
from careguide.llm.none import NoLLM
from careguide.llm.openai import OpenAICompatibleLLM

__all__ = ["LLM", "ChatMessage", "Completion", "LLMError", "LlamaCppLLM", "NoLLM", "OpenAICompatibleLLM",
           "generate", "get_llm"]

log = logging.getLogger(__name__)


def get_llm(settings: Settings | None = None) -> LLM:
    """The provider the settings name (``llm_provider``); ``none`` when nothing is configured."""
    settings = settings or get_settings()
    if settings.llm_provider == "openai":
        return OpenAICompatibleLLM(settings.llm_base_url, settings.llm_model, settings.llm_api_key,
                                   settings.llm_timeout_s)
    if settings.llm_provider == "llamacpp":
        return LlamaCppLLM(settings.llm_model)
    return NoLLM()


def generate(llm: LLM, messages: Sequence[ChatMessage], *, max_tokens: int = 512,
             temperature: float = 0.2) -> Completion:
    """Run the model; on any failure return ``text=None`` with ``fell_back=True`` and the reason."""
    if not llm.generates:
        return Completion(provider=llm.name, model=llm.model, reason="no_model")
    if not llm.available():
        return Completion(provider=llm.name, model=llm.model, fell_back=True, reason="unavailable")
    try:
        text = llm.complete(messages, max_tokens=max_tokens, temperature=temperature)
    except LLMError as exc:
        log.warning("LLM %s failed (%s); answering from the knowledge base", llm.name, exc)
        return Completion(provider=llm.name, model=llm.model, fell_back=True, reason=exc.reason,
                          attempts=getattr(llm, "attempts", 1))
    return Completion(text=text, provider=llm.name, model=llm.model, attempts=getattr(llm, "attempts", 1))
