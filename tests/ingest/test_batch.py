"""Batched ingest: a few files per store write, with the per-file guarantees of a single write
(outcomes in file order, a bad file failing alone, duplicates found within a batch, and a crash at
a batch's commit leaving every document of it in its old version)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.corpus import generate
from ingest.pipeline import ingest_paths, source_of
from retrieval.errors import StoreError
from retrieval.store import Store
from tests import fixtures as fx
from tests.conftest import ingest
from tests.retrieval.test_store import CrashOnce, SimulatedCrash, content_id, expected_counts, stored_ids


def count_writes(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The sources of each `write_documents` call the store gets from now on."""
    calls: list[list[str]] = []
    inner = store.write_documents

    def counted(writes):
        calls.append([w.record.source for w in writes])
        return inner(writes)

    monkeypatch.setattr(store, "write_documents", counted)
    return calls


def refuse_writes_of(store: Store, source: str, error: Exception,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on every `write_documents` call that includes `source` raises `error`."""
    inner = store.write_documents

    def write_documents(writes):
        if any(w.record.source == source for w in writes):
            raise error
        return inner(writes)

    monkeypatch.setattr(store, "write_documents", write_documents)


def whole(store: Store, path: Path) -> bool:
    """The file is registered with all its passages and units, and nothing else of its source."""
    record = store.find_source(source_of(path))
    if record is None or record.document_id != content_id(path):
        return False
    passages, units = expected_counts(path)
    stored = store.passages_of([record.document_id])
    got = store._units.get(where={"document_id": record.document_id})
    return record.passages == passages == len(stored) and len(got["ids"]) == units


def test_a_batch_is_one_write_and_a_bad_file_in_its_middle_fails_alone(
        tmp_path: Path, make_assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = generate(6, seed=3).write(tmp_path / "docs")
    bad = fx.write_corrupt_pdf(tmp_path / "docs" / "broken.pdf")
    files = [*paths[:3], bad, *paths[3:]]
    assistant = make_assistant()
    writes = count_writes(assistant.store, monkeypatch)
    seen = []

    report = ingest_paths(files, assistant.settings, assistant.store, assistant.embeddings,
                          on_file=seen.append, batch_files=[8])

    assert [f.source for f in report.files] == [source_of(p) for p in files]  # file order
    assert seen == report.files
    assert [f.status for f in report.files] == ["added"] * 3 + ["failed"] + ["added"] * 3
    failed = report.files[3]
    assert failed.source == source_of(bad) and failed.message and failed.document_id is None
    assert writes == [[source_of(p) for p in paths]]  # six documents, one store write
    assert all(whole(assistant.store, p) for p in paths)
    assert stored_ids(assistant.store)[0] == {content_id(p) for p in paths}


def test_batches_commit_in_turn_and_report_progress_file_by_file(
        tmp_path: Path, make_assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = generate(7, seed=4).write(tmp_path / "docs")
    assistant = make_assistant()
    writes = count_writes(assistant.store, monkeypatch)
    committed = []

    def on_file(outcome):  # each outcome is reported once its document is committed
        committed.append(assistant.store.find_source(outcome.source) is not None)

    report = ingest_paths(paths, assistant.settings, assistant.store, assistant.embeddings,
                          on_file=on_file, batch_files=[2, 3])

    assert [len(w) for w in writes] == [2, 3, 2]
    assert committed == [True] * 7 and report.count("added") == 7
    assert all(whole(assistant.store, p) for p in paths)


def test_duplicates_and_repeats_within_one_batch(tmp_path: Path, make_assistant) -> None:
    samuel = fx.write_text(tmp_path / "samuel.txt")
    copy = tmp_path / "copies" / "samuel (1).txt"
    copy.parent.mkdir()
    shutil.copy(samuel, copy)
    elena = fx.write_markdown(tmp_path / "elena.md")
    assistant = make_assistant()

    report = ingest_paths([samuel, copy, samuel, elena], assistant.settings, assistant.store,
                          assistant.embeddings, batch_files=[8])

    assert [f.status for f in report.files] == ["added", "duplicate", "unchanged", "added"]
    assert source_of(samuel) in report.files[1].message
    assert report.files[1].candidate_name == "Samuel Okafor"
    assert sorted(r.source for r in assistant.store.documents()) == \
        sorted([source_of(samuel), source_of(elena)])
    assert whole(assistant.store, samuel) and whole(assistant.store, elena)


def test_a_file_taking_another_files_content_in_the_same_batch(tmp_path: Path,
                                                               make_assistant) -> None:
    a, b = fx.write_text(tmp_path / "a.txt"), fx.write_markdown(tmp_path / "b.md")
    assistant = make_assistant()
    first = ingest(assistant, a)
    shutil.copy(a, b)  # b (new) now holds a's content; a is rewritten
    a.write_text(fx.TEXT_RESUME.replace("Swift", "Kotlin"), encoding="utf-8")

    report = ingest_paths([a, b], assistant.settings, assistant.store, assistant.embeddings)

    assert [f.status for f in report.files] == ["updated", "added"]  # a's old content moved to b
    assert whole(assistant.store, a) and whole(assistant.store, b)
    assert first.files[0].document_id == content_id(b)


def test_a_crash_at_a_batch_commit_leaves_each_document_in_its_old_version(
        tmp_path: Path, make_assistant) -> None:
    samuel = fx.write_text(tmp_path / "samuel.txt")
    assistant = make_assistant()
    ingest(assistant, samuel)
    store = assistant.store
    old_id, fingerprint = content_id(samuel), store.fingerprint()
    samuel.write_text(fx.TEXT_RESUME.replace("Swift", "Kotlin"), encoding="utf-8")
    new = generate(3, seed=6).write(tmp_path / "new")
    crash = CrashOnce(store._documents)
    store._documents = crash

    with pytest.raises(SimulatedCrash):  # one batch of four, killed at its commit
        ingest_paths([samuel, *new], assistant.settings, store, assistant.embeddings,
                     batch_files=[4])

    assert crash.crashed
    assert [r.document_id for r in store.documents()] == [old_id]  # the old version, whole
    assert store.fingerprint() == fingerprint
    assert {content_id(p) for p in [samuel, *new]} <= stored_ids(store)[0]  # written, not live
    assistant.refresh(force=True)
    assert {p.document_id for p in store.live_passages()} == {old_id}

    report = ingest(assistant, samuel, *new)  # the re-run sweeps, then completes the batch
    assert [f.status for f in report.files] == ["updated", "added", "added", "added"]
    assert all(whole(store, p) for p in [samuel, *new])
    assert stored_ids(store)[0] == stored_ids(store)[1] == {r.document_id for r in store.documents()}


def test_a_failed_batch_write_is_retried_document_by_document(
        tmp_path: Path, make_assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = generate(4, seed=8).write(tmp_path / "docs")
    assistant = make_assistant()
    refused = source_of(paths[1])
    refuse_writes_of(assistant.store, refused, StoreError(f"{refused}: refused by the store"),
                     monkeypatch)
    report = ingest_paths(paths, assistant.settings, assistant.store, assistant.embeddings)

    assert [f.status for f in report.files] == ["added", "failed", "added", "added"]
    assert report.files[1].message == f"{refused}: refused by the store"
    assert {r.source for r in assistant.store.documents()} == \
        {source_of(p) for p in paths} - {refused}


def test_any_error_of_the_store_fails_only_its_document(
        tmp_path: Path, make_assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only our own errors: whatever Chroma raises for one document stays with it."""
    paths = generate(4, seed=8).write(tmp_path / "docs")
    assistant = make_assistant()
    refused = source_of(paths[2])
    refuse_writes_of(assistant.store, refused,
                     ValueError("Expected metadata value to be a str, int, float or bool"), monkeypatch)
    report = ingest_paths(paths, assistant.settings, assistant.store, assistant.embeddings,
                          batch_files=[4])

    assert [f.status for f in report.files] == ["added", "added", "failed", "added"]
    assert report.files[2].message.startswith("could not be stored: ValueError: Expected metadata")
    assert {r.source for r in assistant.store.documents()} == \
        {source_of(p) for p in paths} - {refused}


def test_an_embedder_going_down_fails_its_batch_and_the_run_goes_on(
        tmp_path: Path, make_assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = generate(5, seed=9).write(tmp_path / "docs")
    assistant = make_assistant()
    inner = assistant.embeddings.embed_documents
    calls = []

    def embed_documents(texts):
        calls.append(len(texts))
        if len(calls) == 2:  # the second batch: a remote embedder is unreachable for a moment
            raise ConnectionError("Connection refused")
        return inner(texts)

    monkeypatch.setattr(assistant.embeddings, "embed_documents", embed_documents)
    report = ingest_paths(paths, assistant.settings, assistant.store, assistant.embeddings,
                          batch_files=[2])

    assert [f.status for f in report.files] == ["added", "added", "failed", "failed", "added"]
    assert all("ConnectionError: Connection refused" in f.message for f in report.files[2:4])
    assert len(assistant.store.documents()) == 3
    rerun = ingest_paths(paths, assistant.settings, assistant.store, assistant.embeddings)
    assert [f.status for f in rerun.files] == ["unchanged", "unchanged", "added", "added", "unchanged"]
