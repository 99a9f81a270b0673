"""Health articles: short bilingual knowledge pages the assistant answers from, each with sources.

One YAML list per file in ``data/articles/``. An article has a summary, a few key points and when
to seek care, in English and Chinese, plus the guideline or textbook it rests on. The assistant
retrieves *passages* (one per summary, point, myth and seek-care line) and cites them.
Medicine articles describe classes and how they work; they never give doses.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from careguide.knowledge.schema import Bilingual

ARTICLES_DIR = Path(__file__).parent / "data" / "articles"
Category = Literal["condition", "test", "medicine_class", "prevention", "self_management", "mental_health",
                   "first_aid", "child_health", "women_health", "app_help"]
PassageKind = Literal["summary", "point", "myth", "seek_care"]


class Keywords(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: list[str] = Field(default_factory=list)
    zh: list[str] = Field(default_factory=list)


class Myth(BaseModel):
    """A common false belief and its correction, so answers can correct a false premise."""

    model_config = ConfigDict(extra="forbid")
    claim: Bilingual
    correction: Bilingual


class Article(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    category: Category
    title: Bilingual
    keywords: Keywords = Field(default_factory=Keywords)
    summary: Bilingual
    points: list[Bilingual] = Field(default_factory=list)
    myths: list[Myth] = Field(default_factory=list)
    seek_care: Bilingual | None = None
    department: str | None = Field(default=None, description="department id of the shared taxonomy")
    sources: list[str] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _named_sources(cls, sources: list[str]) -> list[str]:
        if any(len(s.strip()) < 4 for s in sources):
            raise ValueError("every source must name a guideline, textbook or standard")
        return sources


class Passage(BaseModel):
    """One citable unit of an article, in both languages."""

    id: str
    article_id: str
    kind: PassageKind
    title: Bilingual
    text: Bilingual
    claim: Bilingual | None = Field(default=None, description="for a myth passage, the false claim it corrects")
    keywords: Keywords = Field(default_factory=Keywords)
    category: Category
    department: str | None
    sources: list[str]


class ArticleError(ValueError):
    """An article file that does not validate, named with the file and the entry."""


@lru_cache(maxsize=4)
def load_articles(directory: Path = ARTICLES_DIR) -> tuple[Article, ...]:
    adapter = TypeAdapter(list[Article])
    articles: list[Article] = []
    for path in sorted(directory.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        try:
            articles.extend(adapter.validate_python(raw))
        except ValidationError as exc:
            where = exc.errors()[0]["loc"]
            entry = raw[where[0]].get("id", where[0]) if where and isinstance(where[0], int) else "?"
            raise ArticleError(f"{path.name}: entry {entry!r}: {exc.errors()[0]['msg']} at {where}") from exc
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise ArticleError(f"duplicate article id {article.id!r}")
        seen.add(article.id)
    return tuple(articles)


def passages(articles: tuple[Article, ...] | None = None) -> list[Passage]:
    """Every citable passage, in a stable order."""
    out: list[Passage] = []
    for article in articles if articles is not None else load_articles():
        def add(kind: PassageKind, text: Bilingual, n: int, article: Article = article,
                claim: Bilingual | None = None) -> None:
            out.append(Passage(id=f"{article.id}#{kind}{n}", article_id=article.id, kind=kind, title=article.title,
                               text=text, claim=claim, keywords=article.keywords, category=article.category,
                               department=article.department, sources=article.sources))

        add("summary", article.summary, 0)
        for i, point in enumerate(article.points):
            add("point", point, i)
        for i, myth in enumerate(article.myths):
            add("myth", myth.correction, i, claim=myth.claim)
        if article.seek_care:
            add("seek_care", article.seek_care, 0)
    return out


def content_hash(articles: tuple[Article, ...] | None = None) -> str:
    """Fingerprint of the article texts, to tell whether cached embeddings are current."""
    body = json.dumps([a.model_dump(mode="json") for a in (articles if articles is not None else load_articles())],
                      ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
