"""A note draft (Subjective / Objective / Assessment / Plan) from a consultation transcript.

With provider ``none`` each sentence of the transcript is placed in a section by who said it and
by cue words (data in ``data/note_cues.yaml``): nothing is written that was not said. With a model,
the model drafts from the transcript alone, and a draft in which any section sentence cannot be
traced to the transcript is refused in favour of the extraction. The doctor edits and signs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from careguide.language import detect_language
from careguide.llm import LLM, generate
from careguide.llm.base import ChatMessage

CUES_FILE = Path(__file__).parent / "data" / "note_cues.yaml"
Section = Literal["subjective", "objective", "assessment", "plan"]
SECTIONS: tuple[Section, ...] = ("subjective", "objective", "assessment", "plan")
_SENTENCE = re.compile(r"[^。！？!?;；\n]+(?:[。！？!?;；]|\.(?=\s|$)|$)")


class NoteDraft(BaseModel):
    language: Literal["en", "zh"]
    subjective: list[str] = Field(default_factory=list)
    objective: list[str] = Field(default_factory=list)
    assessment: list[str] = Field(default_factory=list)
    plan: list[str] = Field(default_factory=list)
    method: Literal["extraction", "model"] = "extraction"
    fell_back: str | None = None

    def text(self, headings: Mapping[str, str]) -> str:
        return "\n\n".join(f"{headings[name]}:\n" + "\n".join(getattr(self, name)) for name in SECTIONS)


class NoteInputError(ValueError):
    """``key`` is a catalog key in ``clinician``."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


MAX_TRANSCRIPT = 50_000


def draft_note(transcript: str, llm: LLM | None = None) -> NoteDraft:
    if not transcript or not transcript.strip():
        raise NoteInputError("transcript_empty")
    if len(transcript) > MAX_TRANSCRIPT:
        raise NoteInputError("transcript_too_long")
    lang: Literal["en", "zh"] = "zh" if detect_language(transcript).language == "zh" else "en"
    extracted = extract_note(transcript, lang)
    if llm is None or not llm.generates:
        return extracted
    drafted = _model_draft(transcript, lang, llm)
    if drafted is None:
        extracted.fell_back = "model_failed"
        return extracted
    if untraceable(drafted, transcript):
        extracted.fell_back = "model_added_content"
        return extracted
    return drafted


def extract_note(transcript: str, lang: Literal["en", "zh"]) -> NoteDraft:
    cues = _cues()
    note = NoteDraft(language=lang)
    question = ""
    for speaker, sentence in _utterances(transcript, cues):
        lowered = sentence.lower()
        if speaker == "doctor" and sentence.rstrip().endswith(("?", "？")):
            question = sentence  # a short reply ("No.", "没有") only makes sense with its question
            continue
        if speaker == "patient" and question and _is_short_reply(sentence):
            note.subjective.append(f"{question} — {sentence}")
            question = ""
            continue
        question = ""
        if speaker != "patient" and _has(lowered, cues["plan"]):
            note.plan.append(sentence)
        elif speaker != "patient" and _has(lowered, cues["assessment"]):
            note.assessment.append(sentence)
        elif _has(lowered, cues["objective"]) and (speaker == "doctor" or re.search(r"\d", sentence)):
            note.objective.append(sentence)
        elif speaker == "patient":
            note.subjective.append(sentence)
    return note


def untraceable(note: NoteDraft, transcript: str) -> list[str]:
    """Sentences of a note whose words are not in the transcript (loose: case and spaces ignored)."""
    haystack = re.sub(r"\s+", "", transcript.lower())
    missing = []
    for name in SECTIONS:
        for sentence in getattr(note, name):
            probe = re.sub(r"\s+", "", sentence.lower()).strip("。.!！?？;；")
            if probe and probe not in haystack:
                missing.append(sentence)
    return missing


def _model_draft(transcript: str, lang: str, llm: LLM) -> NoteDraft | None:
    instruction = (
        "Sort the sentences of this consultation transcript into SOAP sections. Copy sentences exactly; "
        "add nothing. Answer with four lines starting 'S:', 'O:', 'A:', 'P:', sentences separated by ' | '."
    )
    completion = generate(llm, [ChatMessage(role="system", content=instruction),
                                ChatMessage(role="user", content=transcript)], max_tokens=800)
    if not completion.text:
        return None
    note = NoteDraft(language="zh" if lang == "zh" else "en", method="model")
    prefixes = {"S:": "subjective", "O:": "objective", "A:": "assessment", "P:": "plan"}
    for line in completion.text.splitlines():
        head = line.strip()[:2].upper()
        if head in prefixes:
            parts = [p.strip() for p in line.strip()[2:].split("|") if p.strip()]
            setattr(note, prefixes[head], parts)
    return note if any(getattr(note, s) for s in SECTIONS) else None


def _utterances(transcript: str, cues: dict[str, list[str]]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    speaker = "unknown"
    for raw_line in transcript.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        label, sep, rest = _split_speaker(line)
        if sep and len(label) <= 12:
            named = label.strip().lower()
            speaker = ("doctor" if named in cues["doctor"] else "patient" if named in cues["patient"] else speaker)
            line = rest.strip()
        for match in _SENTENCE.finditer(line):
            sentence = match.group(0).strip()
            if sentence:
                found.append((speaker, sentence))
    return found


def _is_short_reply(sentence: str) -> bool:
    words = sentence.split()
    return len(words) <= 3 if sentence.isascii() else len(sentence.strip("。！？!?，, ")) <= 6


def _split_speaker(line: str) -> tuple[str, str, str]:
    match = re.match(r"^([^:：]{1,12})([:：])(.*)$", line)
    return (match.group(1), match.group(2), match.group(3)) if match else ("", "", line)


def _has(text: str, cues: list[str]) -> bool:
    return any((re.search(rf"\b{re.escape(cue)}\b", text) if cue.isascii() else cue in text) for cue in cues)


@lru_cache(maxsize=1)
def _cues() -> dict[str, list[str]]:
    data = yaml.safe_load(CUES_FILE.read_text(encoding="utf-8"))
    cues = {name: [w.lower() for lang in ("en", "zh") for w in data[name][lang]]
            for name in ("objective", "assessment", "plan")}
    cues["doctor"] = [w.lower() for lang in ("en", "zh") for w in data["speakers"]["doctor"][lang]]
    cues["patient"] = [w.lower() for lang in ("en", "zh") for w in data["speakers"]["patient"][lang]]
    return cues
