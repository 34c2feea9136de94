"""Cache folders swapped in by a pointer file (keyword index, read snapshot) are pruned without
pulling a folder from under a reader of the previous pointer or another process still writing."""

from __future__ import annotations

import os
import time
from pathlib import Path

from retrieval.files import WRITING_GRACE_S, prune_superseded


def _folder(root: Path, name: str, age_s: float) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "state.json").write_text("{}")
    then = time.time() - age_s
    os.utime(folder, (then, then))
    return folder


def test_the_current_and_the_replaced_folder_stay_old_ones_go(tmp_path: Path) -> None:
    current = _folder(tmp_path, "idx.3", 0)
    replaced = _folder(tmp_path, "idx.2", 2 * WRITING_GRACE_S)
    older = _folder(tmp_path, "idx.1", 3 * WRITING_GRACE_S)
    prune_superseded(tmp_path.iterdir(), keep={current.name, replaced.name})
    assert current.exists() and replaced.exists() and not older.exists()


def test_a_folder_another_process_is_still_writing_is_left_alone(tmp_path: Path) -> None:
    """Two ingests saving at once: the first to finish must not delete the other's folder
    (it did: the other then failed with FileNotFoundError halfway through its save)."""
    mine = _folder(tmp_path, "idx.mine", 0)
    theirs = _folder(tmp_path, "idx.theirs", 1.0)  # being written, named by no pointer yet
    prune_superseded(tmp_path.iterdir(), keep={mine.name})
    assert theirs.exists()
