"""Chroma server mode: the store is a real `chroma run` on 127.0.0.1 (from the installed wheel),
reached with HttpClient when `chroma_host` is set; and replicas sharing it see each other's
writes within seconds, the keyword index catching up incrementally."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.corpus import generate
from bot.assistant import Assistant
from retrieval.keyword import KeywordIndex
from retrieval.store import Store
from tests import fixtures as fx
from tests.chroma_server import ChromaServer, running_chroma
from tests.conftest import ingest, make_settings


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    with running_chroma(tmp_path_factory.mktemp("chroma-server")) as server:
        yield server


@pytest.fixture
def server_settings(chroma: ChromaServer, tmp_path: Path, request: pytest.FixtureRequest):
    """Settings against the server, with a collection of this test's own."""
    def make(**overrides):
        name = "t-" + request.node.name.replace("[", "-").replace("]", "")[:40].lower()
        return make_settings(tmp_path / "data", chroma_host=chroma.host, chroma_port=chroma.port,
                             collection=name.replace("_", "-"), **overrides)
    return make


def names(answer) -> list[str]:
    return [hit.name for hit in answer.candidates]


def recruit(*args: str, chroma: ChromaServer, collection: str, data_dir: Path,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """The installed console script, pointed at the server by environment variables only."""
    exe = Path(sys.executable).parent / "recruit"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECRUIT_")}
    env.update(RECRUIT_CHROMA_HOST=chroma.host, RECRUIT_CHROMA_PORT=str(chroma.port),
               RECRUIT_COLLECTION=collection, RECRUIT_DATA_DIR=str(data_dir), NO_COLOR="1",
               COLUMNS="200")
    return subprocess.run([str(exe), *args], env=env, cwd=data_dir.parent, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout)


@pytest.mark.slow  # several processes: `pytest -m 'not slow'` skips it
def test_ingest_ask_remove_against_the_server(server_settings, corpus_dir: Path, embeddings) -> None:
    settings = server_settings()
    assistant = Assistant(settings, embeddings=embeddings)
    report = ingest(assistant, corpus_dir)

    assert report.count("added") == len(fx.CORPUS_FACTS) and not report.failed
    assert not settings.chroma_dir.exists()  # nothing went to an embedded store
    reopened = Store(settings)  # a second client of the same server sees the same registry
    assert reopened.fingerprint() == assistant.store.fingerprint()
    assert len(reopened.documents()) == len(fx.CORPUS_FACTS)

    assert names(assistant.ask("Who has worked on KV cache quantization?"))[:1] == ["李明远"]
    assert names(assistant.ask("谁做过语音识别？"))[:1] == ["王静怡"]
    assert names(assistant.ask("Who builds iOS apps in SwiftUI?"))[:1] == ["Samuel Okafor"]
    answer = assistant.ask("Who has worked on quantization?")
    for hit in answer.candidates:
        for c in hit.citations:
            assert assistant.document_text(c.source)[c.start:c.end] == c.quote
    assert assistant.ask("Who has COBOL mainframe experience?").no_match

    again = ingest(assistant, corpus_dir)
    assert again.count("unchanged") == len(fx.CORPUS_FACTS)
    samuel = next(r for r in assistant.store.documents() if r.candidate_name == "Samuel Okafor")
    assert assistant.store.remove(samuel.source) is not None
    assistant.refresh(force=True)
    assert "Samuel Okafor" not in names(assistant.ask("Who builds iOS apps in SwiftUI?"))
    assert "Samuel Okafor" not in {c.name for c in assistant.candidates()}
    assert all(p.document_id != samuel.document_id for p in assistant.store.live_passages())
    assert reopened.find_source(samuel.source) is None


def wait_for(condition, timeout: float) -> float:
    """Seconds until `condition()` held (polled every 0.2 s); fails after `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(f"not within {timeout} s")
        time.sleep(0.2)
    return time.monotonic() - started


@pytest.mark.slow  # several processes: `pytest -m 'not slow'` skips it
def test_a_replica_sees_another_process_ingest_and_remove_within_seconds(
        server_settings, chroma: ChromaServer, tmp_path: Path, embeddings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = generate(12, seed=11)
    question = next(q for q in corpus.questions if q.kind == "who_has")
    wanted = {r.name for r in corpus.resumes if Path(r.file).stem in question.relevant}
    first, later = tmp_path / "first", tmp_path / "later"
    for r in corpus.resumes:  # the people the question is about come later, from another process
        folder = later if r.name in wanted else first
        folder.mkdir(parents=True, exist_ok=True)
        (folder / r.file).write_text(r.text, encoding="utf-8")
    settings = server_settings()
    replica = Assistant(settings, embeddings=embeddings)  # this process: a serving replica
    ingest(replica, first)
    replica.warm()
    index = replica.index.index
    assert not wanted & set(names(replica.ask(question.text)))
    monkeypatch.setattr(KeywordIndex, "build", lambda *a, **k: pytest.fail("rebuilt from scratch"))

    other = recruit("ingest", str(later), chroma=chroma, collection=settings.collection,
                    data_dir=tmp_path / "other-replica")  # another process, another data dir
    assert other.returncode == 0, other.stdout + other.stderr
    assert f"{len(wanted)} added" in other.stdout

    seen_after = wait_for(lambda: wanted <= set(names(replica.ask(question.text))), timeout=20)
    assert seen_after < 10  # checks every 2 s, then reads only the new documents
    caught_up = replica.index.index
    assert len(caught_up.segments) == len(index.segments) + 1  # one small segment more
    assert caught_up.live_count == sum(r.passages for r in replica.store.documents())

    gone = next(r for r in replica.store.documents() if r.candidate_name in wanted)
    removed = recruit("remove", gone.source, chroma=chroma, collection=settings.collection,
                      data_dir=tmp_path / "other-replica")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    wait_for(lambda: gone.candidate_name not in names(replica.ask(question.text)), timeout=20)
    assert gone.document_id not in replica.index.index.documents


def test_fingerprint_follows_another_process_writes(
        server_settings, chroma: ChromaServer, tmp_path: Path) -> None:
    """A replica polls `fingerprint()`; every write another process makes must change it, and
    a run that writes nothing must not."""
    folder = tmp_path / "docs"
    paths = generate(3, seed=12).write(folder)
    settings = server_settings()
    replica = Store(settings)
    writer = dict(chroma=chroma, collection=settings.collection, data_dir=tmp_path / "writer")
    seen = [replica.fingerprint()]

    def changed_by(*args: str) -> bool:
        done = recruit(*args, **writer)
        assert done.returncode == 0, done.stdout + done.stderr
        seen.append(replica.fingerprint())
        return seen[-1] != seen[-2]

    assert changed_by("ingest", str(folder))  # added (one batch)
    assert not changed_by("ingest", str(folder))  # unchanged
    paths[0].write_text(paths[0].read_text(encoding="utf-8") + "\nAlso: Rust, Go\n", encoding="utf-8")
    assert changed_by("ingest", str(folder))  # updated
    person = next(r for r in replica.documents() if r.source == str(paths[1].resolve()))
    assert changed_by("rename", person.candidate_id, "Renamed Person")  # identity fix
    assert changed_by("remove", str(paths[2]))  # removed
    assert len(set(seen)) == len(seen) - 1
    assert {r.source for r in replica.documents()} == {str(p.resolve()) for p in paths[:2]}
