"""Compose an answer from retrieved passages, with numbered citations.

Provider ``none``: the answer is the passages themselves, each followed by its citation ``[n]``,
so every sentence is traceable to a source. With a model: the model writes only from the numbered
passages and must cite them; a reply that fails the output checks or cites nothing falls back to
the extractive answer. Either way the answer ends with next steps and when to seek care.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from careguide.assistant.retrieval import Retrieval, Retriever
from careguide.assistant.safety import check_output, next_steps
from careguide.i18n import t
from careguide.knowledge.articles import Passage
from careguide.llm import LLM, ChatMessage, generate

MAX_PASSAGES = 4
_CITATION = re.compile(r"\[(\d+)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*")


class Source(BaseModel):
    n: int
    passage_id: str
    article_id: str
    title: str
    kind: str
    references: list[str]


class GroundedSentence(BaseModel):
    text: str
    cites: list[int] = Field(default_factory=list)


class ComposedAnswer(BaseModel):
    text: str
    body: str = Field(description="the answer without the closing next-steps block")
    closing: str
    sources: list[Source]
    found: bool
    corrected: bool = Field(default=False, description="a myth passage correcting a false belief is cited")
    generated: bool = False
    fell_back: bool = False
    reason: str = ""


def compose_answer(question: str, lang: str, retrieval: Retrieval, retriever: Retriever, *,
                   emergency_number: str, llm: LLM | None = None, myth: Passage | None = None) -> ComposedAnswer:
    """The answer to ``question`` from ``retrieval``; says so plainly when nothing relevant was found.

    ``myth``: a correction the question calls for (its false claim is in the question); it leads the answer.
    """
    if myth is not None:
        retrieval = _with_myth(retrieval, myth, retriever)
    if not retrieval.strong:
        closing = next_steps(lang, emergency_number, kind="nothing_found")
        body = t("assistant.nothing_found", lang)
        return ComposedAnswer(text=f"{body}\n\n{closing}", body=body, closing=closing, sources=[], found=False)
    chosen = select_passages(retrieval, retriever)
    sources = [Source(n=i + 1, passage_id=p.id, article_id=p.article_id, title=p.title.get(lang), kind=p.kind,
                      references=p.sources) for i, p in enumerate(chosen)]
    closing = next_steps(lang, emergency_number)
    extractive = "\n\n".join(f"{p.text.get(lang)} [{i + 1}]" for i, p in enumerate(chosen))
    corrected = any(p.kind == "myth" for p in chosen)
    if llm is None or not llm.generates:
        return ComposedAnswer(text=f"{extractive}\n\n{closing}", body=extractive, closing=closing, sources=sources,
                              found=True, corrected=corrected)
    completion = generate(llm, _prompt(question, lang, chosen), max_tokens=400, temperature=0.2)
    reason = completion.reason
    if completion.text is not None:
        problem = _generated_problem(completion.text, lang, len(chosen))
        if problem is None:
            return ComposedAnswer(text=f"{completion.text.strip()}\n\n{closing}", body=completion.text.strip(),
                                  closing=closing, sources=sources, found=True, corrected=corrected, generated=True)
        reason = problem
    return ComposedAnswer(text=f"{extractive}\n\n{closing}", body=extractive, closing=closing, sources=sources,
                          found=True, corrected=corrected, fell_back=True, reason=reason)


def _with_myth(retrieval: Retrieval, myth: Passage, retriever: Retriever) -> Retrieval:
    """The retrieval re-centred on the myth's article, with the myth first."""
    from careguide.assistant.retrieval import Hit

    others = [h for h in retrieval.hits if h.passage.article_id == myth.article_id and h.passage.id != myth.id]
    top = Hit(passage=myth, score=max([h.score for h in retrieval.hits] + [1.0]), bm25=0.0)
    return retrieval.model_copy(update={"hits": [top, *others], "strong": True})


def select_passages(retrieval: Retrieval, retriever: Retriever) -> list[Passage]:
    """The best article's summary first, then myth corrections and the best-matching passages, then
    when to seek care for that article."""
    top = retrieval.hits[0].passage.article_id
    own = [p for p in retriever.passages if p.article_id == top]
    summary = next(p for p in own if p.kind == "summary")
    seek = next((p for p in own if p.kind == "seek_care"), None)
    best_score = retrieval.hits[0].score
    lead = retrieval.hits[0].passage
    chosen: list[Passage] = [lead, summary] if lead.kind == "myth" else [summary]
    hits = sorted(retrieval.hits, key=lambda h: (h.passage.kind != "myth", -h.score))
    for hit in hits:
        p = hit.passage
        if len(chosen) >= MAX_PASSAGES - 1:
            break
        close_enough = p.article_id == top or hit.score >= 0.9 * best_score
        if p in chosen or p.kind in ("summary", "seek_care") or not close_enough:
            continue
        chosen.append(p)
    if seek is not None:
        chosen.append(seek)
    return chosen


def grounded_sentences(answer: ComposedAnswer) -> list[GroundedSentence]:
    """The body split into sentences with the citations each carries (for the groundedness check)."""
    out: list[GroundedSentence] = []
    for paragraph in answer.body.split("\n\n"):
        cites = [int(n) for n in _CITATION.findall(paragraph)]
        text = _CITATION.sub("", paragraph).strip()
        for sentence in _SENTENCE_END.split(text):
            if sentence.strip():
                out.append(GroundedSentence(text=sentence.strip(), cites=cites))
    return out


def _prompt(question: str, lang: str, chosen: list[Passage]) -> list[ChatMessage]:
    language = "Chinese (simplified)" if lang == "zh" else "English"
    numbered = "\n".join(f"[{i + 1}] {p.text.get(lang)}" for i, p in enumerate(chosen))
    system = (
        f"You are a health information assistant. Answer in {language}, in at most five short sentences, "
        "using ONLY the numbered passages below. Put the passage number in square brackets after every sentence, "
        "like [1]. Do not name a diagnosis for the person, do not give any medicine dose or tell anyone to start, "
        "stop or change a medicine. If the passages do not answer the question, say so.\n\nPassages:\n" + numbered)
    return [ChatMessage(role="system", content=system), ChatMessage(role="user", content=question)]


def _generated_problem(text: str, lang: str, n_passages: int) -> str | None:
    """Why a generated answer may not be shown, or None when it passes."""
    check = check_output(text, lang, require_next_steps=False)
    if not check.ok:
        return "unsafe:" + ",".join(check.violations)
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    if not sentences:
        return "empty"
    for sentence in sentences:
        cites = [int(n) for n in _CITATION.findall(sentence)]
        if not cites or any(n < 1 or n > n_passages for n in cites):
            return "uncited"
    return None
