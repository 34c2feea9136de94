"""What a document says about its person, by rules: contacts, education, experience,
publications, skills, research areas and a headline. Every fact is a verbatim line of the
document's text with its offsets, so it can be cited like any passage.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterator

from candidates.papers import cv_paper_flag, paper_fact, profile_flags
from retrieval.aliases import rows as alias_rows
from candidates.entries import read_entries
from candidates.contacts import find_emails, find_links, find_phones
from candidates.sections import field_of
from retrieval.text import line_spans
from retrieval.types import DocumentProfile, ExperienceEntry, Fact, ParsedDocument, Passage

_DATES = re.compile(r"(?:19|20)\d{2}(?:[./年]\s?\d{1,2}月?)?\s*(?:[-–—~至到]+|to)\s*"
                    r"(?:(?:19|20)\d{2}(?:[./年]\s?\d{1,2}月?)?|至今|现在|今|present|now|current)",
                    re.IGNORECASE)
_ONGOING = re.compile(r"至今|现在|在读|present|now|current", re.IGNORECASE)
_SCHOOL = re.compile(r"[\u4e00-\u9fff]{2,14}(?:大学|学院|研究生院|研究院|研究所)|"
                     r"(?:[A-Z][\w.&'-]*\s+){0,5}(?:University|College|Institute of Technology|"
                     r"Institute|School)(?:\s+of(?:\s+[A-Z][\w.&'-]*){1,5})?")
_DEGREES = [
    ("PhD", re.compile(r"ph\.?\s?d|doctor|博士(?!后)", re.IGNORECASE)),
    ("Master", re.compile(r"master|m\.\s?s\.?c?\b|\bmsc\b|\bmeng\b|硕士|研究生", re.IGNORECASE)),
    ("Bachelor", re.compile(r"bachelor|b\.\s?s\.?c?\b|\bbsc\b|b\.\s?eng|\bbeng\b|本科|学士|undergraduate",
                            re.IGNORECASE)),
]
_ROLE = re.compile(r"engineer|developer|researcher|scientist|intern\b|internship|manager|lead\b|"
                   r"architect|analyst|consultant|founder|professor|postdoc|student|assistant|"
                   r"工程师|研究员|实习生?|算法|开发|经理|负责人|架构师|科学家|教授|博士后|博士生|研究生|学生|助理",
                   re.IGNORECASE)
_ORG = re.compile(r"[\u4e00-\u9fff（）()]{2,24}(?:公司|集团|科技|实验室|研究院|研究所|大学|学院|中心)|"
                  r"(?:[A-Z][\w.&'-]*\s+){0,4}(?:Inc\.?|Ltd\.?|LLC|Labs?|Research|Technologies|"
                  r"Technology|Corporation|Corp\.?|Group|AI|Cloud|University)\b")
_VENUE = re.compile(r"\[[A-Za-z][\w\s-]*['’]?\d{2,4}\]|\b(?:NeurIPS|ICML|ICLR|CVPR|ICCV|ECCV|ACL|EMNLP|"
                    r"NAACL|AAAI|IJCAI|KDD|WWW|SIGMOD|VLDB|OSDI|SOSP|NSDI|ISCA|MICRO|HPCA|ASPLOS|DAC|"
                    r"ICCAD|FPGA|TPAMI|TNNLS|arXiv|IEEE|ACM)\b")
_TITLE_MARK = re.compile(r"\*\*[^*]{12,}\*\*|“[^”]{12,}”|\"[^\"]{12,}\"")  # **Title**, “Title”
_HEADER_SECTIONS = (None, "Profile")


def _fact(kind: str, doc: ParsedDocument, passage: Passage, start: int, end: int,
          **detail: str | int | None) -> Fact:
    return Fact(kind=kind, text=doc.text[start:end], source=doc.source, page=doc.page_at(start),
                section=passage.section, start=start, end=end,
                detail={k: v for k, v in detail.items() if v is not None})


def extract_profile(doc: ParsedDocument, passages: list[Passage], name: str | None,
                    publication_page: bool) -> DocumentProfile:
    facts: list[Fact] = []
    for passage in passages:
        if _is_contact_section(passage.section):
            facts.extend(_contacts(doc, passage))
        kind = field_of(passage.section)
        if publication_page and passage.section == "Publications":
            facts.append(paper_fact(doc, passage, name))
            continue
        if publication_page and passage.section == "Profile":
            continue  # the page's own header: name, counts, scores
        for start, end in line_spans(doc.text, passage.start, passage.end):
            fact = _line_fact(kind, doc, passage, start, end)
            if fact is not None:
                if fact.kind == "publication" and name:
                    fact.flag = cv_paper_flag(fact.text, name)
                facts.append(fact)
    facts = _dedupe(facts)
    education, experience, location = read_entries(doc, passages)
    headline = _headline(doc, passages, facts, experience)
    if headline is not None:
        facts.insert(0, headline)
    flags = profile_flags(facts, name) if publication_page else []
    return DocumentProfile(source=doc.source, name=name, facts=facts, flags=flags,
                           education=education, experience=experience, location=location)


def _is_contact_section(section: str | None) -> bool:
    """Contacts are read from a document's opening lines or a contact section, not from the
    body (a paper's code link or a company's domain is not the person's contact)."""
    return section in _HEADER_SECTIONS or bool(
        re.search(r"contact|personal|联系|个人信息|基本信息", section or "", re.IGNORECASE))


def _contacts(doc: ParsedDocument, passage: Passage) -> Iterator[Fact]:
    emails = find_emails(passage.text)
    for kind, finder in (("email", find_emails), ("phone", find_phones), ("link", find_links)):
        for s, e in finder(passage.text):
            if kind == "phone" and any(es <= s < ee or es < e <= ee for es, ee in emails):
                continue  # digits of an e-mail address
            yield _fact(kind, doc, passage, passage.start + s, passage.start + e)


def _line_fact(kind: str | None, doc: ParsedDocument, passage: Passage, start: int,
               end: int) -> Fact | None:
    line = doc.text[start:end]
    if kind == "education" or (_SCHOOL.search(line) and _degree(line)):
        return _education(doc, passage, start, end) if (_SCHOOL.search(line) or _degree(line)) else None
    if kind == "experience":
        return _experience(doc, passage, start, end)
    if kind == "publications" and (_VENUE.search(line) or _TITLE_MARK.search(line)):
        year = re.search(r"(?:19|20)\d{2}|['’](\d{2})\b", line)
        venue = _VENUE.search(line)
        return _fact("publication", doc, passage, start, end, title=_strip_bullet(line)[:200],
                     venue=venue.group(0).strip("[]") if venue else None,
                     year=year.group(0) if year else None)
    if kind == "skills" and len(line) >= 3:
        return _fact("skill", doc, passage, start, end)
    if kind == "research" and len(line) >= 6:
        return _fact("research", doc, passage, start, end)
    return None


def _degree(line: str) -> str | None:
    return next((label for label, pattern in _DEGREES if pattern.search(line)), None)


def _education(doc: ParsedDocument, passage: Passage, start: int, end: int) -> Fact | None:
    line = doc.text[start:end]
    school, degree, dates = _SCHOOL.search(line), _degree(line), _DATES.search(line)
    if not school and not degree:
        return None
    return _fact("education", doc, passage, start, end,
                 school=school.group(0).strip() if school else None, degree=degree,
                 dates=dates.group(0) if dates else None,
                 ongoing=1 if dates and _ONGOING.search(dates.group(0)) else None)


def _experience(doc: ParsedDocument, passage: Passage, start: int, end: int) -> Fact | None:
    line = doc.text[start:end]
    dates = _DATES.search(line)
    org = _organisation(line)
    role = _ROLE.search(line)
    if not dates and not (org and role):
        return None
    if _strip_bullet(line) != line and not dates:
        return None  # a bullet describing the work, not the position itself
    return _fact("experience", doc, passage, start, end, organisation=org,
                 role=role.group(0) if role else None, dates=dates.group(0) if dates else None,
                 ongoing=1 if dates and _ONGOING.search(dates.group(0)) else None)


@lru_cache(maxsize=1)
def _known_organisations() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every employer and school of the alias table (as whole words), and each
    form by its lower case: one search a line instead of one per name."""
    names = sorted({n for row in alias_rows("employers", "schools") for n in row if len(n) > 2},
                   key=len, reverse=True)
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, names)) + r")(?![\w])",
                         re.IGNORECASE)
    return pattern, {n.lower(): n for n in names}


def _organisation(line: str) -> str | None:
    pattern, forms = _known_organisations()
    found = [m.group(0) for m in pattern.finditer(line)]
    if found:  # the longest name the line holds, as the table writes it
        return forms.get(max(found, key=len).lower(), max(found, key=len))
    match = _ORG.search(line)
    return match.group(0).strip() if match else None


def _strip_bullet(line: str) -> str:
    return re.sub(r"^\s*(?:[-*•·●○▪■◆►▸➢✓✔]|\d{1,2}[.)、])\s*", "", line)


# --- headline ----------------------------------------------------------------------------

def _headline(doc: ParsedDocument, passages: list[Passage], facts: list[Fact],
              experience: list[ExperienceEntry]) -> Fact | None:
    """The current role or status: a role line near the top, else the titled position held
    now (its entry: "Data Engineer, Acme (2019 – present)", citing the entry's lines, whatever
    line its dates are on), else an ongoing position or degree line."""
    for passage in passages:
        if passage.section not in _HEADER_SECTIONS:
            break
        for start, end in line_spans(doc.text, passage.start, passage.end):
            line = doc.text[start:end]
            if _ROLE.search(line) and not find_emails(line) and not find_phones(line) \
                    and len(line) <= 120:
                return _fact("headline", doc, passage, start, end)
    current = next((x for x in experience if x.end == "present" and x.title), None)
    if current is not None:
        c = current.citation
        label = ", ".join(p for p in (current.title, current.employer) if p)
        label += f" ({current.start[:4]} – present)" if current.start else ""
        return Fact(kind="headline", text=doc.text[c.start:c.end], source=doc.source, page=c.page,
                    section=c.section, start=c.start, end=c.end, detail={"label": label})
    ongoing = [f for f in facts if f.kind in ("experience", "education") and f.detail.get("ongoing")]
    chosen = ongoing[0] if ongoing else next((f for f in facts if f.kind == "experience"), None)
    if chosen is None:
        return None
    return chosen.model_copy(update={"kind": "headline"})


def _dedupe(facts: list[Fact]) -> list[Fact]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for fact in facts:
        key = (fact.kind, fact.start, fact.end)
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out
