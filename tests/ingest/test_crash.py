"""Crash safety with a real process and a real SIGKILL, and queries during another process's ingest.

`recruit ingest` runs as a subprocess over a batch of generated resumes and is killed (SIGKILL,
no chance to clean up) once some but not all documents are stored. Whatever step it was at,
every registered document must then be whole (all its passages and units, its text slices
matching), nothing of a half-written document may be found, the keyword index must catch up to
exactly what Chroma holds, and re-running the ingest must complete the batch.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from chromadb.api.client import SharedSystemClient

from bench.corpus import Corpus, generate
from ingest.readers import parse_document
from bot.assistant import Assistant
from retrieval.keyword import KeywordIndex
from retrieval.store import Store
from tests.chroma_server import ChromaServer, running_chroma
from tests.conftest import ingest, make_settings
from tests.retrieval.test_store import content_id, expected_counts, stored_ids

BATCH = 32
FIRST = 8  # files stored before the first kill
OUTCOME = re.compile(r"^\s*(added|updated|unchanged|duplicate|failed)\s+(\S+)")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, list[Path]]:
    corpus = generate(BATCH, seed=5)
    folder = tmp_path_factory.mktemp("batch")
    return corpus, corpus.write(folder)


def recruit_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECRUIT_")}
    env.update(NO_COLOR="1", COLUMNS="200", PYTHONUNBUFFERED="1", **extra)
    return env


def recruit_exe() -> str:
    exe = Path(sys.executable).parent / "recruit"
    assert exe.exists(), f"console script missing: {exe} (pip install -e .)"
    return str(exe)


def ingest_and_kill(paths: list[Path], env: dict[str, str], after: int, delay: float) -> list[str]:
    """Run `recruit ingest`, SIGKILL it `delay` s after its `after`-th stored file; return the
    outcome lines it printed. Fails if the batch finished before the kill."""
    process = subprocess.Popen([recruit_exe(), "ingest", *map(str, paths)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               encoding="utf-8", start_new_session=True)
    outcomes: list[str] = []
    try:
        for line in process.stdout:
            if OUTCOME.match(line):
                outcomes.append(line.strip())
            if len(outcomes) >= after:
                time.sleep(delay)  # somewhere inside the next file: parse, embed or a write
                break
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        process.stdout.close()
    assert process.returncode == -signal.SIGKILL, "the ingest ended before it could be killed"
    return outcomes


def check_consistent(settings, embeddings, corpus: Corpus, paths: list[Path]) -> Assistant:
    """The invariants a crash must not break (checked on a store no process is writing)."""
    SharedSystemClient.clear_system_cache()  # open it afresh from disk: another process wrote it
    store = Store(settings)
    records = store.documents()
    by_source = {str(p.resolve()): p for p in paths}
    for record in records:  # every registered document is whole
        path = by_source[record.source]
        assert record.document_id == content_id(path)
        passages, units = expected_counts(path)
        stored = store.passages_of([record.document_id])
        text = store.document_text(record.source)
        assert text == parse_document(path).text
        assert record.passages == passages == len(stored)
        assert all(text[p.start:p.end] == p.text for p in stored)
        got = store._units.get(where={"document_id": record.document_id}, include=["metadatas"])
        assert len(got["ids"]) == units
        assert {m["passage_id"] for m in got["metadatas"]} <= {p.id for p in stored}
    live = {r.document_id for r in records}
    assert {p.document_id for p in store.live_passages()} == live

    assistant = Assistant(settings, embeddings=embeddings)
    assistant.refresh(force=True)  # built, or loaded from the cache of an earlier state and caught up
    index = assistant.index.index
    passages = list(store.live_passages())
    assert set(index.position) == {p.id for p in passages}
    assert index.live_count == sum(r.passages for r in records)
    fresh = KeywordIndex.build(passages, "fresh", lambda texts: np.ones((len(texts), 2)), {})
    assert index.document_frequency == fresh.document_frequency
    assert set(index.documents) == live

    partial = stored_ids(store)[0] - live  # a half-written document's passages, if any
    for question in corpus.questions[::2]:  # nothing half-written is ever cited
        for hit in assistant.ask(question.text).candidates:
            for c in hit.citations:
                assert c.passage_id.split(":")[0] in live
                assert store.document_text(c.source)[c.start:c.end] == c.quote
    for document_id in partial:
        assert document_id not in index.documents
        orphan = store._passages.get(where={"document_id": document_id}, include=["documents"])
        vector = assistant.embeddings.embed_query(orphan["documents"][0])
        assert all(p.document_id != document_id
                   for p, _ in store.dense_search(vector, 50, assistant.index.live))
    return assistant


@pytest.mark.slow  # several processes: `pytest -m 'not slow'` skips it
def test_sigkill_mid_batch_leaves_whole_documents_and_a_rerun_completes(
        batch, tmp_path: Path, embeddings) -> None:
    corpus, paths = batch
    settings = make_settings(tmp_path / "data")
    env = recruit_env(RECRUIT_DATA_DIR=str(settings.data_dir))

    first = ingest_and_kill(paths, env, after=FIRST, delay=0.05)
    SharedSystemClient.clear_system_cache()
    stored = len(Store(settings).documents())
    assert FIRST <= stored < BATCH, first
    check_consistent(settings, embeddings, corpus, paths)  # builds and caches the keyword index

    second = ingest_and_kill(paths, env, after=stored + 6, delay=0.2)  # killed again, elsewhere
    assert sum("unchanged" in line for line in second) >= stored
    check_consistent(settings, embeddings, corpus, paths)  # the cached index catches up

    rerun = subprocess.run([recruit_exe(), "ingest", *map(str, paths)], env=env,
                           capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    SharedSystemClient.clear_system_cache()
    statuses = [m.group(1) for m in map(OUTCOME.match, rerun.stdout.splitlines()) if m]
    assert len(statuses) == BATCH and set(statuses) <= {"added", "unchanged"}
    store = Store(settings)
    assert len(store.documents()) == BATCH
    assert store._passages.count() == sum(r.passages for r in store.documents())  # orphans swept
    assert stored_ids(store)[0] == stored_ids(store)[1] == {r.document_id for r in store.documents()}
    check_consistent(settings, embeddings, corpus, paths)


# ---------------------------------------------------------------------------------------------
# Queries while another process ingests (they share a Chroma server)


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    with running_chroma(tmp_path_factory.mktemp("chroma-server")) as server:
        yield server


@pytest.mark.slow  # several processes: `pytest -m 'not slow'` skips it
def test_queries_keep_answering_correctly_while_another_process_ingests(
        batch, chroma: ChromaServer, tmp_path: Path, embeddings) -> None:
    corpus, paths = batch
    asked = [q for q in corpus.questions if q.kind == "who_has"][:6:2]
    base = {stem for q in asked for stem in q.relevant}
    first = [p for p in paths if p.stem in base]
    later = [p for p in paths if p.stem not in base][:16]
    settings = make_settings(tmp_path / "data", chroma_host=chroma.host, chroma_port=chroma.port,
                             collection="concurrent")
    replica = Assistant(settings, embeddings=embeddings)
    ingest(replica, *first)
    replica.warm()
    names = {Path(r.file).stem: r.name for r in corpus.resumes}
    expected = {q.text: {names[s] for s in q.relevant} for q in asked}
    answered = lambda q: {hit.name for hit in replica.ask(q).candidates}  # noqa: E731
    steady = {q: want for q, want in expected.items() if want <= answered(q)}
    assert len(steady) >= 2

    env = recruit_env(RECRUIT_CHROMA_HOST=chroma.host, RECRUIT_CHROMA_PORT=str(chroma.port),
                      RECRUIT_COLLECTION="concurrent", RECRUIT_DATA_DIR=str(tmp_path / "writer"))
    # Four `recruit ingest` runs one after the other: the store grows in steps a few seconds
    # apart (each run starts a process and loads the embedder), which the replica must follow.
    runs = " && ".join(shlex.join([recruit_exe(), "ingest", *map(str, later[i:i + 4])])
                       for i in range(0, len(later), 4))
    writer = subprocess.Popen(["sh", "-c", runs], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
    rounds, seen_growing = 0, set()
    try:
        while writer.poll() is None or rounds < 3:
            for question, want in steady.items():
                answer = replica.ask(question)
                assert want <= {hit.name for hit in answer.candidates}, question
                for hit in answer.candidates:
                    for c in hit.citations:  # only whole, committed documents are cited
                        assert replica.store.find_source(c.source) is not None
                        assert replica.document_text(c.source)[c.start:c.end] == c.quote
            seen_growing.add(len(replica.index.live))
            rounds += 1
            time.sleep(0.3)
    finally:
        if writer.poll() is None:
            os.killpg(writer.pid, signal.SIGKILL)
        writer.wait(timeout=60)
    assert writer.returncode == 0, writer.stderr.read()
    writer.stderr.close()
    assert rounds >= 3 and len(seen_growing) >= 2  # answered while the store was growing
    replica.refresh(force=True)
    assert len(replica.index.live) == len(first) + len(later)
