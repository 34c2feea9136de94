"""Extractive candidate summaries: a compact card, every line a cited verbatim passage.

Headline (current role or status), education, experience, research areas and skills, notable
publications, contact. Education and experience lines are the candidate's entries
("MS, Computer Science, Stanford University, 2016–2018"; "Senior Engineer, Acme, 2019–present"),
each citing the lines the entry was read from; the other lines are profile facts. Documents
without profile facts fall back to the first passages of each section.
"""

from __future__ import annotations

import re

from retrieval.quotes import select_quote
from candidates.entries import plain_text
from candidates.sections import FIELDS, field_of
from retrieval.types import (CandidateInfo, Citation, EducationEntry, ExperienceEntry, Fact, Passage,
                             Summary, SummaryLine)

LINE_CHARS = 240
# (card field, fact kind, most lines)
CARD: list[tuple[str, str, int]] = [
    ("headline", "headline", 1),
    ("education", "education", 3),
    ("experience", "experience", 3),
    ("research", "research", 2),
    ("skills", "skill", 2),
    ("publications", "publication", 3),
    ("contact", "email", 2),
    ("contact", "phone", 1),
    ("contact", "link", 2),
]


# Most education and experience lines a card shows. A career is read at a glance only whole: with
# three jobs the card hid the earlier employers a recruiter asks about ("were they ever at Google?").
# On the 36 real development resumes (hand labels), six positions show every job of 27 (three: 12)
# and three degrees every school of 34; a Slack card stays far below its 50 blocks. Entries past
# the limit are counted on the last line shown.
EDUCATION_LINES = 3
EXPERIENCE_LINES = 6


def summarize(candidate: CandidateInfo, passages: list[Passage]) -> Summary:
    """The card of one candidate: from profile facts and entries, else from the passages of
    each section."""
    lines = _card_from_facts(candidate.facts) if candidate.facts else []
    lines = _with_entries(lines, candidate)
    if len(lines) < 2:
        lines = _card_from_passages(passages)
    public = candidate.model_copy(update={"facts": []})
    return Summary(candidate=public, lines=lines, flags=list(candidate.flags))


def _card_from_facts(facts: list[Fact]) -> list[SummaryLine]:
    lines: list[SummaryLine] = []
    for field, kind, most in CARD:
        chosen = [f for f in facts if f.kind == kind]
        if kind == "publication":
            chosen.sort(key=lambda f: (f.flag is not None, "venue" not in f.detail))
        if kind in ("experience", "education"):
            chosen.sort(key=_recency, reverse=True)
        if kind == "headline":
            chosen = chosen[:1]
        lines.extend(_fact_line(field, f) for f in _distinct(chosen)[:most])
    return lines


def _with_entries(lines: list[SummaryLine], candidate: CandidateInfo) -> list[SummaryLine]:
    """The card's education and experience lines rebuilt from the candidate's entries (a field
    without entries keeps its fact lines), in card order."""
    built = {"education": _entry_lines(candidate.education, _education_line, EDUCATION_LINES),
             "experience": _entry_lines(candidate.experience, _experience_line, EXPERIENCE_LINES)}
    out: list[SummaryLine] = []
    placed: set[str] = set()
    for line in lines:
        field = line.field
        if field in built and built[field]:
            if field not in placed:
                out.extend(built[field])
                placed.add(field)
            continue
        out.append(line)
    for field in ("education", "experience"):  # entries of a field the facts did not show
        if field not in placed and built[field]:
            at = next((i for i, line in enumerate(out) if _order(line.field) > _order(field)), len(out))
            out[at:at] = built[field]
    return out


def _entry_lines(entries: list, line_of, most: int) -> list[SummaryLine]:
    """The newest `most` entries, one cited line each; when more remain, the last shown line
    says how many earlier ones the card leaves out."""
    ordered = _newest(entries)
    lines = [line_of(e) for e in ordered[:most]]
    left = len(ordered) - most
    if left > 0 and lines:
        last = lines[-1]
        lines[-1] = last.model_copy(update={"text": f"{last.text} (and {left} earlier)"})
    return lines


def _order(field: str) -> int:
    return next((i for i, (f, _, _) in enumerate(CARD) if f == field), len(CARD))


def _newest(entries: list) -> list:
    """Ongoing entries first, then by end (else start) year, latest first; stable otherwise."""
    def key(entry: EducationEntry | ExperienceEntry) -> tuple[int, str]:
        end = entry.end or entry.start or ""
        return (1 if end == "present" else 0, end if end != "present" else (entry.start or ""))
    return sorted(entries, key=key, reverse=True)


def _span(start: str | None, end: str | None) -> str | None:
    """"2016–2018", "2019–present", "2018" (years only: a card line is a glance)."""
    first = start[:4] if start else None
    last = end if end == "present" else (end[:4] if end else None)
    if first and last and first != last:
        return f"{first}–{last}"
    return first or last


def _education_line(entry: EducationEntry) -> SummaryLine:
    degree = entry.degree if entry.degree not in (None, "other") else None
    parts = [degree, entry.field, entry.school, _span(entry.start, entry.end)]
    return SummaryLine(field="education", text=_clip(", ".join(p for p in parts if p)),
                       citation=entry.citation)


def _experience_line(entry: ExperienceEntry) -> SummaryLine:
    parts = [entry.title, entry.employer, _span(entry.start, entry.end)]
    return SummaryLine(field="experience", text=_clip(", ".join(p for p in parts if p)),
                       citation=entry.citation)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LINE_CHARS else text[:LINE_CHARS - 1].rstrip() + "…"


def _recency(fact: Fact) -> tuple[int, int]:
    """Ongoing first, then by the latest year the line mentions."""
    years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", str(fact.detail.get("dates") or fact.text))]
    return (1 if fact.detail.get("ongoing") else 0, max(years, default=0))


def _distinct(facts: list[Fact]) -> list[Fact]:
    seen: set[str] = set()
    out = []
    for fact in facts:
        key = " ".join(fact.text.split()).lower()
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out


def _fact_line(field: str, fact: Fact) -> SummaryLine:
    """A fact's card line: its own words (a headline read from an entry: the entry's title and
    organisation), citing the fact's lines."""
    text = plain_text(str(fact.detail.get("label") or fact.text))
    if len(text) > LINE_CHARS:
        text = text[:LINE_CHARS - 1].rstrip() + "…"
    citation = Citation(passage_id=f"{fact.source}#{fact.start}", quote=fact.text,
                        source=fact.source, page=fact.page, section=fact.section,
                        start=fact.start, end=fact.end)
    return SummaryLine(field=field, text=text, citation=citation, note=fact.flag)


def _card_from_passages(passages: list[Passage], per_field: int = 2) -> list[SummaryLine]:
    lines: list[SummaryLine] = []
    ordered = sorted(passages, key=lambda p: (p.source, p.start))
    for p in [p for p in ordered if p.section is None or p.section == "Profile"][:1]:
        lines.append(_passage_line("headline", p))
    for field, _ in FIELDS:
        chosen = [p for p in ordered if field_of(p.section) == field][:per_field]
        lines.extend(_passage_line(field, p) for p in chosen)
    return lines


def _passage_line(field: str, passage: Passage) -> SummaryLine:
    citation = select_quote(passage, [], LINE_CHARS)
    text = re.sub(r"\s+", " ", citation.display_quote()).strip()
    return SummaryLine(field=field, text=text, citation=citation)
