"""Publication lists: papers, their author lines, and whether the person is among the authors."""

from __future__ import annotations

import re

from candidates.names import name_forms
from retrieval.text import line_spans
from retrieval.types import Fact, ParsedDocument, Passage

AUTHOR_LINE = re.compile(r"(?:et al\.?\s*(?:·.*)?$)|^(?:[A-Z][\w'\-.]*(?:\s+[A-Z][\w'\-.]*){0,3},\s*){2,}"
                          r"|^(?:[A-Z]\.\s*)+[A-Z][\w'\-]+(?:,\s*(?:and\s+)?(?:[A-Z]\.\s*)+[A-Z][\w'\-]+)+$"
                          r"|^[A-Z][\w'\-]+,\s*[A-Z][\w.\s\-]*(?:;\s*(?:and\s+)?[A-Z][\w'\-]+,\s*[A-Z][\w.\s\-]*)+$")
_INITIALS = re.compile(r"^(?:[A-Z]\.?[\s\-]*){1,3}$")  # "J.", "J. K.", "J.-K.", "JK"
_MARKS = re.compile(r"[*∗†‡§#\d]+")
# A page mixes namesakes when the papers that show the name fall into this many groups of
# co-authors that share nobody, each of at least MIN_GROUP papers. (Seed publication page: three
# such groups; a CV's own papers: one group plus single papers from other collaborations.)
MIN_GROUPS = 2
MIN_GROUP = 3


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


def cv_paper_flag(line: str, name: str) -> str | None:
    """A paper line of a CV or resume whose visible author list (two or more authors at the
    start of the line) does not show the person; None when it does or when no list is visible."""
    text = _strip_marks(line)
    head = re.split(r"(?<=[^\W\d_]{2})\.\s|\s\(?(?:19|20)\d\d[a-z]?\)?[.,]|[“\"]", text, maxsplit=1)[0]
    if not AUTHOR_LINE.search(head) or len(authors_of(head)) < 2:
        return None
    return None if author_position(head, name) else f"the visible author list does not show {name}"


def _strip_marks(line: str) -> str:
    return re.sub(r"^\s*(?:[-*•·●○▪■◆►▸➢✓✔]|\[\d+\]|\d{1,3}[.)])\s*|[*_]", "", line)


def author_position(authors: str, name: str) -> int | None:
    """1-based position of the person in a visible author list, or None when not shown.
    Reads "Given Surname", "Surname, Given" (";"-separated or paired with initials) and
    initials ("J. Zhang", "Zhang, J.")."""
    wanted = name_forms(name) | _initial_forms(name)
    for i, author in enumerate(authors_of(authors)):
        if _author_key(author) in wanted:
            return i + 1
    return None


def authors_of(authors: str) -> list[str]:
    """The names in a visible author list, in order ("et al." and an affiliation dropped)."""
    text = re.sub(r"\s*·.*$", "", authors)
    text = _MARKS.sub("", re.sub(r",?\s*et al\.?", "", text))
    if ";" in text:
        parts = [_surname_first(p) for p in text.split(";")]
    else:
        parts = _pair_initials([p.strip() for p in re.split(r",|\band\b|&", text)])
    return [p for p in (re.sub(r"^\s*and\s+", "", q).strip() for q in parts) if p]


def _surname_first(part: str) -> str:
    """"Zhang, Jintao" → "Jintao Zhang"."""
    surname, _, given = part.partition(",")
    return f"{given.strip()} {surname.strip()}".strip()


def _pair_initials(parts: list[str]) -> list[str]:
    """["Zhang", "J.", "Lee", "K."] → ["J. Zhang", "K. Lee"]: a surname followed by its initials."""
    parts = [p for p in parts if p]
    out, i = [], 0
    while i < len(parts):
        if i + 1 < len(parts) and " " not in parts[i] and _INITIALS.match(parts[i + 1]) \
                and not _INITIALS.match(parts[i]):
            out.append(f"{parts[i + 1]} {parts[i]}")
            i += 2
        else:
            out.append(parts[i])
            i += 1
    return out


def _author_key(author: str) -> str:
    return re.sub(r"[\s\-_.,'·]+", "", author.lower())


def _initial_forms(name: str) -> set[str]:
    """"Jintao Zhang" → {"jzhang", "zhangj"}; Chinese names through their pinyin forms."""
    forms = set()
    for form in name_forms(name):
        parts = re.findall(r"[a-z]+", form)
        if len(parts) >= 2:
            forms.add(parts[0][0] + parts[-1])
            forms.add(parts[-1] + parts[0][0])
    if re.fullmatch(r"[A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-.]*)+", name.strip()):
        words = [re.sub(r"[^a-z]", "", w) for w in name.lower().split()]
        words = [w for w in words if w]
        initials = "".join(w[0] for w in words[:-1])
        forms |= {words[0][0] + words[-1], words[-1] + words[0][0],
                  initials + words[-1], words[-1] + initials}
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
    groups = coauthor_groups(papers, name) if name else []
    big = [g for g in groups if len(g) >= MIN_GROUP]
    if len(big) >= MIN_GROUPS:
        sizes = ", ".join(str(len(g)) for g in big)
        flags.append(f"its papers that show {name} fall into {len(big)} groups of co-authors who "
                     f"never write together ({sizes} papers); they may be by different people "
                     "who share this name")
    affiliations = [p.detail.get("affiliation") for p in papers if p.detail.get("affiliation")]
    distinct = set(affiliations)
    if len(distinct) >= 3 and max(affiliations.count(a) for a in distinct) < len(papers) / 2:
        flags.append(f"its papers list {len(distinct)} different affiliations "
                     f"({', '.join(sorted(distinct)[:4])}); they may be by different people "
                     "who share this name")
    return flags


def coauthor_groups(papers: list[Fact], name: str) -> list[list[int]]:
    """Papers that show the person, grouped by shared co-authors (connected components),
    largest first; a list of paper indexes per group."""
    wanted = name_forms(name) | _initial_forms(name)
    coauthors: dict[int, set[str]] = {}
    for i, paper in enumerate(papers):
        keys = {_author_key(a) for a in authors_of(str(paper.detail.get("authors") or ""))}
        if keys & wanted:
            coauthors[i] = keys - wanted
    parent = {i: i for i in coauthors}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    for i, keys in coauthors.items():
        for key in keys:
            if key in first_with:
                parent[root(i)] = root(first_with[key])
            else:
                first_with[key] = i
    groups: dict[int, list[int]] = {}
    for i in coauthors:
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=len, reverse=True)
