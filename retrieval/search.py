"""Hybrid search: fuse dense and keyword rankings, group by candidate, keep who clears the bar.

`Assistant.ask` runs these steps, each a small function with a type in and a type out:
analyse the question (concepts, cross-lingual expansions) → rank_dense + rank_keyword → fuse →
set_similarity_floor → group_by_candidate (the evidence of each person's whole document) →
weigh_lines (how many lines of the best candidates' documents are close to the topic, from the
store's `line_similarities`) → clears_bar → cite, strongest evidence first → Answer. The bar and the weights are `Relevance`,
built from `Settings`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from retrieval.lexicon import Concept
from retrieval.quotes import segments, select_quote
from retrieval.settings import Settings, threshold, thresholds_of
from retrieval.text import is_enumeration
from retrieval.tokens import PHRASE_JOIN, held_phrases, sentence_tokens, sentence_words
from retrieval.types import Answer, CandidateHit, DocumentRecord, Passage

if TYPE_CHECKING:  # the store's type only: searching does not talk to Chroma
    from retrieval.store import LineSimilarities

RRF_K = 60
MINOR_SECTION_KIND = "other"  # Passage.section_kind of talks, service, languages … (candidates.sections)
LISTING_SECTION_KINDS = frozenset({"skills"})  # sections that list what a person knows
# Sections where a line that is a list of names lists rather than shows (coursework, a tools
# line, a headingless skills block); in experience, projects, research or publications a
# list belongs to the work it sits in.
ENUMERATING_SECTION_KINDS = frozenset({None, "education", MINOR_SECTION_KIND})


@dataclass(frozen=True)
class Relevance:
    """The relevance bar and the ranking weights of a topic question (fields of `Settings`,
    where each says which measurement set it). A passage supports a candidate when
     - a sentence or two of it express most of what the question asks (its concepts, weighted by
       rarity, in either language): `coverage`; or
     - it expresses part of it and the candidate's documents express the rest (`partial` in the
       passage, `coverage` over the documents); or
     - one of its lines is very close in meaning to the question, clearly closer than what the
       other candidates offer (`strong_similarity`, `similarity_margin` over the median); or
     - one of its lines stands out from the pool of passages found in meaning (`outstanding`
       spreads above the median, `similarity_margin` above the other candidates, and at most
       `similarity_margin` short of `strong_similarity`): "researched quantum algorithms" for
       "quantum computing".
    The words alone are not enough when they are a lone mention: the first two ways need the
    topic in `mentions` passages of the candidate's documents, or a passage whose meaning is not
    far from the question's beside the pool's (`lone_mention_similarity`): one "compiled the
    quarterly report" in a resume about sales does not make a compiler engineer. A lone mention
    found only through a translation the embedder guessed (沉淀 "to settle" for "distillation")
    needs the passage's meaning at least `guessed_lone` beside the pool's. A lone mention of one
    of the field's specific terms (topics.toml: TCP or SDN for networking, iOS for mobile) is
    enough: those terms are chosen to have no everyday sense, and a best-paper award on SDN in
    an awards section is far from "computer networking" in meaning yet is the field itself.
    A candidate's score is a saturating sum over all their passages (`decay`), so evidence from
    the whole document counts, and the strongest counts most; plus (`line_share`) a saturating
    sum over their lines that are close to the topic beside the pool's lines (`weigh_lines`):
    several bullets about iOS apps count for a mobile developer though none says "mobile".
    A passage's wording counts `minor_section` times as much in a section that is none of a
    resume's main kinds (talks, service, languages: `section_weight`)."""

    coverage: float = threshold("coverage_bar")
    partial: float = threshold("partial_coverage_bar")
    strong_similarity: float = threshold("strong_similarity")
    similarity_margin: float = threshold("similarity_margin")
    decay: float = threshold("evidence_decay")
    similarity_share: float = threshold("similarity_share")
    mentions: int = threshold("topic_mentions")
    lone_mention_similarity: float = threshold("lone_mention_similarity")
    outstanding: float = threshold("outstanding_similarity")
    line_share: float = threshold("line_evidence_share")
    minor_section: float = threshold("minor_section_weight")
    guessed_lone: float = threshold("guessed_mention_similarity")
    listing: float = threshold("listing_weight")

    @classmethod
    def of(cls, settings: Settings) -> "Relevance":
        return thresholds_of(cls, settings)

    def section_weight(self, passage: Passage) -> float:
        """How much a passage's wording counts by the kind of its section: less in a section
        that is none of a resume's main kinds ("Invited Talks", "Service", "Languages"), where a
        title or a name is not work done."""
        return self.minor_section if passage.section_kind == MINOR_SECTION_KIND else 1.0


DEFAULT_RELEVANCE = Relevance()


@dataclass
class Query:
    text: str
    segments: list[list[Concept]]  # alternatives: "A or B" → [[A…], [B…]]
    weights: dict[str, float]  # concept label → weight (rarity in the corpus)
    relaxed: bool = False  # one detail of a long alternative may be missing (`relax`)
    spared: tuple[str, ...] = ()  # everyday words read without (`without`)

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

    @cached_property
    def phrases(self) -> frozenset[str]:
        """The phrase tokens asked ("model parallel"): the document as a whole holds a phrase
        when it holds its words (`document_coverage`); a sentence only where they stand
        together."""
        return frozenset(t for t in self.asked if PHRASE_JOIN in t)

    def coverage(self, tokens: frozenset[str] | set[str], exact: bool = False) -> float:
        """Best share, over the alternatives, of the concepts found in these tokens; with
        `exact`, only through the question's own words and their aliases (no guessed
        translation). Only the question's own tokens can count, so the answer is remembered
        per set of those found."""
        found = self.asked & tokens
        memo = self.__dict__.setdefault("_coverage", {})
        if (found, exact) not in memo:
            memo[found, exact] = self._coverage_of(found, exact)
        return memo[found, exact]

    def _coverage_of(self, tokens: frozenset[str], exact: bool) -> float:
        best = 0.0
        for segment in self.segments:
            weights = [self.weights[c.label] for c in segment]
            found = [w * _credit(c, tokens, exact) for w, c in zip(weights, segment)]
            best = max(best, _share(weights, found, self.relaxed and len(segment) >= RELAXED_LENGTH))
        return best

    @cached_property
    def field_terms(self) -> tuple[frozenset[str], ...]:
        return tuple(alt for segment in self.segments for c in segment for alt in c.specific)

    def names_a_field_term(self, tokens: frozenset[str]) -> bool:
        """Whether these tokens hold one of the specific terms the topic table gives a field
        the question names (TCP for networking, iOS for mobile)."""
        if not self.field_terms:
            return False
        found = self.asked & tokens
        return any(alt <= found for alt in self.field_terms)

    def can_relax(self) -> bool:
        """A long alternative with a concept that may be spared (one less rare than another)."""
        return not self.relaxed and any(
            len(s) >= RELAXED_LENGTH and len({self.weights[c.label] for c in s}) > 1
            for s in self.segments)

    def relax(self) -> "Query":
        """The question read with one detail to spare: in an alternative of three or more concepts
        ("large-scale ETL and stream processing", "writing custom CUDA kernels"), a passage
        expressing all but one of them counts as expressing it all. The rarest concept is never
        the one spared: it is what the question is most specifically about."""
        return Query(self.text, self.segments, self.weights, relaxed=True)


    def without(self, labels: frozenset[str]) -> "Query":
        """The question read without these concepts (everyday words around its topic), with
        the rest relaxed as `relax` does; those who say all of it still come first."""
        segments = [[c for c in seg if c.label not in labels] for seg in self.segments]
        return Query(self.text, [seg for seg in segments if seg],
                     {k: w for k, w in self.weights.items() if k not in labels}, relaxed=True,
                     spared=tuple(sorted(set(self.spared) | labels)))


RELAXED_LENGTH = 3  # concepts in an alternative before one of them may go missing (`relax`)


def _share(weights: list[float], found: list[float], spare_one: bool) -> float:
    """The found share of the weights; with `spare_one`, the best share without one concept
    (never the rarest)."""
    total, got = sum(weights), sum(found)
    share = got / total if total else 0.0
    if spare_one:
        rarest = max(weights)
        share = max([share] + [(got - f) / (total - w) for w, f in zip(weights, found) if w < rarest])
    return share


def _credit(concept: Concept, tokens: frozenset[str], exact: bool) -> float:
    credit = concept.found_in(tokens)
    return credit if credit >= 1.0 or not exact else 0.0


@dataclass
class Evidence:
    passage: Passage
    fused: float = 0.0
    similarity: float = 0.0
    coverage: float = 0.0  # best window of one or two sentences
    document_coverage: float = 0.0  # all of the candidate's document
    similarity_floor: float = DEFAULT_RELEVANCE.strong_similarity  # set per question (the pack)
    pack_floor: float = 1.0  # the other candidates' median best similarity, plus the margin
    relative_similarity: float = 0.0  # against the pool: median 0, 90th percentile 1
    mentions: int = 1  # passages of the candidate's documents that express part of the topic
    guessed: bool = False  # its words are found only through guessed translations
    specific: bool = False  # it names one of the field's specific terms (topics.toml)
    listed: bool = False  # it only lists the topic (a skills section, a list of names)
    relevance: Relevance = DEFAULT_RELEVANCE

    @property
    def value(self) -> float:
        """How well this passage answers: its coverage (less when it only lists the topic), and
        its closeness to the question beside the pool's."""
        bar = self.relevance
        coverage = self.coverage * bar.listing if self.listed else self.coverage
        return coverage + bar.similarity_share * max(self.relative_similarity, 0.0)

    @property
    def strength(self) -> float:
        """The value, one more when the passage supports the candidate on its own."""
        return self.value + 1.0 if self.supports else self.value

    @property
    def supports(self) -> bool:
        bar = self.relevance
        worded = (self.coverage >= bar.coverage
                  or self.coverage >= bar.partial and self.document_coverage >= bar.coverage)
        lone_bar = bar.guessed_lone if self.guessed else bar.lone_mention_similarity
        not_lone = self.mentions >= bar.mentions or self.relative_similarity >= lone_bar \
            or self.specific
        outstanding = (self.relative_similarity >= bar.outstanding
                       and self.similarity >= max(self.pack_floor,
                                                  bar.strong_similarity - bar.similarity_margin))
        return worded and not_lone or self.similarity >= self.similarity_floor or outstanding


@dataclass
class Group:
    candidate_id: str
    name: str
    name_found: bool
    evidence: list[Evidence] = field(default_factory=list)
    line_evidence: float = 0.0  # how many of the document's lines are close to the topic

    @property
    def score(self) -> float:
        """The passages' evidence, and the lines' (`weigh_lines`)."""
        share = self.evidence[0].relevance.line_share if self.evidence else 0.0
        return self.passage_score + share * self.line_evidence

    @cached_property
    def supported(self) -> float:
        """One when a passage that shows the work clears the bar; `listing` when only a passage
        that lists the topic does; else nothing."""
        supporting = [e for e in self.evidence if e.supports]
        if not supporting:
            return 0.0
        return 1.0 if not all(e.listed for e in supporting) else self.evidence[0].relevance.listing

    @cached_property
    def passage_score(self) -> float:
        """The evidence of the candidate's whole document: one when a passage clears the bar,
        plus a saturating sum of their passages' values, strongest first (the k-th weighted
        decay**k); the fused rank breaks ties."""
        decay = self.evidence[0].relevance.decay if self.evidence else 0.0
        ranked = sorted((e.value for e in self.evidence), reverse=True)
        fused = max((e.fused for e in self.evidence), default=0.0)
        return self.supported + sum(v * decay ** k for k, v in enumerate(ranked)) + fused


def fuse(dense: list[tuple[Passage, float]], keyword: list[tuple[Passage, float]],
         similarities: dict[str, float], query: Query,
         document_tokens: dict[str, frozenset[str]],
         relevance: Relevance = DEFAULT_RELEVANCE) -> list[Evidence]:
    """Reciprocal rank fusion of the two rankings, one Evidence per passage."""
    found: dict[str, Evidence] = {}
    for ranking in (dense, keyword):
        for rank, (passage, _) in enumerate(ranking):
            ev = found.setdefault(passage.id, Evidence(passage, relevance=relevance))
            ev.fused += 1.0 / (RRF_K + rank + 1)
    for ev in found.values():
        ev.similarity = similarities.get(ev.passage.id, 0.0)
        ev.coverage = window_coverage(ev.passage, query) * relevance.section_weight(ev.passage)
        ev.guessed = ev.coverage > 0 and window_coverage(ev.passage, query, exact=True) == 0
        ev.specific = ev.coverage >= relevance.partial and any(
            query.names_a_field_term(w)
            for w in sentence_windows(ev.passage.text, ev.passage.section, query.phrases))
        ev.listed = ev.coverage > 0 and only_lists(ev.passage, query, relevance.partial)
        doc_tokens = document_tokens.get(ev.passage.document_id)
        ev.document_coverage = query.coverage(doc_tokens | query.phrases) if doc_tokens else ev.coverage
    return sorted(found.values(), key=lambda e: e.fused, reverse=True)


def window_coverage(passage: Passage, query: Query, exact: bool = False) -> float:
    """Coverage of the best window of one or two consecutive sentences (the section heading
    counts as part of every window: "Education" + "Tsinghua … PhD"); with `exact`, through the
    question's own words and aliases only."""
    return max(query.coverage(window, exact)
               for window in sentence_windows(passage.text, passage.section, query.phrases))


def only_lists(passage: Passage, query: Query, partial: float) -> bool:
    """Whether the passage names the topic only to list it: in a skills section, or (in a
    section that does not say what was done) only on lines that are lists of names."""
    if passage.section_kind in LISTING_SECTION_KINDS:
        return True
    if passage.section_kind not in ENUMERATING_SECTION_KINDS:
        return False
    lines = sentence_lines(passage.text, passage.section, query.phrases)
    naming = [listing for tokens, listing in lines if query.coverage(tokens) >= partial]
    return bool(naming) and all(naming)


@lru_cache(maxsize=10_000)
def sentence_lines(text: str, section: str | None,
                   phrases: frozenset[str] = frozenset()) -> tuple[tuple[frozenset[str], bool], ...]:
    """Each sentence of a passage: its tokens with the heading's and the `phrases` it holds, and
    whether it is a list of names (`is_enumeration`)."""
    heading = _heading_tokens(section)
    return tuple((_with_phrases(sentence, phrases) | heading,
                  is_enumeration(text[sentence.start:sentence.end])) for sentence in _sentences(text))


@lru_cache(maxsize=10_000)
def sentence_windows(text: str, section: str | None,
                     phrases: frozenset[str] = frozenset()) -> tuple[frozenset[str], ...]:
    """The token sets of a passage's windows of one or two consecutive sentences, each with its
    heading's tokens and the `phrases` (of a question) its sentences hold (remembered: passages
    recur from question to question)."""
    heading = _heading_tokens(section)
    pieces = [_with_phrases(sentence, phrases) for sentence in _sentences(text)] or [frozenset()]
    windows = pieces + [a | b for a, b in zip(pieces, pieces[1:])]
    return tuple(w | heading for w in windows)


class Sentence(NamedTuple):
    start: int
    end: int
    tokens: frozenset[str]  # keyword and cased tokens
    words: tuple[str, ...]  # keyword tokens in order, where phrases are read (`held_phrases`)


@lru_cache(maxsize=10_000)
def _sentences(text: str) -> tuple[Sentence, ...]:
    """A passage's sentences (`segments`) with their keyword and cased tokens and their words in
    order, tokenised once for both the windows and the lines."""
    return tuple(Sentence(start, end, *sentence_words(text[start:end])) for start, end in segments(text))


def _with_phrases(sentence: Sentence, phrases: frozenset[str]) -> frozenset[str]:
    held = held_phrases(sentence.words, sentence.tokens, phrases) if phrases else None
    return sentence.tokens | held if held else sentence.tokens


@lru_cache(maxsize=1_000)
def _heading_tokens(section: str | None) -> frozenset[str]:
    return sentence_tokens(section or "")



def set_similarity_floor(evidence: list[Evidence]) -> None:
    """Dense similarity alone is trusted only well above what the pack of candidates gets; and
    each passage's similarity is put beside the pool's (median 0, 90th percentile 1), since an
    embedder's scale differs from question to question."""
    if not evidence:
        return
    bar = evidence[0].relevance
    best: dict[str, float] = {}
    for ev in evidence:
        cid = ev.passage.candidate_id
        best[cid] = max(best.get(cid, -1.0), ev.similarity)
    values = sorted(best.values())
    median = values[len(values) // 2] if values else 0.0
    pack = median + bar.similarity_margin
    floor = max(bar.strong_similarity, pack)
    pool = np.fromiter((ev.similarity for ev in evidence), dtype=np.float64, count=len(evidence))
    middle, high = np.percentile(pool, [50, 90])
    spread = max(float(high - middle), 1e-3)
    for ev, sim in zip(evidence, pool):
        ev.similarity_floor, ev.pack_floor = floor, pack
        ev.relative_similarity = (float(sim) - float(middle)) / spread


def group_by_candidate(evidence: list[Evidence], live: dict[str, DocumentRecord]) -> list[Group]:
    groups: dict[str, Group] = {}
    for ev in evidence:
        record = live[ev.passage.document_id]
        group = groups.setdefault(ev.passage.candidate_id,
                                  Group(ev.passage.candidate_id, record.candidate_name, record.name_found))
        group.evidence.append(ev)
    for group in groups.values():
        count_mentions(group)
    return sorted(groups.values(), key=lambda g: g.score, reverse=True)


def topic_vectors(query: Query, embed: Callable[[list[str]], np.ndarray]) -> np.ndarray | None:
    """One vector per concept of the question ("computer vision", "robotics"), the topic without
    the words that carry the question; None when it has no concepts."""
    labels = list(dict.fromkeys(c.label.rstrip("\u0000") for seg in query.segments for c in seg))
    return np.asarray(embed(labels), dtype=np.float32) if labels else None


def lines_by_candidate(groups: list[Group], documents: dict[str, list[str]],
                       lines: dict[str, LineSimilarities]) -> dict[str, np.ndarray]:
    """Each candidate's lines' closeness to the topic: per line, the best over the topic's
    vectors (a column each), over all of the candidate's documents."""
    out: dict[str, np.ndarray] = {}
    for group in groups:
        found = [lines[d].similarities for d in documents.get(group.candidate_id, ()) if d in lines]
        if found:
            sims = np.concatenate(found)
            out[group.candidate_id] = sims.max(axis=1) if sims.ndim == 2 else sims
    return out


def weigh_lines(groups: list[Group], lines: dict[str, np.ndarray]) -> list[Group]:
    """The evidence of how many of a person's lines are close to the topic: each line's
    similarity put beside the pool's lines (median 0, 90th percentile 1, as for passages), and a
    saturating sum of those above the median, closest first (the k-th weighted decay**k), a line
    counting at most as one that stands out (`outstanding`). The groups come back ranked again."""
    if not lines or not groups:
        return groups
    pool = np.concatenate(list(lines.values()))
    middle, high = np.percentile(pool, [50, 90])
    spread = max(float(high - middle), 1e-3)
    bar = groups[0].evidence[0].relevance if groups[0].evidence else DEFAULT_RELEVANCE
    for group in groups:
        sims = lines.get(group.candidate_id)
        if sims is None:
            continue
        above = np.minimum((sims - middle) / spread, bar.outstanding)  # one line counts so much
        above = np.sort(above[above > 0])[::-1]
        group.line_evidence = float(above @ bar.decay ** np.arange(len(above)))
    return sorted(groups, key=lambda g: g.score, reverse=True)


def count_mentions(group: Group) -> None:
    """Tell each passage how many of the candidate's passages express part of the topic."""
    if not group.evidence:
        return
    partial = group.evidence[0].relevance.partial
    mentions = sum(1 for e in group.evidence if e.coverage >= partial)
    for ev in group.evidence:
        ev.mentions = mentions


def clears_bar(group: Group, min_similarity: float = 0.0) -> bool:
    return any(ev.supports and ev.similarity >= min_similarity for ev in group.evidence)


def to_hit(group: Group, query: Query, sources: dict[str, list[str]], max_citations: int,
           quote_chars: int) -> CandidateHit:
    supporting = sorted((e for e in group.evidence if e.supports),
                        key=lambda e: (e.strength, e.fused), reverse=True)  # strongest first
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
