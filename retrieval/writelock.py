"""One writer at a time on a store, across processes and the threads of each.

What is safe with the embedded store (a PersistentClient under `data_dir`), and why:

- Chroma keeps each collection's vector index in the memory of every process that opened it and
  saves it to the shared files now and then (every thousand records), alongside a log in SQLite
  that a process replays from the last saved point when it loads. Two processes writing at the
  same time, each on its own loaded copy, can save over each other's vectors, and two that open
  a new data directory at the same time both try to create its tables ("table collections
  already exists", "database is locked").
- So every write goes through this lock, a `flock` on `write.lock` in the data directory, held
  while the store is opened and across each commit (the check "is this content already stored"
  and the writes that follow), never across parsing or embedding: two ingests still overlap
  their slow parts and take turns at their commits. On taking the lock a store first looks at
  the registry's change marker and, when another process wrote since it last looked, reopens its
  client (`Store.reopen`), so it always writes on the current state and never saves a stale
  copy over newer vectors. Readers need no lock: they reopen on a marker they did not write.
- Several processes may therefore write to one embedded store, one commit at a time. A writer
  that cannot get the lock within `Settings.store_lock_wait_s` (another process stuck in a
  commit, or a store on a file system without working locks) is refused with a message naming
  RECRUIT_CHROMA_HOST, rather than written on regardless.
- With a Chroma server (RECRUIT_CHROMA_HOST) the server orders the writes; the lock still makes
  the content check and the commit one step for the processes that share this data directory,
  but not for writers on other machines (a duplicate is then caught by the check at commit
  unless two commits of the same content cross within the same instant).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from retrieval.errors import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: threads of this process only
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "write.lock"
_POLL_S = 0.02  # between tries for a lock another process holds (commits take seconds at 10k)


class StoreLocked(StoreError):
    """Another writer held the store's lock longer than a write may wait."""


class WriteLock:
    """A re-entrant lock shared by every thread of this process and, through `flock` on one
    file, by every process using the same data directory. One object per file per process
    (`write_lock`): two open descriptions of one file would lock each other out."""

    def __init__(self, path: Path, wait_s: float):
        self.path = path
        self.wait_s = wait_s
        self._threads = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def acquire(self, wait_s: float | None = None) -> None:
        """Take the lock, waiting at most `wait_s` (the configured wait when None; 0: only if
        it is free now), or raise StoreLocked."""
        wait = self.wait_s if wait_s is None else wait_s
        deadline = time.monotonic() + wait
        if not self._threads.acquire(timeout=wait):
            raise StoreLocked(self._refusal("another thread of this process"))
        try:
            if self._depth == 0:
                self._fd = self._lock_file(deadline)
            self._depth += 1
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fd, self._fd = self._fd, None
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        self._threads.release()

    def _lock_file(self, deadline: float) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is None:
            return fd
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(fd)
                    os.close(fd)
                    raise StoreLocked(self._refusal(holder)) from None
                time.sleep(_POLL_S)
            except OSError as e:  # a file system without locks: writers could not take turns
                os.close(fd)
                raise StoreLocked(f"cannot lock {self.path} ({e.strerror or e}); run a Chroma "
                                  "server and set RECRUIT_CHROMA_HOST to share the store") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)  # who holds it, for the message above
        return fd

    def _refusal(self, holder: str) -> str:
        return (f"the store in {self.path.parent} is being written by {holder} and stayed locked "
                f"for {self.wait_s:g} s; try again when it is done, or run a Chroma server and "
                "set RECRUIT_CHROMA_HOST so that several processes can share it")


def _holder(fd: int) -> str:
    pid = os.pread(fd, 32, 0).decode(errors="replace").strip()
    return f"process {pid}" if pid.isdigit() else "another process"


_locks: dict[Path, WriteLock] = {}
_locks_guard = threading.Lock()


def write_lock(data_dir: Path, wait_s: float) -> WriteLock:
    """The lock of this data directory, the same object for every store of this process."""
    path = (Path(data_dir) / LOCK_FILE).absolute()
    with _locks_guard:
        lock = _locks.get(path)
        if lock is None:
            lock = _locks[path] = WriteLock(path, wait_s)
        lock.wait_s = wait_s  # the latest settings' wait
        return lock
