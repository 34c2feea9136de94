"""What the bot remembers between Slack requests: thread context, answers on screen, deliveries
already handled, and feedback votes. Small, thread-safe, and kept under `settings.data_dir`."""

from __future__ import annotations

import json
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


class FeedbackLog:
    """👍/👎 votes as JSON lines: misses can become eval questions."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def record(self, *, question: str, candidate_ids: list[str], vote: str, user: str,
               channel: str | None, message_ts: str | None) -> dict:
        entry = {"question": question, "candidates": candidate_ids, "vote": vote, "user": user,
                 "channel": channel, "message_ts": message_ts, "ts": time.time()}
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return entry
