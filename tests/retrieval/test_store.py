"""The Chroma store: the registry record is the commit point, so a crash at any step of a write
leaves the old or the new version visible (never a mix), and orphans are swept later."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from ingest.pipeline import build_passages, build_units, ingest_paths, source_of
from ingest.readers import parse_document
from bot.assistant import Assistant
import retrieval.store as store_module
from retrieval.store import Store
from tests import fixtures as fx
from tests.conftest import ingest, make_settings

OLD_LINE = "Swift, SwiftUI, UIKit, Combine, Core Data, XCTest, Xcode Instruments"
NEW_LINE = "Kotlin, Jetpack Compose, Room, Coroutines, Espresso, Android Studio Profiler"


class SimulatedCrash(BaseException):
    """The process dying mid-write: not an error any code handles (like KeyboardInterrupt)."""


def stored_ids(store: Store) -> tuple[set[str], set[str]]:
    """Document ids that have passages, and that have units, in Chroma (live or not)."""
    passages = {m["document_id"] for m in store._passages.get(include=["metadatas"])["metadatas"]}
    units = {m["document_id"] for m in store._units.get(include=["metadatas"])["metadatas"]}
    return passages, units


def content_id(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:20]


def expected_counts(path: Path) -> tuple[int, int]:
    """(passages, units) the pipeline makes of a file."""
    doc = parse_document(path)
    _, passages = build_passages(doc, content_id(path))
    return len(passages), len(build_units(doc.text, passages))


def counts(store: Store) -> tuple[int, int]:
    """(passages, units) in the Chroma collections, live or not."""
    return store._passages.count(), store._units.count()


def live_counts(store: Store) -> tuple[int, int]:
    live = store.documents()
    passages = [p for r in live for p in store.passages_of([r.document_id])]
    return sum(r.passages for r in live), len(passages)


def cited_text(assistant: Assistant, question: str) -> str:
    answer = assistant.ask(question)
    return "\n".join(c.quote for hit in answer.candidates for c in hit.citations)


def cited_documents(assistant: Assistant, question: str) -> set[str]:
    answer = assistant.ask(question)
    return {c.passage_id.split(":")[0] for hit in answer.candidates for c in hit.citations}


OLD_QUESTION = "Who knows XCTest and Xcode Instruments?"  # only the old version says so
NEW_QUESTION = "Who knows Jetpack Compose and Espresso?"  # only the new one


class CrashOnce:
    """Stands in for a Chroma collection whose next `upsert` dies (the process is killed there)."""

    def __init__(self, collection):
        self._collection = collection
        self.crashed = False

    def upsert(self, *args, **kwargs):
        if not self.crashed:
            self.crashed = True
            raise SimulatedCrash("killed before the registry was committed")
        return self._collection.upsert(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._collection, name)


@pytest.fixture
def samuel(tmp_path: Path) -> Path:
    return fx.write_text(tmp_path / "samuel.txt")


@pytest.fixture
def stored_samuel(samuel: Path, make_assistant) -> Assistant:
    """Samuel's resume (the old version) and Elena's, stored."""
    assistant = make_assistant()
    ingest(assistant, samuel, fx.write_markdown(samuel.parent / "elena.md"))
    return assistant


def rewrite(samuel: Path) -> None:
    samuel.write_text(fx.TEXT_RESUME.replace(OLD_LINE, NEW_LINE), encoding="utf-8")


def test_crash_before_the_registry_commit_keeps_the_old_version(samuel: Path, stored_samuel: Assistant,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    store = stored_samuel.store
    old_id = content_id(samuel)
    old_passages = store.find_source(source_of(samuel)).passages
    before = counts(store)
    rewrite(samuel)
    new_id = content_id(samuel)
    new_passages, new_units = expected_counts(samuel)
    monkeypatch.setattr(store, "_documents", CrashOnce(store._documents))

    with pytest.raises(SimulatedCrash):
        ingest_paths([samuel], stored_samuel.settings, store, stored_samuel.embeddings)

    # the new passages and units were written, but nothing points to them
    assert counts(store) == (before[0] + new_passages, before[1] + new_units)
    passages, units = stored_ids(store)
    assert new_id in passages and new_id in units
    assert live_counts(store)[0] == live_counts(store)[1] == before[0]
    assert store.find_source(source_of(samuel)).document_id == old_id
    assert {p.document_id for p in store.live_passages()} == {old_id, content_id(samuel.parent / "elena.md")}
    stored_samuel.refresh(force=True)
    assert OLD_LINE in cited_text(stored_samuel, OLD_QUESTION)
    assert cited_documents(stored_samuel, "Who has iOS experience with SwiftUI?") == {old_id}
    assert stored_samuel.ask(NEW_QUESTION).no_match
    vector = stored_samuel.embeddings.embed_query(NEW_LINE)
    live = {r.document_id: r for r in store.documents()}
    assert all(p.document_id != new_id for p, _ in store.dense_search(vector, 20, live))

    # the next ingest sweeps the orphans first, then stores the new version
    report = ingest(stored_samuel, samuel)
    assert report.files[0].status == "updated"
    assert counts(store)[0] == before[0] - old_passages + new_passages == live_counts(store)[0]
    passages, units = stored_ids(store)
    assert old_id not in passages | units and new_id in passages & units
    assert NEW_LINE in cited_text(stored_samuel, NEW_QUESTION)
    assert stored_samuel.ask(OLD_QUESTION).no_match


def test_orphans_are_swept_even_when_nothing_changes(samuel: Path, stored_samuel: Assistant,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    store = stored_samuel.store
    rewrite(samuel)
    new_id = content_id(samuel)
    with monkeypatch.context() as patch:
        patch.setattr(store, "_documents", CrashOnce(store._documents))
        with pytest.raises(SimulatedCrash):
            ingest_paths([samuel], stored_samuel.settings, store, stored_samuel.embeddings)
    before = stored_ids(store)
    assert store.sweep_orphans() == 0  # young: it might be another process's batch in progress
    monkeypatch.setattr(store_module, "ORPHAN_GRACE_S", 0.0)  # ... as if ten minutes had passed

    report = ingest_paths([], stored_samuel.settings, store, stored_samuel.embeddings)

    assert report.files == []
    assert new_id in before[0] and new_id in before[1]
    passages, units = stored_ids(store)
    assert new_id not in passages and new_id not in units
    assert passages == units == {r.document_id for r in store.documents()}
    assert counts(store)[0] == sum(r.passages for r in store.documents())
    assert store.sweep_orphans() == 0


def test_crash_after_the_commit_shows_only_the_new_version(samuel: Path, stored_samuel: Assistant,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    store = stored_samuel.store
    old_id = content_id(samuel)
    rewrite(samuel)

    def killed(self, document_id):
        raise SimulatedCrash("killed before the old passages were deleted")

    with monkeypatch.context() as patch:
        patch.setattr(Store, "_delete_passages_of", killed)
        with pytest.raises(SimulatedCrash):
            ingest_paths([samuel], stored_samuel.settings, store, stored_samuel.embeddings)

    assert old_id in stored_ids(store)[0]  # left behind ...
    stored_samuel.refresh(force=True)
    assert all(p.document_id != old_id for p in store.live_passages())  # ... but never shown
    assert stored_samuel.ask(OLD_QUESTION).no_match
    assert NEW_LINE in cited_text(stored_samuel, NEW_QUESTION)
    assert cited_documents(stored_samuel, "Who has iOS experience with SwiftUI?") == {content_id(samuel)}
    assert store.sweep_orphans() == 0  # young: it might be another process's batch in progress
    assert store.sweep_orphans(grace_s=0) == 1
    assert old_id not in stored_ids(store)[0] | stored_ids(store)[1]


def test_crash_while_adding_a_new_file_leaves_nothing_visible(tmp_path: Path, make_assistant,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assistant = make_assistant()
    path = fx.write_markdown(tmp_path / "elena.md")
    monkeypatch.setattr(assistant.store, "_documents", CrashOnce(assistant.store._documents))

    with pytest.raises(SimulatedCrash):
        ingest_paths([path], assistant.settings, assistant.store, assistant.embeddings)

    assert assistant.store.documents() == [] and list(assistant.store.live_passages()) == []
    assistant.refresh(force=True)
    assert assistant.ask("Who worked on FPGA acceleration?").no_match
    assert assistant.candidates() == []
    [outcome] = ingest(assistant, path).files  # the retry stores it (after sweeping the orphans)
    assert outcome.status == "added"
    assert stored_ids(assistant.store)[0] == {outcome.document_id}


# ---------------------------------------------------------------------------------------------
# Reads


def test_a_reopened_store_sees_the_same_documents(tmp_path: Path, stored_samuel: Assistant) -> None:
    reopened = Store(make_settings(stored_samuel.settings.data_dir))

    assert reopened.documents() == stored_samuel.store.documents()
    assert reopened.fingerprint() == stored_samuel.store.fingerprint()
    assert sorted(p.id for p in reopened.live_passages()) == \
        sorted(p.id for p in stored_samuel.store.live_passages())


def test_the_fingerprint_changes_with_every_write(samuel: Path, stored_samuel: Assistant) -> None:
    store = stored_samuel.store
    seen = [store.fingerprint()]
    ingest(stored_samuel, samuel)  # unchanged
    assert store.fingerprint() == seen[-1]
    rewrite(samuel)
    ingest(stored_samuel, samuel)  # replaced
    seen.append(store.fingerprint())
    store.remove(source_of(samuel))  # removed
    seen.append(store.fingerprint())
    assert len(set(seen)) == 3


def test_the_fingerprint_changes_with_identity_fixes_and_interrupted_removes(
        samuel: Path, stored_samuel: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    store = stored_samuel.store
    seen = [store.fingerprint()]
    record = store.find_source(source_of(samuel))
    store.set_identity(record.source, "someone-else", "Someone Else", True)  # a rename or merge
    seen.append(store.fingerprint())

    def killed(self, marker=None):
        raise SimulatedCrash("killed between the delete and the marker")

    from retrieval import snapshot

    with monkeypatch.context() as patch:
        patch.setattr(Store, "_bump", killed)
        with pytest.raises(SimulatedCrash):
            store.remove(record.source)
    seen.append(store.fingerprint())  # the record count tells
    assert len(set(seen)) == 3 and store.find_source(record.source) is None
    # the change was announced before the delete: no read snapshot of before it looks current
    assert snapshot.last_change(store.settings) != snapshot.marker_of(seen[1])
    ingest(stored_samuel, samuel)  # back, as a new write
    assert store.fingerprint() not in seen


def test_the_fingerprint_reads_two_records_whatever_the_store_holds(stored_samuel: Assistant) -> None:
    store = stored_samuel.store
    read: list[int] = []

    class Counting:
        def __init__(self, inner):
            self._inner = inner

        def get(self, *args, **kwargs):
            got = self._inner.get(*args, **kwargs)
            read.append(len(got["ids"]))
            return got

        def __getattr__(self, name):
            return getattr(self._inner, name)

    store._documents = Counting(store._documents)
    store.fingerprint()
    assert read == [1]  # the marker alone (and a count)


def test_dense_search_uses_cosine_over_live_units_only(stored_samuel: Assistant) -> None:
    store = stored_samuel.store
    live = {r.document_id: r for r in store.documents()}
    vector = np.asarray(stored_samuel.embeddings.embed_documents([OLD_LINE])[0])

    [(best, similarity), *_] = store.dense_search((3.0 * vector).tolist(), 5, live)  # length ignored

    assert OLD_LINE in best.text and best.section == "SKILLS"
    assert similarity == pytest.approx(1.0, abs=1e-3)
    assert store.dense_search(vector.tolist(), 5, {}) == []  # nothing live, nothing found
    sims = store.unit_similarities(vector.tolist(), [best.id])
    assert sims[best.id] == pytest.approx(1.0, abs=1e-3)


def test_passages_of_returns_document_passages_in_text_order(stored_samuel: Assistant) -> None:
    store = stored_samuel.store
    for record in store.documents():
        passages = store.passages_of([record.document_id])
        text = store.document_text(record.source)
        assert len(passages) == record.passages
        assert [p.start for p in passages] == sorted(p.start for p in passages)
        assert all(text[p.start:p.end] == p.text and p.candidate_name == record.candidate_name
                   for p in passages)
    assert store.passages_of(["no-such-document"]) == []


def test_line_similarities_give_every_unit_of_a_document(stored_samuel: Assistant) -> None:
    """Every line of the asked documents, each with its passage; a passage's best line is what
    `unit_similarities` reports; several vectors give a column each; a store that never noted
    the unit ids (another process's, or documents written later) reads them all the same."""
    store = stored_samuel.store
    records = {r.source: r for r in store.documents()}
    samuel = next(r for s, r in records.items() if s.endswith("samuel.txt"))
    vector = np.asarray(stored_samuel.embeddings.embed_documents([OLD_LINE])[0])

    lines = store.line_similarities(vector.tolist(), [samuel.document_id, "no-such-document"])

    assert set(lines) == {samuel.document_id}
    found = lines[samuel.document_id]
    units = store._units.get(where={"document_id": samuel.document_id}, include=[])["ids"]
    assert len(found.similarities) == len(found.passage_of) == len(units) > samuel.passages
    assert len(set(found.passage_ids)) == samuel.passages
    assert found.similarities.max() == pytest.approx(1.0, abs=1e-3)  # the skills line itself
    best = store.unit_similarities(vector.tolist(), list(found.passage_ids))
    for i, pid in enumerate(found.passage_ids):
        assert found.similarities[found.passage_of == i].max() == pytest.approx(best[pid], abs=1e-5)

    other = np.asarray(stored_samuel.embeddings.embed_documents([NEW_LINE])[0])
    both = store.line_similarities(np.stack([vector, other]), [samuel.document_id])[samuel.document_id]
    assert both.similarities.shape == (len(units), 2)
    assert both.similarities[:, 0] == pytest.approx(found.similarities, abs=1e-5)

    fresh = Store(stored_samuel.settings)  # nothing learned, nothing cached
    again = fresh.line_similarities(vector.tolist(), [samuel.document_id])[samuel.document_id]
    assert sorted(again.similarities) == pytest.approx(sorted(found.similarities), abs=1e-5)
    assert set(again.passage_ids) == set(found.passage_ids)
