"""The word lists behind the de-identifier (``deid_lexicon.yaml``), validated at load."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

LEXICON_FILE = Path(__file__).with_name("deid_lexicon.yaml")


def _words(value: object) -> list[str]:
    if isinstance(value, str):  # "a, b c, d" is a list of phrases; "a b c" a list of words
        if "," in value:
            return [part.strip() for part in value.split(",") if part.strip()]
        return value.split()
    if isinstance(value, list):
        return [str(item) for item in value]
    raise TypeError("expected a space-separated string or a list of words")


class _Lists(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def split_words(cls, value: object) -> list[str]:
        words = _words(value)
        if not words:
            raise ValueError("a word list may not be empty")
        return words


class ChineseLists(_Lists):
    surnames: list[str]
    compound_surnames: list[str]
    everyday_compound_surnames: list[str]
    ambiguous_surnames: list[str]
    given_chars: list[str]
    stop_chars: list[str]
    cues_before: list[str]
    titles_after: list[str]
    possessed_after: list[str]
    record_cues: list[str]
    account_cues: list[str]
    bank_cues: list[str]
    id_cues: list[str]
    passport_cues: list[str]
    phone_cues: list[str]
    address_cues: list[str]
    admin_units: list[str]
    street_units: list[str]
    building_units: list[str]
    provinces: list[str]
    cities: list[str]


class EnglishLists(_Lists):
    titles: list[str]
    cues_before: list[str]
    given_names: list[str]
    surnames: list[str]
    pinyin_surnames: list[str]
    romanised_surnames: list[str]
    role_cues: list[str]
    relation_cues: list[str]
    not_names: list[str]
    credentials: list[str]
    record_cues: list[str]
    record_heads: list[str]
    id_cues: list[str]
    passport_cues: list[str]
    phone_cues: list[str]
    address_cues: list[str]
    account_cues: list[str]
    bank_cues: list[str]
    street_types: list[str]
    unit_words: list[str]


class Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    zh: ChineseLists
    en: EnglishLists


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon.model_validate(yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8")))


def alternation(words: list[str], *, spaced: bool = False) -> str:
    """A regex alternation of ``words``, longest first; with ``spaced``, any run of spaces
    in a phrase matches any run of spaces (``Medical  record no``)."""
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    parts = [re.escape(w) for w in unique]
    if spaced:
        parts = [p.replace(r"\ ", r"\s+") for p in parts]
    return "(?:" + "|".join(parts) + ")"



# The US Census 1990 name frequency files, shipped in the ``names`` package: the most frequent
# given names and surnames, to recognise names the hand-made lists above do not hold.
CENSUS_GIVEN_PER_SEX = 1000
CENSUS_SURNAMES = 5000


@lru_cache(maxsize=1)
def census_names() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, surnames) in title case, most frequent first; empty without the package."""
    try:
        import names as census
    except ImportError:
        return frozenset(), frozenset()
    folder = Path(census.__file__).parent
    return (
        frozenset(_top(folder / "dist.female.first", CENSUS_GIVEN_PER_SEX) + _top(folder / "dist.male.first",
                                                                                   CENSUS_GIVEN_PER_SEX)),
        frozenset(_top(folder / "dist.all.last", CENSUS_SURNAMES)),
    )


def _top(path: Path, count: int) -> list[str]:
    found: list[str] = []
    with path.open(encoding="ascii", errors="ignore") as handle:
        for line in handle:
            if len(found) >= count:
                break
            if line.strip():
                found.append(line.split()[0].title())
    return found
