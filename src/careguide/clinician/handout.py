"""Patient handouts: a knowledge-base article in the patient's language, plus the doctor's own words."""

from __future__ import annotations

from pydantic import BaseModel, Field

from careguide.knowledge.articles import Article, load_articles


class Handout(BaseModel):
    article_id: str
    language: str
    title: str
    summary: str
    points: list[str]
    seek_care: str | None
    doctor_additions: str
    sources: list[str]

    def as_text(self, heading_additions: str, heading_sources: str) -> str:
        parts = [self.title, self.summary, *[f"- {p}" for p in self.points]]
        if self.seek_care:
            parts.append(self.seek_care)
        if self.doctor_additions.strip():
            parts.append(f"{heading_additions}: {self.doctor_additions.strip()}")
        parts.append(f"{heading_sources}: {'; '.join(self.sources)}")
        return "\n\n".join(parts)


class TopicSummary(BaseModel):
    id: str
    title: str
    category: str = Field(description="the article's category")


def topics(lang: str, query: str = "") -> list[TopicSummary]:
    wanted = query.strip().lower()
    found = []
    for article in load_articles():
        title = getattr(article.title, "zh" if lang == "zh" else "en")
        other = getattr(article.title, "en" if lang == "zh" else "zh")
        if not wanted or wanted in title.lower() or wanted in other.lower() or wanted in article.id:
            found.append(TopicSummary(id=article.id, title=title, category=str(article.category)))
    return sorted(found, key=lambda item: item.title)


def build_handout(article_id: str, patient_lang: str, additions: str = "") -> Handout | None:
    article = _article(article_id)
    if article is None:
        return None
    lang = "zh" if patient_lang == "zh" else "en"
    return Handout(
        article_id=article.id, language=lang, title=getattr(article.title, lang),
        summary=getattr(article.summary, lang), points=[getattr(p, lang) for p in article.points],
        seek_care=getattr(article.seek_care, lang) if article.seek_care else None,
        doctor_additions=additions[:4000], sources=list(article.sources),
    )


def _article(article_id: str) -> Article | None:
    return next((a for a in load_articles() if a.id == article_id), None)
