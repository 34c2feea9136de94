"""Hybrid search: fuse dense and keyword rankings, group by candidate, keep who clears the bar.

`Assistant.ask` runs these steps, each a small function with a type in and a type out:
analyse the question (concepts, cross-lingual expansions) → rank_dense + rank_keyword → fuse →
group_by_candidate → clears_bar → cite → Answer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from retrieval.lexicon import Concept
from retrieval.quotes import segments, select_quote
from retrieval.tokens import tokenize
from retrieval.types import Answer, CandidateHit, DocumentRecord, Passage

RRF_K = 60

# The relevance bar. A passage supports a candidate when
#  - a sentence or two of it express most of what the question asks (its concepts, weighted by
#    rarity, in either language): COVERAGE; or
#  - it expresses the rarer part of it and the candidate's documents express the rest
#    (PARTIAL_COVERAGE in the passage, COVERAGE over the documents); or
#  - one of its lines is very close in meaning to the question, clearly closer than what the
#    other candidates offer (STRONG_SIMILARITY and SIMILARITY_MARGIN over the median).
COVERAGE = 0.75
PARTIAL_COVERAGE = 0.4
STRONG_SIMILARITY = 0.40
SIMILARITY_MARGIN = 0.06


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

    @cached_property
    def asked(self) -> frozenset[str]:
        return frozenset(self.tokens)

    def coverage(self, tokens: frozenset[str] | set[str]) -> float:
        """Best share, over the alternatives, of the concepts found in these tokens. Only the
        question's own tokens can count, so the answer is remembered per set of those found."""
        found = self.asked & tokens
        memo = self.__dict__.setdefault("_coverage", {})
        if found not in memo:
            memo[found] = self._coverage_of(found)
        return memo[found]

    def _coverage_of(self, tokens: frozenset[str]) -> float:
        best = 0.0
        for segment in self.segments:
            total = sum(self.weights[c.label] for c in segment)
            found = sum(self.weights[c.label] * c.found_in(tokens) for c in segment)
            best = max(best, found / total if total else 0.0)
        return best


@dataclass
class Evidence:
    passage: Passage
    fused: float = 0.0
    similarity: float = 0.0
    coverage: float = 0.0  # best window of one or two sentences
    document_coverage: float = 0.0  # all of the candidate's document
    similarity_floor: float = STRONG_SIMILARITY  # set per question from the other candidates

    @property
    def strength(self) -> float:
        value = self.coverage + max(self.similarity, 0.0)
        return value + 1.0 if self.supports else value

    @property
    def supports(self) -> bool:
        return (self.coverage >= COVERAGE
                or self.coverage >= PARTIAL_COVERAGE and self.document_coverage >= COVERAGE
                or self.similarity >= self.similarity_floor)


@dataclass
class Group:
    candidate_id: str
    name: str
    name_found: bool
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def score(self) -> float:
        """How well the best two passages answer: coverage plus closeness, supporting ones first;
        the fused rank breaks ties."""
        ranked = sorted((e.strength for e in self.evidence), reverse=True)
        fused = max(e.fused for e in self.evidence)
        return sum(w * s for w, s in zip((1.0, 0.25), ranked)) + fused


def fuse(dense: list[tuple[Passage, float]], keyword: list[tuple[Passage, float]],
         similarities: dict[str, float], query: Query,
         document_tokens: dict[str, frozenset[str]]) -> list[Evidence]:
    """Reciprocal rank fusion of the two rankings, one Evidence per passage."""
    found: dict[str, Evidence] = {}
    for ranking in (dense, keyword):
        for rank, (passage, _) in enumerate(ranking):
            ev = found.setdefault(passage.id, Evidence(passage))
            ev.fused += 1.0 / (RRF_K + rank + 1)
    for ev in found.values():
        ev.similarity = similarities.get(ev.passage.id, 0.0)
        ev.coverage = window_coverage(ev.passage, query)
        doc_tokens = document_tokens.get(ev.passage.document_id)
        ev.document_coverage = query.coverage(doc_tokens) if doc_tokens else ev.coverage
    return sorted(found.values(), key=lambda e: e.fused, reverse=True)


def window_coverage(passage: Passage, query: Query) -> float:
    """Coverage of the best window of one or two consecutive sentences (the section heading
    counts as part of every window: "Education" + "Tsinghua … PhD")."""
    return max(query.coverage(window) for window in sentence_windows(passage.text, passage.section))


@lru_cache(maxsize=10_000)
def sentence_windows(text: str, section: str | None) -> tuple[frozenset[str], ...]:
    """The token sets of a passage's windows of one or two consecutive sentences, each with its
    heading's tokens (remembered: passages recur from question to question)."""
    heading = set(tokenize(section or ""))
    pieces = [set(tokenize(text[s:e])) for s, e in segments(text)] or [set()]
    windows = pieces + [a | b for a, b in zip(pieces, pieces[1:])]
    return tuple(frozenset(w | heading) for w in windows)


def set_similarity_floor(evidence: list[Evidence]) -> None:
    """Dense similarity alone is trusted only well above what the pack of candidates gets."""
    best: dict[str, float] = {}
    for ev in evidence:
        cid = ev.passage.candidate_id
        best[cid] = max(best.get(cid, -1.0), ev.similarity)
    values = sorted(best.values())
    median = values[len(values) // 2] if values else 0.0
    floor = max(STRONG_SIMILARITY, median + SIMILARITY_MARGIN)
    for ev in evidence:
        ev.similarity_floor = floor


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
