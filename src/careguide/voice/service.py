"""The voice turn: recorded audio in -> transcript (or a yes/no answer); text in -> spoken WAV."""

from __future__ import annotations

from pydantic import BaseModel

from careguide.i18n import t
from careguide.voice.answers import RecognisedAnswer, recognise_answer
from careguide.voice.audio import check_speech, decode_audio
from careguide.voice.base import (
    EngineUnavailable,
    SpeechAudio,
    Transcript,
    VoiceCapabilities,
    VoiceError,
    VoiceLang,
)
from careguide.voice.engines import describe_engines, stt_engine, tts_engine
from careguide.voice.settings import VoiceSettings, get_voice_settings
from careguide.voice.speech_text import for_speech

MAX_SPEECH_CHARS = 4000


class HeardAnswer(BaseModel):
    transcript: Transcript
    answer: RecognisedAnswer


def transcribe(audio: bytes, lang: VoiceLang, settings: VoiceSettings | None = None, prompt: str = "") -> Transcript:
    """What the person said in a recorded turn (WAV, WebM, Ogg, MP3, MP4/AAC, FLAC).

    Raises :class:`VoiceError` (bad or empty audio, nothing understood) or
    :class:`EngineUnavailable` (no engine for ``lang``): both carry a message in en and zh.
    """
    settings = settings or get_voice_settings()
    engine = stt_engine(lang, settings)  # no engine: say so before asking anything of the recording
    decoded = decode_audio(audio, settings)
    check_speech(decoded, settings)
    transcript = engine.transcribe(decoded, prompt)
    if not transcript.text.strip():
        raise VoiceError("not_understood", f"{transcript.engine} returned no text for {decoded.duration_s} s")
    return transcript


def hear_answer(audio: bytes, lang: VoiceLang, settings: VoiceSettings | None = None) -> HeardAnswer:
    """A spoken reply to a yes/no question: the transcript and the answer id (None: ask again).

    The recogniser is primed with the expected answer phrases, which makes short replies
    ("对", "nope") far more reliable than free transcription. Priming has a cost: a small model
    that does not hear the audio well writes a primed phrase instead (Whisper base wrote "没有"
    for "有一点", "确实有", "对，有"). So where a language has several differently worded primes,
    each decodes the reply and an answer counts only when every decoding gives the same one:
    a phrase the model merely echoed from one prime is not in the other, and the person is
    asked again rather than a "yes" becoming a "no".
    """
    settings = settings or get_voice_settings()
    engine = stt_engine(lang, settings)
    decoded = decode_audio(audio, settings)
    check_speech(decoded, settings)
    heard: list[HeardAnswer] = []
    for prompt in answer_prompts(lang):
        transcript = engine.transcribe(decoded, prompt)
        # Whisper sometimes repeats its prompt instead of hearing: an echo is not the person's answer.
        said = _without_prompt(transcript.text, prompt)
        heard.append(HeardAnswer(transcript=transcript, answer=recognise_answer(said, lang)))
    if not any(h.transcript.text.strip() for h in heard):
        raise VoiceError("not_understood", f"{heard[0].transcript.engine} returned no text for "
                                           f"{decoded.duration_s} s")
    first = heard[0]
    if len({h.answer.answer for h in heard}) > 1:
        matched = [m for h in heard for m in h.answer.matched]
        return HeardAnswer(transcript=first.transcript,
                           answer=RecognisedAnswer(answer=None, matched=matched, transcript=first.answer.transcript))
    return first


def speak(text: str, lang: VoiceLang, settings: VoiceSettings | None = None) -> SpeechAudio:
    """``text`` read aloud as a WAV, numbers and units said the way people say them."""
    if not text or not text.strip():
        raise VoiceError("empty_text", "nothing to say")
    if len(text) > MAX_SPEECH_CHARS:
        raise VoiceError("text_too_long", f"{len(text)} characters", max_chars=MAX_SPEECH_CHARS)
    spoken = for_speech(text, lang)
    return tts_engine(lang, settings).synthesize(spoken)


def capabilities(lang: VoiceLang, settings: VoiceSettings | None = None) -> VoiceCapabilities:
    """Whether voice can listen and speak in ``lang`` here, with a message for the person if not."""
    engines = [e for e in describe_engines(settings) if e.language == lang]
    can_listen = any(e.available for e in engines if e.kind == "stt")
    can_speak = any(e.available for e in engines if e.kind == "tts")
    message = ""
    if not can_listen:
        message = t("voice.stt_unavailable", lang)
    elif not can_speak:
        message = t("voice.tts_unavailable", lang)
    return VoiceCapabilities(language=lang, can_listen=can_listen, can_speak=can_speak, message=message,
                             engines=engines)


def answer_prompts(lang: VoiceLang) -> tuple[str, ...]:
    """Whisper prompts in the shape of everyday answers, so short replies are heard as those words
    (a bare comma list of words makes Whisper repeat them in a loop)."""
    return _ANSWER_PROMPTS[lang]


def answer_prompt(lang: VoiceLang) -> str:
    return answer_prompts(lang)[0]


def _without_prompt(text: str, prompt: str) -> str:
    """``text`` without a verbatim echo of the whole prompt, or of a run of its sentences."""
    import re

    text = text.replace(prompt, " ")
    clauses = [c for c in re.split(r"(?<=[。.?？!！])\s*", prompt) if c]
    for size in range(len(clauses), 1, -1):
        for start in range(len(clauses) - size + 1):
            text = text.replace("".join(clauses[start:start + size]), " ")
    return text.strip()


_ANSWER_PROMPTS: dict[str, tuple[str, ...]] = {
    "en": ("Do you have a fever? Yes. No. I'm not sure.",),
    # No question here: Whisper base echoed "您有没有发烧？" into replies, and 有没有 reads as 没有.
    # Two primes worded differently for every answer (see hear_answer): 是的/没有/不知道, 对/不是/不清楚.
    "zh": ("是的。没有。不知道。", "对，有。不是。不清楚。"),
}


__all__ = ["EngineUnavailable", "HeardAnswer", "VoiceError", "answer_prompt", "answer_prompts", "capabilities", "hear_answer",
           "speak", "transcribe"]
