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
    ("对", "nope") far more reliable than free transcription.
    """
    prompt = answer_prompt(lang)
    transcript = transcribe(audio, lang, settings, prompt=prompt)
    # Whisper sometimes repeats its prompt instead of hearing: an echo is not the person's answer.
    heard = transcript.text.replace(prompt, " ").strip() if prompt else transcript.text
    return HeardAnswer(transcript=transcript, answer=recognise_answer(heard, lang))


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


def answer_prompt(lang: VoiceLang) -> str:
    """A Whisper prompt in the shape of a question and its everyday answers, so short replies are
    heard as those words (a bare comma list of words makes Whisper repeat them in a loop)."""
    return _ANSWER_PROMPTS[lang]


_ANSWER_PROMPTS: dict[str, str] = {
    "en": "Do you have a fever? Yes. No. I'm not sure.",
    # No question here: Whisper base echoed "您有没有发烧？" into replies, and 有没有 reads as 没有.
    "zh": "是的。没有。不知道。",
}


__all__ = ["EngineUnavailable", "HeardAnswer", "VoiceError", "answer_prompt", "capabilities", "hear_answer",
           "speak", "transcribe"]
