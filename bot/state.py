"""What the bot remembers between Slack requests: thread context, answers on screen, deliveries
already handled, who was greeted, recent intakes, and feedback. Small, thread-safe, and kept under
`settings.data_dir`."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from candidates.contacts import mask_contacts, mask_name
from retrieval.files import append_private, make_private, write_private
from retrieval.types import Answer


@dataclass
class ThreadContext:
    """The candidates of the last answer in one thread (or one DM), in the order shown."""

    question: str
    candidate_ids: list[str]
    names: list[str]
    updated: float = field(default_factory=time.time)


class ThreadMemory:
    """(channel, thread_ts) → ThreadContext, in memory and in an append-only JSON-lines log.

    Each `put` appends one line (a thread's context with contact details masked); a replay on
    load keeps the last line per thread. The log is compacted (the live items written to a new
    file, renamed over it) when it holds COMPACT_FACTOR times more lines than live items, and
    on load when its last line was torn by a crash mid-append. A `threads.json` of the old
    whole-file format beside it is migrated on first load and removed."""

    # Log lines per live item before a rewrite: at 2,000 threads (a line is about 116 bytes,
    # 2,000 of them 233 KB in tests/reliability/test_thread_memory.py) one 233 KB rewrite per
    # 6,000 answers, and the log never past 0.9 MB; the old format wrote it all on every answer.
    COMPACT_FACTOR = 4
    COMPACT_MIN = 256  # lines: below this a rewrite is not worth it at any thread count

    def __init__(self, path: Path | None, limit: int = 2000):
        self._path = path.with_suffix(".jsonl") if path is not None else None
        self._legacy = path if path is not None and path.suffix == ".json" else None
        self._limit = limit
        self._lock = threading.Lock()
        self._items: OrderedDict[str, ThreadContext] = OrderedDict()
        self._lines = 0  # lines in the log file
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
            self._remember(key, ctx)
            if self._path is None:
                return
            if self._lines + 1 > max(self.COMPACT_FACTOR * len(self._items), self.COMPACT_MIN):
                self._compact()
            else:
                append_private(self._path, _thread_line(key, ctx))
                self._lines += 1

    def _remember(self, key: str, ctx: ThreadContext) -> None:
        self._items.pop(key, None)
        self._items[key] = ctx
        while len(self._items) > self._limit:
            self._items.popitem(last=False)

    def _load(self) -> None:
        if self._path is None:
            return
        torn = False
        if self._path.exists():
            try:
                text = self._path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            torn = bool(text) and not text.endswith("\n")
            for line in text.splitlines():
                self._lines += 1
                record = _thread_record(line)
                if record is None:
                    torn = True  # a damaged line only loses that thread's context
                    continue
                self._remember(*record)
        migrated = self._migrate()
        if torn or migrated:
            self._compact()

    def _migrate(self) -> bool:
        """Read a `threads.json` of the old format into memory, then remove it (it held the
        questions unmasked); the caller writes the log."""
        if self._legacy is None or not self._legacy.exists():
            return False
        try:
            raw = json.loads(self._legacy.read_text(encoding="utf-8"))
            for key, value in (raw.items() if isinstance(raw, dict) else []):
                if key not in self._items:  # the log is newer than the old file
                    self._remember(key, ThreadContext(**value))
        except (OSError, ValueError, TypeError):
            pass  # a damaged old file only loses old threads' context
        self._legacy.unlink(missing_ok=True)
        return True

    def _compact(self) -> None:
        lines = "".join(_thread_line(k, v) for k, v in self._items.items())
        write_private(self._path, lines)
        self._lines = len(self._items)


def _thread_line(key: str, ctx: ThreadContext) -> str:
    """One log line: the thread's key and context, contact details masked (a question may quote
    a phone number; a candidate labelled by file name may carry an e-mail address)."""
    return json.dumps({"k": key, "q": mask_contacts(ctx.question), "c": ctx.candidate_ids,
                       "n": [mask_name(n) for n in ctx.names], "t": ctx.updated},
                      ensure_ascii=False) + "\n"


def _thread_record(line: str) -> tuple[str, ThreadContext] | None:
    try:
        v = json.loads(line)
        ctx = ThreadContext(question=str(v["q"]), candidate_ids=[str(c) for c in v["c"]],
                            names=[str(n) for n in v["n"]], updated=float(v["t"]))
        return str(v["k"]), ctx
    except (ValueError, TypeError, KeyError):
        return None


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
                write_private(self._path, json.dumps(sorted(self._items)))
            return True


@dataclass
class Intake:
    """One file taken from Slack: when, its name, what happened (no content)."""

    at: float
    name: str
    status: str
    candidate: str | None = None
    message: str | None = None


def masked_intake(i: Intake) -> Intake:
    return Intake(at=i.at, name=mask_name(i.name), status=i.status,
                  candidate=mask_name(i.candidate) if i.candidate else i.candidate,
                  message=mask_contacts(i.message) if i.message else i.message)


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
        """Remembered with contact details in file names and labels masked (the Home tab shows
        them to whoever opens it)."""
        items = [masked_intake(i) for i in items]
        with self._lock:
            self._items = (self._items + items)[-self._limit:]
            if self._path is not None:
                write_private(self._path, json.dumps([asdict(i) for i in self._items],
                                                     ensure_ascii=False))

    def recent(self, n: int = 10) -> list[Intake]:
        with self._lock:
            return list(reversed(self._items[-n:]))


class FeedbackLog:
    """Feedback as JSON lines, appended and never rewritten: 👍/👎 votes, then the reasons a 👎
    gives in the modal (the same `id`). Readable by the bot's user only: the directory is 0700
    and the file 0600, whatever the umask. No resume text; the question, the note and the file
    names are stored with contact details masked, whatever the caller passed (a log written
    before that is masked once, when the bot opens it)."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        scrub_feedback(path)

    def append(self, entry: dict) -> dict:
        entry = masked_feedback({**entry, "ts": entry.get("ts") or time.time()})
        with self._lock:
            append_private(self.path, json.dumps(entry, ensure_ascii=False) + "\n")
        return entry

    def entries(self) -> list[dict]:
        return read_feedback(self.path)


def masked_feedback(entry: dict) -> dict:
    """A feedback record with the free text masked and the people's file names masked."""
    out = dict(entry)
    for key in ("question", "note"):
        if isinstance(out.get(key), str):
            out[key] = mask_contacts(out[key])
    for key in ("answer", "missed"):
        if isinstance(out.get(key), list):
            out[key] = [_masked_person(p) for p in out[key]]
    return out


def _masked_person(person):
    if not isinstance(person, dict) or not isinstance(person.get("files"), list):
        return person
    return {**person, "files": [mask_name(str(f)) for f in person["files"]]}


def scrub_feedback(path: Path) -> None:
    """Mask a log written before masking (rewritten once, only when a line changes), and make
    it private."""
    if not path.exists():
        return
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    out = []
    for line in lines:
        try:
            value = json.loads(line)
        except ValueError:
            continue  # a torn line is dropped
        if isinstance(value, dict):
            out.append(json.dumps(masked_feedback(value), ensure_ascii=False))
    if out != lines:
        write_private(path, "".join(o + "\n" for o in out))
    else:
        make_private(path.parent)
        path.chmod(0o600)


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
