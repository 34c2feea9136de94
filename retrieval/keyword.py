"""Keyword (BM25) ranking beside Chroma, which has no sparse index in local mode.

The index is derived: it is built from the passages Chroma holds and rebuilt whenever the
store's fingerprint changes, so Chroma stays the single source of truth. A built index is
cached on disk under the data directory, keyed by that fingerprint.
"""

from __future__ import annotations

import math
import pickle
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np

from retrieval.lexicon import Embed, Lexicon, vocabulary_of
from retrieval.tokens import tokenize
from retrieval.types import Passage


@dataclass
class KeywordIndex:
    fingerprint: str
    passages: list[Passage]
    token_sets: list[frozenset[str]] = field(default_factory=list)
    document_frequency: Counter = field(default_factory=Counter)
    lexicon: Lexicon = field(default_factory=Lexicon)
    position: dict[str, int] = field(default_factory=dict)
    document_tokens: dict[str, frozenset[str]] = field(default_factory=dict)
    _bm25: bm25s.BM25 | None = None

    @classmethod
    def build(cls, passages: list[Passage], fingerprint: str, embed: Embed,
              vector_cache: dict[str, np.ndarray]) -> "KeywordIndex":
        corpus = [tokenize(_indexed_text(p)) for p in passages]
        token_sets = [frozenset(tokens) for tokens in corpus]
        lexicon = Lexicon.build(vocabulary_of(p.text for p in passages), embed, vector_cache)
        index = cls(fingerprint=fingerprint, passages=passages, token_sets=token_sets,
                    document_frequency=Counter(t for ts in token_sets for t in ts), lexicon=lexicon,
                    position={p.id: i for i, p in enumerate(passages)},
                    document_tokens=_union_by_document(passages, token_sets))
        if any(corpus):
            index._bm25 = bm25s.BM25()
            index._bm25.index([tokens or ["\u0000"] for tokens in corpus], show_progress=False)
        return index

    def search(self, terms: list[str], limit: int) -> list[tuple[Passage, float]]:
        """Best passages for a list of query terms, by BM25 score (only positive scores)."""
        if self._bm25 is None:
            return []
        known = [t for t in terms if t in self._bm25.vocab_dict]
        if not known:
            return []
        scores = self._bm25.get_scores(known)
        top = np.argsort(-scores)[:limit]
        return [(self.passages[i], float(scores[i])) for i in top if scores[i] > 0]

    def idf(self, token: str) -> float:
        """Inverse document frequency over passages; unseen tokens get the highest weight."""
        n = len(self.passages)
        return math.log((n + 1) / (self.document_frequency.get(token, 0) + 0.5))

    def tokens_of(self, passage_id: str) -> frozenset[str] | None:
        i = self.position.get(passage_id)
        return self.token_sets[i] if i is not None else None

    # --- disk cache --------------------------------------------------------------------
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)  # atomic: a reader sees the old or the new index

    @staticmethod
    def load(path: Path, fingerprint: str) -> "KeywordIndex | None":
        try:
            with path.open("rb") as f:
                index = pickle.load(f)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
            return None
        return index if isinstance(index, KeywordIndex) and index.fingerprint == fingerprint else None


def _union_by_document(passages: list[Passage],
                       token_sets: list[frozenset[str]]) -> dict[str, frozenset[str]]:
    merged: dict[str, set[str]] = {}
    for p, tokens in zip(passages, token_sets):
        merged.setdefault(p.document_id, set()).update(tokens)
    return {doc: frozenset(tokens) for doc, tokens in merged.items()}


def _indexed_text(p: Passage) -> str:
    return f"{p.section or ''}\n{p.text}"
