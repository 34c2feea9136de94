"""Choose the part of a passage to quote: a verbatim sub-slice trimmed at sentence or clause ends."""

from __future__ import annotations

import re

from retrieval.text import strip_span
from retrieval.tokens import tokenize
from retrieval.types import Citation, Passage

_CLAUSE = re.compile(r"[，,、：:]\s*")


_SENTENCE_END = re.compile(r"[。！？；!?;]+|\n+|\.(?=\s+[A-Z(\[\d])|\.$")


def segments(text: str) -> list[tuple[int, int]]:
    """Sentence-like pieces of a passage as (start, end) offsets, whitespace excluded."""
    cuts = [m.end() for m in _SENTENCE_END.finditer(text)]
    pieces, previous = [], 0
    for cut in cuts + [len(text)]:
        s, e = strip_span(text, previous, cut)
        if e > s:
            pieces.append((s, e))
        previous = cut
    return pieces


def _relevance(text: str, terms: set[str]) -> float:
    tokens = set(tokenize(text))
    return len(tokens & terms) if terms else 0.0


def select_quote(passage: Passage, terms: list[str], max_chars: int) -> Citation:
    """The most relevant window of whole sentences, at most max_chars (cut at a clause if needed)."""
    text = passage.text
    wanted = set(terms)
    pieces = segments(text) or [(0, len(text))]
    best = max(range(len(pieces)), key=lambda i: (_relevance(text[slice(*pieces[i])], wanted), -i))
    start, end = pieces[best]
    if end - start > max_chars:
        start, end = _clip(text, start, end, wanted, max_chars)
    else:
        lo, hi = best, best
        while True:  # grow by whole neighbouring sentences while it fits
            grew = False
            if hi + 1 < len(pieces) and pieces[hi + 1][1] - start <= max_chars:
                hi += 1
                end = pieces[hi][1]
                grew = True
            if lo > 0 and end - pieces[lo - 1][0] <= max_chars:
                lo -= 1
                start = pieces[lo][0]
                grew = True
            if not grew:
                break
    return Citation(
        passage_id=passage.id, quote=text[start:end], source=passage.source, page=passage.page,
        section=passage.section, start=passage.start + start, end=passage.start + end,
        trimmed_before=bool(text[:start].strip()), trimmed_after=bool(text[end:].strip()))


def _clip(text: str, start: int, end: int, wanted: set[str], max_chars: int) -> tuple[int, int]:
    """Cut an over-long sentence to the clause-aligned window with the most query terms."""
    cuts = [start] + [start + m.end() for m in _CLAUSE.finditer(text[start:end])] + [end]
    best, best_score = (start, min(end, start + max_chars)), -1.0
    for i, s in enumerate(cuts[:-1]):
        e = s
        for c in cuts[i + 1:]:
            if c - s > max_chars:
                break
            e = c
        if e == s:
            e = min(end, s + max_chars)
            space = text.rfind(" ", s + max_chars // 2, e)
            e = space if space > s else e
        score = _relevance(text[s:e], wanted)
        if score > best_score:
            best, best_score = (s, e), score
    return strip_span(text, *best)
