"""Publication lists: papers, their author lines, and whether the person is among the authors."""

from __future__ import annotations

import re

from candidates.names import name_forms
from retrieval.text import line_spans
from retrieval.types import Fact, ParsedDocument, Passage

AUTHOR_LINE = re.compile(r"(?:et al\.?\s*(?:·.*)?$)|^(?:[A-Z][\w'\-.]*(?:\s+[A-Z][\w'\-.]*){0,3},\s*){2,}"
                          r"|^(?:[A-Z]\.\s*)+[A-Z][\w'\-]+(?:,\s*(?:and\s+)?(?:[A-Z]\.\s*)+[A-Z][\w'\-]+)+$")


def paper_fact(doc: ParsedDocument, passage: Passage, name: str | None) -> Fact:
    """One paper of a profile page: title, venue/date line, authors and the person's position."""
    lines = line_spans(doc.text, passage.start, passage.end)
    texts = [doc.text[s:e] for s, e in lines]
    author_at = next((i for i, t in enumerate(texts) if AUTHOR_LINE.search(t)), None)
    title_at = max(0, (author_at or 1) - 1)
    start, end = lines[title_at]
    venue = texts[title_at - 1] if title_at >= 1 else None
    authors = texts[author_at] if author_at is not None else ""
    position = author_position(authors, name) if name else None
    flag = None
    if name and position is None:
        flag = f"the visible author list does not show {name}"
    detail = dict(title=texts[title_at][:200], venue=venue, authors=authors[:300] or None,
                  position=position, affiliation=_affiliation(authors))
    return Fact(kind="publication", text=doc.text[start:end], source=doc.source,
                page=doc.page_at(start), section=passage.section, start=start, end=end,
                detail={k: v for k, v in detail.items() if v is not None}, flag=flag)


def author_position(authors: str, name: str) -> int | None:
    """1-based position of the person in a visible author list, or None when not shown."""
    wanted = name_forms(name)
    initials = _initial_forms(name)
    listed = [a.strip() for a in re.split(r",|\band\b|·", authors.replace(" et al.", ""))]
    for i, author in enumerate(a for a in listed if a):
        key = re.sub(r"[\s\-_.,'·]+", "", author.lower())
        if key in wanted or key in initials:
            return i + 1
    return None


def _initial_forms(name: str) -> set[str]:
    """"Jintao Zhang" → {"jzhang", "zhangj"}; Chinese names through their pinyin forms."""
    forms = set()
    for form in name_forms(name):
        parts = re.findall(r"[a-z]+", form)
        if len(parts) >= 2:
            forms.add(parts[0][0] + parts[-1])
            forms.add(parts[-1] + parts[0][0])
    if re.fullmatch(r"[A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*)+", name.strip()):
        words = name.lower().split()
        forms.add(words[0][0] + words[-1])
        forms.add(words[-1] + words[0][0])
    return forms


def _affiliation(authors: str) -> str | None:
    match = re.search(r"·\s*([^·]+)$", authors)
    return match.group(1).strip().lower() if match else None


def profile_flags(facts: list[Fact], name: str | None) -> list[str]:
    """Warnings about a publication page as a whole."""
    papers = [f for f in facts if f.kind == "publication"]
    flags = []
    unseen = [p for p in papers if p.flag]
    if name and papers and len(unseen) > len(papers) / 2:
        flags.append(f"{len(unseen)} of {len(papers)} papers do not show {name} in their visible "
                     "author list; the page may mix up people who share this name")
    affiliations = [p.detail.get("affiliation") for p in papers if p.detail.get("affiliation")]
    distinct = set(affiliations)
    if len(distinct) >= 3 and max(affiliations.count(a) for a in distinct) < len(papers) / 2:
        flags.append(f"its papers list {len(distinct)} different affiliations "
                     f"({', '.join(sorted(distinct)[:4])}); they may be by different people "
                     "who share this name")
    return flags
