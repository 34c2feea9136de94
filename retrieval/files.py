"""Files in the data directory: private (resumes, questions and feedback are personal data,
and what is there is loaded by the bot), written whole or appended, named safely after a
setting; and cache folders replaced by a pointer file, shared by several processes (the keyword
index cache and the read snapshot are each written to a new folder, then a small pointer file
naming it is swapped in: what may be removed afterwards must not pull a folder from under a
reader or another writer)."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any, Iterable


def file_safe(name: str) -> str:
    """A setting's value as part of a file name ("openai:text-embedding-3-small" and the like)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def make_private(directory: Path) -> None:
    """A directory readable by its owner only (0700), made if missing, closed if open."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if directory.stat().st_mode & 0o077:
        directory.chmod(0o700)


def write_private(path: Path, text: str) -> None:
    """Replace a file whole, atomically (a new file renamed over it), readable by its owner
    only, in a private directory."""
    make_private(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{time.time_ns()}")
    _write_all(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, text)
    tmp.replace(path)


def append_private(path: Path, text: str) -> None:
    """Append to a file readable by its owner only (0600, whatever the umask)."""
    make_private(path.parent)
    _write_all(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, text)


def _write_all(path: Path, flags: int, text: str) -> None:
    """Every byte of `text`, or an OSError (a full disk): `os.write` may write only part."""
    data = memoryview(text.encode("utf-8"))
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)
        while data:
            data = data[os.write(fd, data):]
    finally:
        os.close(fd)

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


def dump_new_private(path: Path, value: Any) -> None:
    """JSON into a new file only this user can read; an existing file is never overwritten (a
    cache folder's files are written once, then pointed to)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, separators=(",", ":"))


def read_pointer(path: Path, version: int) -> dict | None:
    """The pointer file naming a cache's current folder, or None when it is missing, unreadable
    or written in another `format` (the cache is then rebuilt)."""
    try:
        about = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return about if isinstance(about, dict) and about.get("format") == version else None
