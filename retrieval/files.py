"""Cache folders replaced by a pointer file, shared by several processes: the keyword index
cache and the read snapshot are each written to a new folder, then a small pointer file naming
it is swapped in. What may be removed afterwards must not pull a folder from under a reader or
another writer."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Iterable

# A folder younger than this may be another process's save in progress (a keyword index at
# 10,000 resumes takes well under a minute to write); ten minutes, as the store's orphan sweep.
WRITING_GRACE_S = 600.0


def prune_superseded(candidates: Iterable[Path], keep: Iterable[str],
                     grace_s: float = WRITING_GRACE_S) -> None:
    """Remove the folders (and files) among `candidates` except those named in `keep` (the one
    the pointer names now and the one it named before: a reader may have read the old pointer
    a moment ago) and those changed in the last `grace_s` seconds (another process may still be
    writing one). Missing or busy entries are left for the next save."""
    kept, now = set(keep), time.time()
    for path in candidates:
        if path.name in kept or path.name.startswith("."):
            continue
        try:
            if now - path.stat().st_mtime < grace_s:
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            continue
