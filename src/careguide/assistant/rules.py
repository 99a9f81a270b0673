"""Phrase rules as data: the matcher behind the safety screen and the router.

A rule fires when every one of its ``all`` groups matches and none of its ``unless`` groups does.
A group matches when one of its phrases (English or Chinese; ``...`` allows a short gap, a final
``*`` makes an English word a stem: ``diabet*`` matches "diabetic") or regular expressions occurs with an allowed ConText
assertion: by default a negated mention ("no fever", "不发烧") does not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from careguide.language import assertion, normalise

AssertionName = Literal["present", "negated", "hypothetical", "other_person"]
DEFAULT_ASSERTIONS: tuple[AssertionName, ...] = ("present", "hypothetical")


class PhraseGroup(BaseModel):
    """Alternatives: any one phrase or pattern matches the group."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()

    @field_validator("regex")
    @classmethod
    def _compiles(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns

    @cached_property
    def _phrases(self) -> re.Pattern[str] | None:
        phrases = sorted({*self.en, *self.zh}, key=len, reverse=True)
        if not phrases:
            return None
        return re.compile("|".join(phrase_pattern(p) for p in phrases))

    @cached_property
    def _patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in self.regex)

    def spans(self, norm: str, allowed: Iterable[str] = DEFAULT_ASSERTIONS) -> list[tuple[int, int]]:
        """Offsets of the mentions in ``norm`` (already normalised) whose assertion is allowed."""
        allowed = set(allowed)
        found: list[tuple[int, int]] = []
        for pattern in (self._phrases, *self._patterns) if self._phrases else self._patterns:
            for match in pattern.finditer(norm):
                if match.end() > match.start() and assertion(norm, match.start(), match.end()) in allowed:
                    found.append((match.start(), match.end()))
        return found

    def matches(self, norm: str, allowed: Iterable[str] = DEFAULT_ASSERTIONS) -> bool:
        return bool(self.spans(norm, allowed))


_EN_GAP = r"\W+(?:[\w']+\W+){0,3}"
_ZH_GAP = r"[^,，。.;；!！?？\n]{0,6}"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def phrase_pattern(phrase: str) -> str:
    """The regular expression of one phrase on normalised text (see the module docstring)."""
    parts = [p.strip() for p in normalise(phrase).split("...") if p.strip()]
    if _CJK.search(phrase):
        return _ZH_GAP.join(re.escape(p) for p in parts)
    pieces = []
    for part in parts:
        stem = part.endswith("*")
        words = part.rstrip("*").split()
        body = r"\s+".join(re.escape(w) for w in words)
        if stem:
            body += r"[a-z']*"
        elif re.search(r"[a-z]$", part):
            body += r"(?:s|es|ed|d|ing|'s)?"
        pieces.append(body)
    start = r"(?<![a-z0-9])" if re.match(r"[a-z0-9]", parts[0]) else ""
    end = r"(?![a-z])" if re.search(r"[a-z*]$", parts[-1]) else ""
    return start + _EN_GAP.join(pieces) + end


class PhraseRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    all: tuple[PhraseGroup, ...] = Field(min_length=1)
    unless: tuple[PhraseGroup, ...] = ()
    assertions: tuple[AssertionName, ...] = DEFAULT_ASSERTIONS
    source: str = Field(min_length=3, description="guideline or standard the rule rests on")

    def fires(self, norm: str) -> bool:
        if any(group.matches(norm, ("present", "hypothetical", "other_person", "negated")) for group in self.unless):
            return False
        return all(group.matches(norm, self.assertions) for group in self.all)


def load_yaml(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data
