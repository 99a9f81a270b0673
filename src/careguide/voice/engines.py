"""Which engine serves which language, from settings; each loaded once per process (and settings).

| language | speech to text | text to speech |
|---|---|---|
| en | ``stt_model_en`` or bundled Whisper tiny.en | ``tts_voice_en`` or bundled Piper joe |
| zh | ``stt_model_zh`` or bundled Whisper base (assembled on first use) | ``tts_voice_zh`` (Piper) or espeak-ng pinyin |
"""

from __future__ import annotations

import threading
from pathlib import Path

from careguide.voice.base import EngineInfo, EngineUnavailable, SpeechToText, TextToSpeech, VoiceLang
from careguide.voice.settings import VoiceSettings, get_voice_settings

_lock = threading.Lock()
_stt: dict[str, SpeechToText] = {}
_tts: dict[str, TextToSpeech] = {}


def stt_engine(lang: VoiceLang, settings: VoiceSettings | None = None) -> SpeechToText:
    """The speech-to-text engine for ``lang``, loaded on first use; raises :class:`EngineUnavailable`."""
    settings = settings or get_voice_settings()
    key = f"{lang}:{settings.model_dump_json()}"
    with _lock:
        if key not in _stt:
            _stt[key] = _load_stt(lang, settings)
        return _stt[key]


def tts_engine(lang: VoiceLang, settings: VoiceSettings | None = None) -> TextToSpeech:
    """The text-to-speech engine for ``lang``, loaded on first use; raises :class:`EngineUnavailable`."""
    settings = settings or get_voice_settings()
    key = f"{lang}:{settings.model_dump_json()}"
    with _lock:
        if key not in _tts:
            _tts[key] = _load_tts(lang, settings)
        return _tts[key]


def reset_engines() -> None:
    """Forget loaded engines (after settings change)."""
    with _lock:
        _stt.clear()
        _tts.clear()


def describe_engines(settings: VoiceSettings | None = None) -> list[EngineInfo]:
    """What each language would use and whether it can, without loading any model."""
    settings = settings or get_voice_settings()
    infos = []
    for lang in ("en", "zh"):
        for kind, probe in (("stt", _probe_stt), ("tts", _probe_tts)):
            try:
                engine, model = probe(lang, settings)  # type: ignore[operator]
                infos.append(EngineInfo(kind=kind, language=lang, engine=engine, model=model, available=True))
            except EngineUnavailable as error:
                infos.append(EngineInfo(kind=kind, language=lang, engine="", model="", available=False,
                                        reason=error.detail))
    return infos


def _load_stt(lang: VoiceLang, settings: VoiceSettings) -> SpeechToText:
    from careguide.voice.stt_whisper import WhisperSTT

    try:
        return WhisperSTT(_whisper_ref(lang, settings), lang, settings)
    except EngineUnavailable:
        raise
    except Exception as error:  # a model CTranslate2 cannot load is an unusable engine, not a crash
        raise EngineUnavailable("stt", lang, f"cannot load the Whisper model: {error}") from error


def _load_tts(lang: VoiceLang, settings: VoiceSettings) -> TextToSpeech:
    from careguide.voice.tts_espeak import EspeakPinyinTTS
    from careguide.voice.tts_piper import PiperTTS, bundled_joe_voice

    configured = settings.tts_voice_en if lang == "en" else settings.tts_voice_zh
    try:
        if configured:
            return PiperTTS(Path(configured).expanduser(), lang, settings.piper_length_scale)
        if lang == "en":
            return PiperTTS(bundled_joe_voice(), "en", settings.piper_length_scale)
        return EspeakPinyinTTS(settings.espeak_program, settings.espeak_speed_wpm)
    except EngineUnavailable:
        raise
    except Exception as error:
        raise EngineUnavailable("tts", lang, f"cannot load the voice: {error}") from error


def _whisper_ref(lang: VoiceLang, settings: VoiceSettings):  # type: ignore[no-untyped-def]
    from careguide.config import get_settings
    from careguide.voice import whisper_models

    configured = settings.stt_model_en if lang == "en" else settings.stt_model_zh
    if configured:
        ref = whisper_models.configured_model(configured)
        if lang == "zh" and not ref.multilingual:
            raise EngineUnavailable("stt", lang, f"{configured} is an English-only model")
        return ref
    if lang == "en":
        return whisper_models.bundled_tiny_en()
    return whisper_models.bundled_base(get_settings().data_dir / "models")


def _probe_stt(lang: VoiceLang, settings: VoiceSettings) -> tuple[str, str]:
    from careguide.voice import whisper_models

    configured = settings.stt_model_en if lang == "en" else settings.stt_model_zh
    if configured:
        ref = whisper_models.configured_model(configured)
        return "faster-whisper", str(ref.path)
    if lang == "en":
        return "faster-whisper", whisper_models.bundled_tiny_en().name
    whisper_models.whisper_base_parts()
    return "faster-whisper", "whisper-base"


def _probe_tts(lang: VoiceLang, settings: VoiceSettings) -> tuple[str, str]:
    import shutil

    from careguide.voice.tts_piper import bundled_joe_voice

    configured = settings.tts_voice_en if lang == "en" else settings.tts_voice_zh
    if configured:
        if not Path(configured).expanduser().is_file():
            raise EngineUnavailable("tts", lang, f"Piper voice {configured} is missing")
        return "piper", configured
    if lang == "en":
        return "piper", bundled_joe_voice().stem
    if shutil.which(settings.espeak_program) is None:
        raise EngineUnavailable("tts", lang, f"{settings.espeak_program} is not installed (Debian espeak-ng)")
    return "espeak-ng", "cmn-latn-pinyin"
