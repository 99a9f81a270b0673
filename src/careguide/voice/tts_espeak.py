"""Mandarin text to speech with Debian's espeak-ng reading pinyin.

espeak-ng's plain ``cmn`` voice reads Hanzi badly (digits come out in English); its
``cmn-latn-pinyin`` voice reads tone-numbered pinyin syllables correctly, so the text is
turned into pinyin with pypinyin first. Robotic, but every syllable is a real one.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import time
import wave
from pathlib import Path

from careguide.voice.base import EngineUnavailable, SpeechAudio
from careguide.voice.chinese import to_pinyin

VOICE = "cmn-latn-pinyin"


class EspeakPinyinTTS:
    def __init__(self, program: str = "espeak-ng", words_per_minute: int = 150) -> None:
        found = shutil.which(program)
        if found is None:
            raise EngineUnavailable("tts", "zh", f"{program} is not installed (Debian package espeak-ng)")
        voices = subprocess.run([found, "--voices=cmn"], capture_output=True, text=True, timeout=30).stdout
        if VOICE not in voices:
            raise EngineUnavailable("tts", "zh", f"{program} has no {VOICE} voice")
        self.name = f"espeak-ng/{VOICE}"
        self.language = "zh"
        self._program = found
        self._speed = words_per_minute

    def synthesize(self, spoken_text: str) -> SpeechAudio:
        started = time.perf_counter()
        pinyin = to_pinyin(spoken_text)
        with tempfile.TemporaryDirectory(prefix="careguide-espeak-") as tmp:
            out = Path(tmp) / "speech.wav"
            # Text on stdin: a sentence that starts with "-" must not be read as an option.
            done = subprocess.run([self._program, "-v", VOICE, "-s", str(self._speed), "-w", str(out), "--stdin"],
                                  input=pinyin, capture_output=True, text=True, timeout=120)
            if done.returncode != 0 or not out.is_file():
                raise EngineUnavailable("tts", "zh", f"espeak-ng failed ({done.returncode}): {done.stderr[:200]}")
            data = out.read_bytes()
        with wave.open(io.BytesIO(data)) as reader:
            rate, frames = reader.getframerate(), reader.getnframes()
        return SpeechAudio(wav=data, sample_rate=rate, duration_s=round(frames / rate, 3), language="zh",
                           engine=self.name, spoken_text=spoken_text,
                           processing_seconds=time.perf_counter() - started)

