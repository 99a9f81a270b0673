"""Voice settings: which models and voices to use, and the limits on a recorded turn.

Read from ``CAREGUIDE_VOICE_*`` environment variables, then the ``[voice]`` table of the
careguide TOML file; every field has a default that works offline with the bundled models.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from careguide.config import _config_file


class VoiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAREGUIDE_VOICE_", extra="ignore")

    stt_model_en: str = Field(default="", description="Directory of a faster-whisper (CTranslate2) model for "
                              "English; empty: the bundled Whisper tiny.en.")
    stt_model_zh: str = Field(default="", description="Directory of a multilingual faster-whisper model for "
                              "Chinese; empty: the bundled Whisper base, assembled into data_dir/models.")
    stt_device: Literal["cpu", "cuda", "auto"] = "cpu"
    stt_compute_type: str = Field(default="int8", description="CTranslate2 compute type: int8, float16 ...")
    stt_cpu_threads: int = Field(default=0, description="0: let CTranslate2 decide.")
    stt_beam_size: int = 1
    stt_prompt_zh: str = Field(default="您好，请问您哪里不舒服？", description="Context given to Whisper for Mandarin.")
    tts_voice_en: str = Field(default="", description="A Piper voice (.onnx with its .onnx.json) for English; "
                              "empty: the bundled en_US joe voice.")
    tts_voice_zh: str = Field(default="", description="A Piper voice (.onnx) for Mandarin, e.g. zh_CN-huayan; "
                              "empty: espeak-ng reading pinyin.")
    piper_length_scale: float = Field(default=1.1, description="Above 1 speaks slower (older listeners).")
    espeak_program: str = "espeak-ng"
    espeak_speed_wpm: int = Field(default=150, description="Slower than espeak's 175 for older listeners.")
    max_audio_seconds: float = Field(default=120.0, description="Longest recorded turn accepted.")
    max_audio_bytes: int = Field(default=20_000_000, description="Largest upload accepted, before decoding.")
    min_speech_seconds: float = 0.3

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _TomlVoiceTable(settings_cls)


class _TomlVoiceTable(PydanticBaseSettingsSource):
    """The ``[voice]`` table of the careguide TOML file, when there is one."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        import tomllib

        path: Path = _config_file()
        if not path.is_file():
            return {}
        with path.open("rb") as handle:
            table = tomllib.load(handle).get("voice", {})
        return table if isinstance(table, dict) else {}


@lru_cache(maxsize=1)
def get_voice_settings() -> VoiceSettings:
    return VoiceSettings()
