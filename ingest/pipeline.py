"""Ingest: parse → split → embed → store, a few files per write, never stopping the batch.

Several ingests (processes, or the bot's Slack intake beside a `recruit ingest`) may run on one
store at once: they parse and embed side by side and take turns at the store's write lock for
each commit. Whether a file's content is already stored is looked up early (to skip the work)
and decided again by the store at the commit (`Store.write_documents`): a file that lost the
race to another writer is reported as a duplicate of the stored one, exactly as if it had been
found early, and nothing of it is written."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from candidates.detect import detect_name, name_key
from candidates.entries import plain_text
from ingest.readers import PARSERS, parse_document
from candidates.profile import extract_profile
from ingest.split import is_publication_page, split_document, split_units
from candidates.sections import section_kind
from candidates import identity
from candidates.contacts import contact_key
from retrieval.errors import DocumentError, RecruitError
from retrieval.settings import Settings
from retrieval.store import DocumentWrite, Refusal, Store
from retrieval.writelock import StoreLocked
from retrieval.types import (DocumentProfile, DocumentRecord, FileOutcome, IngestReport,
                             ParsedDocument, Passage, Unit)

OnFile = Callable[[FileOutcome], None]
# Files per store write, batch after batch: each Chroma call costs tens of ms whatever its size,
# so larger batches write faster; the first ones are small so that outcomes appear at once.
BATCH_FILES = (1, 2, 4, 8, 16, 32)
_FAILURES = (DocumentError, RecruitError, OSError)


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and every supported file under named directories (recursively)."""
    for path in paths:
        if path.is_dir():
            yield from (child for child in _walk(path) if child.suffix.lower() in PARSERS)
        else:
            yield path


def unsupported_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under named directories that `iter_files` passes over: no parser reads their type.
    (A file named directly is always tried, and fails with a message when unsupported.)"""
    for path in paths:
        if path.is_dir():
            yield from (child for child in _walk(path) if child.suffix.lower() not in PARSERS)


def _walk(directory: Path) -> Iterator[Path]:
    """The files under a directory, recursively, in name order; hidden files (.DS_Store) left
    out, and so are links that lead out of the directory (a walk of ~/resumes must not read
    /etc/passwd through a link someone left there)."""
    root = directory.resolve()
    return (child for child in sorted(directory.rglob("*"))
            if child.is_file() and not child.name.startswith(".") and _inside(child, root))


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except OSError:  # a link loop
        return False


def source_of(path: Path) -> str:
    return str(path.resolve())


def ingest_paths(paths: Iterable[Path], settings: Settings, store: Store, embeddings: Embeddings,
                 on_file: OnFile | None = None,
                 batch_files: Sequence[int] = BATCH_FILES) -> IngestReport:
    """Ingest files a batch at a time (the k-th batch holds up to `batch_files[k]` files, the
    last size repeating): each file is parsed and split, then the batch's units are embedded in
    one call and its documents written in one store call (`write_documents`, whose registry
    upsert is the batch's commit point). Outcomes are reported in file order, a batch's when it
    is committed; a bad file fails alone."""
    started = time.perf_counter()
    report = IngestReport()
    store.sweep_orphans()
    outcomes: list[FileOutcome | None] = []  # by file; None while its batch is pending
    pending: list[_Pending] = []
    batches = 0
    locked: list[StoreLocked] = []  # the store stayed locked: every later file fails at once

    def settle() -> None:
        while len(report.files) < len(outcomes) and outcomes[len(report.files)] is not None:
            report.files.append(outcomes[len(report.files)])
            if on_file:
                on_file(report.files[-1])

    def commit() -> None:
        try:
            results = [] if locked else _store_batch(pending, store, embeddings)
        except StoreLocked as e:
            locked.append(e)
        if locked:
            results = [(p.slot, _failed(p.record.source, locked[0])) for p in pending]
        for slot, outcome in results:
            outcomes[slot] = outcome
        pending.clear()
        settle()

    for path in iter_files(paths):
        source = source_of(path)
        outcomes.append(None)
        if locked:
            outcomes[-1] = _failed(source, locked[0])
            settle()
            continue
        try:
            document_id = _content_id(path, source, settings)
        except _FAILURES as e:
            outcomes[-1] = _failed(source, e)
            settle()
            continue
        if any(_depends(p, source, document_id) for p in pending):
            commit()  # decided against the store as if the files were written one by one
        try:
            decided, existing = _known(source, document_id, store)
            if decided is None:
                pending.append(_prepare(path, source, document_id, len(outcomes) - 1, existing))
            outcomes[-1] = decided
        except _FAILURES as e:
            outcomes[-1] = _failed(source, e)
        if len(pending) >= batch_files[min(batches, len(batch_files) - 1)]:
            commit()
            batches += 1
        settle()
    commit()
    if not locked and any(f.status in ("added", "updated", "duplicate") for f in report.files):
        _reconcile(store)  # once per run: who each document is about
    report.seconds = time.perf_counter() - started
    return report


def ingest_file(path: Path, source: str, settings: Settings, store: Store,
                embeddings: Embeddings, reconcile: bool = True) -> FileOutcome:
    """Ingest one file; any problem becomes a failed outcome naming the file and the reason.

    With `reconcile`, documents are reassigned to candidates right away (a single upload)."""
    try:
        document_id = _content_id(path, source, settings)
        outcome, existing = _known(source, document_id, store)
        if outcome is None:
            [(_, outcome)] = _store_batch([_prepare(path, source, document_id, 0, existing)],
                                          store, embeddings)
        if reconcile and outcome.status in ("added", "updated", "duplicate"):
            _reconcile(store)
            record = store.find_source(source)
            if record is not None:
                outcome.candidate_name = record.candidate_name
        return outcome
    except _FAILURES as e:
        return _failed(source, e)


def _reconcile(store: Store) -> None:
    """Who each document is about, read and rewritten as one step: another writer's documents
    are then either all seen or all after."""
    with store.exclusive():
        identity.reconcile(store)


@dataclass
class _Pending:
    """A parsed and split file waiting for its batch's embedding and write."""

    slot: int
    existing: DocumentRecord | None
    record: DocumentRecord
    parsed: ParsedDocument
    passages: list[Passage]
    units: list[Unit]
    profile: DocumentProfile


def _depends(p: _Pending, source: str, document_id: str) -> bool:
    """Whether a file's outcome depends on the pending write `p`: the same file, the same
    content, or the content `p` is about to replace."""
    return p.record.source == source or p.record.document_id == document_id or \
        (p.existing is not None and p.existing.document_id == document_id)


def _failed(source: str, e: Exception) -> FileOutcome:
    if isinstance(e, DocumentError):
        message = e.reason
    elif isinstance(e, OSError) and not isinstance(e, ConnectionError):
        message = f"cannot read file: {e.strerror or e}"
    elif isinstance(e, RecruitError):
        message = str(e)
    else:
        message = f"could not be stored: {type(e).__name__}: {e}"
    return FileOutcome(source=source, status="failed", message=message)


def _content_id(path: Path, source: str, settings: Settings) -> str:
    if not path.exists():
        raise DocumentError(source, "no such file")
    size_mb = path.stat().st_size / 1_000_000
    if size_mb > settings.max_file_mb:
        raise DocumentError(source, f"file is {size_mb:.1f} MB; the limit is {settings.max_file_mb:g} MB")
    return hashlib.sha256(path.read_bytes()).hexdigest()[:20]


def _known(source: str, document_id: str,
           store: Store) -> tuple[FileOutcome | None, DocumentRecord | None]:
    """The outcome of a file the store already holds (unchanged, or a duplicate of another
    source), else None; and the source's stored record."""
    existing = store.find_source(source)
    if existing and existing.document_id == document_id:
        return _outcome(existing, "unchanged"), existing
    twin = store.find_document(document_id)
    if twin and twin.source != source:
        removed = store.remove(source) if existing else None  # this file now holds another
        return _duplicate(source, twin, removed is not None), existing  # file's content: stale
    return None, existing


def _duplicate(source: str, twin: DocumentRecord, removed: bool) -> FileOutcome:
    note = "; its previous version was removed" if removed else ""
    return FileOutcome(source=source, status="duplicate", document_id=twin.document_id,
                       candidate_name=twin.candidate_name,
                       message=f"identical to {twin.source}; not stored twice{note}")


def _refused(refusal: Refusal) -> FileOutcome:
    """The outcome of a write the store refused at its commit: another writer stored the
    content first, under another source (a duplicate) or this one (unchanged)."""
    if refusal.unchanged:
        return _outcome(refusal.stored, "unchanged")
    return _duplicate(refusal.source, refusal.stored, refusal.removed is not None)


def _prepare(path: Path, source: str, document_id: str, slot: int,
             existing: DocumentRecord | None) -> _Pending:
    parsed = parse_document(path, source)
    record, passages = build_passages(parsed, document_id)
    profile = extract_profile(parsed, passages, record.detected_name,
                              is_publication_page(parsed.text))
    record.contacts = contact_keys(profile)
    headline = profile.of("headline")
    record.headline = plain_text(str(headline[0].detail.get("label") or headline[0].text))[:160] \
        if headline else None
    record.flags = list(profile.flags)
    record.employers = [e.employer for e in profile.experience if e.employer]
    record.schools = [e.school for e in profile.education if e.school and e.degree != "high-school"]
    units = build_units(parsed.text, passages)
    return _Pending(slot, existing, record, parsed, passages, units, profile)


def _store_batch(batch: list[_Pending], store: Store,
                 embeddings: Embeddings) -> list[tuple[int, FileOutcome]]:
    """Embed the batch's units in one call and write its documents in one store call; if that
    write fails, each document is written alone so that only the bad one fails."""
    if not batch:
        return []
    try:
        vectors = embeddings.embed_documents([u.text for p in batch for u in p.units])
    except Exception as e:  # noqa: BLE001 - e.g. a remote embedder down: each file says so
        return [(p.slot, _failed(p.record.source, e)) for p in batch]
    writes, at = [], 0
    for p in batch:
        writes.append(DocumentWrite(p.record, p.parsed.text, p.parsed.pages, p.passages, p.units,
                                    vectors[at:at + len(p.units)], p.profile))
        at += len(p.units)
    try:
        return _written(batch, store.write_documents(writes))
    except StoreLocked:
        raise  # no file of this batch can be written: trying them one by one would wait again
    except Exception as e:  # noqa: BLE001 - the store failed: find which document, if one
        if len(batch) == 1:
            return [(batch[0].slot, _failed(batch[0].record.source, e))]
    out = []
    for p, write in zip(batch, writes):
        try:
            out += _written([p], store.write_documents([write]))
        except StoreLocked:
            raise
        except Exception as e:  # noqa: BLE001 - this file fails; the others go on
            out.append((p.slot, _failed(p.record.source, e)))
    return out


def _written(batch: list[_Pending], refusals: list[Refusal]) -> list[tuple[int, FileOutcome]]:
    refused = {r.source: r for r in refusals}
    return [(p.slot, _refused(refused[p.record.source]) if p.record.source in refused
             else _outcome(p.record, "updated" if p.existing else "added")) for p in batch]


def contact_keys(profile: DocumentProfile) -> list[str]:
    """The e-mails, phones and links a document shows, in comparable form."""
    return sorted({contact_key(f.kind, f.text) for f in profile.facts
                   if f.kind in ("email", "phone", "link")})


def build_passages(parsed: ParsedDocument, document_id: str) -> tuple[DocumentRecord, list[Passage]]:
    """The registry record and the passages of one parsed document."""
    name = detect_name(parsed.text)
    candidate_id = name_key(name) if name else \
        f"doc-{hashlib.sha1(parsed.source.encode('utf-8')).hexdigest()[:10]}"
    label = name or Path(parsed.source).stem
    chunks = split_document(parsed.text)
    if not chunks:
        raise DocumentError(parsed.source, "no text to index after extraction")
    passages = [
        Passage(id=f"{document_id}:{i}", document_id=document_id, candidate_id=candidate_id,
                candidate_name=label, source=parsed.source, page=parsed.page_at(c.start),
                section=c.section, start=c.start, end=c.end, text=parsed.text[c.start:c.end],
                section_kind=section_kind(c.section))
        for i, c in enumerate(chunks)
    ]
    sections = list(dict.fromkeys(c.section for c in chunks if c.section))
    warnings = list(parsed.warnings)
    if not name:
        warnings.append("no candidate name found in the document; labelled by its file name")
    record = DocumentRecord(document_id=document_id, source=parsed.source, candidate_id=candidate_id,
                            candidate_name=label, name_found=name is not None,
                            passages=len(passages), sections=sections, warnings=warnings,
                            detected_name=name)
    return record, passages


def build_units(text: str, passages: list[Passage]) -> list[Unit]:
    """The lines/sentences of every passage: what gets embedded and compared with questions."""
    return [Unit(passage_id=p.id, start=s, end=e, text=text[s:e])
            for p in passages for s, e in split_units(text, p.start, p.end)]


def _outcome(record: DocumentRecord, status: str) -> FileOutcome:
    return FileOutcome(source=record.source, status=status, document_id=record.document_id,
                       candidate_name=record.candidate_name, name_found=record.name_found,
                       passages=record.passages, sections=record.sections,
                       warnings=record.warnings + record.flags)
