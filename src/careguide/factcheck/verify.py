"""The optional language-model step: a configured model reads the text and the rule findings.

The model can only make the answer more careful, never less: rules and evidence stay in charge of
"misleading" (their precision is measured), and a model that disagrees with "consistent" or has an
opinion where the rules could not judge turns the verdict into "unsupported". A model that fails,
times out or answers out of format changes nothing; the result says which steps ran.
"""

from __future__ import annotations

import json
import re

from careguide.factcheck.models import FactcheckResult, Verdict
from careguide.i18n import t
from careguide.llm import LLM, ChatMessage, generate

_SYSTEM = (
    "You check health claims and adverts for older readers. Judge only what the text claims about health. "
    "Answer with one JSON object and nothing else: "
    '{"verdict": "misleading" | "unsupported" | "consistent_with_evidence" | "cannot_judge", '
    '"reason": "<one short sentence>"}. Say "cannot_judge" when you are not sure.'
)
_JSON = re.compile(r"\{.*\}", re.DOTALL)


def verify_with_llm(text: str, result: FactcheckResult, llm: LLM) -> FactcheckResult:
    """The result after the model's reading (unchanged when the model gives no usable answer)."""
    findings = ", ".join(p.id for p in result.patterns) or "none"
    evidence = ", ".join(f"{e.id}:{e.agreement}" for e in result.evidence) or "none"
    prompt = (f"Text:\n{text[:4000]}\n\nRule-based findings: patterns={findings}; evidence={evidence}; "
              f"verdict={result.verdict.value}.")
    completion = generate(llm, [ChatMessage(role="system", content=_SYSTEM), ChatMessage(role="user", content=prompt)],
                          max_tokens=160, temperature=0.0)
    opinion = _parse(completion.text)
    if opinion is None:
        return result.model_copy(update={"llm_note": completion.reason or "unparsed"})
    verdict = result.verdict
    if opinion in (Verdict.MISLEADING, Verdict.UNSUPPORTED) and verdict in (Verdict.CANNOT_JUDGE, Verdict.CONSISTENT):
        verdict = Verdict.UNSUPPORTED
    update: dict[str, object] = {"steps": [*result.steps, "llm"], "llm_opinion": opinion, "verdict": verdict}
    if verdict != result.verdict:
        update["explanation"] = result.explanation + ("" if result.language == "zh" else " ") + t(
            "factcheck.explain_llm_caution", result.language)
    return result.model_copy(update=update)


def _parse(text: str | None) -> Verdict | None:
    if not text:
        return None
    found = _JSON.search(text)
    if not found:
        return None
    try:
        value = json.loads(found.group(0)).get("verdict")
    except (json.JSONDecodeError, AttributeError):
        return None
    try:
        return Verdict(value)
    except ValueError:
        return None
