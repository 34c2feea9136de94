"""Every form of a person's name, and resolving a name typed in any script to candidates.

One place computes the forms: `person_name` splits a name into family and given parts (a Chinese
surname by the table in `surnames.tsv`, read as a surname: 曾 → zeng, 单 → shan) and gives the
readable slug candidate ids are made of, the keys a look-up compares ("Xiaoming Zeng",
"zengxiaoming", "Tsang Xiaoming") and the aliases shown next to the name.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from retrieval.lexicon import names_a_field, question_terms
from retrieval.tokens import ENGLISH
from retrieval.text import CJK
from retrieval.types import CandidateInfo

# A typed name and a candidate's name key match at this rapidfuzz ratio or above: one wrong or
# swapped letter in a two-word name ("Zihan Zhuo" for "Zihan Zhou") stays above it, two people
# sharing a surname ("Wei Chen" / "Wei Zhang") fall far below it (real-set look-ups: no wrong
# person at 85, while 80 let a different given name through).
MATCH_THRESHOLD = 85.0
# Matches within this many points of the best are listed with it ("others also match").
MATCH_MARGIN = 5.0
# A name that is only part of someone's name ("Zhang", "Xiaoming") matches everyone it could
# mean at this score: below an exact or one-typo match of a whole name, so those still win.
PARTIAL_SCORE = 90.0
# Below the match threshold but at or above this ratio, a name is offered as "did you mean":
# two letters off in a short name ("Jon Smiht" / "John Smith" = 82) is offered; a phrase that
# is no name ("a licensed pilot") or another person's pinyin (about 60-70) is not.
SUGGEST_THRESHOLD = 72.0
# One typed word this close to one part of a name ("Gleeve" / "Gleave" = 83) offers the name.
SUGGEST_PART_THRESHOLD = 80.0
SUGGESTIONS = 3

_HERE = Path(__file__).parent


@dataclass(frozen=True)
class Surname:
    written: str
    reading: tuple[str, ...]  # one pinyin syllable per character, read as a surname
    others: tuple[str, ...]  # other romanisations people write: 李 → lee, 陈 → chan


@lru_cache(maxsize=1)
def surnames() -> dict[str, Surname]:
    """The surname table (surnames.tsv): written form → Surname."""
    table = {}
    for line in (_HERE / "surnames.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        written, reading, others = (line.split("\t") + ["", ""])[:3]
        table[written] = Surname(written, tuple(reading.split()),
                                 tuple(o.strip() for o in others.split(",") if o.strip()))
    return table


@lru_cache(maxsize=1)
def _name_words_file() -> dict:
    with (_HERE / "name_words.toml").open("rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=1)
def name_words() -> dict[str, frozenset[str]]:
    """Word lists about names (name_words.toml): credentials, non-name words, contact labels,
    how searches and questions about one person are worded."""
    return {key: frozenset(w.lower() for w in words) for key, words in _name_words_file().items()
            if isinstance(words, list)}


def surname_of(name: str) -> Surname | None:
    """The Chinese surname a name starts with (a compound one first: 欧阳 before 欧)."""
    squeezed = re.sub(r"\s+", "", name)
    table = surnames()
    return table.get(squeezed[:2]) if len(squeezed) >= 3 and squeezed[:2] in table \
        else table.get(squeezed[:1])


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every syllable of Mandarin pinyin, toneless (ü as v), from pypinyin's dictionary; without
    the syllables of interjections that have no vowel (hm, ng)."""
    from pypinyin.pinyin_dict import pinyin_dict

    readings = {unicodedata.normalize("NFKD", r) for v in pinyin_dict.values() for r in v.split(",")}
    plain = {"".join(c for c in r if not unicodedata.combining(c)).replace("ü", "v") for r in readings}
    return frozenset(r for r in plain if re.fullmatch(r"[a-z]+", r) and re.search(r"[aeiouv]", r))


def pinyin_words(letters: str) -> list[str] | None:
    """The fewest pinyin syllables these letters spell ("yifan" → yi, fan; "xian" → xian, not
    xi, an), or None when they spell none."""
    syllables, longest = pinyin_syllables(), 6
    best: list[list[str] | None] = [[]] + [None] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - longest), end):
            before = best[start]
            if before is not None and letters[start:end] in syllables and (
                    best[end] is None or len(before) + 1 < len(best[end])):
                best[end] = before + [letters[start:end]]
    return best[-1]


@lru_cache(maxsize=1)
def surname_readings() -> frozenset[str]:
    """The surnames of the table as pinyin written as one word (lin, zhang, ouyang)."""
    return frozenset("".join(s.reading) for s in surnames().values())


def fold(text: str) -> str:
    """Lower-case ASCII letters of a Latin-script text: "KÜSTER" → "kuster"."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).encode("ascii", "ignore") \
        .decode().lower()


def _squeeze(text: str) -> str:
    text = text if CJK.search(text) else fold(text)
    return re.sub(r"[\s\-_.,'’·•]+", "", text.lower())


_CREDENTIAL_SHAPE = re.compile(r"[.\s]")


def is_credential(word: str) -> bool:
    """A degree, title or suffix written next to a name: "PhD", "M.Sc.", "Dr.", "Jr"."""
    return _CREDENTIAL_SHAPE.sub("", fold(word)) in name_words()["credentials"]


def strip_credentials(words: list[str]) -> list[str]:
    """A name's words without the titles before it and the degrees after it ("Dr. Jane Doe,
    PhD" → Jane Doe); two words always stay, so "Yi Ma" keeps its surname."""
    words = list(words)
    while len(words) > 2 and is_credential(words[0]):
        words.pop(0)
    while len(words) > 2 and is_credential(words[-1]):
        words.pop()
    return words


@dataclass(frozen=True)
class PersonName:
    """A name split into its parts, romanised: the one source of every form of it."""

    written: str  # as the document writes it, credentials dropped
    cjk: bool
    family: tuple[str, ...]  # pinyin syllables of a Chinese surname; else the last word
    given: tuple[str, ...]  # syllables of a Chinese given name; else the first word
    middle: tuple[str, ...] = ()  # Latin-script middle names and initials
    family_others: tuple[str, ...] = ()  # other romanisations of the family name
    family_written: str = ""  # the Chinese surname as written (张), for "张" look-ups
    latin_written: str = ""  # the person's Latin name written beside it ("Eric Tsu 曲强")
    goes_by: tuple[str, ...] = ()  # a full name in brackets after theirs ("… (Jerry Lin)")

    def slug(self) -> str:
        """Readable id part: pinyin syllables for a Chinese name, the words otherwise."""
        words = " ".join(self.family + self.given) if self.cjk else fold(self.written)
        return "-".join(re.findall(r"[a-z0-9]+", words))

    def keys(self) -> set[str]:
        """Squeezed forms a look-up compares: as written and both orders, with and without
        middle names, and each other romanisation of a Chinese surname."""
        keys = {_squeeze(self.written)}
        given, middle = "".join(self.given), "".join(self.middle)
        for family in ("".join(self.family), *self.family_others):
            keys |= {given + middle + family, family + given + middle, given + family,
                     family + given}
        return {k for k in keys if k}

    def initial_keys(self) -> set[str]:
        """"B Shastry" forms: the given name's initial with the family name, both orders."""
        if self.cjk or not self.given or not self.family:
            return set()
        initial, family = self.given[0][:1], "".join(self.family)
        return {initial + family, family + initial}

    def parts(self) -> set[str]:
        """Whole parts a partial look-up may name: "Zhang", "Xiaoming", "张"."""
        parts = {"".join(self.family), "".join(self.given), *self.family_others,
                 *(m for m in self.middle if len(m) > 1)}
        if self.family_written:
            parts.add(self.family_written)
        return {p for p in parts if len(p) > 1 or CJK.search(p)}

    def aliases(self) -> list[str]:
        """How a Chinese name is written in Latin script: 赵天辰 → "Tianchen Zhao", "Zhao Tianchen";
        and the full name a person goes by, in brackets after their name ("Hsiang-Jui Lin (Jerry
        Lin)" → "Hsiang-Jui Lin", "Jerry Lin")."""
        if not self.cjk:
            return [self.written, *self.goes_by] if self.goes_by else []
        family = "".join(self.family).capitalize()
        given = "".join(self.given).capitalize()
        latin = [self.latin_written] if self.latin_written else []
        romanised = [f"{given} {family}", f"{family} {given}"] if given else [family]
        return list(dict.fromkeys(latin + list(self.goes_by) + romanised))


@lru_cache(maxsize=4096)
def person_name(name: str) -> PersonName:
    """Split a name into family and given parts, in pinyin for a Chinese name."""
    name = unicodedata.normalize("NFKC", name).strip()
    if CJK.search(name):
        return _chinese_name(name)
    return _latin_name(name)


def _chinese_name(name: str) -> PersonName:
    hanzi = "".join(CJK.findall(name))
    surname = surname_of(hanzi)
    cut = len(surname.written) if surname else 1
    from pypinyin import lazy_pinyin  # ~0.3 s to import: only when a Chinese name is read

    family = surname.reading if surname else tuple(lazy_pinyin(hanzi[:cut]))
    given = tuple(lazy_pinyin(hanzi[cut:]))
    latin = [w.strip("()（）") for w in _GOES_BY.sub(" ", CJK.sub(" ", name)).split()]
    latin = [w for w in latin if re.search(r"[^\W\d_]", w)]
    return PersonName(written=hanzi, cjk=True, family=family, given=given,
                      family_others=surname.others if surname else (),
                      family_written=hanzi[:cut], latin_written=" ".join(latin) if len(latin) >= 2 else "",
                      goes_by=_goes_by(name))


# The full name a person goes by, in brackets after their name: "(Jerry Lin)".
_GOES_BY = re.compile(r"[(（]\s*([^\W\d_][^()（）]*?\s[^()（）]*?)\s*[)）]")


def _goes_by(name: str) -> tuple[str, ...]:
    return tuple(" ".join(m.split()) for m in _GOES_BY.findall(name))


def _latin_name(name: str) -> PersonName:
    goes_by = _goes_by(name)
    words = strip_credentials([w for w in re.split(r"[\s,]+", _GOES_BY.sub(" ", name)) if w])
    written = " ".join(words)
    folded = [re.sub(r"[^a-z0-9]", "", fold(w)) for w in words]
    folded = [w for w in folded if w]
    if len(folded) < 2:
        return PersonName(written=written, cjk=False, family=tuple(folded), given=(), goes_by=goes_by)
    return PersonName(written=written, cjk=False, family=(folded[-1],), given=(folded[0],),
                      middle=tuple(folded[1:-1]), goes_by=goes_by)


def name_slug(name: str) -> str:
    """The readable, stable id part of a name: "zeng-xiao-ming", "jane-q-example"."""
    return person_name(name).slug()


def name_forms(name: str) -> set[str]:
    """A name in the squeezed forms people type it (see `PersonName.keys`)."""
    return person_name(name).keys()


def canonical_name(name: str) -> str:
    """One key per person-name whatever the script or order: 赵天辰, "Tianchen Zhao" and
    "Zhao Tianchen" share it."""
    parsed = person_name(name)
    given, family = "".join(parsed.given), "".join(parsed.family)
    return min(given + family, family + given) if given and family else _squeeze(name)


def is_cjk_name(name: str) -> bool:
    return bool(CJK.search(name))


def display_aliases(name: str) -> list[str]:
    """How a name is written elsewhere: 赵天辰 → "Tianchen Zhao", "Zhao Tianchen"."""
    return person_name(name).aliases()


# --- look-ups ------------------------------------------------------------------------------

def _query_words(query: str) -> list[str]:
    if CJK.search(query):
        return ["".join(CJK.findall(query))]
    return [w for w in (re.sub(r"[^a-z0-9]", "", fold(w))
                        for w in strip_credentials(query.replace(",", " ").split())) if w]


def _has_initial(query: str) -> bool:
    return any(len(re.sub(r"[^a-z]", "", fold(w))) == 1 for w in query.split())


def _initials_agree(query: str, parsed: "PersonName") -> bool:
    """Whether an initial typed ("Doe, J. Q.") begins a given or middle name of the person (a
    middle initial the document leaves out is allowed): a one-letter difference is a typo in a
    whole word, but only other initials are another person ("Doe, M." is not Jane Doe)."""
    typed = {w for w in (re.sub(r"[^a-z]", "", fold(w)) for w in query.split()) if len(w) == 1}
    return bool(typed & {w[:1] for w in (*parsed.given, *parsed.middle)})


# Initials typed without a space between them: "D.D." is two initials, "J.R.R." three.
_GLUED_INITIALS = re.compile(r"(?<![^\W\d_])([^\W\d_])\.(?=[^\W\d_]\.)")


def _spaced_initials(query: str) -> str:
    """ "Doe, J.Q." → "Doe, J. Q.": each initial a word of its own, as "Doe, J. Q." is typed."""
    return _GLUED_INITIALS.sub(r"\1. ", query)


def match_score(query: str, name: str) -> float:
    """How well a typed name matches one name (0-100): exact or fuzzy on the name's keys, a
    given initial with the family name, or PARTIAL_SCORE for one whole part of the name."""
    query = _spaced_initials(query)
    parsed = person_name(name)
    wanted = {_squeeze(query)} | person_name(query).keys()
    wanted.discard("")
    if not wanted:
        return 0.0
    keys = parsed.keys()
    if _has_initial(query) and _initials_agree(query, parsed):
        keys |= parsed.initial_keys()
    score = max(fuzz.ratio(w, k) for w in wanted for k in keys)
    words = _query_words(query)
    if score < PARTIAL_SCORE and words and all(w in parsed.parts() for w in words):
        score = PARTIAL_SCORE
    return score


def best_score(query: str, person: CandidateInfo) -> float:
    """How well a typed name matches a candidate's name or any of their aliases (0-100)."""
    return max(match_score(query, n) for n in [person.name, *person.aliases])


def rank(query: str, people: list[CandidateInfo]) -> list[tuple[float, CandidateInfo]]:
    """Named candidates with their match score for a typed name, best first."""
    scored = [(best_score(query, p), p) for p in people if p.name_found]
    return sorted(scored, key=lambda x: -x[0])


def resolve(query: str, people: list[CandidateInfo]) -> list[CandidateInfo]:
    """Candidates whose name matches the query, best first (several when it is ambiguous)."""
    labelled = [p for p in people if not p.name_found and _squeeze(query) == _squeeze(p.name)]
    if labelled:
        return labelled  # a nameless document, asked for by the file label it is shown under
    ranked = rank(query, people)
    best = ranked[0][0] if ranked else 0.0
    if best < MATCH_THRESHOLD:
        return []
    return [p for s, p in ranked if s >= max(MATCH_THRESHOLD, best - MATCH_MARGIN)]


def part_similarity(query: str, name: str) -> float:
    """How close the closest typed word is to one part of a name (0-100); words of 3+ letters."""
    words = [w for w in _query_words(query) if len(w) >= 3]
    parts = [p for p in person_name(name).parts() if len(p) >= 3]
    return max((fuzz.ratio(w, p) for w in words for p in parts), default=0.0)


def suggest(query: str, people: list[CandidateInfo]) -> list[CandidateInfo]:
    """Near misses for a name nobody matches: "did you mean …", closest first."""
    near = []
    for score, person in rank(query, people):
        part = max(part_similarity(query, n) for n in [person.name, *person.aliases])
        if SUGGEST_THRESHOLD <= score or part >= SUGGEST_PART_THRESHOLD:
            near.append((max(score, part), person))
    return [p for _, p in sorted(near, key=lambda x: -x[0])][:SUGGESTIONS]


# Words that ask for a card; the explicit ones always do, the others ("who is X") only when X
# names someone (bot/routing.py decides).
_EXPLICIT_SUMMARY = r"summari[sz]e|summary\s+of|summary\b|总结一下|总结|概括"
_SUMMARY_PREFIX = re.compile(
    rf"^\s*(?:please\s+)?(?P<verb>{_EXPLICIT_SUMMARY}|summary|tell me about|who is|describe|"
    r"介绍一下|介绍)\s*[:：]?\s*", re.I)
_EXPLICIT = re.compile(rf"^(?:{_EXPLICIT_SUMMARY})$", re.I)


def summary_target(question: str) -> str | None:
    """The name in "summarize NAME"-style questions, or None for other questions."""
    match = _SUMMARY_PREFIX.match(question)
    if not match:
        return None
    name = question[match.end():].strip(" ?？。.!")
    return name or None


@lru_cache(maxsize=1)
def _summary_register() -> tuple[frozenset[str], re.Pattern[str]]:
    """The words asking about one person (name_words.toml: summary_register): English ones to
    drop word by word, Chinese ones to cut out of the text, longest first."""
    data = _name_words_file()["summary_register"]
    chinese = sorted(data["chinese"], key=len, reverse=True)
    return frozenset(w.lower() for w in data["english"]), re.compile("|".join(map(re.escape, chinese)))


def names_a_field_besides(rest: str) -> bool:
    """Whether what a message says besides a person's name, less the words asking about one
    person (summary_register) and soft words, names a field or one of its terms (the topic
    table: "X linux kernel?"): a topic asked of their documents, not their card ("X's
    background?" stays a card). English only: Chinese summary requests hold field words of
    their own register too often (a held-out set of them: the right card 0.93 -> 0.86 when
    Chinese was read so); a Chinese question about a topic has its verb (X做过推荐系统吗)."""
    if CJK.search(rest):
        return False
    english, _ = _summary_register()
    words = " ".join(w for w in _SPLIT.split(unicodedata.normalize("NFKC", rest))
                     if w and w.lower() not in english)
    return any(names_a_field(t.text) for t in question_terms(words)
               if t.text.lower() not in ENGLISH.soft)


_NAME_CHUNK = re.compile(r"^(?:[A-Za-z][\w.'’-]*(?:\s+[A-Za-z][\w.'’-]*){0,3}|[\u4e00-\u9fff·]{2,5})$")
_SPLIT = re.compile(r"[\s?？!！,，。:：；()（）\"“”]+")


def bare_name(question: str) -> str | None:
    """The name in a question that says nothing but a name and words asking about one person
    ("what's Jane Roe's background?", "Jane Roe?", "张三这个人怎么样"), or None. Whether the
    name is someone's is for the caller to check (bot/routing.py)."""
    english, chinese = _summary_register()
    text = chinese.sub(" ", unicodedata.normalize("NFKC", question))
    text = re.sub(r"(?<=\w)['’]s\b", " ", text)  # Jane Roe's → Jane Roe
    words = [w[:-1] if w.endswith(".") and len(w) > 2 else w for w in _SPLIT.split(text) if w]
    kept = [i for i, w in enumerate(words) if w.lower() not in english]
    if not kept or len(kept) > 4 or kept != list(range(kept[0], kept[-1] + 1)):
        return None  # nothing left, or words of a question between the parts of a name
    chunk = " ".join(words[i] for i in kept)
    return chunk if _NAME_CHUNK.match(chunk) else None


_LATIN_WORD = re.compile(r"[a-z]+")
_WRITTEN_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+")  # accents kept: folded one by one
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
MAX_NAME_TOKENS = 5  # "Maria de la Cruz Lopez"
NameKey = tuple[str, ...] | str


def _name_keys(form: str) -> list[NameKey]:
    """How a full name is looked up: its Latin words folded ("andrew", "z", "luo"), also without
    its initials ("andrew", "luo"), or its Chinese characters; none for a form too short to be
    told from an ordinary word (one Latin word, one Chinese character)."""
    if CJK.search(form):
        chars = "".join(CJK.findall(form))
        return [chars] if 2 <= len(chars) <= 4 else []
    words = tuple(_LATIN_WORD.findall(fold(form)))
    keys = [words, tuple(w for w in words if len(w) > 1)]
    return [k for k in dict.fromkeys(keys) if 2 <= len(k) <= MAX_NAME_TOKENS]


def _both_orders(key: NameKey) -> list[NameKey]:
    """A Latin name as a message may write it: as written, family name first ("Bertalan Zsolt",
    "Doe Jane"), and a longer name by its first and last words in either order ("Tuna Meral" of
    "Tuna Han Salih Meral")."""
    if not isinstance(key, tuple) or len(key) < 2:
        return [key]
    return list(dict.fromkeys([key, (key[-1], *key[:-1]), (key[0], key[-1]), (key[-1], key[0])]))


@dataclass(frozen=True)
class NameMention:
    """A full name written in a message: where, and the people who bear it."""

    start: int
    end: int
    ids: frozenset[str]


@dataclass(frozen=True)
class NameIndex:
    """Every full name (and alias) of the people in the store, to find one written anywhere in a
    message: "before my call with Jane Roe, give me the highlights", "帮我看下张三的简历"."""

    keys: dict[NameKey, frozenset[str]]
    parts: dict[str, frozenset[str]] = field(default_factory=dict)  # one Latin word of a name

    @classmethod
    def of(cls, people: list[CandidateInfo]) -> "NameIndex":
        keys: dict[NameKey, set[str]] = {}
        for person in people:
            if not person.name_found:
                continue
            for form in (person.name, *person.aliases):
                for key in _name_keys(form):
                    keys.setdefault(key, set()).add(person.id)
        exact = set(keys)
        for key in list(exact):  # the other orders only where no one is written so
            for other in _both_orders(key)[1:]:
                if other not in exact:
                    keys.setdefault(other, set()).update(keys[key])
        parts: dict[str, set[str]] = {}
        for key, ids in keys.items():
            for word in key if isinstance(key, tuple) else ():
                if len(word) > 1:
                    parts.setdefault(word, set()).update(ids)
        return cls({key: frozenset(ids) for key, ids in keys.items()},
                   {word: frozenset(ids) for word, ids in parts.items()})

    def subject_of(self, text: str) -> list[NameMention]:
        """The people a yes/no question is about when it names them by one part of their name,
        as its subject: "does Li know Kafka?", "has Gleave worked on RL?" (`_SUBJECT`: an
        auxiliary verb, then a capitalised word, then more)."""
        match = _SUBJECT.match(text)
        ids = self.parts.get(fold(match.group("name"))) if match else None
        return [NameMention(match.start("name"), match.end("name"), ids)] if ids else []

    def named_in(self, text: str) -> list[NameMention]:
        """The names the text holds, longest first; a name inside a longer one found is not
        counted again."""
        words = [(fold(m.group()), m.start(), m.end()) for m in _WRITTEN_LATIN_WORD.finditer(text)]
        latin = [(words[i][1], words[i + n - 1][2], self.keys.get(tuple(w for w, _, _ in words[i:i + n])))
                 for n in range(MAX_NAME_TOKENS, 1, -1) for i in range(len(words) - n + 1)]
        cjk = [(run.start() + i, run.start() + i + n, self.keys.get(run.group()[i:i + n]))
               for run in CJK_RUN.finditer(text) for n in (4, 3, 2) for i in range(len(run.group()) - n + 1)]
        mentions: list[NameMention] = []
        for start, end, ids in sorted((m for m in latin + cjk if m[2]), key=lambda m: m[0] - m[1]):
            if not any(start < m.end and m.start < end for m in mentions):
                mentions.append(NameMention(start, end, ids))
        return mentions


_CLAUSE_END = re.compile(r"[,.;:!?，。；：！？\n]+")
# The subject of a yes/no question: an auxiliary verb opening it, a capitalised word, more words.
_SUBJECT = re.compile(r"\s*(?i:does|did|has|had|is|was|can|could|would|will)\s+"
                      r"(?P<name>[A-Z][^\W\d_]+(?:['’-][^\W\d_]+)?)\s+\w")


def searches_for_people(question: str) -> bool:
    """Whether a message searches for people: a clause of it begins like a search ("who has …",
    "hey, who has …", "谁做过…"), or it asks for others like someone ("someone like X", 类似)."""
    text = " ".join(unicodedata.normalize("NFKC", question).lower().split())
    words = name_words()
    clauses = [c.strip() for c in _CLAUSE_END.split(text)]
    if any(_begins_with(clause, lead) for clause in clauses for lead in words["searching"]):
        return True
    return any(phrase in text if CJK.search(phrase) else
               re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text)
               for phrase in words["searching_anywhere"])


def _begins_with(clause: str, lead: str) -> bool:
    return clause.startswith(lead) and bool(CJK.search(lead) or not clause[len(lead):len(lead) + 1].isalpha())


def asks_about_them(rest: str) -> bool:
    """Whether what a message says besides a person's name asks something of them ("does …
    know Kafka?", "has … worked at Google?", …做过推荐系统吗): a verb of doing or knowing
    (name_words.toml: asks_about_them) with a topic after it ("what has … worked on lately?"
    asks for the card)."""
    text = " ".join(unicodedata.normalize("NFKC", rest).lower().split())
    for cue in name_words()["asks_about_them"]:
        at = text.find(cue)
        while at >= 0:
            edges = CJK.search(cue) or ((at == 0 or not text[at - 1].isalpha()) and
                                        not text[at + len(cue):at + len(cue) + 1].isalpha())
            if edges and question_terms(text[at + len(cue):]):  # a topic after the verb
                return True
            at = text.find(cue, at + 1)
    return False


def asks_for_summary_explicitly(question: str) -> bool:
    """"Summarize X" / "总结 X" (always a card), as opposed to "who is X" or "tell me about X"."""
    match = _SUMMARY_PREFIX.match(question)
    return bool(match and _EXPLICIT.match(match.group("verb")))
