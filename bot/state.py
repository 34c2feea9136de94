"""What the bot remembers between Slack requests: thread context, answers on screen, deliveries
already handled, who was greeted, recent intakes, and feedback. Small, thread-safe, and kept under
`settings.data_dir`."""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from retrieval.types import Answer


@dataclass
class ThreadContext:
    """The candidates of the last answer in one thread (or one DM), in the order shown."""

    question: str
    candidate_ids: list[str]
    names: list[str]
    updated: float = field(default_factory=time.time)


class ThreadMemory:
    """(channel, thread_ts) → ThreadContext, in memory and in a small JSON file."""

    def __init__(self, path: Path | None, limit: int = 2000):
        self._path = path
        self._limit = limit
        self._lock = threading.Lock()
        self._items: OrderedDict[str, ThreadContext] = OrderedDict()
        self._load()

    @staticmethod
    def _key(channel: str, thread_ts: str | None) -> str:
        return f"{channel}:{thread_ts or ''}"

    def get(self, channel: str, thread_ts: str | None) -> ThreadContext | None:
        with self._lock:
            return self._items.get(self._key(channel, thread_ts))

    def put(self, channel: str, thread_ts: str | None, ctx: ThreadContext) -> None:
        with self._lock:
            key = self._key(channel, thread_ts)
            self._items.pop(key, None)
            self._items[key] = ctx
            while len(self._items) > self._limit:
                self._items.popitem(last=False)
            self._save()

    def _load(self) -> None:
        if self._path is None or not self._path.exists():
            return
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
            for key, value in raw.items():
                self._items[key] = ThreadContext(**value)
        except (OSError, ValueError, TypeError):
            self._items.clear()  # a damaged file only loses old threads' context

    def _save(self) -> None:
        if self._path is None:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_suffix(".tmp")
        tmp.write_text(json.dumps({k: asdict(v) for k, v in self._items.items()},
                                  ensure_ascii=False), encoding="utf-8")
        tmp.replace(self._path)


class Deliveries:
    """Which events were already taken: Slack retries an event it thinks was missed, and one
    message can arrive as two events (app_mention and message.channels)."""

    def __init__(self, ttl: float = 3600.0, limit: int = 20000):
        self._ttl = ttl
        self._limit = limit
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first(self, key: str) -> bool:
        """True the first time `key` is seen (within the TTL), False ever after."""
        now = time.monotonic()
        with self._lock:
            while self._seen and (len(self._seen) > self._limit
                                  or next(iter(self._seen.values())) < now - self._ttl):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


class AnswerCache:
    """Recent answers by a short key, so buttons ("Share with channel", "Show more", "Share
    snippet") can re-render exactly what the user saw. Buttons carry enough to recover without it."""

    def __init__(self, limit: int = 500):
        self._limit = limit
        self._items: OrderedDict[str, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, answer: Answer) -> str:
        key = uuid.uuid4().hex[:12]
        with self._lock:
            self._items[key] = answer
            while len(self._items) > self._limit:
                self._items.popitem(last=False)
        return key

    def get(self, key: str | None) -> Answer | None:
        with self._lock:
            return self._items.get(key or "")


class JsonSet:
    """A small persistent set of strings (e.g. the users already greeted), one JSON file."""

    def __init__(self, path: Path | None):
        self._path = path
        self._lock = threading.Lock()
        self._items: set[str] = set()
        if path is not None and path.exists():
            try:
                self._items = set(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                self._items = set()

    def add(self, item: str) -> bool:
        """True when `item` is new (and now remembered)."""
        with self._lock:
            if item in self._items:
                return False
            self._items.add(item)
            if self._path is not None:
                self._path.parent.mkdir(parents=True, exist_ok=True)
                tmp = self._path.with_suffix(".tmp")
                tmp.write_text(json.dumps(sorted(self._items)), encoding="utf-8")
                tmp.replace(self._path)
            return True


@dataclass
class Intake:
    """One file taken from Slack: when, its name, what happened (no content)."""

    at: float
    name: str
    status: str
    candidate: str | None = None
    message: str | None = None


class IntakeLog:
    """The last files ingested through Slack, newest last, for the App Home tab."""

    def __init__(self, path: Path | None, limit: int = 50):
        self._path = path
        self._limit = limit
        self._lock = threading.Lock()
        self._items: list[Intake] = []
        if path is not None and path.exists():
            try:
                self._items = [Intake(**v) for v in json.loads(path.read_text(encoding="utf-8"))]
            except (OSError, ValueError, TypeError):
                self._items = []

    def add(self, items: list[Intake]) -> None:
        with self._lock:
            self._items = (self._items + items)[-self._limit:]
            if self._path is not None:
                self._path.parent.mkdir(parents=True, exist_ok=True)
                tmp = self._path.with_suffix(".tmp")
                tmp.write_text(json.dumps([asdict(i) for i in self._items], ensure_ascii=False),
                               encoding="utf-8")
                tmp.replace(self._path)

    def recent(self, n: int = 10) -> list[Intake]:
        with self._lock:
            return list(reversed(self._items[-n:]))


class FeedbackLog:
    """Feedback as JSON lines, appended and never rewritten: 👍/👎 votes, then the reasons a 👎
    gives in the modal (the same `id`). Readable by the bot's user only: the directory is 0700
    and the file 0600, whatever the umask. Callers pass no resume text and mask contacts."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def append(self, entry: dict) -> dict:
        entry = {**entry, "ts": entry.get("ts") or time.time()}
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.path.parent, 0o700)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.fchmod(fd, 0o600)
                os.write(fd, line)
            finally:
                os.close(fd)
        return entry

    def entries(self) -> list[dict]:
        return read_feedback(self.path)


def read_feedback(path: Path) -> list[dict]:
    """Every well-formed line of a feedback log (a damaged line is skipped)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            out.append(value)
    return out
