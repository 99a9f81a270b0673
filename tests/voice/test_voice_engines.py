"""Engines come from settings; a missing or corrupt model is 'unavailable' with a message, never a crash."""

import hashlib

import pytest

from careguide.voice import EngineUnavailable, SpeechToText, TextToSpeech, capabilities, speak, transcribe
from careguide.voice.engines import stt_engine, tts_engine
from careguide.voice.settings import VoiceSettings
from careguide.voice.whisper_models import WHISPER_BASE_SHA256, assemble_parts, bundled_base


def test_chinese_whisper_base_is_joined_once_and_checksum_verified(tmp_path):
    ref = bundled_base(tmp_path)
    model = ref.path / "model.bin"
    assert ref.multilingual and (ref.path / "SHA256").read_text().strip() == WHISPER_BASE_SHA256
    assert model.stat().st_size == 145_217_532
    joined_at = model.stat().st_mtime_ns
    assert bundled_base(tmp_path).path == ref.path and model.stat().st_mtime_ns == joined_at


def test_parts_with_a_wrong_checksum_are_refused_and_leave_nothing_behind(tmp_path):
    parts_dir = tmp_path / "parts"
    parts_dir.mkdir()
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (parts_dir / name).write_text("{}")
    first, second = parts_dir / "model.bin.part1", parts_dir / "model.bin.part2"
    first.write_bytes(b"half one")
    second.write_bytes(b"tampered")
    target = tmp_path / "models" / "whisper-base"
    with pytest.raises(EngineUnavailable) as caught:
        assemble_parts([first, second], target, hashlib.sha256(b"half onehalf two").hexdigest())
    assert caught.value.code == "stt_unavailable" and "sha256" in caught.value.detail
    assert not target.exists() and list((tmp_path / "models").iterdir()) == []


def test_parts_with_the_right_checksum_are_joined_in_order(tmp_path):
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "a").write_bytes(b"half one")
    (tmp_path / "b").write_bytes(b"half two")
    target = tmp_path / "out"
    assemble_parts([tmp_path / "a", tmp_path / "b"], target, hashlib.sha256(b"half onehalf two").hexdigest())
    assert (target / "model.bin").read_bytes() == b"half onehalf two"


def test_a_configured_model_that_is_not_there_is_unavailable_with_a_bilingual_message():
    settings = VoiceSettings(stt_model_en="/no/such/faster-whisper-large-v3")
    with pytest.raises(EngineUnavailable) as caught:
        stt_engine("en", settings)
    assert "Please type" in caught.value.message("en") and "打字" in caught.value.message("zh")


def test_without_espeak_ng_mandarin_cannot_speak_and_the_page_is_told_why():
    settings = VoiceSettings(espeak_program="no-such-espeak-ng")
    state = capabilities("zh", settings)
    assert state.can_listen and not state.can_speak
    assert "文字" in state.message
    with pytest.raises(EngineUnavailable):
        speak("你好", "zh", settings)


def test_an_english_only_model_is_not_used_for_chinese(tmp_path):
    model = tmp_path / "whisper-small.en"
    model.mkdir()
    (model / "model.bin").write_bytes(b"x")
    with pytest.raises(EngineUnavailable):
        stt_engine("zh", VoiceSettings(stt_model_zh=str(model)))


def test_shipped_engines_implement_the_interfaces():
    assert isinstance(stt_engine("en"), SpeechToText)
    assert isinstance(tts_engine("en"), TextToSpeech)
    assert isinstance(tts_engine("zh"), TextToSpeech)


def test_transcribe_with_no_engine_raises_unavailable_not_a_crash():
    from voice_clips import encode, tone

    with pytest.raises(EngineUnavailable):
        transcribe(encode(tone(1.0), 16_000, "wav"), "en", VoiceSettings(stt_model_en="/nope"))


def test_an_echoed_context_prompt_is_not_taken_for_what_the_person_said():
    from careguide.voice.stt_whisper import _without_echo

    prompt = "您好，请问您哪里不舒服？"
    assert _without_echo("请问您哪里不舒服？请问您哪里不舒服？", prompt) == ""
    assert _without_echo("我头痛，发烧三天了。", prompt) == "我头痛，发烧三天了。"
