"""Reading a job description into requirements, and the verdicts that need no search.

A job description is read by its structure: heading lines open sections (Requirements, Nice to
have, Bonus, 任职要求, 加分项, …; what the job is and what you will do are not requirements),
and each bullet (or line) of a requirement section is one item. An item is typed: a degree
("PhD in machine learning"), years of experience ("5+ years …", which also keeps its topic), a
location ("based in Berlin"), a spoken language ("fluent Mandarin"), else a topic that the
ordinary search checks. Each is a must-have or a nice-to-have from its section, unless its own
wording says otherwise ("… is a plus" in a Requirements list). The knowledge (heading words,
wording, languages) is `jobs.toml` beside this module.

The entry verdicts (degree, years, location) and the language verdict are here too: they read
a candidate's entries and document text, not the search index.
"""

from __future__ import annotations

import operator
import re
import threading
import tomllib
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from candidates.filters import Filter, ListQuery, match_filters, read_list_question, \
    years_of_experience
from retrieval.text import has_cjk
from retrieval.types import CandidateInfo, Citation, Coverage, Passage, Requirement

_DATA = Path(__file__).with_name("jobs.toml")
KINDS = ("topic", "degree", "years", "location", "language")
# A higher degree meets a lower requirement (a PhD meets "a Master's").
_DEGREE_LADDER = {"BS": ("BS", "BA", "MS", "MBA", "PhD"), "BA": ("BS", "BA", "MS", "MBA", "PhD"),
                  "MS": ("MS", "MBA", "PhD"), "MBA": ("MBA",), "PhD": ("PhD",)}
# A heading is a short line: longer ones are sentences that happen to contain a heading word.
MAX_HEADING_CHARS = 60
# A resume is "written in Chinese" when this share of its letters are CJK (a Chinese resume
# that mixes in English stays well above it; an English one with a Chinese name, far below).
CJK_SHARE = 0.3


@lru_cache(maxsize=1)
def _tables() -> dict:
    with _DATA.open("rb") as f:
        return tomllib.load(f)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _has_phrase(text: str, phrase: str) -> bool:
    """`phrase` in `text` as whole words (Chinese phrases: anywhere)."""
    if has_cjk(phrase):
        return phrase in text
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text) is not None


def _any_phrase(text: str, phrases: list[str]) -> bool:
    folded = _fold(text)
    return any(_has_phrase(folded, p) for p in phrases)


# --- reading the description ----------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-*•·●○▪■◆◇►➢✓✔–—]|\(?\d{1,2}[.)、）]|[（(]\d{1,2}[)）]|"
                     r"[一二三四五六七八九十]{1,2}、)\s*")
_MARKS = re.compile(r"[#*_`>]+")


@dataclass(frozen=True)
class Item:
    """One line of a requirement section, with where it is in the description."""

    text: str
    start: int
    end: int
    section: str | None
    must: bool


def heading_kind(line: str) -> str | None:
    """"must" / "nice" / "other" when the line is a heading, else None. A heading is a short
    line without a bullet that ends with a colon or consists of a heading phrase."""
    if _BULLET.match(line) and not line.lstrip().startswith(("#", "*")):
        return None
    plain = _MARKS.sub(" ", line).strip()
    plain = re.sub(r"^[一二三四五六七八九十\d]{1,2}[、.]\s*", "", plain)
    if not plain or len(plain) > MAX_HEADING_CHARS:
        return None
    ends_colon = plain.endswith((":", "："))
    words = plain.rstrip(":：").strip()
    table = _tables()["headings"]
    for kind in ("other", "nice", "must"):
        if _any_phrase(words, table[kind]) and (ends_colon or _is_whole_heading(words, table[kind])
                                                or line.lstrip().startswith("#")):
            return kind
    return "other" if ends_colon and len(words.split()) <= 6 and not has_cjk(words[-1:]) \
        else None


def _is_whole_heading(words: str, phrases: list[str]) -> bool:
    """A line that is only heading words ("Requirements", "Nice to have", "任职要求")."""
    folded = _fold(words)
    rest = folded
    for p in sorted(phrases, key=len, reverse=True):
        rest = rest.replace(p, " ")
    return len(re.sub(r"[\W_]+", "", rest)) <= 3


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, at = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        out.append((at, at + len(body), body))
        at += len(raw)
    return out


def read_items(text: str) -> list[Item]:
    """The requirement items of a description: the lines of its must and nice sections; when it
    has none, its bullets (anywhere); when it has no bullets either, its lines after the title."""
    items: list[Item] = []
    section: tuple[str, str] | None = None  # (kind, heading)
    bullets: list[Item] = []
    plain: list[Item] = []
    for n, (start, end, line) in enumerate(_lines(text)):
        if not line.strip():
            continue
        kind = heading_kind(line)
        if kind is not None:
            heading = _MARKS.sub(" ", line).strip()
            section = (kind, heading.rstrip(":：").strip())
            inline = re.split(r"[:：]", heading, maxsplit=1)
            if len(inline) == 2 and inline[1].strip() and kind != "other":
                items.extend(_split_inline(inline[1], text, start, section))
            continue
        item = _item(line, start, end, section)
        if _BULLET.match(line):
            bullets.append(item)
        elif n > 0:
            plain.append(item)
        if section is not None and section[0] != "other":
            items.append(item)
    return items or bullets or plain


def _item(line: str, start: int, end: int, section: tuple[str, str] | None) -> Item:
    body = _BULLET.sub("", line, count=1).strip()
    lead = len(line) - len(line.lstrip()) + (len(line.lstrip()) - len(_BULLET.sub("", line.lstrip(), count=1)))
    at = start + lead
    body = body.rstrip("；;。.，,")
    return Item(body, at, at + len(body), section[1] if section else None,
                must=section is None or section[0] != "nice")


def _split_inline(rest: str, text: str, line_start: int, section: tuple[str, str]) -> list[Item]:
    """"Requirements: Python, SQL" → one item per part."""
    out = []
    offset = text.find(rest.strip(), line_start)
    for m in re.finditer(r"[^,;，；、]+", rest.strip()):
        part = m.group(0).strip()
        if part:
            at = offset + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            out.append(Item(part, at, at + len(part), section[1], must=section[0] != "nice"))
    return out


def must_by_wording(item: Item) -> bool:
    """The item's own wording overrides its section's."""
    words = _tables()["wording"]
    if item.must and _any_phrase(item.text, words["nice"]):
        return False
    if not item.must and _any_phrase(item.text, words["must"]):
        return True
    return item.must


# A first line this short, with no bullet and no heading word, is the job's title.
MAX_TITLE_CHARS = 100


def read_requirements(text: str) -> list[Requirement]:
    """Every requirement of a job description, typed, in the description's order, ids r1, r2…;
    the job's title last, as a nice-to-have topic (the role itself: on the real set's six jobs
    it lifts MAP from 0.76 to 0.80, ranking people whose work is the role above those who only
    touch one requirement)."""
    text = unicodedata.normalize("NFC", text)
    out: list[Requirement] = []
    for item in read_items(text):
        must = must_by_wording(item)
        for kind, value, extra in _typed(item.text):
            if any(r.kind == kind and r.value.casefold() == value.casefold() for r in out):
                continue
            out.append(Requirement(id=f"r{len(out) + 1}", text=item.text, kind=kind, value=value,
                                   must=must, section=item.section, start=item.start,
                                   end=item.end, **extra))
    title = job_title(text)
    if title is not None and out and not any(r.text == title[0] for r in out):
        out.append(Requirement(id=f"r{len(out) + 1}", text=title[0], kind="topic", value=title[0],
                               must=False, section="title", start=title[1],
                               end=title[1] + len(title[0])))
    return out


def job_title(text: str) -> tuple[str, int] | None:
    """The first line and its offset when it reads as a title (short, not a bullet or heading)."""
    for start, _, line in _lines(text):
        if not line.strip():
            continue
        body = line.strip()
        if len(body) > MAX_TITLE_CHARS or _BULLET.match(line) or heading_kind(line) is not None \
                or body.endswith((".", "。")):
            return None
        plain = _MARKS.sub(" ", body).strip()
        return plain, text.find(plain, start)
    return None


def _typed(text: str) -> list[tuple[str, str, dict]]:
    """(kind, value, extra fields) of one item: what it asks for."""
    languages = languages_named(text)
    if languages and _any_phrase(text, _tables()["languages"]["cues"]):
        return [("language", lang, {}) for lang in languages]
    query = read_list_question(text)
    filters = {f.kind: f for f in query.filters} if query else {}
    if "degree" in filters:  # its field goes with the degree ("PhD in ML")
        return [("degree", filters["degree"].value, {})] + _years_beside(text, filters.get("years"))
    if "location" in filters or _location_cue(text):
        place = filters["location"].value if "location" in filters else _location_cue(text)
        return [("location", place, {})]
    out: list[tuple[str, str, dict]] = []
    if "years" in filters:
        f = filters["years"]
        out.append(("years", f.value, {"min_years": f.min_years, "max_years": f.max_years}))
        topic = _without(text, f.value)
    else:
        topic = text
    if sum(ch.isalnum() for ch in topic) >= 3 and _topic_words(topic):
        out.append(("topic", topic.strip(" ,;:-"), {}))
    return out


def _years_beside(text: str, years: "Filter | None") -> list[tuple[str, str, dict]]:
    """A length of experience asked beside a degree is a requirement of its own, with the
    topic of its clause ("本科及以上学历，计算机相关专业，5年以上前端开发经验": BS, 5+ years, 前端开发)."""
    if years is None:
        return []
    out = [("years", years.value, {"min_years": years.min_years, "max_years": years.max_years})]
    clause = _clause_of(text, years.value)
    topic = _without(clause, years.value)
    if clause != text and sum(ch.isalnum() for ch in topic) >= 3 and _topic_words(topic):
        out.append(("topic", topic.strip(" ,;:-"), {}))
    return out


_CLAUSE_BREAK = re.compile(r"[,，;；、]|\s+and\s+|并且|以及")


def _clause_of(text: str, phrase: str) -> str:
    """The clause of an item (between commas or semicolons) that holds the phrase."""
    at = text.find(phrase)
    if at < 0:
        return phrase
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, at)), default=0)
    end = next((m.start() for m in _CLAUSE_BREAK.finditer(text, at + len(phrase))), len(text))
    return text[start:end].strip()


def _without(text: str, phrase: str) -> str:
    return re.sub(r"\s+", " ", text.replace(phrase, " ")).strip()


_FILLER = re.compile(r"\b(?:of|in|with|and|or|the|a|an|years?|experience|strong|solid|good|"
                     r"proven|hands-on|professional|industry|knowledge|skills?|ability|to|"
                     r"background|related|field|similar|etc)\b|经验|以上|年|熟悉|具备|能力", re.I)


def _topic_words(text: str) -> bool:
    """Whether anything is left to search for once filler is taken out."""
    return sum(ch.isalnum() for ch in _FILLER.sub(" ", text)) >= 2


def _location_cue(text: str) -> str | None:
    folded = _fold(text)
    for cue in _tables()["location"]["cues"]:
        m = re.search(rf"(?<![\w-]){re.escape(cue)}\s+(.+)", folded) if not has_cjk(cue) else \
            re.search(rf"{re.escape(cue)}[:：]?\s*(.+)", folded)
        if m:
            start = m.start(1)
            place = re.split(r"[,;.(（，；。]|\bor\b", text[start:])[0].strip()
            if place and place[:1].isupper() or has_cjk(place[:1]):
                return place
    return None


def languages_named(text: str) -> list[str]:
    """The canonical names of the spoken languages the text names."""
    folded = _fold(text)
    return [row[0] for row in _tables()["languages"]["rows"]
            if any(_has_phrase(folded, _fold(form)) for form in row)]


def apply_edits(requirements: list[Requirement], drop: list[str] | None = None,
                flip: list[str] | None = None) -> list[Requirement]:
    """The requirements without the dropped ones, the flipped ones turned must ↔ nice. A
    requirement is named by its id ("r2") or by words of its text ("kubernetes")."""
    dropped = {r.id for key in drop or [] for r in _named(requirements, key)}
    flipped = {r.id for key in flip or [] for r in _named(requirements, key)}
    return [r.model_copy(update={"must": r.must != (r.id in flipped)})
            for r in requirements if r.id not in dropped]


def _named(requirements: list[Requirement], key: str) -> list[Requirement]:
    key = key.strip()
    by_id = [r for r in requirements if r.id == key.lower()]
    return by_id or [r for r in requirements if key and _fold(key) in _fold(r.text)]


# --- verdicts that read entries and text -----------------------------------------------------

def entry_verdict(requirement: Requirement, person: CandidateInfo) -> Coverage:
    """A degree, years or location requirement checked against the person's entries."""
    if requirement.kind == "degree":
        for label in _DEGREE_LADDER.get(requirement.value, (requirement.value,)):
            found = match_filters(ListQuery([Filter("degree", label)]), [person])
            if found and found[0].citations:
                return Coverage(requirement=requirement.id, verdict="met",
                                citation=found[0].citations[0],
                                note=None if label == requirement.value else f"holds {label}")
        return Coverage(requirement=requirement.id, verdict="no")
    if requirement.kind == "years":
        years = years_of_experience(person.experience, education=person.education)
        jobs = [e for e in person.experience if e.kind != "intern" and e.start]
        low, high = requirement.min_years, requirement.max_years
        ok = (low is None or years >= low) and (high is None or years <= high)
        # "partly": within a year of the minimum (dates on a resume are often to the year).
        near = not ok and low is not None and years >= low - 1 and (high is None or years <= high)
        verdict = "met" if ok else "partly" if near else "no"
        return Coverage(requirement=requirement.id, verdict=verdict,
                        citation=jobs[0].citation if jobs and verdict != "no" else None,
                        note=f"{years:.1f} years of professional experience")
    if requirement.kind == "location":
        found = match_filters(ListQuery([Filter("location", requirement.value)]), [person])
        if found and person.location is not None:
            return Coverage(requirement=requirement.id, verdict="met",
                            citation=person.location.citation)
        return Coverage(requirement=requirement.id, verdict="no",
                        note=f"based in {person.location.text}" if person.location else None)
    raise ValueError(f"not an entry requirement: {requirement.kind}")


def language_verdict(requirement: Requirement, passages: list[Passage]) -> Coverage:
    """A spoken language: met when the person's documents name it (a line quoted); partly when
    the documents are written in it without naming it (a Chinese resume for Mandarin)."""
    row = next((r for r in _tables()["languages"]["rows"] if r[0] == requirement.value),
               [requirement.value])
    for passage in passages:
        for form in row:
            m = _form_in(passage.text, form)
            if m is not None:
                return Coverage(requirement=requirement.id, verdict="met",
                                citation=_line_citation(passage, m))
    written = _written_in(passages)
    if written is not None and requirement.value in _tables()["languages"][written[0]]:
        passage, at = written[1], written[2]
        return Coverage(requirement=requirement.id, verdict="partly",
                        citation=_line_citation(passage, at),
                        note=f"not named; the resume is written in {requirement.value}")
    return Coverage(requirement=requirement.id, verdict="no")


def _written_in(passages: list[Passage]) -> tuple[str, Passage, int] | None:
    """("cjk" | "latin", a passage, an offset in it of a line in that script) of the documents."""
    letters = [ch for p in passages for ch in p.text if ch.isalpha()]
    if not letters:
        return None
    cjk = sum(has_cjk(ch) for ch in letters) / len(letters) >= CJK_SHARE
    wanted = has_cjk if cjk else (lambda ch: ch.isascii() and ch.isalpha())
    for p in passages:
        at = next((i for i, ch in enumerate(p.text) if wanted(ch)), None)
        if at is not None:
            return ("cjk" if cjk else "latin"), p, at
    return None


def _form_in(text: str, form: str) -> int | None:
    if has_cjk(form):
        at = text.find(form)
        return at if at >= 0 else None
    m = re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text, re.I)
    return m.start() if m else None


def _line_citation(passage: Passage, at: int) -> Citation:
    """The line of `passage` around offset `at` (offsets within the passage), verbatim."""
    start = passage.text.rfind("\n", 0, at) + 1
    end = passage.text.find("\n", at)
    end = len(passage.text) if end < 0 else end
    while start < end and passage.text[start].isspace():
        start += 1
    while end > start and passage.text[end - 1].isspace():
        end -= 1
    return Citation(passage_id=passage.id, quote=passage.text[start:end], source=passage.source,
                    page=passage.page, section=passage.section, start=passage.start + start,
                    end=passage.start + end, trimmed_before=start > 0,
                    trimmed_after=end < len(passage.text))


def typed_requirement(text: str, kind: str, must: bool) -> Requirement | None:
    """`text` read by the rules as a requirement of `kind` (None when the rules do not read it
    so): how an LLM's proposal of a degree, years, location or language gets its value."""
    for k, value, extra in _typed(text):
        if k == kind:
            return Requirement(id="", text=text, kind=k, value=value, must=must, **extra)
    return None


# --- verdicts kept while the store does not change -------------------------------------------

# Distinct requirements (kind, value, years) whose verdicts are kept at once: a job description
# has a handful; a bot answering many keeps the recent ones (10,000 people × a requirement is a
# few MB).
KEPT_REQUIREMENTS = 64
# A verdict as a small number, so that a requirement's verdicts on everyone are one array.
VERDICT_CODES = {"no": 0, "partly": 1, "met": 2}
_UNKNOWN = -1


class Verdicts:
    """The entry and language verdicts of one state of the store's people, each computed once.

    A must-have degree is checked against everyone (about 6,000 of 10,000 generated resumes
    hold a Master's): read from every person's entries for each job description, that alone took
    0.3-1 s. Here a verdict is computed the first time a requirement of its kind and value is
    asked about a person (by `entry_verdict` / `language_verdict`, so it is the same verdict)
    and looked up afterwards; `codes` gives a requirement's verdicts on everyone as one array
    (`VERDICT_CODES`, in the order of `people`), so a must-have is a vector filter. It belongs to
    the list of people it was built for (`serves`): a new state of the store makes new people,
    and a new `Verdicts`."""

    def __init__(self, people: list[CandidateInfo],
                 passages_of: Callable[[Sequence[str]], list[Passage]]):
        self.people = list(people)  # held, so the identity check in `serves` stays sound
        self.index = {p.id: i for i, p in enumerate(self.people)}
        self._passages_of = passages_of
        self._kept: OrderedDict[tuple, tuple[np.ndarray, dict[int, Coverage]]] = OrderedDict()
        self._lock = threading.Lock()
        self._name_order: np.ndarray | None = None

    def serves(self, people: list[CandidateInfo]) -> bool:
        """Whether `people` are the very objects this was built for (the same state of the
        store)."""
        return len(people) == len(self.people) and all(map(operator.is_, people, self.people))

    def name_order(self) -> np.ndarray:
        """Each person's place in the alphabetical order of everyone's names (lower-cased, as
        the shortlist's ranking compares them; equal names in the order of `people`)."""
        if self._name_order is None:
            order = sorted(range(len(self.people)), key=lambda i: self.people[i].name.lower())
            places = np.empty(len(order), dtype=np.int64)
            places[order] = np.arange(len(order))
            self._name_order = places
        return self._name_order

    def codes(self, requirement: Requirement, at: np.ndarray | None = None) -> np.ndarray:
        """The requirement's verdict codes on everyone; computed first for the people at the
        positions `at` (everyone when None) that have none yet."""
        codes, cells = self._table(requirement)
        wanted = np.arange(len(self.people)) if at is None else np.asarray(at, dtype=np.int64)
        todo = wanted[codes[wanted] == _UNKNOWN]
        if len(todo):
            if requirement.kind == "language":
                self.read_languages([requirement], todo)
            else:
                for i in todo.tolist():
                    cell = cells[i] = entry_verdict(requirement, self.people[i])
                    codes[i] = VERDICT_CODES[cell.verdict]
        return codes

    def coverage(self, requirement: Requirement, at: int) -> Coverage:
        """The cell of the person at position `at`, as `entry_verdict` / `language_verdict`
        give it."""
        self.codes(requirement, np.array([at]))
        cell = self._table(requirement)[1][at]
        return cell if cell.requirement == requirement.id else \
            cell.model_copy(update={"requirement": requirement.id})

    def read_languages(self, requirements: list[Requirement],
                       at: Sequence[int] | np.ndarray) -> None:
        """The language verdicts of the people at positions `at` that have none yet, their
        documents read in one batch (one store read for all of them, not one each)."""
        tables = [(r, *self._table(r)) for r in requirements if r.kind == "language"]
        todo = sorted({int(i) for i in at for _, codes, _ in tables if codes[i] == _UNKNOWN})
        if not todo:
            return
        owners: dict[str, list[int]] = {}
        for i in todo:
            for d in self.people[i].document_ids:
                owners.setdefault(d, []).append(i)
        passages: dict[int, list[Passage]] = {i: [] for i in todo}
        for passage in self._passages_of(list(owners)):
            for i in owners.get(passage.document_id, ()):
                passages[i].append(passage)
        for r, codes, cells in tables:
            for i in todo:
                if codes[i] == _UNKNOWN:
                    cell = cells[i] = language_verdict(r, passages[i])
                    codes[i] = VERDICT_CODES[cell.verdict]

    def _table(self, requirement: Requirement) -> tuple[np.ndarray, dict[int, Coverage]]:
        # years are counted up to today: tomorrow's count may differ
        key = (requirement.kind, requirement.value, requirement.min_years, requirement.max_years,
               date.today() if requirement.kind == "years" else None)
        with self._lock:
            table = self._kept.get(key)
            if table is None:
                table = self._kept[key] = (np.full(len(self.people), _UNKNOWN, dtype=np.int8), {})
                while len(self._kept) > KEPT_REQUIREMENTS:
                    self._kept.popitem(last=False)
            else:
                self._kept.move_to_end(key)
            return table
