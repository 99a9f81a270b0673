"""Every format a browser records is decoded to 16 kHz mono; bad recordings get a clear message."""

import numpy as np
import pytest
from voice_clips import encode, tone

from careguide.voice import VoiceError
from careguide.voice.audio import check_speech, decode_audio, wav_bytes
from careguide.voice.settings import VoiceSettings


@pytest.mark.parametrize("container", ["wav", "webm", "ogg", "mp3", "mp4", "flac"])
def test_each_recorded_format_decodes_to_16_khz_mono(container):
    audio = decode_audio(encode(tone(1.5), 48_000, container))
    assert audio.source_format == container
    assert audio.sample_rate == 16_000
    assert 1.3 < audio.duration_s < 1.8
    assert abs(len(audio.samples) / 4 - audio.duration_s * 16_000) <= 16  # float32 samples at 16 kHz


def test_stereo_44k_wav_is_mixed_down_and_resampled():
    import io
    import wave

    left = (tone(1.0, 44_100) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(2)
        writer.setsampwidth(2)
        writer.setframerate(44_100)
        writer.writeframes(np.stack([left, left], axis=1).tobytes())
    audio = decode_audio(buffer.getvalue())
    assert audio.duration_s == pytest.approx(1.0, abs=0.01)


def _error(call):
    with pytest.raises(VoiceError) as caught:
        call()
    messages = caught.value.messages()
    assert messages["en"] and messages["zh"] and messages["en"] != messages["zh"]
    return caught.value.code


def test_empty_upload_is_refused():
    assert _error(lambda: decode_audio(b"")) == "empty_audio"


def test_image_or_text_is_an_unsupported_format():
    assert _error(lambda: decode_audio(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)) == "unsupported_format"
    assert _error(lambda: decode_audio("我头痛".encode() * 50)) == "unsupported_format"


def test_damaged_recording_is_unreadable():
    assert _error(lambda: decode_audio(b"RIFF\x10\x00\x00\x00WAVEfmt garbage")) == "unreadable_audio"


def test_ten_minute_recording_is_over_the_limit():
    ten_minutes = wav_bytes(np.zeros(8_000 * 600, dtype=np.float32), 8_000)
    assert _error(lambda: decode_audio(ten_minutes)) == "audio_too_long"


def test_browser_recording_without_declared_length_is_stopped_at_the_limit():
    webm = encode(tone(4.0), 48_000, "webm")
    assert _error(lambda: decode_audio(webm, VoiceSettings(max_audio_seconds=2))) == "audio_too_long"


def test_oversized_upload_is_refused_before_decoding():
    big = encode(tone(1.0), 48_000, "wav")
    assert _error(lambda: decode_audio(big, VoiceSettings(max_audio_bytes=1000))) == "audio_too_large"


def test_silence_is_named_as_silence():
    silent = decode_audio(wav_bytes(np.zeros(16_000 * 3, dtype=np.float32), 16_000))
    assert _error(lambda: check_speech(silent)) == "silence"


def test_noise_without_speech_is_named_as_noise():
    noise = np.random.default_rng(7).normal(0, 0.2, 16_000 * 3).astype(np.float32)
    assert _error(lambda: check_speech(decode_audio(wav_bytes(noise, 16_000)))) == "no_speech"
