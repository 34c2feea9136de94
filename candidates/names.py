"""Resolve a name typed in any script to candidates: "Tianchen Zhao" finds 赵天辰."""

from __future__ import annotations

import re
import unicodedata

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

from retrieval.text import CJK
from retrieval.types import CandidateInfo

MATCH_THRESHOLD = 85.0


def _squeeze(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() \
        if not CJK.search(text) else text
    return re.sub(r"[\s\-_.,'·]+", "", text.lower())


def name_forms(name: str) -> set[str]:
    """A name in the forms people type it: as written, and for Chinese names pinyin in both orders."""
    forms = {_squeeze(name)}
    if CJK.search(name):
        syllables = lazy_pinyin(name.replace(" ", ""))
        surname_len = 2 if len(syllables) == 4 else 1
        family, given = syllables[:surname_len], syllables[surname_len:]
        forms.add("".join(family + given))
        forms.add("".join(given + family))
    else:
        words = [w for w in re.split(r"\s+", name.strip()) if w]
        if len(words) >= 2:
            forms.add(_squeeze(" ".join(words[1:] + words[:1])))
            forms.add(_squeeze(" ".join(words[-1:] + words[:-1])))
    return {f for f in forms if f}


def match_score(query: str, name: str) -> float:
    wanted = _squeeze(query)
    if not wanted:
        return 0.0
    return max(fuzz.ratio(wanted, form) for form in name_forms(name))


def best_score(query: str, person: CandidateInfo) -> float:
    """How well a typed name matches a candidate's name or any of their aliases (0-100)."""
    return max(match_score(query, n) for n in [person.name, *person.aliases])


def resolve(query: str, people: list[CandidateInfo]) -> list[CandidateInfo]:
    """Candidates whose name matches the query, best first (several when it is ambiguous)."""
    labelled = [p for p in people if not p.name_found and _squeeze(query) == _squeeze(p.name)]
    if labelled:
        return labelled  # a nameless document, asked for by the file label it is shown under
    scored = [(best_score(query, p), p) for p in people if p.name_found]
    best = max((s for s, _ in scored), default=0.0)
    if best < MATCH_THRESHOLD:
        return []
    return [p for s, p in sorted(scored, key=lambda x: -x[0]) if s >= max(MATCH_THRESHOLD, best - 5)]


_SUMMARY_PREFIX = re.compile(
    r"^\s*(?:please\s+)?(?:summari[sz]e|summary\s+of|summary|tell me about|who is|describe|"
    r"总结一下|总结|概括|介绍一下|介绍)\s*[:：]?\s*", re.I)


def summary_target(question: str) -> str | None:
    """The name in "summarize NAME"-style questions, or None for other questions."""
    match = _SUMMARY_PREFIX.match(question)
    if not match:
        return None
    name = question[match.end():].strip(" ?？。.!")
    return name or None


def is_cjk_name(name: str) -> bool:
    return bool(CJK.search(name))


def canonical_name(name: str, readable: bool = False) -> str:
    """One key per person-name whatever the script or order: 赵天辰, "Tianchen Zhao" and
    "Zhao Tianchen" share it. `readable` gives the lower-case words joined by "-" instead."""
    if readable:
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))
    forms = [f for f in name_forms(name) if f.isascii()] or sorted(name_forms(name))
    return min(forms)


def display_aliases(name: str) -> list[str]:
    """How a name is written elsewhere: 赵天辰 → "Tianchen Zhao", "Zhao Tianchen"."""
    if not is_cjk_name(name):
        return []
    syllables = lazy_pinyin(name.replace(" ", ""))
    surname_len = 2 if len(syllables) == 4 else 1
    family = "".join(syllables[:surname_len]).capitalize()
    given = "".join(syllables[surname_len:]).capitalize()
    return [f"{given} {family}", f"{family} {given}"] if given else [family]
