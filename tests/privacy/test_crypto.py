"""Encryption at rest: envelope encryption, key providers, encrypted columns on SQLite and
PostgreSQL, and key rotation without downtime."""

from __future__ import annotations

import base64
import os
import stat
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from careguide.privacy.crypto import CryptoError, EncryptedJSON, EncryptedText, key_id_of, open_sealed, seal
from careguide.privacy.keys import (
    EnvKeyProvider,
    FileKeyProvider,
    Keyring,
    MasterKeyError,
    count_by_key,
    rotate_keys,
)

# Values a reader of the raw database must never see.
DIAGNOSIS = "2型糖尿病伴周围神经病变"
NOTE = "Patient reports HbA1c 9.1% and numbness in both feet"
NAME = "王秀英"


class Base(DeclarativeBase):
    pass


class HealthNote(Base):
    """A stand-in for another domain's table with encrypted document columns."""

    __tablename__ = "test_crypto_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20))  # plain: what search needs
    document: Mapped[dict] = mapped_column(EncryptedJSON("test.note.document"))
    text: Mapped[str | None] = mapped_column(EncryptedText("test.note.text"), nullable=True)


@pytest.fixture
def notes_db(database, keyring):
    Base.metadata.create_all(database.engine)
    yield database
    Base.metadata.drop_all(database.engine)


def add_notes(database, count: int = 3) -> None:
    with database.session() as session:
        for i in range(count):
            session.add(HealthNote(code="E11.42", document={"diagnosis": DIAGNOSIS, "patient": NAME, "i": i},
                                   text=f"{NOTE} #{i}"))


def test_sealed_value_round_trips_and_hides_the_plaintext(keyring):
    blob = seal(DIAGNOSIS.encode(), "records.note", keyring)
    assert DIAGNOSIS.encode() not in blob
    assert open_sealed(blob, "records.note", keyring).decode() == DIAGNOSIS
    assert seal(b"same", "p", keyring) != seal(b"same", "p", keyring)  # fresh data key and nonce each time


def test_a_value_moved_to_another_purpose_does_not_decrypt(keyring):
    blob = seal(b"secret", "records.note", keyring)
    with pytest.raises(CryptoError):
        open_sealed(blob, "booking.note", keyring)


def test_tampered_ciphertext_is_rejected(keyring):
    blob = bytearray(seal(b"secret", "p", keyring))
    blob[-1] ^= 1
    with pytest.raises(CryptoError):
        open_sealed(bytes(blob), "p", keyring)
    with pytest.raises(CryptoError):
        open_sealed(b"not sealed", "p", keyring)


def test_another_master_key_cannot_read_the_data(keyring, tmp_path):
    blob = seal(b"secret", "p", keyring)
    stranger = Keyring(FileKeyProvider(tmp_path / "other-keys"))
    with pytest.raises((CryptoError, MasterKeyError)):
        open_sealed(blob, "p", stranger)


def test_key_file_is_created_once_with_owner_only_permissions(tmp_path):
    directory = tmp_path / "keys"
    rings: list[Keyring] = []
    threads = [threading.Thread(target=lambda: rings.append(Keyring(FileKeyProvider(directory)))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    files = list(directory.glob("*.key"))
    assert [f.name for f in files] == ["k0001.key"]
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert len({ring.key("k0001") for ring in rings}) == 1


def test_env_provider_reads_one_key_or_an_ordered_list():
    first, second = os.urandom(32), os.urandom(32)
    single = Keyring(EnvKeyProvider(base64.b64encode(first).decode()))
    assert single.key(single.active_id) == first
    listed = Keyring(EnvKeyProvider(f"new:{base64.b64encode(second).decode()},old:{base64.b64encode(first).decode()}"))
    assert listed.active_id == "new" and listed.key("old") == first
    with pytest.raises(MasterKeyError):
        Keyring(EnvKeyProvider("not-base64!"))
    with pytest.raises(MasterKeyError):
        listed.create_key()


def test_encrypted_columns_round_trip_through_the_orm(notes_db):
    add_notes(notes_db, 1)
    with notes_db.session() as session:
        note = session.scalars(sa.select(HealthNote)).one()
        assert note.document["diagnosis"] == DIAGNOSIS and note.text == f"{NOTE} #0"


def test_raw_column_shows_no_clear_text(notes_db):
    add_notes(notes_db)
    with notes_db.engine.connect() as connection:
        raw = [bytes(r[0]) + bytes(r[1]) for r in connection.execute(
            sa.text("SELECT document, text FROM test_crypto_notes"))]
    assert len(raw) == 3
    for blob in raw:
        for secret in (DIAGNOSIS, NOTE, NAME, "diagnosis"):
            assert secret.encode() not in blob
            assert secret.encode("unicode_escape") not in blob


def test_sqlite_file_read_without_the_key_shows_no_health_data(sqlite_database, keyring):
    Base.metadata.create_all(sqlite_database.engine)
    add_notes(sqlite_database, 20)
    sqlite_database.dispose()  # checkpoint the WAL into the main file
    path = Path(sqlite_database.url.split("///", 1)[1])
    content = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert b"E11.42" in content  # the plain column is there: the file was really read
    for secret in (DIAGNOSIS, NOTE, NAME):
        assert secret.encode("utf-8") not in content


def test_rotation_rewraps_every_value_and_old_key_can_then_retire(notes_db, keyring):
    add_notes(notes_db, 7)
    old = keyring.active_id
    new = keyring.create_key()
    assert new != old and keyring.active_id == new
    with notes_db.session() as session:  # readers keep working mid-rotation
        assert len(session.scalars(sa.select(HealthNote)).all()) == 7
    early = rotate_keys(notes_db, keyring, batch_size=3, retire=True, metadata=Base.metadata)
    assert early["retire_deferred"] and early["retired"] == [] and early["rewrapped"] == 14
    assert old in keyring.key_ids()  # a worker that has not reloaded yet may still be using it
    report = rotate_keys(notes_db, keyring, batch_size=3, retire=True, metadata=Base.metadata, retire_grace_s=0)
    assert report["rewrapped"] == 0 and report["already_current"] == 14 and report["left_on_old_keys"] == {} and report["retired"] == [old]
    assert count_by_key(notes_db, Base.metadata) == {new: 14}
    assert keyring.key_ids() == [new]
    with notes_db.session() as session:
        docs = [n.document for n in session.scalars(sa.select(HealthNote).order_by(HealthNote.id))]
    assert [d["i"] for d in docs] == list(range(7)) and all(d["diagnosis"] == DIAGNOSIS for d in docs)


def test_rotation_never_overwrites_a_value_rewritten_meanwhile(notes_db, keyring):
    add_notes(notes_db, 1)
    keyring.create_key()
    with notes_db.session() as session:
        stale = bytes(session.execute(sa.text("SELECT document FROM test_crypto_notes")).scalar_one())
        note = session.scalars(sa.select(HealthNote)).one()
        note.document = {"diagnosis": "updated"}
    assert key_id_of(stale) != keyring.active_id
    rotate_keys(notes_db, keyring, metadata=Base.metadata)
    with notes_db.session() as session:
        assert session.scalars(sa.select(HealthNote)).one().document == {"diagnosis": "updated"}


def test_encrypted_text_rejects_non_strings(notes_db):
    with pytest.raises(sa.exc.StatementError), notes_db.session() as session:
        session.add(HealthNote(code="x", document={}, text=123))  # type: ignore[arg-type]
        session.flush()


def test_postgresql_dump_without_the_key_shows_no_health_data(notes_db):
    import shutil
    import subprocess

    from sqlalchemy.engine import make_url

    if notes_db.engine.dialect.name != "postgresql" or shutil.which("pg_dump") is None:
        pytest.skip("needs PostgreSQL and pg_dump")
    add_notes(notes_db, 5)
    url = make_url(notes_db.url).set(drivername="postgresql").render_as_string(hide_password=False)
    dump = subprocess.run(["pg_dump", "--no-owner", "--table", "test_crypto_notes", url], capture_output=True,
                          check=True, timeout=60).stdout
    assert b"E11.42" in dump
    for secret in (DIAGNOSIS, NOTE, NAME):
        assert secret.encode("utf-8") not in dump
        assert secret.encode("utf-8").hex().encode() not in dump  # pg_dump writes bytea as hex


def test_random_bytes_never_open_and_fail_only_with_a_clear_error(tmp_path):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    ring = Keyring(FileKeyProvider(tmp_path / "fuzz-keys"))
    genuine = seal(b"value", "p", ring)

    @settings(max_examples=300, deadline=None)
    @given(st.one_of(st.binary(max_size=200), st.binary(max_size=40).map(lambda tail: genuine[:60] + tail)))
    def check(blob: bytes) -> None:
        with pytest.raises((CryptoError, MasterKeyError)):
            open_sealed(blob, "p", ring)

    check()
