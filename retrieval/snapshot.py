"""A read snapshot of the store, kept beside it, so a one-shot command answers without Chroma.

Importing chromadb alone costs a cold `recruit ask` about 0.8 s, more than the whole question.
Whoever has the store open in Chroma (the Assistant, after it caught up with the store) writes
what a question and a summary read into `data_dir/snapshot/<collection>/`: the registry records
with their profiles, texts and pages (JSON), the live passages (JSON) and their units' vectors,
normalized, one float32 matrix grouped by document and passage (.npy, memory-mapped on load).
Nothing in it is loaded with pickle: a bad or old file is ignored, never trusted.

Freshness without Chroma: every write of the registry goes through `Store._new_marker`, which
writes the new change marker to `changes` beside the snapshot BEFORE the write reaches Chroma
(`note_change`). A snapshot is saved only when that file holds the marker Chroma holds (no
write announced but not committed), read before the store and checked again after; it records
that marker. A reader uses it only while `changes` still holds it: any later write announced
itself there first, so a changed file means stale, and stale means Chroma (slower, correct).
Chroma's own files cannot serve: opening the store rewrites them even to read it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from retrieval.files import dump_new_private, file_safe, prune_superseded, read_pointer, write_private
from retrieval.settings import Settings
from retrieval.types import DocumentProfile, DocumentRecord, PageSpan, Passage
from retrieval.unit_matrix import MAX_EXACT_UNITS, best_per_passage, unit_vector

if TYPE_CHECKING:  # the store imports chromadb: imported only when the snapshot is stale
    from retrieval.store import Store

FORMAT = 1  # bump when the files' layout changes: older snapshots are then not read
# Units (lines and sentences) a snapshot holds at most. A question compares its vector with all
# of them (one matrix product): at 50,000 units of 512 floats (100 MB; the public set has about
# 50 units a resume, so some 1,000 resumes) 15 ms from the page cache on this machine, 48 ms at
# 100,000, against ~5 ms for Chroma's HNSW index once loaded. A larger store has no snapshot:
# its one-shot commands open Chroma, and the bot keeps HNSW (the 10,000-resume bench store:
# 172,692 units, 350 MB to read for every cold question).
MAX_UNITS = MAX_EXACT_UNITS  # one bound: the bot searching exactly answers as this snapshot
_CURRENT = "current.json"
_CHANGES = "changes"


def directory(settings: Settings) -> Path:
    return settings.data_dir / "snapshot" / file_safe(settings.collection)


def usable(settings: Settings) -> bool:
    """An embedded store only: a Chroma server is written from other machines, which leave no
    mark in this data directory."""
    return settings.chroma_host is None


# --- the change marker ---------------------------------------------------------------------
def note_change(settings: Settings, marker: str) -> None:
    """Announce a registry write (its new change marker) before it is made: from now on no
    snapshot made before it is read."""
    if not usable(settings):
        return
    write_private(_folders(settings) / _CHANGES, marker)


def last_change(settings: Settings) -> str | None:
    try:
        return (directory(settings) / _CHANGES).read_text(encoding="utf-8")
    except OSError:
        return None


def _adopt(settings: Settings, marker: str) -> None:
    """Start the marker file at the store's marker, unless a writer has started it meanwhile
    (its announcement must not be overwritten with an older marker)."""
    path = _folders(settings) / _CHANGES
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(marker)


def _folders(settings: Settings) -> Path:
    """data_dir/snapshot/<collection>, made readable by the owner only (the data directory's
    rule)."""
    root = directory(settings)
    for folder in (root.parent, root):
        folder.mkdir(exist_ok=True, mode=0o700)
    return root


# --- writing -------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoreContents:
    """What a snapshot holds, as read from Chroma (`Store.contents`)."""

    fingerprint: str
    records: list[DocumentRecord]
    extras: dict[str, dict]  # source -> {"text", "pages", "profile"} as stored
    passages: list[Passage]  # live ones, grouped by document, in text order
    unit_offsets: np.ndarray  # int64, passage i's units are rows offsets[i]:offsets[i+1]
    units: np.ndarray  # float32, normalized


def marker_of(fingerprint: str) -> str:
    return fingerprint.partition(":")[0]


def current_marker(settings: Settings) -> str | None:
    """The marker the saved snapshot was made at (None: there is none)."""
    about = read_pointer(directory(settings) / _CURRENT, FORMAT)
    return about.get("marker") if about else None


def save_if_stale(settings: Settings, store: Store) -> bool:
    """Write a new snapshot from an open store when the saved one is not of the store's current
    state; True when one was written. Nothing is written for a Chroma server, a store larger
    than MAX_UNITS, or while a write is under way (the marker file and Chroma disagree)."""
    if not usable(settings) or not hasattr(store, "contents"):
        return False
    announced = last_change(settings)
    fingerprint = store.fingerprint()
    if announced is None:  # a store written before snapshots existed: adopt its marker
        _adopt(settings, marker_of(fingerprint))
        announced = last_change(settings)
    if announced != marker_of(fingerprint):
        announced = _settle_dead_announcement(settings, store, announced)
    if announced != marker_of(fingerprint) or current_marker(settings) == announced:
        return False
    earlier = SnapshotStore.open(settings, fresh_only=False)  # its units are read, not asked again
    contents = store.contents(MAX_UNITS, earlier.units_of if earlier else None)
    if contents is None or contents.fingerprint != fingerprint \
            or last_change(settings) != announced:
        return False  # too large, or written meanwhile
    _write(_folders(settings), contents)
    return True


def _settle_dead_announcement(settings: Settings, store: Store, announced: str | None) -> str | None:
    """A marker announced but never written (its writer died between the two) would keep
    every snapshot off until the next write. Writers announce under the store's write lock, so
    a mismatch still there while this process holds the lock is such a dead announcement: the
    store's own marker is announced again. Never waits: a writer at work holds the lock, and
    its commit ends the mismatch."""
    exclusive = getattr(store, "exclusive_if_free", None)
    if exclusive is None:
        return announced
    with exclusive() as held:
        if not held:
            return announced
        marker = marker_of(store.fingerprint())
        if last_change(settings) != marker:
            note_change(settings, marker)
        return last_change(settings)


def _write(root: Path, contents: StoreContents) -> None:
    token = f"{os.getpid()}-{time.time_ns()}"
    folder = root / token
    folder.mkdir(parents=True, mode=0o700)
    np.save(folder / "units.npy", np.ascontiguousarray(contents.units, dtype=np.float32))
    np.save(folder / "unit_offsets.npy", np.asarray(contents.unit_offsets, dtype=np.int64))
    dump_new_private(folder / "records.json", [r.model_dump(mode="json") for r in contents.records])
    dump_new_private(folder / "extras.json", contents.extras)
    dump_new_private(folder / "passages.json", [p.model_dump(mode="json") for p in contents.passages])
    replaced = (read_pointer(root / _CURRENT, FORMAT) or {}).get("folder")
    write_private(root / _CURRENT, json.dumps({
        "format": FORMAT, "folder": token, "fingerprint": contents.fingerprint,
        "marker": marker_of(contents.fingerprint), "saved_at": time.time()}))  # the commit point
    prune_superseded((p for p in root.iterdir() if p.is_dir()), keep={token, str(replaced)})


# --- reading -------------------------------------------------------------------------------
@dataclass(frozen=True)
class LineSimilarities:
    """As `retrieval.store.LineSimilarities` (which this module must not import: chromadb)."""

    passage_ids: tuple[str, ...]
    passage_of: np.ndarray
    similarities: np.ndarray


class SnapshotStore:
    """The read methods of `Store` a question, a summary and a list need, answered from a
    snapshot. Passages are labelled by the snapshot's registry records, as the store labels
    them by its live ones."""

    def __init__(self, settings: Settings, about: dict, folder: Path):
        self.settings = settings
        self._about = about
        self._folder = folder
        records = [DocumentRecord.model_validate(r) for r in _load(folder / "records.json")]
        self._records = sorted(records, key=lambda r: r.source)
        self._by_source = {r.source: r for r in records}
        self._by_document = {r.document_id: r for r in records}
        self._units = np.load(folder / "units.npy", mmap_mode="r", allow_pickle=False)
        self._offsets = np.load(folder / "unit_offsets.npy", allow_pickle=False)
        self._extras: dict[str, dict] | None = None
        self._passages: list[Passage] | None = None

    @classmethod
    def open(cls, settings: Settings, fresh_only: bool = True) -> "SnapshotStore | None":
        """The saved snapshot when it is of the store's current state (any saved one when not
        `fresh_only`), else None."""
        if not usable(settings):
            return None
        root = directory(settings)
        about = read_pointer(root / _CURRENT, FORMAT)
        if about is None or fresh_only and last_change(settings) != about.get("marker"):
            return None
        folder = str(about.get("folder", ""))
        if not folder or Path(folder).name != folder or folder.startswith("."):
            return None  # a plain folder name beside this file, nothing elsewhere
        try:
            return cls(settings, about, root / folder)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # removed by a newer snapshot meanwhile, or damaged: Chroma answers

    def fresh(self) -> bool:
        return last_change(self.settings) == self._about["marker"]

    # --- registry ----------------------------------------------------------------------
    def fingerprint(self) -> str:
        return self._about["fingerprint"]

    def documents(self) -> list[DocumentRecord]:
        return list(self._records)

    def find_source(self, source: str) -> DocumentRecord | None:
        return self._by_source.get(source)

    def find_document(self, document_id: str) -> DocumentRecord | None:
        return self._by_document.get(document_id)

    def document_text(self, source: str) -> str | None:
        extra = self._extra().get(source)
        return extra["text"] if extra else None

    def document_pages(self, source: str) -> list[PageSpan]:
        extra = self._extra().get(source)
        return [PageSpan(**p) for p in json.loads(extra.get("pages") or "[]")] if extra else []

    def profiles(self, sources: Sequence[str]) -> dict[str, DocumentProfile]:
        extras = self._extra()
        return {s: DocumentProfile.model_validate_json(extras[s]["profile"])
                for s in sources if s in extras and extras[s].get("profile")}

    def overrides(self) -> list:
        return []  # read by ingest only, which opens Chroma

    def learn_unit_ids(self, live_document_ids: set[str]) -> None:
        """Nothing to learn: every unit is in the snapshot's matrix."""

    def reopen(self) -> None:
        """Nothing to reopen: a stale snapshot is replaced by the store (see `FreshStore`)."""

    def _extra(self) -> dict[str, dict]:
        if self._extras is None:
            self._extras = _load(self._folder / "extras.json")
        return self._extras

    # --- passages ------------------------------------------------------------------------
    def _all_passages(self) -> list[Passage]:
        if self._passages is None:
            self._passages = [Passage.model_construct(**p) for p in _load(self._folder / "passages.json")]
            self._slot = {p.id: i for i, p in enumerate(self._passages)}
            self._of_document: dict[str, list[int]] = {}
            for i, p in enumerate(self._passages):
                self._of_document.setdefault(p.document_id, []).append(i)
        return self._passages

    def live_passages(self) -> Iterator[Passage]:
        yield from self._all_passages()

    def passages_for(self, records: Sequence[DocumentRecord]) -> list[Passage]:
        passages = self._all_passages()
        return [_labelled(passages[i], r) for r in {r.document_id: r for r in records}.values()
                for i in self._of_document.get(r.document_id, ())]

    def passages_of(self, document_ids: Sequence[str]) -> list[Passage]:
        records = [self._by_document[d] for d in dict.fromkeys(document_ids) if d in self._by_document]
        return sorted(self.passages_for(records), key=lambda p: (p.source, p.start))

    def passages_by_id(self, passage_ids: Sequence[str], live: dict[str, DocumentRecord],
                       known=None) -> list[Passage]:
        out = []
        for pid in passage_ids:
            p = known(pid) if known else None
            if p is None:
                self._all_passages()
                slot = self._slot.get(pid)
                p = self._passages[slot] if slot is not None else None
                if p is not None and p.document_id in live:
                    p = _labelled(p, live[p.document_id])
            if p is not None and p.document_id in live:
                out.append(p)
        return out

    # --- vectors -------------------------------------------------------------------------
    def units_of(self, passage_id: str) -> np.ndarray | None:
        """A passage's normalized unit vectors, one row per unit (None: not in the snapshot)."""
        self._all_passages()
        slot = self._slot.get(passage_id)
        if slot is None or self._offsets[slot + 1] == self._offsets[slot]:
            return None
        return np.array(self._units[self._offsets[slot]:self._offsets[slot + 1]])

    def _passage_ids(self) -> list[str]:
        return [p.id for p in self._all_passages()]

    def dense_search(self, vector: Sequence[float], limit: int, live: dict[str, DocumentRecord],
                     known=None) -> list[tuple[Passage, float]]:
        """Passages of live documents whose closest unit is nearest to the vector (exact: every
        unit is compared, as `Store.dense_search` does from its unit matrix when small)."""
        best = self._best_per_passage(unit_vector(vector))
        ids = self._passage_ids()
        order = np.argsort(-best, kind="stable")
        chosen: dict[str, float] = {}
        for i in order:
            if not np.isfinite(best[i]):
                break
            if ids[i].rpartition(":")[0] in live:
                chosen[ids[i]] = float(best[i])
                if len(chosen) >= limit:
                    break
        passages = {p.id: p for p in self.passages_by_id(list(chosen), live, known)}
        return [(passages[pid], sim) for pid, sim in chosen.items() if pid in passages]

    def _best_per_passage(self, q: np.ndarray) -> np.ndarray:
        """Each passage's best unit similarity; -inf for a passage without units."""
        return best_per_passage(self._units, self._offsets, q)

    def unit_similarities(self, vector: Sequence[float], passage_ids: Sequence[str]) -> dict[str, float]:
        if not passage_ids:
            return {}
        self._all_passages()
        q = unit_vector(vector)
        out = {}
        for pid in passage_ids:
            slot = self._slot.get(pid)
            if slot is not None and self._offsets[slot + 1] > self._offsets[slot]:
                out[pid] = float((self._units[self._offsets[slot]:self._offsets[slot + 1]] @ q).max())
        return out

    def line_similarities(self, vectors, document_ids: Sequence[str]) -> dict[str, LineSimilarities]:
        """As `Store.line_similarities`: each unit of these documents against the vector(s)."""
        if not document_ids:
            return {}
        single = np.ndim(vectors) == 1
        q = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        q = q / np.where((n := np.linalg.norm(q, axis=1, keepdims=True)) == 0, 1.0, n)
        passages = self._all_passages()
        out = {}
        for document_id in dict.fromkeys(document_ids):
            slots = [i for i in self._of_document.get(document_id, ())
                     if self._offsets[i + 1] > self._offsets[i]]
            if not slots:
                continue
            counts = [int(self._offsets[i + 1] - self._offsets[i]) for i in slots]
            # a document's passages, and so its units, are contiguous (see `Store.contents`)
            matrix = self._units[self._offsets[slots[0]]:self._offsets[slots[-1] + 1]]
            sims = np.asarray(matrix @ q.T, dtype=np.float32)
            out[document_id] = LineSimilarities(tuple(passages[i].id for i in slots),
                                                np.repeat(np.arange(len(slots)), counts),
                                                sims[:, 0] if single else sims)
        return out


class FreshStore:
    """A store for one-shot commands that only read: answers from the snapshot while it is of
    the store's current state; when a write is announced, opens Chroma and answers from it
    from then on. The check is made where the Assistant asks whether the store changed
    (`fingerprint`)."""

    def __init__(self, settings: Settings, snapshot: SnapshotStore):
        self.settings = settings
        self._backend: SnapshotStore | Store = snapshot

    def fingerprint(self) -> str:
        backend = self._backend
        if isinstance(backend, SnapshotStore) and not backend.fresh():
            from retrieval.store import Store

            self._backend = backend = Store(self.settings)
        return backend.fingerprint()

    @property
    def from_snapshot(self) -> bool:
        return isinstance(self._backend, SnapshotStore)

    def __getattr__(self, name: str):
        return getattr(self._backend, name)


def open_for_reading(settings: Settings) -> FreshStore | Store:
    """The store for a command that only reads: the snapshot when it is current, else Chroma."""
    snapshot = SnapshotStore.open(settings)
    if snapshot is not None:
        return FreshStore(settings, snapshot)
    from retrieval.store import Store

    return Store(settings)


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def _labelled(p: Passage, record: DocumentRecord) -> Passage:
    if (p.source, p.candidate_id, p.candidate_name) == \
            (record.source, record.candidate_id, record.candidate_name):
        return p
    return p.model_copy(update={"source": record.source, "candidate_id": record.candidate_id,
                                "candidate_name": record.candidate_name})
