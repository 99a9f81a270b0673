"""Speech to text with faster-whisper (CTranslate2 Whisper models)."""

from __future__ import annotations

import time

from careguide.voice.audio import samples_of
from careguide.voice.base import DecodedAudio, Transcript, TranscriptSegment, VoiceLang
from careguide.voice.settings import VoiceSettings
from careguide.voice.whisper_models import WhisperModelRef

# Temperature fallback re-decodes a segment that came out as a loop ("词词词...") or with a
# very low likelihood; three steps instead of faster-whisper's six bound the cost on a small CPU.
_TEMPERATURES = (0.0, 0.4, 0.8)
# Nobody says more than ~8 syllables a second: a longer output is a decoding loop, cut short.
_TOKENS_PER_SECOND = 8


class WhisperSTT:
    """One Whisper model transcribing one language."""

    def __init__(self, model: WhisperModelRef, language: VoiceLang, settings: VoiceSettings) -> None:
        from faster_whisper import WhisperModel

        self.name = f"faster-whisper/{model.name}"
        self.language = language
        self._multilingual = model.multilingual
        self._beam_size = settings.stt_beam_size
        # Without context, Whisper base writes robotic Mandarin as romanisation; a short Chinese
        # prompt keeps it in Hanzi. Callers with better context (yes/no answers) pass their own.
        self._default_prompt = settings.stt_prompt_zh if language == "zh" else ""
        self._model = WhisperModel(str(model.path), device=settings.stt_device,
                                   compute_type=settings.stt_compute_type, cpu_threads=settings.stt_cpu_threads)

    def transcribe(self, audio: DecodedAudio, prompt: str = "") -> Transcript:
        started = time.perf_counter()
        segments, _info = self._model.transcribe(
            samples_of(audio),
            language=self.language if self._multilingual else None,
            beam_size=self._beam_size,
            temperature=list(_TEMPERATURES),
            condition_on_previous_text=False,
            initial_prompt=prompt or self._default_prompt or None,
            vad_filter=True,
            max_new_tokens=min(440, int(audio.duration_s * _TOKENS_PER_SECOND) + 16),
        )
        parts = [TranscriptSegment(start_s=round(s.start, 2), end_s=round(s.end, 2), text=self._clean(s.text))
                 for s in segments]
        text = ("" if self.language == "zh" else " ").join(p.text for p in parts if p.text)
        if not prompt and self._default_prompt:
            text = _without_echo(text, self._default_prompt)
        # U+FFFD: a multi-byte character cut in half where a looping output was stopped.
        text = text.replace("\ufffd", "")
        return Transcript(text=text.strip(), language=self.language, engine=self.name,
                          audio_seconds=audio.duration_s, processing_seconds=time.perf_counter() - started,
                          segments=parts)

    def _clean(self, text: str) -> str:
        text = text.strip()
        if self.language == "zh":
            from careguide.voice.chinese import to_simplified

            text = to_simplified(text)
        return text


def _without_echo(text: str, prompt: str) -> str:
    """``text`` without the clauses of a context prompt that Whisper repeated instead of hearing.

    Whisper base, given "您好，请问您哪里不舒服？", often writes that question back for a short
    reply; those words were never said, so they are removed (clauses of 4+ characters only).
    """
    import re

    for clause in re.split(r"[，。？！,.?!\s]+", prompt):
        if len(clause) >= 4:
            text = text.replace(clause, "")
    return re.sub(r"^[，。？！,.?!\s]+", "", text).strip()
