"""Which kind of request a message is: a summary of a named person, or a question about topics.

"Summarize Tianchen Zhao", "总结一下赵天辰" always ask for a card. "Tell me about X", "who is X",
"介绍一下X" ask for a card only when X names someone in the store: "who is a licensed pilot?" is
a question, and answered as one. So does a message that is nothing but a name and words asking
about one person ("what's X's background?", "X?", "X这个人怎么样"). A message that names one
person and asks something of them ("does X know Kafka?", "has X worked at Google?", X做过推荐系统
吗？) is that question, asked of their documents only (`one_person_named`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from candidates.filters import read_list_question
from candidates.names import (asks_about_them, asks_for_summary_explicitly, bare_name,
                              names_a_field_besides, searches_for_people, summary_target)
from retrieval.types import CandidateInfo, Summary

if TYPE_CHECKING:
    from bot.protocol import Responder


def summary_request(question: str, assistant: Responder,
                    about: OnePerson | None) -> tuple[str, Summary] | None:
    """(the name asked for, its card) when the message asks for a summary, else None. `about`
    is `one_person_named(question, assistant)`, read once by the caller."""
    if about is not None and not about.question:
        return _card_of(about, assistant)
    name = summary_target(question)
    if name:
        summary = assistant.summary(name)
        if asks_for_summary_explicitly(question) or summary.candidate is not None or summary.ambiguous:
            return name, summary
        return None
    if searches_for_people(question):  # "show me candidates like X": its words ask about one person too
        return None
    name = bare_name(question)  # a name typed loosely ("Andrw Luo?"): matched as `summary` does
    summary = assistant.summary(name) if name else None
    if summary is not None and (summary.candidate is not None or summary.ambiguous):
        return name, summary
    return None


@dataclass(frozen=True)
class OnePerson:
    """The one person a message names, and what it asks of them besides their name ("" for
    nothing: the message asks for their card)."""

    people: list[CandidateInfo]  # more than one when namesakes share the name
    question: str


def one_person_named(question: str, assistant: Responder) -> OnePerson | None:
    """The one person whose full name the message holds, when it is not a search for people
    ("who has worked with X?") and names no one else ("compare X and Y")."""
    if searches_for_people(question):
        return None
    named = assistant.people_named_in(question)
    if len(named) != 1:
        return None
    people = [p for p in map(assistant.candidate, sorted(named[0].ids)) if p is not None]
    if not people:
        return None
    rest = question[:named[0].start] + " " + question[named[0].end:]
    asks = asks_about_them(rest) or asks_a_condition(rest) or names_a_field_besides(rest)
    return OnePerson(people, rest if asks else "")


def asks_a_condition(rest: str) -> bool:
    """Whether what a message says besides a person's name is a condition of their entries
    ("does X have a PhD?", "X 5+ years?", "is X based in Berlin?"): answered from their
    entries, yes with the entry or no, not with their card."""
    query = read_list_question(rest)
    return query is not None and not query.named_only


def _card_of(about: OnePerson, assistant: Responder) -> tuple[str, Summary]:
    """The card of the one person a message names and asks nothing else of (the choices when
    namesakes share the name)."""
    if len(about.people) > 1:
        return about.people[0].name, Summary(candidate=None, ambiguous=about.people)
    return about.people[0].name, assistant.summary_of(about.people[0].id)
