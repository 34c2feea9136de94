"""PDF reading: text rebuilt from glyph positions, one page span per page.

pdfplumber's `extract_text()` runs words together in LaTeX output (no space glyphs), interleaves
two-column layouts and keeps running footers, icon glyphs and invisible text; this module builds
lines from the characters themselves, finds columns from a vertical gutter, and drops what a
reader cannot see.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import pdfplumber

from retrieval.text import is_cjk_char, normalize_text, short_error
from retrieval.errors import DocumentError
from retrieval.types import PageSpan, ParsedDocument

# ---------------------------------------------------------------------------------------------
# PDF: glyphs -> lines -> columns -> pages

WORD_GAP = 0.12  # a gap wider than this fraction of the font size separates two words
CJK_GAP = 0.5  # two CJK characters are only separated by a gap of half a character cell or more
MIN_TEXT_CHARS = 20  # fewer non-space characters than this in the whole PDF: a scan without OCR

_ICON_GLYPH = re.compile(r"^\(cid:\d+\)$")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—]?\s*\d{1,3}\s*[-–—]?(?:\s*(?:/|of)\s*\d{1,3})?$"  # "3", "- 3 -", "Page 3 of 4"
    r"|^第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?$",  # "第 3 页 共 4 页"
    re.IGNORECASE,
)


@dataclass
class _Line:
    text: str
    top: float
    bottom: float


@dataclass
class _Word:
    x0: float
    x1: float
    top: float
    bottom: float
    chars: int
    letters: int


def parse_pdf(path: Path, source: str | None = None) -> ParsedDocument:
    """PDF: text rebuilt from glyph positions, one `PageSpan` per page with text."""
    source = source if source is not None else str(path)
    pages: list[list[_Line]] = []
    warnings: list[str] = []
    try:
        with path.open("rb") as stream, pdfplumber.open(stream) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                lines, hidden = _read_page(page)
                pages.append(lines)
                if hidden:
                    warnings.append(
                        f"page {number}: {hidden} characters of invisible text "
                        "(tiny, off-page or white-on-white) were excluded"
                    )
    except Exception as e:  # pdfminer raises many types for damaged or locked files
        raise _pdf_error(source, e) from e
    if not pages:
        raise DocumentError(source, "not a readable PDF: it has no pages")
    if sum(len(line.text.replace(" ", "")) for lines in pages for line in lines) < MIN_TEXT_CHARS:
        raise DocumentError(source, "no text layer; it looks scanned and needs OCR")
    text, spans = _join_pages(_strip_running_lines(pages))
    return ParsedDocument(source=source, text=text, pages=spans, warnings=warnings)


def _pdf_error(source: str, error: BaseException) -> DocumentError:
    for e in _exception_chain(error):
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name:
            return DocumentError(source, "encrypted PDF (password protected); remove the password and re-upload")
    root = next((e for e in _exception_chain(error) if str(e)), error)
    return DocumentError(source, f"not a readable PDF: {short_error(root)}")


def _exception_chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    stack: list[Any] = [error]
    while stack:
        e = stack.pop()
        if not isinstance(e, BaseException) or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        stack.extend([e.__cause__, e.__context__, *e.args])


def _read_page(page: Any) -> tuple[list[_Line], int]:
    """The page's lines in reading order, and how many invisible characters were dropped."""
    visible, hidden = _visible_chars(page)
    gutter = _find_gutter(visible, page.width)
    if gutter is None:
        return _build_lines(visible), hidden
    x, band_top, band_bottom = gutter
    regions: list[list[dict]] = [[], [], [], []]  # above, left, right, below
    for c in visible:
        middle = (c["top"] + c["bottom"]) / 2
        if middle < band_top:
            regions[0].append(c)
        elif middle > band_bottom:
            regions[3].append(c)
        else:
            regions[1 if (c["x0"] + c["x1"]) / 2 < x else 2].append(c)
    return [line for region in regions for line in _build_lines(region)], hidden


def _visible_chars(page: Any) -> tuple[list[dict], int]:
    """Drop icon glyphs silently; drop invisible text and count its non-space characters."""
    x0, top, x1, bottom = page.bbox
    shapes = page.rects + page.curves
    backgrounds = [s for s in shapes if s.get("fill") and not _is_white(s.get("non_stroking_color"))] + page.images
    kept, hidden = [], 0
    for c in page.chars:
        text = c["text"]
        if _ICON_GLYPH.match(text) or any(ch == "\ufffd" or 0xE000 <= ord(ch) <= 0xF8FF for ch in text):
            continue
        off_page = c["x1"] <= x0 or c["x0"] >= x1 or c["bottom"] <= top or c["top"] >= bottom
        white = _is_white(c.get("non_stroking_color")) and not _covers(backgrounds, c)
        if c["size"] < 1 or off_page or white:
            hidden += len(text.strip())
            continue
        kept.append(c)
    return _dedupe(kept), hidden


def _dedupe(chars: list[dict], tolerance: float = 1.0) -> list[dict]:
    """Drop a glyph drawn again within `tolerance` points of itself (fake bold, shadows)."""
    seen: dict[tuple, list[tuple[float, float]]] = {}
    unique = []
    for c in chars:
        key = (c["text"], c["fontname"], round(c["size"], 1))
        positions = seen.setdefault(key, [])
        if any(abs(c["x0"] - x) <= tolerance and abs(c["top"] - y) <= tolerance for x, y in positions):
            continue
        positions.append((c["x0"], c["top"]))
        unique.append(c)
    return unique


def _is_white(color: Any) -> bool:
    """White fill in gray (1), RGB (1,1,1) or CMYK (0,0,0,0)."""
    if not isinstance(color, (tuple, list)) or not all(isinstance(v, (int, float)) for v in color):
        return False
    values = tuple(float(v) for v in color)
    if len(values) in (1, 3):
        return all(v >= 0.97 for v in values)
    return len(values) == 4 and all(v <= 0.03 for v in values)


def _covers(shapes: Iterable[dict], c: dict) -> bool:
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return any(s["x0"] <= x <= s["x1"] and s["top"] <= y <= s["bottom"] for s in shapes)


def _group_rows(chars: list[dict]) -> list[list[dict]]:
    """Chars sharing a text row: a char joins the row its vertical middle falls into."""
    rows: list[list[dict]] = []
    row_top = row_bottom = 0.0
    for c in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        middle = (c["top"] + c["bottom"]) / 2
        if rows and row_top <= middle <= row_bottom:
            rows[-1].append(c)
            row_bottom = max(row_bottom, c["bottom"])
        else:
            rows.append([c])
            row_top, row_bottom = c["top"], c["bottom"]
    return [sorted(row, key=lambda c: c["x0"]) for row in rows]


def _needs_space(left: dict, right: dict) -> bool:
    gap = right["x0"] - left["x1"]
    size = max(left["size"], right["size"], 1.0)
    if is_cjk_char(left["text"][-1]) and is_cjk_char(right["text"][0]):
        return gap > CJK_GAP * size
    return gap > WORD_GAP * size


def _split_words(row: list[dict]) -> Iterator[list[dict]]:
    word: list[dict] = []
    for c in row:
        if word and _needs_space(word[-1], c):
            yield word
            word = []
        word.append(c)
    if word:
        yield word


def _build_lines(chars: list[dict]) -> list[_Line]:
    rows = [list(_split_words(row)) for row in _group_rows(chars)]
    edge = _body_edge(rows)
    if edge is None:
        return [line for line in (_row_line(words) for words in rows) if line is not None]
    return _lines_with_margin(rows, edge)


def _row_line(words: list[list[dict]]) -> _Line | None:
    text = re.sub(r"\s+", " ", " ".join("".join(c["text"] for c in word) for word in words)).strip()
    if not text:
        return None
    chars = [c for word in words for c in word]
    return _Line(text, min(c["top"] for c in chars), max(c["bottom"] for c in chars))


# A margin column (section labels or dates left of the body): its text ends this far left of the
# body's left edge, which sits at least MARGIN_MIN_WIDTH right of the margin's own left edge.
# Set on the real set's margin-heading CVs (label column 50-110 pt wide) against one-column
# resumes, whose rows all start within a few points of one edge.
MARGIN_GAP = 4.0
MARGIN_MIN_WIDTH = 40.0
MARGIN_MIN_ROWS = 3  # this many rows with margin text ...
MARGIN_MAX_SHARE = 0.45  # ... and at most this share of the rows: otherwise it is a real column
BODY_RAGGED = 15.0  # body rows start within this of the edge (labels, dates and sub-lists shift it)
MARGIN_EDGE_SHARE = 0.1  # a body edge is where at least this share of the rows start
MARGIN_GUTTER = 0.5  # margin and body text are half a font size apart or more (a space is ~0.25;
# the real set's margin labels sit 0.65 and 10 sizes from the body)


def _body_edge(rows: list[list[list[dict]]]) -> float | None:
    """The body's left edge, when a few rows carry separate text left of it (a margin column):
    the leftmost x where many rows start that leaves such a margin."""
    starts = [round(row[0][0]["x0"]) for row in rows if row]
    if len(starts) < 8:
        return None
    counts = Counter(starts)
    for edge in sorted(x for x, n in counts.items() if n >= MARGIN_EDGE_SHARE * len(starts)):
        if edge - min(starts) < MARGIN_MIN_WIDTH:
            continue
        split = sum(1 for row in rows if _margin_words(row, edge)[0])
        if not MARGIN_MIN_ROWS <= split <= MARGIN_MAX_SHARE * len(rows):
            continue
        # rows that run from the margin across the edge (a title, a header, an outdented list
        # level): a few in a margin layout, many in an indented one-column page
        crossing = sum(1 for row in rows if row[0][0]["x0"] < edge - BODY_RAGGED
                       and row[-1][-1]["x1"] > edge and not _margin_words(row, edge)[0])
        if crossing <= max(MARGIN_MIN_ROWS, split // 2):
            return float(edge)
    return None


def _margin_words(row: list[list[dict]], edge: float) -> tuple[list[list[dict]], list[list[dict]]]:
    """The row's words left of the body edge, and the rest; no split when a word crosses the edge,
    nothing follows in the body, or the gap to the body is only a space (a full-width row)."""
    margin = [w for w in row if w[-1]["x1"] <= edge - MARGIN_GAP]
    body = row[len(margin):]
    if not margin or not body or body[0][0]["x0"] < edge - BODY_RAGGED:
        return [], row
    label = "".join(c["text"] for w in margin for c in w)
    if sum(ch.isalpha() for ch in label) < 2 and not re.search(r"(?:19|20)\d\d", label):
        return [], row  # a bullet or list number ("1.", "(a)") before its item
    size = max(margin[-1][-1]["size"], 1.0)
    if body[0][0]["x0"] - margin[-1][-1]["x1"] < MARGIN_GUTTER * size:
        return [], row
    return margin, body


def _lines_with_margin(rows: list[list[list[dict]]], edge: float) -> list[_Line]:
    """Body rows in order; margin text becomes its own line before the body row it labels, and
    a label broken over several rows ("Awards" / "and" / "Honors") is read as one line."""
    body: list[_Line] = []
    pieces: list[_Line] = []
    for row in rows:
        margin, rest = _margin_words(row, edge)
        if not margin and row[-1][-1]["x1"] <= edge - MARGIN_GAP and not _is_bullet(row):
            margin, rest = row, []  # a row holding only margin text
        for words, out in ((margin, pieces), (rest, body)):
            line = _row_line(words) if words else None
            if line is not None:
                out.append(line)
    if not pieces:
        return body
    labels = _join_labels(pieces)
    return _place_labels(body, labels)


def _is_bullet(row: list[list[dict]]) -> bool:
    return len(row) == 1 and len("".join(c["text"] for c in row[0]).strip()) <= 1


def _join_labels(pieces: list[_Line]) -> list[_Line]:
    """Consecutive margin rows of words (no digits) close together form one label."""
    labels: list[_Line] = []
    for piece in pieces:
        last = labels[-1] if labels else None
        height = piece.bottom - piece.top
        if (last is not None and piece.top - last.bottom <= 1.2 * height
                and not re.search(r"\d", last.text + piece.text)):
            labels[-1] = _Line(f"{last.text} {piece.text}", last.top, piece.bottom)
        else:
            labels.append(piece)
    return labels


def _place_labels(body: list[_Line], labels: list[_Line]) -> list[_Line]:
    """Each label goes before the body row it sits beside, or before the row above that one when
    that row opens a paragraph (a label centred on a two-line entry sits on its second line)."""
    out: list[_Line] = []
    anchors: dict[int, list[_Line]] = {}
    height = sorted(line.bottom - line.top for line in body)[len(body) // 2] if body else 10.0
    for label in labels:
        at = next((i for i, line in enumerate(body) if line.bottom > label.top + 0.3 * height), len(body))
        if 1 <= at < len(body) and _opens_paragraph(body, at - 1) and \
                label.top - body[at - 1].top <= 1.6 * height:
            at -= 1
        anchors.setdefault(at, []).append(label)
    for i, line in enumerate(body + [None]):
        out.extend(anchors.get(i, []))
        if line is not None:
            out.append(line)
    return out


def _opens_paragraph(body: list[_Line], i: int) -> bool:
    """The gap above row i is clearly wider than the gap below it."""
    if i == 0:
        return True
    if i + 1 >= len(body):
        return False
    above = body[i].top - body[i - 1].bottom
    below = body[i + 1].top - body[i].bottom
    return above > 1.5 * max(below, 0.5)


def _find_gutter(chars: list[dict], page_width: float) -> tuple[float, float, float] | None:
    """A vertical gap that splits the page into two text columns over most of its text height.

    Returns (x, band_top, band_bottom) or None. An x is a gutter candidate when no word crosses it
    over a vertical band covering at least half of the text height and both sides of the band hold
    real text (see `_both_sides_substantial`): left-margin section labels and right-aligned dates or
    places in a one-column resume do not qualify.
    """
    words = sorted((_word_box(w) for row in _group_rows(chars) for w in _split_words(row)), key=lambda w: w.top)
    if len(words) < 20:
        return None
    text_top, text_bottom = min(w.top for w in words), max(w.bottom for w in words)
    height = text_bottom - text_top
    best: tuple[float, float, float, float] | None = None  # (band height, x, top, bottom)
    run: list[tuple[float, float, float]] = []
    for x in range(int(page_width * 0.2), int(page_width * 0.8) + 1, 2):
        band = _free_band(words, x, text_top, text_bottom)
        if band and band[1] - band[0] >= 0.5 * height and _both_sides_substantial(words, x, *band):
            run.append((float(x), *band))
            continue
        best = _better_gutter(best, run)
        run = []
    best = _better_gutter(best, run)
    return None if best is None else best[1:]


def _word_box(chars: list[dict]) -> _Word:
    return _Word(
        min(c["x0"] for c in chars), max(c["x1"] for c in chars),
        min(c["top"] for c in chars), max(c["bottom"] for c in chars), sum(len(c["text"]) for c in chars),
        sum(ch.isalpha() for c in chars for ch in c["text"]),
    )


def _free_band(words: list[_Word], x: float, top: float, bottom: float) -> tuple[float, float] | None:
    """The tallest vertical stretch at `x` that no word box (padded by 2pt) crosses; `words` sorted by top."""
    blocked = [(w.top, w.bottom) for w in words if w.x0 - 2 < x < w.x1 + 2]
    best, cursor = None, top
    for b_top, b_bottom in blocked + [(bottom, bottom)]:
        if b_top > cursor and (best is None or b_top - cursor > best[1] - best[0]):
            best = (cursor, b_top)
        cursor = max(cursor, b_bottom)
    return best


def _both_sides_substantial(words: list[_Word], x: float, top: float, bottom: float) -> bool:
    """Both sides hold real text: 3+ rows, a share of the characters, mostly letters.

    The right side must also be left-aligned like a column, which right-aligned dates and places
    next to short one-column lines are not.
    """
    inside = [w for w in words if top <= (w.top + w.bottom) / 2 <= bottom]
    left = [w for w in inside if w.x1 <= x]
    right = [w for w in inside if w.x0 >= x]
    total = sum(w.chars for w in inside)
    for side in (left, right):
        chars = sum(w.chars for w in side)
        if len({round(w.top) for w in side}) < 3 or chars < max(40, 0.08 * total):
            return False
        if sum(w.letters for w in side) < 0.5 * chars:
            return False
    return _left_aligned(right)


def _left_aligned(words: list[_Word], slack: float = 30.0) -> bool:
    """Most rows start within `slack` points of the leftmost row start."""
    starts: dict[int, float] = {}
    for w in words:
        row = round(w.top)
        starts[row] = min(starts.get(row, w.x0), w.x0)
    edge = min(starts.values())
    return sum(1 for x0 in starts.values() if x0 - edge <= slack) >= 0.7 * len(starts)


def _better_gutter(best: Any, run: list[tuple[float, float, float]]) -> Any:
    """Keep the gutter whose band is tallest; a gutter is placed in the middle of its run of x's."""
    if not run:
        return best
    x, top, bottom = run[len(run) // 2]
    candidate = (bottom - top, x, top, bottom)
    return candidate if best is None or candidate[0] > best[0] else best


def _strip_running_lines(pages: list[list[_Line]]) -> list[list[str]]:
    """Drop headers/footers repeated at the top or bottom of 2+ pages, and page-number lines there."""
    edges = [_edge_lines(lines) for lines in pages]
    counts: Counter[str] = Counter()
    for top, bottom in edges:
        counts.update({_running_key(line.text) for line in top + bottom})
    repeated = {key for key, n in counts.items() if n >= 2} if len(pages) >= 2 else set()
    result = []
    for number, (lines, (top, bottom)) in enumerate(zip(pages, edges), start=1):
        removable = {id(line) for line in bottom + (top if number > 1 else [])}  # page 1 keeps its title
        drop = {
            id(line) for line in top + bottom
            if _PAGE_NUMBER.match(line.text) or (id(line) in removable and _running_key(line.text) in repeated)
        }
        result.append([line.text for line in lines if id(line) not in drop])
    return result


def _edge_lines(lines: list[_Line], depth: int = 2) -> tuple[list[_Line], list[_Line]]:
    by_top = sorted(lines, key=lambda line: line.top)
    return by_top[:depth], by_top[-depth:]


def _running_key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text)).strip().lower()


def _join_pages(pages: list[list[str]]) -> tuple[str, list[PageSpan]]:
    parts: list[str] = []
    spans: list[PageSpan] = []
    offset = 0
    for number, lines in enumerate(pages, start=1):
        page_text = normalize_text("\n".join(lines))
        if not page_text:
            continue
        if parts:
            offset += 2  # the "\n\n" between pages
        spans.append(PageSpan(page=number, start=offset, end=offset + len(page_text)))
        parts.append(page_text)
        offset += len(page_text)
    return "\n\n".join(parts), spans
