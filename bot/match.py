"""Matching a job description: requirements read from it, a verdict per requirement and
candidate with the verbatim quote that shows it, and a shortlist ranked by them.

    requirements (candidates/jobs.py: structure; optionally proposed by the LLM, each quoting
    the job verbatim) → topic verdicts (the ordinary topic search, one question per topic
    requirement, its citations the evidence) → entry verdicts (degree, years, location from the
    entries) and language verdicts (the documents' text) → ranking.

A candidate who meets every must-have comes first; then by the strength of the evidence (the
search's whole-document score on each must-have, as a share of the best score on it), then by
the nice-to-haves. The model, when there is one, never decides a verdict or who is listed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from candidates.jobs import apply_edits, entry_verdict, language_verdict, read_requirements
from retrieval.types import (Answer, CandidateHit, CandidateInfo, Coverage, MatchAnswer, MatchHit,
                             Requirement)

if TYPE_CHECKING:
    from bot.assistant import Assistant

log = logging.getLogger("recruit.match")
ENTRY_KINDS = ("degree", "years", "location")


@dataclass(frozen=True)
class Thresholds:
    # Each topic requirement asks the search for at most this many people: the shortlist is drawn
    # from them (a larger pool only adds people who are not met on any topic).
    pool: int = 50
    # A topic hit is "met" when its score is at least this share of the best score on that
    # requirement, else "partly" (a weak or passing mention). Real set (six jobs): MAP and P@5
    # flat from 0.5 to 0.85 (ranking uses the share itself); 0.7 splits the labels' "strong"
    # people (mostly above) from the "mention only" ones (mostly below) best by eye.
    met_share: float = 0.7
    # Weight of a nice-to-have against a must-have in the strength of the evidence.
    nice_weight: float = 0.5
    # Partly counts as this much of "met" when ranking by how many must-haves are met.
    partly_credit: float = 0.5


THRESHOLDS = Thresholds()


class Matcher:
    """Shortlists for job descriptions over the assistant's store."""

    def __init__(self, assistant: Assistant, thresholds: Thresholds = THRESHOLDS):
        self.assistant = assistant
        self.t = thresholds

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
        """The shortlist for `job`, requirements dropped or flipped (must ↔ nice) by id or words."""
        read = requirements if requirements is not None else self.requirements(job)
        kept = apply_edits(read, drop, flip)
        dropped = [r for r in read if r.id not in {k.id for k in kept}]
        title = _title(job)
        if not kept:
            return MatchAnswer(question=job, no_match=True, requirements=[], dropped=dropped,
                               title=title)
        topics = {r.id: self.assistant.ask(r.value, limit=self.t.pool)
                  for r in kept if r.kind == "topic"}
        people = self._pool(topics, [r for r in kept if r.must and r.kind in ENTRY_KINDS])
        hits = [self._hit(person, kept, topics) for person in people]
        hits = [h for h in hits if any(c.verdict != "no" for c in h.coverage)]
        hits.sort(key=lambda h: self._rank_key(h, kept))
        hits = hits[:limit] if limit else hits
        for h in hits:
            h.musts_met = all(_verdict(h, r) == "met" for r in kept if r.must)
        return MatchAnswer(question=job, no_match=not hits, candidates=hits, requirements=kept,
                           dropped=dropped, title=title)

    def _pool(self, topics: dict[str, Answer], entry_musts: list[Requirement]) -> list[CandidateInfo]:
        """Everyone a topic requirement found, and everyone who meets the must-haves read from
        entries (a degree the search does not look for); everyone when nothing narrows it."""
        everyone = self.assistant.candidates(entries=True)
        if not topics and not entry_musts:
            return everyone
        found = {h.id for a in topics.values() for h in a.candidates}
        return [p for p in everyone if p.id in found or entry_musts and all(
            entry_verdict(r, p).verdict == "met" for r in entry_musts)]

    def _hit(self, person: CandidateInfo, requirements: list[Requirement],
             topics: dict[str, Answer]) -> MatchHit:
        coverage = []
        passages = None
        for r in requirements:
            if r.kind == "topic":
                coverage.append(self._topic_verdict(r, person, topics[r.id]))
            elif r.kind == "language":
                if passages is None:
                    passages = self.assistant.store.passages_of(person.document_ids)
                coverage.append(language_verdict(r, passages))
            else:
                coverage.append(entry_verdict(r, person))
        citations = []
        for c in coverage:
            if c.citation is not None and not any(
                    (c.citation.source, c.citation.start, c.citation.end) ==
                    (u.source, u.start, u.end) for u in citations):
                citations.append(c.citation)
        return MatchHit(id=person.id, name=person.name, name_found=person.name_found,
                        sources=person.sources, score=0.0, citations=citations,
                        headline=person.headline, flags=person.flags, coverage=coverage)

    def _topic_verdict(self, r: Requirement, person: CandidateInfo, answer: Answer) -> Coverage:
        """Met when the search lists the person with a score near the best on this requirement
        (the evidence of the whole document); partly when it lists them well below it (a
        passing mention); not met when it does not list them."""
        hit = next((h for h in answer.candidates if h.id == person.id), None)
        if hit is None or not hit.citations:
            return Coverage(requirement=r.id, verdict="no")
        best = max(h.score for h in answer.candidates)
        share = hit.score / best if best > 0 else 0.0
        verdict = "met" if share >= self.t.met_share else "partly"
        return Coverage(requirement=r.id, verdict=verdict, citation=hit.citations[0],
                        score=round(share, 4))

    def _rank_key(self, hit: MatchHit, requirements: list[Requirement]) -> tuple:
        musts = [r for r in requirements if r.must]
        nices = [r for r in requirements if not r.must]
        credit = {"met": 1.0, "partly": self.t.partly_credit, "no": 0.0}
        met = sum(credit[_verdict(hit, r)] for r in musts)
        strength = sum(_strength(hit, r, credit) for r in musts) + \
            self.t.nice_weight * sum(_strength(hit, r, credit) for r in nices)
        hit.score = round(met + strength / max(1, len(requirements)), 4)
        return (-(met >= len(musts)), -met, -strength, hit.name.lower())

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
