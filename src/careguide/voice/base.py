"""The two voice interfaces and the typed values that cross them.

An engine is one small class in its own file (``stt_whisper.py``, ``tts_piper.py``,
``tts_espeak.py``); :mod:`careguide.voice.engines` picks one per language from settings.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from careguide.i18n import t

VoiceLang = Literal["en", "zh"]
AnswerId = Literal["yes", "no", "dont_know"]


class VoiceError(Exception):
    """A problem a person can act on, named by an i18n key under ``voice.``.

    ``detail`` is for developers and logs (which input, which file); the person sees
    :meth:`message` in their language.
    """

    def __init__(self, code: str, detail: str = "", **params: object) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.params = params

    def message(self, lang: str | None) -> str:
        return t(f"voice.{self.code}", lang, **self.params)

    def messages(self) -> dict[str, str]:
        """The message in both languages (the page shows the person's; logs keep both)."""
        return {"en": self.message("en"), "zh": self.message("zh")}


class EngineUnavailable(VoiceError):
    """No usable engine for a language (model missing, corrupt, or a program not installed)."""

    def __init__(self, kind: Literal["stt", "tts"], lang: str, detail: str) -> None:
        super().__init__(f"{kind}_unavailable", detail)
        self.kind = kind
        self.lang = lang


class DecodedAudio(BaseModel):
    """Audio after decoding: 16 kHz mono float32 samples in [-1, 1], as raw bytes."""

    model_config = {"arbitrary_types_allowed": True}

    samples: bytes = Field(repr=False, description="little-endian float32, 16 kHz, mono")
    sample_rate: int = 16_000
    duration_s: float
    source_format: str = Field(description="wav, webm, ogg, mp3, mp4, flac ...")


class TranscriptSegment(BaseModel):
    start_s: float
    end_s: float
    text: str


class Transcript(BaseModel):
    text: str
    language: VoiceLang
    engine: str
    audio_seconds: float
    processing_seconds: float
    segments: list[TranscriptSegment] = Field(default_factory=list)

    @property
    def real_time_factor(self) -> float:
        return self.processing_seconds / self.audio_seconds if self.audio_seconds else 0.0


class SpeechAudio(BaseModel):
    """Synthesised speech: a complete WAV file (16-bit PCM mono)."""

    wav: bytes = Field(repr=False)
    sample_rate: int
    duration_s: float
    language: VoiceLang
    engine: str
    spoken_text: str = Field(description="The text after normalisation for speech, as the engine read it.")
    processing_seconds: float = 0.0
    media_type: str = "audio/wav"


class EngineInfo(BaseModel):
    kind: Literal["stt", "tts"]
    language: VoiceLang
    engine: str
    model: str
    available: bool
    reason: str = Field(default="", description="Why it is unavailable (developer words); empty when available.")


class VoiceCapabilities(BaseModel):
    """What voice can do for one language, so a page can offer typing when it cannot listen."""

    language: VoiceLang
    can_listen: bool
    can_speak: bool
    message: str = Field(default="", description="For the person, in their language, when something is missing.")
    engines: list[EngineInfo]


@runtime_checkable
class SpeechToText(Protocol):
    """Turns 16 kHz mono speech into text in one language."""

    name: str

    def transcribe(self, audio: DecodedAudio, prompt: str = "") -> Transcript:
        """The transcript of ``audio``; ``prompt`` biases words the caller expects (e.g. yes/no)."""
        ...


@runtime_checkable
class TextToSpeech(Protocol):
    """Reads text that is already normalised for speech aloud, as a WAV file."""

    name: str

    def synthesize(self, spoken_text: str) -> SpeechAudio:
        """A WAV of ``spoken_text`` (numbers and units already written as words)."""
        ...
