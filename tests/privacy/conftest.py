"""Fixtures shared by the privacy tests."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from careguide.privacy.keys import FileKeyProvider, Keyring, use_keyring


@pytest.fixture
def keyring(tmp_path: Path) -> Iterator[Keyring]:
    """A fresh file keyring that every encrypted column uses for the test's duration."""
    ring = Keyring(FileKeyProvider(tmp_path / "keys"))
    use_keyring(ring)
    yield ring
    use_keyring(None)
