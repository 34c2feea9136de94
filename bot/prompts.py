"""Suggested prompts for the Messages tab, drawn from the store: a topic that really occurs in the
documents, a real candidate to summarize, and an invitation to paste a job description.

The topic is read from the keyword index's vocabulary (terms and how many passages hold them),
read-only: the most frequent term shaped like a topic (a mixed-case or all-caps technical word
such as "TypeScript" or "CUDA", or a phrase of two or more words), that is not a name of a
candidate, not a word from `prompts.toml`, and not in so many passages that it says nothing."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.protocol import Responder

JOB_PROMPT = "Paste a job description"
TITLE = "Try asking"
MAX_TOPIC_SHARE = 0.5  # a term in more passages than half the documents is everywhere (a
# heading, a profile link): a judgement on what a recruiter would ask about, not a measurement
MIN_COMMON = 4  # ...but in a small store (under 8 documents) any count up to 4 is allowed


@lru_cache(maxsize=1)
def not_topics() -> frozenset[str]:
    data = tomllib.loads((Path(__file__).with_name("prompts.toml")).read_text(encoding="utf-8"))
    return frozenset(w.lower() for w in data["not_topics"])


_TECH = re.compile(r"^(?=.*[A-Za-z])[A-Za-z][A-Za-z0-9+#.\-]*$")


def topic_shaped(term: str) -> bool:
    """"TypeScript", "CUDA", "iOS", "server-side rendering"; not "present" or "University"."""
    words = term.split()
    if len(words) >= 2:
        return all(w.isalpha() or "-" in w for w in words) and len(term) <= 40
    if not _TECH.match(term) or len(term) < 2 or any(ch.isdigit() for ch in term):
        return False
    return any(ch.isupper() for ch in term[1:])  # capitals past the first letter


def pick_topic(term_counts: dict[str, int], documents: int, names: set[str]) -> str | None:
    cap = max(MIN_COMMON, MAX_TOPIC_SHARE * documents)
    name_words = {w.lower() for n in names for w in re.split(r"[\s.]+", n) if w}
    ok = [(count, term) for term, count in term_counts.items()
          if topic_shaped(term) and count <= cap and term.lower() not in not_topics()
          and not {w.lower() for w in term.split()} & name_words]
    if not ok:
        return None
    return max(ok, key=lambda ct: (ct[0], ct[1].lower() != ct[1], ct[1]))[1]


def suggested_prompts(assistant: Responder) -> list[dict[str, str]]:
    """Up to three {"title", "message"} prompts; the first two only when the store allows."""
    people = [p for p in assistant.candidates() if p.name_found]
    counts, documents = assistant.term_counts()
    documents = documents or len(people)
    prompts = []
    topic = pick_topic(counts, documents, {p.name for p in people})
    if topic:
        prompts.append({"title": f"Who has worked on {topic}?",
                        "message": f"Who has worked on {topic}?"})
    if people:
        prompts.append({"title": f"Summarize {people[0].name}",
                        "message": f"Summarize {people[0].name}"})
    prompts.append({"title": JOB_PROMPT, "message": JOB_PROMPT})
    return prompts
