"""Whether a doctor agent's own documents answer a question, judged against the whole knowledge base.

Keyword lists of an agent's scope are too literal for the way people ask ("my kid catches every bug
at nursery", "侧着睡会不会好点"), and plain word coverage counts the frame of a question ("is it
okay", "有什么好办法", "一周都没缓过来") as much as its topic. Here a question's words weigh by what
they are: a word the knowledge base knows as a topic - a condition, symptom, lab test, department
keyword, article title or keyword - weighs its rarity (idf over every article); any other word is
part of the question's frame and weighs little (words in ``agent_frames.yaml``'s ``frame_words``
are frame words even when an article lists them). The agent answers when its own best document
covers most of the topic weight; a question that another part of the knowledge base covers clearly
better belongs to someone else.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from pydantic import BaseModel

from careguide.assistant.retrieval import (
    FRAME_WEIGHT,
    Retrieval,
    Retriever,
    content_words,
    frame_words,
    is_cjk_word,
)
from careguide.knowledge.analytes import load_analytes
from careguide.knowledge.articles import load_articles
from careguide.knowledge.loader import load_knowledge

OWN_COVERAGE = 0.5  # share of the topic weight the agent's best document must hold
TOGETHER = 2  # documents read together
ELSEWHERE_MARGIN = 0.2  # how much better another document must cover the question to send it elsewhere


class ScopeVerdict(BaseModel):
    coverage: float
    best_article: str | None
    global_coverage: float
    global_article: str | None
    strong: bool
    elsewhere: bool


@lru_cache(maxsize=1)
def topic_vocabulary() -> frozenset[str]:
    """Every word that names a health topic somewhere in the knowledge base, both languages."""
    phrases: list[str] = []
    for article in load_articles():
        phrases += [article.title.en, article.title.zh, *article.keywords.en, *article.keywords.zh]
    knowledge = load_knowledge()
    for finding in knowledge.findings.values():
        phrases += [finding.name.en, finding.name.zh, *finding.synonyms.en, *finding.synonyms.zh]
    for condition in knowledge.conditions.values():
        phrases += [condition.name.en, condition.name.zh]
        if condition.synonyms:
            phrases += [*condition.synonyms.en, *condition.synonyms.zh]
    for department in knowledge.departments.values():
        phrases += [*department.keywords.en, *department.keywords.zh]
    for analyte in load_analytes().analytes:
        phrases += [analyte.name.en, analyte.name.zh, *analyte.aliases]
    return frozenset(_words(phrases)) - frame_words()


def _words(phrases: Iterable[str]) -> Iterable[str]:
    for phrase in phrases:
        yield from content_words(phrase.replace("...", " "))


class ScopeJudge:
    """Judges one question for one agent; build once (it indexes the whole knowledge base)."""

    def __init__(self, everything: Retriever | None = None) -> None:
        self.everything = everything or Retriever(use_embeddings=False)
        topic = topic_vocabulary()
        self._topic = topic
        self._topic_bigrams = {w[i:i + 2] for w in topic if is_cjk_word(w) for i in range(len(w) - 1)}

    def weight(self, word: str) -> float:
        if (is_cjk_word(word) and len(word) == 1) or word[0].isdigit():
            return FRAME_WEIGHT  # one character (查, 量, 从) or a number names no topic on its own
        if word in self._topic:
            return self.everything.word_weight(word)
        if is_cjk_word(word) and len(word) > 2 and word not in frame_words() and all(
                word[i:i + 2] in self._topic_bigrams for i in range(len(word) - 1)):
            return self.everything.word_weight(word)
        return FRAME_WEIGHT

    def judge(self, text: str, own: Retriever, retrieval: Retrieval, knowledge: Iterable[str]) -> ScopeVerdict:
        words = content_words(text)
        coverage, best = self._best(own, words, [h.passage.article_id for h in retrieval.hits])
        found = self.everything.search(text, k=6)
        global_coverage, global_best = self._best(self.everything, words, [h.passage.article_id for h in found.hits])
        elsewhere = (global_best is not None and global_best not in set(knowledge)
                     and global_coverage >= coverage + ELSEWHERE_MARGIN)
        return ScopeVerdict(coverage=round(coverage, 3), best_article=best, global_coverage=round(global_coverage, 3),
                            global_article=global_best, strong=coverage >= OWN_COVERAGE and not elsewhere,
                            elsewhere=elsewhere)

    def _best(self, retriever: Retriever, words: list[str], article_ids: list[str]) -> tuple[float, str | None]:
        """The coverage of the best-ranked documents together (a comparison such as "甲亢和甲减有什么区别"
        spans two of them), and the first of them."""
        top = list(dict.fromkeys(article_ids))[:TOGETHER]
        if not top:
            return 0.0, None
        return retriever.coverage(words, top, self.weight), top[0]
