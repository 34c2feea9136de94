"""Keeping the searchable state of the store current: the keyword index, the map of live
documents, their disk caches, and the read snapshot one-shot commands use.

A question reads one `Snapshot` and never waits for the store: the first read builds or loads
the index, later reads trigger a check in the background at most every few seconds, and a
changed store is caught up document by document into a new snapshot that replaces the old one
in one assignment.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

import numpy as np

from retrieval.files import file_safe
from retrieval.keyword import KeywordIndex
from retrieval.memory import return_freed_memory
from retrieval.search import sources_by_candidate
from retrieval.settings import Settings
from retrieval.types import DocumentRecord
from retrieval.unit_matrix import UnitMatrix

if TYPE_CHECKING:
    from retrieval.store import Store

log = logging.getLogger("recruit.refresh")

EmbedMany = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Snapshot:
    """Everything a question reads about the store's state, replaced as a whole when the store
    changes: a question takes the current snapshot once, so a refresh in the background never
    hands it an index of one state and a document map of another."""

    index: KeywordIndex | None = None
    live: dict[str, DocumentRecord] = field(default_factory=dict)  # document id -> record
    sources: dict[str, list[str]] = field(default_factory=dict)  # candidate id -> sources
    by_source: dict[str, DocumentRecord] = field(default_factory=dict)

    @classmethod
    def of(cls, index: KeywordIndex | None, live: dict[str, DocumentRecord]) -> "Snapshot":
        return cls(index, live, sources_by_candidate(live), {r.source: r for r in live.values()})


class IndexKeeper:
    """The current `Snapshot` of one store, kept up to date.

    `after_swap` runs after each new snapshot is installed; entry points that serve many
    questions use it for process-wide tuning (see bot/process.py)."""

    MIN_CHECK_EVERY_S = 2.0  # between store checks; longer when a check itself is slow
    SAVE_EVERY_S = 60.0      # the keyword index cache is rewritten at most this often while serving

    def __init__(self, settings: Settings, store: Store, embed_many: EmbedMany,
                 after_swap: Callable[[], None] | None = None):
        self.settings, self.store, self._embed_many = settings, store, embed_many
        self.after_swap = after_swap
        self.current = Snapshot()
        self._checked_at = 0.0
        self._check_every = self.MIN_CHECK_EVERY_S
        self._checking = threading.Lock()  # one background check at a time
        self._catching_up = threading.Lock()
        self._saved_at = 0.0  # when the keyword index was last written to disk
        self._units_known = False  # whether the store has listed its unit ids (once)
        self._matrix: UnitMatrix | None = None  # the store's unit vectors beside it, once loaded
        self._serving = False  # whether this process answers many questions (see `refresh`)

    @property
    def index(self) -> KeywordIndex | None:
        return self.current.index

    @property
    def live(self) -> dict[str, DocumentRecord]:
        return self.current.live

    @property
    def index_path(self) -> Path:
        """One cache per collection and embedder: the index's lexicon holds the embedder's
        vectors, so switching RECRUIT_EMBEDDING must not load another model's."""
        from retrieval.keyword import cache_path

        return cache_path(self.settings.data_dir, self.settings.collection, self.settings.embedding)

    def refresh(self, force: bool = False) -> Snapshot:
        """The snapshot to answer from, after making sure a change of the store gets noticed.

        The first call (or a forced one) catches up now: it loads the index from its disk
        cache, or builds it from the store when there is none. Later calls start a check in a
        background thread at most every `_check_every` seconds, so a question never waits for
        it; when documents changed, only their passages are added to or dropped from the index.

        A forced call comes from a process that means to answer many questions (`warm`) or
        has just written documents: from then on this process also keeps the unit matrix
        beside the store up to date (`_keep_unit_vectors`) and the lexicon ready for
        first-time questions (its best matches across scripts learned and saved, its vectors
        also by column); a one-shot question only reads what is saved."""
        if force:
            self._serving = True
        if force or self.index is None:
            self._catch_up(force=True)
            return self.current
        now = time.monotonic()
        if now - self._checked_at >= self._check_every:
            self._checked_at = now
            if self._checking.acquire(blocking=False):
                threading.Thread(target=self._catch_up_in_background, daemon=True,
                                 name="recruit-refresh").start()
        return self.current

    def _catch_up_in_background(self) -> None:
        try:
            self._catch_up(force=False)
        except Exception:  # noqa: BLE001 - the next check tries again; questions go on
            log.warning("checking the store failed", exc_info=True)
        finally:
            self._checking.release()

    def _catch_up(self, force: bool) -> None:
        with self._catching_up:
            started = time.monotonic()
            self._checked_at = started
            fingerprint = self.store.fingerprint()
            self._check_every = max(self.MIN_CHECK_EVERY_S, 4 * (time.monotonic() - started))
            if self.index is not None and self.index.fingerprint == fingerprint:
                return
            if force and self.index is not None:  # after this process wrote documents:
                return_freed_memory()  # their buffers, before the new state is read on top
            live = self._sharing_records(self.store.documents())
            index = self._index_for(live, fingerprint, force, started)
            if self._serving and index.lexicon.across is None and index.lexicon.terms:
                self._learn_across(index, started)  # a process that answers many questions
            self._keep_unit_vectors(live, fingerprint)
            self.current = Snapshot.of(index, live)  # one assignment: questions see all or none
            if self._serving:  # after the swap, so the old lexicon's copy is gone first
                index.lexicon.keep_columns()
            self._save_read_snapshot(index, started)
            if self.after_swap is not None:
                self.after_swap()

    def _sharing_records(self, records: Iterable[DocumentRecord]) -> dict[str, DocumentRecord]:
        """The live documents by id, a record that did not change being the current snapshot's
        object: the store reads every record anew (some 24 MB at 10,000 resumes), and the new
        copies are otherwise kept beside the old ones until the swap."""
        held = self.current.live
        live = {}
        for record in records:
            earlier = held.get(record.document_id)
            live[record.document_id] = earlier if earlier == record else record
        return live

    def _index_for(self, live: dict[str, DocumentRecord], fingerprint: str, force: bool,
                   started: float) -> KeywordIndex:
        """The keyword index of this state: the current one caught up, the disk cache caught
        up, or a new build (whose vocabulary vectors are saved for the next build)."""
        index = self.index or KeywordIndex.load(self.index_path)
        if index is None:
            cache = self.term_vectors()
            index = KeywordIndex.build(list(self.store.live_passages()), fingerprint,
                                       self._embed_many, cache)
            index.save(self.index_path)
            self._save_term_vectors(cache)
            self._saved_at = started
            return index
        updated = index.update(live, fingerprint, self.store.passages_for, self._embed_many)
        if updated is None:
            return index
        if force or self.index is None or started - self._saved_at > self.SAVE_EVERY_S:
            updated.save(self.index_path)
            self._saved_at = started
        return updated  # a new index: searches under way keep the old one

    def _learn_across(self, index: KeywordIndex, started: float) -> None:
        """Every vocabulary word's best match in the other script, for a keyword cache written
        before the lexicon kept them (once: about 2.5 s at 10,000 resumes), saved with it."""
        index.lexicon.learn_across()
        try:
            index.save(self.index_path)
            self._saved_at = started
        except OSError:  # a read-only data directory: learned again by the next process
            log.warning("saving the keyword index failed", exc_info=True)

    def _keep_unit_vectors(self, live: dict[str, DocumentRecord], fingerprint: str) -> None:
        """Have the store read unit vectors from the matrix beside it (retrieval/unit_matrix.py):
        loaded once, and brought up to date with the live documents by a process that keeps it
        (their units read from Chroma once: about 9 s for a store of 10,000 resumes written
        before the matrix existed, then only new documents). A process that does not keep it
        uses what it holds, and lists the store's unit ids once when it misses documents, as
        before the matrix existed."""
        use = getattr(self.store, "use_unit_matrix", None)
        if use is None:  # a read snapshot: its units are one matrix already
            self._learn_unit_ids_once(live)
            return
        matrix = self._matrix or UnitMatrix.load(self.settings)
        missing = list(live) if matrix is None else matrix.missing(live)
        if missing and self._serving:
            matrix = self._extended(matrix or UnitMatrix.empty(self.settings), missing, live,
                                    fingerprint) or matrix
            missing = list(live) if matrix is None else matrix.missing(live)
        self._matrix = matrix
        use(matrix)
        if missing:
            self._learn_unit_ids_once(live)

    def _extended(self, matrix: UnitMatrix, missing: list[str], live: dict[str, DocumentRecord],
                  fingerprint: str) -> UnitMatrix | None:
        """The matrix with the missing documents' units added, or None when the store changed
        while they were read (a document removed meanwhile may have lost some of its units:
        nothing read then is kept) or the matrix could not be written."""
        try:
            return matrix.extended(self.store.unit_rows(missing), set(live), fingerprint,
                                   unchanged=lambda: self.store.fingerprint() == fingerprint)
        except OSError:  # a read-only data directory, a full disk: Chroma answers instead
            log.warning("saving the unit matrix failed", exc_info=True)
            return None

    def _learn_unit_ids_once(self, live: dict[str, DocumentRecord]) -> None:
        if not self._units_known:  # once: later documents are few
            self.store.learn_unit_ids(set(live))
            self._units_known = True

    def _save_read_snapshot(self, index: KeywordIndex, started: float) -> None:
        """The store's state for one-shot commands, which then need no Chroma
        (retrieval/snapshot.py), with the keyword index of the same state beside it."""
        from retrieval import snapshot

        try:
            if snapshot.save_if_stale(self.settings, self.store) and self._saved_at != started:
                index.save(self.index_path)
                self._saved_at = started
        except OSError:  # a read-only data directory, a full disk: questions go on without it
            logging.getLogger("recruit.snapshot").warning("saving the read snapshot failed",
                                                          exc_info=True)

    # --- vocabulary vectors of earlier builds ------------------------------------------------
    @property
    def term_vectors_path(self) -> Path:
        """Terms as JSON, vectors as .npy beside (no pickle: the data directory must not be
        able to run code in the bot)."""
        return self.settings.data_dir / "keyword" / f"terms-{file_safe(self.settings.embedding)}.json"

    def term_vectors(self) -> dict[str, np.ndarray]:
        path = self.term_vectors_path
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            vectors = np.load(path.with_name(saved["vectors"]), allow_pickle=False)
            terms = saved["terms"]
        except (OSError, ValueError, KeyError, TypeError):
            return {}
        if not isinstance(terms, list) or len(terms) != len(vectors):
            return {}  # damaged or written by something else: rebuilt, not trusted
        return dict(zip(terms, vectors))

    def _save_term_vectors(self, cache: dict[str, np.ndarray]) -> None:
        """The vectors first, in a file of their own, then the terms naming it (one step)."""
        path = self.term_vectors_path
        path.parent.mkdir(parents=True, exist_ok=True)
        terms = list(cache)
        width = len(next(iter(cache.values()))) if cache else 1
        token = f"{os.getpid()}-{time.time_ns()}"
        vectors = path.with_name(f"{path.stem}.{token}.npy")
        np.save(vectors, np.asarray([cache[t] for t in terms], dtype=np.float32).reshape(-1, width))
        tmp = path.with_name(f".{path.name}.{token}")
        tmp.write_text(json.dumps({"vectors": vectors.name, "terms": terms}, ensure_ascii=False),
                       encoding="utf-8")
        tmp.replace(path)
        for old in path.parent.glob(f"{path.stem}.*"):  # earlier vectors, the pickle of before
            if old not in (vectors, path):
                old.unlink(missing_ok=True)
