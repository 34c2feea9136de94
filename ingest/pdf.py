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
from typing import Any, Iterator

import pdfplumber

from ingest.visibility import describe_kinds, read_visible_layout
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


# The longest real document in the development sets has 6 pages; an academic CV with a long
# publication list may run to a few dozen. Past this a file is not a resume, and reading it would take
# minutes and gigabytes (a 200-page PDF: 199 s, 2.26 GB before pages were closed).
MAX_PAGES = 60


def parse_pdf(path: Path, source: str | None = None) -> ParsedDocument:
    """PDF: text rebuilt from glyph positions, one `PageSpan` per page with text."""
    source = source if source is not None else str(path)
    pages: list[list[_Line]] = []
    warnings: list[str] = []
    try:
        with path.open("rb") as stream, pdfplumber.open(stream) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise DocumentError(source, f"has {len(pdf.pages)} pages; the limit is {MAX_PAGES} "
                                            "(a resume or CV is far shorter)")
            edges: list[float | None] = []
            for number, page in enumerate(pdf.pages, start=1):
                lines, hidden, edge = _read_page(page)
                page.close()  # its parsed objects: about 7 MB a page if kept to the end
                pages.append(lines)
                edges.append(edge)
                if hidden:
                    warnings.append(_hidden_warning(number, hidden))
            known = Counter(e for e in edges if e is not None).most_common(1)
            for i, edge in enumerate(edges):
                if known and edge is None:  # a page with one or two margin labels, read by the others' edge
                    pages[i] = _read_page(pdf.pages[i], known[0][0])[0]
    except DocumentError:
        raise
    except Exception as e:  # pdfminer raises many types for damaged or locked files
        raise _pdf_error(source, e) from e
    if not pages:
        raise DocumentError(source, "not a readable PDF: it has no pages")
    if sum(len(line.text.replace(" ", "")) for lines in pages for line in lines) < MIN_TEXT_CHARS:
        if warnings:  # its text is there but drawn invisibly: say so, not "scanned"
            raise DocumentError(source, "almost all of its text is invisible (" +
                                "; ".join(warnings) + "): nothing readable is left")
        raise DocumentError(source, "no text layer; it looks scanned and needs OCR")
    text, spans = _join_pages(_strip_running_lines(pages))
    return ParsedDocument(source=source, text=text, pages=spans, warnings=warnings)


def _hidden_warning(page: int, hidden: Counter[str]) -> str:
    """"page 2: 58 characters of invisible text (tiny or covered) were excluded"."""
    return (f"page {page}: {sum(hidden.values())} characters of invisible text "
            f"({describe_kinds(hidden)}) were excluded")


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


def _read_page(page: Any, known_edge: float | None = None) -> tuple[list[_Line], Counter[str], float | None]:
    """The page's lines in reading order, how many invisible characters were dropped (by kind),
    and the body edge of its margin column when it has one (`known_edge`: the edge other pages have)."""
    visible, hidden = _visible_chars(page)
    gutter = _find_gutter(visible, page.width)
    if gutter is None:
        lines, edge = _build_lines(visible, known_edge)
        return lines, hidden, edge
    regions = _split_columns(visible, gutter)
    return [line for region in regions for line in _build_lines(region)[0]], hidden, None


def _split_columns(chars: list[dict], gutter: _Gutter) -> list[list[dict]]:
    """The page's characters as four regions in reading order: above the band, its left column
    (all of it, top to bottom), its right column, below the band.

    A word that overflows into the gutter (a long e-mail address in a narrow sidebar) stays whole
    on the side where most of it lies; other characters go by their own middle, so two columns
    whose words nearly touch are still cut in the gap between them.
    """
    regions: list[list[dict]] = [[], [], [], []]  # above, left, right, below
    for row in _group_rows(chars):
        for word in _split_words(row):
            crossing = any(c["x0"] < gutter.x < c["x1"] for c in word)
            word_middle = (min(c["x0"] for c in word) + max(c["x1"] for c in word)) / 2
            for c in word:
                middle = (c["top"] + c["bottom"]) / 2
                if middle < gutter.top:
                    regions[0].append(c)
                elif middle > gutter.bottom:
                    regions[3].append(c)
                else:
                    x = word_middle if crossing else (c["x0"] + c["x1"]) / 2
                    regions[1 if x < gutter.x else 2].append(c)
    return regions


def _visible_chars(page: Any) -> tuple[list[dict], Counter[str]]:
    """The glyphs a reader sees, and the count of hidden ones by kind (`ingest.visibility`);
    icon glyphs and rotated text are dropped silently."""
    hidden = read_visible_layout(page)
    kept = []
    for c in page.chars:
        text = c["text"]
        if _ICON_GLYPH.match(text) or any(ch == "\ufffd" or 0xE000 <= ord(ch) <= 0xF8FF for ch in text):
            continue
        if not c.get("upright", True):
            continue  # rotated text: an arXiv-style side label, a stamp or a watermark, not content
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


def _build_lines(chars: list[dict], known_edge: float | None = None) -> tuple[list[_Line], float | None]:
    """The lines of a page or column, and the body edge when it has a margin column."""
    rows = [list(_split_words(row)) for row in _group_rows(chars)]
    edge = _body_edge(rows) if known_edge is None else _known_edge(rows, known_edge)
    if edge is None:
        return [line for line in (_row_line(words) for words in rows) if line is not None], None
    return _lines_with_margin(rows, edge), edge


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
        if edge - min(starts) >= MARGIN_MIN_WIDTH and _margin_fits(rows, edge, MARGIN_MIN_ROWS):
            return float(edge)
    return None


LABEL_SIZE = 1.15  # a margin label alone on its page is a heading: set this much larger than its
# row's body (the real set's margin headings: 1.4-1.6 times the body size; margin fields such as
# a "GPA" label beside its value: the same size)


def _known_edge(rows: list[list[list[dict]]], edge: float) -> float | None:
    """The edge the document's other pages have, when this page's rows start there too and one
    or more of them carry a margin heading (a page whose only section starts on it)."""
    starts = [round(row[0][0]["x0"]) for row in rows if row]
    near = Counter(x for x in starts if abs(x - edge) <= 3)  # pages of one template shift a little
    if not near:
        return None
    edge, at_edge = float(near.most_common(1)[0][0]), sum(near.values())
    if at_edge < MARGIN_EDGE_SHARE * len(starts) or not _margin_fits(rows, edge, 1):
        return None
    for row in rows:
        margin, body = _margin_words(row, edge)
        if margin and max(c["size"] for w in margin for c in w) < LABEL_SIZE * max(c["size"] for w in body for c in w):
            return None
    return edge


def _margin_fits(rows: list[list[list[dict]]], edge: float, min_rows: int) -> bool:
    """Between `min_rows` and MARGIN_MAX_SHARE of the rows carry margin text left of `edge`, and
    few rows run from the margin across it."""
    split = sum(1 for row in rows if _margin_words(row, edge)[0])
    if not min_rows <= split <= MARGIN_MAX_SHARE * len(rows):
        return False
    # rows that run from the margin across the edge (a title, a header, an outdented list
    # level): a few in a margin layout, many in an indented one-column page
    crossing = sum(1 for row in rows if row[0][0]["x0"] < edge - BODY_RAGGED
                   and row[-1][-1]["x1"] > edge and not _margin_words(row, edge)[0])
    return crossing <= max(MARGIN_MIN_ROWS, split // 2)


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
    labels = _join_labels(pieces, body)
    return _place_labels(body, labels)


def _is_bullet(row: list[list[dict]]) -> bool:
    return len(row) == 1 and len("".join(c["text"] for c in row[0]).strip()) <= 1


# Two margin rows are one label wrapped over lines when they sit at most LABEL_WRAP_GAP heights
# apart; further apart, a row beside a body row that opens a paragraph starts a label of its own.
# The real set's wrapped labels are 0 to 0.1 heights apart, its stacked separate labels 0.77.
LABEL_WRAP_GAP = 0.3


def _join_labels(pieces: list[_Line], body: list[_Line]) -> list[_Line]:
    """Consecutive margin rows of words (no digits) close together form one label, unless the
    later row starts a label of its own (see `_starts_label`)."""
    labels: list[_Line] = []
    for piece in pieces:
        last = labels[-1] if labels else None
        height = piece.bottom - piece.top
        if (last is not None and piece.top - last.bottom <= 1.2 * height
                and not re.search(r"\d", last.text + piece.text)
                and not _starts_label(piece, last, body)):
            labels[-1] = _Line(f"{last.text} {piece.text}", last.top, piece.bottom)
        else:
            labels.append(piece)
    return labels


def _starts_label(piece: _Line, last: _Line, body: list[_Line]) -> bool:
    """A margin row clearly below the previous one, not starting in lower case ("and", "of"),
    beside a body row that opens a paragraph: the next section's label ("Teaching" / "Mentoring")."""
    if piece.top - last.bottom <= LABEL_WRAP_GAP * (piece.bottom - piece.top) or piece.text[:1].islower():
        return False
    at = _anchor(body, piece)
    return at < len(body) and _opens_paragraph(body, at) and body[at].top < piece.bottom


def _anchor(body: list[_Line], label: _Line) -> int:
    """The index of the first body row that reaches below the label's top (len(body) if none)."""
    height = _row_height(body)
    return next((i for i, line in enumerate(body) if line.bottom > label.top + 0.3 * height), len(body))


def _row_height(body: list[_Line]) -> float:
    return sorted(line.bottom - line.top for line in body)[len(body) // 2] if body else 10.0


def _place_labels(body: list[_Line], labels: list[_Line]) -> list[_Line]:
    """Each label goes before the body row it sits beside, or before the row above that one when
    that row opens a paragraph (a label centred on a two-line entry sits on its second line)."""
    out: list[_Line] = []
    anchors: dict[int, list[_Line]] = {}
    height = _row_height(body)
    for label in labels:
        at = _anchor(body, label)
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


@dataclass
class _Gutter:
    x: float
    top: float  # the band where the page has two columns
    bottom: float


def _find_gutter(chars: list[dict], page_width: float) -> _Gutter | None:
    """A vertical gap that splits the page into two text columns over most of its text height.

    An x is a gutter candidate when no word crosses it over a vertical band covering at least half
    of the text height and both sides of the band hold real text (see `_both_sides_substantial`):
    left-margin section labels and right-aligned dates or places in a one-column resume do not
    qualify. The tallest band wins; it then extends up and down past single words that overflow
    into the gap (see `_extend_band`), so a sidebar is read as one block from top to bottom.
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
    if best is None:
        return _find_box(words, page_width, text_top, text_bottom)
    _, x, top, bottom = best
    return _Gutter(x, *_extend_band(words, x, top, bottom))


# A box beside a paragraph (a skills box next to the profile, the paragraph wrapping around it):
# a gutter over a shorter band, accepted when the box holds BOX_MIN_ROWS rows close together and
# the paragraph beside it is justified (its rows start at one x and end at one x). On the real
# set one sidebar box covers a third of its page; with a looser test (any band of 0.2-0.25 of the
# page, or one aligned edge only) three one-column resumes' label/value tables and right-aligned
# dates were split, which stay one column with both edges required.
BOX_MIN_HEIGHT = 0.2  # share of the page's text height
BOX_MIN_ROWS = 4
BOX_ROW_GAP = 2.5  # box rows further apart than this many row heights end the box
JUSTIFIED_SLACK = 3.0  # rows of a justified paragraph end within this many points of each other
JUSTIFIED_SHARE = 0.7


def _find_box(words: list[_Word], page_width: float, text_top: float, text_bottom: float) -> _Gutter | None:
    """The largest box of short rows beside a justified paragraph, as a gutter over the box's rows."""
    height = text_bottom - text_top
    found: list[tuple[int, float, float, float]] = []  # (box rows, x, top, bottom)
    for x in range(int(page_width * 0.2), int(page_width * 0.8) + 1, 2):
        band = _free_band(words, x, text_top, text_bottom)
        if not band or band[1] - band[0] < BOX_MIN_HEIGHT * height:
            continue
        box = _box_beside_paragraph(words, x, *band)
        if box is not None:
            found.append((box[0], float(x), box[1], box[2]))
    if not found:
        return None
    most = max(found)
    same = [f for f in found if f[0] == most[0] and f[2:] == most[2:]]
    _, x, top, bottom = same[len(same) // 2]
    return _Gutter(x, top, bottom)


def _box_beside_paragraph(words: list[_Word], x: float, top: float, bottom: float) -> tuple[int, float, float] | None:
    """(rows, top, bottom) of the box on the lighter side of `x` inside the band, when the other
    side beside it is a justified paragraph."""
    inside = [w for w in words if top <= (w.top + w.bottom) / 2 <= bottom]
    sides = ([w for w in inside if w.x1 <= x], [w for w in inside if w.x0 >= x])
    light = min((0, 1), key=lambda i: sum(w.chars for w in sides[i]))
    rows = _rows_of(sides[light])
    if not rows:
        return None
    row_height = sorted(b - t for t, b, _ in rows)[len(rows) // 2]
    blocks: list[list[tuple[float, float, list[_Word]]]] = [[rows[0]]]
    for row in rows[1:]:
        if row[0] - blocks[-1][-1][1] > BOX_ROW_GAP * row_height:
            blocks.append([])
        blocks[-1].append(row)
    block = max(blocks, key=len)
    box_top, box_bottom = block[0][0], block[-1][1]
    if len(block) < BOX_MIN_ROWS or sum(w.letters for _, _, ws in block for w in ws) < 40:
        return None
    beside = _rows_of([w for w in sides[1 - light] if box_top <= (w.top + w.bottom) / 2 <= box_bottom])
    if len(beside) < BOX_MIN_ROWS or not _justified(beside):
        return None
    return len(block), box_top, _paragraph_end(inside, beside, sides[light], box_bottom)


def _paragraph_end(inside: list[_Word], beside: list[tuple[float, float, list[_Word]]],
                   box: list[_Word], box_bottom: float) -> float:
    """The bottom of the paragraph beside the box: its lines below the box belong to it while they
    follow at its line spacing with nothing on the box's side."""
    spacing = max(b[0] - a[1] for a, b in zip(beside, beside[1:])) + 1.0
    box_ids = {id(w) for w in box}
    bottom = max(box_bottom, beside[-1][1])
    for top, row_bottom, ws in _rows_of([w for w in inside if w.top >= bottom - 1]):
        if top - bottom > spacing or any(id(w) in box_ids for w in ws):
            break
        bottom = row_bottom
    return bottom


def _rows_of(words: list[_Word]) -> list[tuple[float, float, list[_Word]]]:
    """Words grouped into rows by vertical overlap, top to bottom: (top, bottom, words)."""
    rows: list[tuple[float, float, list[_Word]]] = []
    for w in sorted(words, key=lambda w: w.top):
        if rows and (w.top + w.bottom) / 2 <= rows[-1][1]:
            rows[-1] = (rows[-1][0], max(rows[-1][1], w.bottom), rows[-1][2] + [w])
        else:
            rows.append((w.top, w.bottom, [w]))
    return rows


def _justified(rows: list[tuple[float, float, list[_Word]]]) -> bool:
    """Most rows start at one left edge and end at one right edge (a paragraph's last line may
    fall short): a justified paragraph, not list items with ragged ends or right-aligned dates."""
    starts = [min(w.x0 for w in ws) for _, _, ws in rows]
    ends = [max(w.x1 for w in ws) for _, _, ws in rows]
    return all(
        sum(1 for v in values if abs(v - edge) <= JUSTIFIED_SLACK) >= JUSTIFIED_SHARE * len(values)
        for values, edge in ((starts, min(starts)), (ends, max(ends)))
    )


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


# A sidebar's band extends past words that overflow into the gutter: at most GUTTER_MAX_CROSSINGS
# of them, each a single word on its row that stops short of the other column's text. The real
# set's left-sidebar resume has a gutter 5 pt wide, crossed by the sidebar's URL and the end of a
# wrapped line, which cut its band at half the page height.
GUTTER_MAX_CROSSINGS = 2
COLUMN_EDGE_SHARE = 0.2  # a column's edge: where this share of its rows start (or end) beyond it


def _extend_band(words: list[_Word], x: float, top: float, bottom: float) -> tuple[float, float]:
    """The band [top, bottom] at `x` grown up and down past overflowing single words."""
    edges = _column_edges(words, x, top, bottom)
    if edges is None:
        return top, bottom
    crossing = [w for w in words if w.x0 - 2 < x < w.x1 + 2]
    above = _crossing_rows(sorted((w for w in crossing if w.bottom <= top + 1), key=lambda w: -w.bottom),
                           words, x, edges)
    below = _crossing_rows(sorted((w for w in crossing if w.top >= bottom - 1), key=lambda w: w.top),
                           words, x, edges)
    passed_above = next((i for i, row in enumerate(above) if not row[2]), len(above))
    passed_below = next((i for i, row in enumerate(below) if not row[2]), len(below))
    passed_above = min(passed_above, GUTTER_MAX_CROSSINGS)  # the budget goes to the rows above first
    passed_below = min(passed_below, GUTTER_MAX_CROSSINGS - passed_above)
    text_top, text_bottom = min(w.top for w in words), max(w.bottom for w in words)
    new_top = above[passed_above][1] if passed_above < len(above) else text_top
    new_bottom = below[passed_below][0] if passed_below < len(below) else text_bottom
    return min(top, new_top), max(bottom, new_bottom)


def _column_edges(words: list[_Word], x: float, top: float, bottom: float) -> tuple[float, float] | None:
    """Where the left column's text ends and the right column's starts, inside the band."""
    inside = [w for w in words if top <= (w.top + w.bottom) / 2 <= bottom]
    ends = sorted(max(w.x1 for w in ws) for _, _, ws in _rows_of([w for w in inside if w.x1 <= x]))
    starts = sorted(min(w.x0 for w in ws) for _, _, ws in _rows_of([w for w in inside if w.x0 >= x]))
    if not ends or not starts:
        return None
    return ends[int((1 - COLUMN_EDGE_SHARE) * (len(ends) - 1))], starts[int(COLUMN_EDGE_SHARE * (len(starts) - 1))]


def _crossing_rows(crossing: list[_Word], words: list[_Word], x: float,
                   edges: tuple[float, float]) -> list[tuple[float, float, bool]]:
    """The rows of the crossing words, in the order given, each with whether it is an overflow."""
    rows: list[tuple[float, float, bool]] = []
    for w in crossing:
        if rows and rows[-1][0] - 1 <= (w.top + w.bottom) / 2 <= rows[-1][1] + 1:
            rows[-1] = (min(rows[-1][0], w.top), max(rows[-1][1], w.bottom), False)  # two words cross
            continue
        rows.append((w.top, w.bottom, _overflows(w, words, x, edges)))
    return rows


OVERFLOW_GAP = 0.4  # an overflowing word and the other column's text are this many font heights
# apart or more (a word space is ~0.25-0.33; the real set's sidebar URL sits 0.48 from the body)


def _overflows(w: _Word, words: list[_Word], x: float, edges: tuple[float, float]) -> bool:
    """One word from one column reaching into the gutter but not to the other column's edge
    (`edges`: where the left column's text ends, where the right one's starts), with the next
    word of its row a column gap away (or none): not a line running across."""
    middle = (w.top + w.bottom) / 2
    row = [o for o in words if o is not w and o.top <= middle <= o.bottom]
    left_end, right_start = edges
    if (w.x0 + w.x1) / 2 < x and w.x1 < right_start:
        gaps = [o.x0 - w.x1 for o in row if o.x0 >= w.x1]
    elif (w.x0 + w.x1) / 2 >= x and w.x0 > left_end:
        gaps = [w.x0 - o.x1 for o in row if o.x1 <= w.x0]
    else:
        return False
    return not gaps or min(gaps) >= OVERFLOW_GAP * (w.bottom - w.top)


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
