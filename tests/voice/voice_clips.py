"""Test audio made in memory: tones and noise in every container the browser or a person may send."""

from __future__ import annotations

import io

import av
import numpy as np

from careguide.voice.audio import wav_bytes

CODECS = {"webm": "libopus", "ogg": "libopus", "mp3": "libmp3lame", "mp4": "aac", "flac": "flac"}


def tone(seconds: float, rate: int = 48_000, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def encode(samples: np.ndarray, rate: int, container: str) -> bytes:
    """``samples`` (mono float) in ``container`` (wav, webm, ogg, mp3, mp4, flac)."""
    if container == "wav":
        return wav_bytes(samples, rate)
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as out:
        stream = out.add_stream(CODECS[container], rate=rate, layout="mono")
        fmt = stream.codec_context.codec.audio_formats[0].name
        frame_size = stream.codec_context.frame_size or 1024
        pts = 0
        for start in range(0, len(samples), frame_size):
            chunk = samples[start:start + frame_size]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate = rate
            frame.pts = pts
            pts += len(chunk)
            for resampled in av.AudioResampler(format=fmt, layout="mono", rate=rate).resample(frame):
                for packet in stream.encode(resampled):
                    out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()
