"""The only module that talks to Chroma: passages with their vectors, and a registry of documents.

Three collections: `<name>` holds one record per passage (verbatim text, metadata, the mean of
its unit vectors), `<name>-units` one record per line or sentence of a passage (its vector: the
grain at which questions are compared), and `<name>-documents` one record per source (its live
document id, the full extracted text, the candidate, sections and warnings). The registry
record is the commit point of a write:
a changed file's new passages are written first, then its registry record is replaced in one
upsert, then the old passages are deleted. A crash at any step leaves the old or the new version
visible, never a mix; passages that no registry record points to are ignored and swept later.
Several documents are written together (`write_documents`): all their passages, then all their
units, then all their registry records in one upsert (passages first: they carry the time
`sweep_orphans` goes by, so a crash between the two writes leaves nothing it cannot find). Chroma appends one upsert to its log in
one SQL statement and applies it in one transaction, so the records appear together; even were
they not, each record is written only after its own passages exist, so each document would still
be whole in its old or its new version.

The registry also holds one change marker (not a document): every upsert or update of registry
records replaces it in the same call, and every delete of a record lowers the record count, so
`fingerprint()` (marker and count) changes with every write by any process, read in two calls.

Several processes may write to one store, one commit at a time: every write holds the data
directory's write lock and first catches up on the others' writes (`exclusive`; what this makes
safe for the embedded store is in retrieval/writelock.py). A content is stored under one source
only: the check and the commit are one step under the lock, and a write whose content another
source already holds is refused (`Refusal`), whichever process stored it first.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from retrieval.errors import StoreError
from retrieval.files import make_private
from retrieval.settings import Settings
from retrieval.writelock import StoreLocked, WriteLock, write_lock
import numpy as np

from retrieval.types import (DocumentProfile, DocumentRecord, IdentityOverride, PageSpan, Passage,
                             Unit)
from retrieval.unit_matrix import DocumentRows, UnitMatrix, unit_vector

KnownPassages = Callable[[str], Passage | None]  # passage id -> passage held in memory, or None
log = logging.getLogger("recruit.store")
_WRITE_BATCH = 256
_READ_BATCH = 2000
_MAX_FILTER_VALUES = 30_000  # ids in one `$nin` filter: under SQLite's 32,766 bound variables
_UNIT_ID_BATCH = 20_000
ORPHAN_GRACE_S = 600.0  # unregistered passages younger than this may be another writer's batch
_CACHED_PASSAGES = 20_000  # passages (and their unit vectors) kept in memory for search
_CACHED_DOCUMENTS = 500  # documents whose unit vectors are also kept as one matrix (~200 KB each)
_MARKER_ID = "changes"  # the registry's change marker (document records are "src-…")


def _registry_id(source: str) -> str:
    return "src-" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:24]


def _marker() -> dict:
    return {"changed": uuid.uuid4().hex}


@dataclass(frozen=True)
class DocumentWrite:
    """One document ready to store: its registry record, text, passages and embedded units."""

    record: DocumentRecord
    text: str
    pages: Sequence[PageSpan]
    passages: Sequence[Passage]
    units: Sequence[Unit]
    unit_vectors: Sequence[Sequence[float]]
    profile: DocumentProfile | None = None


@dataclass(frozen=True)
class Refusal:
    """A write not made because its content is already stored: under another source (a
    duplicate; this source's previous version, if it had one, was removed as stale), or under
    this very source (another process stored the same file first)."""

    source: str
    stored: DocumentRecord  # the record that holds the content
    removed: DocumentRecord | None = None  # this source's previous version, removed

    @property
    def unchanged(self) -> bool:
        return self.stored.source == self.source


@dataclass(frozen=True)
class LineSimilarities:
    """The similarity of every unit (line or sentence) of one document to a question, and the
    passage each unit belongs to (`passage_ids[passage_of[i]]` holds unit i)."""

    passage_ids: tuple[str, ...]
    passage_of: np.ndarray  # int, one per unit
    similarities: np.ndarray  # float32 cosine: one per unit, or one row per unit of one per vector


def connect_fresh(settings: Settings, old: chromadb.api.ClientAPI) -> chromadb.api.ClientAPI:
    """A new embedded client with its own freshly loaded state: the old one is released first
    (chromadb shares one loaded system per path while any client holds it)."""
    try:
        old.close()
    except Exception:  # noqa: BLE001 - already closed or never opened: a new one is wanted anyway
        pass
    return connect(settings)


def connect(settings: Settings) -> chromadb.api.ClientAPI:
    """Embedded PersistentClient under data_dir, or HttpClient when a host is configured.
    A new embedded store is opened under the write lock: opening it creates its tables, which
    two processes must not do at once. An existing one is opened without waiting for writers."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                       settings=chroma_settings)
        make_private(settings.data_dir)
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        created = settings.chroma_dir / ".created"  # written once its tables exist
        if created.is_file():
            return chromadb.PersistentClient(path=str(settings.chroma_dir),
                                             settings=chroma_settings)
        with store_lock(settings).held():
            client = chromadb.PersistentClient(path=str(settings.chroma_dir),
                                               settings=chroma_settings)
            created.touch(mode=0o600)
            return client
    except StoreError:
        raise
    except Exception as e:  # noqa: BLE001 - chromadb raises many kinds; the user needs one line
        where = (f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
                 if settings.chroma_host else f"the store in {settings.chroma_dir}")
        raise StoreError(f"cannot open {where}: {e}") from e


def store_lock(settings: Settings) -> WriteLock:
    """The write lock of the store these settings name (see retrieval/writelock.py)."""
    return write_lock(settings.data_dir, settings.store_lock_wait_s)


class Store:
    def __init__(self, settings: Settings, client: chromadb.api.ClientAPI | None = None):
        self.settings = settings
        self._lock = store_lock(settings)
        self._owns_client = client is None
        self._own_markers: set[str] = set()  # change markers this object wrote
        self._seen_marker: str | None = None
        self._max_batch_size: int | None = None  # records per Chroma call, asked at the first write
        # Read caches keyed by passage id: an id names its content for good (the document id is
        # a content hash), so cached passages and unit vectors never go stale; what a passage
        # says about its candidate is always taken from the live registry record.
        self._passage_rows = _ContentCache(_CACHED_PASSAGES)
        self._unit_vectors = _ContentCache(_CACHED_PASSAGES)
        self._document_matrices = _ContentCache(_CACHED_DOCUMENTS)  # see `line_similarities`
        self._unit_ids: dict[str, tuple[str, ...]] = {}  # passage id -> unit ids (learn_unit_ids)
        self._matrix: UnitMatrix | None = None  # the units kept beside the store (use_unit_matrix)
        self._document_passages: dict[str, tuple[str, ...]] = {}  # document id -> passage ids
        self._client = client or connect(settings)
        self._open_collections()
        if not self._documents.get(ids=[_MARKER_ID], include=[])["ids"]:
            with self._lock.held():  # a store written before the marker existed gets one
                if not self._documents.get(ids=[_MARKER_ID], include=[])["ids"]:
                    self._bump()
        self.fingerprint()  # the state this object has seen: later writes catch up from it

    def _open_collections(self) -> None:
        """The four collections; created under the write lock when missing (two processes
        creating one collection: one would fail), opened without waiting for writers when not."""
        name = self.settings.collection
        try:
            self._passages, self._units, self._documents, self._identity = (
                self._client.get_collection(n, embedding_function=None)
                for n in (name, f"{name}-units", f"{name}-documents", f"{name}-identity"))
        except (NotFoundError, ValueError):  # a new store (older chromadb raised ValueError)
            self._create_collections()

    def _create_collections(self) -> None:
        cosine = {"hnsw": {"space": "cosine"}}
        name = self.settings.collection
        with self._lock.held():
            self._passages = self._client.get_or_create_collection(
                name, configuration=cosine, embedding_function=None)
            self._units = self._client.get_or_create_collection(
                f"{name}-units", configuration=cosine, embedding_function=None)
            self._documents = self._client.get_or_create_collection(
                f"{name}-documents", embedding_function=None)
            self._identity = self._client.get_or_create_collection(
                f"{name}-identity", embedding_function=None)

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the store's write lock, having caught up on other processes' writes: what is
        read inside is current, and what is written inside lands on the current state (an
        embedded client reopens when another process wrote since it last looked)."""
        with self._lock.held():
            self.fingerprint()  # reopens on a change marker this object did not write
            yield

    @contextmanager
    def exclusive_if_free(self) -> Iterator[bool]:
        """As `exclusive`, but without waiting: True inside when the lock was free and is now
        held, False (holding nothing) when another writer has it."""
        try:
            self._lock.acquire(wait_s=0)
        except StoreLocked:
            yield False
            return
        try:
            self.fingerprint()
            yield True
        finally:
            self._lock.release()

    def reopen(self) -> None:
        """Read an embedded store afresh after another process wrote to it. The embedded client
        keeps each collection's vector index in memory as it was loaded: without this, a bot
        that another process ingested beside answers from the old index and then fails for good
        ("Error finding id"). A server (RECRUIT_CHROMA_HOST) always answers from its own state."""
        if self.settings.chroma_host or not self._owns_client:
            return
        log.info("the store changed in another process: reopening it")
        old = self._client
        self._client = connect_fresh(self.settings, old)
        self._open_collections()

    def _new_marker(self) -> dict:
        """A new change marker for a registry write about to be made, announced first beside
        the read snapshot, which is then not read until one is made of the new state."""
        from retrieval.snapshot import note_change

        marker = _marker()
        self._own_markers.add(marker["changed"])
        note_change(self.settings, marker["changed"])
        return marker

    # --- registry ----------------------------------------------------------------------
    def documents(self) -> list[DocumentRecord]:
        """Every live document, in source order."""
        records = [self._record(meta) for meta in self._registry_metadatas()]
        return sorted(records, key=lambda r: r.source)

    def _registry_metadatas(self) -> Iterator[dict]:
        offset = 0
        while True:
            batch = self._documents.get(include=["metadatas"], limit=_READ_BATCH, offset=offset)
            yield from (m for i, m in zip(batch["ids"], batch["metadatas"]) if i != _MARKER_ID)
            if len(batch["ids"]) < _READ_BATCH:
                return
            offset += _READ_BATCH

    def fingerprint(self) -> str:
        """Changes whenever any document is added, replaced, reassigned or removed, by any process.

        Two reads by id and count, whatever the number of documents: the change marker (replaced
        in the same call as every upsert or update of registry records) and the number of
        records (lowered by every delete, the one write that cannot carry the marker)."""
        got = self._documents.get(ids=[_MARKER_ID], include=["metadatas"])
        marker = got["metadatas"][0].get("changed", "") if got["ids"] else ""
        if self._seen_marker is not None and marker != self._seen_marker \
                and marker not in self._own_markers:
            self.reopen()  # another process wrote: its vectors are not in our loaded index
        self._seen_marker = marker
        return f"{marker}:{self._documents.count()}"

    def _bump(self, marker: dict | None = None) -> None:
        """Replace the change marker alone (after a delete: see `fingerprint`); `marker` when
        it was announced before the delete (so a crash between the two cannot leave the read
        snapshot looking current)."""
        self._documents.upsert(ids=[_MARKER_ID], embeddings=[[1.0]], documents=[""],
                               metadatas=[marker or self._new_marker()])

    def find_source(self, source: str) -> DocumentRecord | None:
        got = self._documents.get(ids=[_registry_id(source)], include=["metadatas"])
        return self._record(got["metadatas"][0]) if got["ids"] else None

    def find_document(self, document_id: str) -> DocumentRecord | None:
        got = self._documents.get(where={"document_id": document_id}, include=["metadatas"], limit=1)
        return self._record(got["metadatas"][0]) if got["ids"] else None

    def document_text(self, source: str) -> str | None:
        got = self._documents.get(ids=[_registry_id(source)], include=["documents"])
        return got["documents"][0] if got["ids"] else None

    def document_pages(self, source: str) -> list[PageSpan]:
        got = self._documents.get(ids=[_registry_id(source)], include=["metadatas"])
        if not got["ids"]:
            return []
        return [PageSpan(**p) for p in json.loads(got["metadatas"][0].get("pages", "[]"))]

    @staticmethod
    def _record(meta: dict) -> DocumentRecord:
        return DocumentRecord(
            document_id=meta["document_id"], source=meta["source"],
            candidate_id=meta["candidate_id"], candidate_name=meta["candidate_name"],
            name_found=bool(meta["name_found"]), passages=int(meta["passages"]),
            sections=json.loads(meta.get("sections", "[]")),
            warnings=json.loads(meta.get("warnings", "[]")),
            detected_name=meta.get("detected_name") or None,
            headline=meta.get("headline") or None,
            flags=json.loads(meta.get("flags", "[]")),
            contacts=json.loads(meta.get("contacts", "[]")),
            employers=json.loads(meta["employers"]) if meta.get("employers") else None,
            schools=json.loads(meta["schools"]) if meta.get("schools") else None)

    # --- writes ------------------------------------------------------------------------
    def write_document(self, record: DocumentRecord, text: str, pages: Sequence[PageSpan],
                       passages: Sequence[Passage], units: Sequence[Unit],
                       unit_vectors: Sequence[Sequence[float]],
                       profile: DocumentProfile | None = None) -> None:
        """Store a document's passages and make them live in one step, replacing any old version."""
        self.write_documents([DocumentWrite(record, text, pages, passages, units, unit_vectors,
                                            profile)])

    def write_documents(self, writes: Sequence[DocumentWrite]) -> list[Refusal]:
        """Store several documents (distinct sources) in as few Chroma calls as the batch limit
        allows: every passage, then every unit, then the registry records with the change marker
        in one upsert (the commit point), then the replaced versions' passages are deleted.

        Under the write lock, the writes whose content is already stored (by another process
        since the caller looked, or twice in this batch) are refused instead, and returned."""
        if not writes:
            return []
        with self.exclusive():
            fresh, refused = self._split_stored(writes)
            refused = [self._refuse(r) for r in refused]
            if fresh:
                self._commit(fresh)
        return refused

    def _split_stored(self, writes: Sequence[DocumentWrite]) -> tuple[list[DocumentWrite],
                                                                       list[Refusal]]:
        """The writes to make, and those whose content a live record (or an earlier write of
        the batch) already holds: one content, one source."""
        holders = self._holders([w.record.document_id for w in writes])
        fresh, refused = [], []
        for w in writes:
            held = sorted(holders.get(w.record.document_id, ()),
                          key=lambda r: (r.source != w.record.source, r.source))
            if held:
                refused.append(Refusal(w.record.source, held[0]))
            else:
                fresh.append(w)
                holders[w.record.document_id] = [w.record]
        return fresh, refused

    def _holders(self, document_ids: Sequence[str]) -> dict[str, list[DocumentRecord]]:
        """The live records holding each of these contents (those held by none left out)."""
        holders: dict[str, list[DocumentRecord]] = {}
        ids = list(dict.fromkeys(document_ids))
        for i in range(0, len(ids), 200):
            got = self._documents.get(where={"document_id": {"$in": ids[i:i + 200]}},
                                      include=["metadatas"])
            for meta in got["metadatas"]:
                holders.setdefault(meta["document_id"], []).append(self._record(meta))
        return holders

    def _refuse(self, refusal: Refusal) -> Refusal:
        """A duplicate's source no longer holds its previous content: that version is removed."""
        if refusal.unchanged:
            return refusal
        return Refusal(refusal.source, refusal.stored, self.remove(refusal.source))

    def _commit(self, writes: Sequence[DocumentWrite]) -> None:
        sources = [w.record.source for w in writes]
        old = self._records_by_id([_registry_id(s) for s in sources])
        ids: list[str] = []
        vectors: list[np.ndarray] = []
        metas: list[dict] = []
        texts: list[str] = []
        passage_rows: list[tuple[Passage, list[float]]] = []
        for w in writes:
            v = np.asarray(w.unit_vectors, dtype=np.float32).reshape(len(w.units), -1)
            ids += [f"{u.passage_id}/{u.start}" for u in w.units]
            vectors.append(v)
            texts += [u.text for u in w.units]
            metas += [{"passage_id": u.passage_id, "document_id": w.record.document_id,
                       "start": u.start, "end": u.end} for u in w.units]
            means = _mean_vectors(w.passages, w.units, v)
            passage_rows += [(p, means[p.id]) for p in w.passages]
        self._upsert(self._passages, [p.id for p, _ in passage_rows], [m for _, m in passage_rows],
                     [p.text for p, _ in passage_rows], [_passage_metadata(p) for p, _ in passage_rows])
        self._upsert(self._units, ids, np.vstack(vectors).tolist() if ids else [], texts, metas)
        self._upsert(self._documents, [_registry_id(s) for s in sources] + [_MARKER_ID],
                     [[1.0]] * (len(writes) + 1), [w.text for w in writes] + [""],
                     [_registry_metadata(w) for w in writes] + [self._new_marker()])  # the commit point
        new_ids = {w.record.document_id for w in writes}
        replaced = {r.document_id for r in old.values()} - new_ids
        if replaced:
            self._delete_passages_of(sorted(replaced))

    def _upsert(self, collection, ids: list[str], embeddings: list, documents: list[str],
                metadatas: list[dict]) -> None:
        """One upsert, or consecutive ones when more records than one Chroma call accepts
        (the registry, written last, is one call for any batch the pipeline makes)."""
        size = self._max_batch()
        for i in range(0, len(ids), size):
            collection.upsert(ids=ids[i:i + size], embeddings=embeddings[i:i + size],
                              documents=documents[i:i + size], metadatas=metadatas[i:i + size])

    def _max_batch(self) -> int:
        if self._max_batch_size is None:
            try:
                self._max_batch_size = max(1, int(self._client.get_max_batch_size()))
            except Exception:  # noqa: BLE001 - an older server without the endpoint
                self._max_batch_size = _WRITE_BATCH
        return self._max_batch_size

    def _records_by_id(self, registry_ids: Sequence[str]) -> dict[str, DocumentRecord]:
        got = self._documents.get(ids=list(registry_ids), include=["metadatas"])
        return {i: self._record(m) for i, m in zip(got["ids"], got["metadatas"])}

    def profiles(self, sources: Sequence[str]) -> dict[str, DocumentProfile]:
        """What each given document says about its person (documents ingested with a profile)."""
        if not sources:
            return {}
        got = self._documents.get(ids=[_registry_id(s) for s in sources], include=["metadatas"])
        return {m["source"]: DocumentProfile.model_validate_json(m["profile"])
                for m in got["metadatas"] if m.get("profile")}

    def set_identity(self, source: str, candidate_id: str, candidate_name: str,
                     name_found: bool) -> None:
        """Point a document at its candidate (after identities were reconciled)."""
        self._documents.update(ids=[_registry_id(source), _MARKER_ID], metadatas=[{
            "candidate_id": candidate_id, "candidate_name": candidate_name, "name_found": name_found},
            self._new_marker()])

    def overrides(self) -> list[IdentityOverride]:
        got = self._identity.get(include=["metadatas"])
        return [IdentityOverride(source=m["source"], name=m.get("name") or None,
                                 same_as=m.get("same_as") or None, at=float(m.get("at", 0.0)))
                for m in got["metadatas"]]

    def save_override(self, override: IdentityOverride) -> None:
        """Keep a user's rename/merge of a document's person (merged with any earlier fix)."""
        key = _registry_id(override.source)
        got = self._identity.get(ids=[key], include=["metadatas"])
        meta = dict(got["metadatas"][0]) if got["ids"] else {"source": override.source}
        if override.name is not None:
            meta["name"] = override.name
        if override.same_as is not None:
            meta["same_as"] = override.same_as
        meta["at"] = override.at
        self._identity.upsert(ids=[key], embeddings=[[1.0]], documents=[""], metadatas=[meta])

    def remove(self, source: str) -> DocumentRecord | None:
        with self.exclusive():
            old = self.find_source(source)
            if old is None:
                return None
            marker = self._new_marker()  # announced first: the snapshot is stale from here on
            self._documents.delete(ids=[_registry_id(source)])  # the count changes: see `fingerprint`
            self._bump(marker)
            self._delete_passages_of([old.document_id])
            return old

    def _delete_passages_of(self, document_ids: Sequence[str]) -> None:
        """Delete the passages and units of these contents, except those a live record still
        holds (another source may hold the same content)."""
        held = self._documents.get(where={"document_id": {"$in": list(document_ids)}},
                                   include=["metadatas"])
        gone = sorted(set(document_ids) - {m["document_id"] for m in held["metadatas"]})
        if gone:
            self._units.delete(where={"document_id": {"$in": gone}})
            self._passages.delete(where={"document_id": {"$in": gone}})

    def sweep_orphans(self, grace_s: float | None = None) -> int:
        """Delete passages that no live document points to (left by an interrupted write) and
        that were written more than `grace_s` ago (default ORPHAN_GRACE_S): younger ones may
        belong to a batch another process is writing right now and has not yet committed (a
        writer on another machine sharing a Chroma server: local writers commit under the
        lock). With them go their units: a batch writes its passages before its units, so no
        unit is left without a passage that dates it."""
        grace_s = ORPHAN_GRACE_S if grace_s is None else grace_s
        live = {m["document_id"] for m in self._registry_metadatas()}
        newest: dict[str, float] = {}
        for m in self._unlisted_passage_metadatas(live):
            if m["document_id"] not in live:
                newest[m["document_id"]] = max(newest.get(m["document_id"], 0.0),
                                               float(m.get("written_at", 0.0)))
        cutoff = time.time() - grace_s
        orphans = sorted(d for d, written in newest.items() if written < cutoff)
        if not orphans:
            return 0
        with self.exclusive():  # a writer may have registered one of them since the scan
            live_now = self._holders(orphans)
            orphans = [d for d in orphans if d not in live_now]
            # units first: a crash between the two deletes leaves passages, found next time
            for i in range(0, len(orphans), 200):
                self._units.delete(where={"document_id": {"$in": orphans[i:i + 200]}})
                self._passages.delete(where={"document_id": {"$in": orphans[i:i + 200]}})
            if orphans:
                self._bump()  # a delete other processes must catch up on (see writelock.py)
        return len(orphans)

    def _unlisted_passage_metadatas(self, live: set[str]) -> Iterable[dict]:
        """The metadata of passages whose document is not in `live`, found by Chroma (10,000
        resumes: 0.8 s, against 7 s reading every passage's metadata here), or of every
        passage when the list is too long for one query (SQLite binds at most 32,766 values)."""
        if 0 < len(live) <= _MAX_FILTER_VALUES:
            return self._passages.get(where={"document_id": {"$nin": sorted(live)}},
                                      include=["metadatas"])["metadatas"]
        return self._passage_metadatas()

    def _passage_metadatas(self) -> Iterator[dict]:
        offset = 0
        while True:
            batch = self._passages.get(include=["metadatas"], limit=_READ_BATCH, offset=offset)
            yield from batch["metadatas"]
            if len(batch["ids"]) < _READ_BATCH:
                return
            offset += _READ_BATCH

    # --- reads -------------------------------------------------------------------------
    def live_passages(self) -> Iterator[Passage]:
        """Every passage of every live document (for the keyword index)."""
        live = {r.document_id: r for r in self.documents()}
        offset = 0
        while True:
            batch = self._passages.get(include=["metadatas", "documents"], limit=_READ_BATCH,
                                       offset=offset)
            for pid, meta, text in zip(batch["ids"], batch["metadatas"], batch["documents"]):
                record = live.get(meta["document_id"])
                if record is not None:
                    yield _passage(pid, meta, text, record)
            if len(batch["ids"]) < _READ_BATCH:
                return
            offset += _READ_BATCH

    def passages_for(self, records: Sequence[DocumentRecord]) -> list[Passage]:
        """The passages of these registry records, labelled by them, in record and text order
        (the keyword index reads only the documents that changed)."""
        by_id = {r.document_id: r for r in records}
        ids = list(by_id)
        out: list[Passage] = []
        for i in range(0, len(ids), 200):
            got = self._passages.get(where={"document_id": {"$in": ids[i:i + 200]}},
                                     include=["metadatas", "documents"])
            out.extend(_passage(pid, meta, text, by_id[meta["document_id"]])
                       for pid, meta, text in zip(got["ids"], got["metadatas"], got["documents"]))
        order = {d: k for k, d in enumerate(ids)}
        return sorted(out, key=lambda p: (order[p.document_id], p.start))

    def dense_search(self, vector: Sequence[float], limit: int, live: dict[str, DocumentRecord],
                     known: KnownPassages | None = None) -> list[tuple[Passage, float]]:
        """Passages of live documents whose closest line or sentence is nearest to the vector.

        A passage's similarity is that of its best unit (cosine). Only ids and distances are
        read from the index: a unit's id names its passage and document (see `_unit_owner`).
        `known` looks up passages already in memory (the keyword index's) before Chroma.
        Exact (every unit compared, as the read snapshot does) when the unit matrix beside the
        store holds every live document and is small (unit_matrix.MAX_EXACT_UNITS); else
        Chroma's HNSW index, approximate."""
        matrix = self._matrix
        if matrix is not None and matrix.answers_exactly(live):
            best = matrix.nearest(vector, limit, live)
            passages = {p.id: p for p in self.passages_by_id([pid for pid, _ in best], live, known)}
            return [(passages[pid], sim) for pid, sim in best if pid in passages]
        got = self._units.query(query_embeddings=[list(vector)], n_results=limit * 3,
                                include=["distances"])  # fewer when fewer are stored
        best: dict[str, float] = {}
        for unit_id, dist in zip(got["ids"][0], got["distances"][0]):
            passage_id, document_id = _unit_owner(unit_id)
            if document_id in live and passage_id not in best:
                best[passage_id] = 1.0 - float(dist)
            if len(best) >= limit:
                break
        passages = {p.id: p for p in self.passages_by_id(list(best), live, known)}
        return [(passages[pid], sim) for pid, sim in best.items() if pid in passages]

    def passages_by_id(self, passage_ids: Sequence[str], live: dict[str, DocumentRecord],
                       known: KnownPassages | None = None) -> list[Passage]:
        """These passages of live documents, labelled by their registry records; `known` is
        asked first, then the read cache, then Chroma."""
        found = {pid: p for pid in passage_ids
                 if known and (p := known(pid)) is not None and p.document_id in live}
        rest = [pid for pid in passage_ids if pid not in found]
        return list(found.values()) + self._stored_passages(rest, live)

    def _stored_passages(self, passage_ids: Sequence[str],
                         live: dict[str, DocumentRecord]) -> list[Passage]:
        if not passage_ids:
            return []
        cache = self._passage_rows
        rows = cache.get_many(passage_ids)
        missing = [pid for pid in passage_ids if pid not in rows]
        if missing:
            got = self._passages.get(ids=missing, include=["metadatas", "documents"])
            fetched = {pid: (meta, text)
                       for pid, meta, text in zip(got["ids"], got["metadatas"], got["documents"])}
            cache.put_many(fetched)
            rows.update(fetched)
        return [_passage(pid, meta, text, live[meta["document_id"]])
                for pid, (meta, text) in rows.items() if meta["document_id"] in live]

    def unit_similarities(self, vector: Sequence[float], passage_ids: Sequence[str]) -> dict[str, float]:
        """Best unit similarity of each given passage (for passages found by keywords only)."""
        if not passage_ids:
            return {}
        q = unit_vector(vector)
        return {pid: float((units @ q).max())
                for pid, units in self._cached_unit_vectors(passage_ids).items() if len(units)}

    def line_similarities(self, vectors: Sequence[float] | Sequence[Sequence[float]] | np.ndarray,
                          document_ids: Sequence[str]) -> dict[str, LineSimilarities]:
        """The similarity of every unit (line or sentence) of these documents to a vector, or to
        each of several vectors (one column each), with the passage each unit belongs to: how
        much of a person's document is about a topic, not only its best line. Read through the
        unit-vector cache (by id where `learn_unit_ids` noted the ids), each document's units
        kept as one matrix; one matrix product per document, so ask it for a bounded pool."""
        if not document_ids:
            return {}
        single = np.ndim(vectors) == 1
        q = _unit_rows(np.atleast_2d(np.asarray(vectors, dtype=np.float32)))
        out: dict[str, LineSimilarities] = {}
        for document_id, (passage_ids, passage_of, matrix) in self._document_units(document_ids).items():
            sims = matrix @ q.T
            out[document_id] = LineSimilarities(passage_ids, passage_of,
                                                sims[:, 0] if single else sims)
        return out

    def _document_units(self, document_ids: Sequence[str]) -> dict[str, tuple]:
        """Each document's (passage ids, passage of each unit, unit vectors as one matrix): from
        the unit matrix beside the store when it holds the document, else read from Chroma and
        remembered by document id (a content hash: never stale). A document whose units are
        gone (being replaced) is left out."""
        matrix = self._matrix
        held = {d: units for d in dict.fromkeys(document_ids)
                if matrix is not None and (units := matrix.document_units(d)) is not None}
        if len(held) < len(set(document_ids)):
            held.update(self._read_document_units([d for d in document_ids if d not in held]))
        return held

    def _read_document_units(self, document_ids: Sequence[str]) -> dict[str, tuple]:
        cache = self._document_matrices
        found = cache.get_many(document_ids)
        missing = [d for d in dict.fromkeys(document_ids) if d not in found]
        if not missing:
            return found
        passages = self._passages_of_documents(missing)
        vectors = self._cached_unit_vectors([pid for pids in passages.values() for pid in pids])
        built = {}
        for document_id, pids in passages.items():
            held = tuple(pid for pid in pids if len(vectors.get(pid, ())))
            if held:
                matrices = [vectors[pid] for pid in held]
                built[document_id] = (held, np.repeat(np.arange(len(held)), [len(m) for m in matrices]),
                                      np.vstack(matrices))
        cache.put_many(built)
        found.update(built)
        return found

    def _passages_of_documents(self, document_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """The passage ids of each document: noted by `learn_unit_ids`, else read with their
        units through a metadata filter (the units are then cached too)."""
        known = self._document_passages
        unknown = [d for d in dict.fromkeys(document_ids) if d not in known]
        if unknown:
            got = self._units.get(where={"document_id": {"$in": unknown}}, include=["embeddings"])
            found: dict[str, dict[str, list[np.ndarray]]] = {}
            for unit_id, emb in zip(got["ids"], got["embeddings"]):
                passage_id, document_id = _unit_owner(unit_id)
                found.setdefault(document_id, {}).setdefault(passage_id, []).append(emb)
            self._unit_vectors.put_many({pid: _unit_rows(rows) for units in found.values()
                                         for pid, rows in units.items()})
            known.update({d: tuple(sorted(found[d])) for d in found})  # units never change
        return {d: known[d] for d in dict.fromkeys(document_ids) if d in known}

    def _cached_unit_vectors(self, passage_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Each passage's unit vectors, normalized, one row per unit (empty: being replaced):
        from the unit matrix when it holds them, else from the read cache or Chroma."""
        matrix = self._matrix
        held = {pid: units for pid in passage_ids
                if matrix is not None and (units := matrix.passage_units(pid)) is not None}
        if len(held) == len(set(passage_ids)):
            return held
        cache = self._unit_vectors
        vectors = cache.get_many([pid for pid in passage_ids if pid not in held])
        vectors.update(held)
        missing = [pid for pid in passage_ids if pid not in vectors]
        if missing:
            fetched = self._read_unit_vectors(missing)
            cache.put_many({pid: units for pid, units in fetched.items() if len(units)})  # none:
            vectors.update(fetched)                                           # being replaced
        return vectors

    def _read_unit_vectors(self, passage_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The unit vectors of these passages: read by id where `learn_unit_ids` found the ids,
        else through a metadata filter (about five times slower on a large store)."""
        known = self._unit_ids
        fetched: dict[str, list] = {pid: [] for pid in passage_ids}
        by_id = [u for pid in passage_ids for u in known.get(pid, ())]
        unknown = [pid for pid in passage_ids if pid not in known]
        reads = ([self._units.get(ids=by_id, include=["embeddings"])] if by_id else []) + \
            ([self._units.get(where={"passage_id": {"$in": unknown}}, include=["embeddings"])]
             if unknown else [])
        for got in reads:
            for unit_id, emb in zip(got["ids"], got["embeddings"]):
                fetched[_unit_owner(unit_id)[0]].append(emb)
        return {pid: _unit_rows(rows) for pid, rows in fetched.items()}

    def use_unit_matrix(self, matrix: UnitMatrix | None) -> None:
        """Read unit vectors from this matrix (retrieval/unit_matrix.py) for the documents it
        holds; the others, from Chroma."""
        self._matrix = matrix

    def unit_rows(self, document_ids: Sequence[str]) -> Iterator[DocumentRows]:
        """Each of these documents' passages with their units' normalized vectors, passages by
        id and units in text order (as `_document_units` reads them), 200 documents per read;
        a document without units gets an empty list."""
        wanted = list(dict.fromkeys(document_ids))
        for i in range(0, len(wanted), 200):
            got = self._units.get(where={"document_id": {"$in": wanted[i:i + 200]}},
                                  include=["embeddings"])
            found: dict[str, dict[str, list[tuple[int, np.ndarray]]]] = {}
            for unit_id, emb in zip(got["ids"], got["embeddings"]):
                passage_id, document_id = _unit_owner(unit_id)
                found.setdefault(document_id, {}).setdefault(passage_id, []).append(
                    (int(unit_id.rpartition("/")[2]), emb))
            for document_id in wanted[i:i + 200]:
                passages = found.get(document_id, {})
                yield document_id, [
                    (pid, _unit_rows([emb for _, emb in sorted(passages[pid], key=lambda u: u[0])]))
                    for pid in sorted(passages)]

    def learn_unit_ids(self, live_document_ids: set[str]) -> None:
        """Note the ids of every unit of these documents (live ones: their units were all
        written before they were registered), so `unit_similarities` reads units by id, and
        each document's passages (for `line_similarities`). A passage's units never change (its
        id names its content); later documents are read through the filter. One pass over the
        unit ids: about 2 s at 10,000 resumes. Nothing is noted when units were written or
        deleted, or the registry changed, meanwhile (paging may then have missed some)."""
        units: dict[str, dict[str, None]] = {}
        before, offset = (self._units.count(), self.fingerprint()), 0
        while True:
            batch = self._units.get(include=[], limit=_UNIT_ID_BATCH, offset=offset)["ids"]
            for unit_id in batch:
                passage_id, document_id = _unit_owner(unit_id)
                if document_id in live_document_ids:
                    units.setdefault(passage_id, {})[unit_id] = None
            if len(batch) < _UNIT_ID_BATCH:
                break
            offset += _UNIT_ID_BATCH
        if (self._units.count(), self.fingerprint()) == before:  # no write, replace or removal
            self._unit_ids = {pid: tuple(ids) for pid, ids in units.items()}
            documents: dict[str, list[str]] = {}
            for pid in units:
                documents.setdefault(pid.rpartition(":")[0], []).append(pid)
            self._document_passages.update({d: tuple(sorted(p)) for d, p in documents.items()})

    def contents(self, max_units: int,
                 known: Callable[[str], np.ndarray | None] | None = None) -> StoreContents | None:
        """Everything a read snapshot holds (retrieval/snapshot.py): the live registry records
        with their texts, pages and profiles, the live passages grouped by document, and their
        units' normalized vectors in the same order. `known` gives a passage's unit vectors
        when an earlier snapshot holds them (a passage id names its content): only the units
        of other documents are read. None when the store holds more than `max_units` units,
        or changed while it was read."""
        from retrieval.snapshot import StoreContents

        if self._units.count() > max_units:
            return None
        fingerprint = self.fingerprint()
        records, extras, offset = [], {}, 0
        while True:
            batch = self._documents.get(include=["metadatas", "documents"], limit=_READ_BATCH,
                                        offset=offset)
            for registry_id, meta, text in zip(batch["ids"], batch["metadatas"], batch["documents"]):
                if registry_id != _MARKER_ID:
                    records.append(self._record(meta))
                    extras[meta["source"]] = {"text": text, "pages": meta.get("pages", "[]"),
                                              "profile": meta.get("profile", "")}
            if len(batch["ids"]) < _READ_BATCH:
                break
            offset += _READ_BATCH
        passages = sorted(self.passages_for(records), key=lambda p: (p.document_id, p.start))
        rows = {p.id: v for p in passages if known and (v := known(p.id)) is not None}
        unread = sorted({p.document_id for p in passages if p.id not in rows})
        units: dict[str, list[tuple[int, Sequence[float]]]] = {}
        for i in range(0, len(unread), 200):
            got = self._units.get(where={"document_id": {"$in": unread[i:i + 200]}},
                                  include=["embeddings"])
            for unit_id, emb in zip(got["ids"], got["embeddings"]):
                units.setdefault(_unit_owner(unit_id)[0], []).append(
                    (int(unit_id.rpartition("/")[2]), emb))
        rows.update({pid: _unit_rows([emb for _, emb in sorted(found, key=lambda u: u[0])])
                     for pid, found in units.items()})
        matrices = [rows[p.id] for p in passages if len(rows.get(p.id, ()))]
        offsets = np.zeros(len(passages) + 1, dtype=np.int64)
        np.cumsum([len(rows.get(p.id, ())) for p in passages], out=offsets[1:])
        if self.fingerprint() != fingerprint:
            return None
        return StoreContents(fingerprint, records, extras, passages, offsets,
                             np.vstack(matrices) if matrices else np.zeros((0, 1), np.float32))

    def passages_of(self, document_ids: Sequence[str]) -> list[Passage]:
        """The passages of these documents, in source order: their registry records are read by
        document id (not the whole registry, which at 10,000 resumes takes a quarter second)."""
        wanted = list(dict.fromkeys(document_ids))
        records = []
        for i in range(0, len(wanted), 200):
            got = self._documents.get(where={"document_id": {"$in": wanted[i:i + 200]}},
                                      include=["metadatas"])
            records += [self._record(m) for m in got["metadatas"]]
        return sorted(self.passages_for(records), key=lambda p: (p.source, p.start))


class _ContentCache:
    """A bounded map (least recently used out), safe to share between threads."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> dict:
        with self._lock:
            found = {k: self._items[k] for k in keys if k in self._items}
            for k in found:
                self._items.move_to_end(k)
        return found

    def put_many(self, items: dict) -> None:
        with self._lock:
            self._items.update(items)
            for k in items:
                self._items.move_to_end(k)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def _unit_owner(unit_id: str) -> tuple[str, str]:
    """(passage id, document id) of a unit, from its id: units are stored as
    f"{passage_id}/{start}" and passages are named f"{document_id}:{index}" (types.Passage)."""
    passage_id = unit_id.rpartition("/")[0]
    return passage_id, passage_id.rpartition(":")[0]


def _unit_rows(rows: Sequence[Sequence[float]]) -> np.ndarray:
    """Vectors as the normalized rows of one float32 matrix (cosine is then a product)."""
    if not len(rows):
        return np.zeros((0, 0), dtype=np.float32)
    matrix = np.asarray(np.vstack(rows), dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def _mean_vectors(passages: Sequence[Passage], units: Sequence[Unit],
                  vectors: np.ndarray) -> dict[str, list[float]]:
    """Each passage's normalized mean unit vector (a passage without units gets a unit vector)."""
    dim = vectors.shape[1] if vectors.size else 1
    sums: dict[str, np.ndarray] = {}
    for unit, vec in zip(units, vectors):
        sums[unit.passage_id] = sums.get(unit.passage_id, np.zeros(dim, dtype=np.float32)) + vec
    out = {}
    for p in passages:
        v = sums.get(p.id)
        if v is None or not np.linalg.norm(v):
            v = np.ones(dim, dtype=np.float32)
        out[p.id] = (v / np.linalg.norm(v)).tolist()
    return out


def _registry_metadata(w: DocumentWrite) -> dict:
    record = w.record
    return {
        "source": record.source, "document_id": record.document_id,
        "candidate_id": record.candidate_id, "candidate_name": record.candidate_name,
        "name_found": record.name_found, "passages": record.passages,
        "sections": json.dumps(record.sections, ensure_ascii=False),
        "warnings": json.dumps(record.warnings, ensure_ascii=False),
        "pages": json.dumps([p.model_dump() for p in w.pages]),
        "detected_name": record.detected_name or "",
        "headline": record.headline or "",
        "flags": json.dumps(record.flags, ensure_ascii=False),
        "contacts": json.dumps(record.contacts, ensure_ascii=False),
        "employers": json.dumps(record.employers, ensure_ascii=False) if record.employers is not None else "",
        "schools": json.dumps(record.schools, ensure_ascii=False) if record.schools is not None else "",
        "profile": w.profile.model_dump_json() if w.profile else "",
    }


def _passage_metadata(p: Passage) -> dict:
    meta = {"document_id": p.document_id, "candidate_id": p.candidate_id,
            "candidate_name": p.candidate_name, "source": p.source, "start": p.start, "end": p.end,
            "written_at": int(time.time())}  # when: see sweep_orphans
    if p.page is not None:
        meta["page"] = p.page
    if p.section:
        meta["section"] = p.section
    if p.section_kind:
        meta["section_kind"] = p.section_kind
    return meta


def _passage(pid: str, meta: dict, text: str, record: DocumentRecord) -> Passage:
    """A passage as stored, with its candidate taken from the live registry record."""
    return Passage(id=pid, document_id=meta["document_id"], candidate_id=record.candidate_id,
                   candidate_name=record.candidate_name, source=record.source,
                   page=meta.get("page"), section=meta.get("section"),
                   start=int(meta["start"]), end=int(meta["end"]), text=text,
                   section_kind=meta.get("section_kind"))
