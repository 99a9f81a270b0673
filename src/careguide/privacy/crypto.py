"""Envelope encryption of health data at rest (AES-256-GCM), and the column types that use it.

Every value gets its own random data key. The value is encrypted with the data key; the
data key is wrapped (encrypted) with a master key from the keyring (``keys``). The stored
blob carries the master key's id, the wrapped data key, a nonce and the ciphertext:

    b"CG1" | len(kid) | kid | len(wrapped) | wrapped data key | nonce (12) | ciphertext + tag

Both encryptions are authenticated with associated data naming the value's *purpose*
(e.g. ``records.resource.document``): a ciphertext copied into another column, or a data key
swapped between values, fails to decrypt instead of yielding someone else's data. Callers who
can name the row as well (``records.resource:<uuid>``) bind a value to its row with
``seal``/``open_sealed`` directly.

Other domains use the column types:

    document: Mapped[dict] = mapped_column(EncryptedJSON("records.resource.document"))
    body: Mapped[str] = mapped_column(EncryptedText("assistant.message.text"))

In an Alembic migration such a column is ``sa.LargeBinary()`` (a BLOB / BYTEA): autogenerate writes
``careguide.privacy.crypto.EncryptedJSON('purpose')``, which works once the migration imports
``careguide.privacy.crypto``, or replace it with ``sa.LargeBinary()``. Nothing in an
encrypted column can be searched or indexed: keep the few fields search needs (codes, dates)
in their own plain columns.
"""

from __future__ import annotations

import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from careguide.privacy.keys import Keyring, default_keyring

MAGIC = b"CG1"
NONCE_BYTES = 12
DATA_KEY_BYTES = 32


class CryptoError(Exception):
    """A stored value that cannot be decrypted: wrong key, wrong purpose, or tampered with."""


def seal(plaintext: bytes, purpose: str, keyring: Keyring | None = None) -> bytes:
    keyring = keyring or default_keyring()
    data_key = AESGCM.generate_key(bit_length=DATA_KEY_BYTES * 8)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext, _data_aad(purpose))
    return _assemble(keyring, data_key, purpose, nonce, ciphertext)


def open_sealed(blob: bytes, purpose: str, keyring: Keyring | None = None) -> bytes:
    keyring = keyring or default_keyring()
    kid, wrapped, nonce, ciphertext = _parse(blob)
    data_key = _unwrap(keyring, kid, wrapped, purpose)
    try:
        return AESGCM(data_key).decrypt(nonce, ciphertext, _data_aad(purpose))
    except InvalidTag:
        raise CryptoError(f"a {purpose} value failed authentication (tampered, or stored under another purpose)") from None


def rewrap(blob: bytes, purpose: str, keyring: Keyring) -> bytes:
    """The same ciphertext with its data key wrapped under the keyring's active master key."""
    kid, wrapped, nonce, ciphertext = _parse(blob)
    return _assemble(keyring, _unwrap(keyring, kid, wrapped, purpose), purpose, nonce, ciphertext)


def _assemble(keyring: Keyring, data_key: bytes, purpose: str, nonce: bytes, ciphertext: bytes) -> bytes:
    """The stored form: the data key wrapped under the active master key, then the ciphertext."""
    kid = keyring.active_id
    wrap_nonce = os.urandom(NONCE_BYTES)
    wrapped = wrap_nonce + AESGCM(keyring.key(kid)).encrypt(wrap_nonce, data_key, _wrap_aad(purpose, kid))
    kid_bytes = kid.encode("ascii")
    return MAGIC + bytes([len(kid_bytes)]) + kid_bytes + bytes([len(wrapped)]) + wrapped + nonce + ciphertext


def key_id_of(blob: bytes) -> str:
    return _parse(blob)[0]


def _parse(blob: bytes) -> tuple[str, bytes, bytes, bytes]:
    try:
        if blob[:3] != MAGIC:
            raise ValueError("not a careguide sealed value")
        pos = 3
        kid_len = blob[pos]
        kid = blob[pos + 1 : pos + 1 + kid_len].decode("ascii")
        pos += 1 + kid_len
        wrapped_len = blob[pos]
        wrapped = blob[pos + 1 : pos + 1 + wrapped_len]
        pos += 1 + wrapped_len
        nonce, ciphertext = blob[pos : pos + NONCE_BYTES], blob[pos + NONCE_BYTES :]
        if len(wrapped) != wrapped_len or len(nonce) != NONCE_BYTES or len(ciphertext) < 16:
            raise ValueError("truncated")
    except (IndexError, UnicodeDecodeError, ValueError) as exc:
        raise CryptoError(f"stored value is not a sealed careguide value ({exc})") from None
    return kid, wrapped, nonce, ciphertext


def _unwrap(keyring: Keyring, kid: str, wrapped: bytes, purpose: str) -> bytes:
    try:
        return AESGCM(keyring.key(kid)).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _wrap_aad(purpose, kid))
    except InvalidTag:
        raise CryptoError(f"the data key of a {purpose} value does not open with master key {kid}") from None


def _wrap_aad(purpose: str, kid: str) -> bytes:
    return b"careguide/dek/v1|" + kid.encode("ascii") + b"|" + purpose.encode("utf-8")


def _data_aad(purpose: str) -> bytes:
    return b"careguide/data/v1|" + purpose.encode("utf-8")


# Column types ------------------------------------------------------------------------------------


class EncryptedType(TypeDecorator[Any]):
    """Base of the encrypted column types; ``purpose`` is bound into every value's authentication."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, purpose: str, *args: Any, **kwargs: Any) -> None:
        if not purpose:
            raise ValueError("an encrypted column needs a purpose, e.g. 'records.resource.document'")
        super().__init__(*args, **kwargs)
        self.purpose = purpose

    def __repr__(self) -> str:  # what Alembic writes into an autogenerated migration
        return f"{type(self).__name__}({self.purpose!r})"

    def encode(self, value: Any) -> bytes:
        raise NotImplementedError

    def decode(self, data: bytes) -> Any:
        raise NotImplementedError

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        return seal(self.encode(value), self.purpose)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return self.decode(open_sealed(bytes(value), self.purpose))


class EncryptedText(EncryptedType):
    """A string stored encrypted."""

    cache_ok = True  # its only state, the purpose, is part of the cache key

    def encode(self, value: Any) -> bytes:
        if not isinstance(value, str):
            raise TypeError(f"EncryptedText({self.purpose!r}) takes str, not {type(value).__name__}")
        return value.encode("utf-8")

    def decode(self, data: bytes) -> str:
        return data.decode("utf-8")


class EncryptedJSON(EncryptedType):
    """A JSON document (dict, list, ...) stored encrypted. Reassign the attribute to save a change:
    like any immutable column type, changes inside the dict are not tracked."""

    cache_ok = True  # its only state, the purpose, is part of the cache key

    def encode(self, value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")

    def decode(self, data: bytes) -> Any:
        return json.loads(data)
