"""Reading a fictional resume's entries as the pipeline does, for the entry-shape tests."""

from __future__ import annotations

from candidates.entries import read_entries
from ingest.pipeline import build_passages
from retrieval.types import EducationEntry, ExperienceEntry, PageSpan, ParsedDocument


def read_fictional(text: str, source: str = "fictional.md"
                   ) -> tuple[list[EducationEntry], list[ExperienceEntry]]:
    """The education and experience entries of a one-page document; every citation must slice
    the document's text to exactly its quote."""
    doc = ParsedDocument(source=source, text=text, pages=[PageSpan(page=1, start=0, end=len(text))])
    _, passages = build_passages(doc, "doc1")
    education, experience, _ = read_entries(doc, passages)
    for entry in education + experience:
        c = entry.citation
        assert doc.text[c.start:c.end] == c.quote
    return education, experience
