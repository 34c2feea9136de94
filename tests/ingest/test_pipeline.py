"""Ingest: added / unchanged / updated / duplicate / removed, and bad files that never stop the
batch nor damage what is stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths, iter_files, source_of
from bot.assistant import Assistant
from retrieval.store import Store
from tests import fixtures as fx
from tests.conftest import ingest


def stored(store: Store, document_id: str) -> tuple[int, int]:
    """(passages, units) that Chroma holds for a document id, live or not."""
    where = {"document_id": document_id}
    return (len(store._passages.get(where=where)["ids"]), len(store._units.get(where=where)["ids"]))


def names(assistant: Assistant, question: str) -> list[str]:
    return [hit.name for hit in assistant.ask(question).candidates]


# ---------------------------------------------------------------------------------------------
# Good files


def test_ingest_adds_every_corpus_file(corpus_store) -> None:
    assistant, report = corpus_store

    assert [f.status for f in report.files] == ["added"] * len(fx.CORPUS_FACTS)
    assert report.count("added") == len(fx.CORPUS_FACTS) and not report.failed
    by_file = {Path(f.source).name: f for f in report.files}
    for facts in fx.CORPUS_FACTS.values():
        outcome = by_file[facts["file"]]
        assert outcome.candidate_name == facts["name"] and outcome.name_found
        assert outcome.passages > 0 and outcome.document_id
    assert report.passages_written == sum(f.passages for f in report.files)
    assert by_file["li_mingyuan_resume.pdf"].sections == ["教育背景", "工作经历", "项目经历", "技能"]
    assert by_file["hana_sato_publications.txt"].passages == 5  # profile header + 4 papers

    records = assistant.store.documents()
    assert sorted(r.candidate_name for r in records) == sorted(f["name"] for f in fx.CORPUS_FACTS.values())
    assert sum(r.passages for r in records) == len(list(assistant.store.live_passages()))
    for r in records:  # the registry keeps the extracted text every citation slices
        assert assistant.store.document_text(r.source) is not None
        for p in assistant.store.passages_of([r.document_id]):
            assert assistant.store.document_text(r.source)[p.start:p.end] == p.text
    pdf = next(r for r in records if r.source.endswith("jane_example_resume.pdf"))
    assert [span.page for span in assistant.store.document_pages(pdf.source)] == [1, 2]


def test_second_ingest_says_unchanged_and_writes_nothing(tmp_path: Path, make_assistant,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    fx.write_corpus(corpus, ["samuel_okafor", "jane_example", "wang_jingyi"])
    assistant = make_assistant()
    first = ingest(assistant, corpus)
    fingerprint = assistant.store.fingerprint()

    def no_write(*args, **kwargs):
        raise AssertionError("an unchanged file was written again")

    monkeypatch.setattr(Store, "write_document", no_write)
    second = ingest(assistant, corpus)

    assert [f.status for f in second.files] == ["unchanged"] * 3
    assert [f.document_id for f in second.files] == [f.document_id for f in first.files]
    assert [f.passages for f in second.files] == [f.passages for f in first.files]
    assert second.passages_written == 0 and not second.failed
    assert assistant.store.fingerprint() == fingerprint


def test_a_changed_file_replaces_its_old_version(tmp_path: Path, make_assistant) -> None:
    path = fx.write_text(tmp_path / "samuel.txt")
    assistant = make_assistant()
    [before] = ingest(assistant, path).files
    assert names(assistant, "Who has iOS experience with SwiftUI?") == ["Samuel Okafor"]

    path.write_text(fx.TEXT_RESUME.replace("SwiftUI", "Jetpack Compose").replace("iOS", "Android")
                    .replace("Swift", "Kotlin"), encoding="utf-8")
    [after] = ingest(assistant, path).files

    assert (before.status, after.status) == ("added", "updated")
    assert after.document_id != before.document_id
    assert stored(assistant.store, before.document_id) == (0, 0)  # old passages and units gone
    assert stored(assistant.store, after.document_id)[0] == after.passages > 0
    [record] = assistant.store.documents()
    assert record.document_id == after.document_id and record.source == source_of(path)
    assert "Jetpack Compose" in assistant.store.document_text(record.source)
    assert names(assistant, "Who has Android experience with Jetpack Compose?") == ["Samuel Okafor"]
    assert assistant.ask("Who has iOS experience with SwiftUI?").no_match
    assert all("SwiftUI" not in p.text for p in assistant.store.live_passages())


def test_identical_content_at_another_path_is_a_duplicate(tmp_path: Path, make_assistant) -> None:
    original = fx.write_markdown(tmp_path / "elena.md")
    copy = tmp_path / "copies" / "elena (1).md"
    copy.parent.mkdir()
    shutil.copy(original, copy)
    assistant = make_assistant()

    report = ingest(assistant, original, copy)

    assert [f.status for f in report.files] == ["added", "duplicate"]
    dup = report.files[1]
    assert dup.source == source_of(copy) and dup.candidate_name == "Elena Voss"
    assert source_of(original) in dup.message
    assert [r.source for r in assistant.store.documents()] == [source_of(original)]
    assert not report.failed


def test_a_file_overwritten_with_another_files_content_loses_its_old_version(tmp_path: Path,
                                                                              make_assistant) -> None:
    samuel, elena = fx.write_text(tmp_path / "a.txt"), fx.write_markdown(tmp_path / "b.md")
    assistant = make_assistant()
    first = ingest(assistant, samuel, elena)
    shutil.copy(elena, samuel)

    [outcome] = ingest(assistant, samuel).files

    assert outcome.status == "duplicate"
    assert [r.candidate_name for r in assistant.store.documents()] == ["Elena Voss"]
    assert stored(assistant.store, first.files[0].document_id) == (0, 0)
    assert assistant.ask("Who has iOS experience with SwiftUI?").no_match


def test_remove_deletes_passages_units_and_registry(tmp_path: Path, make_assistant) -> None:
    samuel, elena = fx.write_text(tmp_path / "samuel.txt"), fx.write_markdown(tmp_path / "elena.md")
    assistant = make_assistant()
    report = ingest(assistant, samuel, elena)
    samuel_id = report.files[0].document_id

    removed = assistant.store.remove(source_of(samuel))
    assistant.refresh(force=True)

    assert removed is not None and removed.document_id == samuel_id
    assert stored(assistant.store, samuel_id) == (0, 0)
    assert assistant.store.find_source(source_of(samuel)) is None
    assert assistant.store.document_text(source_of(samuel)) is None
    assert [c.name for c in assistant.candidates()] == ["Elena Voss"]
    assert assistant.ask("Who has iOS experience with SwiftUI?").no_match
    assert names(assistant, "Who worked on FPGA acceleration?") == ["Elena Voss"]
    assert assistant.store.remove(source_of(samuel)) is None  # a second remove finds nothing
    [again] = ingest(assistant, samuel).files  # and the file can come back
    assert again.status == "added" and again.document_id == samuel_id


# ---------------------------------------------------------------------------------------------
# Bad files


def _zip_without_document(path: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a word document")
    return path


BROKEN = [
    (fx.write_corrupt_pdf, "corrupt.pdf", "not a readable PDF: "),
    (fx.write_encrypted_pdf, "locked.pdf", "encrypted PDF (password protected)"),
    (fx.write_scanned_pdf, "scan.pdf", "no text layer; it looks scanned and needs OCR"),
    (fx.write_empty_file, "empty.txt", "empty file"),
    (fx.write_empty_file, "empty.pdf", "empty file"),
    (fx.write_unsupported, "resume.xyz", "unsupported file type '.xyz'"),
    (fx.write_undecodable_text, "latin1.txt", "not UTF-8 text"),
    (_zip_without_document, "other.docx", "not a readable Word document"),
]


def test_each_bad_file_fails_alone_and_the_rest_is_stored(tmp_path: Path, make_assistant) -> None:
    good = [fx.write_text(tmp_path / "samuel.txt"), fx.write_chinese_pdf(tmp_path / "li.pdf")]
    bad = [write(tmp_path / "bad" / name) for write, name, _ in BROKEN]
    assistant = make_assistant()
    seen = []

    report = ingest_paths([good[0], *bad, good[1]], assistant.settings, assistant.store,
                          assistant.embeddings, on_file=seen.append)

    assert seen == report.files  # progress is reported file by file
    assert report.failed and report.count("failed") == len(BROKEN) and report.count("added") == 2
    by_source = {f.source: f for f in report.files}
    for path, (_, name, reason) in zip(bad, BROKEN):
        outcome = by_source[source_of(path)]  # one outcome naming the file ...
        assert outcome.status == "failed", name
        assert outcome.message.startswith(reason), (name, outcome.message)  # ... and the reason
        assert outcome.passages == 0 and outcome.document_id is None
    assistant.refresh(force=True)
    assert sorted(c.name for c in assistant.candidates()) == ["Samuel Okafor", "李明远"]
    assert {r.source for r in assistant.store.documents()} == {source_of(p) for p in good}


def test_a_file_over_the_size_limit_fails_with_the_limit(tmp_path: Path, make_assistant) -> None:
    small, big = fx.write_text(tmp_path / "samuel.txt"), fx.write_wordwise_pdf(tmp_path / "jane.pdf")
    assert small.stat().st_size < 1000 < big.stat().st_size
    assistant = make_assistant(max_file_mb=0.001)

    report = ingest(assistant, small, big)

    assert [f.status for f in report.files] == ["added", "failed"]
    assert report.files[1].source == source_of(big)
    assert "the limit is 0.001 MB" in report.files[1].message


def test_a_missing_path_fails_without_stopping_the_batch(tmp_path: Path, make_assistant) -> None:
    good = fx.write_text(tmp_path / "samuel.txt")
    assistant = make_assistant()

    report = ingest(assistant, tmp_path / "nowhere.pdf", good)

    assert [f.status for f in report.files] == ["failed", "added"]
    assert report.files[0].message == "no such file"


def test_a_failed_reingest_keeps_the_stored_version(tmp_path: Path, make_assistant) -> None:
    path = fx.write_text(tmp_path / "samuel.txt")
    assistant = make_assistant()
    [before] = ingest(assistant, path).files
    text = assistant.store.document_text(source_of(path))

    fx.write_undecodable_text(path)  # the file is replaced by something unreadable
    [outcome] = ingest(assistant, path).files

    assert outcome.status == "failed" and outcome.message.startswith("not UTF-8 text")
    [record] = assistant.store.documents()
    assert record.document_id == before.document_id
    assert assistant.store.document_text(source_of(path)) == text
    assert stored(assistant.store, before.document_id)[0] == before.passages
    assert names(assistant, "Who has iOS experience with SwiftUI?") == ["Samuel Okafor"]


# ---------------------------------------------------------------------------------------------
# Walking directories


def test_directories_are_walked_recursively_skipping_hidden_and_unknown_files(tmp_path: Path) -> None:
    fx.write_text(tmp_path / "a" / "samuel.txt")
    fx.write_markdown(tmp_path / "a" / "b" / "elena.md")
    fx.write_docx(tmp_path / "wang.docx")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0")
    (tmp_path / "a" / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    named = fx.write_unsupported(tmp_path / "named.xyz")

    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path, named])]

    assert found == ["a/b/elena.md", "a/samuel.txt", "wang.docx", "named.xyz"]  # a named file is always tried
