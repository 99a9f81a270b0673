"""Evaluation of speech recognition (``careguide eval voice``) on synthesised health sentences.

Each line of ``evals/voice_sentences.jsonl`` is a sentence (``kind: sentence``: symptoms,
medicines, numbers) or a reply to a yes/no question (``kind: answer`` with its answer id).
Every item is read aloud by the shipped text-to-speech engine of its language (Piper for
English, espeak-ng pinyin for Mandarin) into a temporary WAV, then recognised by the shipped
speech-to-text engine. The audio is synthetic, not recorded people: say so wherever a figure
is quoted.

Figures:

* ``wer_en`` - word error rate over all English sentences (edits / reference words);
* ``cer_zh`` - character error rate over all Mandarin sentences (edits / reference characters);
* ``yes_no_accuracy_<lang>`` - replies whose recognised answer id equals the label.

Reference and transcript are compared after the same normalisation as speech output
(numbers and units as words), lower case, no punctuation, simplified characters, so
"120/80" heard as "120 over 80" is not an error.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from careguide.voice import EngineUnavailable, VoiceError, for_speech, hear_answer, speak, transcribe
from careguide.voice.chinese import to_simplified

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_SENTENCES = REPO_ROOT / "evals" / "voice_sentences.jsonl"
# Whisper writes American spellings; the speech normaliser writes British ones.
_SPELLING = {"liter": "litre", "liters": "litres", "milliliters": "millilitres", "meter": "metre",
             "meters": "metres", "millimeters": "millimetres", "centimeters": "centimetres",
             "diarrhea": "diarrhoea", "deciliter": "decilitre", "okay": "ok"}


def load_items(path: Path = DEFAULT_SENTENCES) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def words_for_scoring(text: str, lang: str) -> list[str]:
    """Tokens compared by WER (English words) or CER (Mandarin characters)."""
    spoken = for_speech(text, lang).lower()
    if lang == "zh":
        spoken = to_simplified(spoken)
        return [c for c in spoken if re.match(r"\w", c) and not c.isspace()]
    spoken = re.sub(r"[^a-z0-9' ]+", " ", spoken.replace("-", " "))
    return [_SPELLING.get(w, w) for w in spoken.split()]


def evaluate_voice(
    items: list[dict[str, Any]],
    langs: tuple[str, ...] = ("en", "zh"),
    progress: Callable[[int, int], None] | None = None,
    keep_errors: int = 10,
) -> dict[str, Any]:
    chosen = [item for item in items if item["lang"] in langs]
    per_lang: dict[str, dict[str, Any]] = {
        lang: {"edits": 0, "ref_units": 0, "sentences": 0, "answers": 0, "answers_right": 0,
               "audio_s": 0.0, "stt_s": 0.0, "tts_s": 0.0, "errors": [], "answer_misses": [],
               "unavailable": "", "stt_engine": "", "tts_engine": "", "failures": 0}
        for lang in langs
    }
    with tempfile.TemporaryDirectory(prefix="careguide-voice-eval-") as tmp:
        for done, item in enumerate(chosen, 1):
            stats = per_lang[item["lang"]]
            if not stats["unavailable"]:
                _run_item(item, stats, Path(tmp), keep_errors)
            if progress:
                progress(done, len(chosen))
    return _figures(per_lang, langs)


def _run_item(item: dict[str, Any], stats: dict[str, Any], tmp: Path, keep_errors: int) -> None:
    lang = item["lang"]
    try:
        speech = speak(item["text"], lang)
        clip = tmp / f"{item['id']}.wav"
        clip.write_bytes(speech.wav)  # read back as an upload would arrive
        audio = clip.read_bytes()
        stats["tts_engine"], stats["tts_s"] = speech.engine, stats["tts_s"] + speech.processing_seconds
        stats["audio_s"] += speech.duration_s
        if item["kind"] == "answer":
            started = time.perf_counter()
            heard = hear_answer(audio, lang)
            stats["stt_s"] += time.perf_counter() - started
            stats["stt_engine"] = heard.transcript.engine
            stats["answers"] += 1
            if heard.answer.answer == item["answer"]:
                stats["answers_right"] += 1
            else:
                stats["answer_misses"].append({"id": item["id"], "said": item["text"], "expected": item["answer"],
                                               "heard": heard.transcript.text, "got": heard.answer.answer})
            return
        started = time.perf_counter()
        text = transcribe(audio, lang).text
        stats["stt_s"] += time.perf_counter() - started
    except EngineUnavailable as error:
        stats["unavailable"] = error.detail
        return
    except VoiceError as error:  # nothing heard counts as every reference unit missed
        text = ""
        stats["failures"] += 1
        if item["kind"] == "answer":
            stats["answers"] += 1
            stats["answer_misses"].append({"id": item["id"], "said": item["text"], "expected": item["answer"],
                                           "heard": "", "got": error.code})
            return
    reference, hypothesis = words_for_scoring(item["text"], lang), words_for_scoring(text, lang)
    edits = Levenshtein.distance(reference, hypothesis)
    stats["edits"] += edits
    stats["ref_units"] += len(reference)
    stats["sentences"] += 1
    if edits and len(stats["errors"]) < keep_errors:
        stats["errors"].append({"id": item["id"], "said": item["text"], "heard": text, "edits": edits})


def _figures(per_lang: dict[str, dict[str, Any]], langs: tuple[str, ...]) -> dict[str, Any]:
    result: dict[str, Any] = {"audio": "synthesised with the shipped text-to-speech engines (not recorded people)"}
    for lang in ("en", "zh"):
        name = "wer_en" if lang == "en" else "cer_zh"
        stats = per_lang.get(lang)
        if stats is None:
            result[name] = result[f"yes_no_accuracy_{lang}"] = None
            result[f"{name}_reason"] = "language not evaluated in this run"
            continue
        if stats["unavailable"]:
            result[name] = result[f"yes_no_accuracy_{lang}"] = None
            result[f"{name}_reason"] = f"no engine: {stats['unavailable']}"
            continue
        result[name] = round(stats["edits"] / stats["ref_units"], 4) if stats["ref_units"] else None
        result[f"yes_no_accuracy_{lang}"] = (round(stats["answers_right"] / stats["answers"], 4)
                                             if stats["answers"] else None)
        result[lang] = {
            "stt_engine": stats["stt_engine"], "tts_engine": stats["tts_engine"],
            "sentences": stats["sentences"], "reference_units": stats["ref_units"],
            "answers": stats["answers"], "answers_right": stats["answers_right"],
            "nothing_heard": stats["failures"], "audio_seconds": round(stats["audio_s"], 1),
            "stt_real_time_factor": round(stats["stt_s"] / stats["audio_s"], 3) if stats["audio_s"] else None,
            "tts_real_time_factor": round(stats["tts_s"] / stats["audio_s"], 3) if stats["audio_s"] else None,
            "worst": sorted(stats["errors"], key=lambda e: -e["edits"]),
            "answer_misses": stats["answer_misses"],
        }
    return result
