"""The store's unit vectors (one normalized row per line or sentence) kept beside it as
memory-mapped matrices, so a question reads its best candidates' lines without asking Chroma.

A question weighs every line of its twenty best candidates' documents (`Store.line_similarities`);
read from Chroma, a first-time question spent about 15 ms of its 60 on that at 10,000 resumes
(and a few more on the lines of passages found by keywords only). Here each document's units
are rows of one float32 matrix, exactly as the store reads and normalizes them, so a document's
lines are a slice of a file the page cache holds.

The matrix is content-addressed: a passage id names its content (the document id is a content
hash), so a document's rows never go stale, whatever the store's state. It is kept in
segments (`data_dir/vectors/<collection>-<embedding>/<segment>/`), each written once: a
document stored later goes into a new small segment, a removed one is left in place (never
asked for) until the segments are merged, and a `current.json` pointer names the live segments,
replaced in one step. A document the matrix does not hold is read from Chroma as before.
Nothing here imports chromadb: the rows to add come from `Store.unit_rows`.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.files import (dump_new_private, file_safe, make_private, prune_superseded,
                             read_pointer, write_private)
from retrieval.settings import Settings

FORMAT = 1  # bump when the layout changes: older matrices are then rebuilt
_POINTER = "current.json"
_MAX_SEGMENTS = 8  # merged beyond this many, or when half the rows belong to removed documents
# Rows up to which a question compares its vector with every row (`nearest`) instead of asking
# Chroma's HNSW index: the read snapshot's bound (retrieval/snapshot.py MAX_UNITS), so the bot,
# a one-shot command reading the snapshot and a store built again all answer alike. HNSW is
# approximate, and its graph differs from build to build: on the four-resume store of
# tests/retrieval/test_snapshot.py it missed a passage's best line, or a whole passage, in about
# 1 build of 60. `nearest` at 50,000 rows (1,000 documents): 5 ms median a question on this
# machine, page cache warm, about what HNSW takes.
MAX_EXACT_UNITS = 50_000

# (document id, [(passage id, its units' normalized vectors, one row each)]): what one
# document adds, passages in the order `Store` reads them (by passage id).
DocumentRows = tuple[str, list[tuple[str, np.ndarray]]]
DocumentUnits = tuple[tuple[str, ...], np.ndarray, np.ndarray]  # passage ids, passage of each row, rows


def directory(settings: Settings) -> Path:
    """One matrix per collection and embedder (the rows are that model's vectors)."""
    return settings.data_dir / "vectors" / \
        f"{file_safe(settings.collection)}-{file_safe(settings.embedding)}"


@dataclass(frozen=True)
class _Segment:
    """Some documents' units: passage p's rows are `vectors[offsets[p]:offsets[p + 1]]`, and a
    document's passages are consecutive (`documents`: document id -> first and end passage)."""

    name: str
    passage_ids: list[str]
    offsets: np.ndarray  # int64, one more than passages
    vectors: np.ndarray  # float32, memory-mapped
    documents: dict[str, tuple[int, int]]

    @classmethod
    def read(cls, folder: Path) -> "_Segment":
        about = json.loads((folder / "index.json").read_text(encoding="utf-8"))
        offsets = np.asarray(about["offsets"], dtype=np.int64)
        rows, dim = int(offsets[-1]), int(about["dim"])
        path = folder / "vectors.f32"
        if path.stat().st_size != rows * dim * 4 or len(offsets) != len(about["passages"]) + 1:
            raise ValueError("incomplete segment")
        vectors = np.asarray(np.memmap(path, dtype="<f4", mode="r", shape=(rows, dim))) \
            if rows else np.zeros((0, max(dim, 1)), dtype=np.float32)
        documents = {d: (int(a), int(b)) for d, a, b in about["documents"]}
        return cls(folder.name, list(about["passages"]), offsets, vectors, documents)


class UnitMatrix:
    """The unit vectors of the documents it holds, by document or by passage."""

    def __init__(self, root: Path, segments: list[_Segment], dim: int):
        self.root, self.segments, self.dim = root, segments, dim
        self._documents: dict[str, tuple[_Segment, int, int]] = {}
        self._passages: dict[str, tuple[_Segment, int]] = {}
        self._ranked: tuple[list[str], np.ndarray] | None = None  # see `_ranked_passages`
        for segment in segments:  # a later segment's copy of a document wins (the same rows)
            for document_id, (first, end) in segment.documents.items():
                self._documents[document_id] = (segment, first, end)
                self._passages.update((segment.passage_ids[p], (segment, p)) for p in range(first, end))

    # --- reading -------------------------------------------------------------------------
    def __contains__(self, document_id: str) -> bool:
        return document_id in self._documents

    def __len__(self) -> int:
        return len(self._documents)

    def missing(self, document_ids: Iterable[str]) -> list[str]:
        return [d for d in document_ids if d not in self._documents]

    @property
    def rows(self) -> int:
        return sum(int(s.offsets[-1]) for s in self.segments)

    def answers_exactly(self, live: Iterable[str]) -> bool:
        """Whether `nearest` serves these live documents: it holds them all, and is small."""
        return self.rows <= MAX_EXACT_UNITS and not self.missing(live)

    def nearest(self, vector: Sequence[float], limit: int,
                live: Container[str]) -> list[tuple[str, float]]:
        """The passages of live documents whose closest unit is nearest to the vector, with
        that similarity, every unit compared; as the read snapshot ranks them (ties in
        document and passage order)."""
        q = unit_vector(vector)
        best = np.concatenate([best_per_passage(s.vectors, s.offsets, q) for s in self.segments]
                              or [np.zeros(0, np.float32)])
        ids, where = self._ranked_passages()
        best = best[where]
        chosen: list[tuple[str, float]] = []
        for i in np.argsort(-best, kind="stable"):
            if not np.isfinite(best[i]) or len(chosen) >= limit:
                break
            if ids[i].rpartition(":")[0] in live:
                chosen.append((ids[i], float(best[i])))
        return chosen

    def _ranked_passages(self) -> tuple[list[str], np.ndarray]:
        """The passages held for their documents (a document's latest copy), in document and
        passage order, with each one's position among all segments' passages."""
        if self._ranked is None:
            starts = np.cumsum([0] + [len(s.passage_ids) for s in self.segments])
            first_of = {s.name: int(start) for s, start in zip(self.segments, starts)}
            held = []  # (document id, passage number, passage id, position)
            for segment, first, end in self._documents.values():
                for p in range(first, end):
                    pid = segment.passage_ids[p]
                    document_id, _, number = pid.rpartition(":")
                    held.append((document_id, int(number), pid, first_of[segment.name] + p))
            held.sort()
            self._ranked = ([h[2] for h in held], np.asarray([h[3] for h in held], dtype=np.int64))
        return self._ranked

    def document_units(self, document_id: str) -> DocumentUnits | None:
        """(passage ids, passage of each unit, unit vectors) of a document, as `Store` builds
        them from Chroma; the vectors are a slice of the mapped file."""
        held = self._documents.get(document_id)
        if held is None or held[1] == held[2]:
            return None
        segment, first, end = held
        offsets = segment.offsets
        counts = np.diff(offsets[first:end + 1])
        return (tuple(segment.passage_ids[first:end]), np.repeat(np.arange(end - first), counts),
                segment.vectors[offsets[first]:offsets[end]])

    def passage_units(self, passage_id: str) -> np.ndarray | None:
        held = self._passages.get(passage_id)
        if held is None:
            return None
        segment, p = held
        return segment.vectors[segment.offsets[p]:segment.offsets[p + 1]]

    @classmethod
    def load(cls, settings: Settings) -> "UnitMatrix | None":
        """The saved matrix, or None (none saved, damaged, or of another layout)."""
        root = directory(settings)
        about = read_pointer(root / _POINTER, FORMAT)
        if about is None:
            return None
        try:
            names = [str(n) for n in about["segments"]]
            if any(Path(n).name != n or n.startswith(".") for n in names):
                return None  # plain folder names beside the pointer, nothing elsewhere
            return cls(root, [_Segment.read(root / n) for n in names], int(about["dim"]))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # pruned by a newer save meanwhile, or damaged: Chroma answers

    # --- writing -------------------------------------------------------------------------
    @classmethod
    def empty(cls, settings: Settings) -> "UnitMatrix":
        return cls(directory(settings), [], 0)

    def extended(self, rows: Iterable[DocumentRows], live: set[str], fingerprint: str,
                 unchanged: Callable[[], bool] = lambda: True) -> "UnitMatrix | None":
        """A matrix that also holds these documents' rows: written as a new segment, then the
        pointer replaced (merged into one segment of the `live` documents when there are many
        segments or many removed documents). None, and nothing kept, when `unchanged` says the
        store changed while the rows were read. This one is left as it was."""
        make_private(self.root.parent)
        make_private(self.root)
        added = _write_segment(self.root, rows)
        if not unchanged():
            if added is not None:
                shutil.rmtree(self.root / added.name)
            return None
        segments = self.segments + ([added] if added is not None else [])
        dim = self.dim or (added.vectors.shape[1] if added is not None else 0)
        new = self._with(added, segments, dim)
        held = sum(int(s.offsets[-1]) for s in segments)
        live_rows = sum(int(s.offsets[e] - s.offsets[f]) for d, (s, f, e) in
                        new._documents.items() if d in live)
        if len(segments) > _MAX_SEGMENTS or held and live_rows < held / 2:
            segments = [_write_segment(self.root, new._rows_of(sorted(d for d in new._documents
                                                                      if d in live)))]
            segments = [s for s in segments if s is not None]
            new = None
        write_private(self.root / _POINTER, json.dumps({
            "format": FORMAT, "segments": [s.name for s in segments], "dim": dim,
            "fingerprint": fingerprint, "documents": len(live), "saved_at": time.time()}))
        prune_superseded((p for p in self.root.iterdir() if p.is_dir()),
                         keep={s.name for s in segments} | {s.name for s in self.segments})
        return new if new is not None else UnitMatrix(self.root, segments, dim)

    def _with(self, added: _Segment | None, segments: list[_Segment], dim: int) -> "UnitMatrix":
        """This matrix and the `added` segment: its maps copied (their entries shared) and the
        new segment's documents laid over them, as the constructor would find them, instead of
        built again from every segment (a map of 200,000 passages at 10,000 resumes)."""
        new = UnitMatrix(self.root, [], dim)
        new.segments = segments
        new._documents, new._passages = dict(self._documents), dict(self._passages)
        if added is not None:
            for document_id, (first, end) in added.documents.items():
                new._documents[document_id] = (added, first, end)
                new._passages.update((added.passage_ids[p], (added, p)) for p in range(first, end))
        return new

    def _rows_of(self, document_ids: Sequence[str]) -> Iterable[DocumentRows]:
        for document_id in document_ids:
            units = self.document_units(document_id)
            if units is None:
                yield document_id, []
                continue
            passage_ids, passage_of, vectors = units
            bounds = np.searchsorted(passage_of, np.arange(len(passage_ids) + 1))
            yield document_id, [(pid, vectors[bounds[i]:bounds[i + 1]])
                                for i, pid in enumerate(passage_ids)]


def best_per_passage(units: np.ndarray, offsets: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Each passage's best unit similarity (passage p's units are rows offsets[p]:offsets[p+1]);
    -inf for a passage without units."""
    if not len(units):  # (a segment of documents without units has no columns either)
        return np.full(len(offsets) - 1, -np.inf, dtype=np.float32)
    sims = np.asarray(units @ q, dtype=np.float32)
    starts, counts = offsets[:-1], np.diff(offsets)
    best = np.full(len(counts), -np.inf, dtype=np.float32)
    held = counts > 0
    if held.any():
        best[held] = np.maximum.reduceat(sims, starts[held])
    return best


def unit_vector(vector: Sequence[float]) -> np.ndarray:
    q = np.asarray(vector, dtype=np.float32)
    return q / (np.linalg.norm(q) or 1.0)


def _write_segment(root: Path, rows: Iterable[DocumentRows]) -> _Segment | None:
    """The rows in a new segment folder, written as they come (never all in memory); None when
    there were none."""
    folder = root / f"{os.getpid()}-{time.time_ns()}"
    folder.mkdir(mode=0o700)
    passage_ids: list[str] = []
    offsets = [0]
    documents: list[tuple[str, int, int]] = []
    dim = 0
    fd = os.open(folder / "vectors.f32", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        for document_id, passages in rows:
            first = len(passage_ids)
            for passage_id, vectors in passages:
                if not len(vectors):
                    continue
                dim = dim or vectors.shape[1]
                f.write(np.ascontiguousarray(vectors, dtype="<f4").tobytes())
                passage_ids.append(passage_id)
                offsets.append(offsets[-1] + len(vectors))
            documents.append((document_id, first, len(passage_ids)))  # none: it has no units
    if not documents:
        shutil.rmtree(folder)
        return None
    dump_new_private(folder / "index.json",
                     {"dim": dim, "passages": passage_ids, "offsets": offsets, "documents": documents})
    return _Segment.read(folder)


