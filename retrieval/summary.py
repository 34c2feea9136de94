"""Extractive candidate summaries: one cited line per part of the resume."""

from __future__ import annotations

import re

from retrieval.quotes import select_quote
from retrieval.types import CandidateInfo, Passage, Summary, SummaryLine

# (field, words that name such a section), in the order a card shows them.
FIELDS: list[tuple[str, tuple[str, ...]]] = [
    ("education", ("education", "academic", "教育", "学历")),
    ("experience", ("experience", "employment", "work", "internship", "工作", "实习")),
    ("research", ("research", "interest", "研究", "方向", "亮点", "summary", "profile", "about",
                  "简介", "总结", "优势")),
    ("projects", ("project", "open source", "项目", "开源")),
    ("publications", ("publication", "paper", "preprint", "论文", "成果", "专利")),
    ("skills", ("skill", "technolog", "tools", "技能", "技术栈")),
    ("awards", ("award", "honor", "honour", "获奖", "荣誉", "奖项", "竞赛")),
]


def field_of(section: str | None) -> str | None:
    if not section:
        return None
    lowered = section.lower()
    for field, words in FIELDS:
        if any(w in lowered for w in words):
            return field
    return None


def summarize(candidate: CandidateInfo, passages: list[Passage], quote_chars: int = 240,
              per_field: int = 2) -> Summary:
    """Headline from the document's opening, then the first passages of each known section."""
    lines: list[SummaryLine] = []
    ordered = sorted(passages, key=lambda p: (p.source, p.start))
    opening = [p for p in ordered if p.section is None or p.section == "Profile"][:1]
    for p in opening:
        lines.append(_line("headline", p, quote_chars))
    for field, _ in FIELDS:
        chosen = [p for p in ordered if field_of(p.section) == field][:per_field]
        lines.extend(_line(field, p, quote_chars) for p in chosen)
    return Summary(candidate=candidate, lines=lines)


def _line(field: str, passage: Passage, quote_chars: int) -> SummaryLine:
    citation = select_quote(passage, [], quote_chars)
    text = re.sub(r"\s+", " ", citation.display_quote()).strip()
    return SummaryLine(field=field, text=text, citation=citation)
