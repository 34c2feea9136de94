"""The read snapshot (retrieval/snapshot.py): one-shot commands answer from it without Chroma,
exactly as the store would, and never once the store has changed; no cache is a pickle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.assistant import Assistant
from ingest.pipeline import ingest_paths
from retrieval import snapshot, unit_matrix
from retrieval.keyword import KeywordIndex
from retrieval.snapshot import FreshStore, SnapshotStore, open_for_reading
from retrieval.store import Store
from tests import fixtures as fx
from tests.conftest import ingest, make_settings

PEOPLE = ["samuel_okafor", "elena_voss", "li_mingyuan"]
QUESTIONS = ["Who has worked on quantization?", "Who builds iOS apps in SwiftUI?",
             "谁做过推荐系统？", "Who has a PhD?", "Who has COBOL mainframe experience?"]


@pytest.fixture
def stored(tmp_path: Path, make_assistant) -> Assistant:
    """Three people ingested by an assistant, which wrote the snapshot as it caught up."""
    assistant = make_assistant()
    fx.write_corpus(tmp_path / "corpus", PEOPLE)
    ingest(assistant, tmp_path / "corpus")
    return assistant


def cold(settings, embeddings) -> Assistant:
    """A new assistant over the store a one-shot command would open."""
    assistant = Assistant(settings, store=open_for_reading(settings), embeddings=embeddings)
    assistant.refresh(force=True)
    return assistant


def same_answer(a, b) -> None:
    x, y = a.model_dump(), b.model_dump()
    assert [c["name"] for c in x["candidates"]] == [c["name"] for c in y["candidates"]]
    for hit, other in zip(x["candidates"], y["candidates"]):
        # both compare every unit (`test_the_store_compares_every_unit_as_the_snapshot_does`):
        # float32 products of other shapes differ in the last bits only
        assert hit.pop("score") == pytest.approx(other.pop("score"), abs=1e-4)
        assert hit == other
    x.pop("candidates"), y.pop("candidates")
    assert x == y


def test_a_cold_reader_answers_from_the_snapshot_as_the_store_does(stored: Assistant, embeddings) -> None:
    reader = cold(stored.settings, embeddings)
    assert isinstance(reader.store, FreshStore) and reader.store.from_snapshot
    for question in QUESTIONS:
        same_answer(reader.ask(question), stored.ask(question))
    people = stored.candidates(entries=True)
    assert [p.model_dump() for p in reader.candidates(entries=True)] == [p.model_dump() for p in people]
    for person in people:
        assert reader.summary_of(person.id).model_dump() == stored.summary_of(person.id).model_dump()
        for source in person.sources:
            assert reader.document_text(source) == stored.document_text(source)
    assert reader.summary("Li Mingyuan").candidate.name == "李明远"  # across scripts, as before


def test_the_store_compares_every_unit_as_the_snapshot_does(
        stored: Assistant, embeddings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chroma's HNSW index is approximate and its graph differs from build to build (here it
    missed a passage's best line, or a whole passage, in about 1 build of 60): a store whose
    unit matrix holds every live document and is small compares every unit, as the snapshot
    does, so both answer alike; a large one asks HNSW."""
    reader = cold(stored.settings, embeddings)
    assert reader.store.from_snapshot
    units, asked = stored.store._units, []
    real = units.query

    def missing_the_best_unit(**kwargs):  # an HNSW graph that does not reach the nearest unit
        asked.append(kwargs)
        got = real(**kwargs)
        return {"ids": [got["ids"][0][1:]], "distances": [got["distances"][0][1:]]}

    monkeypatch.setattr(units, "query", missing_the_best_unit)
    for question in QUESTIONS:
        same_answer(reader.ask(question), stored.ask(question))
    assert not asked
    monkeypatch.setattr(unit_matrix, "MAX_EXACT_UNITS", 3)
    stored.ask(QUESTIONS[0])
    assert asked


def test_a_write_makes_the_snapshot_stale_until_it_is_made_again(
        stored: Assistant, tmp_path: Path, embeddings) -> None:
    settings = stored.settings
    reader = cold(settings, embeddings)
    assert reader.store.from_snapshot
    # another writer (no assistant: nothing makes a new snapshot) adds a person
    extra = fx.write_corpus(tmp_path / "more", ["jane_example"])
    ingest_paths(list(extra.values()), settings, Store(settings), embeddings)

    assert not isinstance(open_for_reading(settings), FreshStore)  # stale: Chroma answers
    fresh = cold(settings, embeddings)
    assert "Jane Q. Example" in {p.name for p in fresh.candidates()}
    # the reader opened before the write notices at its next check, and reads Chroma from then on
    reader.refresh(force=True)
    assert not reader.store.from_snapshot
    assert "Jane Q. Example" in {p.name for p in reader.candidates()}
    # the assistant that caught up wrote a snapshot of the new state (the earlier snapshot's
    # vectors reused, the new document's read): it answers as Chroma does
    again = cold(settings, embeddings)
    assert again.store.from_snapshot and "Jane Q. Example" in {p.name for p in again.candidates()}
    for question in QUESTIONS + ["Who builds frontends with React and TypeScript?"]:
        same_answer(again.ask(question), fresh.ask(question))


def test_a_removal_and_an_announced_write_are_never_answered_from_the_snapshot(
        stored: Assistant, embeddings) -> None:
    settings = stored.settings
    samuel = next(p for p in stored.candidates() if p.name == "Samuel Okafor")
    Store(settings).remove(samuel.sources[0])
    assert "Samuel Okafor" not in {p.name for p in cold(settings, embeddings).candidates()}

    assert isinstance(open_for_reading(settings), FreshStore)  # the reader above made a new one
    snapshot.note_change(settings, "a-write-under-way")  # announced, not yet in Chroma
    assert not isinstance(open_for_reading(settings), FreshStore)
    # and no snapshot is saved while Chroma and the announcement disagree
    assert not snapshot.save_if_stale(settings, Store(settings))


def test_a_store_from_before_snapshots_gets_one(stored: Assistant, embeddings) -> None:
    root = snapshot.directory(stored.settings)
    (root / "changes").unlink()
    (root / "current.json").unlink()
    assert not isinstance(open_for_reading(stored.settings), FreshStore)
    cold(stored.settings, embeddings)  # read from Chroma, and the snapshot made
    reader = cold(stored.settings, embeddings)
    assert reader.store.from_snapshot
    same_answer(reader.ask(QUESTIONS[0]), stored.ask(QUESTIONS[0]))


def test_a_damaged_or_foreign_snapshot_is_not_read(stored: Assistant, embeddings) -> None:
    settings = stored.settings
    about = json.loads((snapshot.directory(settings) / "current.json").read_text())
    folder = snapshot.directory(settings) / about["folder"]
    (folder / "records.json").write_text("[{\"broken\": ")
    assert SnapshotStore.open(settings) is None
    assert {p.name for p in cold(settings, embeddings).candidates()} == \
        {"Samuel Okafor", "Elena Voss", "李明远"}

    about = json.loads((snapshot.directory(settings) / "current.json").read_text())
    (snapshot.directory(settings) / "current.json").write_text(json.dumps(about | {"format": -1}))
    assert SnapshotStore.open(settings) is None


def test_no_cache_in_the_data_directory_is_a_pickle(stored: Assistant, embeddings) -> None:
    cold(stored.settings, embeddings).ask(QUESTIONS[0])
    files = [p for p in stored.settings.data_dir.rglob("*")
             if p.is_file() and stored.settings.chroma_dir not in p.parents]
    assert files and not [p for p in files if p.suffix == ".pkl"]
    for path in files:
        assert not path.read_bytes()[:2].startswith(b"\x80"), path  # pickle protocol 2+


def test_a_damaged_keyword_cache_is_rebuilt_not_trusted(stored: Assistant, embeddings) -> None:
    path = stored.index.index_path
    about = KeywordIndex.about(path)
    (path.with_name(about["folder"]) / "state.json").write_text("not json")
    assert KeywordIndex.load(path) is None
    reader = cold(stored.settings, embeddings)
    same_answer(reader.ask(QUESTIONS[0]), stored.ask(QUESTIONS[0]))
    assert KeywordIndex.load(path) is not None  # written again

    terms = stored.index.term_vectors_path
    terms.write_text(json.dumps({"vectors": "elsewhere.npy", "terms": ["a"]}))
    assert stored.index.term_vectors() == {}


def test_a_large_store_gets_no_snapshot(tmp_path: Path, make_assistant, monkeypatch) -> None:
    monkeypatch.setattr(snapshot, "MAX_UNITS", 3)
    assistant = make_assistant()
    fx.write_corpus(tmp_path / "corpus", PEOPLE[:1])
    ingest(assistant, tmp_path / "corpus")
    assert snapshot.current_marker(assistant.settings) is None
    assert isinstance(open_for_reading(assistant.settings), Store)


# --- as a recruiter runs it: new processes ----------------------------------------------------

def _python(code: str, data: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECRUIT_")}
    env.update(RECRUIT_DATA_DIR=str(data), NO_COLOR="1")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


COLD_ASK = """
import json, sys
from bot.cli import main
sys.argv = ["recruit", "ask", {question!r}, "--json"]
try:
    main()
except SystemExit:
    pass
print(json.dumps({{"chromadb": "chromadb" in sys.modules}}))
"""

INGEST = """
import sys
from bot.cli import main
sys.argv = ["recruit", "ingest", {path!r}]
try:
    main()
except SystemExit as e:
    sys.exit(e.code)
"""


@pytest.mark.slow
def test_a_cold_ask_needs_no_chroma_and_sees_another_process_ingest(tmp_path: Path) -> None:
    data, corpus = tmp_path / "data", tmp_path / "corpus"
    fx.write_corpus(corpus, PEOPLE)
    assert _python(INGEST.format(path=str(corpus)), data, tmp_path).returncode == 0

    def ask(question: str) -> tuple[dict, bool]:
        done = _python(COLD_ASK.format(question=question), data, tmp_path)
        lines = done.stdout.strip().splitlines()
        return json.loads("\n".join(lines[:-1])), json.loads(lines[-1])["chromadb"]

    answer, chroma = ask("Who builds iOS apps in SwiftUI?")
    assert not chroma and [c["name"] for c in answer["candidates"]][:1] == ["Samuel Okafor"]

    more = tmp_path / "more"
    fx.write_corpus(more, ["jane_example"])
    snapshot_before = json.loads((snapshot.directory(make_settings(data)) / "current.json").read_text())
    assert _python(INGEST.format(path=str(more)), data, tmp_path).returncode == 0
    answer, chroma = ask("Who builds frontends with React and TypeScript?")
    assert not chroma  # the other process's ingest wrote a snapshot of its new state
    assert [c["name"] for c in answer["candidates"]][:1] == ["Jane Q. Example"]
    assert json.loads((snapshot.directory(make_settings(data)) / "current.json").read_text())[
        "marker"] != snapshot_before["marker"]

    snapshot.note_change(make_settings(data), "a-write-under-way")  # announced, not committed
    answer, chroma = ask("Who builds frontends with React and TypeScript?")
    assert chroma and [c["name"] for c in answer["candidates"]][:1] == ["Jane Q. Example"]


def test_a_write_that_died_after_announcing_does_not_turn_snapshots_off_for_good(
        stored: Assistant, tmp_path: Path, embeddings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A registry write announced its marker and then failed: the next process that reads
    Chroma, finding the lock free and the announcement still unmatched, announces the store's
    own marker again and saves a snapshot the one after it can use."""
    settings = stored.settings
    writer = Store(settings)

    def failing(**kwargs):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(writer._documents, "upsert", failing)
    extra = fx.write_corpus(tmp_path / "more", ["jane_example"])
    report = ingest_paths(list(extra.values()), settings, writer, embeddings)
    assert [f.status for f in report.files] == ["failed"]
    assert not isinstance(open_for_reading(settings), FreshStore)  # the dead announcement

    cold(settings, embeddings)  # reads Chroma, and settles it
    reader = cold(settings, embeddings)
    assert reader.store.from_snapshot
    assert "Jane Q. Example" not in {p.name for p in reader.candidates()}
