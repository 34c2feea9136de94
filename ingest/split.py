"""Split a document along its own structure into passages that are verbatim slices of its text.

Resumes split at section headings; inside a section, bullets stay whole and are grouped under
their heading up to a size budget, and a long bullet is split at sentence ends. A publication
profile (title, author line, abstract per paper) becomes one chunk per paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from candidates.sections import heading_text, is_heading
from candidates.papers import AUTHOR_LINE
from retrieval.text import strip_span

MAX_CHARS = 700  # a chunk grows by whole bullets/lines up to about this size
MIN_CHARS = 160  # ... and a new entry starts a new chunk once the current one has this much
_BULLET = re.compile(r"^\s*(?:[-*•·●○▪■◆◇►▸➢✓✔]|\d{1,2}[.)、](?!\d)|\(\d{1,2}\)|[a-z][.)]\s)\s*")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=[.])(?=\s+[A-Z\d(\[])")
# A venue/date line above a paper's title: "NeurIPS 2023 · Dec 2023", "Journal of X · Mar 2021".
_VENUE_LINE = re.compile(r"(?:19|20)\d\d|·")


@dataclass(frozen=True)
class Chunk:
    start: int
    end: int
    section: str | None


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def bullet(self) -> bool:
        return bool(_BULLET.match(self.text))


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(_Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


MIN_PAPERS = 3  # a page with this many title/author-line pairs is a publication profile
# A document with this many section headings is a resume or CV, even when one of its sections
# lists papers: its papers are read in their section, the page is not a publication profile.
# (Real set: every resume and CV has 2+ headings; the scraped profile pages have none.)
MIN_RESUME_HEADINGS = 2
_SETEXT = re.compile(r"^\s*(?:=+|-+)\s*$")


def is_publication_page(text: str) -> bool:
    """A publication list as a whole (a scraped profile page), not a resume that lists papers."""
    lines = _lines(text)
    return len(_paper_starts(lines)) >= MIN_PAPERS and len(_heading_lines(lines)) < MIN_RESUME_HEADINGS


def split_document(text: str) -> list[Chunk]:
    """Chunks covering the document's content, in order, with their section headings."""
    lines = _lines(text)
    chunks = (_split_profile(text, lines, _paper_starts(lines)) if is_publication_page(text)
              else _split_resume(text, lines))
    return [c for c in (_trim(text, c) for c in chunks) if c is not None]


def _heading_lines(lines: list[_Line]) -> set[int]:
    """Indexes of heading lines: a section word line, or a short line underlined Markdown-style."""
    found = {i for i, line in enumerate(lines) if is_heading(line.text)}
    for i, line in enumerate(lines[1:], start=1):
        above = lines[i - 1]
        if len(line.text.strip()) >= 3 and _SETEXT.match(line.text) and _setext_title(above, line):
            found.add(i - 1)
    return found


def _setext_title(line: _Line, underline: _Line) -> bool:
    """A Markdown setext heading: "Education" over "=====" names a section when it is a heading
    word; over "-----" any short line that is not a list item or a "key: value" line does."""
    text = line.text.strip()
    if not text or line.bullet or len(text) > 48 or re.search(r"[:：]\s*\S", text):
        return False
    return is_heading(text) or underline.text.strip().startswith("-")


# --- resumes -----------------------------------------------------------------------------

def _split_resume(text: str, lines: list[_Line]) -> list[Chunk]:
    chunks: list[Chunk] = []
    section: str | None = None
    group: list[_Line] = []

    def flush() -> None:
        if group:
            chunks.extend(_chunk_group(text, group, section))
            group.clear()

    previous: _Line | None = None
    headings = _heading_lines(lines)
    for i, line in enumerate(lines):
        if line.blank or i - 1 in headings and _SETEXT.match(line.text):
            continue
        if i in headings:
            flush()
            section = heading_text(line.text) or line.text.strip()
            previous = None
            continue
        size = line.end - group[0].start if group else 0
        new_entry = previous is not None and previous.bullet and not line.bullet and size >= MIN_CHARS
        if group and (new_entry or size + len(line.text) > MAX_CHARS):
            flush()
        group.append(line)
        previous = line
    flush()
    return chunks


def _chunk_group(text: str, group: list[_Line], section: str | None) -> list[Chunk]:
    start, end = group[0].start, group[-1].end
    if end - start <= MAX_CHARS * 1.3:
        return [Chunk(start, end, section)]
    return [Chunk(s, e, section) for s, e in _sentence_pieces(text, start, end)]


def _sentence_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split [start, end) at sentence ends into pieces of at most about MAX_CHARS."""
    cuts = [m.start() for m in _SENTENCE_END.finditer(text, start, end)] + [end]
    pieces, piece_start, last_cut = [], start, start
    for cut in cuts:
        if cut - piece_start > MAX_CHARS and last_cut > piece_start:
            pieces.append((piece_start, last_cut))
            piece_start = last_cut
        last_cut = cut
    pieces.append((piece_start, end))
    hard: list[tuple[int, int]] = []
    for s, e in pieces:  # a single "sentence" longer than twice the budget is cut at spaces
        while e - s > MAX_CHARS * 2:
            cut = text.rfind(" ", s + MAX_CHARS // 2, s + MAX_CHARS)
            cut = cut if cut > s else s + MAX_CHARS
            hard.append((s, cut))
            s = cut
        hard.append((s, e))
    return hard


# --- units: the lines or sentences a passage is compared by ---------------------------------

UNIT_CHARS = 240
SHORT_LINE = 30


def split_units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Lines of text[start:end] (a short line joins the next one; a long one is cut at sentences)."""
    units: list[tuple[int, int]] = []
    pending: int | None = None
    for line in _lines(text[start:end]):
        if line.blank:
            continue
        s, e = start + line.start, start + line.end
        if pending is not None:
            s, pending = pending, None
        if e - s < SHORT_LINE:
            pending = s
            continue
        units.extend(_cut_long(text, s, e))
    if pending is not None:
        if units and pending - units[-1][1] <= 2:
            units[-1] = (units[-1][0], end)
        else:
            units.append((pending, end))
    return [(s, e) for s, e in (strip_span(text, s, e) for s, e in units) if e - s >= 2]


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= UNIT_CHARS * 1.5:
        return [(start, end)]
    cuts = [m.start() for m in _SENTENCE_END.finditer(text, start, end)]
    out, piece = [], start
    for cut in cuts + [end]:
        if cut - piece >= UNIT_CHARS or cut == end:
            out.append((piece, cut))
            piece = cut
    return [span for span in out if span[1] > span[0]]


# --- publication profiles ----------------------------------------------------------------

def _paper_starts(lines: list[_Line]) -> list[int]:
    """Indexes of the first line of each paper (venue/date line or title above an author line)."""
    starts: list[int] = []
    content = [i for i, line in enumerate(lines) if not line.blank]
    for pos, idx in enumerate(content):
        line = lines[idx].text.strip()
        if pos < 1 or not AUTHOR_LINE.search(line) or len(line) > 400:
            continue
        title_pos = pos - 1
        title = lines[content[title_pos]].text.strip()
        if len(title) < 12 or title.endswith((".", "。")) and len(title) > 200:
            continue
        first = title_pos
        if title_pos >= 1 and _is_venue_line(lines[content[title_pos - 1]].text.strip()):
            first = title_pos - 1  # a short venue/date line above the title
        if starts and content[first] <= starts[-1]:
            continue
        starts.append(content[first])
    return starts


def _is_venue_line(line: str) -> bool:
    """A short venue/date line (not a sentence, not an author line) that heads the next paper."""
    if len(line) <= 16:
        return True
    return (len(line) <= 60 and bool(_VENUE_LINE.search(line)) and not line.endswith((".", "。"))
            and not AUTHOR_LINE.search(line))


def _split_profile(text: str, lines: list[_Line], starts: list[int]) -> list[Chunk]:
    chunks: list[Chunk] = []
    header = [line for line in lines[:starts[0]] if not line.blank]
    if header:
        chunks.extend(_chunk_group(text, header, "Profile"))
    bounds = starts + [len(lines)]
    for first, nxt in zip(bounds, bounds[1:]):
        body = [line for line in lines[first:nxt] if not line.blank]
        if body:
            chunks.append(Chunk(body[0].start, body[-1].end, "Publications"))
    return chunks


def _trim(text: str, chunk: Chunk) -> Chunk | None:
    start, end = chunk.start, chunk.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < 2:
        return None
    return Chunk(start, end, chunk.section)
