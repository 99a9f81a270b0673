"""Recorded audio in, 16 kHz mono speech out - or a clear reason why not.

Browsers record WebM/Opus (Chrome, Firefox, Android), MP4/AAC (Safari on iPhone) or Ogg;
uploads may be WAV or MP3. PyAV (FFmpeg, installed with faster-whisper) decodes them all
and resamples to the 16 kHz mono Whisper expects.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from careguide.voice.base import DecodedAudio, VoiceError
from careguide.voice.settings import VoiceSettings, get_voice_settings

SAMPLE_RATE = 16_000
# Below -55 dBFS RMS a recording holds no usable speech (a muted or unplugged microphone).
SILENCE_RMS = 10 ** (-55 / 20)
SUPPORTED_FORMATS = ("wav", "webm", "ogg", "mp3", "mp4", "flac")


def decode_audio(data: bytes, settings: VoiceSettings | None = None) -> DecodedAudio:
    """Decode a recording of any supported format to 16 kHz mono float32.

    Raises :class:`VoiceError` with ``empty_audio``, ``audio_too_large``, ``unsupported_format``,
    ``unreadable_audio`` or ``audio_too_long``.
    """
    settings = settings or get_voice_settings()
    if not data:
        raise VoiceError("empty_audio", "no bytes")
    if len(data) > settings.max_audio_bytes:
        raise VoiceError("audio_too_large", f"{len(data)} bytes", max_mb=settings.max_audio_bytes // 1_000_000)
    source_format = sniff_format(data)
    if source_format is None:
        raise VoiceError("unsupported_format", f"first bytes {data[:12]!r}", formats=", ".join(SUPPORTED_FORMATS))
    samples = _decode_with_av(data, settings.max_audio_seconds)
    duration = len(samples) / SAMPLE_RATE
    if duration == 0:
        raise VoiceError("unreadable_audio", f"{source_format}: no samples decoded")
    return DecodedAudio(samples=samples.astype("<f4").tobytes(), duration_s=round(duration, 3),
                        source_format=source_format)


def samples_of(audio: DecodedAudio) -> np.ndarray:
    return np.frombuffer(audio.samples, dtype="<f4")


def check_speech(audio: DecodedAudio, settings: VoiceSettings | None = None) -> float:
    """Seconds of speech in ``audio``; raises ``silence`` or ``no_speech`` when there is none to hear."""
    settings = settings or get_voice_settings()
    samples = samples_of(audio)
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
    if rms < SILENCE_RMS:
        raise VoiceError("silence", f"RMS {rms:.2e}")
    speech = speech_seconds(samples)
    if speech < settings.min_speech_seconds:
        raise VoiceError("no_speech", f"{speech:.2f} s of speech in {audio.duration_s:.1f} s (RMS {rms:.3f})")
    return speech


def speech_seconds(samples: np.ndarray) -> float:
    """Seconds the Silero voice-activity model (shipped with faster-whisper) marks as speech."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    spans = get_speech_timestamps(samples, VadOptions(min_speech_duration_ms=150))
    return sum(span["end"] - span["start"] for span in spans) / SAMPLE_RATE


def sniff_format(data: bytes) -> str | None:
    """The container named by the file's magic bytes, or None when it is not audio we take."""
    head = data[:16]
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"fLaC":
        return "flac"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def _decode_with_av(data: bytes, max_seconds: float) -> np.ndarray:
    import av

    try:
        container = av.open(io.BytesIO(data), mode="r")
    except (av.error.FFmpegError, ValueError, OSError) as error:
        raise VoiceError("unreadable_audio", f"cannot open: {error}") from None
    with container:
        streams = container.streams.audio
        if not streams:
            raise VoiceError("unreadable_audio", "no audio stream")
        # The declared duration rejects a long file before decoding it; a MediaRecorder WebM declares
        # none, so the decoded length is checked again as it grows.
        if container.duration is not None and container.duration / 1_000_000 > max_seconds + 0.5:
            raise VoiceError("audio_too_long", f"declared {container.duration / 1e6:.0f} s",
                             max_seconds=int(max_seconds))
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        chunks: list[np.ndarray] = []
        total = 0
        limit = int((max_seconds + 0.5) * SAMPLE_RATE)
        try:
            for frame in container.decode(streams[0]):
                total += _append(chunks, resampler.resample(frame))
                if total > limit:
                    raise VoiceError("audio_too_long", f"more than {max_seconds:.0f} s decoded",
                                     max_seconds=int(max_seconds))
            _append(chunks, resampler.resample(None))
        except av.error.FFmpegError as error:
            if not chunks:
                raise VoiceError("unreadable_audio", f"decode failed: {error}") from None
            # A recording cut off mid-frame (the person closed the page) keeps what was decoded.
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)


def _append(chunks: list[np.ndarray], frames: Any) -> int:
    added = 0
    for frame in frames:
        array = frame.to_ndarray().reshape(-1).astype(np.float32, copy=False)
        chunks.append(array)
        added += len(array)
    return added


def wav_bytes(samples: np.ndarray, sample_rate: int) -> bytes:
    """A 16-bit PCM mono WAV file of float samples in [-1, 1]."""
    import wave

    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(sample_rate)
        writer.writeframes(pcm.tobytes())
    return buffer.getvalue()
