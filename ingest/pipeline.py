"""Ingest: parse → split → embed → store, one file at a time, never stopping the batch."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from langchain_core.embeddings import Embeddings

from ingest.names import detect_name, name_key
from ingest.readers import PARSERS, parse_document
from ingest.profile import extract_profile
from ingest.split import is_publication_page, split_document, split_units
from retrieval import identity
from retrieval.contacts import contact_key
from retrieval.errors import DocumentError, RecruitError
from retrieval.settings import Settings
from retrieval.store import Store
from retrieval.types import (DocumentProfile, DocumentRecord, FileOutcome, IngestReport,
                             ParsedDocument, Passage, Unit)

OnFile = Callable[[FileOutcome], None]


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and every supported file under named directories (recursively)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.parts[-1:]) \
                        and child.suffix.lower() in PARSERS:
                    yield child
        else:
            yield path


def source_of(path: Path) -> str:
    return str(path.resolve())


def ingest_paths(paths: Iterable[Path], settings: Settings, store: Store, embeddings: Embeddings,
                 on_file: OnFile | None = None) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    store.sweep_orphans()
    for path in iter_files(paths):
        outcome = ingest_file(path, source_of(path), settings, store, embeddings, reconcile=False)
        report.files.append(outcome)
        if on_file:
            on_file(outcome)
    if any(f.status in ("added", "updated", "duplicate") for f in report.files):
        identity.reconcile(store)  # once per batch: who each document is about
    report.seconds = time.perf_counter() - started
    return report


def ingest_file(path: Path, source: str, settings: Settings, store: Store,
                embeddings: Embeddings, reconcile: bool = True) -> FileOutcome:
    """Ingest one file; any problem becomes a failed outcome naming the file and the reason.

    With `reconcile`, documents are reassigned to candidates right away (a single upload);
    a batch does it once at its end."""
    try:
        outcome = _ingest(path, source, settings, store, embeddings)
        if reconcile and outcome.status in ("added", "updated", "duplicate"):
            identity.reconcile(store)
            record = store.find_source(source)
            if record is not None:
                outcome.candidate_name = record.candidate_name
        return outcome
    except DocumentError as e:
        return FileOutcome(source=source, status="failed", message=e.reason)
    except RecruitError as e:
        return FileOutcome(source=source, status="failed", message=str(e))
    except OSError as e:
        return FileOutcome(source=source, status="failed", message=f"cannot read file: {e.strerror or e}")


def _ingest(path: Path, source: str, settings: Settings, store: Store,
            embeddings: Embeddings) -> FileOutcome:
    if not path.exists():
        raise DocumentError(source, "no such file")
    size_mb = path.stat().st_size / 1_000_000
    if size_mb > settings.max_file_mb:
        raise DocumentError(source, f"file is {size_mb:.1f} MB; the limit is {settings.max_file_mb:g} MB")
    document_id = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
    existing = store.find_source(source)
    if existing and existing.document_id == document_id:
        return _outcome(existing, "unchanged")
    twin = store.find_document(document_id)
    if twin and twin.source != source:
        note = ""
        if existing:  # this file now holds another file's content: its old version is stale
            store.remove(source)
            note = "; its previous version was removed"
        return FileOutcome(source=source, status="duplicate", document_id=document_id,
                           candidate_name=twin.candidate_name,
                           message=f"identical to {twin.source}; not stored twice{note}")
    parsed = parse_document(path, source)
    record, passages = build_passages(parsed, document_id)
    profile = extract_profile(parsed, passages, record.detected_name,
                              is_publication_page(parsed.text))
    record.contacts = contact_keys(profile)
    headline = profile.of("headline")
    record.headline = " ".join(headline[0].text.split())[:160] if headline else None
    record.flags = list(profile.flags)
    units = build_units(parsed.text, passages)
    unit_vectors = embeddings.embed_documents([u.text for u in units])
    store.write_document(record, parsed.text, parsed.pages, passages, units, unit_vectors, profile)
    return _outcome(record, "updated" if existing else "added")


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
                section=c.section, start=c.start, end=c.end, text=parsed.text[c.start:c.end])
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
