"""Turn one file into a `ParsedDocument`: its canonical text, page spans and warnings.

One parser per format, chosen from `PARSERS` by extension; `parse_document` is the entry point.
Every bad input becomes a `DocumentError(source, reason)` with a short reason a user can act on.

The returned `text` is what every citation slices, so all normalisation (`retrieval.text`) happens
before page offsets are computed. PDFs have their own module, `ingest.pdf`.
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable, Iterator

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.pdf import parse_pdf
from retrieval.text import ICON_MARKUP, is_cjk_char, normalize_text, short_error
from retrieval.errors import DocumentError
from retrieval.types import ParsedDocument

# ---------------------------------------------------------------------------------------------
# Plain text, Markdown, HTML


def decode_text(data: bytes, source: str) -> str:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern), or clean GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_or_fail(data, "utf-8-sig", source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_or_fail(data, "utf-16", source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_error = e
    utf16 = _guess_bomless_utf16(data)
    if utf16:
        return utf16
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_like_cjk_or_ascii(text):
        return text
    raise DocumentError(
        source,
        f"not UTF-8 text (undecodable byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}); "
        "save it as UTF-8 and re-upload",
    )


def _decode_or_fail(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise DocumentError(source, f"not valid {encoding.upper()} text despite its byte-order mark: {e.reason}") from e


def _guess_bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NUL bytes in every other position for ASCII-heavy text."""
    if len(data) < 4 or len(data) % 2 or data.count(b"\x00") < len(data) // 4:
        return None
    encoding = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _looks_like_cjk_or_ascii(text) else None


def _looks_like_cjk_or_ascii(text: str) -> bool:
    if not text:
        return False
    good = sum(1 for ch in text if (" " <= ch <= "~") or ch in "\n\r\t" or is_cjk_char(ch))
    return good / len(text) >= 0.95


def parse_text(path: Path, source: str | None = None) -> ParsedDocument:
    """Plain text and Markdown: decoded and normalised, no pages."""
    source = source if source is not None else str(path)
    return _text_document(source, decode_text(_read_bytes(path, source), source))


# Markup a Markdown page writes for its site generator, not text: container fences ("::: start",
# ":::"; a fence's title, "::: tip 实习经历", is kept) and icons (`ICON_MARKUP`). Left in, a
# heading reads as "icon:briefcase 实习经历" (no section) and a fence as a line.
_MD_CONTAINER_FENCE = re.compile(r"^([ \t]*):{3,}[ \t]*(?:[\w-]+[ \t]*)?", re.M)
_MD_ICON = re.compile(rf"(?:{ICON_MARKUP.pattern})[ \t]*", re.I)


def parse_markdown(path: Path, source: str | None = None) -> ParsedDocument:
    """Markdown: as plain text, without the site generator's markup (`_MD_ICON`, fences)."""
    source = source if source is not None else str(path)
    text = decode_text(_read_bytes(path, source), source)
    return _text_document(source, _MD_CONTAINER_FENCE.sub(r"\1", _MD_ICON.sub("", text)))


class _HTMLText(HTMLParser):
    """Collect visible text; block elements become line breaks."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
              "header", "footer", "ul", "ol", "table", "hr", "pre", "blockquote", "dt", "dd", "title"}
    SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        lines = (line.strip().removeprefix("| ").strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(lines)


def parse_html(path: Path, source: str | None = None) -> ParsedDocument:
    """HTML: visible text only (no scripts or styles), one line per block element."""
    source = source if source is not None else str(path)
    parser = _HTMLText()
    parser.feed(decode_text(_read_bytes(path, source), source))
    parser.close()
    return _text_document(source, parser.text())


def _read_bytes(path: Path, source: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise DocumentError(source, f"cannot read the file: {e.strerror or e}") from e


def _text_document(source: str, text: str, warnings: list[str] | None = None) -> ParsedDocument:
    text = normalize_text(text)
    if not text:
        raise DocumentError(source, "the file contains no text")
    return ParsedDocument(source=source, text=text, warnings=warnings or [])


# ---------------------------------------------------------------------------------------------
# DOCX


# A .docx is a zip of XML: a real resume unpacks to well under 5 MB (the largest of the real
# sets to 0.4 MB). Past this, unpacking and parsing would take gigabytes of memory
# (a 292 KB file held 200 MB of XML and took 3.3 GB), so the file is refused before it is parsed.
MAX_UNPACKED_MB = 50.0
# Its XML parts (the text, styles and settings; not the images) are what parsing costs: a file
# just under MAX_UNPACKED_MB of XML took 257 s and 463 MB to read, into 31 million characters
# (`make bench-hostile`). The real and public sets' DOCX files have 0.05-0.82 MB of XML (0.36 MB
# the largest document.xml); 8 MB leaves ten times that, and reads in seconds.
MAX_XML_MB = 8.0
# Text past this is not a resume: the longest document of the real and public sets reads to 12,500
# characters, a PDF at MAX_PAGES of dense text to 143,000. A DOCX stops being read here (8 MB of
# XML read whole took 73 s, into 5 million characters); any other file is refused after reading.
MAX_TEXT_CHARS = 200_000


def check_unpacked_size(path: Path, source: str, limit_mb: float = MAX_UNPACKED_MB,
                        xml_limit_mb: float = MAX_XML_MB) -> None:
    """Refuse a zip-based document that would expand past `limit_mb` when unpacked, or whose XML
    parts would expand past `xml_limit_mb`."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as e:
        raise DocumentError(source, "not a readable Word document (.docx); it may be corrupt or an old .doc") from e
    total = sum(info.file_size for info in parts)
    if total > limit_mb * 1_000_000:
        raise DocumentError(source, f"unpacks to {total / 1_000_000:.0f} MB; the limit is "
                                    f"{limit_mb:g} MB (a resume is far smaller: the file may be a zip bomb)")
    xml = sum(info.file_size for info in parts if info.filename.lower().endswith((".xml", ".rels")))
    if xml > xml_limit_mb * 1_000_000:
        raise DocumentError(source, f"its text unpacks to {xml / 1_000_000:.0f} MB of XML; the limit is "
                                    f"{xml_limit_mb:g} MB (a resume has well under 1 MB)")


def parse_docx(path: Path, source: str | None = None) -> ParsedDocument:
    """Word: header, then body paragraphs and tables in document order; list items as "- "."""
    source = source if source is not None else str(path)
    check_unpacked_size(path, source)
    try:
        document = docx.Document(str(path))
        lines = _within_text_limit(itertools.chain(_docx_header_lines(document), _docx_body_lines(document)),
                                   source)
    except DocumentError:
        raise
    except PackageNotFoundError as e:
        raise DocumentError(source, "not a readable Word document (.docx); it may be corrupt or an old .doc") from e
    except Exception as e:  # python-docx raises zipfile, lxml and KeyError failures for damaged files
        raise DocumentError(source, f"not a readable Word document (.docx): {short_error(e)}") from e
    return _text_document(source, "\n".join(lines))


def _within_text_limit(lines: Iterator[str], source: str) -> list[str]:
    """The lines, read until they pass `MAX_TEXT_CHARS` (then the file is refused: reading on
    would take minutes for nothing a resume holds)."""
    kept, total = [], 0
    for line in lines:
        total += len(line) + 1
        if total > MAX_TEXT_CHARS:
            raise _too_long(source)
        kept.append(line)
    return kept


def _too_long(source: str) -> DocumentError:
    return DocumentError(source, f"has more than {MAX_TEXT_CHARS:,} characters of text; a resume or CV "
                                 "is far shorter")


def _docx_header_lines(document: Any) -> Iterator[str]:
    """The first section's page header often holds the name and contact line."""
    if not document.sections:
        return
    header = document.sections[0].header
    if header.is_linked_to_previous:
        return
    for paragraph in header.paragraphs:
        if paragraph.text.strip():
            yield paragraph.text


def _docx_body_lines(document: Any) -> Iterator[str]:
    list_styles = _docx_list_styles(document)

    def walk(container: Any) -> Iterator[str]:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                yield _docx_paragraph_line(Paragraph(child, document), list_styles)
                yield from _docx_textbox_lines(child, document)
            elif child.tag == qn("w:tbl"):
                yield from _docx_table_lines(Table(child, document))
            elif child.tag == qn("w:sdt"):  # content control: look inside
                for content in child.iterchildren(qn("w:sdtContent")):
                    yield from walk(content)

    yield from walk(document.element.body)


def _docx_list_styles(document: Any) -> tuple[dict[str, bool], bool]:
    """Whether each paragraph style (by id) is named like a list, and whether the default one is.

    Read once: python-docx's `paragraph.style` scans every style of the document for the
    default one on each call (3,000 paragraphs: 28 s)."""
    from docx.enum.style import WD_STYLE_TYPE

    def is_list(style: Any) -> bool:
        return style is not None and "list" in (style.name or "").lower()

    styles = {s.style_id: is_list(s) for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    return styles, is_list(document.styles.default(WD_STYLE_TYPE.PARAGRAPH))


def _docx_paragraph_line(paragraph: Any, list_styles: tuple[dict[str, bool], bool]) -> str:
    text = paragraph.text.strip()
    if text and _docx_is_list_item(paragraph, list_styles):
        return "- " + text.lstrip("•·-–*▪◦ \t")
    return text


def _docx_is_list_item(paragraph: Any, list_styles: tuple[dict[str, bool], bool]) -> bool:
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return True
    styles, default_is_list = list_styles  # an unknown style id falls back to the default, as in Word
    style_id = ppr.style if ppr is not None else None
    return styles.get(style_id, default_is_list) if style_id is not None else default_is_list


def _docx_table_lines(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # merged cells repeat
                continue
            seen.add(id(cell._tc))
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if text:
                cells.append(text)
        if cells:  # cells apart by a tab: a separator the document has no character for
            yield "\t".join(cells)


def _docx_textbox_lines(paragraph_element: Any, document: Any) -> Iterator[str]:
    """Text boxes sit inside runs; skip the VML fallback copy of each one."""
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    for box in paragraph_element.iter(qn("w:txbxContent")):
        if any(ancestor.tag == fallback for ancestor in box.iterancestors()):
            continue
        for p in box.iter(qn("w:p")):
            text = Paragraph(p, document).text.strip()
            if text:
                yield text


# ---------------------------------------------------------------------------------------------
# Entry point

Parser = Callable[[Path, str | None], ParsedDocument]

PARSERS: dict[str, Parser] = {
    ".pdf": parse_pdf,
    ".docx": parse_docx,
    ".txt": parse_text,
    ".text": parse_text,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
}

_HINTS = {".doc": "; save it as .docx or PDF", ".rtf": "; save it as .docx or PDF", ".pages": "; export it as PDF"}


def supported_extensions() -> list[str]:
    return sorted(PARSERS)


def parse_document(path: Path, source: str | None = None) -> ParsedDocument:
    """Read one file into a `ParsedDocument`; raise `DocumentError` naming `source` for bad input."""
    path = Path(path)
    source = source if source is not None else str(path)
    suffix = path.suffix.lower()
    parser = PARSERS.get(suffix)
    if parser is None:
        kind = f"'{suffix}'" if suffix else "(no extension)"
        supported = ", ".join(supported_extensions())
        raise DocumentError(source, f"unsupported file type {kind}{_HINTS.get(suffix, '')}; supported: {supported}")
    try:
        size = path.stat().st_size
    except OSError as e:
        raise DocumentError(source, f"cannot read the file: {e.strerror or e}") from e
    if size == 0:
        raise DocumentError(source, "empty file")
    document = parser(path, source)
    if len(document.text) > MAX_TEXT_CHARS:
        raise _too_long(source)
    return document
