"""The project's vocabulary: every layer speaks in these types.

This module imports nothing else of ours. Ingest produces `ParsedDocument`s and `Passage`s,
retrieval returns `Answer`s, the CLI and the Slack bot render them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PageSpan(BaseModel):
    """Where one page lies in a document's extracted text."""

    model_config = ConfigDict(frozen=True)
    page: int
    start: int
    end: int


class ParsedDocument(BaseModel):
    """A document's extracted text, as every citation quotes it."""

    source: str
    text: str
    pages: list[PageSpan] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.page
        return self.pages[-1].page if self.pages and offset >= self.pages[-1].start else None


class Passage(BaseModel):
    """One chunk of one document: a verbatim slice `text == document_text[start:end]`."""

    model_config = ConfigDict(frozen=True)
    id: str  # f"{document_id}:{index}", stable across re-ingests of the same content
    document_id: str  # content hash of the document
    candidate_id: str
    candidate_name: str
    source: str
    page: int | None = None
    section: str | None = None
    start: int
    end: int
    text: str
    # the kind of its section ("experience", "skills", …, "other": talks, service, languages),
    # read at ingest by candidates.sections; None without a heading or in stores made before it
    section_kind: str | None = None


class Unit(BaseModel):
    """A line or sentence inside a passage: the grain at which meaning is compared."""

    model_config = ConfigDict(frozen=True)
    passage_id: str
    start: int  # offsets into the document's extracted text
    end: int
    text: str


class DocumentRecord(BaseModel):
    """What the store remembers about one ingested document."""

    document_id: str
    source: str
    candidate_id: str
    candidate_name: str
    name_found: bool
    passages: int
    sections: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    detected_name: str | None = None  # the name the document shows (None: no name found)
    headline: str | None = None  # current role or status, as the document states it
    flags: list[str] = Field(default_factory=list)  # e.g. a publication page mixing up namesakes
    contacts: list[str] = Field(default_factory=list)  # contact keys, for telling people apart
    # The organisations its entries name (None: ingested before records kept them).
    employers: list[str] | None = None
    schools: list[str] | None = None  # a high school left out


class IdentityOverride(BaseModel):
    """A user's fix to who a document is about, kept by source so it survives re-ingest."""

    source: str
    name: str | None = None  # `recruit rename`: the display name of this document's person
    same_as: str | None = None  # `recruit merge`: this document's person is that source's person
    at: float = 0.0


class Citation(BaseModel):
    """A verbatim quote of a stored document: `text_of(source)[start:end] == quote`."""

    passage_id: str
    quote: str
    source: str
    page: int | None = None
    section: str | None = None
    start: int
    end: int
    trimmed_before: bool = False  # the passage goes on before the quote (rendered as "…")
    trimmed_after: bool = False
    note: str | None = None  # a warning about this passage ("the author list does not show …")

    def display_quote(self) -> str:
        return ("…" if self.trimmed_before else "") + self.quote + ("…" if self.trimmed_after else "")


class CandidateHit(BaseModel):
    """One person in an answer, with the passages that make them match."""

    id: str
    name: str
    name_found: bool = True
    sources: list[str]
    score: float
    citations: list[Citation]
    headline: str | None = None
    flags: list[str] = Field(default_factory=list)  # warnings about the candidate's documents
    # Written by the optional LLM and shown only when verified: every id is one of this
    # candidate's citations (`Citation.passage_id`) and every quote it gave is verbatim there.
    reason: str | None = None
    reason_passage_ids: list[str] = Field(default_factory=list)

    def reason_refs(self) -> str:
        """"[1][2]": the numbers of the citations the verified reason rests on."""
        numbers = {c.passage_id: n for n, c in enumerate(self.citations, 1)}
        return "".join(f"[{numbers[p]}]" for p in self.reason_passage_ids if p in numbers)


class Answer(BaseModel):
    question: str
    no_match: bool
    candidates: list[CandidateHit] = Field(default_factory=list)
    prose: str | None = None
    composed_by: str | None = None  # the LLM whose verified sentences the answer shows
    notice: str | None = None  # "LLM unavailable: …"; which candidates match all but one part

    def summary_line(self) -> str:
        if self.no_match:
            return "No one in the documents matches this question."
        names = ", ".join(c.name for c in self.candidates)
        return f"{len(self.candidates)} matching candidate(s): {names}"


class Fact(BaseModel):
    """One thing a document says about its person, with the passage that says it.

    `start`/`end` are offsets into the document's extracted text; `text` is that slice."""

    kind: str  # email, phone, link, education, experience, publication, skill, research, headline
    text: str
    source: str
    page: int | None = None
    section: str | None = None
    start: int
    end: int
    detail: dict[str, str | int | None] = Field(default_factory=dict)  # school, degree, dates, …
    flag: str | None = None  # e.g. "the visible author list does not show this name"


DEGREES = ("PhD", "MS", "MBA", "BS", "BA", "high-school", "other")
JOB_KINDS = ("full-time", "intern", "research", "part-time", "other")


class EducationEntry(BaseModel):
    """One school a person attended, as the document states it. Dates are "YYYY", "YYYY-MM" or
    "present"; `citation` quotes the lines the entry was read from (verbatim)."""

    school: str
    degree: str | None = None  # one of DEGREES; a high school is "high-school", never a degree
    field: str | None = None
    start: str | None = None
    end: str | None = None
    citation: Citation


class ExperienceEntry(BaseModel):
    """One position a person held (a job, an internship, a research post)."""

    employer: str
    title: str | None = None
    start: str | None = None
    end: str | None = None
    kind: str = "other"  # one of JOB_KINDS
    citation: Citation


class Location(BaseModel):
    """Where the person is based, as the document states it."""

    text: str
    citation: Citation


class DocumentProfile(BaseModel):
    """What one document says about its person (rules first; every fact cited)."""

    source: str
    name: str | None
    facts: list[Fact] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)  # about the document as a whole
    education: list[EducationEntry] = Field(default_factory=list)
    experience: list[ExperienceEntry] = Field(default_factory=list)
    location: Location | None = None

    def of(self, kind: str) -> list[Fact]:
        return [f for f in self.facts if f.kind == kind]


class CandidateInfo(BaseModel):
    """One person known to the store: all their documents, names and facts."""

    id: str
    name: str
    name_found: bool
    sources: list[str]
    document_ids: list[str]
    sections: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    headline: str | None = None
    facts: list[Fact] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    education: list[EducationEntry] = Field(default_factory=list)  # newest first, all documents
    experience: list[ExperienceEntry] = Field(default_factory=list)
    location: Location | None = None

    def of(self, kind: str) -> list[Fact]:
        return [f for f in self.facts if f.kind == kind]


class SummaryLine(BaseModel):
    field: str
    text: str
    citation: Citation
    note: str | None = None  # a warning about this line ("the author list does not show …")


class Summary(BaseModel):
    candidate: CandidateInfo | None
    lines: list[SummaryLine] = Field(default_factory=list)
    ambiguous: list[CandidateInfo] = Field(default_factory=list)
    # No one matched: the near misses, closest first ("did you mean …").
    suggestions: list[CandidateInfo] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)  # about the candidate's documents as a whole
    # Written by the optional LLM and shown only when verified against the lines' citations.
    overview: str | None = None
    overview_passage_ids: list[str] = Field(default_factory=list)  # `Citation.passage_id`s
    composed_by: str | None = None
    notice: str | None = None  # "LLM unavailable: …"

    def overview_fields(self) -> list[str]:
        """The fields of the lines the verified overview rests on, in card order."""
        return list(dict.fromkeys(line.field for line in self.lines
                                  if line.citation.passage_id in self.overview_passage_ids))


class Response(BaseModel):
    """What one message gets (`Assistant.respond`): a candidate's card when it asks for a summary
    ("summarize NAME"), otherwise the answer to a question (a list question's everyone, or a
    topic question's best matches). `name` is the name a summary asked for."""

    kind: Literal["summary", "answer"]
    answer: Answer | None = None
    summary: Summary | None = None
    name: str | None = None


class FileOutcome(BaseModel):
    """What happened to one file in an ingest batch."""

    source: str
    status: str  # "added" | "updated" | "unchanged" | "duplicate" | "failed"
    document_id: str | None = None
    candidate_name: str | None = None
    name_found: bool = True
    passages: int = 0
    sections: list[str] = Field(default_factory=list)
    message: str | None = None
    warnings: list[str] = Field(default_factory=list)


class IngestReport(BaseModel):
    files: list[FileOutcome] = Field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed(self) -> bool:
        return any(f.status == "failed" for f in self.files)

    @property
    def passages_written(self) -> int:
        return sum(f.passages for f in self.files if f.status in ("added", "updated"))


# --- matching a job description ------------------------------------------------------------

REQUIREMENT_KINDS = ("topic", "degree", "years", "location", "language")
VERDICTS = ("met", "partly", "no")


class Requirement(BaseModel):
    """One requirement read from a job description. `start`/`end` are offsets into the
    description's text (`text` is what it says there, verbatim)."""

    id: str  # "r1", "r2", … in the description's order
    text: str
    kind: str  # one of REQUIREMENT_KINDS
    value: str  # topic: the words searched; degree: a DEGREES label; place; language; years phrase
    must: bool = True  # must-have, else nice-to-have
    section: str | None = None  # the heading it was under ("Requirements", "加分项")
    start: int = 0
    end: int = 0
    min_years: float | None = None
    max_years: float | None = None
    proposed_by: str | None = None  # the LLM that proposed it (its quote of the job verified)


class Coverage(BaseModel):
    """One cell of the requirement × candidate table: the verdict and the quote that shows it."""

    requirement: str  # `Requirement.id`
    verdict: str  # one of VERDICTS ("no": not met)
    citation: Citation | None = None  # verbatim; None only when not met
    note: str | None = None  # "6.5 years of professional experience", "holds PhD"
    score: float = 0.0  # topic: the search's score for this person on this requirement


class MatchHit(CandidateHit):
    """A candidate on a shortlist, with a verdict per requirement."""

    coverage: list[Coverage] = Field(default_factory=list)
    musts_met: bool = False  # every must-have met

    def cell(self, requirement_id: str) -> Coverage | None:
        return next((c for c in self.coverage if c.requirement == requirement_id), None)


class MatchAnswer(Answer):
    """A shortlist for a job description: `ask`'s answer shape plus the requirements read."""

    candidates: list[MatchHit] = Field(default_factory=list)  # type: ignore[assignment]
    requirements: list[Requirement] = Field(default_factory=list)
    dropped: list[Requirement] = Field(default_factory=list)  # dropped by the user
    title: str | None = None  # the job's title (its first line)
