"""Education and experience entries: the schools and positions a document states, each with
its dates and a verbatim citation of the lines it was read from.

An entry is a header block: the short lines (organisation, title or degree, place) around one
date range, before the entry's bullets. Inside an education or experience section every dated
header block is an entry; in a document without headings only blocks whose organisation has a
clear shape (a school word, an organisation suffix, a known name) are. The words that tell the
parts apart are data (`entries.toml` beside this module)."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache, partial
from pathlib import Path

from candidates.sections import (MAX_HEADING_CHARS, field_of, heading_text, is_document_title, is_heading,
                                 section_kind)
from retrieval.aliases import is_place, rows as alias_rows
from retrieval.text import CJK, CJK_CHARS, line_spans
from retrieval.types import (Citation, DocumentProfile, EducationEntry, ExperienceEntry, Location,
                             ParsedDocument, Passage)

_DATA = Path(__file__).with_name("entries.toml")

# --- dates --------------------------------------------------------------------------------

_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
           "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summers?|fall|"
          r"autumn|winter)\b\.?")
_YEAR = r"(?:19|20)\d{2}"
_POINT = (rf"(?:\d{{1,2}}/\d{{1,2}}/{_YEAR}|{_MONTH}\s*['’]\d{{2}}(?!\d)|{_MONTH}\s*,?\s*{_YEAR}|{_YEAR}\s*[./\-年]\s*\d{{1,2}}(?:\s*月)?(?:[./-]\d{{1,2}}(?:\s*日)?)?(?!\d)|"
          rf"\d{{1,2}}\s*[./]\s*{_YEAR}|{_YEAR}(?:\s*年)?)")
_ONGOING = r"(?:present|now|current(?:ly)?|today|ongoing|onwards?|date|至今|现在|今)"
_SEP = r"\s*(?:[-–—‑−~～至到－]+|\bto\b|\buntil\b)\s*"
# A range's end may misspell its month ("Mar 2016 — Septembr 2016"): after a range's dash, a
# word that opens like a month (its first three letters, as `_point` reads months) and is
# followed by a year is read as that month; at most ten letters, as long as "September".
_MISSPELT = rf"(?:{'|'.join(_MONTHS)})[a-z]{{1,7}}\.?\s*,?\s*{_YEAR}"
_RANGE = re.compile(rf"(?<![\w.])(?P<a>{_POINT}|{_MONTH}){_SEP}(?P<b>{_POINT}|{_ONGOING}|{_MISSPELT})(?!\d)",
                    re.IGNORECASE)
_SINGLE = re.compile(rf"(?<![\w.])(?P<b>{_POINT})(?![\d])", re.IGNORECASE)
# "(2021/11 – )", "2021.11---N", "(2017.10-?)", "2011–.": a start, a dash and no end date (at most one
# letter standing for "now", a question mark or a full stop) before a closing bracket or the line's end
# is a range still running.
_OPEN = re.compile(rf"(?<![\w.])(?P<a>{_POINT}){_SEP}(?:[^\W\d_](?!\w)|[?？.])?(?=\s*[)\]）】*\\]|\s*$)",
                   re.IGNORECASE)
# "2007–09", "2015-18": a year, a dash and the end year's last two digits. Not a month: "2015-09"
# joined by a hyphen is September (how dates are written in ISO form), so with a hyphen only two
# digits past 12 are a year; after an en or em dash they are a year too.
# A line of two dates and nothing else, with no mark between them ("Aug 2022 Aug 2020", "Present
# Aug 2022"): a timeline's date cell, its two ends written as two spans, the later one first as
# often as not. Two dates that stand alone on a line bound one entry, on any page.
_PAIR = re.compile(rf"\s*(?P<x>{_POINT}|{_ONGOING})\s+(?P<y>{_POINT}|{_ONGOING})\s*", re.IGNORECASE)


def _paired(pair: re.Match) -> _Dates:
    """The range two lone dates bound: the earlier one begins it, the later one (or "present")
    ends it."""
    points = sorted((_point(pair.group(g)) or "present" for g in ("x", "y")),
                    key=lambda p: "9999" if p == "present" else p)
    return _Dates(pair.start(), pair.end(), points[0], points[1], True)


# A line of a date column that opens with "Since" ("Since Oct. 2022", "since 2019: Data Engineer"):
# an open range, as "Oct. 2022 – present" is. Only where the line starts with it: inside a sentence
# ("member since 2015") it dates a membership, not the column's entry.
_SINCE = re.compile(rf"^\W*since\s+(?P<a>{_POINT})(?![\d])", re.IGNORECASE)
_SHORT_END = re.compile(rf"(?<![\w.])(?P<a>{_YEAR})(?P<sep>\s*[-–—]\s*)(?P<yy>\d{{2}})(?![\d./\-年月])")
_IS_ONGOING = re.compile(_ONGOING, re.IGNORECASE)
_HAS_YEAR = re.compile(r"(?:19|20)\d{2}|['’]\d{2}")  # every date names a year


@dataclass
class _Dates:
    start: int  # offsets of the date text inside its line
    end: int
    begin: str | None
    finish: str | None
    is_range: bool


def find_dates(line: str) -> list[_Dates]:
    """Date ranges ("Sep. 2015 - Jun. 2019", "2019.09 – 至今") and, when there is none, single
    dates ("May 2023", "2014") in one line; dates as "YYYY-MM", "YYYY" or "present"."""
    if not _HAS_YEAR.search(line):
        return []
    ranges = [_Dates(m.start(), m.end(), _point(m.group("a")), _point(m.group("b")), True)
              for m in _RANGE.finditer(line)]
    for d, m in zip(ranges, _RANGE.finditer(line)):
        if d.begin is None and d.finish and d.finish != "present":  # "June - August 2017"
            d.begin = d.finish[:4] + (f"-{_MONTHS[m.group('a')[:3].lower()]:02d}"
                                      if m.group("a")[:3].lower() in _MONTHS else "")
    ranges = sorted(ranges + _short_ranges(line, ranges), key=lambda d: d.start)
    if ranges:
        return ranges
    ranges = [_Dates(m.start(), m.end(), _point(m.group("a")), "present", True) for m in _OPEN.finditer(line)]
    pair = _PAIR.fullmatch(line) if not ranges else None
    if pair:
        return [_paired(pair)]
    since = _SINCE.match(line)
    if since and not ranges:
        ranges = [_Dates(since.start(), since.end(), _point(since.group("a")), "present", True)]
    if ranges:
        return ranges
    return [_Dates(m.start(), m.end(), None, _point(m.group("b")), False)
            for m in _SINGLE.finditer(line)]


def _short_ranges(line: str, taken: list[_Dates]) -> list[_Dates]:
    """Ranges whose end year is written with two digits ("2007–09", "2015-18") outside the
    ranges already read; the end takes the start's century (the next one past a century's end:
    "1998–02"), and must come after the start by at most `[dates] short_end_span` years."""
    out = []
    for m in _SHORT_END.finditer(line):
        end = _short_end(int(m.group("a")), m.group("yy"), m.group("sep"))
        if end and not any(d.start < m.end() and m.start() < d.end for d in taken):
            out.append(_Dates(m.start(), m.end(), m.group("a"), str(end), True))
    return out


def _short_end(start: int, digits: str, sep: str) -> int | None:
    """The year two digits after a start's dash stand for, or None when they are a month."""
    if "-" in sep and int(digits) <= 12:
        return None  # "2015-09": September
    end = start - start % 100 + int(digits)
    if end <= start:
        end += 100
    return end if end - start <= _date_words()["short_end_span"] else None


@lru_cache(maxsize=1)
def _data() -> dict:
    """entries.toml, read once: every table of words and numbers the entry reader uses."""
    with _DATA.open("rb") as f:
        return tomllib.load(f)


def _date_words() -> dict:
    """entries.toml's [dates] table."""
    return _data()["dates"]


def _point(text: str) -> str | None:
    if _IS_ONGOING.fullmatch(text.strip()):
        return "present"
    year = re.search(_YEAR, text)
    short = re.search(r"['’](\d{2})$", text.strip())
    if short:  # Aug’21
        century = "20" if int(short.group(1)) <= 69 else "19"
        text = text.strip()[:short.start()] + " " + century + short.group(1)
        year = re.search(_YEAR, text)
    if not year:
        return None
    month = None
    name = re.match(r"[a-z]{3}", text.strip(), re.IGNORECASE)
    if name and name.group(0).lower() in _MONTHS:
        month = _MONTHS[name.group(0).lower()]
    elif re.match(r"\d{1,2}/\d{1,2}/", text.strip()):  # 11/01/2022: month first
        month = int(text.strip().split("/")[0])
    else:
        rest = text[year.end():] if year.start() == 0 else text[:year.start()]
        digits = re.search(r"\d{1,2}", rest)
        month = int(digits.group(0)) if digits else None
    if month and 1 <= month <= 12:
        return f"{year.group(0)}-{month:02d}"
    return year.group(0)


# --- the words, as data -------------------------------------------------------------------

@dataclass(frozen=True)
class _Words:
    degrees: tuple[tuple[str, re.Pattern], ...]
    kinds: tuple[tuple[str, re.Pattern], ...]
    school: re.Pattern
    org: re.Pattern
    role: re.Pattern
    experience_heading: re.Pattern
    education_heading: re.Pattern
    places: frozenset[str]
    place_names: tuple[str, ...]
    known_schools: re.Pattern
    known_employers: re.Pattern
    labels: tuple[tuple[str, re.Pattern], ...]
    institution: re.Pattern
    unit: re.Pattern
    supervisor: re.Pattern
    internship_group: re.Pattern


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw = _data()
    flags = re.IGNORECASE
    return _Words(
        degrees=tuple((label, re.compile(p, flags)) for label, p in raw["degrees"]),
        kinds=tuple((label, re.compile(p, flags)) for label, p in raw["kinds"]),
        school=re.compile(raw["school_words"], flags), org=re.compile(raw["org_words"], flags),
        role=re.compile(raw["role_words"], flags),
        experience_heading=re.compile(raw["experience_headings"], flags),
        education_heading=re.compile(raw["education_headings"], flags),
        places=frozenset(p.casefold() for p in raw["places"]), place_names=tuple(raw["places"]),
        known_schools=_names_pattern("schools"), known_employers=_names_pattern("employers"),
        labels=tuple((kind, re.compile(rf"(?:{p})", flags)) for kind, p in raw["field_labels"].items()),
        institution=re.compile(raw["institution_words"], flags), unit=re.compile(raw["unit_words"], flags),
        supervisor=re.compile(raw["supervisor_lines"], flags),
        internship_group=re.compile(raw["internship_group"], flags))


def distinctive_part(name: str) -> str:
    """An organisation's name without its generic words (school and organisation words:
    "University", "Labs", 公司): "" for a name that is nothing but them ("Research Center")."""
    words = _words()
    return " ".join(words.org.sub(" ", words.school.sub(" ", name)).split())


def _names_pattern(table: str) -> re.Pattern:
    """Any written form of a known name: CJK forms anywhere, Latin ones as whole words (short
    all-capital forms such as "HIT" only in capitals)."""
    forms = sorted({f for row in alias_rows(table) for f in row if len(f) >= 2}, key=len, reverse=True)
    parts = []
    for form in forms:
        if CJK.search(form):
            parts.append(re.escape(form))
        elif form.isupper() and len(form) <= 5:
            parts.append(rf"(?-i:\b{re.escape(form)}\b)")
        else:
            parts.append(rf"\b{re.escape(form)}\b")
    return re.compile("|".join(parts), re.IGNORECASE)


# --- lines and regions ----------------------------------------------------------------------

# A bullet's mark; "*" only with a space after it: "**Title**" and "*Jan 2016*" open with emphasis.
# Emphasis by one underscore ("_2017/03-now_", "_Acme_") is markup at a word's edge only: inside a
# word ("snake_case_name") it is part of the word.
_BULLET = re.compile(r"^\s*(?:[-•·●○◦▪▫■□◆◇►▸▹➢➤✓✔‣⁃–—]|\*(?=\s)|\d{1,2}[.)、](?!\d))\s*")
_MARKUP = re.compile(r"\*\*|__|^#+\s*|^>\s*|`|<[^>]{1,80}>|\]\((?:[^()]|\([^()]*\))*\)|(?<![\w*])\*|\*(?![\w*])|(?<![\w_])_(?=[^\s_])|(?<=[^\s_])_(?![\w_])|\[(?=[^\]]*\]\()")
_HEADERLESS = (None, "Profile")
# A header line holds names and titles: a line of 28+ Chinese characters or with more than
# half its words (of 8+) in lower case is description (real set: no entry header line is either).
_CJK_PROSE = 28
_LOWER_PROSE = 0.5


@dataclass
class _Line:
    start: int
    end: int
    text: str  # without markdown emphasis
    region: str  # "education", "experience", "any" (no heading above) or "other"
    header: bool  # a short line that can name an organisation, a title or dates
    dates: list[_Dates] = field(default_factory=list)
    mark: str = ""  # how the line opens: "bullet", "heading" (Markdown #) or ""
    opens: bool = False  # the first line under a heading: no entry runs on across a heading
    label: str = ""  # the kind of field a "label: value" line gives ("organisation", "dates", …)
    indent: int = 0  # spaces before the line's first mark
    item: bool = False  # goes on the bullet item above it: no blank line, no mark of its own
    listed: bool = False  # one of several "Name (dates)" fields a line lists, cut out of it


def _listed_fields(text: str, line: _Line) -> list[_Line] | None:
    """A line listing several entries, each a name with its own date range, between separators
    ("Northwind (2013-2014) · Contoso (2012-2013) · others (2006-2010)"): one line per name, cut
    out of the line where its text stands. A field without a date ("Acme Ltd | Engineer 2015-2017
    | Lead 2017-2019") or with two makes the line one entry; a field whose name is not written
    with a capital ("others") names no one."""
    if not line.header or line.label or sum(d.is_range for d in line.dates) < 2:
        return None
    raw, at, out = text[line.start:line.end], 0, []
    pieces = [p for p in _SPLIT.split(line.text) if re.search(r"[^\W\d_]", p)]
    for piece in pieces:
        dates = find_dates(piece)
        if len(dates) != 1 or not dates[0].is_range:
            return None
        found = raw.find(piece, at)
        if found < 0:
            return None  # written with markup inside: the line stays one
        at = found + len(piece)
        name = piece[:dates[0].start] + piece[dates[0].end:]
        if re.match(rf"\W*[A-Z{CJK_CHARS}]", name):
            out.append(replace(line, start=line.start + found, end=line.start + at, text=piece,
                               dates=dates, opens=line.opens and not out, listed=True))
    return out if len(pieces) >= 2 and out else None


def _introduces_aside(text: str) -> bool:
    """A short line ending in a colon that names projects ("Course projects:", 在读期间的项目：): the
    list below it is projects, inside the section around it, up to the next heading or the next
    line that is not part of the list."""
    if not text.endswith((":", "：")) or len(text) > 40 or _HAS_YEAR.search(text):
        return False
    name, words = text.rstrip(":： "), _words()
    return bool(_PROJECTS.search(name)) and not (
        words.experience_heading.search(name) or words.education_heading.search(name))


# Projects named in a line's words: "Projects", 项目 (項目 in traditional characters). Beside work or
# school words ("实习/项目经历", "Work & Projects") the line names positions or schools too.
_PROJECTS = re.compile(r"\bprojects?\b|项目|項目", re.IGNORECASE)


def _inside_heading_entry(lines: list[_Line], raw: str) -> bool:
    """A dated bullet among the lines of a position written whole as a Markdown heading, with its
    organisation, title and date range ("### Acme | Engineer | 2018 - 2021" over "- Billing
    rewrite (side project, 2020 - now): …"): a detail of that position, not a position. Under a
    heading that names no title ("### Acme | 2015 - 2021"), dated bullets are its positions."""
    if not _BULLET.match(raw):
        return False
    for line in reversed(lines):
        if line.dates:
            return line.mark == "heading" and any(d.is_range for d in line.dates) and _self_contained(line)
        if line.opens:
            return False
    return False


def _goes_on_item(text: str, lines: list[_Line], raw: str, start: int) -> bool:
    """A line right below a bullet item (or a line going on one), with no blank line between and
    no mark of its own: in Markdown the same item goes on ("* 2017 - 2019: Research Fellow" over
    "Ocean Institute" over "Lakeside University")."""
    if not lines or _mark(raw) or text.count("\n", lines[-1].end, start) != 1:
        return False
    return lines[-1].mark == "bullet" or lines[-1].item


def _nested_under(lines: list[_Line], raw: str, indent: int) -> bool:
    """A dated bullet indented under a dated bullet entry ("* Lecturer at Acme, 2008-2019" over
    "  * Senior Lecturer, 2017-2019"): a detail of that entry, not an entry of its own."""
    if not _BULLET.match(raw):
        return False
    for line in reversed(lines):
        if line.mark == "bullet" and line.indent < indent and line.header and line.dates:
            return True
        if line.indent <= indent or line.opens:
            return False
    return False


# HTML entities ("&emsp;" for a wide space) and Markdown's backslash escapes ("R\\&D", "Acme \\|"):
# how the text is written, not what it says.
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,5});")
_ESCAPE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!|&<>~])")


def plain_text(text: str) -> str:
    """Text as a reader sees it, for a card or a headline: each line without its Markdown or
    HTML markup, bullets, entities and escapes ("### **Developer – [Acme](https://…)**" →
    "Developer – Acme"), on one line."""
    lines = (" ".join(_plain(line).split()) for line in text.splitlines() if line.strip())
    return re.sub(r"\s+(?=[,.;:!?，。；：])", "", " ".join(lines)).strip()  # a link's gap before a comma


def _plain(raw: str) -> str:
    """A line's text without markup, bullets, entities and escapes; an HTML tag that sets a field
    apart ("### Northwind <small>Data Engineer</small>") leaves a wide gap, as between fields."""
    text = _OPENING_EMPHASIS.sub(lambda m: m.group(0) + _FIELD_GAP, _field_tags().sub(_FIELD_GAP, raw))
    text = _ESCAPE.sub("", _ENTITY.sub(" ", _MARKUP.sub(" ", text)))
    text = re.sub(r"^\s*>\s*", "", text)  # a quote mark left inside emphasis: "**> Data**"
    text = _DEFINITION.sub("", text)
    return _BULLET.sub("", text).strip().translate(_RADICALS)


# A definition list's item (Markdown, as Pandoc writes it): a term line ("Oct. 2019 -- Sept. 2020")
# and below it ":   Postdoc at Lakeside University". The colon and its indent only mark the line.
_DEFINITION = re.compile(r"^\s*:\s{1,6}(?=\S)")
_FIELD_GAP = "   "  # as wide as `_SPLIT` cuts at
# A line that opens with an emphasised name followed by more words in capitals ("__Acme Labs__
# Research Fellow", "**Lakeside University** MSc Physics"): the emphasis sets that name apart as a
# field, as a separator would. Words after it that go on the sentence ("**Acme** and partners",
# "**Acme**, Inc.") are not another field.
_OPENING_EMPHASIS = re.compile(rf"^\s*(?:[-+]\s+|#+\s+|\d{{1,2}}[.)]\s+)?(?P<m>\*\*|__)[^*_\n]{{2,120}}?(?P=m)"
                               rf"(?=[ \t]+[A-Z{CJK_CHARS}])")


@lru_cache(maxsize=1)
def _field_tags() -> re.Pattern:
    """An HTML tag other than the ones that only emphasise or link a word (entries.toml
    `inline_tags`): "<small>", "<br/>", "</span>"."""
    inline = "|".join(_data()["inline_tags"])
    return re.compile(rf"</?(?!(?:{inline})\b)[A-Za-z][\w-]{{0,9}}\b[^<>]{{0,80}}/?>")


def _mark(raw: str) -> str:
    """How a line opens: "bullet", "heading" (Markdown #), "definition" (a definition list's
    ":   " under its term) or ""."""
    if _BULLET.match(raw):
        return "bullet"
    return "heading" if raw.lstrip().startswith("#") else "definition" if _DEFINITION.match(raw) else ""


# Kangxi radicals (U+2F00–U+2FD5) are what some PDF writers emit for common Chinese characters
# (⼤学 for 大学): each folds to its one character, so offsets inside a line do not move.
_RADICALS = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}


def _region(section: str | None) -> str:
    """Which entries a section holds: positions, schools, either (no heading) or none."""
    if section in _HEADERLESS or _RANGE.search(section):
        return "any"  # no heading, or a position's own line taken for one
    words = _words()
    if re.search(r"position|appointment|employment", section, re.IGNORECASE):
        return "experience"
    if words.education_heading.search(section):
        return "education"
    kind = field_of(section)
    if re.search(r"\bprojects?\b", section, re.IGNORECASE):
        return "other"  # "Project Experience": the experience of projects, not positions
    if kind in ("education", "experience"):
        return kind
    if words.experience_heading.search(section) and kind not in ("projects", "publications"):
        return "experience"
    # An introduction or summary may run on over entries whose heading was missed, like a
    # section nobody names; projects, papers, skills and awards hold none.
    return "any" if kind in (None, "research") else "other"


def _lines(doc: ParsedDocument, passages: list[Passage]) -> list[_Line]:
    """The document's lines, each with the region it lies in: its passage's section, or a
    heading line inside the passage that the section splitter did not take as one. In a Markdown
    document a deeper heading of no known kind ("### Senior Engineer" under "## Career") is an
    entry of the section above it: its line is kept and the section's region goes on."""
    lines: list[_Line] = []
    section: object = object()
    anchor = False  # the previous line is a dated header
    opens = False  # a heading came since the last line
    nest = _Nesting()
    done = 0
    aside: str | None = None  # the region a list of projects ("Projects:") interrupts
    for passage in sorted(passages, key=lambda p: p.start):
        kept = False  # an entry's heading line was kept right before this passage
        for start, end in line_spans(doc.text, done, passage.start):  # headings between passages
            kept = _keep_heading(doc.text[start:end], start, end, nest, lines, anchor)
            if kept:
                anchor = bool(lines[-1].dates)
        done = max(done, passage.end)
        if passage.section != section:
            section, region = passage.section, nest.within(_region(passage.section))
            opens, aside = not kept, None
        spans = line_spans(doc.text, passage.start, passage.end)
        underlined = _underlined(doc.text, spans)
        for start, end in spans:
            raw = doc.text[start:end]
            text = _plain(raw)
            if start in underlined.values():
                continue  # the "=====" under a heading
            if not text and _TAGS_ONLY.fullmatch(raw):
                continue  # "<div class="row">": HTML's layout between an entry's fields, no line
            heading = is_heading(raw) or start in underlined
            if heading or _is_inner_heading(raw, text) and not _goes_on_list(doc.text, raw, start):
                aside = None
                if _keep_heading(raw, start, end, nest, lines, anchor):
                    region, opens, anchor = lines[-1].region, False, bool(lines[-1].dates)
                    continue
                own = _region(heading_text(raw)) if heading_text(raw) else region
                region = nest.open(raw, own)
                opens = True
                continue
            region = nest.line(raw, region)
            opened, rest = _leading_heading(text)
            if opened and not _goes_on_list(doc.text, raw, start):
                region, text, opens = opened, rest, True
            if aside is not None and (_mark(raw) == "heading" or not _mark(raw) and _is_header(raw, text, False, aside)):
                region, aside = aside, None  # the list is over: the section's entries go on
            if _introduces_aside(text):
                aside, region = aside or region, "other"
            label, text = _labelled(text)
            header = bool(label) or _is_header(raw, text, anchor, region, heading) and not _continues(lines, raw, text)
            if not header and _under_a_bare_date(lines, anchor):
                first = _first_sentence(text)
                if first != text and _is_header(raw, first, anchor, region, heading):
                    header, text = True, first
            indent = start - doc.text.rfind("\n", 0, start) - 1
            if header and not opens and _RANGE.search(text) and (
                    _nested_under(lines, raw, indent) or _inside_heading_entry(lines, raw)):
                header = False
            line = _Line(start, end, text, region, header, find_dates(text) if header else [],
                         _mark(raw), opens, label, indent, _goes_on_item(doc.text, lines, raw, start))
            lines.extend(_listed_fields(doc.text, line) or [line])
            opens = False
            anchor = header and bool(lines[-1].dates)
    return lines


_TAGS_ONLY = re.compile(r"(?:\s*</?[A-Za-z][^<>]*>)+\s*")
_UNDERLINE = re.compile(r"\s*(?:={3,}|-{3,})\s*")


def _underlined(text: str, spans: list[tuple[int, int]]) -> dict[int, int]:
    """Setext headings ("Selected Appointments" over "======"): where each heading line starts,
    mapped to where its underline starts. The underline is on the very next line, under a short
    line that is not a bullet."""
    out = {}
    for (start, end), (below, below_end) in zip(spans, spans[1:]):
        raw = text[start:end]
        if text[end:below].count("\n") == 1 and _UNDERLINE.fullmatch(text[below:below_end]) \
                and not _BULLET.match(raw) and len(raw) <= MAX_HEADING_CHARS:
            out[start] = below
    return out


_MD_LEVEL = re.compile(r"^\s{0,3}(#{1,6})")


class _Nesting:
    """The Markdown headings above a line, each with the region it opened: a deeper heading or
    line of no known kind belongs to the nearest one above it."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, str]] = []

    def _pop(self, level: int) -> None:
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()

    def within(self, own: str) -> str:
        """A region of no known kind takes the enclosing Markdown section's."""
        return self.stack[-1][1] if own == "any" and self.stack else own

    def open(self, raw: str, own: str) -> str:
        """A heading line: a Markdown one opens a level; another one naming schools or positions
        ("**Education**" in a Markdown document) re-labels the level it sits in."""
        level = _MD_LEVEL.match(raw)
        if level is None:
            if own in ("education", "experience") and self.stack:
                self.stack[-1] = (self.stack[-1][0], own)
            return own
        self._pop(len(level.group(1)))
        region = self.within(own)
        self.stack.append((len(level.group(1)), region))
        return region

    def line(self, raw: str, region: str) -> str:
        """A Markdown-heading line that is not a section heading ("## Acme Ltd (2015 - 2016)")
        lies in the region of the headings above its level."""
        level = _MD_LEVEL.match(raw)
        if level is None:
            return region
        self._pop(len(level.group(1)))
        region = self.within("any") if self.stack else region
        self.stack.append((len(level.group(1)), region))
        return region

    def entry_heading(self, raw: str) -> str | None:
        """The region a Markdown heading of no known kind is an entry of: the enclosing
        education or experience section, when the heading lies deeper than it."""
        level = _MD_LEVEL.match(raw)
        if level is None or section_kind(heading_text(raw)) is not None:
            return None
        depth = len(level.group(1))
        above = [region for lvl, region in self.stack if lvl < depth]
        return above[-1] if above and above[-1] in ("education", "experience") else None


def _keep_heading(raw: str, start: int, end: int, nest: _Nesting, lines: list[_Line],
                  anchor: bool) -> bool:
    """A heading line between or inside passages: an entry's own heading (see `_Nesting`) is
    kept as a line that opens a run; another Markdown heading updates the nesting."""
    if not _MD_LEVEL.match(raw):
        return False
    region = nest.entry_heading(raw)
    if region is None:
        nest.open(raw, _region(heading_text(raw)) if heading_text(raw) else "any")
        return False
    nest.line(raw, region)
    text = _plain(raw)
    header = _is_header(raw, text, anchor, region)
    lines.append(_Line(start, end, text, region, header, find_dates(text) if header else [],
                       "heading", True))
    return True


_LABEL_VALUE = re.compile(r"^(?P<key>[^\W\d_][^:：]{0,15}?)\s*[:：]\s*(?=\S)")
_VALUE_CHARS = 150  # a field's value longer than this is description, as `_is_header` holds


def _labelled(text: str) -> tuple[str, str]:
    """A "label: value" line whose label names an entry's field: the field's kind and the
    value; otherwise no kind and the text as it is."""
    match = _LABEL_VALUE.match(text)
    if not match or len(text) - match.end() > _VALUE_CHARS:
        return "", text
    key = re.sub(r"\s+", " ", match.group("key")).strip()
    key = re.sub(rf"(?<=[{CJK_CHARS}])\s+(?=[{CJK_CHARS}])", "", key)
    kind = next((kind for kind, pattern in _words().labels if pattern.fullmatch(key)), "")
    return (kind, text[match.end():].strip()) if kind else ("", text)


def _under_a_bare_date(lines: list[_Line], anchor: bool) -> bool:
    """The line above is a date and nothing else ("`2014-2018`"): the entry's fields are below it."""
    return anchor and bool(lines) and not re.search(r"[^\W\d_]{2}", _without_dates(lines[-1]))


# Where a line's first sentence ends: a full stop after a word or a bracket, then a capital.
_SENTENCE_END = re.compile(r"(?<=[a-z)\]])\.\s+(?=[A-Z])")


def _first_sentence(text: str) -> str:
    """The line's first sentence: the entry's own fields when a line below a bare date runs on into
    a description ("Acme University  PhD Biology (advisor: X). My thesis was on …")."""
    end = _SENTENCE_END.search(text)
    return text[:end.start()] if end else text


def _continues(lines: list[_Line], raw: str, text: str) -> bool:
    """A sentence's last piece: the line ends a sentence and the line before is description
    that did not."""
    if not lines or lines[-1].header or _BULLET.match(raw) or _SINGLE.search(text):
        return False
    ended = lines[-1].text.endswith((".", "。", ":", "：", "!", "?"))
    return len(text.split()) >= 4 and text.endswith((".", "。")) and not ended


def _is_inner_heading(raw: str, text: str) -> bool:
    """A section heading inside a passage: a known heading, or a short line of education or
    experience heading words alone ("Qualifications", "Academic Positions")."""
    if len(text) > 40 or re.search(r"\d", text):
        return False
    words = _words()
    for pattern in (words.education_heading, words.experience_heading):
        match = pattern.search(text)
        rest = text[:match.start()] + text[match.end():] if match else ""
        if match and (len(rest.strip()) <= 2 if CJK.search(text) else len(rest.split()) <= 1):
            return True
    return False


def _goes_on_list(text: str, raw: str, start: int) -> bool:
    """A bullet right below another bullet or its wrapped text, no blank line between: an item of
    the same list ("- Kafka pipelines" then "- Education and Training", the services a consultancy
    offered), never a section heading, however few its words."""
    if not _BULLET.match(raw):
        return False
    above_end = text.rfind("\n", 0, start)
    above = text[text.rfind("\n", 0, max(above_end, 0)) + 1:max(above_end, 0)]
    return bool(above.strip()) and bool(_BULLET.match(above) or re.match(r"\s+\S", above))


def _leading_heading(text: str) -> tuple[str | None, str]:
    """A heading run into an entry's first line ("EXPERIENCE Software Engineer  2018 – Present"):
    the region it opens and the rest of the line."""
    match = _LEADING.match(text)
    if not match:
        return None, text
    return _region(match.group(1)), text[match.end():]


_LEADING = re.compile(r"((?-i:EDUCATION|Education|EXPERIENCE|Experience|WORK EXPERIENCE|Work Experience|"
                      r"EMPLOYMENT|Employment)|教育背景|教育经历|教育經歷|工作经历|工作經歷|实习经历|實習經歷|经验|經驗|经历|經歷)\s*[:：]?\s+(?=\S)")


# Where a position's description starts on its own line, after the dates in brackets and a colon:
# "- *Engineer, Acme Inc.* (2018–2019): Optimised …". Only the part before it is read as a header.
_DESCRIBED = re.compile(r"(?<=\))\s*[:：]\s+(?=\S)")


def _is_header(raw: str, text: str, after_date: bool = False, region: str = "any",
               heading: bool = False) -> bool:
    """A line that may name an entry: not a bullet, not a sentence of description, not a
    section heading. A bullet is one when it holds a date, names a school and a degree in an
    education section, or names an organisation right below a date line (Markdown CVs write
    each position as a bullet)."""
    if not text or heading:
        return False
    text = _DESCRIBED.split(text, maxsplit=1)[0]  # "*Engineer, Acme* (2018–2019): Built …": the head
    if _BULLET.match(raw):
        words = _words()
        named = bool(words.org.search(text) or words.school.search(text)
                     or words.known_employers.search(text) or words.known_schools.search(text))
        titled = bool(words.role.search(text) or _degree_of(text)[0])
        dated = bool(_HAS_YEAR.search(text))
        if not (dated and _RANGE.search(text) or (dated and region != "any" and _SINGLE.search(text))
                or (after_date and (named or titled))
                or (region == "education" and words.school.search(text) and _degree_of(text)[0])
                or _degree_and_school(text)
                or (region == "education" and _is_school_name(next(iter(_segments(text)), "")))):
            return False
    if re.match(r"[a-z(]", text) and not CJK.search(text[:3]) and not _BRAND.match(text):
        return False  # a wrapped sentence goes on
    if len(text) > 150 or re.match(r"\[\d+\]", text):
        return False
    if not re.search(r"[^\W\d_]{2}", text) and not _SINGLE.search(text):
        return False  # a rule, a stray mark
    if len(CJK.findall(text)) >= _CJK_PROSE or (CJK.search(text) and text.endswith("。")) \
            or re.match(rf"[{CJK_CHARS}]{{2,6}}\s*[:：]\s*\S{{12}}", text):
        return False  # a Chinese sentence, or a "主要工作：…" field of the description
    words = _RANGE.sub(" ", text).split()  # "from 2014 to today": a date's words are no prose
    lower = sum(1 for w in words if w[0].islower())
    if len(words) >= 8 and lower / len(words) > _LOWER_PROSE:
        return False  # a sentence, not a name or title
    lowered = [w for w in words if w[0].islower() and w.lower() not in _SMALL_WORDS]
    return not (text.endswith((".", "。", "；", ";")) and len(words) >= 7 and len(lowered) >= 3
                and not _RANGE.search(text))


# A name written in lower case then capitals ("eShop Systems", "iCloud Ops"): a brand's, never the
# word a wrapped sentence goes on with.
_BRAND = re.compile(r"[a-z][A-Z][a-z]")
_SMALL_WORDS = frozenset("of and at in for the de du la le von van der di da y et und".split())


# --- grouping lines into entries ------------------------------------------------------------

def _runs(lines: list[_Line]) -> list[list[_Line]]:
    """Consecutive header lines of one region: the blocks entries are read from."""
    runs: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line.header and line.region != "other" and not line.opens and \
                (not current or current[-1].region == line.region):
            current.append(line)
            continue
        if current:
            runs.append(current)
        current = [line] if line.header and line.region != "other" else []
    if current:
        runs.append(current)
    return runs


def _blocks(run: list[_Line]) -> list[list[_Line]]:
    """A run's lines split into one block per dated line. A dated line that names both an
    organisation and a title is a block alone; otherwise the lines before the run's first date
    line (at most `_LEAD`) show where this layout puts the date, and every block follows that
    shape."""
    has_range = any(d.is_range for line in run for d in line.dates)
    anchors = [i for i, line in enumerate(run)
               if any(d.is_range == has_range for d in line.dates)]
    if has_range:
        anchors = _like_anchors(run, anchors)
    if not anchors:
        return _undated_blocks(run)
    lead = 0 if _defined_below(run, anchors) else min(anchors[0], _LEAD)
    whole = [run[a].listed or _self_contained(run[a], weak=a == 0 or bool(run[a - 1].dates))
             and not (lead and _organisation_above(run, a, anchors[k - 1] if k else -1))
             for k, a in enumerate(anchors)]
    trail = _LEAD if lead == 0 else 0
    starts = [a if whole[k] else max(a - lead, anchors[k - 1] + 1 if k else 0)
              for k, a in enumerate(anchors)]
    period = _period(anchors, lead)
    if period:
        trail = period - lead - 1
    blocks = []
    for k, a in enumerate(anchors):
        stop = a + 1 if whole[k] else a + 1 + trail
        if k + 1 < len(anchors):
            stop = min(stop, starts[k + 1])
        stop = max(min(stop, len(run)), a + 1)
        while stop < len(run) and run[stop].label and not run[stop].dates and \
                (k + 1 == len(anchors) or stop < starts[k + 1]):
            stop += 1  # "company: Acme" written below the dates: a field of the same entry
        if whole[k] and not _names_employer(run[a]):
            while stop < len(run) and run[stop].item and not run[stop].dates and \
                    (k + 1 == len(anchors) or stop < starts[k + 1]):
                stop += 1  # the item goes on with the organisation its dated line left out
        blocks.append(run[starts[k]:stop])
    return blocks


def _defined_below(run: list[_Line], anchors: list[int]) -> bool:
    """Every date line is a definition list's term, its entry the definition right below it
    ("Sept. 2018 -- Sept. 2021" over ":   Postdoctoral Fellow at Lakeside University"): the line
    above a date is the previous entry's."""
    return all(a + 1 < len(run) and run[a + 1].mark == "definition" for a in anchors)


# Entries written in as many lines each, this many or more, show a layout by themselves.
_REPEATS = 3


def _period(anchors: list[int], lead: int) -> int | None:
    """How many lines each entry takes when every entry of a run takes as many, more than its
    lines down to the date (a card per position: title, dates, organisation, place, each on a line
    of its own): the lines below a date, down to the next entry's first line, are its fields."""
    gaps = {b - a for a, b in zip(anchors, anchors[1:])}
    if len(anchors) < _REPEATS or len(gaps) != 1:
        return None
    gap = gaps.pop()
    return gap if gap > lead + 1 else None


def _names_employer(line: _Line) -> bool:
    """A dated bullet line names its employer in its own fields, not only a group or a person
    the title was held "with" ("2017 - 2019: Research Fellow with the Ocean Lab")."""
    own = [s for s in _segments(_without_supervisor(_without_dates(line))) if not s.startswith("with ")]
    return line.mark != "bullet" or _employer_among(own, own) is not None


def _undated_blocks(run: list[_Line]) -> list[list[_Line]]:
    """Entries written without dates, one block each: a line of fields one of which is a degree
    and another a school ("本科/Acme大学/软件工程"), or a labelled school ("毕业院校：…") with the
    labelled degree right beside it, anywhere; in an education section also a line naming a
    school and a degree, or one that opens with a school ("Acme University  Computer Science");
    in an experience section a position's own Markdown heading (`_is_job_heading`)."""
    words = _words()
    blocks = []
    for k, line in enumerate(run):
        if line.label == "school" or (line.label == "organisation" and line.region == "education"):
            near = [n for n in (k - 1, k + 1) if 0 <= n < len(run) and run[n].label == "degree"]
            blocks.append(run[min([k, *near]):max([k, *near]) + 1])
        elif _degree_and_school(line.text) or _is_job_heading(line):
            blocks.append([line])
        elif line.region == "education" and not words.role.search(line.text) and (
                words.school.search(line.text) and _degree_of(line.text)[0]
                or _is_school_name(next(iter(_segments(line.text)), ""))):
            blocks.append([line])
    return blocks


def _is_job_heading(line: _Line) -> bool:
    """An undated Markdown heading of one position under an experience section: an organisation
    and a title as fields of their own ("### Northwind Analytics <small>Data Engineer</small>")."""
    return line.region == "experience" and line.mark == "heading" and not line.dates \
        and _self_contained(line)


# What a field that is a degree may hold beside the degree word ("全日制本科", "硕士研究生",
# "Bachelor of Science"): three more characters or words; more is a sentence about one.
_DEGREE_FIELD_REST = 3


def _is_degree_field(text: str) -> bool:
    """A field that is a degree and little more: "全日制本科", "B.S.", "Master of Science"."""
    label, match = _degree_of(text)
    if not label or label == "high-school":
        return False
    rest = (text[:match.start()] + " " + text[match.end():]).strip(" .,()（）")
    size = len(re.sub(r"\W", "", rest)) if CJK.search(rest) else len(rest.split())
    return size <= _DEGREE_FIELD_REST


def _slash_fields(piece: str) -> list[str]:
    """A piece of fields joined by slashes, one a degree and another a school ("本科/Acme大学
    计算机系/网络工程"): each field apart. Other slashes ("iOS/Android", "C/C++") stay."""
    parts = [p.strip() for p in re.split(r"[/／]", piece)]
    if len(parts) < 2 or not any(_is_degree_field(p) for p in parts):
        return [piece]
    schools = [p for p in parts if _words().school.search(p) and not _is_degree_field(p)]
    return [p for p in parts if p] if schools else [piece]


# A school's name is short: "Acme University of Science and Technology" is six words.
_SCHOOL_NAME_WORDS = 7


def _is_school_name(text: str) -> bool:
    """A field that is a school's name and nothing more: a school word, capitalised words (or
    Chinese ones ending in a school word: 星河医科大学), no sentence around it."""
    words = _words()
    if CJK.search(text):
        return bool(re.fullmatch(rf"[{CJK_CHARS}（）()]{{2,20}}", text)) and bool(
            re.search(rf"(?:{words.school.pattern})$", text))
    tokens = text.split()
    return bool(words.school.search(text)) and len(tokens) <= _SCHOOL_NAME_WORDS and all(
        t[:1].isupper() or t.lower() in _SMALL_WORDS for t in tokens)


def _degree_stated(segments: list[str]) -> bool:
    """A degree written as a field of its own ("B.S. in Physics", "经济学博士", "本科"), not a
    word inside another phrase ("本科生教材", "博士生未来学者奖学金": a textbook, a scholarship)."""
    for seg in segments:
        label, match = _degree_of(seg)
        if not label:
            continue
        if _is_degree_field(seg) or (match.end() >= len(seg.rstrip(" .)）")) if CJK.search(match.group(0))
                                     else match.start() == 0):
            return True
    return False


def _degree_and_school(text: str) -> bool:
    """A line of slash-joined fields naming a degree and a school."""
    return len(_slash_fields(text)) > 1


def _like_anchors(run: list[_Line], anchors: list[int]) -> list[int]:
    """The run's date-range lines and the single-date lines written like them: the same opening
    mark (bullet, Markdown heading or none), the date in the same place (first, last, inside)
    and as precise (with or without a month). One list writes its entries one way, so such a
    line is an entry of its own ("QA Analyst  Jun 2015" right below "Data Analyst
    Feb 2016 — Aug 2016"), while a "Thesis … 2019" or "• GPA …, 2023 年毕业" note under an entry is not.
    A dated line naming a school of its own (`_names_a_school`) is an entry however its date is written."""
    shapes = {_date_shape(run[a]) for a in anchors}
    return [i for i, line in enumerate(run)
            if i in anchors or (line.dates and (_date_shape(line) in shapes or _names_a_school(line)))]


def _names_a_school(line: _Line) -> bool:
    """A dated line that names a school and a degree ("2015  B.Sc. in Computer Science, University
    of Toronto" below "Sep 2016 - Jun 2018  M.Sc. …"), or, in an education section, opens with its
    date before a school's name and nothing else ("2011长安大学")."""
    words = _words()
    if words.role.search(line.text):
        return False  # "Teaching Assistant, B.Sc. course, Acme University 2016": a detail of a position
    segments = _segments(_without_dates(line))
    if _degree_of(line.text)[0] and any(words.school.search(s) for s in segments):
        return True
    return line.region == "education" and line.dates[0].start <= 1 and len(segments) == 1 \
        and _is_school_name(segments[0])


def _date_shape(line: _Line) -> tuple[str, str, bool]:
    first, last = line.dates[0], line.dates[-1]
    if not re.search(r"[^\W_]", line.text[last.end:]):
        where = "last"
    elif first.start <= 1:
        where = "first"
    else:
        where = "inside"
    point = (first.begin if first.is_range else None) or first.finish or ""
    return line.mark, where, "-" in point


def _organisation_above(run: list[_Line], at: int, previous: int) -> bool:
    """In a layout that writes lines above each date line, the undated line right above names
    the organisation when it has an organisation's shape and no title ("Acme Systems, Inc." over
    "Lead Engineer - Cloud  2016 – 2021"): the date line is then not an entry by itself."""
    if at - 1 <= previous:
        return False
    return _organisation_line(run[at - 1]) is not None


def _organisation_line(line: _Line) -> str | None:
    """The organisation an undated, title-less header line names (its first such segment)."""
    words = _words()
    if line.dates or words.role.search(line.text) or _degree_of(line.text)[0]:
        return None
    return next((s for s in _segments(line.text) if words.org.search(s) or words.school.search(s)
                 or words.known_employers.search(s) or words.known_schools.search(s)), None)


# Lines of an entry's header before its date line: three covers school / degree / note above
# the date (real set: no header block is longer).
_LEAD = 3


def _self_contained(line: _Line, weak: bool = True) -> bool:
    """A dated line that holds a title and an organisation ("Research Intern, DeepMind. 2019"),
    or a school and a degree. With `weak` (nothing above the line could name the organisation),
    any capitalised name beside the title counts as one."""
    segments = _segments(_without_dates(line))
    words = _words()
    roles = [s for s in segments if words.role.search(s)]
    others = [s for s in segments if not words.role.search(s)]
    if roles and others and line.dates and line.dates[0].start <= 1:
        return True  # "2016.08 - 2020.05 软件工程师 某某电子": the date first, then the fields
    named = [s for s in others if words.org.search(s) or words.known_employers.search(s)
             or words.school.search(s) or (weak and (s[:1].isupper() or CJK.match(s)))]
    if roles and named:
        return True
    return any(words.school.search(s) for s in segments) and _degree_of(line.text)[0] is not None


def _without_dates(line: _Line) -> str:
    text = line.text
    for d in sorted(line.dates, key=lambda d: -d.start):
        text = text[:d.start] + "  |  " + text[d.end:]
    return text


# --- reading one block --------------------------------------------------------------------

_SPLIT = re.compile(r"\s*(?:\||｜|•|·|\s[—–-]\s|—|\t|\s{3,}|;|；)\s*")
_COMMA = re.compile(r"\s*[,，、]\s*")
_CITY_PREFIX = r"(?:(?:New|San|Santa|Los|Las|Mountain|Palo|Salt|St\.|Saint|Fort|Ann|Grand|Long|Rio|Tel|Hong|Kuala|Buenos|Cape|El|Le|La)\s)?"
@lru_cache(maxsize=1)
def _city_state() -> re.Pattern:
    """"Houston, TX", "Leuven, Belgium", "Palo Alto, CA, USA" at the end of a piece."""
    places = "|".join(re.escape(p) for p in sorted(_words().place_names, key=len, reverse=True)
                      if not CJK.search(p))
    return re.compile(rf"\s*\(?\b{_CITY_PREFIX}[A-Z][\w.'-]+,\s*(?:[A-Z]{{2}}|{places})\b"
                      rf"(?:,\s*(?:[A-Z]{{2,3}}|{places}))?\)?\.?\s*$")
_DEGREE_FILLER = re.compile(r"^\s*(?:of\s+science|of\s+arts|of\s+engineering|\(hons\)|hons|degree)?\s*(?:in|of|,|:|-|–)?\s*",
                            re.IGNORECASE)


@dataclass
class _Block:
    lines: list[_Line]
    segments: list[str]
    dates: _Dates | None
    text: str
    fields: dict[str, str] = field(default_factory=dict)  # labelled fields: kind → first value


def _read_block(lines: list[_Line]) -> _Block:
    dates = next((d for line in lines for d in line.dates if d.is_range), None) or \
        next((d for line in lines for d in line.dates), None)
    segments: list[str] = []
    texts = []
    for line in lines:
        text = _without_supervisor(_without_dates(line))
        if not text.strip():
            continue
        text = re.sub(r"(?i)\b(?:expected|graduation date|graduated|since|from)\s*:?\s*(?=\||$)", " ", text)
        texts.append(text)
        segments.extend(_segments(text))
    fields: dict[str, str] = {}
    for line in lines:
        value = next(iter(_segments(_without_dates(line))), None) if line.label else None
        if value and line.label not in fields:
            fields[line.label] = value
    return _Block(lines, segments, dates, " ".join(texts), fields)


def _without_supervisor(text: str) -> str:
    """A line's text up to a field naming a supervisor (entries.toml `supervisor_lines`), which
    names a person and their school, not the entry's place: "Advisor: Prof. Mary Smith (Stanford
    University)" → "", "Ph.D., KAIST; Advisor: Prof. Alan Grey, MIT" → "Ph.D., KAIST". Such a
    field in brackets goes wherever it stands: "Chemistry PhD (advisor: Jane Roe)" → "Chemistry PhD"."""
    supervisor = _words().supervisor
    text = re.sub(r"\s*[(（]([^()（）]*)[)）]", lambda m: "" if supervisor.match(m.group(1).strip()) else m.group(0), text)
    for cut in [0, *(m.end() for m in _SPLIT.finditer(text))]:
        if supervisor.match(text[cut:]):
            return text[:cut]
    return text


_AT = re.compile(r"\s+(?:at|@)\s+")
# "as Front-End Lead at Acme": whatever capitalised words stand between "as" and "at" are a title,
# though no role word says so (how English states a position, on any resume).
_AS_AT = re.compile(r"\bas\s+(?:an?\s+)?(?P<t>[A-Z][\w&/.'’-]*(?:\s+[A-Z][\w&/.'’-]*){0,4})\s+(?:at|@)\s+(?=[A-Z0-9])")
# "Postdoctoral Researcher with the Ocean Lab", "Analyst with Jane Roe": after a title, "with" names
# the group or the person one worked with; the employer, when the entry names one elsewhere, is that.
_WITH = re.compile(r"\s+with\s+(?=[A-Z\[])")
# How long a position lasted, written before its title: "2 years as Front-End Lead at Acme",
# "1 year Professor at …". "as" then introduces the title, whatever words it has.
_TENURE = re.compile(r"^\s*\d{1,2}\+?\s*(?:years?|yrs?|months?)\s+(?=\S)", re.IGNORECASE)
_TRAILING_ORG = re.compile(r"(?<=\s)(?:[A-Z][\w&.'-]*\s+){1,4}(?:Inc|Ltd|Limited|LLC|GmbH|Corporation|Corp|"
                           r"Company|Group|Labs?|Technologies|Systems|Solutions)\.?\s*$")
_CAPS_NAME = re.compile(r"^((?:[A-Z][A-Z&.'’-]+\s+){1,6})(?=[A-Z][a-z])")
_NOTE = re.compile(r"(?i)^(?:thesis|advisors?|advised|supervisors?|supervised|gpa|research|concentration|"
                   r"coursework|courses|dissertation|minor|major|honou?rs|focus|rank|grade)\b")


def _segments(text: str) -> list[str]:
    """A block line's fields: split at "|", "—", tabs and wide gaps, then at commas; a place
    ("Austin, TX") and bare countries dropped."""
    out = []
    pieces = [part for piece in _SPLIT.split(text) for part in _title_and_name(piece)]
    pieces = [part for piece in pieces for field in _slash_fields(piece) for part in _bracketed_title(field)]
    for piece in pieces:
        piece = _trim(_without_place(piece))
        if CJK.search(piece):
            parts = _cjk_parts(piece)
        else:
            parts = _join_suffixes(_COMMA.split(piece))
        for part in parts:
            part = part.strip(" ,:-–")
            if len(part) >= 2 and part.casefold() not in _words().places and re.search(r"[^\W\d_]", part):
                out.append(part)
    return out


def _title_and_name(piece: str) -> list[str]:
    """A piece holding a title and an organisation, each apart: "Software Engineer at Acme",
    "Faculty of X at Acme University" (the "at" first: "MEAN Stack Developer at Acme" keeps its
    title whole), "PHASE ONE Test Engineer", "Analyst Acme Pvt. Limited"."""
    at = _AT.search(piece)
    if at:
        title = _TENURE.sub("", piece[:at.start()])
        if _words().role.search(title) or _is_school_name(piece[at.end():].strip(" ,.;")) \
                or re.match(r"as\s+[A-Z]", title):
            return [re.sub(r"^as\s+", "", title), piece[at.end():]]
    with_ = _WITH.search(piece)
    if with_ and _words().role.search(piece[:with_.start()]):
        return [piece[:with_.start()], "with " + piece[with_.end():]]
    name, piece = _caps_name(piece)
    tail = _trailing_org(piece)
    if tail and _words().role.search(piece[:tail]):
        return [*([name] if name else []), piece[:tail], piece[tail:]]
    return [*([name] if name else []), piece]


# An organisation in brackets after a title is a short name: "(KTH)", "(UC Davis)" (real set:
# at most two words); four leaves room for "(Univ. of X at Y)" and keeps a clause out.
_BRACKET_NAME_WORDS = 4
_LAST_BRACKET = re.compile(r"[(（](?P<inner>[^()（）]+)[)）]?[\s(（]*$")


def _bracketed_title(piece: str) -> list[str]:
    """A name and a title, one of them in a closing bracket: "Acme Ltd (Position - Lead
    Engineer)" → the name, then the title; "TA for Databases (KTH)" → the title, then the
    organisation, when the bracket holds an organisation's shape (an acronym first, a school
    word or a known name), not a note ("Contract") or a team's field ("Distributed Systems")."""
    match = _LAST_BRACKET.search(piece)
    before = piece[:match.start()] if match else ""
    if not match or not before.strip():
        return [piece]
    words, inner = _words(), match.group("inner").strip()
    if words.role.search(inner) and not words.role.search(before):
        return [before, inner]
    named = re.match(r"[A-Z]{2,}\b", inner) or words.school.search(inner) \
        or words.known_employers.search(inner) or words.known_schools.search(inner)
    if named and words.role.search(before) and not words.role.search(inner) \
            and len(inner.split()) <= _BRACKET_NAME_WORDS:
        return [before, inner]
    return [piece]


def _trim(piece: str) -> str:
    """A piece without the separators around it, and without a bracket left open or closed by
    the cut ("Acme (" / "Lab)"), but keeping a balanced one: "Research Group (Lakeside University)"."""
    piece = piece.strip(" ,:-–")
    while piece:
        opened = piece.count("(") + piece.count("（") - piece.count(")") - piece.count("）")
        if piece[-1] in "(（" or (piece[-1] in ")）" and opened < 0):
            piece = piece[:-1].strip(" ,:-–")
        elif piece[0] in ")）" or (piece[0] in "(（" and opened > 0):
            piece = piece[1:].strip(" ,:-–")
        else:
            break
    return piece


_SUFFIX = re.compile(r"(?i)^(?:inc|ltd|llc|llp|plc|corp|co|gmbh|ag|s\.?a|b\.?v|limited|pvt\.? ltd)\.?$")


def _trailing_org(piece: str) -> int | None:
    """Where a company name ending in a suffix ("Acme Data Pvt. Limited") starts at the end of
    a title's piece; the title's own words are not part of it."""
    match = _TRAILING_ORG.search(piece)
    if not match:
        return None
    start = match.start()
    for word in piece[match.start():].split()[:-1]:
        if not _words().role.search(word):
            break
        start = piece.index(word, start) + len(word) + 1
    return start if start > 0 else None


def _caps_name(piece: str) -> tuple[str | None, str]:
    """"PHASE ONE Test Engineer" → ("PHASE ONE", "Test Engineer"): a name in capitals, then a
    title or a degree in mixed case."""
    caps = _CAPS_NAME.match(piece)
    if not caps or len(re.sub(r"\W", "", caps.group(1))) < 4:
        return None, piece
    name, rest = caps.group(1), piece[caps.end():]
    role = _words().role
    if role.search(name) or not (role.search(rest) or _degree_of(rest)[0]):
        return None, piece
    return name.strip(), rest


def _without_place(piece: str) -> str:
    """A piece without the place it ends with ("Austin, TX", "(Leuven, Belgium)"); after "of" or
    "at" the city is the last word of a name ("University of Toronto, Canada"): only the country
    after it goes."""
    place = _city_state().search(piece)
    if place is None:
        return piece
    if re.search(r"\b(?:of|at|de|di|du|da)\s*$", piece[:place.start()], re.IGNORECASE):
        return piece[:piece.index(",", place.start())]
    return piece[:place.start()]


def _join_suffixes(parts: list[str]) -> list[str]:
    """"Dynetics", "Inc." → "Dynetics, Inc.": a company suffix stays with its name."""
    out: list[str] = []
    for part in parts:
        if out and _SUFFIX.match(part.strip()):
            out[-1] = f"{out[-1]}, {part.strip()}"
        else:
            out.append(part)
    return out


def _cjk_parts(piece: str) -> list[str]:
    """A CJK line's fields, split at commas and at spaces between two Chinese characters
    ("腾讯 广州"; "C++ 开发工程师" stays one), outside brackets."""
    parts, depth, current = [], 0, ""
    for k, ch in enumerate(piece):
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth = max(0, depth - 1)
        between = CJK.match(current[-1:] or "x") and CJK.match(piece[k + 1:k + 2] or "x")
        cut = ch in ",，、" or ch.isspace() and between
        if depth == 0 and cut:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [q for p in parts for q in _after_title(p) if q.strip()]


def _after_title(part: str) -> list[str]:
    """"高级 C++ 开发工程师 BMW 宝马汽车" → the title, then the organisation: a space right
    after a Chinese role word ends the title."""
    for match in _words().role.finditer(part):
        if CJK.search(match.group(0)) and part[match.end():match.end() + 1].isspace():
            return [part[:match.end()], *_after_title(part[match.end():].strip())]
    last = re.search(r"\s([A-Za-z][\w-]*)$", part)
    if last and _words().role.fullmatch(last.group(1)) and CJK.search(part[:last.start()]):
        return [part[:last.start()], last.group(1)]  # "某某科技 QA Developer": a Latin title last
    return [part]


def _school_of(segments: list[str], fallback: bool = False) -> str | None:
    """The segment naming a school; with `fallback` (an education section), else the first
    name-like segment that is not a degree, a title or a note ("UNAM-DGTIC")."""
    words = _words()
    schools = [seg for seg in segments
               if words.school.search(seg) and not words.role.search(seg) or words.known_schools.search(seg)]
    whole = [seg for seg in schools if words.institution.search(seg) and not _degree_of(seg)[0]]
    if len(schools) > 1 and whole:
        return whole[0]  # "Honors College, Acme University": the university, not its unit
    if schools:
        return _past_unit(segments, schools)
    found = next((s for s in segments if words.school.search(s)), None)
    if found or not fallback:
        return found and _past_unit(segments, [found])  # "Faculty of Science, NSTU" ("faculty" is a title too)
    return next((s for s in segments if s[:1].isupper() and not _degree_of(s)[0]
                 and not words.role.search(s) and not _NOTE.match(s)), None)


# A school's short name in capitals: "KAIST", "EPFL" (three letters or more: two are a state's code).
_INITIALS = re.compile(r"[A-Z][A-Z&-]{2,9}")


def _past_unit(segments: list[str], schools: list[str]) -> str:
    """The first of the schools a block names that is not a unit of another ("School of
    Computing, KAIST" → "KAIST"; entries.toml `unit_words`); a unit alone gives way to a name in
    capitals written right after it ("Department of EE, LUST"), else stays the school."""
    unit = _words().unit
    whole = [s for s in schools if not unit.search(s)]
    if whole:
        return whole[0]
    after = segments.index(schools[0]) + 1
    beside = segments[after] if after < len(segments) else ""
    return beside if _INITIALS.fullmatch(beside) else schools[0]


def _degree_of(text: str) -> tuple[str | None, re.Match | None]:
    for label, pattern in _words().degrees:
        match = pattern.search(text)
        if match:
            return label, match
    return None, None


def _field_of(segments: list[str], school: str | None) -> str | None:
    for k, seg in enumerate(segments):
        label, match = _degree_of(seg)
        if not match:
            continue
        after = seg[match.end():].lstrip(" .")
        rest = _DEGREE_FILLER.sub("", after).strip(" ,.:()（）")
        rest = re.sub(r"(?i)\s*\(?\s*GPA.*$", "", rest)
        again = after.startswith(("(", "（")) and _degree_of(rest)[0]  # "工学学士（BEng）": the degree again
        if len(rest) >= 3 and rest != school and not again:
            return rest
        before = seg[:match.start()].strip(" ,.:-–")
        if _field_before(seg, school, label, before, after) and (len(match.group(0)) >= 3 or CJK.search(match.group(0))):
            return before  # "Biomedical Engineering PhD", "经济学博士": the field before the degree
        near = [s for s in segments[k + 1:k + 2] + segments[max(k - 1, 0):k]
                if s != school and not _NOTE.match(s) and not _degree_of(s)[0]]
        return near[0] if near else None
    return None


def _field_before(seg: str, school: str | None, label: str, before: str, after: str) -> bool:
    """A degree written last in its field ("Chemistry PhD", "经济学博士") has the subject before it;
    not in a school's own name (杭州第九高级中学) nor in a high school, and written as a subject's
    name (words, no rule of dashes, no title). A two-letter degree ("… Cambridge MA") is read so only
    when written first: last on a line it is as often a state's code."""
    rest = re.sub(r"(?i)学位|學位|\bdegree\b", "", after).strip(" .")  # "软件工程专业学士学位"
    return label != "high-school" and seg != school and not rest \
        and bool(re.fullmatch(rf"[A-Z{CJK_CHARS}][\w&,'’ ()-]*", before)) and "--" not in before \
        and not _words().role.search(before) and len(before) >= 3 \
        and len(before.split()) <= 6 and not _degree_of(before)[0]


def _employer_of(segments: list[str]) -> str | None:
    """The first known employer, else the first field with an organisation's or a school's word
    (a school's unit giving way to the school: "Department of Physics, Lakeside University"),
    else the first field that is not a title. A group or person a title was held "with" comes
    after all of them: an organisation named elsewhere in the entry is the employer."""
    main = [s for s in segments if not s.startswith("with ")]
    return _employer_among(main, segments) or _employer_among(
        [s[len("with "):] for s in segments if s.startswith("with ")], segments)


def _employer_among(candidates: list[str], segments: list[str]) -> str | None:
    """The employer among some of a block's fields, by the tests `_employer_of` lists."""
    words = _words()
    for test in (lambda s: words.known_employers.search(s),
                 lambda s: words.org.search(s) and not words.role.search(s),
                 lambda s: words.school.search(s) and not words.role.search(s),
                 lambda s: not words.role.search(s)):
        found = next((s for s in candidates if test(s)), None)
        if found and words.unit.search(found):
            schools = [s for s in segments if s != found and words.school.search(s) and not words.role.search(s)]
            return _past_unit(segments, [found, *schools])
        if found:
            return found
    return None


def _line_atop(block: _Block) -> _Line | None:
    """A block's undated first line above its date line: where a layout that writes lines
    above the dates puts the organisation."""
    first = block.lines[0]
    if len(block.lines) < 2 or first.dates or not any(line.dates for line in block.lines[1:]):
        return None
    return first


def _name_atop(block: _Block) -> str | None:
    """The first field of the line atop, when it names neither a title nor a degree."""
    first = _line_atop(block)
    if first is None or _words().role.search(first.text) or _degree_of(first.text)[0]:
        return None
    return next(iter(_segments(first.text)), None)


def _organisation_atop(block: _Block) -> str | None:
    """The organisation the line atop names: it wins over a team or a client written beside
    the title ("Lead Engineer - AWS")."""
    first = _line_atop(block)
    return _organisation_line(first) if first is not None else None


def _organisation_dated(block: _Block) -> str | None:
    """A block that opens with its date line whose one other field is not a title ("### Acme
    (mobile app) — 2021-Present" over "**Machine Learning and AI**"): that field is the
    organisation; a team or an area written below it is not."""
    first = block.lines[0]
    if not first.dates or len(block.lines) < 2:
        return None
    fields = _segments(_without_dates(first))
    if len(fields) != 1 or _words().role.search(fields[0]) or _degree_of(fields[0])[0]:
        return None
    return fields[0]


def _title_of(segments: list[str], employer: str | None) -> str | None:
    role = _words().role
    return next((s for s in segments if s != employer and role.search(s)), None)


def _states_position(block: _Block) -> bool:
    """A line of the block says in words which position was held where: a title with a role word,
    "at", then a named organisation or school ("Postdoctoral Researcher at Lakeside University",
    "Data Engineer at Northwind Labs"). How English states a position, under any heading; a talk
    or an award given "at" a meeting has no role word before it, and is not written over a range."""
    words = _words()
    for line in block.lines:
        text = _without_dates(line)
        at = _AT.search(text)
        if not at or len(text[:at.start()].split()) > _TITLE_WORDS:
            continue
        title, name = text[:at.start()], text[at.end():].strip()
        if words.role.search(title) and name[:1].isupper() and not words.role.search(name) \
                and len(name.split()) <= _TITLE_WORDS:
            return True
    return False


# A title stated before "at" has at most this many words ("Simons Postdoctoral Fellow" has three):
# more is a sentence of description, on any resume.
_TITLE_WORDS = 6


def _kind_of(text: str, section: str | None) -> str:
    """The kind its own lines say, else the kind its section's heading says ("Internships",
    实习经历, "Research Experience"), else full-time."""
    for words in (text, section or ""):
        kind = next((label for label, pattern in _words().kinds if pattern.search(words)), None)
        if kind:
            return kind
    return "full-time"


def _degrees_at(school: str, degree: str | None, block: _Block, begin: str | None,
                finish: str | None, citation: Citation) -> list[EducationEntry]:
    """One entry per degree a block names ("B.A., Physics; B.S., Mathematics, Acme University"
    is two degrees at one school, with the same dates and citation)."""
    named = [(label, seg) for seg in block.segments if seg != school
             for label in [_degree_of(seg)[0]] if label and label != "high-school"]
    if len({label for label, _ in named}) < 2:
        return [EducationEntry(school=school, degree=degree, field=_field_of(block.segments, school),
                               start=begin, end=finish, citation=citation)]
    out = []
    for k, (label, seg) in enumerate(named):
        upto = block.segments.index(named[k + 1][1]) if k + 1 < len(named) else len(block.segments)
        own = block.segments[block.segments.index(seg):upto]
        out.append(EducationEntry(school=school, degree=label, field=_field_of(own, school),
                                  start=begin, end=finish, citation=citation))
    return out


def _citation(doc: ParsedDocument, lines: list[_Line], section: str | None) -> Citation:
    start, end = lines[0].start, lines[-1].end
    return Citation(passage_id=f"{doc.source}#{start}", quote=doc.text[start:end], source=doc.source,
                    page=doc.page_at(start), section=section, start=start, end=end)


def _entry(doc: ParsedDocument, block: _Block, region: str, section: str | None,
           previous_employer: str | None, named_atop: bool = False, like_ranges: bool = False,
           like_positions: bool = False) -> list[EducationEntry] | ExperienceEntry | None:
    """One block's entry. `named_atop`: another block of its run names its school on the
    undated line above the date line, so this layout puts the name there. `like_ranges`: its
    run's other entries have date ranges, and its single date is written like them.
    `like_positions`: positions of its section are written in blocks of its very shape, so
    it is one even without a title word or an organisation word; so is a name a line lists among
    others, each with its dates (`_listed_fields`), under an experience heading."""
    words = _words()
    school = block.fields.get("school") or _school_of(block.segments)
    if not school and region == "education":
        school = block.fields.get("organisation")  # "place: Acme University" under Education
    degree, _ = _degree_of(block.text)
    as_title = _AS_AT.search(block.text)
    has_role = bool(words.role.search(block.text) or as_title)
    strong_org = any(words.org.search(s) or words.known_employers.search(s) for s in block.segments)
    ranged = bool(block.dates and block.dates.is_range)
    clear_job = strong_org and (has_role or ranged) or \
        ranged and any(_self_contained(line) for line in block.lines if line.dates)
    if region == "education":
        if not school and degree and block.dates and not has_role:
            school = _school_of(block.segments, fallback=True)  # the section says it is a school
        if not school and named_atop and block.dates and not has_role:
            school = _name_atop(block)  # "Coleg Ceredigion" over a dated diploma: no school word
        is_school = bool(school or (degree and not has_role))
        if not is_school and not clear_job:
            return None
    elif region == "experience":
        is_school = bool(school and degree and not has_role)
        undated_job = block.dates is None and _is_job_heading(block.lines[0])
        if not is_school and not ranged and not like_ranges and not undated_job \
                and not ((strong_org or school) and has_role):
            return None  # a single year beside a talk, a course or a paper, not a position
        listed = any(line.listed for line in block.lines)
        if not is_school and not (has_role or strong_org or school or like_positions or listed):
            return None  # a dated project or paper: neither a title nor an organisation
    else:  # no heading (or an unknown one): only clear shapes, with a date range or a degree
        stated = (degree == "high-school" and not has_role) or _degree_stated(block.segments)
        is_school = bool(school and (degree and stated or ranged and not has_role and _is_school_name(school)))
        if not is_school and not (clear_job and ranged or ranged and _states_position(block)):
            return None
    begin, finish = (block.dates.begin, block.dates.finish) if block.dates else (None, None)
    citation = _citation(doc, block.lines, section)
    if is_school:
        if not school:
            return None
        if degree is None and words.degrees[0][1].search(school):
            degree = "high-school"
        return _degrees_at(school, degree, block, begin, finish, citation)
    employer = block.fields.get("organisation") or _organisation_atop(block) or \
        _organisation_dated(block) or _employer_of([s for s in block.segments
                                                    if not (as_title and s == as_title.group("t"))])
    if employer is None or (words.role.search(employer) and previous_employer):
        employer = previous_employer
    if employer is None:
        return None
    if block.dates and not block.dates.is_range:
        begin = finish
    title = _title_of(block.segments, employer) or (as_title.group("t") if as_title else None)
    return ExperienceEntry(employer=employer, title=title,
                           start=begin, end=finish, kind=_kind_of(block.text, section), citation=citation)


# --- the document -------------------------------------------------------------------------

def read_entries(doc: ParsedDocument, passages: list[Passage]) -> tuple[
        list[EducationEntry], list[ExperienceEntry], Location | None]:
    """The document's education[], experience[] and location, in document order."""
    lines = _lines(doc, passages)
    section_at = {p.start: p.section for p in passages}
    sections = sorted(section_at)
    education: list[EducationEntry] = []
    positions: list[tuple[ExperienceEntry, _Block]] = []
    after = {line.start: below for line, below in zip(lines, lines[1:])}
    unread: list[tuple[_Block, str | None, str]] = []  # dated blocks of positions' sections not read
    shapes: set[tuple] = set()  # the region and shape of each block read as a position
    for run in _runs(lines):
        previous: str | None = None
        blocks = [_read_block(block_lines) for block_lines in _blocks(run)]
        atop = any(_words().school.search(_name_atop(b) or "") for b in blocks)
        ranged = any(b.dates and b.dates.is_range for b in blocks)
        for block in blocks:
            section = _section_at(sections, section_at, block.lines[0].start)
            like = ranged and block.dates is not None and not block.dates.is_range
            entry = _entry(doc, block, run[0].region, section, previous, atop, like)
            if isinstance(entry, list):
                below = after.get(block.lines[-1].start)
                education.extend(_with_degree_below(doc, entry, below) if below else entry)
            elif isinstance(entry, ExperienceEntry):
                positions.append((entry, block))
                previous = entry.employer
                shapes.add((run[0].region, _block_shape(block)))
            elif run[0].region in ("experience", "any") and block.dates and block.dates.is_range:
                unread.append((block, section, run[0].region))
    for block, section, region in unread:
        if _shaped_as_read(block, region, shapes):
            entry = _entry(doc, block, "experience", section, None, like_positions=True)
            if isinstance(entry, ExperienceEntry):
                positions.append((entry, block))
    positions.sort(key=lambda pair: pair[0].citation.start)
    experience = _employers_in_place(positions)

    def section_of(offset: int) -> str | None:
        return _section_at(sections, section_at, offset)

    experience = experience + _internships_listed(doc, experience, section_of)
    experience = sorted(experience + _projects_at_known_employers(doc, lines, experience, section_of),
                        key=lambda entry: entry.citation.start)
    location = read_location(doc, lines, section_of) or location_of_latest(doc, experience, education)
    return education, experience, location


# A bullet that opens with an organisation's name and a colon: "• Northwind: built …",
# "- **Acme Labs**: …"; at most six words (or 40 glued letters), no digit.
_NAMED_BULLET = re.compile(r"^\s*(?:[•·▪◦●*\-–]|\d{1,2}[.)])\s*(?:\*\*|__)?(?P<org>[A-Z][^:：\d]{1,40}?)"
                           r"(?:\*\*|__)?\s*[:：]")


def _internships_listed(doc: ParsedDocument, read: list[ExperienceEntry],
                        section_of: Callable[[int], str | None]) -> list[ExperienceEntry]:
    """Internships listed as a group: under a line that says so ("PAST INTERNSHIPS  Summers
    2012-2014", a heading "Internships"), each bullet that opens with an organisation and a colon
    ("• Northwind: built …") is an internship there, cited by its line. The group's dates
    are shared, so none is given to one internship; a bullet an entry already cites is left."""
    cited = [(e.citation.start, e.citation.end) for e in read]
    found: list[ExperienceEntry] = []
    under_group = False
    for start, end in line_spans(doc.text):
        raw = doc.text[start:end]
        bullet = _NAMED_BULLET.match(raw)
        if under_group and bullet and _mark(raw) == "bullet":
            org = bullet.group("org").strip(" *_")
            if len(org.split()) <= 6 and not _words().role.search(org) \
                    and not any(a <= start < b for a, b in cited):
                found.append(ExperienceEntry(employer=org, kind="intern", citation=Citation(
                    passage_id=f"{doc.source}#{start}", quote=raw, source=doc.source,
                    page=doc.page_at(start), section=section_of(start), start=start, end=end)))
            continue
        if under_group and _mark(raw) == "bullet":
            continue  # a bullet of another shape: the list may go on
        under_group = _heads_internships(raw)
    return found


# How many lines below a project's heading line its dates may stand ("主要开发者    2024.6-至今").
_PROJECT_DATE_LINES = 2
# What may follow a known employer's name inside the field that names where a project was done:
# a separator before a team ("字节跳动-豆包大模型", "Google · Brain"), or the words of a unit of it
# ("华为2012中央研究院", "Google Research"). Anything else is a product ("Microsoft Teams SDK",
# 华为昇腾平台适配): used, not worked at.
_UNIT_AFTER = re.compile(r"^(?:\s*[-–—·|(（/,，]|\d*\s*\S*?(?:研究院|研究所|实验室|研究中心|事业部|事业群|"
                         r"公司|集团|部门|研发中心|院|所|部)(?:\s*[(（][^)）]*[)）])?\s*$|\s+(?:Research|Labs?|"
                         r"Inc\.?|Ltd\.?|LLC|Corp(?:oration)?\.?|Group)\b)", re.IGNORECASE)


def _projects_at_known_employers(doc: ParsedDocument, lines: list[_Line], read: list[ExperienceEntry],
                                 section_of: Callable[[int], str | None]) -> list[ExperienceEntry]:
    """Projects done at a known employer, in a projects section ("计算通信融合算子自动生成    字节跳动-豆包
    大模型，北京" over "主要开发者    2024.6-至今"): a stint there, though the section holds projects.
    Kind "other": the resume does not say it was a job."""
    cited = [(e.citation.start, e.citation.end) for e in read]
    found: list[ExperienceEntry] = []
    for i, line in enumerate(lines):
        if line.region != "other" or line.mark == "bullet":
            continue
        section = section_of(line.start)
        if not section or not _PROJECTS.search(section) or any(a <= line.start < b for a, b in cited):
            continue
        employer = _employer_after_project_name(line)
        at = _project_dates_below(lines, i) if employer else None
        if at is None:
            continue
        dated = lines[at]
        span = next(d for d in find_dates(dated.text) if d.is_range)
        below = _segments(dated.text[:span.start] + " | " + dated.text[span.end:]) if at > i else []
        found.append(ExperienceEntry(employer=employer, title=_title_of(below, employer),
                                     start=span.begin, end=span.finish, kind="other",
                                     citation=_citation(doc, lines[i:at + 1], section)))
    return found


def _employer_after_project_name(line: _Line) -> str | None:
    """The last field of a project's heading line when it opens with a name of the organisations
    table and names that organisation or a unit of it (`_UNIT_AFTER`); a name inside the project's
    own name (the first field: "基于华为云的…") is a product used."""
    fields = _segments(_without_dates(line) if line.dates else line.text)
    if len(fields) < 2:
        return None
    match = _words().known_employers.search(fields[-1])
    if match is None or match.start() != 0:
        return None
    rest = fields[-1][match.end():]
    return fields[-1] if not rest.strip() or _UNIT_AFTER.match(rest) else None


def _project_dates_below(lines: list[_Line], i: int) -> int | None:
    """The line holding a project's date range: its heading line or one of the next
    `_PROJECT_DATE_LINES`, before any bullet or heading (those are its description, or the next
    project's)."""
    for j in range(i, min(i + 1 + _PROJECT_DATE_LINES, len(lines))):
        if j > i and (lines[j].mark in ("bullet", "heading") or lines[j].opens):
            return None
        if any(d.is_range for d in find_dates(lines[j].text)):
            return j
    return None


def _heads_internships(raw: str) -> bool:
    words = _RANGE.sub("", heading_text(raw) or raw)
    words = _SINGLE.sub("", words)
    words = re.sub(rf"{_MONTH}|[\W\d_]+", "", words, flags=re.IGNORECASE)
    return bool(words) and bool(_words().internship_group.match(words))


# Positions written in one shape that agree on where the employer stands: at least three, and
# more than half of them (held-out set: one list of thirteen "### Employer - Title" headings, two
# of them read otherwise; two positions agreeing is no layout yet).
_AGREEING = 3


def _employers_in_place(positions: list[tuple[ExperienceEntry, _Block]]) -> list[ExperienceEntry]:
    """Positions written in one shape put the employer in one place of their first line
    ("### Acme - Title"): where most of them do, a position that took another field of that
    line (a known name or an organisation word inside the title: "MySQL/Oracle DBA") takes the
    field in that place, unless it is a title."""
    places: dict[tuple, list[int | None]] = {}
    for entry, block in positions:
        first = _segments(_without_dates(block.lines[0]))
        places.setdefault(_block_shape(block), []).append(
            first.index(entry.employer) if entry.employer in first else None)
    out = []
    for entry, block in positions:
        seen = places[_block_shape(block)]
        usual = max(set(seen), key=seen.count)
        first = _segments(_without_dates(block.lines[0]))
        agreed = usual is not None and len(seen) >= _AGREEING and seen.count(usual) * 2 > len(seen)
        if agreed and entry.employer not in first[usual:usual + 1] and usual < len(first) \
                and not _words().role.search(first[usual]):
            others = [s for s in block.segments if s != first[usual]]
            entry = entry.model_copy(update={"employer": first[usual],
                                             "title": entry.title or _title_of(others, None)})
        out.append(entry)
    return out


def _block_shape(block: _Block) -> tuple:
    """How a block is written: each line's opening mark, which line holds the dates and how
    ("### Acme - Title" / "> City, Country" / "> Month YYYY - Month YYYY"). A dated Markdown
    heading, with how many fields it has, is the whole shape: what lies below a position's own
    heading is its description, written however each position needs ("## Acme Ltd 2015 - 2018"
    over a line or a table)."""
    if _heads_entry(block):
        heading = block.lines[0]
        return _line_shape(heading), len(_segments(_without_dates(heading)))
    return tuple(_line_shape(line) for line in block.lines)


def _shaped_as_read(block: _Block, region: str, shapes: set[tuple]) -> bool:
    """A dated block written as a position of its region was (`_block_shape`). A one-line block's
    shape tells too little (a dated project), unless the line is a position's own heading under
    an experience heading; outside one (no heading, or one of no known kind) a block is compared
    only with positions read there too."""
    if len(block.lines) == 1 and not (_heads_entry(block) and region == "experience"):
        return False
    return (region, _block_shape(block)) in shapes


def _line_shape(line: _Line) -> tuple:
    """A line's opening mark, where its dates stand, whether it is a "label: value" field. How
    precise the dates are is left out: one list writes "2008 - 2012" under "Feb 2012 - Mar 2013"
    when the older months are forgotten."""
    return line.mark, _date_shape(line)[:2] if line.dates else None, bool(line.label)


def _heads_entry(block: _Block) -> bool:
    """The block opens with a Markdown heading holding its dates ("## Acme Ltd 2015 - 2018")."""
    return block.lines[0].mark == "heading" and bool(block.lines[0].dates)


# How far into the line below a school's header its degree may start and still open that line
# ("硕士学位，统招…", "• Master of Science, …" under "Acme University  2016 – 2018"): a degree
# word further in is a course or a note ("…courses for the bachelor's programme").
_DEGREE_OPENS = 2


def _with_degree_below(doc: ParsedDocument, entries: list[EducationEntry],
                       below: _Line) -> list[EducationEntry]:
    """A school entry without a degree takes the degree that opens the line right below its
    header, when that line is a description the header block did not take (a sentence that
    starts "硕士学位，…"); the citation then runs on to that line."""
    if len(entries) != 1 or entries[0].degree is not None or below.header or below.opens:
        return entries
    label, match = _degree_of(below.text)
    if label is None or label == "high-school" or match.start() > _DEGREE_OPENS:
        return entries
    entry = entries[0]
    cited = entry.citation
    end = below.end
    citation = cited.model_copy(update={"end": end, "quote": doc.text[cited.start:end]})
    return [entry.model_copy(update={"degree": label, "citation": citation})]


def _section_at(starts: list[int], section_at: dict[int, str | None], offset: int) -> str | None:
    before = [s for s in starts if s <= offset]
    return section_at[before[-1]] if before else None


# --- location -----------------------------------------------------------------------------
# Where the person is based, read only from where a resume says it, in this order: a location
# field ("Location:", 所在地, 现居, a pin 📍), the header or contact block ("City, ST", "City,
# Country", "City - Country", a place standing alone between separators), the first-person
# sentence of an "about" page saying where its author lives or works ("I'm a designer living in
# Munich"), then the place written in the header lines of a current (ongoing) position or
# school. A place word that is part of an organisation's name ("Boston University", 上海星河大学, 云付（中国）网络公司, "University of Toronto") is never the
# person's place; talks, papers and awards are never read (no entry holds them). No location is
# better than a wrong one: a list of several places ("苏州、南京、合肥") says nothing.

# Markup written around a field's key or at the start of its value: "**Location:**", "__地址__：",
# "<b>Address</b>:", "*Location*:" — how the key is shown, not what it says.
_KEY_MARKUP = r"(?:\*{1,2}|_{1,2}|`|</?[A-Za-z]{1,6}>)*"


@lru_cache(maxsize=1)
def _field() -> re.Pattern[str]:
    """A location field: one of the keys in entries.toml ([location] keys) — a Chinese one with
    any spaces between its characters ("住   址"), a pin ("📍 Lisbon") — then markup, a colon or
    not, and its value up to a separator, a tab or an HTML tag ("坐标: 杭州<br>"). Not after
    期望/意向: a wish."""
    keys = _location_words()["keys"]
    forms = [r"\s*".join(map(re.escape, key)) if CJK.search(key) else
             (r"(?<![A-Za-z0-9_-])" if key[0].isalnum() else "") + re.escape(key).replace(r"\ ", r"\s+")
             + (r"(?![A-Za-z0-9_-])" if key[-1].isalnum() else "")
             for key in sorted(keys, key=len, reverse=True)]
    return re.compile(rf"(?<!期望)(?<!意向)(?:{'|'.join(forms)}){_KEY_MARKUP}\s*[:：]?\s*{_KEY_MARKUP}\s*"
                      r"(?P<v>[^|;•·<\n\t]{2,80})", re.IGNORECASE)


# Contact details and links, masked before a line is cut into pieces: none of them is a place.
_CONTACT_DETAIL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\+?\(?\d[\d\s()+-]{6,}\d"
                             r"|\b[\w-]+\.(?:com|org|io|net|dev|me|cn|edu|info|ai)\b\S*")
# Pieces of a header line: cut at any mark that is not a letter, a digit, a space or a
# punctuation mark a place is written with ("|", "•", "·", emoji), at tabs, wide gaps and " – ".
_PIECE_CUT = re.compile(r"\s*(?:[^\w\s,，、.'’()（）:：/&\u2010-\u2015-]|\t|\s{2,}|\s[—–-]\s)\s*")
_FIELD_END = re.compile(r"\s{2,}|\s+[^\s:：]{1,12}[:：]")  # a wide gap or the next field
_LABEL = re.compile(r"^[^\W\d_][^:：]{0,15}[:：]")  # "School:", 籍贯： — a field other than the place
_CONTACT_SECTION = re.compile(r"contact|personal|profile|\babout\b|联系|个人信息|基本信息|个人资料|关于我",
                              re.IGNORECASE)
_HEADER_LINES = 12  # the opening lines a header shows the person's place in
# A page's front matter: a few "key: value" settings, its closing "---" within 30 lines.
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(?:.*\n){0,30}?(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
# Markdown emphasis around a header piece: "_Lisbon, Portugal_", "*Lisbon*", "__Lisbon__".
_EMPHASIS = re.compile(r"(?<![\w*])(?:\*{1,2}|_{1,2})(?=\S)|(?<=\S)(?:\*{1,2}|_{1,2})(?![\w*])")
_CONTACT_LINES = _HEADER_LINES  # a contact / personal-details section is a header written later
# A header piece that names the place has at most 8 words on the real set (a "City, ST" with a
# note on relocation); a longer one is a sentence of the summary, not the header.
_HEADER_PIECE_WORDS = 8
# "University of", "Bank of", "Río de la Plata": a city after these is a word of a name.
_CONNECTOR = re.compile(r"\b(?:of|at|de|du|di|zu|der|del|des|in|la)\s+$")
# After a comma: a US state code or a country ("Dallas, TX", "Lisbon, Portugal", "…, Ontario, Canada").
_TAIL = re.compile(r",\s*(?P<t>[A-Z]{2}(?![A-Za-z])|[A-Z][A-Za-z'’.-]+(?:\s(?:of\s)?[A-Z][a-z]+)?)"
                   r"(?:,\s*(?P<u>[A-Z]{2,3}(?![A-Za-z])|[A-Z][A-Za-z.]+(?:\s[A-Z][a-z]+)?))?")
# State codes that are also a degree or a title written after a name ("Jane Roe, MD", "…, MA"):
# on the document's first line, where the name is, they are not read as a place.
_TITLE_CODES = frozenset({"MA", "MS", "MD", "PA", "ME"})
_CITY_STATE = re.compile(r"(?:[A-Z][a-z.'’-]+\s){1,2}(?P<st>[A-Z]{2})(?:\s+(?:USA|US|U\.S\.A?\.?))?")
_CITY_RUN = re.compile(r"(?:(?<=[\s(|,])|^)((?:[A-ZÀ-ÖØ-Þ][\w.'’-]*\s){0,2}[A-ZÀ-ÖØ-Þ][\w.'’-]*)\s*$")


def read_location(doc: ParsedDocument, lines: list[_Line],
                  section_of: Callable[[int], str | None] = lambda _: None) -> Location | None:
    """Where the person is based: a Location / 所在地 field, else "City, ST" / "City, Country"
    or a place standing alone in the header (the opening lines) or a contact section."""
    header = _header_lines(lines, section_of, _front_matter_end(doc.text))
    if not header:
        return None
    for line in header:
        raw = doc.text[line.start:line.end]
        for match in _field().finditer(raw):
            if _WISH_BEFORE.search(raw, 0, match.start()):
                continue  # "意向 📍 杭州": where the person would like to work
            found = _place_of_field(match.group("v"), loose=_key_stands_alone(raw, match.start()))
            if found:
                return _location(doc, line.start + match.start("v") + found[0], found[1])
    pieces = [(line.start + at, piece) for line in header
              for at, piece in _pieces(doc.text[line.start:line.end])]
    for finder in (partial(_shape_in, opening=True), _whole_place, _address_place):
        for start, piece in pieces:
            found = finder(piece)
            if found and not (start < header[0].end and found[1].split(",")[-1].strip() in _TITLE_CODES):
                return _location(doc, start + found[0], found[1])
    for line in header[1:]:  # the first line is the name's: "Jane Doe - Germany" is not a city
        found = _dashed_place(doc.text[line.start:line.end])
        if found:
            return _location(doc, line.start + found[0], found[1])
    for line in header:
        found = _based_in(doc.text[line.start:line.end])
        if found:
            return _location(doc, line.start + found[0], found[1])
    found = _introduced_place(doc, header)
    return _location(doc, found[0], found[1]) if found else None


_SPACED_DASH = re.compile(r"\s[-–—]\s")


def _dashed_place(raw: str) -> tuple[int, str] | None:
    """A city and its country joined by a spaced dash in the header ("Cairo - Egypt", "Lyon –
    France"), read as "City, Country" is: the part after the dash a country or a region, the
    part before a city's name, not a role's or an organisation's."""
    for dash in _SPACED_DASH.finditer(raw):
        as_comma = raw[:dash.start()] + ",  " + raw[dash.end():]  # the same length: offsets kept
        found = _shape_in(as_comma)
        if found and found[0] < dash.start() < found[0] + len(found[1]):
            return found[0], raw[found[0]:found[0] + len(found[1])]
    return None


# A first-person sentence of an "about" page saying where its author lives or works now: "I'm a
# data engineer living in Lisbon.", "I am currently working at Northwind, in San Francisco." It
# opens with "I'm" / "I am" / "I live" / "I work" (never "I worked", "I was": a past place), and
# a verb of living or working comes before the "in" the place follows.
_FIRST_PERSON = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[,!]\s)|(?<=^\s))\s*I(?:['’]m|\s+am|\s+live|\s+work|\s+currently)\b[^.!?]*")
_LIVING_IN = re.compile(r"\b(?:liv(?:e|es|ing)|based|located|resid(?:e|es|ing)|work(?:s|ing)?)\b[^.!?]*?\bin\s+[*_]*",
                        re.IGNORECASE)


_WISHED = re.compile(r"\b(?:in|to|about|for|on|into|towards?)\s*$", re.IGNORECASE)


def _introduced_place(doc: ParsedDocument, header: list[_Line]) -> tuple[int, str] | None:
    """Where the opening prose of an "about" page says its author lives or works now (see
    `_FIRST_PERSON`): a known city or country, or "City, Country", right after the "in"."""
    if not header:
        return None
    start, end = header[0].start, max(line.end for line in header)
    text = _CONTACT_DETAIL.sub(lambda m: " " * len(m.group(0)), doc.text[start:end]).replace("\n", " ")
    for sentence in _FIRST_PERSON.finditer(text):
        for verb in _LIVING_IN.finditer(text, sentence.start(), sentence.end()):
            if _WISHED.search(text, sentence.start(), verb.start()):
                continue  # "I'm interested in working in Tokyo", "open to living in …": a wish
            found = _place_named_at(text, verb.end())
            if found:
                return start + found[0], found[1]
    return None


def _place_named_at(text: str, at: int) -> tuple[int, str] | None:
    """A place written at text[at:]: "City, Country" / "City, ST", else a known city or country
    with no capitalised or organisation word after it ("in Lisbon Labs" is a name)."""
    ahead = re.split(r"[.!?;](?=\s|$)", text[at:at + 60])[0]  # up to the sentence's end
    shape = _shape_in(ahead)
    if shape and shape[0] == 0:
        return at, shape[1]
    known = _place_mention().match(ahead)
    if known is None or _inside_a_name(text, at, at + known.end()):
        return None
    following = re.match(r"[*_]*\s+(\S+)", ahead[known.end():])
    word = following.group(1) if following else ""
    if word[:1].isupper() or _words().school.match(word) or _words().org.match(word):
        return None
    return at, known.group(0)


# "Amsterdam-based Senior Engineer", "a Lisbon based data scientist": a place the person is
# based in, written as an adjective of their title in the header or profile. The title is the
# words after it up to a word that starts a phrase of its own ("with", "at", ","); it must end
# in a role word, so "a Berlin-based startup" (an employer) is not read.
_BASED = re.compile(r"(?:(?<=[\s(,])|^)(?P<p>[A-Z][\w.'’]*(?:\s[A-Z][\w.'’]*){0,2})[-‑\s]based\s+"
                    r"(?P<title>[^.,;:()|\n]{2,60})")
_PHRASE_END = re.compile(r"\s(?:with|at|in|for|of|and|who|that|to|on|from|by|as|where|since|"
                         r"specializing|specialising|focused|passionate)\b.*", re.IGNORECASE | re.DOTALL)


def _based_in(raw: str) -> tuple[int, str] | None:
    for match in _BASED.finditer(raw):
        place, title = match.group("p"), _PHRASE_END.sub("", match.group("title")).strip()
        last = title.split()[-1] if title.split() else ""
        if (is_place(place) or place.casefold() in _countries()) and _words().role.fullmatch(last):
            return match.start("p"), place
    return None


# A postal address in the header: a Chinese city written with its units (北京市海淀区, 乐山市),
# then the street, a house number (12 号, 路 8) or a six-digit postcode.
_ADDRESS_REST = re.compile(r"\d+\s*[号號]|[路街道巷弄]\s*\d|(?<!\d)\d{6}(?!\d)")


def _address_place(piece: str) -> tuple[int, str] | None:
    text = piece.strip(" \t,.;:：，。()（）")
    found = re.match(_cjk_run(), text) or _CJK_ADMIN.match(text)
    if found and found.group(0)[-1] in "省市区县" and _ADDRESS_REST.search(text, found.end()):
        return piece.index(text), found.group(0)
    return None


def _header_lines(lines: list[_Line], section_of: Callable[[int], str | None],
                  skip: int = 0) -> list[_Line]:
    """The document's opening lines (up to its first heading: a talks or a summary section is
    not the header) and the first lines of each contact or personal-details section."""
    opening: list[_Line] = []
    for line in (line for line in lines if line.start >= skip):
        if not opening and is_document_title(line.text.strip(" #*_:：")):
            continue  # "## Résumé" above the name line: the page's title, not a section
        if line.region != "any" or len(opening) == _HEADER_LINES or (line.opens and opening):
            break
        opening.append(line)
    taken = {line.start for line in opening}
    contact: dict[str | None, int] = {}
    for line in lines:
        section = section_of(line.start)
        if line.start in taken or not _CONTACT_SECTION.search(section or ""):
            continue
        contact[section] = contact.get(section, 0) + 1
        if contact[section] <= _CONTACT_LINES:
            opening.append(line)
    return opening


def _front_matter_end(text: str) -> int:
    """Where a Markdown page's front matter ends (its layout and title for a site generator,
    between two "---" lines at the top): it comes before the header, it is not in it."""
    found = _FRONT_MATTER.match(text)
    return found.end() if found else 0


def _pieces(raw: str) -> list[tuple[int, str]]:
    """A header line cut into pieces at separators, contact details and Markdown emphasis masked
    ("_Lisbon, Portugal_"); pieces that are another field ("School: …", 籍贯：…) or prose are
    left out."""
    raw = _EMPHASIS.sub(lambda m: " " * len(m.group(0)), raw)  # offsets kept
    masked = _CONTACT_DETAIL.sub(lambda m: "|" * len(m.group(0)), raw)
    out, at = [], 0
    for cut in [*_PIECE_CUT.finditer(masked), None]:
        end = cut.start() if cut else len(masked)
        piece = raw[at:end]
        if piece.strip() and not _LABEL.match(piece.strip()) and len(piece.split()) <= _HEADER_PIECE_WORDS:
            out.append((at, piece))
        at = cut.end() if cut else end
    return out


_WISH_BEFORE = re.compile(r"(?:期望|意向)[\s:：]*$")


def _key_stands_alone(raw: str, at: int) -> bool:
    """Whether a field's key is not the end of a longer Chinese key: 项目地址, 公司地址 and 邮箱地址
    are a project's, an employer's and a mailbox's address, not the person's."""
    return not CJK.match(raw[at - 1:at] or " ")


def _place_of_field(value: str, loose: bool = True) -> tuple[int, str] | None:
    """The place a location field's value names: its "City, ST" when it is an address ("48 Cedar
    Lane, Portland, OR 97205" → "Portland, OR"), else the value when it holds a known place, is a
    short run of Chinese characters (the key says it is a place: 居住在陕西宝鸡), or is a school or
    an organisation named as the address ("地址：星河理工大学", "Address: Lakeside University").
    A value written as a link ("📍 [Lisbon, Portugal](https://maps…)") is read by its text."""
    link = _LINK_TEXT.match(value)
    if link:
        found = _place_of_field(link.group("t"), loose)
        return (link.start("t") + found[0], found[1]) if found else None
    cut = _CONTACT_DETAIL.search(value) or _FIELD_END.search(value)
    value = value[:cut.start()] if cut else value
    icon = _ICON.search(value)  # "📍 苏州 ⭐ 后端开发": the next icon starts the next field
    value = value[:icon.start()] if icon else value
    if _PLACE_LIST.search(value):
        return None  # "苏州、南京、合肥": several places say nothing
    shape = _shape_in(value)
    if shape:
        return shape
    text = value.strip().rstrip(".,;，。 0-9")
    if text and (_known_places().search(text) or _NAMED_PLACE.fullmatch(text)):
        return value.index(text), text
    admin = _CJK_ADMIN.match(text)
    if admin:
        return value.index(text), admin.group(0)
    if not loose:
        return None
    named = _CJK_VALUE.match(text) or (_ORGANISATION_VALUE.fullmatch(text) if _words().school.search(text) else None)
    return (value.index(text), named.group(0)) if named else None


# An icon (arrows, symbols, dingbats, emoji) that marks the next field on a contact line.
_ICON = re.compile(r"[\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u2bff\U0001F000-\U0001FAFF]")
_PLACE_LIST = re.compile(rf"[{CJK_CHARS}]\s*、\s*[{CJK_CHARS}]")  # 苏州、南京: a list, as a wish is
# A location field's value written as a Markdown link: its text is the place, the link a map's.
_LINK_TEXT = re.compile(r"\s*\[(?P<t>[^\]]{2,80})\]")
# A Chinese value of a location field: its leading run of 2-8 characters, up to the next mark
# ("陕西宝鸡/已婚" → 陕西宝鸡); a longer run is a sentence, not a place.
_CJK_VALUE = re.compile(rf"[{CJK_CHARS}]{{2,8}}(?![{CJK_CHARS}])")
# An organisation's name given as the address: a few capitalised words or Chinese characters.
_ORGANISATION_VALUE = re.compile(rf"[{CJK_CHARS}]{{2,12}}|[A-Z][\w.'’&-]*(?:\s+(?:of|the|and|[A-Z][\w.'’&-]*)){{1,5}}")


# A field's value written as a place though no table knows it: "Lehi, Utah", "Belgrade, Serbia"
# (capitalised names, a comma between), or a Chinese city written with its administrative units
# (四川省乐山市, 乐山市市中区: a 市 after a province or alone, then a district).
_CAPITAL = "A-ZÀ-ÖØ-Þ"  # a capital letter, accented ones too ("Île-de-France", "Örebro")
_NAMED = rf"[{_CAPITAL}][\w.'’-]+(?:[ -][{_CAPITAL}][\w.'’-]+){{0,2}}"
_NAMED_PLACE = re.compile(rf"{_NAMED}(?:,\s*{_NAMED}){{1,2}}")
_CJK_ADMIN = re.compile(rf"(?:[{CJK_CHARS}]{{2,3}}省)?[{CJK_CHARS}]{{2,4}}?市(?:[{CJK_CHARS}]{{1,4}}?[区县])?")


def _is_region(word: str | None) -> bool:
    return bool(word) and (word in _state_codes() or word.casefold() in _words().places
                           or word.casefold() in _countries())


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    return frozenset(c.casefold() for c in _location_words()["countries"])


def _location_words() -> dict[str, list[str]]:
    """entries.toml's [location] table: the keys of a location field and the world's countries."""
    return _data()["location"]


def _shape_in(text: str, opening: bool = False) -> tuple[int, str] | None:
    """The first "City, ST" / "City, Country" whose city is not part of an organisation's name:
    not a school, organisation or role word ("Marrow University, Dallas, TX" → "Dallas, TX"),
    not after "of" / "at" ("University of Toronto, Canada"), not inside a known name."""
    for comma in (m.start() for m in re.finditer(",", text)):
        tail = _TAIL.match(text, comma)
        if tail is None:
            continue
        end = (tail.end("u") if _is_region(tail.group("u")) else
               tail.end("t") if _is_region(tail.group("t")) else None)
        if end == tail.end("u") and is_place(tail.group("t")) and \
                not _inside_a_name(text, tail.start("t"), end):
            return tail.start("t"), text[tail.start("t"):end]  # "…, London, UK": the city is known
        city = _city_before(text, comma, opening) if end is not None else None
        if city is not None and not _inside_a_name(text, city, end):
            return city, text[city:end]
    return None


def _city_before(text: str, comma: int, opening: bool) -> int | None:
    """Where the city before a comma starts: its last capitalised word, or two words when the
    first is a city's ("San Jose", "St. Louis") or the two follow a separator ("…, Fall River,
    MA"; in a header piece, also at its start: "Cedar Falls, IA"). Not after "of" / "at"."""
    run = _CITY_RUN.search(text[:comma])
    if run is None:
        return None
    tokens = list(re.finditer(r"\S+", run.group(1)))
    last, lexicon = tokens[-1].group(0), _words()
    # Two capitals before a comma are a code (a state, a company's form "Acme AB"), not a city.
    if len(last) < 2 or re.fullmatch(r"[A-Z]{2}", last) or \
            any(p.search(last) for p in (lexicon.school, lexicon.org, lexicon.role)):
        return None
    start = run.start(1) + tokens[-1].start()
    if len(tokens) >= 2:
        prefix = tokens[-2].group(0)
        before = text[:run.start(1)].rstrip()
        apart = len(tokens) == 2 and (before[-1:] in (",", "|", "(", "–", "—") or opening and not before)
        if re.fullmatch(_CITY_PREFIX, prefix + " ") or apart and not (
                lexicon.org.search(prefix) or lexicon.role.search(prefix)):
            start = run.start(1) + tokens[-2].start()
    return None if _CONNECTOR.search(text[:start]) else start


def _inside_a_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] lies inside a known school's or employer's name."""
    words = _words()
    return any(m.start() < end and start < m.end() and not (m.start() >= start and m.end() <= end)
               for pattern in (words.known_schools, words.known_employers) for m in pattern.finditer(text))


def _whole_place(piece: str) -> tuple[int, str] | None:
    """A header piece that is nothing but a place: "Lisbon", "中国成都", "杭州市西湖区", or a
    city and a state code without the comma ("Evanston IL USA")."""
    text = piece.strip(" \t,.;:：，。()（）")
    state = _CITY_STATE.fullmatch(text)
    if text and (_place_run().fullmatch(text) or state and state.group("st") in _state_codes()):
        return piece.index(text), text
    if text.isupper() and _place_run().fullmatch(_capitalised(text)):
        return piece.index(text), text  # "VIETNAM", "LISBON, PORTUGAL": a header in capitals
    return None


def _capitalised(text: str) -> str:
    """Words written in capitals as a name is ("NEW YORK, USA" → "New York, USA"); a code of two
    or three capitals after a comma stays."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0) if len(m.group(0)) <= 3 and
                  text[:m.start()].rstrip().endswith(",") else m.group(0).capitalize(), text)


def location_of_latest(doc: ParsedDocument, experience: list[ExperienceEntry],
                       education: list[EducationEntry], today: date | None = None) -> Location | None:
    """Where the person is based when the header does not say: the place in the header lines of
    a current position (not an internship: that is a summer away), else a current school, else a
    current internship. A finished entry says where the person was, not where they are.
    A current school's city is kept as where a student is based: on the development and held-out
    sets, of the 7 resumes with an ongoing school and a labelled location, the label is that
    school's city in 6 (the 7th states another city in its header, which is read first); the 3
    with an ongoing school and no label state no place of their own, and nothing there says the
    student lives elsewhere (the labeller left the field empty rather than naming another city)."""
    now = (today or date.today()).strftime("%Y-%m")
    current = [e for e in [*experience, *education] if e.end == "present" or (e.end or "") > now]
    current.sort(key=lambda e: e.start or "", reverse=True)  # the latest first, then by kind
    current.sort(key=lambda e: 1 if isinstance(e, EducationEntry) else 2 if e.kind == "intern" else 0)
    for entry in current:
        found = _place_in(entry.citation.quote)
        if found:
            at, text = found
            return _location(doc, entry.citation.start + at, text)
    return None


def _place_in(header: str) -> tuple[int, str] | None:
    """The first place an entry's header lines name outside any organisation's name: "City, ST"
    / "City, Country", else a known city or country standing apart ("Tidal Energy Leeds",
    "星河工业大学 成都" → 成都, never 上海星河大学's 上海)."""
    for start, end in line_spans(header, 0, len(header)):
        found = _shape_in(header[start:end])
        if found:
            return start + found[0], found[1]
    for match in _place_mention().finditer(header):
        if not _in_a_name(header, match.start(), match.end()):
            return match.start(), match.group(0)
    return None


_NAME_CUT = re.compile(r"[|,，;；·•–—()（）\t]|\s{2,}")  # where one name on a header line ends


def _in_a_name(text: str, start: int, end: int) -> bool:
    """Whether the place at text[start:end] is a word of an organisation's name around it:
    Chinese characters run on before or after it (上海星河大学, 云付（中国）网络), or, in Latin
    script, "of"/"at" or a school word comes before it in the same name ("University of
    Toronto", "Freie Universität Berlin") or a capitalised or organisation word follows
    ("Boston University", "Lisbon Institute")."""
    if _inside_a_name(text, start, end):
        return True
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    before, after = text[line_start:start], text[end:line_end if line_end >= 0 else len(text)]
    words = _words()
    if CJK.match(text[start]):
        closed = re.match(r"\s*[)）](.)", after)
        return bool(CJK.match(before[-1:]) or re.match(rf"[^\W\d_]", after[:1])
                    or (closed and re.match(r"[^\W\d_]", closed.group(1))))
    name_before = _NAME_CUT.split(before)[-1]
    following = re.match(r"\s*(\S+)", _NAME_CUT.split(after)[0])
    word = following.group(1) if following else ""
    return bool(_CONNECTOR.search(before) or words.school.search(name_before)
                or (word[:1].isupper() and not re.match(_MONTH, word, re.IGNORECASE)
                    and not _IS_ONGOING.fullmatch(word))
                or words.school.match(word) or words.org.match(word))


@lru_cache(maxsize=1)
def _known_places() -> re.Pattern[str]:
    """City and country names (not two-letter codes) in one pattern, longest first: Latin ones
    as whole words, Chinese ones anywhere."""
    names = _place_names()
    return re.compile("|".join(re.escape(n) if CJK.search(n) else rf"(?<![\w.]){re.escape(n)}(?![\w.])"
                               for n in names))


@lru_cache(maxsize=1)
def _place_names() -> tuple[str, ...]:
    from retrieval.aliases import rows

    return tuple(sorted({form for row in rows("places") for form in row if len(form) >= 2 and
                         not re.fullmatch(r"[A-Z.]{2,4}", form)}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _place_run() -> re.Pattern[str]:
    """A run of known places and nothing else: "Lisbon, Portugal", "中国‑成都", "杭州市西湖区"."""
    latin = "|".join(re.escape(n) for n in _place_names() if not CJK.search(n))
    return re.compile(rf"(?:{latin})(?:\s*,\s*(?:{latin}|[A-Z]{{2}}))*|{_cjk_run()}")


@lru_cache(maxsize=1)
def _place_mention() -> re.Pattern[str]:
    """A known city or country written in a header: a Latin one as a whole word, a Chinese one
    with the places and district written on after it (中国‑成都, 杭州市西湖区)."""
    latin = "|".join(rf"{re.escape(n)}" for n in _place_names() if not CJK.search(n))
    return re.compile(rf"(?<![\w.])(?:{latin})(?![\w.])|{_cjk_run()}")


def _cjk_run() -> str:
    one = "(?:" + "|".join(re.escape(n) for n in _place_names() if CJK.search(n)) + ")[省市]?"
    return rf"{one}(?:[\s\u2010-\u2015·/-]*{one})*(?:[{CJK_CHARS}]{{1,4}}[区县])?"


@lru_cache(maxsize=1)
def _state_codes() -> frozenset[str]:
    """The two-letter codes of US states and Canadian provinces ("Kanata, ON")."""
    from retrieval.aliases import places_within

    return frozenset(c for country in ("United States", "Canada") for c in places_within(country)
                     if re.fullmatch(r"[A-Z]{2}", c))


def _location(doc: ParsedDocument, start: int, text: str) -> Location:
    text = text.strip()
    end = start + len(text)
    return Location(text=text, citation=Citation(
        passage_id=f"{doc.source}#{start}", quote=doc.text[start:end], source=doc.source,
        page=doc.page_at(start), section=None, start=start, end=end))


def combine(profiles: list[DocumentProfile]) -> tuple[
        list[EducationEntry], list[ExperienceEntry], Location | None]:
    """One person's entries over all their documents: the same school or employer with the same
    start stated twice is one entry (the first document's citation is kept)."""
    education: dict[tuple, EducationEntry] = {}
    experience: dict[tuple, ExperienceEntry] = {}
    for profile in profiles:
        for e in profile.education:
            education.setdefault((e.school.casefold(), e.degree, e.start), e)
        for x in profile.experience:
            experience.setdefault((x.employer.casefold(), x.title, x.start), x)
    location = next((p.location for p in profiles if p.location), None)
    return list(education.values()), list(experience.values()), location
