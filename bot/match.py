"""Matching a job description: requirements read from it, a verdict per requirement and
candidate with the verbatim quote that shows it, and a shortlist ranked by them.

    requirements (candidates/jobs.py: structure; optionally proposed by the LLM, each quoting
    the job verbatim) → topic verdicts (the ordinary topic search, one question per topic
    requirement, its citations the evidence) → entry verdicts (degree, years, location from the
    entries) and language verdicts (the documents' text) → ranking.

A candidate who meets every must-have comes first; then by the strength of the evidence (the
search's whole-document score on each must-have, as a share of the best score on it), then by
the nice-to-haves. The model, when there is one, never decides a verdict or who is listed.

Speed at 10,000 resumes: entry and language verdicts are kept per state of the store
(`candidates.jobs.Verdicts`), the ranking is computed on arrays of verdicts, and only the people
who reach the shortlist's length get their rows with quotes (a language is read only for those
who can reach it). The rows are the same as ranking everyone (tests/bot/test_match_shortlist.py).
"""

from __future__ import annotations

import logging
import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from candidates.jobs import VERDICT_CODES, Verdicts, apply_edits, read_requirements
from retrieval.settings import Settings, threshold, thresholds_of
from retrieval.types import (Answer, CandidateHit, CandidateInfo, Coverage, MatchAnswer, MatchHit,
                             Requirement)

if TYPE_CHECKING:
    from bot.assistant import Assistant

log = logging.getLogger("recruit.match")
ENTRY_KINDS = ("degree", "years", "location")


@dataclass(frozen=True)
class Thresholds:
    """The matcher's numbers (Settings `match_*`, each with the figure that set it)."""

    pool: int = threshold("match_pool")
    met_share: float = threshold("match_met_share")
    nice_weight: float = threshold("match_nice_weight")
    partly_credit: float = threshold("match_partly_credit")
    shortlist: int = threshold("match_shortlist")

    @classmethod
    def of(cls, settings: Settings) -> "Thresholds":
        return thresholds_of(cls, settings)


THRESHOLDS = Thresholds()
# People whose language is read from their documents in one store read, when a language
# requirement decides who reaches the shortlist (one read per person took ~25 ms at 10,000).
LANGUAGE_BATCH = 64
# The verdicts kept for each assistant (a new state of its store replaces them).
_KEPT_VERDICTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()


@dataclass
class TopicEvidence:
    """The search's answer to one topic requirement, by person, and its best score."""

    answer: Answer
    by_id: dict[str, CandidateHit] = field(init=False)
    best: float = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {}
        for h in self.answer.candidates:
            self.by_id.setdefault(h.id, h)
        self.best = max((h.score for h in self.answer.candidates), default=0.0)


class Matcher:
    """Shortlists for job descriptions over the assistant's store."""

    def __init__(self, assistant: Assistant, thresholds: Thresholds | None = None):
        self.assistant = assistant
        self.t = thresholds or Thresholds.of(assistant.settings)

    # --- requirements --------------------------------------------------------------------
    def requirements(self, job: str) -> list[Requirement]:
        """The job's requirements: from its structure; with an LLM configured, the model's
        proposals whose quotes of the job are verbatim, when it proposes any."""
        read = read_requirements(job)
        if not self.assistant.settings.llm:
            return read
        proposed = propose_requirements(job, self.assistant.settings, read)
        return proposed or read

    # --- the shortlist -------------------------------------------------------------------
    def match(self, job: str, drop: list[str] | None = None, flip: list[str] | None = None,
              limit: int | None = None,
              requirements: list[Requirement] | None = None) -> MatchAnswer:
        """The shortlist for `job`, requirements dropped or flipped (must ↔ nice) by id or words:
        its first `limit` people (`Settings.match_shortlist` when not given), exactly as ranking
        everyone would list them."""
        read = requirements if requirements is not None else self.requirements(job)
        kept = apply_edits(read, drop, flip)
        dropped = [r for r in read if r.id not in {k.id for k in kept}]
        title = _title(job)
        if not kept:
            return MatchAnswer(question=job, no_match=True, requirements=[], dropped=dropped,
                               title=title)
        topics = self._topics(kept)
        verdicts = self._verdicts()
        pool = self._pool(topics, kept, verdicts)
        chosen = self._first(pool, kept, topics, verdicts, limit or self.t.shortlist)
        hits = self._ranked([self._hit(at, kept, topics, verdicts) for at in chosen], kept)
        return MatchAnswer(question=job, no_match=not hits, candidates=hits, requirements=kept,
                           dropped=dropped, title=title)

    def _ranked(self, hits: list[MatchHit], requirements: list[Requirement]) -> list[MatchHit]:
        """The hits in the ranking's order, each with its score and whether it meets every
        must-have."""
        hits.sort(key=lambda h: self._rank_key(h, requirements))
        for h in hits:
            h.musts_met = all(_verdict(h, r) == "met" for r in requirements if r.must)
        return hits

    def _hits_of(self, ids: list[str], requirements: list[Requirement]) -> list[MatchHit]:
        """The shortlist's rows of these people (by id), wherever they rank: those the pool
        holds and who meet anything (the others are not on a shortlist at all)."""
        topics = self._topics(requirements)
        verdicts = self._verdicts()
        wanted = {verdicts.index[i] for i in ids if i in verdicts.index}
        pool = [int(at) for at in self._pool(topics, requirements, verdicts) if at in wanted]
        hits = [self._hit(at, requirements, topics, verdicts) for at in pool]
        return self._ranked([h for h in hits if any(c.verdict != "no" for c in h.coverage)],
                            requirements)

    def _topics(self, requirements: list[Requirement]) -> dict[str, TopicEvidence]:
        """The search's answer to each topic requirement."""
        return {r.id: TopicEvidence(self.assistant.ask(r.value, limit=self.t.pool, relax=False))
                for r in requirements if r.kind == "topic"}

    def _verdicts(self) -> Verdicts:
        """The entry and language verdicts of the store's people as it is now, kept across
        requests while it does not change (see `candidates.jobs.Verdicts`)."""
        everyone = self.assistant.candidates(entries=True)
        with _KEPT_LOCK:
            kept = _KEPT_VERDICTS.get(self.assistant)
            if kept is None or not kept.serves(everyone):
                kept = Verdicts(everyone, self.assistant.store.passages_of)
                _KEPT_VERDICTS[self.assistant] = kept
        return kept

    def _pool(self, topics: dict[str, TopicEvidence], requirements: list[Requirement],
              verdicts: Verdicts) -> np.ndarray:
        """The positions (in `verdicts.people`) of everyone a topic requirement found, and of
        everyone who meets the must-haves read from entries (a degree the search does not look
        for); everyone when nothing narrows it."""
        entry_musts = [r for r in requirements if r.must and r.kind in ENTRY_KINDS]
        size = len(verdicts.people)
        if not topics and not entry_musts:
            return np.arange(size)
        keep = np.zeros(size, dtype=bool)
        if entry_musts:
            keep[:] = True
            for r in entry_musts:
                keep &= verdicts.codes(r) == VERDICT_CODES["met"]
        for t in topics.values():
            keep[[verdicts.index[i] for i in t.by_id if i in verdicts.index]] = True
        return np.flatnonzero(keep)

    def _first(self, pool: np.ndarray, requirements: list[Requirement],
               topics: dict[str, TopicEvidence], verdicts: Verdicts, n: int) -> list[int]:
        """The `n` people of the pool the ranking lists first, in its order, and only those.

        Every cell's verdict is cheap (topics from the search, entries from `verdicts`) except
        a language's, which needs the person's documents: it is first taken as met, a bound no
        better than which the person cannot rank. People are taken in the order of that bound
        and their language read (in batches) until the n-th best standing known beats the next
        bound: nobody after it can reach the first n. The standing is `_rank_key`'s, on arrays."""
        languages = [r for r in requirements if r.kind == "language"]
        met = (np.full(len(pool), VERDICT_CODES["met"], dtype=np.int8), np.ones(len(pool)))
        codes = {r.id: met if r.kind == "language" else self._codes(r, pool, topics, verdicts)
                 for r in requirements}
        bound = self._standings(codes, requirements, verdicts.name_order()[pool])
        order = np.lexsort(bound[::-1])
        if not languages:
            meets = np.any(np.stack([c for c, _ in codes.values()]) != 0, axis=0)
            return [int(pool[k]) for k in order[meets[order]][:n]]
        known: list[tuple] = []
        done = 0
        while done < len(order):
            if len(known) >= n and known[n - 1] < tuple(b[order[done]] for b in bound):
                break
            batch = order[done:done + max(n, LANGUAGE_BATCH)]
            exact = {r.id: (c[batch], s[batch]) for r in requirements
                     for c, s in [codes[r.id]] if r.kind != "language"}
            exact.update({r.id: self._codes(r, pool[batch], topics, verdicts) for r in languages})
            meets = np.any(np.stack([c for c, _ in exact.values()]) != 0, axis=0)
            standing = self._standings(exact, requirements, bound[-1][batch])
            known += [tuple(x[j] for x in standing) + (int(pool[batch[j]]),)
                      for j in np.flatnonzero(meets)]
            known.sort()
            done += len(batch)
        return [row[-1] for row in known[:n]]

    def _codes(self, r: Requirement, at: np.ndarray, topics: dict[str, TopicEvidence],
               verdicts: Verdicts) -> tuple[np.ndarray, np.ndarray]:
        """The verdict codes and strengths (as `_strength` reads them from the full cells) of
        the people at positions `at`, for one requirement."""
        if r.kind != "topic":
            found = verdicts.codes(r, at)[at]
            return found, self._credit_of_codes()[found]
        found = np.zeros(len(at), dtype=np.int8)
        strength = np.zeros(len(at))
        where = {int(p): k for k, p in enumerate(at)}
        for pid in topics[r.id].by_id:
            k = where.get(verdicts.index.get(pid, -1))
            if k is not None:
                verdict, share, _ = self._topic_share(pid, topics[r.id])
                found[k], strength[k] = VERDICT_CODES[verdict], share
        return found, strength

    def _hit(self, at: int, requirements: list[Requirement], topics: dict[str, TopicEvidence],
             verdicts: Verdicts) -> MatchHit:
        person = verdicts.people[at]
        coverage = [self._topic_verdict(r, person, topics[r.id]) if r.kind == "topic"
                    else verdicts.coverage(r, at) for r in requirements]
        citations = []
        for c in coverage:
            if c.citation is not None and not any(
                    (c.citation.source, c.citation.start, c.citation.end) ==
                    (u.source, u.start, u.end) for u in citations):
                citations.append(c.citation)
        return MatchHit(id=person.id, name=person.name, name_found=person.name_found,
                        sources=person.sources, score=0.0, citations=citations,
                        headline=person.headline, flags=person.flags, coverage=coverage)

    def _topic_verdict(self, r: Requirement, person: CandidateInfo,
                       evidence: TopicEvidence) -> Coverage:
        """Met when the search lists the person with a score near the best on this requirement
        (the evidence of the whole document); partly when it lists them well below it (a
        passing mention); not met when it does not list them."""
        verdict, share, hit = self._topic_share(person.id, evidence)
        if hit is None:
            return Coverage(requirement=r.id, verdict="no")
        return Coverage(requirement=r.id, verdict=verdict, citation=hit.citations[0], score=share)

    def _topic_share(self, person_id: str,
                     evidence: TopicEvidence) -> tuple[str, float, CandidateHit | None]:
        hit = evidence.by_id.get(person_id)
        if hit is None or not hit.citations:
            return "no", 0.0, None
        share = hit.score / evidence.best if evidence.best > 0 else 0.0
        return ("met" if share >= self.t.met_share else "partly"), round(share, 4), hit

    def _credit(self) -> dict[str, float]:
        return {"met": 1.0, "partly": self.t.partly_credit, "no": 0.0}

    def _credit_of_codes(self) -> np.ndarray:
        credit = self._credit()
        table = np.zeros(len(VERDICT_CODES))
        for verdict, code in VERDICT_CODES.items():
            table[code] = credit[verdict]
        return table

    def _rank_key(self, hit: MatchHit, requirements: list[Requirement]) -> tuple:
        """The ranking's key: every must-have met first, then how many are met (partly counts
        part), then the strength of the evidence (nice-to-haves at a weight), then the name."""
        credit = self._credit()
        musts = [r for r in requirements if r.must]
        met = _total(credit[_verdict(hit, r)] for r in musts)
        nices = [r for r in requirements if not r.must]
        strength = _total(_strength(hit, r, credit) for r in musts) + \
            self.t.nice_weight * _total(_strength(hit, r, credit) for r in nices)
        hit.score = round(met + strength / max(1, len(requirements)), 4)
        return (-(met >= len(musts)), -met, -strength, hit.name.lower())

    def _standings(self, codes: dict[str, tuple[np.ndarray, np.ndarray]],
                   requirements: list[Requirement], names: np.ndarray) -> list[np.ndarray]:
        """`_rank_key` on arrays (the same sums in the same order, so the same floats), the
        name by its place in the alphabetical order of everyone."""
        credit = self._credit_of_codes()
        musts = [r for r in requirements if r.must]
        met = _total(credit[codes[r.id][0]] for r in musts)
        strength = _total(codes[r.id][1] for r in musts) + \
            self.t.nice_weight * _total(codes[r.id][1] for r in requirements if not r.must)
        every = np.asarray(met >= len(musts), dtype=np.int64) * np.ones(len(names), dtype=np.int64)
        return [-every, -met * np.ones(len(names)), -strength * np.ones(len(names)), names]

    # --- compare -------------------------------------------------------------------------
    def compare(self, names: list[str], job: str | None = None,
                requirements: list[Requirement] | None = None) -> Comparison:
        """Two or three candidates side by side: their cards, and with a job, the verdicts."""
        from retrieval.types import Summary

        people: list[CandidateInfo] = []
        missing: list[str] = []
        for name in names:
            found = self.assistant.find(name)
            if found:
                if all(p.id != found[0].id for p in people):
                    people.append(found[0])
            else:
                missing.append(name)
        cards: list[Summary] = [self.assistant.summary_of(p.id) for p in people]
        shortlist = None
        if job or requirements:
            reqs = requirements if requirements is not None else self.requirements(job or "")
            everyone = self.match(job or "", requirements=reqs)
            by_id = {h.id: h for h in everyone.candidates}
            others = [p.id for p in people if p.id not in by_id]
            if others and not everyone.no_match:  # ranked below the shortlist's length
                by_id.update({h.id: h for h in self._hits_of(others, everyone.requirements)})
            hits = [by_id.get(p.id) or _unmatched(p, reqs) for p in people]
            shortlist = everyone.model_copy(update={"candidates": hits})
        return Comparison(cards=cards, missing=missing, shortlist=shortlist)


@dataclass
class Comparison:
    cards: list  # Summary, one per candidate found, in the order asked
    missing: list[str]  # names no candidate matches
    shortlist: MatchAnswer | None = None  # the verdicts, when a job was given


def _unmatched(person: CandidateInfo, requirements: list[Requirement]) -> MatchHit:
    return MatchHit(id=person.id, name=person.name, name_found=person.name_found,
                    sources=person.sources, score=0.0, citations=[], headline=person.headline,
                    coverage=[Coverage(requirement=r.id, verdict="no") for r in requirements])


def _total(values):
    """Left-to-right sum from 0.0 (numbers or arrays alike: the ranking's floats must not depend
    on how the sum is taken)."""
    out = 0.0
    for v in values:
        out = out + v
    return out


def _verdict(hit: MatchHit, r: Requirement) -> str:
    cell = hit.cell(r.id)
    return cell.verdict if cell else "no"


def _strength(hit: MatchHit, r: Requirement, credit: dict[str, float]) -> float:
    """How strongly the documents show a requirement: the topic's share of the best score, or
    the verdict's credit for the others."""
    cell = hit.cell(r.id)
    if cell is None or cell.verdict == "no":
        return 0.0
    return cell.score if r.kind == "topic" else credit[cell.verdict]


def _title(job: str) -> str | None:
    first = next((line.strip() for line in job.splitlines() if line.strip()), "")
    first = re.sub(r"^[#*\s]+|[*\s]+$", "", first)
    return first[:120] or None


_COMPARE = re.compile(r"^\s*(?:compare|比较|对比)\s+(?P<names>.+?)\s*[?？.。]?\s*$", re.I)


def compare_request(text: str) -> list[str] | None:
    """The names of "compare A and B" / "compare A, B and C" / "比较 A 和 B", else None."""
    m = _COMPARE.match(text)
    if not m:
        return None
    names = [n.strip() for n in re.split(r"\s*(?:,|，|、|\band\b|\bwith\b|\bvs\.?|和|与|跟)\s*",
                                         m.group("names"), flags=re.I) if n.strip()]
    return names if 2 <= len(names) <= 3 else None


def as_answer(answer: MatchAnswer) -> Answer:
    """The shortlist as a plain answer (what the eval and the thread memory read)."""
    return Answer(question=answer.question, no_match=answer.no_match,
                  candidates=[CandidateHit(**h.model_dump(exclude={"coverage", "musts_met"}))
                              for h in answer.candidates])


# --- requirements proposed by the LLM -------------------------------------------------------

_PROPOSE = """You read job descriptions for a recruiter. List the requirements of the job below.
For each: `quote`, the words of the job that state it, copied exactly; `kind`, one of topic,
degree, years, location, language; `must`, true for a must-have, false for a nice-to-have;
`value`, a short search phrase for a topic (e.g. "Kubernetes and cloud infrastructure"), else
the degree, place, language or years as written. Do not list duties, perks or company facts.

Job description:
<<<
{job}
>>>"""


def propose_requirements(job: str, settings, read: list[Requirement],
                         model=None) -> list[Requirement] | None:
    """The model's requirements, each kept only when its quote is verbatim in the job (spaces
    aside) and its kind is known; entry and language kinds are re-read from the quote by the
    rules (the model never sets a degree label or a number of years). None when the model is
    unavailable or keeps nothing: the structure's reading is used."""
    from pydantic import BaseModel

    from candidates.jobs import typed_requirement
    from retrieval.types import REQUIREMENT_KINDS

    class Proposed(BaseModel):
        quote: str
        kind: str
        must: bool = True
        value: str = ""

    class Proposal(BaseModel):
        requirements: list[Proposed]

    try:
        if model is None:
            from retrieval.llm import make_chat_model

            model = make_chat_model(settings)
        if model is None:
            return None
        from langchain_core.messages import HumanMessage

        from retrieval.llm import invoke_structured

        reply = invoke_structured(model, [HumanMessage(_PROPOSE.format(job=job))], Proposal)
    except Exception as e:  # noqa: BLE001 - the structure's reading is always there
        log.warning("LLM requirements unavailable: %s", e.__class__.__name__)
        return None
    name = getattr(model, "model_name", None) or getattr(model, "model", None) or settings.llm
    out: list[Requirement] = []
    dropped = 0
    for p in reply.requirements:
        span = _verbatim_span(job, p.quote)
        if span is None or p.kind not in REQUIREMENT_KINDS:
            dropped += 1
            continue
        quote = job[span[0]:span[1]]
        if p.kind == "topic":
            value = " ".join(p.value.split()) or quote
            req = Requirement(id="", text=quote, kind="topic", value=value[:200], must=p.must)
        else:
            req = typed_requirement(quote, p.kind, p.must)
            if req is None:
                dropped += 1
                continue
        out.append(req.model_copy(update={"id": f"r{len(out) + 1}", "start": span[0],
                                          "end": span[1], "proposed_by": str(name)}))
    log.info("llm requirements: %d kept, %d dropped (quote not verbatim or kind unknown)",
             len(out), dropped)
    return out or None


def _verbatim_span(job: str, quote: str) -> tuple[int, int] | None:
    """Where the quote is in the job, whitespace runs matching any whitespace."""
    words = quote.strip().strip("\"'“”").split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), job)
    return m.span() if m else None


# A pasted message is read as a job description when it has this many lines and requirements
# read from them: a question is one line, a job description a dozen.
MIN_JOB_LINES = 4
_JOB_FILE_ASK = re.compile(r"\b(?:match|job|jd|role|position|opening|vacancy)\b|职位|岗位|招聘|职位描述",
                           re.I)


def is_job_description(text: str) -> bool:
    """A long multi-line message that reads as a job description (requirements under headings
    or as bullets), not a question."""
    from candidates.jobs import heading_kind, read_items

    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < MIN_JOB_LINES:
        return False
    headed = any(heading_kind(line) in ("must", "nice") for line in lines)
    return headed and bool(read_items(text))


def asks_for_match(text: str) -> bool:
    """A file shared with words like "match this job": the file is a job description."""
    return bool(_JOB_FILE_ASK.search(text or ""))
