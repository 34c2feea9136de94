"""Generated resumes split by the real pipeline, and keyword indexes built and updated over them,
for the tests of the keyword index and of what a refresh keeps in memory."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np

from bench.corpus import generate
from ingest.pipeline import build_passages
from retrieval.keyword import KeywordIndex
from retrieval.types import DocumentRecord, ParsedDocument, Passage

Documents = dict[str, tuple[DocumentRecord, list[Passage]]]
Embed = Callable[[list[str]], np.ndarray]


def split_resumes(count: int, seed: int) -> Documents:
    """`count` generated resumes (English and Chinese), each split by the real pipeline."""
    out = {}
    for r in generate(count, seed=seed).resumes:
        doc = ParsedDocument(source=f"/resumes/{r.file}", text=r.text)
        record, passages = build_passages(doc, hashlib.sha1(r.text.encode()).hexdigest()[:20])
        out[record.document_id] = (record, passages)
    return out


def build_index(documents: Documents, ids: list[str], embed: Embed) -> KeywordIndex:
    return KeywordIndex.build([p for d in ids for p in documents[d][1]], "fp", embed, {})


def update_index(index: KeywordIndex, documents: Documents, ids: list[str], embed: Embed,
                 fingerprint: str = "fp2") -> KeywordIndex:
    """The index updated to hold exactly `ids` (itself when nothing changed)."""
    live = {d: documents[d][0] for d in ids}
    fetch = lambda records: [p for r in records for p in documents[r.document_id][1]]  # noqa: E731
    return index.update(live, fingerprint, fetch, embed) or index
