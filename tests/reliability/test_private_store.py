"""The data directory is private to its owner (issue: directories 755, files 644)."""

from __future__ import annotations

import stat
from pathlib import Path

from retrieval.store import Store
from tests.conftest import make_settings


def test_the_store_directory_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Store(make_settings(data))
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def test_an_existing_open_directory_is_closed(tmp_path: Path) -> None:
    data = tmp_path / "open"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    Store(make_settings(data))
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
