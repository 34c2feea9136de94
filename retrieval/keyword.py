"""Keyword (BM25) ranking beside Chroma, which has no sparse index in local mode.

The index is derived: it is built from the passages Chroma holds and kept in step with the
store's registry of documents, so Chroma stays the single source of truth. When the registry
changes (another process or replica ingested or removed documents), `update` adds the passages
of new documents and drops those of removed ones instead of rebuilding everything, so replicas
sharing one Chroma server catch up in a fraction of a second. A built index is cached on disk
under the data directory; a process that starts from an older cache catches up the same way.

Scoring is Lucene's BM25 (k1 = 1.5, b = 0.75), computed at query time from term frequencies,
document frequencies and passage lengths, so adding a document needs no re-scoring of the others.
It reproduces bm25s's "lucene" scores exactly (same float32 values), which this index replaced.
Postings live in a few immutable segments (numpy arrays): an update appends a small segment and
marks removed passages dead; segments are merged, and dead postings dropped, once there are many.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from retrieval.files import file_safe, prune_superseded
from retrieval.lexicon import Embed, Lexicon, vocabulary_of
from retrieval.tokens import tokenize
from retrieval.types import DocumentRecord, Passage

K1 = 1.5
B = 0.75
_EMPTY = "\u0000"  # the one token of a passage with no keyword tokens (it still has a length)
_MAX_SEGMENTS = 8
_FORMAT = 7  # bump when the saved layout changes: older caches are then rebuilt (4: JSON + .npy; 5: section_kind; 6: Traditional read as Simplified; 7: diacritics dropped)

FetchPassages = Callable[[Sequence[DocumentRecord]], list[Passage]]


def cache_path(data_dir: Path, collection: str, embedding: str) -> Path:
    """Where the index of a collection is cached: one file per embedder, since the lexicon holds
    the embedder's vectors (switching RECRUIT_EMBEDDING must not load another model's)."""
    return data_dir / "keyword" / f"{collection}-{file_safe(embedding)}.json"


@dataclass
class _Segment:
    """Postings of some passages: for token row r, `slots[indptr[r]:indptr[r+1]]` are the passage
    slots that contain it and `tfs[...]` how often."""

    rows: dict[str, int]
    indptr: np.ndarray
    slots: np.ndarray
    tfs: np.ndarray

    @classmethod
    def of(cls, slot_tokens: Iterable[tuple[int, list[str]]]) -> "_Segment":
        rows: dict[str, int] = {}
        row_ids: list[int] = []
        slots: list[int] = []
        tfs: list[int] = []
        for slot, tokens in slot_tokens:
            for token, tf in Counter(tokens).items():
                row_ids.append(rows.setdefault(token, len(rows)))
                slots.append(slot)
                tfs.append(tf)
        return cls._packed(rows, np.asarray(row_ids, dtype=np.int64), np.asarray(slots, dtype=np.int32),
                           np.asarray(tfs, dtype=np.float32))

    @classmethod
    def _packed(cls, rows: dict[str, int], row_ids: np.ndarray, slots: np.ndarray,
                tfs: np.ndarray) -> "_Segment":
        order = np.argsort(row_ids, kind="stable")
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_ids, minlength=len(rows)), out=indptr[1:])
        return cls(rows, indptr, slots[order], tfs[order])

    @classmethod
    def merged(cls, segments: list["_Segment"], alive: np.ndarray) -> "_Segment":
        """One segment with the live postings of all of them."""
        rows: dict[str, int] = {}
        parts = []
        for seg in segments:
            remap = np.asarray([rows.setdefault(t, len(rows)) for t in seg.rows], dtype=np.int64)
            row_ids = np.repeat(remap, np.diff(seg.indptr))
            keep = alive[seg.slots]
            parts.append((row_ids[keep], seg.slots[keep], seg.tfs[keep]))
        if not parts:
            return cls.of([])
        return cls._packed(rows, *(np.concatenate(p) for p in zip(*parts)))

    def postings(self, token: str) -> tuple[np.ndarray, np.ndarray] | None:
        row = self.rows.get(token)
        if row is None:
            return None
        start, end = self.indptr[row], self.indptr[row + 1]
        return self.slots[start:end], self.tfs[start:end]


@dataclass
class KeywordIndex:
    fingerprint: str
    passages: list[Passage | None] = field(default_factory=list)  # by slot; None = removed
    document_frequency: Counter = field(default_factory=Counter)  # live passages per token
    lexicon: Lexicon = field(default_factory=Lexicon)
    position: dict[str, int] = field(default_factory=dict)  # passage id -> slot
    document_tokens: dict[str, frozenset[str]] = field(default_factory=dict)
    documents: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id -> labels
    slots_of: dict[str, list[int]] = field(default_factory=dict)  # document id -> slots
    term_counts: Counter = field(default_factory=Counter)  # lexicon vocabulary, passages per term
    lengths: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    alive: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    segments: list[_Segment] = field(default_factory=list)
    total_length: int = 0
    live_count: int = 0
    format: int = _FORMAT

    # --- building and updating ---------------------------------------------------------
    @classmethod
    def build(cls, passages: list[Passage], fingerprint: str, embed: Embed,
              vector_cache: dict[str, np.ndarray]) -> "KeywordIndex":
        index = cls(fingerprint=fingerprint)
        index._add(passages)
        index.lexicon = Lexicon.build(set(index.term_counts), embed, vector_cache)
        index.lexicon.learn_across()  # a question's expansions then read one script's vectors
        return index

    def update(self, live: dict[str, DocumentRecord], fingerprint: str, fetch: FetchPassages,
               embed: Embed) -> "KeywordIndex | None":
        """The index caught up with the registry `live` (document id -> record): the passages of
        new documents added (read with `fetch`), those of removed ones dropped, documents whose
        candidate changed relabelled. Returns a new index, or None when nothing changed; this
        one is left as it was, so searches running in other threads are not disturbed."""
        removed = [d for d in self.documents if d not in live]
        added = [r for d, r in live.items() if d not in self.documents]
        relabelled = [r for d, r in live.items()
                      if d in self.documents and self.documents[d] != _labels(r)]
        if not (removed or added or relabelled):
            self.fingerprint = fingerprint
            return None
        new = self._copy()
        new.fingerprint = fingerprint
        new._remove(removed)
        for record in relabelled:
            new._relabel(record)
        new._add(fetch(added) if added else [])
        if len(new.segments) > _MAX_SEGMENTS or new._dead_share() > 0.5:
            new.segments = [_Segment.merged(new.segments, new.alive)]
        new._refresh_lexicon(embed)
        return new

    def _copy(self) -> "KeywordIndex":
        """A copy whose containers can be changed without touching this index (segments and
        passages are immutable and shared)."""
        return replace(self, passages=list(self.passages), position=dict(self.position),
                       document_frequency=Counter(self.document_frequency),
                       document_tokens=dict(self.document_tokens), documents=dict(self.documents),
                       slots_of=dict(self.slots_of), term_counts=Counter(self.term_counts),
                       alive=self.alive.copy(), segments=list(self.segments))

    def _add(self, passages: list[Passage]) -> None:
        if not passages:
            return
        first = len(self.passages)
        corpus = []
        by_document: dict[str, set[str]] = {}
        for offset, p in enumerate(passages):
            slot = first + offset
            tokens = tokenize(_indexed_text(p))
            corpus.append((slot, tokens or [_EMPTY]))
            self.passages.append(p)
            self.position[p.id] = slot
            self.slots_of[p.document_id] = self.slots_of.get(p.document_id, []) + [slot]
            self.document_frequency.update(set(tokens))
            self.term_counts.update(vocabulary_of([p.text]))
            by_document.setdefault(p.document_id, set()).update(tokens)
            self.documents[p.document_id] = _labels(p)
        lengths = np.asarray([len(tokens) for _, tokens in corpus], dtype=np.int64)
        self.lengths = np.concatenate([self.lengths, lengths])
        self.alive = np.concatenate([self.alive, np.ones(len(corpus), dtype=bool)])
        self.total_length += int(lengths.sum())
        self.live_count += len(corpus)
        self.segments.append(_Segment.of(corpus))
        for document_id, tokens in by_document.items():
            self.document_tokens[document_id] = frozenset(tokens | self.document_tokens.get(document_id, set()))

    def _remove(self, document_ids: list[str]) -> None:
        for document_id in document_ids:
            for slot in self.slots_of.pop(document_id, []):
                p = self.passages[slot]
                self.passages[slot] = None
                self.position.pop(p.id, None)
                self.alive[slot] = False
                self.total_length -= int(self.lengths[slot])
                self.live_count -= 1
                self.document_frequency.subtract(set(tokenize(_indexed_text(p))))
                self.term_counts.subtract(vocabulary_of([p.text]))
            self.documents.pop(document_id, None)
            self.document_tokens.pop(document_id, None)
        self.document_frequency = +self.document_frequency  # drop zero counts
        self.term_counts = +self.term_counts

    def _relabel(self, record: DocumentRecord) -> None:
        update = {"source": record.source, "candidate_id": record.candidate_id,
                  "candidate_name": record.candidate_name}
        for slot in self.slots_of.get(record.document_id, []):
            self.passages[slot] = self.passages[slot].model_copy(update=update)
        self.documents[record.document_id] = _labels(record)

    def _refresh_lexicon(self, embed: Embed) -> None:
        """Rebuild the lexicon from its vocabulary, embedding only words it has not seen."""
        if set(self.lexicon.terms) == set(self.term_counts):
            return
        earlier = self.lexicon
        earlier.drop_columns()  # replaced: its copy by column is not kept beside the new one's
        known = {t: v for t, v in zip(earlier.terms, earlier.vectors)}
        self.lexicon = Lexicon.build(set(self.term_counts), embed, known)
        if earlier.across is not None:  # kept up to date where it was learned: only the
            self.lexicon.learn_across(earlier)  # changed words are compared

    def _dead_share(self) -> float:
        return 1.0 - self.live_count / len(self.passages) if self.passages else 0.0

    # --- queries -----------------------------------------------------------------------
    def search(self, terms: list[str], limit: int) -> list[tuple[Passage, float]]:
        """Best passages for a list of query terms, by BM25 score (only positive scores)."""
        known = [t for t in terms if self.document_frequency.get(t, 0) > 0]
        if not known or not self.live_count:
            return []
        scores = self.scores(known)
        top = np.argsort(-scores)[:limit]
        return [(self.passages[i], float(scores[i])) for i in top if scores[i] > 0]

    def scores(self, terms: list[str]) -> np.ndarray:
        """BM25 (Lucene variant) of every slot for the terms, in float32 as bm25s computes it:
        each term's score per passage is rounded to float32, then the terms are summed in order."""
        n = self.live_count
        average = np.float64(self.total_length) / np.float64(n)  # numpy float64, like bm25s
        scores = np.zeros(len(self.passages), dtype=np.float32)
        for term in terms:
            df = self.document_frequency.get(term, 0)
            if not df:
                continue
            idf = np.float32(math.log(1 + (n - df + 0.5) / (df + 0.5)))
            for segment in self.segments:
                found = segment.postings(term)
                if found is None:
                    continue
                slots, tfs = found
                live = self.alive[slots]
                slots, tfs = slots[live], tfs[live]
                norm = K1 * ((1 - B) + B * self.lengths[slots] / average)
                scores[slots] += (idf * (tfs / (norm + tfs))).astype(np.float32)
        return scores

    def has_word(self, word: str) -> bool:
        """Whether a live passage holds every token of this word."""
        tokens = tokenize(word)
        return bool(tokens) and all(self.document_frequency.get(t, 0) > 0 for t in tokens)

    def idf(self, token: str) -> float:
        """Inverse document frequency over passages; unseen tokens get the highest weight."""
        n = self.live_count
        return math.log((n + 1) / (self.document_frequency.get(token, 0) + 0.5))

    def passage(self, passage_id: str) -> Passage | None:
        """The live passage with this id, as indexed (labelled by its registry record)."""
        slot = self.position.get(passage_id)
        return self.passages[slot] if slot is not None else None

    # --- disk cache --------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """The index as JSON and .npy files (no pickle: a cache in the data directory must not
        be able to run code in the bot) in a folder of their own, then `path` (a small JSON
        file: what the cache holds, for `recruit status`, and which folder) replaced in one
        step, so a reader sees the old or the new index. `load` memory-maps the arrays."""
        path.parent.mkdir(parents=True, exist_ok=True)
        token = f"{os.getpid()}-{time.time_ns()}"
        folder = path.with_name(f"{path.stem}.{token}")
        folder.mkdir()
        arrays = {"lengths": self.lengths, "alive": self.alive,
                  "lexicon_vectors": np.ascontiguousarray(self.lexicon.vectors, dtype=np.float32),
                  "lexicon_cjk": np.asarray(self.lexicon.cjk, dtype=bool)}
        if self.lexicon.across is not None:  # optional: a cache written without them loads
            arrays.update(lexicon_across=self.lexicon.across, lexicon_partner=self.lexicon.partner)
        for i, seg in enumerate(self.segments):
            arrays.update({f"seg{i}_indptr": seg.indptr, f"seg{i}_slots": seg.slots,
                           f"seg{i}_tfs": seg.tfs})
        for name, array in arrays.items():
            np.save(folder / f"{name}.npy", np.ascontiguousarray(array))
        state = {"passages": (_passage_row(p) for p in self.passages),
                 "document_frequency": self.document_frequency.items(),
                 "term_counts": self.term_counts.items(),
                 "document_tokens": ((d, sorted(t)) for d, t in self.document_tokens.items()),
                 "lexicon_terms": self.lexicon.terms,
                 "segment_rows": ([*seg.rows] for seg in self.segments)}
        _write_state(folder / "state.json", state, mappings={"document_frequency", "term_counts",
                                                             "document_tokens"})
        about = {"format": self.format, "folder": folder.name, "fingerprint": self.fingerprint,
                 "passages": self.live_count, "documents": len(self.documents),
                 "terms": len(self.lexicon.terms), "total_length": self.total_length,
                 "saved_at": time.time()}
        pointer = path.with_suffix(".json")
        replaced = (KeywordIndex.about(path) or {}).get("folder")
        tmp = pointer.with_name(f".{pointer.name}.{token}")
        tmp.write_text(json.dumps(about), encoding="utf-8")
        tmp.replace(pointer)  # the commit point
        prune_superseded(path.parent.glob(f"{path.stem}.*"),  # earlier folders and formats
                         keep={folder.name, pointer.name, str(replaced)})

    @staticmethod
    def about(path: Path) -> dict | None:
        """What the cache at `path` holds (fingerprint, passages, documents, terms, saved_at)."""
        try:
            about = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return about if isinstance(about, dict) else None

    @staticmethod
    def load(path: Path) -> "KeywordIndex | None":
        """The cached index, whatever state of the store it reflects (`update` catches it up);
        None when there is none, it is damaged, or another version of this module wrote it."""
        about = KeywordIndex.about(path)
        if about is None or about.get("format") != _FORMAT:
            return None
        try:
            return _read(path.with_name(str(about["folder"])), about)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None


_STATE_CHUNK = 1_000  # items encoded at a time by `_write_state` (10,000 resumes: 7 MB at most)


def _write_state(path: Path, state: dict[str, Iterable], mappings: set[str]) -> None:
    """`json.dumps(state)` written a few thousand items at a time (the same text): encoded at
    once, the state of 10,000 resumes (their passages' texts, every token's counts) took some
    120-150 MB more for the moment of each save, on top of the old and the new index. The
    values named in `mappings` are (key, value) pairs written as a JSON object, the others
    items of a list."""
    def encoded(items: Iterable) -> str:
        return json.dumps(items, ensure_ascii=False, separators=(",", ":"))[1:-1]

    with path.open("w", encoding="utf-8") as f:
        for n, (name, values) in enumerate(state.items()):
            mapping = name in mappings
            f.write(("{" if n == 0 else ",") + json.dumps(name) + (":{" if mapping else ":["))
            values, first = iter(values), True
            while chunk := list(itertools.islice(values, _STATE_CHUNK)):
                f.write(("" if first else ",") + encoded(dict(chunk) if mapping else chunk))
                first = False
            f.write("}" if mapping else "]")
        f.write("}" if state else "{}")


def _read(folder: Path, about: dict) -> KeywordIndex:
    def array(name: str, mapped: bool = False) -> np.ndarray:
        return np.load(folder / f"{name}.npy", mmap_mode="r" if mapped else None,
                       allow_pickle=False)

    state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    passages = [None if row is None else _passage_of(row) for row in state["passages"]]
    position, slots_of, documents = {}, {}, {}
    for slot, p in enumerate(passages):
        if p is not None:
            position[p.id] = slot
            slots_of.setdefault(p.document_id, []).append(slot)
            documents[p.document_id] = _labels(p)
    segments = [_Segment({t: r for r, t in enumerate(rows)}, array(f"seg{i}_indptr"),
                         array(f"seg{i}_slots"), array(f"seg{i}_tfs"))
                for i, rows in enumerate(state["segment_rows"])]
    alive = array("alive")
    across = (array("lexicon_across"), array("lexicon_partner")) \
        if (folder / "lexicon_across.npy").is_file() else (None, None)  # older caches: none
    lexicon = Lexicon(terms=state["lexicon_terms"], vectors=np.asarray(array("lexicon_vectors", True)),
                      cjk=array("lexicon_cjk"), across=across[0], partner=across[1])
    # (the vectors' pages are read on use)
    if len(lexicon.terms) != len(lexicon.vectors) or len(alive) != len(passages) or \
            across[0] is not None and not len(across[0]) == len(across[1]) == len(lexicon.terms):
        raise ValueError("inconsistent cache")
    return KeywordIndex(
        fingerprint=str(about["fingerprint"]), passages=passages,
        document_frequency=Counter(state["document_frequency"]), lexicon=lexicon,
        position=position, document_tokens={d: frozenset(t) for d, t in state["document_tokens"].items()},
        documents=documents, slots_of=slots_of, term_counts=Counter(state["term_counts"]),
        lengths=array("lengths"), alive=alive.copy(), segments=segments,
        total_length=int(about["total_length"]), live_count=int(about["passages"]))


_PASSAGE_FIELDS = ("id", "document_id", "candidate_id", "candidate_name", "source", "page",
                   "section", "start", "end", "text", "section_kind")


def _passage_row(p: Passage | None) -> list | None:
    return None if p is None else [getattr(p, f) for f in _PASSAGE_FIELDS]


def _passage_of(row: list) -> Passage:
    """A passage as saved by this module (no validation: it wrote them from valid ones)."""
    if len(row) != len(_PASSAGE_FIELDS):
        raise ValueError("not a passage row")
    return Passage.model_construct(**dict(zip(_PASSAGE_FIELDS, row)))


def _labels(item: DocumentRecord | Passage) -> tuple[str, str, str]:
    """What a passage shows of its document's registry record."""
    return item.source, item.candidate_id, item.candidate_name


def _indexed_text(p: Passage) -> str:
    return f"{p.section or ''}\n{p.text}"
