"""The assistant: one turn of a conversation, from the person's words to a checked answer.

Every message goes through the safety screen first; the router then picks one skill; the answer
is checked by the output rules and always ends with next steps and when to seek care. The
conversation state is passed in and returned, so the caller decides where it is stored.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from careguide.assistant import skills
from careguide.assistant.agents import AgentAnswer, AgentRunner, SignOff
from careguide.assistant.composer import ComposedAnswer, compose_answer
from careguide.assistant.retrieval import Retriever
from careguide.assistant.router import Route, route
from careguide.assistant.safety import SafetyScreen, check_output, next_steps, safety_answer, screen
from careguide.assistant.state import ConversationState, Turn
from careguide.config import Settings, emergency_number, get_settings
from careguide.i18n import t
from careguide.knowledge.articles import Passage, load_articles
from careguide.language import detect_language
from careguide.llm import LLM, get_llm

MAX_CHARS = 8000
APP_HELP_DIR = Path(__file__).parent / "data" / "app_help"
_SWITCHING_INTENTS = {"booking", "app_help", "claim_check", "lab_report", "my_record", "out_of_scope"}


class TurnResult(BaseModel):
    """One answered turn: what ``careguide ask --json`` prints, plus what the API and audits need."""

    intent: str
    emergency: bool
    self_harm: bool = False
    refused: bool
    refusal: str | None = None
    corrected: bool = False
    answer: str
    sources: list[dict[str, Any]] = Field(default_factory=list)
    language: str
    skill: str | None = None
    options: list[dict[str, str]] = Field(default_factory=list)
    safety_rules: list[str] = Field(default_factory=list)
    output_violations: list[str] = Field(default_factory=list)
    autonomy_level: str = "L0"
    human_reviewed: bool = False
    generated: bool = False
    agent: AgentAnswer | None = Field(default=None, description="the agent's decision (answer or refer) and referral")
    state: ConversationState

    def chunks(self) -> list[str]:
        """The checked answer in paragraphs, for streaming (server-sent events): generated text is
        checked before it is shown, so streaming starts only after the whole turn has passed."""
        return [p for p in self.answer.split("\n\n") if p.strip()]

    def public_dict(self) -> dict[str, Any]:
        """The documented JSON of ``careguide ask --json``."""
        return {"intent": self.intent, "emergency": self.emergency, "answer": self.answer,
                "sources": self.sources, "refused": self.refused, "refusal": self.refusal,
                "self_harm": self.self_harm, "corrected": self.corrected, "language": self.language,
                "options": self.options, "safety_rules": self.safety_rules, "autonomy_level": self.autonomy_level,
                "human_reviewed": self.human_reviewed,
                "agent": self.agent.model_dump(mode="json") if self.agent else None}


class Assistant:
    """Answers turns. Build once (it loads the article index) and reuse across conversations."""

    def __init__(self, settings: Settings | None = None, *, llm: LLM | None = None,
                 retriever: Retriever | None = None, use_embeddings: bool = True,
                 records: skills.RecordLookup | None = None, booking: skills.BookingHelper | None = None,
                 agents: AgentRunner | None = None) -> None:
        self.settings = settings or get_settings()
        self.llm = llm if llm is not None else get_llm(self.settings)
        self._retriever = retriever
        self._use_embeddings = use_embeddings
        self.records = records
        self.booking = booking
        self._agents = agents

    @cached_property
    def agents(self) -> AgentRunner:
        return self._agents or AgentRunner()

    @cached_property
    def retriever(self) -> Retriever:
        return self._retriever or Retriever(use_embeddings=self._use_embeddings)

    @cached_property
    def app_help(self) -> Retriever:
        return Retriever(load_articles(APP_HELP_DIR), use_embeddings=False)

    # -- one turn ------------------------------------------------------------------------------
    def respond(self, state: ConversationState, text: str, lang: str | None = None, *,
                agent_signoff: SignOff | None = None) -> TurnResult:
        """``agent_signoff``: the stored sign-off of the conversation's agent (without one it refers)."""
        state = state.model_copy(deep=True)
        number = emergency_number(state.region)
        language, problem = self._language(state, text, lang)
        if problem is not None:
            return self._finish(state, text, language, intent="invalid_input", answer=t(f"assistant.{problem}", language),
                                number=number, found=SafetyScreen())
        notes: list[str] = []
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
            notes.append(t("assistant.too_long", language))
        if state.agent_id:
            return self._agent_turn(state, text, language, number, notes, agent_signoff)
        found = screen(text)
        routed = route(text, found)
        if found.injection:
            notes.append(t("assistant.injection_notice", language))

        if found.path in ("emergency", "self_harm"):
            state.triage = None
            return self._finish(state, text, language, intent=routed.intent, found=found, number=number,
                                answer=safety_answer(found, language, number, state.region), notes=notes)
        if found.path is not None:
            related = self._related_titles(text, language)
            return self._finish(state, text, language, intent=routed.intent, found=found, number=number,
                                answer=safety_answer(found, language, number, state.region, related), notes=notes)
        if state.triage and not self._switches_topic(routed):
            evidence = state.triage
            reply = skills.guarded("triage", language, lambda: skills.triage_continue(evidence, text, language))
            return self._skill_turn(state, text, language, routed, reply, number, notes)
        return self._dispatch(state, text, language, routed, number, notes)

    def _dispatch(self, state: ConversationState, text: str, lang: str, routed: Route, number: str,
                  notes: list[str]) -> TurnResult:
        intent = routed.intent
        if intent == "out_of_scope" and self.retriever.search(text, k=3).coverage >= 0.6:
            intent = "health_question"  # the router's lexicon missed it, but the health library knows the topic
        if intent in ("health_question", "symptoms", "claim_check", "out_of_scope"):
            myth = self.retriever.find_myth(text)
            if myth is not None:  # a false premise: correct it first, from the knowledge base
                composed = self._compose(text, lang, number, myth=myth)
                return self._finish(state, text, lang, intent="claim_check" if intent == "out_of_scope" else intent,
                                    found=routed.safety, number=number, answer=composed.text, composed=composed,
                                    notes=notes, skill="articles")
        if intent == "symptoms":
            reply = skills.guarded("triage", lang, lambda: skills.triage_start(text, lang, state.region, number))
        elif intent == "lab_report":
            reply = skills.guarded("reports", lang, lambda: skills.explain_lab_text(text, lang))
            if not reply.finished:  # nothing could be read from the text: answer from the articles instead
                composed = self._compose(text, lang, number)
                reply.answer += "\n\n" + composed.body if composed.found else ""
                reply.finished = True
                if composed.found:
                    return self._finish(state, text, lang, intent=intent, found=routed.safety, number=number,
                                        answer=reply.answer, composed=composed, notes=notes, skill="reports")
        elif intent == "claim_check":
            reply = skills.guarded("factcheck", lang, lambda: skills.check_claim(text, lang))
            if reply.available:
                composed = self._compose(text, lang, number)
                if composed.found and composed.corrected:
                    reply.answer += "\n\n" + composed.body
                    reply.sources = [s.passage_id for s in composed.sources]
                    reply.corrected = True
        elif intent == "my_record":
            records = self.records
            reply = skills.guarded("records", lang, lambda: records(text, lang)) if records else \
                skills.not_available("records", lang)
        elif intent == "booking":
            booking = self.booking
            reply = skills.guarded("booking", lang, lambda: booking(text, lang)) if booking else \
                skills.not_available("booking", lang)
        elif intent == "app_help":
            return self._app_help(state, text, lang, routed, number, notes)
        elif intent == "out_of_scope":
            return self._finish(state, text, lang, intent=intent, found=routed.safety, number=number,
                                answer=t("assistant.out_of_scope", lang), notes=notes)
        else:
            composed = self._compose(text, lang, number)
            return self._finish(state, text, lang, intent=intent, found=routed.safety, number=number,
                                answer=composed.text, composed=composed, notes=notes, skill="articles")
        return self._skill_turn(state, text, lang, routed, reply, number, notes)

    def _agent_turn(self, state: ConversationState, text: str, lang: str, number: str,
                    notes: list[str], signoff: SignOff | None = None) -> TurnResult:
        """A conversation with one AI doctor agent: it answers in scope or refers."""
        assert state.agent_id is not None
        reply = self.agents.ask(state.agent_id, text, lang, state.region, signoff)
        found = screen(text)
        result = self._finish(state, text, lang, intent=route(text, found).intent, found=found, number=number,
                              answer=reply.answer, notes=notes, skill=f"agent:{reply.agent_id}",
                              autonomy=reply.autonomy_level, extra_sources=[])
        result.agent = reply
        result.sources = [{"id": pid} for pid in reply.sources]
        return result

    # -- helpers -------------------------------------------------------------------------------
    def _compose(self, text: str, lang: str, number: str, myth: Passage | None = None) -> ComposedAnswer:
        retrieval = self.retriever.search(text, k=6)
        return compose_answer(text, lang, retrieval, self.retriever, emergency_number=number, llm=self.llm,
                              myth=myth)

    def _related_titles(self, text: str, lang: str) -> list[str]:
        retrieval = self.retriever.search(text, k=6)
        if not retrieval.strong:
            return []
        best = retrieval.hits[0].score
        titles: list[str] = []
        for hit in retrieval.hits:
            title = hit.passage.title.get(lang)
            if title not in titles and hit.score >= 0.9 * best:
                titles.append(title)
        return titles[:2]

    def _app_help(self, state: ConversationState, text: str, lang: str, routed: Route, number: str,
                  notes: list[str]) -> TurnResult:
        retrieval = self.app_help.search(text, k=3)
        if retrieval.hits:
            answer = retrieval.hits[0].passage.text.get(lang)
        else:
            answer = t("assistant.app_help_fallback", lang)
        return self._finish(state, text, lang, intent="app_help", found=routed.safety, number=number, answer=answer,
                            notes=notes, skill="app_help", closing=False)

    def _skill_turn(self, state: ConversationState, text: str, lang: str, routed: Route,
                    reply: skills.SkillReply, number: str, notes: list[str]) -> TurnResult:
        if reply.skill == "triage":
            state.triage = None if reply.finished else reply.triage
        intent = "symptoms" if reply.skill == "triage" else routed.intent
        return self._finish(state, text, lang, intent=intent, found=routed.safety, number=number, answer=reply.answer,
                            notes=notes, skill=reply.skill, options=reply.options, emergency=reply.emergency,
                            corrected=reply.corrected, autonomy=reply.autonomy_level,
                            closing=reply.finished, extra_sources=reply.sources)

    @staticmethod
    def _switches_topic(routed: Route) -> bool:
        return routed.intent in _SWITCHING_INTENTS and routed.scores.get(routed.intent, 0) >= 3

    def _language(self, state: ConversationState, text: str, lang: str | None) -> tuple[str, str | None]:
        fallback = state.language or self.settings.default_language
        if text is None or not text.strip():
            return (lang or fallback), "empty"
        if "\x00" in text or sum(1 for ch in text[:2000] if ord(ch) < 32 and ch not in "\n\r\t") > 8:
            return (lang or fallback), "binary"
        guess = detect_language(text)
        if lang in ("en", "zh"):
            return lang, None
        if guess.language in ("en", "zh"):
            return guess.language, None
        return fallback, "unsupported_language"

    def _finish(self, state: ConversationState, text: str, lang: str, *, intent: str, found: SafetyScreen,
                number: str, answer: str, notes: list[str] | None = None, composed: ComposedAnswer | None = None,
                skill: str | None = None, options: list[dict[str, str]] | None = None, emergency: bool = False,
                corrected: bool = False, autonomy: str = "L0", closing: bool = True,
                extra_sources: list[str] | None = None) -> TurnResult:
        check = check_output(answer, lang)
        if closing and "no_next_steps" in check.violations:
            answer = f"{answer}\n\n{next_steps(lang, number)}"
            check = check_output(answer, lang)
        if notes:  # after the first paragraph: an emergency or refusal always comes first
            first, _, rest = answer.partition("\n\n")
            answer = "\n\n".join([first, *notes, rest] if rest else [first, *notes])
        sources = [{"n": s.n, "id": s.passage_id, "article": s.article_id, "title": s.title, "kind": s.kind,
                    "references": s.references} for s in composed.sources] if composed else []
        sources += [{"reference": ref} for ref in (extra_sources or []) if "#" not in ref]
        state.language = lang  # type: ignore[assignment]
        state.add(Turn(role="user", text=text, language=lang))  # type: ignore[arg-type]
        result = TurnResult(
            intent=intent, emergency=found.emergency or found.self_harm or emergency, self_harm=found.self_harm,
            refused=found.path in ("diagnosis", "prescription", "dose_change"),
            refusal=found.path if found.path in ("diagnosis", "prescription", "dose_change") else None,
            corrected=corrected or bool(composed and composed.corrected), answer=answer, sources=sources,
            language=lang, skill=skill or ("safety" if found.path else None), options=options or [],
            safety_rules=found.rules_fired, output_violations=[v for v in check.violations if v != "no_next_steps"]
            if not closing else check.violations, autonomy_level=autonomy,
            generated=bool(composed and composed.generated), state=state)
        state.add(Turn(role="assistant", text=answer, intent=intent, language=lang,  # type: ignore[arg-type]
                       sources=[s["id"] for s in sources if "id" in s], autonomy_level=autonomy,
                       safety_rules=found.rules_fired))
        return result
