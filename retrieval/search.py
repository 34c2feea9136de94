"""Hybrid search: fuse dense and keyword rankings, group by candidate, keep who clears the bar.

`Assistant.ask` runs these steps, each a small function with a type in and a type out:
analyse the question (concepts, cross-lingual expansions) → rank_dense + rank_keyword → fuse →
group_by_candidate → clears_bar → cite → Answer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from retrieval.lexicon import Concept
from retrieval.quotes import select_quote
from retrieval.tokens import tokenize
from retrieval.types import Answer, CandidateHit, DocumentRecord, Passage

RRF_K = 60

# The relevance bar. A passage supports a candidate when it expresses most of what the question
# asks (its concepts, weighted by rarity, in either language) and is at least loosely close in
# meaning, or when it is very close in meaning on its own.
STRONG_SIMILARITY = 0.45
WEAK_SIMILARITY = 0.0
COVERAGE = 0.75


@dataclass
class Query:
    text: str
    segments: list[list[Concept]]  # alternatives: "A or B" → [[A…], [B…]]
    weights: dict[str, float]  # concept label → weight (rarity in the corpus)

    @property
    def tokens(self) -> list[str]:
        """Every keyword token of every concept and expansion (for BM25 and quote choice)."""
        seen: dict[str, None] = {}
        for segment in self.segments:
            for concept in segment:
                for token in sorted(concept.tokens):
                    seen.setdefault(token)
        return list(seen)

    def coverage(self, tokens: frozenset[str] | set[str]) -> float:
        """Best share, over the alternatives, of the concepts found in these tokens."""
        best = 0.0
        for segment in self.segments:
            total = sum(self.weights[c.label] for c in segment)
            found = sum(self.weights[c.label] for c in segment if c.found_in(tokens))
            best = max(best, found / total if total else 0.0)
        return best


@dataclass
class Evidence:
    passage: Passage
    fused: float = 0.0
    similarity: float = 0.0
    coverage: float = 0.0

    @property
    def supports(self) -> bool:
        return self.similarity >= STRONG_SIMILARITY or (
            self.coverage >= COVERAGE and self.similarity >= WEAK_SIMILARITY)


@dataclass
class Group:
    candidate_id: str
    name: str
    name_found: bool
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def score(self) -> float:
        """Best few passages count, supporting ones most."""
        ranked = sorted((e.fused * (2.0 if e.supports else 1.0) for e in self.evidence), reverse=True)
        return sum(w * s for w, s in zip((1.0, 0.5, 0.25), ranked))


def fuse(dense: list[tuple[Passage, float]], keyword: list[tuple[Passage, float]],
         similarities: dict[str, float], query: Query,
         tokens_of: dict[str, frozenset[str]]) -> list[Evidence]:
    """Reciprocal rank fusion of the two rankings, one Evidence per passage."""
    found: dict[str, Evidence] = {}
    for ranking in (dense, keyword):
        for rank, (passage, _) in enumerate(ranking):
            ev = found.setdefault(passage.id, Evidence(passage))
            ev.fused += 1.0 / (RRF_K + rank + 1)
    for ev in found.values():
        ev.similarity = similarities.get(ev.passage.id, 0.0)
        tokens = tokens_of.get(ev.passage.id)
        if tokens is None:
            tokens = frozenset(tokenize(f"{ev.passage.section or ''}\n{ev.passage.text}"))
        ev.coverage = query.coverage(tokens)
    return sorted(found.values(), key=lambda e: e.fused, reverse=True)


def group_by_candidate(evidence: list[Evidence], live: dict[str, DocumentRecord]) -> list[Group]:
    groups: dict[str, Group] = {}
    for ev in evidence:
        record = live[ev.passage.document_id]
        group = groups.setdefault(ev.passage.candidate_id,
                                  Group(ev.passage.candidate_id, record.candidate_name, record.name_found))
        group.evidence.append(ev)
    return sorted(groups.values(), key=lambda g: g.score, reverse=True)


def clears_bar(group: Group, min_similarity: float = 0.0) -> bool:
    return any(ev.supports and ev.similarity >= min_similarity for ev in group.evidence)


def to_hit(group: Group, query: Query, sources: dict[str, list[str]], max_citations: int,
           quote_chars: int) -> CandidateHit:
    supporting = sorted((e for e in group.evidence if e.supports),
                        key=lambda e: (e.coverage, e.fused), reverse=True)
    return CandidateHit(
        id=group.candidate_id, name=group.name, name_found=group.name_found,
        sources=sources.get(group.candidate_id, []), score=round(group.score, 6),
        citations=[select_quote(ev.passage, query.tokens, quote_chars)
                   for ev in supporting[:max_citations]])


def build_answer(query: Query, groups: list[Group], sources: dict[str, list[str]],
                 max_candidates: int, max_citations: int, quote_chars: int,
                 min_similarity: float = 0.0) -> Answer:
    kept = [g for g in groups if clears_bar(g, min_similarity)][:max_candidates]
    if not kept:
        return Answer(question=query.text, no_match=True)
    hits = [to_hit(g, query, sources, max_citations, quote_chars) for g in kept]
    return Answer(question=query.text, no_match=False, candidates=hits)


def sources_by_candidate(live: dict[str, DocumentRecord]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for record in live.values():
        out[record.candidate_id].append(record.source)
    return {k: sorted(v) for k, v in out.items()}
