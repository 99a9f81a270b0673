"""The router: one intent per turn.

The safety screen decides first (emergency, self-harm, diagnosis or prescription requests);
otherwise weighted cue groups from ``data/intents.yaml`` score each skill's intent and the
highest wins. Cues are data that a reviewer can read; this module only adds them up.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from careguide.assistant.rules import PhraseGroup, load_yaml
from careguide.assistant.safety import SafetyScreen, screen
from careguide.language import normalise

Intent = Literal["health_question", "symptoms", "lab_report", "my_record", "booking", "claim_check", "app_help",
                 "out_of_scope", "emergency", "self_harm", "diagnosis_request", "prescription_request"]
SKILL_INTENTS: tuple[Intent, ...] = ("health_question", "symptoms", "lab_report", "my_record", "booking",
                                     "claim_check", "app_help", "out_of_scope")
SAFETY_INTENTS: tuple[Intent, ...] = ("emergency", "self_harm", "diagnosis_request", "prescription_request")
_PATH_TO_INTENT: dict[str, Intent] = {"emergency": "emergency", "self_harm": "self_harm",
                                      "diagnosis": "diagnosis_request", "prescription": "prescription_request",
                                      "dose_change": "prescription_request"}


class WeightedCue(PhraseGroup):
    model_config = ConfigDict(extra="forbid", frozen=True)
    weight: float = Field(gt=0)


class RouterRules(BaseModel):
    intents: dict[str, list[WeightedCue]]
    health_vocabulary: list[WeightedCue | PhraseGroup]


@lru_cache(maxsize=1)
def load_router_rules() -> RouterRules:
    rules = RouterRules(**load_yaml(Path(__file__).parent / "data" / "intents.yaml"))
    unknown = set(rules.intents) - set(SKILL_INTENTS)
    if unknown:
        raise ValueError(f"intents.yaml names intents the router does not know: {sorted(unknown)}")
    return rules


@lru_cache(maxsize=1)
def knowledge_terms() -> PhraseGroup:
    """Names of lab tests, conditions and tests the knowledge base explains, both languages: a question
    about one ("What is HbA1c?", "糖化血红蛋白是什么") is a health question even without a symptom word."""
    from careguide.knowledge.analytes import load_analytes
    from careguide.knowledge.articles import load_articles
    from careguide.knowledge.loader import load_knowledge

    names: list[str] = []
    for analyte in load_analytes().analytes:
        names += [analyte.name.en, analyte.name.zh, *analyte.aliases]
    for condition in load_knowledge().conditions.values():
        names += [condition.name.en.split(" (")[0], condition.name.zh.split("（")[0]]
        if condition.synonyms:
            names += [*condition.synonyms.en, *condition.synonyms.zh]
    for article in load_articles():
        if article.category in ("test", "condition", "medicine_class"):
            names += [article.title.en.split(" (")[0], article.title.zh.split("（")[0]]
    en = {n.strip().lower() for n in names if n.strip().isascii() and len(n.strip()) >= _MIN_EN_TERM}
    zh = {n.strip() for n in names if not n.strip().isascii() and len(n.strip()) >= 2}
    return PhraseGroup(en=tuple(sorted(en - _COMMON_WORDS)), zh=tuple(sorted(zh)))


# Short or everyday spellings that name an analyte only on a report ("GLU", "Ca", "iron" alone is fine)
_MIN_EN_TERM = 3
_COMMON_WORDS = frozenset({"ret", "neu", "lym", "mon", "bas", "eos", "pro", "ket", "nit", "bil", "uro", "sg", "ph",
                           "all", "cold", "flu", "act", "age", "pt", "inr", "fit", "amy", "ana", "col", "cor", "che",
                           "cho", "cla", "cut", "boil", "cre", "ams", "amm", "bld", "con", "ion", "mono"})


class Route(BaseModel):
    intent: Intent
    safety: SafetyScreen
    scores: dict[str, float] = Field(default_factory=dict)
    about_health: bool = True


def route(text: str, found: SafetyScreen | None = None, rules: RouterRules | None = None) -> Route:
    """The intent of one message; ``found`` is the safety screen if the caller already ran it."""
    found = found or screen(text)
    rules = rules or load_router_rules()
    # Pasted text counts for routing (a pasted report is a lab_report); only the safety screen
    # separates it from the person's own words.
    own = normalise(text)
    about_health = any(group.matches(own, ("present", "hypothetical", "other_person", "negated"))
                       for group in (*rules.health_vocabulary, knowledge_terms()))
    if found.path is not None:
        return Route(intent=_PATH_TO_INTENT[found.path], safety=found, about_health=True)
    scores: dict[str, float] = {}
    for name, cues in rules.intents.items():
        total = sum(cue.weight for cue in cues
                    if cue.matches(own, ("present", "hypothetical", "other_person", "negated")))
        if total >= 1:
            scores[name] = total
    intent: Intent = "health_question" if about_health else "out_of_scope"
    if scores:
        order = list(rules.intents)
        intent = max(scores, key=lambda name: (scores[name], -order.index(name)))  # type: ignore[assignment,arg-type]
    if intent in ("symptoms", "health_question") and not about_health:
        intent = "out_of_scope"
    return Route(intent=intent, safety=found, scores=scores, about_health=about_health)
