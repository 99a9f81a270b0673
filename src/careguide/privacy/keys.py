"""Master keys for encryption at rest: a small provider interface and a keyring over it.

A master key only wraps data keys (``crypto``); it never encrypts health data itself, so
rotating it re-wraps 60-byte data keys and leaves the stored ciphertext alone. Every wrapped
data key names its master key's id, so old and new keys work side by side while a rotation
runs: no downtime, no flag day.

Providers: ``FileKeyProvider`` (key files in the data directory, each created once with
O_EXCL and mode 0600) and ``EnvKeyProvider`` (``CAREGUIDE_MASTER_KEY``). A KMS provider is
one more class with the same three methods.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from sqlalchemy import CursorResult, MetaData
    from sqlalchemy.orm import Session

    from careguide.store.db import Database

KEY_BYTES = 32  # AES-256
ENV_VAR = "CAREGUIDE_MASTER_KEY"
_KEY_FILE = re.compile(r"^(k\d{4,})\.key$")


class MasterKeyError(Exception):
    """A key problem an operator must fix; the message says which key and what to do."""


class KeyProvider(Protocol):
    name: str

    def load(self) -> dict[str, bytes]:
        """Every master key this provider holds, by key id."""
        ...

    def active_id(self, keys: dict[str, bytes]) -> str:
        """The id of the key new data keys are wrapped with."""
        ...

    def create_key(self) -> str:
        """Make a new key the active one; returns its id."""
        ...

    def retire(self, key_id: str) -> None:
        """Forget a key nothing uses any more."""
        ...

    def created_at(self, key_id: str) -> float | None:
        """When the key was made (epoch seconds), if the provider knows."""
        ...


class FileKeyProvider:
    """Keys as files ``k0001.key``, ``k0002.key`` ... in one directory; the highest id is active.

    Each file is created with O_EXCL and mode 0600, so when several workers start on an empty
    data directory at once exactly one of them writes the first key and the others read it."""

    name = "file"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def load(self) -> dict[str, bytes]:
        if not self.directory.is_dir() or not any(_KEY_FILE.match(p.name) for p in self.directory.iterdir()):
            self._create("k0001")
        keys: dict[str, bytes] = {}
        for path in sorted(self.directory.iterdir()):
            match = _KEY_FILE.match(path.name)
            if match:
                keys[match.group(1)] = self._read(path)
        return keys

    def active_id(self, keys: dict[str, bytes]) -> str:
        return max(keys, key=lambda kid: int(kid[1:]))

    def create_key(self) -> str:
        existing = [int(m.group(1)[1:]) for p in self.directory.glob("k*.key") if (m := _KEY_FILE.match(p.name))]
        number = max(existing, default=0) + 1
        while True:
            kid = f"k{number:04d}"
            if self._create(kid):
                return kid
            number += 1

    def retire(self, key_id: str) -> None:
        (self.directory / f"{key_id}.key").unlink(missing_ok=True)

    def created_at(self, key_id: str) -> float | None:
        path = self.directory / f"{key_id}.key"
        return path.stat().st_mtime if path.exists() else None

    def _create(self, kid: str) -> bool:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(self.directory / f"{kid}.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii"))
        return True

    @staticmethod
    def _read(path: Path) -> bytes:
        for _ in range(50):  # another process may be between creating and writing the file
            text = path.read_text(encoding="ascii").strip()
            if text:
                key = base64.b64decode(text)
                if len(key) != KEY_BYTES:
                    raise MasterKeyError(f"master key file {path} does not hold a {KEY_BYTES}-byte key")
                return key
            time.sleep(0.02)
        raise MasterKeyError(f"master key file {path} is empty")


class EnvKeyProvider:
    """``CAREGUIDE_MASTER_KEY``: one base64 key, or ``id:base64,id:base64`` with the active key
    first (rotation: put the new key first, keep the old one until ``keys rotate`` is done)."""

    name = "env"

    def __init__(self, value: str) -> None:
        self.value = value

    def load(self) -> dict[str, bytes]:
        keys: dict[str, bytes] = {}
        for part in (p.strip() for p in self.value.split(",")):
            if not part:
                continue
            kid, _, encoded = part.rpartition(":")
            key = _decode(encoded)
            keys[kid or "env-" + hashlib.sha256(key).hexdigest()[:8]] = key
        if not keys:
            raise MasterKeyError(f"{ENV_VAR} is set but holds no key")
        return keys

    def active_id(self, keys: dict[str, bytes]) -> str:
        return next(iter(keys))

    def create_key(self) -> str:
        raise MasterKeyError(f"keys from {ENV_VAR} are set by the operator: put the new key first in {ENV_VAR}, "
                        "restart, then run `careguide keys rotate --rewrap-only`")

    def retire(self, key_id: str) -> None:
        raise MasterKeyError(f"remove key {key_id} from {ENV_VAR} yourself once `careguide keys status` shows it unused")

    def created_at(self, key_id: str) -> float | None:
        return None


def _decode(encoded: str) -> bytes:
    try:
        key = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise MasterKeyError(f"{ENV_VAR}: a key is not valid base64") from exc
    if len(key) != KEY_BYTES:
        raise MasterKeyError(f"{ENV_VAR}: a key must be {KEY_BYTES} bytes (base64 of 32 random bytes)")
    return key


class Keyring:
    """The master keys of one provider, reloaded when a value names a key not seen yet
    (another worker rotated) and at most every ``refresh_s`` seconds."""

    def __init__(self, provider: KeyProvider, refresh_s: float = 60.0) -> None:
        self.provider = provider
        self.refresh_s = refresh_s
        self._lock = threading.Lock()
        self._keys: dict[str, bytes] = {}
        self._active = ""
        self._loaded_at = 0.0
        self.reload()

    @property
    def provider_name(self) -> str:
        return self.provider.name

    def reload(self) -> None:
        with self._lock:
            keys = self.provider.load()
            self._keys, self._active, self._loaded_at = keys, self.provider.active_id(keys), time.monotonic()

    @property
    def active_id(self) -> str:
        if time.monotonic() - self._loaded_at > self.refresh_s:
            self.reload()
        return self._active

    def key(self, key_id: str) -> bytes:
        if key_id not in self._keys:
            self.reload()
        try:
            return self._keys[key_id]
        except KeyError:
            raise MasterKeyError(f"master key {key_id!r} is not available to this process: data encrypted under it "
                            "cannot be read (restore the key file or the environment variable)") from None

    def key_ids(self) -> list[str]:
        return sorted(self._keys)

    def create_key(self) -> str:
        kid = self.provider.create_key()
        self.reload()
        return kid

    def retire(self, key_id: str) -> None:
        if key_id == self._active:
            raise MasterKeyError(f"{key_id} is the active key and cannot be retired")
        self.provider.retire(key_id)
        self.reload()


_override: Keyring | None = None


def default_keyring() -> Keyring:
    """The process's keyring: ``CAREGUIDE_MASTER_KEY`` when set, else key files in the data directory."""
    if _override is not None:
        return _override
    from careguide.config import get_settings

    value = os.environ.get(ENV_VAR, "")
    return _keyring_for(value, _key_directory(get_settings().data_dir))


@lru_cache(maxsize=8)
def _key_directory(data_dir: Path) -> str:
    """Resolved once per data directory: every encrypted value asks for the keyring."""
    return str(data_dir.resolve() / "keys")


@lru_cache(maxsize=8)
def _keyring_for(env_value: str, directory: str) -> Keyring:
    provider: KeyProvider = EnvKeyProvider(env_value) if env_value else FileKeyProvider(Path(directory))
    return Keyring(provider)


def use_keyring(keyring: Keyring | None) -> None:
    """Set (or, with None, clear) the keyring every encrypted column uses; for tests and tools."""
    global _override
    _override = keyring


# Rotation ----------------------------------------------------------------------------------------


def encrypted_columns(metadata: MetaData | None = None) -> list[tuple[Any, Any, str]]:
    """(table, column, purpose) of every encrypted column in the schema."""
    from careguide.privacy.crypto import EncryptedType

    if metadata is None:
        from careguide.store.all_models import Base

        metadata = Base.metadata
    found = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedType):
                found.append((table, column, column.type.purpose))
    return found


def _scan(database: Database, metadata: MetaData | None,
          visit: Callable[[Session, Any, Any, str, list[Any], bytes], None], batch_size: int = 500) -> None:
    """Calls ``visit(session, table, column, purpose, primary_key, raw_bytes)`` for every stored
    encrypted value, one short transaction per batch in primary-key order, so writers are never
    held up for long."""
    import sqlalchemy as sa

    for table, column, purpose in encrypted_columns(metadata):
        pk = list(table.primary_key.columns)
        raw = sa.column(column.name, sa.LargeBinary)
        last: tuple[Any, ...] | None = None
        while True:
            query = sa.select(*pk, raw).select_from(table).where(raw.is_not(None)).order_by(*pk).limit(batch_size)
            if last is not None:
                query = query.where(sa.tuple_(*pk) > sa.tuple_(*last))
            with database.session() as session:
                rows = session.execute(query).all()
                for row in rows:
                    visit(session, table, column, purpose, list(row[: len(pk)]), bytes(row[-1]))
            if len(rows) < batch_size:
                break
            last = tuple(rows[-1][: len(pk)])


def count_by_key(database: Database, metadata: MetaData | None = None) -> dict[str, int]:
    from careguide.privacy.crypto import key_id_of

    counts: dict[str, int] = {}

    def visit(_s: Session, _t: Any, _c: Any, _p: str, _pk: list[Any], blob: bytes) -> None:
        kid = key_id_of(blob)
        counts[kid] = counts.get(kid, 0) + 1

    _scan(database, metadata, visit)
    return counts


def rotate_keys(database: Database, keyring: Keyring, *, batch_size: int = 500, retire: bool = False,
                metadata: MetaData | None = None, retire_grace_s: float | None = None) -> dict[str, Any]:
    """Re-wrap every data key not under the active master key; optionally retire unused keys.

    Each update only applies if the stored value is still the one read, so a value the
    application rewrote meanwhile (already under the active key) is never overwritten.
    Old keys are retired only once the active key is older than ``retire_grace_s`` (default:
    twice the keyring refresh time), so that every worker has stopped wrapping with them."""
    import sqlalchemy as sa

    from careguide.privacy.crypto import key_id_of, rewrap

    active = keyring.active_id
    rewrapped = current = 0

    def visit(session: Session, table: Any, column: Any, purpose: str, pk: list[Any], blob: bytes) -> None:
        nonlocal current, rewrapped
        if key_id_of(blob) == active:
            current += 1
            return
        raw = sa.column(column.name, sa.LargeBinary)
        condition = sa.and_(*(c == v for c, v in zip(table.primary_key.columns, pk, strict=True)),
                            raw == sa.literal(blob, sa.LargeBinary))
        new = sa.literal(rewrap(blob, purpose, keyring), sa.LargeBinary)
        result = session.execute(sa.update(table).where(condition).values({column.name: new}))
        rewrapped += cast("CursorResult[Any]", result).rowcount or 0

    _scan(database, metadata, visit, batch_size)
    remaining = {kid: n for kid, n in count_by_key(database, metadata).items() if kid != active}
    retired: list[str] = []
    deferred = False
    if retire and not remaining:
        grace = 2 * keyring.refresh_s if retire_grace_s is None else retire_grace_s
        created = keyring.provider.created_at(active)
        if created is not None and time.time() - created < grace:
            deferred = True  # a worker that has not reloaded its keys may still wrap with an old one
        else:
            for kid in keyring.key_ids():
                if kid != active:
                    keyring.retire(kid)
                    retired.append(kid)
    return {"active": active, "rewrapped": rewrapped, "already_current": current,
            "columns": len(encrypted_columns(metadata)), "left_on_old_keys": remaining, "retired": retired,
            "retire_deferred": deferred}
