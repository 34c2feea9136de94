"""List questions ("who has worked at X?", "who has a PhD?") answered from the candidates'
entries: every match, each with the citations of the entries that show it. A question that
also names a topic ("PhD and worked on LLM inference") is filtered by the list part and ranked
by the topic, through the ordinary search restricted to the people who pass the filter."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from candidates.filters import ListQuery, Match, match_filters, read_list_question
from retrieval.types import Answer, CandidateHit

if TYPE_CHECKING:
    from bot.assistant import Assistant


def answer_list_question(assistant: Assistant, question: str,
                         only: set[str] | None = None) -> Answer | None:
    """The answer to a list question, or None when the question is not one."""
    query = read_list_question(question, known=assistant.organisations)
    if query is None:
        return None
    people = assistant.candidates(entries=True)
    if only is not None:
        people = [p for p in people if p.id in only]
    matches = match_filters(query, people)
    if not matches:
        if query.named_only and not _anyone_there(query, people):
            return None  # a name no one's entries show ("Oracle experience?"): asked as a topic
        return Answer(question=question, no_match=True)
    if query.rest:
        return _ranked_by_topic(assistant, question, query, matches)
    matches.sort(key=lambda m: (-len(m.citations), m.candidate.name.lower()))
    hits = [_hit(m, score=float(len(m.citations))) for m in matches]
    return Answer(question=question, no_match=False, candidates=hits)


def _anyone_there(query: ListQuery, people: list) -> bool:
    """Whether anyone's entries show the organisation a question names alone, now or before
    ("anyone currently at Google?" when only former Googlers are in the store: no one)."""
    ever = ListQuery([dataclasses.replace(f, current=False) for f in query.filters])
    return bool(match_filters(ever, people))


def _hit(match: Match, score: float, extra: list | None = None) -> CandidateHit:
    person = match.candidate
    unique = []  # each passage cited once, the topic's evidence first
    for c in (extra or []) + match.citations:
        if not any((c.source, c.start, c.end) == (u.source, u.start, u.end) for u in unique):
            unique.append(c)
    return CandidateHit(id=person.id, name=person.name, name_found=person.name_found,
                        sources=person.sources, score=score, citations=unique[:4],
                        headline=person.headline)


def _ranked_by_topic(assistant: Assistant, question: str, query: ListQuery,
                     matches: list[Match]) -> Answer:
    by_id = {m.candidate.id: m for m in matches}
    topic = assistant.search(query.rest, only=set(by_id), limit=len(by_id))
    if topic.no_match:
        return Answer(question=question, no_match=True)
    hits = [_hit(by_id[h.id], h.score, extra=h.citations[:2]) for h in topic.candidates
            if h.id in by_id]
    return Answer(question=question, no_match=not hits, candidates=hits)
