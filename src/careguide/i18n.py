"""Message catalogs for every user-visible string, in English and Chinese.

Each domain keeps one YAML file under ``careguide/locales/`` whose keys map to a
``{en: ..., zh: ...}`` pair, so a key can never exist in one language only
(``tests/test_i18n.py`` checks every file). Keys are namespaced by the file name:
``locales/triage.yaml`` key ``empty_text`` is ``triage.empty_text``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

LANGUAGES: tuple[str, ...] = ("en", "zh")
DEFAULT_LANGUAGE = "en"
Lang = Literal["en", "zh"]

_LOCALES_DIR = Path(__file__).parent / "locales"


class MissingTranslation(KeyError):
    """A catalog key that has no text, named with its language."""


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """All messages: ``{"domain.key": {"en": ..., "zh": ...}}``."""
    messages: dict[str, dict[str, str]] = {}
    for path in sorted(_LOCALES_DIR.glob("*.yaml")):
        domain = path.stem
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, texts in data.items():
            messages[f"{domain}.{key}"] = {str(lang): str(text) for lang, text in (texts or {}).items()}
    return messages


def normalise_language(value: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """Map ``zh-CN``, ``zh_Hans``, ``EN-us`` ... onto a supported language, else the default."""
    if not value:
        return default
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else default


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The message ``key`` in ``lang`` with ``{name}`` placeholders filled in."""
    texts = catalog().get(key)
    language = normalise_language(lang)
    if texts is None or language not in texts:
        raise MissingTranslation(f"{key} [{language}]")
    text = texts[language]
    return text.format(**params) if params else text


def from_accept_language(header: str | None) -> str | None:
    """The best supported language in an HTTP Accept-Language header, or None."""
    if not header:
        return None
    ranked: list[tuple[float, str]] = []
    for part in header.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _, q = piece.partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        lang = normalise_language(tag, default="")
        if lang:
            ranked.append((weight, lang))
    ranked.sort(key=lambda pair: -pair[0])
    return ranked[0][1] if ranked and ranked[0][0] > 0 else None
