"""List questions answered from the entries: "who has worked at ByteDance?", "who has a PhD?",
"who studied at 清华?", "more than 10 years of experience", "based in Germany", "currently at X".

A list question is read into `Filter`s (what the question asks about people's entries) and the
rest of the question (a topic to rank by, if any). Every candidate whose entries satisfy every
filter is listed (not the top five), each with the citations of the entries that show it.
Organisation names match across languages and usual forms through the alias tables
(`retrieval/aliases.toml`): 字节跳动 = ByteDance, 北大 = Peking University; an acronym matches the
initials of a written name (UW = University of Washington).
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from pathlib import Path

from candidates.entries import distinctive_part
from retrieval.aliases import aliases_of, is_place, places_within, rows, tables_of
from retrieval.lexicon import is_everyday, names_a_field, question_terms, without_context, word_spans
from retrieval.settings import Settings
from retrieval.text import has_cjk
from retrieval.tokens import without_diacritics
from retrieval.types import CandidateInfo, Citation, DocumentProfile, EducationEntry, ExperienceEntry

# --- reading the question ----------------------------------------------------------------

_ORG_END = r"(?=\s*(?:\?|？|$|,(?!\s*(?-i:[A-Z][a-z]))|，|\band\b|\bor\b|\bwho\b|\bwith\b|\bon\b|\bincluding\b|\bincl\b\.?|\bexcluding\b|" \
           r"\bfor\s+(?:\d|over\b|more than\b|at least\b|about\b|around\b|almost\b|nearly\b)|" \
           r"\bnot\b|\bbut\b|\bas\b|\bin the\b|\bbefore\b|\bafter\b|\bsince\b|\(|（|和|并且|且|或))"
_EMPLOYER = [
    re.compile(r"\b(?:has|have|had|ever)?\s*(?:worked|works|working|work|been employed|employed|"
               r"interned|interning|internship|intern|been|be|was|were|served|job|jobs|positions?|"
               r"roles?|experience)\s+(?:at|for)\s+(?P<org>.+?)" + _ORG_END, re.I),
    re.compile(r"\bemployed\s+by\s+(?P<org>.+?)" + _ORG_END, re.I),
    re.compile(r"\b(?:done|spent|spend|did)\s+(?:some\s+|any\s+)?(?:time|years?|a stint)\s+(?:at|with)\s+"
               r"(?P<org>.+?)" + _ORG_END, re.I),
    re.compile(r"\bex-\s*(?P<org>[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})"),
    re.compile(r"\b(?:is|are|currently|now|presently|still)\s+(?:currently\s+|now\s+)?(?:at|with|"
               r"employed by|working at|working for)\s+(?P<org>[A-Z\u4e00-\u9fff].+?)" + _ORG_END),
    re.compile(r"\b(?:ex-|former\s+|current\s+)(?P<org>[A-Z][\w&.\- ]+?)\s+(?:employees?|engineers?|"
               r"staff|people)\b"),
    re.compile(r"在(?P<org>[^\s，。？?,.!:;]{1,30}?)(?:工作|实习|任职|就职|上班|做过|待过|干过|呆过)"),
    re.compile(r"(?:就职于|任职于|供职于|曾在)(?P<org>[^\s，。？?,.!:;]{1,30}?)(?:的|工作|实习|任职|吗|？|\?|$)"),
]
_SCHOOL = [
    re.compile(r"\b(?:degree|degrees|diploma|phd|ph\.d\.?|doctorate|master'?s|bachelor'?s|mba|ms|bs|"
               r"ba)\s+(?:\w+\s+){0,3}?(?:from|at)\s+(?P<org>.+?)" + _ORG_END, re.I),
    re.compile(r"\b(?:studied|study|studies|studying|educated|enrolled|graduated|graduate|"
               r"graduates)\s+(?:at|from|of)\s+(?P<org>.+?)" + _ORG_END, re.I),
    re.compile(r"\b(?:alumni|alumnus|alumna)\s+of\s+(?P<org>.+?)" + _ORG_END, re.I),
    re.compile(r"\b(?:went to school at|went to school in|attended|attend|attends|attending|went to|go to|"
               r"goes to|students?\s+(?:at|of))\s+(?P<org>.+?)" + _ORG_END, re.I),
    re.compile(r"(?:毕业于|就读于|在读于|来自)(?P<org>[^\s，。？?,.!:;]{2,30}?)(?:的|吗|？|\?|$|，)"),
    re.compile(r"在(?P<org>[^\s，。？?,.!:;]{2,30}?)(?:读书|读过|上学|读博|读研|读本科|毕业|就读|学习)"),
    re.compile(r"(?P<org>[^\s，。？?,.!:;]{2,30}?(?:大学|学院))(?:毕业|的校友|校友)"),
]
def _latin(pattern: str) -> str:
    """A pattern whose \\b word edges are edges of Latin words only: "有PhD的" holds "PhD"."""
    return pattern.replace(r"\b", r"(?:(?<![A-Za-z0-9])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?![A-Za-z0-9]))")


_DEGREE_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("MBA", re.compile(_latin(r"\bMBA\b|工商管理硕士"), re.I)),
    ("PhD", re.compile(_latin(r"\bph\.?\s?d(?:s|'s)?\b|\bdoctorates?\b|\bdoctoral\b|博士(?!后)|读博"), re.I)),
    ("MS", re.compile(_latin(r"\bmaster'?s?\b|\bM\.S\.?c?|\bMSc\b|(?:\ban\s+)MS\b|\bMS(?=\s+(?:degree|in)\b)|"
                             r"硕士|研究生学历"), re.I)),
    ("BS", re.compile(_latin(r"\bbachelor'?s?\b|\bundergraduate degree\b|\bB\.S\.?c?|\bBSc\b|(?:\ba\s+)BS\b|"
                             r"\bBS(?=\s+(?:degree|in)\b)|本科|学士"), re.I)),
]
_DEGREE_ASKED = re.compile(_latin(r"\b(?:has|have|holds?|hold|with|got|earned|completed|doing|pursuing|"
                                  r"holders?|candidates?|students?|graduates?|degree|and|or|any|anyone|"
                                  r"who|which|list|everyone|all)\b|学位|学历|是|有|在读|谁|哪些"), re.I)
_INTERNS_EXCLUDED = re.compile(r"\b(?:not|excluding|except|without)\s+(?:counting\s+)?"
                               r"(?:internships?|interns?)\b|\bfull[- ]time\b|不含实习|不算实习|不包括实习|"
                               r"实习\S{0,3}?(?:也|都)?不算|全职", re.I)
# 实习 asks for internships only, unless it is one side of "工作或实习" or said to count too
# ("谁在华为干过，实习也算", 包括实习).
_INTERN_ONLY = re.compile(r"\binterned\b|\binternships?\s+(?:at|with)\b|\bintern(?:ing)?\s+at\b|"
                          r"(?<!包括)(?<!含)(?<!算上)实习(?!或)(?!\S{0,3}?(?:也|都)(?:算|行|可以|计|包括))(?<!工作或实习)",
                          re.I)
_UNIT = r"(?:years?|yrs?|yoe)\b"
_YEARS = [
    (re.compile(r"(?:more than|over|above|beyond|upwards of|at least|minimum of|min\.?|>=?|≥)\s*"
                r"(\d+(?:\.\d+)?)\+?\s*" + _UNIT, re.I), "min"),
    (re.compile(r"(\d+(?:\.\d+)?)\s*\+\s*" + _UNIT, re.I), "min"),
    (re.compile(r"(\d+(?:\.\d+)?)\s*(?:or more|and more|plus)\s*" + _UNIT, re.I), "min"),
    (re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(\d+(?:\.\d+)?)\s*" + _UNIT, re.I), "range"),
    (re.compile(r"(?:less than|under|fewer than|at most|<=?|≤)\s*(\d+(?:\.\d+)?)\s*" + _UNIT,
                re.I), "max"),
    # "10 yrs exp", "8 years of industry experience": a length of experience asked is a
    # minimum (read after the others: "less than 2 years experience" is a maximum)
    (re.compile(r"(?<![\d.\-–—])(\d+(?:\.\d+)?)\s*" + _UNIT + r"\s+(?:of\s+)?(?:exp\b|experience|"
                r"industry|professional|work)", re.I), "min"),
    (re.compile(r"(\d+(?:\.\d+)?)\s*(?:\+\s*)?年(?:及|或)?以上"), "min"),
    (re.compile(r"(?:超过|多于|大于|高于|不少于|不低于|至少)\s*(\d+(?:\.\d+)?)\s*年"), "min"),
    (re.compile(r"(\d+(?:\.\d+)?)\s*\+\s*年"), "min"),
    (re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|–|~|到|至)\s*(\d+(?:\.\d+)?)\s*年"), "range"),
]
_STRICT_MIN = re.compile(r"more|over|above|beyond|upwards|>(?!=)|超过|多于|大于|高于", re.I)
_DATA = Path(__file__).with_name("filters.toml")
# A list question's leftover words that are all everyday English carry it, not a topic to rank by
# (`is_everyday`, the settings' bar, which says what set it).
EVERYDAY_ZIPF = Settings.model_fields["everyday_zipf"].default


@lru_cache(maxsize=1)
def _wording() -> dict:
    with _DATA.open("rb") as f:
        return tomllib.load(f)


# Numbers written as words before a length of time: "ten years", 五年, 十五年, "a decade".
_NUMBER_WORDS = {w: i for i, w in enumerate(_wording()["numbers"]["english"])}
_SPELLED_YEARS = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")(?=\s*(?:\+|plus|or more)?\s*"
                            r"(?:years?|yrs?)\b)", re.I)
_DECADES = re.compile(r"\b(?:a|one|two|three)\s+decades?\b", re.I)
_CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                   "八": 8, "九": 9}
_CHINESE_YEARS = re.compile(r"([零一二两三四五六七八九十]{1,3})(?=\s*(?:多)?年)")


def _chinese_number(text: str) -> int | None:
    """一 … 九十九 ("十五" = 15, "二十" = 20); None for anything else."""
    if "十" not in text:
        return _CHINESE_DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CHINESE_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CHINESE_DIGITS.get(ones, 0) if ones else 0)


def _numbers_as_digits(text: str) -> str:
    """Lengths of time written in words, in digits: "over ten years" → "over 10 years",
    工作五年以上 → 工作5年以上, "more than a decade" → "more than 10 years"."""
    text = _DECADES.sub(lambda m: f"{10 * max(1, _NUMBER_WORDS.get(m.group(0).split()[0].lower(), 1))} years", text)
    text = _SPELLED_YEARS.sub(lambda m: str(_NUMBER_WORDS[m.group(1).lower()]), text)
    return _CHINESE_YEARS.sub(lambda m: str(n) if (n := _chinese_number(m.group(1))) is not None
                              else m.group(0), text)


_YEARS_OF_WORK = re.compile(r"years?|yrs?|年", re.I)
_LOCATION = [
    re.compile(r"\b(?:based|located|living|lives|live|resides|residing|reside)\s+(?:in|near|at)\s+"
               r"(?P<place>.+?)" + _ORG_END, re.I),
    re.compile(r"\b(?:from|in)\s+(?P<place>[A-Z][\w .'-]+?)\s+(?:area|region)\b"),
    re.compile(r"(?P<place>\b[A-Z][\w.']+(?:\s+[A-Z][\w.']+)?)-based\b"),
    re.compile(r"(?:base|坐标|现居|居住在|位于|常驻|所在地(?:是|为|在)?)\s*在?\s*"
               r"(?P<place>[A-Za-z][A-Za-z .'-]*[A-Za-z]|[^\s，。？?,.!:;的]{2,12})"),
    re.compile(r"(?:^|谁|哪些人|哪位)(?:在)(?P<place>[^\s，。？?,.!:;]{2,8}?)(?:工作的|工作过|的)(?!.*(?:公司|大学))"),
]
# "谁在上海？", "谁在Seattle？": the whole question is a place the tables know (谁在百度 is not).
_BARE_PLACE = [
    re.compile(r"^(?:谁|哪些人|哪位|有谁|哪些候选人)(?:在|是)(?P<place>[A-Za-z][A-Za-z .'-]*[A-Za-z]|"
               r"[^\s，。？?,.!:;的]{2,8}?)(?:的)?(?:人|候选人)?[？?]?$"),
    re.compile(r"\bin\s+(?:the\s+)?(?P<place>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})\s*[?？.]?$"),
    re.compile(r"(?:住在|人在|身在|现在在|目前在|在)\s*(?P<place>[A-Za-z][A-Za-z .'-]*[A-Za-z]|"
               r"[^\s，。？?,.!:;的]{2,8}?)\s*的"),
]
# Known places a question names beside its other conditions (each read only when the place
# tables know it): "… in Seattle?", "who in Shanghai has …", 谁在北京并且…, …并且在北京？
_KNOWN_PLACE = [
    re.compile(r"\bin\s+(?:the\s+)?(?P<place>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})"
               r"(?=\s*[?？.,]|\s*$|\s+(?:who|that|with|has|have|had|is|are|and|or)\b)"),
    re.compile(r"\blocal\s+to\s+(?:the\s+)?(?P<place>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})"),
    # typed in lower case, or "X based" without its hyphen: read only when the tables know it
    re.compile(r"\b(?:in|near|around|from)\s+(?:the\s+)?"
               r"(?P<place>[a-z][a-z.'-]*(?:\s+[a-z][a-z.'-]*){0,2})(?=\s*[?？.,]|\s*$)", re.I),
    re.compile(r"(?P<place>\b[A-Za-z][\w.']*(?:\s+[A-Za-z][\w.']*)?)[\s-]+based\b", re.I),
    re.compile(r"(?:^|谁|哪些人|哪位|有谁)(?:在|是)(?P<place>[^\s，。？?,.!:;的]{2,12}?)(?:并且|而且|且|，|,)"),
    re.compile(r"(?:并且|而且|且|，|,|又|还)\s*(?:人|常驻|住)?在(?P<place>[^\s，。？?,.!:;的]{2,12}?)"
               r"(?:的(?:人|候选人)?)?[？?。]?$"),
]
_LOCAL = re.compile(r"([\u4e00-\u9fff]{2,12})本地")  # 北京本地的候选人: the place ends right before 本地
# When someone finished (or will finish) a degree: "graduated after 2020", "class of 2025", "2026
# grads", 2026届, 2025年毕业; "new grads", 应届 are the last twelve months and the next twelve.
_WHAT_FINISHED = r"(?:\s+(?:their|his|her|a|an|the|phd|ph\.d\.?|doctorate|degree|master'?s?|" \
                 r"bachelor'?s?|ms|bs|mba|studies|undergrad|undergraduate))*"
_GRADUATION = [
    (re.compile(r"\b(?:graduat\w*|finish\w*|complet\w*)" + _WHAT_FINISHED +
                r"\s+(?:in|by)?\s*((?:19|20)\d\d)\b", re.I), "in"),
    (re.compile(r"\b(?:graduat\w*|finish\w*)\s+(?:after|since|from)\s+((?:19|20)\d\d)\b", re.I), "after"),
    (re.compile(r"\b(?:graduat\w*|finish\w*)\s+before\s+((?:19|20)\d\d)\b", re.I), "before"),
    (re.compile(r"\bclass\s+of\s+((?:19|20)\d\d)\b|\b((?:19|20)\d\d)\s+(?:new\s+)?grads?\b", re.I), "in"),
    (re.compile(r"((?:19|20)\d\d)\s*(?:届|年毕业|年(?:的)?应届)"), "in"),
    (re.compile(r"((?:19|20)\d\d)\s*年(?:以后|之后|后)毕业"), "after"),
    (re.compile(r"\b(?:new|recent|fresh)\s*(?:college\s+)?grad(?:uate)?s?\b|应届", re.I), "new"),
]
# A place asked as where someone worked (not where they live): a job written there counts.
_WORKED_THERE = re.compile(r"\b(?:worked|work|works|working|jobs?|employed)\s+(?:in|at|out of)\b|"
                           r"工作|上班|任职过|干过|待过|呆过", re.I)
_CURRENT = re.compile(r"\b(?:currently|now|presently|still|current(?:ly)?)\b|目前|现在|现任|在职", re.I)


@dataclass(frozen=True)
class Filter:
    """One condition on a person's entries."""

    kind: str  # employer | school | organisation (either) | degree | years | location | graduation
    value: str  # the organisation / place as asked, the degree label, or the years phrase
    also: tuple[str, ...] = ()  # other organisations any of which will do ("Google or Meta")
    interns: bool = True  # employer: internships count
    interns_only: bool = False
    current: bool = False  # employer: only a position held now
    min_years: float | None = None
    max_years: float | None = None
    strict: bool = False  # years: "more than N" excludes exactly N
    first_year: int | None = None  # graduation: the earliest year that counts
    last_year: int | None = None  # graduation: the latest
    of_degree: str | None = None  # graduation: of this degree only (the question's degree)
    worked: bool = False  # location: "worked in X", 在X工作过: a job there counts too


@dataclass
class ListQuery:
    """A list question: its filters, and what is left of it to rank by (a topic), if anything."""

    filters: list[Filter]
    rest: str = ""
    # Read from an organisation named alone ("Oracle experience?"): when no one's entries show
    # it, the question is asked as a topic (a product, a database) instead of answered with no one.
    named_only: bool = False


@dataclass
class Match:
    """One candidate who satisfies every filter, with the entries that show it."""

    candidate: CandidateInfo
    citations: list[Citation] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # one line per citation, for rendering


def read_list_question(question: str,
                       known: "Callable[[], KnownOrganisations] | None" = None) -> ListQuery | None:
    """The filters a question asks for, or None when it is not a list question. With `known`
    (the organisations people's entries name, asked for only when the question could be
    such a question), a question that names one of them and asks
    nothing else ("anyone ex-Google?", "清华出来的有哪些？") lists the people it is about."""
    text = without_context(_numbers_as_digits(without_diacritics(
        unicodedata.normalize("NFKC", question).strip())))
    filters: list[Filter] = []
    spans: list[tuple[int, int]] = []
    school = _first(_SCHOOL, text)
    employer = _first(_EMPLOYER, _masked(text, [school[1]] if school else []))
    if employer and is_place(_before_conjunction(employer[0])):  # 谁在北京工作过: where, not for whom
        employer = None
    if employer:
        (org, *also), span = _alternatives(text, *employer)
        excluded = bool(_INTERNS_EXCLUDED.search(text))
        filters.append(Filter("employer", org, tuple(also), interns=not excluded,
                              interns_only=bool(_INTERN_ONLY.search(text)) and not excluded and
                              not re.search(r"\bwork|工作", text, re.I),
                              current=bool(_CURRENT.search(text))))
        spans.append(span)
    if school:
        (org, *also), span = _alternatives(text, *school)
        filters.append(Filter("school", org, tuple(also)))
        spans.append(span)
    degree = _degree_asked(text)
    if degree:
        filters.append(Filter("degree", degree))
    years = _years_asked(text)
    if years:
        filters.append(years[0])
        spans.append(years[1])
    graduation = _graduation_asked(text)
    if graduation:  # "finished their PhD in 2019": the year is the PhD's
        filters.append(dataclasses.replace(graduation[0], of_degree=degree))
        spans.append(graduation[1])
    place = _place_asked(text, spans, [x for x in (employer, school) if x])
    if place and filters:
        filters.append(Filter("location", place[0]))
        spans.append(place[1])
    if not filters:
        unplaced = _masked(text, [place[1]]) if place else text
        named = _named_organisation(unplaced, known) if known is not None else None
        if named is not None and named.kind != "school" and _CURRENT.search(text):
            named = dataclasses.replace(named, current=True)  # "anyone currently at google?"
        if named is None:
            worked = bool(place and _WORKED_THERE.search(text))
            return ListQuery([Filter("location", place[0], worked=worked)], _rest(text, [place[1]])) \
                if place else None
        if place:  # "anyone from Google in Seattle?": the name is known, so no one is no one
            return ListQuery([named, Filter("location", place[0])], "")
        return ListQuery([named], "", named_only=True)
    return ListQuery(filters, _rest(text, spans))


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with these spans blanked out (same length, so later spans stay true)."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


_CONJUNCTION = re.compile(r"并且|而且|且|并|和|以及|又|还")


def _before_conjunction(value: str) -> str:
    """A Chinese value up to a conjunction that starts the next condition (北京并且 → 北京)."""
    return _CONJUNCTION.split(value, 1)[0] if has_cjk(value) else value


# "worked at Microsoft in Beijing", "anyone from Google in Seattle": the place after a name
_PLACE_AFTER = re.compile(r"^\s*(?:in|near|based in|out of)\s+(?:the\s+)?"
                          r"(?P<place>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})")


def _place_asked(text: str, spans: list[tuple[int, int]],
                 organisations: list[tuple[str, tuple[int, int]]]) -> tuple[str, tuple[int, int]] | None:
    """Where the question asks people to be, read outside what its other filters read: after an
    organisation's name ("at Microsoft in Beijing"), or anywhere else in the question."""
    for name, (start, end) in organisations:
        at = text.find(name, start, end)
        tail = _PLACE_AFTER.match(text[at + len(name):end]) if at >= 0 else None
        if tail and is_place(tail.group("place")):
            return tail.group("place"), (at + len(name) + tail.start("place"), end)
    rest = _masked(text, spans)
    return _first(_LOCATION, rest) or _bare_place(rest) or _trailing_place(rest)


def _trailing_place(text: str) -> tuple[str, tuple[int, int]] | None:
    """A place the tables know, named beside the question's other conditions."""
    for pattern in _KNOWN_PLACE:
        for m in pattern.finditer(text):
            place = _before_conjunction(m.group("place"))
            if is_place(place):
                return place, (m.start("place"), m.start("place") + len(place))
    for m in _LOCAL.finditer(text):
        run = m.group(1)
        for k in range(2, len(run) + 1):  # 有没有北京本地的: the shortest known ending
            if is_place(run[-k:]):
                return run[-k:], (m.end(1) - k, m.end(1))
    return None


_OR = re.compile(r"\s*(?:,\s*or\s+|,\s*|\s+or\s+|\s*/\s*|、|或者|或)\s*", re.I)
_MORE_OR = re.compile(r"\s*,?\s*(?:or|/)\s+(?:at\s+|ex-)?(?P<org>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})")


# Another form of the name just read, in brackets, and the rest of the name after them:
# "Bogazici (Boğaziçi) University", "Meta (Facebook)", "北大（北京大学）".
_INNER_ASIDE = re.compile(r"([^()]+)\(([^()]{2,40})\)")
_ASIDE = re.compile(r"\s*[(（](?P<form>(?-i:[A-Z]|[\u4e00-\u9fff])[^()（）?？,，]{1,39})[)）]"
                    r"(?P<tail>(?:\s+(?-i:[A-Z])[\w&.'’-]*){1,3}(?=\s*(?:[?？,，.]|$)))?")


def _alternatives(text: str, org: str, span: tuple[int, int]) -> tuple[list[str], tuple[int, int]]:
    """The organisations a list question names as alternatives ("Google, Apple, or Microsoft",
    字节或腾讯): split where every piece is a name the alias tables know (so "University of
    California, Santa Cruz" stays one), and one more capitalised name after an "or" the name
    stopped at when one side is a known name."""
    pieces = [p for p in _OR.split(org) if p]
    names = pieces if len(pieces) > 1 and all(tables_of(p) for p in pieces) else [org]
    aside = _ASIDE.match(text, span[1])
    if aside and len(names) == 1 and not _carrier().search(aside.group("form")):
        tail = (aside.group("tail") or "").strip()  # "Bogazici (Boğaziçi) University", "Meta (Facebook)"
        names = [f"{org} {tail}".strip(), f"{aside.group('form').strip()} {tail}".strip()]
        span = (span[0], aside.end())
    inner = _INNER_ASIDE.fullmatch(org)
    if inner and len(names) == 1:  # 北大(北京大学): the brackets were read as part of the name
        names = [inner.group(1).strip(), inner.group(2).strip()]
    more = _MORE_OR.match(text, span[1])
    if more and (len(names) > 1 or tables_of(org) or tables_of(more.group("org"))):
        names, span = names + [more.group("org")], (span[0], more.end())
    return names, span


def _bare_place(text: str) -> tuple[str, tuple[int, int]] | None:
    """A question that is only a place the tables know, after "谁在" or "anyone in"."""
    for pattern in _BARE_PLACE:
        m = pattern.search(text)
        if m and is_place(m.group("place")) and not _rest(text, [m.span()]):
            return m.group("place"), m.span()
    return None


def _first(patterns: list[re.Pattern[str]], text: str) -> tuple[str, tuple[int, int]] | None:
    for pattern in patterns:
        m = pattern.search(text)
        while m and has_cjk(m.group(0)) and not _on_word_edges(text, m):
            m = pattern.search(text, m.start() + 1)  # 谁在强化学习这块: no one "studied at 强化"
        if m:
            value = _clean_org(next(v for k, v in m.groupdict().items() if v))
            if value and _names_something(value):
                return value, m.span()
    return None


def _on_word_edges(text: str, match: re.Match[str]) -> bool:
    """Whether a Chinese pattern's cue words (在 before the name, 学习 or 工作 after it) are
    words of their own in the question, not the tail of a longer word (`word_spans`): the 在
    of 现在, the 学习 of 强化学习. (A name jieba cuts wrongly, 美 + 团干, still counts.)"""
    group = next(k for k, v in match.groupdict().items() if v)
    cues = [(match.start(), match.start(group)), (match.end(group), match.end())]
    return not any(start < cue_start < end and end == cue_end
                   for start, end in word_spans(text) for cue_start, cue_end in cues
                   if cue_end > cue_start)


_NAME_SHAPE = re.compile(r"\b(?:university|college|institute|school|academy|inc|ltd|llc|corp|labs?|"
                         r"technologies|group|bank|company)\b|大学|学院|公司|集团|研究院|实验室", re.I)


def _names_something(value: str) -> bool:
    """Whether the words after "worked at" / "studied at" name an organisation or a place:
    capitalised or Chinese, shaped like one, or known to the alias tables ("google", typed in
    lower case); "studied dust attenuation in galaxies" names none, and neither does a Chinese
    field phrase (`_a_field_phrase`: 在计算机视觉方面做过 is "has done computer vision")."""
    if len(value.split()) > 8 or _a_field_phrase(value):
        return False
    return (value[:1].isupper() or value[:1].isdigit() or has_cjk(value) or
            bool(_NAME_SHAPE.search(value)) or bool(aliases_of(value)))


def _a_field_phrase(value: str) -> bool:
    """A Chinese phrase of the form "X方面", "X领域", "X这块" (filters.toml's area_ends), or a
    field's name followed by a few characters that name no organisation (计算机视觉上,
    推荐系统这一块; but 人工智能研究院 is an institute): a topic, where the patterns "在…做过/工作"
    look for an organisation."""
    if not has_cjk(value):
        return False
    if any(value.endswith(word) and len(value) > len(word)
           for word in _wording()["organisation"]["area_ends"]):
        return True
    if any(_is_field_name(value[:k]) and not _NAME_SHAPE.search(value[k:])
           for k in range(max(2, len(value) - _FIELD_TAIL), len(value))):
        return True
    words = [value[a:b] for a, b in word_spans(value)]  # 模型剪枝或稀疏化这一块: a field's words
    return (any(len(w) >= 2 and _is_field_name(w) for w in words)
            and not any(tables_of(w) & {"employers", "schools"} for w in words)
            and not _NAME_SHAPE.search(value))


# Characters after a field's name that still make one phrase with it (这一块, 方面上): more is a
# name of its own ("计算机视觉研究中心").
_FIELD_TAIL = 4


def _is_field_name(text: str) -> bool:
    return names_a_field(text) or "fields" in tables_of(text)


_ASKING_LEAD = re.compile(r"^(?:(?:请问|那么|都)?(?:谁|哪些人|哪位|哪些候选人|有没有人?|有人)(?:是|有|在)?|是)")
_NAME_JOINERS = frozenset(_wording()["names"]["joiners"])


def _name_words_only(value: str) -> str:
    """A capitalised name up to its first lower-case word that joins no name ("Google at some
    point" → Google; "University of California, Santa Cruz" stays whole)."""
    if not value[:1].isupper() or has_cjk(value):
        return value
    words = value.split(" ")
    for i, word in enumerate(words[1:], 1):
        if word[:1].islower() and word.strip(",") not in _NAME_JOINERS:
            return " ".join(words[:i]).rstrip(" ,")
    return value


def _clean_org(value: str) -> str:
    value = _name_words_only(re.sub(r"^(?:the|a|an)\s+", "", value.strip(), flags=re.I))
    lead = _ASKING_LEAD.match(value) or re.match(r"有", value)
    if lead and len(value) - lead.end() >= 2:  # 谁是清华大学毕业的 → 清华大学 (有道 stays)
        value = value[lead.end():]
    return value.strip(" \"'“”‘’?？.。,，")


def _graduation_asked(text: str,
                      today: date | None = None) -> tuple[Filter, tuple[int, int]] | None:
    """The years of graduation a question asks for, and where it says so."""
    today = today or date.today()
    for pattern, how in _GRADUATION:
        m = pattern.search(text)
        if not m:
            continue
        if how == "new":
            first, last = today.year - (1 if today.month < 7 else 0), today.year + 1
        else:
            year = int(next(g for g in m.groups() if g))
            first, last = {"in": (year, year), "after": (year + 1, None),
                           "before": (None, year - 1)}[how]
        return Filter("graduation", m.group(0), first_year=first, last_year=last), m.span()
    return None


def _degree_asked(text: str) -> str | None:
    for label, pattern in _DEGREE_WORDS:
        m = pattern.search(text)
        if m and (_DEGREE_ASKED.search(text) or not _rest(text, [m.span()])):
            return label
    return None


def _years_asked(text: str) -> tuple[Filter, tuple[int, int]] | None:
    for pattern, how in _YEARS:
        m = pattern.search(text)
        if not m:
            continue
        low = float(m.group(1))
        if how == "min":
            strict = bool(_STRICT_MIN.match(m.group(0)))
            return Filter("years", m.group(0), min_years=low, strict=strict), m.span()
        if how == "max":
            return Filter("years", m.group(0), max_years=low), m.span()
        return Filter("years", m.group(0), min_years=low, max_years=float(m.group(2))), m.span()
    return None


def _words_pattern(english: list[str], chinese: list[str]) -> re.Pattern[str]:
    """English words matched whole, in any case; Chinese words as written; longest first."""
    latin = "|".join(re.escape(w) for w in sorted(english, key=len, reverse=True))
    cjk = "|".join(re.escape(w) for w in sorted(chinese, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9-])(?:{latin})(?![A-Za-z0-9-])" + (f"|{cjk}" if cjk else ""), re.I)


@lru_cache(maxsize=1)
def _carrier() -> re.Pattern[str]:
    data = _wording()["carrier"]
    return _words_pattern(data["english"], data["chinese"])


def _rest(text: str, spans: list[tuple[int, int]]) -> str:
    """The question without its list parts, the words that carry a list question
    (filters.toml) and the recruiting chat around it (retrieval/stopwords.toml): a topic to
    rank by, or "" when no word of one is left ("internships count too", "问一下")."""
    kept = "".join(ch if not any(s <= i < e for s, e in spans) else " " for i, ch in enumerate(text))
    for _, pattern in _DEGREE_WORDS:
        kept = pattern.sub(" ", kept)
    kept = _carrier().sub(" ", kept.replace("-", " "))  # "ex-", "full-time"
    kept = re.sub(r"[?？.。,，!！:：;；()（）'\"“”+\-–—]", " ", kept)
    words = kept.split()
    rest = " ".join(words)
    terms = question_terms(rest)
    if not terms or all(is_everyday(t.text, EVERYDAY_ZIPF) for t in terms):
        return ""  # "… or is in the middle of one": no topic ("Go", "R": a short topic is one)
    return rest


# --- a question that only names an organisation ----------------------------------------

@dataclass(frozen=True)
class KnownOrganisations:
    """The organisations people's entries name (the distinctive words of each: "google" for
    Google LLC, "tsinghua" for Tsinghua University), as employers and as schools."""

    employers: frozenset[str]
    schools: frozenset[str]

    @classmethod
    def of(cls, people: Sequence[CandidateInfo | DocumentProfile]) -> "KnownOrganisations":
        """From people's (or documents') education and experience entries."""
        return cls.named([e.employer for p in people for e in p.experience if e.employer],
                         [e.school for p in people for e in p.education
                          if e.school and e.degree != "high-school"])

    @classmethod
    def named(cls, employers: Iterable[str], schools: Iterable[str]) -> "KnownOrganisations":
        return cls(frozenset(k for e in employers for k in _keys_of(e)),
                   frozenset(k for s in schools for k in _keys_of(s)))

    def __or__(self, other: "KnownOrganisations") -> "KnownOrganisations":
        return KnownOrganisations(self.employers | other.employers, self.schools | other.schools)

    def kinds(self, name: str) -> set[str]:
        """What `name` is in the documents or the alias tables: employer, school, both, none."""
        forms = organisation_forms(name, "employers", "schools")
        cores, tables = {_core(form) for form in forms}, set().union(*map(tables_of, forms))
        kinds = {kind for kind, known in (("employer", self.employers), ("school", self.schools))
                 if cores & known}
        return kinds | {kind for kind, table in (("employer", "employers"), ("school", "schools"))
                        if table in tables}


def _keys_of(name: str) -> list[str]:
    """The ways a question may name a written organisation: its distinctive words ("google" for
    Google LLC), and for a Latin name their leading words too, "nokia" for Nokia Bristol,
    "microsoft" for Microsoft Research Asia (a leading place or generic word never alone)."""
    core = _core(name)
    if not core:
        return []
    words = core.split()
    if has_cjk(core) or len(words) == 1:
        return [core]
    leading = [" ".join(words[:n]) for n in range(1, len(words))]
    return [core] + [k for k in leading if not is_place(k) and distinctive_part(k)]


_LATIN_NAME_WORD = re.compile(r"[A-Za-z0-9][\w&.'’]*")
MAX_NAME_WORDS = 6  # "University of California, Santa Cruz" is five
MAX_NAME_CHARS = 14  # 加州大学圣克鲁兹分校 is ten
# Characters left once the carrier words are out beyond which a question is no question that only
# names an organisation ("hey, quick one for the infra req: anyone ex-Google?" leaves 35); it keeps
# question_terms (~80 ms on 2,000 characters, measured on a 2-core machine) off long messages.
MAX_QUESTION_AROUND_NAME = 200


def _named_organisation(text: str, known: Callable[[], KnownOrganisations]) -> Filter | None:
    """The organisation a question names when it says nothing else (every word of it left once
    the words carrying a list question are out lies in one name), the name is one that people's
    entries or the alias tables know, and it is not asked about as a topic ("worked on Spark",
    用过阿里云, a name of the field table)."""
    span = _content_span(text)
    if span is None:
        return None
    name = text[span[0]:span[1]]
    if not _could_name(name) or names_a_field(name) or _topic_cue_before(text, *span):
        return None
    organisations = known()
    kinds = organisations.kinds(name)
    if kinds:
        return Filter(_kind_asked(text, kinds), name)
    pieces = [p.strip() for p in _OR.split(re.sub(r"(?<![A-Za-z])ex-", "", name)) if p.strip()]
    kinds_each = [organisations.kinds(p) for p in pieces]  # "Google or Meta", 清华或北大
    if len(pieces) > 1 and all(kinds_each):
        return Filter(_kind_asked(text, set().union(*kinds_each)), pieces[0], tuple(pieces[1:]))
    return None


def _content_span(text: str) -> tuple[int, int] | None:
    """The stretch of the question from its first to its last word that is neither a carrier
    word nor recruiting chat; None when there is none or it is longer than a name."""
    left = _carrier().sub(" ", text.replace("-", " "))
    if len(" ".join(left.split())) > MAX_QUESTION_AROUND_NAME:
        return None  # not a question about one name; and question_terms is slow on long text
    words = [t.text for t in question_terms(left) if not t.parts]
    found = [_locate(text, w) for w in words]
    if not found or None in found:
        return None
    start, end = min(s for s, _ in found), max(e for _, e in found)
    end += _rest_of_the_name(text[end:])
    name = text[start:end]
    if len(_LATIN_NAME_WORD.findall(name)) > MAX_NAME_WORDS or len(name) > 60 or \
            has_cjk(name) and len(name) > MAX_NAME_CHARS:
        return None
    return start, end


_NEXT_CAPITALISED = re.compile(r"\s+[A-Z][\w&'’-]*")


def _rest_of_the_name(after: str) -> int:
    """How far a capitalised name runs on past its last content word, over capitalised words
    the chat register drops ("Microsoft Office", "Google Ads" are not Microsoft and Google)."""
    length = 0
    while (m := _NEXT_CAPITALISED.match(after, length)) and not _carrier().fullmatch(m.group().strip()):
        length = m.end()
    return length


def _locate(text: str, word: str) -> tuple[int, int] | None:
    edge = "" if has_cjk(word) else r"(?<![A-Za-z0-9])"
    m = re.search(edge + re.escape(word) + ("" if has_cjk(word) else r"(?![A-Za-z0-9])"), text)
    return m.span() if m else None


def _could_name(name: str) -> bool:
    """Written like a name (capitalised, Chinese, or a form of the alias tables: "google"),
    with a word that is not a generic one ("Research", 大学)."""
    if not (name[:1].isupper() or name[:1].isdigit() or has_cjk(name) or tables_of(name)):
        return False
    return len(distinctive_part(name)) >= 2 and not _carrier().fullmatch(name)


@lru_cache(maxsize=1)
def _cue_patterns() -> dict[str, re.Pattern[str]]:
    data = _wording()["organisation"]
    return {key: _words_pattern([w for w in data[key] if not has_cjk(w)],
                                [w for w in data[key] if has_cjk(w)])
            for key in ("school_cues", "employer_cues")}


def _topic_cue_before(text: str, start: int, end: int) -> bool:
    """Whether the words right before the name make it a topic ("worked on X", "experience
    with X", 用过X), or those right after it do (X方面的经验)."""
    before = " ".join(text[:start].rstrip(" -").lower().split()[-2:])
    for cue in _wording()["organisation"]["topic_cues"]:
        if before.endswith(cue) and (has_cjk(cue) or before == cue or before.endswith(" " + cue)):
            return True
    after = text[end:].lstrip()
    return any(after.startswith(cue) for cue in _wording()["organisation"]["topic_cues_after"])


def _kind_asked(text: str, kinds: set[str]) -> str:
    """Employer or school: what the documents know the name as; when both (a university people
    work at and study at), what the question's words say; "organisation" (either) otherwise."""
    if len(kinds) == 1:
        return next(iter(kinds))
    school = bool(_cue_patterns()["school_cues"].search(text))
    employer = bool(_cue_patterns()["employer_cues"].search(text))
    if school != employer:
        return "school" if school else "employer"
    return "organisation"


# --- matching entries --------------------------------------------------------------------

_ORG_NOISE = re.compile(r"\b(?:the|of|at|inc|ltd|llc|co|corp|corporation|company|gmbh|group|"
                        r"limited|plc)\b")
_ACRONYM_SKIP = {"of", "the", "at", "and", "for", "in", "de", "da", "di", "&"}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", text).casefold()


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", _ORG_NOISE.sub(" ", _fold(text)))


@lru_cache(maxsize=1024)
def organisation_forms(asked: str, *tables: str) -> tuple[str, ...]:
    """Every way the asked organisation is written: as asked, and its rows in the alias tables
    (a row matches when the asked name is one of its forms, or holds one of them as whole words)."""
    forms = [asked, *aliases_of(asked)]
    asked_core = _core(asked)
    for row in rows(*tables):
        if any(_core(form) == asked_core for form in row if _core(form)):
            forms.extend(row)
    return tuple(dict.fromkeys(f for f in forms if f.strip()))


_GENERIC = re.compile(r"\s(?:university|universität|universite|université|college)$|(?:大学|大學)$")


def _core(name: str) -> str:
    """A name without a trailing generic school word, to find its row: "Tsinghua University" and
    "Tsinghua" are one school ("University of Washington" keeps its words: "Washington
    University" is another school)."""
    folded = _GENERIC.sub(" ", " ".join(_words(name))) if not has_cjk(name) else \
        _GENERIC.sub("", re.sub(r"\s+", "", name))
    return " ".join(folded.split())


def _acronym(name: str) -> str:
    words = [w for w in re.findall(r"[^\W_]+", _fold(name)) if w not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def same_organisation(forms: Sequence[str], written: str) -> bool:
    """Whether a written employer/school name is one of the asked organisation's forms: equal
    words, the form's words inside the written name (Google ⊂ Google LLC), a Chinese form inside
    the written name (字节跳动 ⊂ 北京字节跳动科技有限公司), or an acronym of it (UW)."""
    written_words = " ".join(_words(written))
    if not written_words:
        return False
    for form in forms:
        words = " ".join(_words(form))
        if not words:
            continue
        if has_cjk(form):
            if len(form) >= 2 and re.sub(r"\s+", "", form) in re.sub(r"\s+", "", written):
                return True
            continue
        if words == written_words or re.search(rf"(?<!\w){re.escape(words)}(?!\w)", written_words) \
                and _written_whole(words, written):
            return True
        if re.fullmatch(r"[A-Z]{2,6}", form.strip()) and _acronym(written) == form.strip().lower():
            return True
    return False


def mentions_organisation(forms: Sequence[str], header: str) -> bool:
    """Whether an entry's header lines (its citation: organisation, title, dates) name one of
    the forms in full, where the entry's organisation field kept only part of it ("Computer
    Security Lab, Rice University"); acronyms are not matched in running text."""
    words = " ".join(_words(header))
    squeezed = re.sub(r"\s+", "", header)
    for form in forms:
        if has_cjk(form):
            if len(form) >= 2 and re.sub(r"\s+", "", form) in squeezed:
                return True
            continue
        key = " ".join(_words(form))
        if len(key) >= 4 and not re.fullmatch(r"[A-Z]{2,6}", form.strip()) and \
                re.search(rf"(?<!\w){re.escape(key)}(?!\w)", words) and _written_whole(key, header):
            return True
    return False


def _written_whole(key: str, header: str) -> bool:
    """Whether the name is written as a name of its own, not as part of a hyphenated word
    ("Meta" in "Meta-Learning")."""
    if " " in key:
        return True  # several words: no hyphenated word is written that way
    return bool(re.search(rf"(?<![\w-]){re.escape(key)}(?!\w|-\w)", _fold(header)))


def _month_index(value: str | None, today: date, end: bool) -> int | None:
    """Months since year 0 of "YYYY", "YYYY-MM" or "present"; a bare year counts from its middle."""
    if not value:
        return None
    if value == "present":
        return today.year * 12 + today.month - 1
    m = re.match(r"((?:19|20)\d\d)(?:-(\d\d))?", value)
    if not m:
        return None
    month = int(m.group(2)) if m.group(2) else 6
    return int(m.group(1)) * 12 + month - 1


def years_of_experience(entries: list[ExperienceEntry], today: date | None = None,
                        education: list[EducationEntry] | None = None) -> float:
    """Years of professional work: the union of the dated positions other than internships
    (overlapping jobs are counted once), and other than the research or teaching posts a
    person held inside the years of their own degree (a PhD's research assistantship is study,
    not industry experience: `_while_studying`)."""
    today = today or date.today()
    studies = _study_spans(education or [], today)
    spans = []
    for e in entries:
        if e.kind == "intern" or _while_studying(e, studies, today):
            continue
        start, end = _month_index(e.start, today, False), _month_index(e.end, today, True)
        if start is None:
            continue
        end = end if end is not None else start + 1
        if end > start:
            spans.append((start, end))
    total, reach = 0, None
    for start, end in sorted(spans):
        if reach is None or start > reach:
            total += end - start
            reach = end
        elif end > reach:
            total += end - reach
            reach = end
    return total / 12


_STUDENT_POST = re.compile(r"\b(?:research|teaching|graduate|student|doctoral|phd|ph\.d)\b|\bTA\b|"
                           r"助教|助理|研究生|博士生|在读", re.I)


def _study_spans(education: list[EducationEntry], today: date) -> list[tuple[int, int]]:
    """The months of each degree (not a high school) with both ends known or still running."""
    spans = []
    for e in education:
        start, end = _month_index(e.start, today, False), _month_index(e.end, today, True)
        if e.degree != "high-school" and start is not None and end is not None:
            spans.append((start, end))
    return spans


def _while_studying(job: ExperienceEntry, studies: list[tuple[int, int]], today: date) -> bool:
    """A research or teaching post, or one whose title says student, held within a degree's
    years: part of the study."""
    if job.kind != "research" and not _STUDENT_POST.search(job.title or ""):
        return False
    start, end = _month_index(job.start, today, False), _month_index(job.end, today, True)
    if start is None:
        return False
    end = end if end is not None else start + 1
    return any(s <= start and end <= e + 1 for s, e in studies)


@lru_cache(maxsize=256)
def _forms_asked(f: Filter, *tables: str) -> tuple[str, ...]:
    """Every way of writing the organisation asked for, or any of its alternatives (once per
    question, not once per person)."""
    return tuple(dict.fromkeys(form for name in (f.value, *f.also)
                               for form in organisation_forms(name, *tables)))


def _employer_hits(person: CandidateInfo, f: Filter) -> list[ExperienceEntry]:
    forms = _forms_asked(f, "employers", "schools")
    hits = []
    for e in person.experience:
        if not f.interns and e.kind == "intern":
            continue
        if f.interns_only and e.kind != "intern":
            continue
        if f.current and e.end != "present":
            continue
        if same_organisation(forms, e.employer) or mentions_organisation(forms, e.citation.quote):
            hits.append(e)
    return hits


def _school_hits(person: CandidateInfo, f: Filter) -> list[EducationEntry]:
    forms = _forms_asked(f, "schools")
    return [e for e in person.education if e.degree != "high-school" and
            (same_organisation(forms, e.school) or mentions_organisation(forms, e.citation.quote))]


_STUDENT_OF = {"PhD": re.compile(r"\bph\.?\s?d\.?\s*(?:student|candidate|researcher)|\bdoctoral "
                                 r"(?:student|candidate)|博士生|博士研究生|在读博士", re.I),
               "MS": re.compile(r"\bmaster'?s? (?:student|candidate)|硕士生|硕士研究生|在读硕士", re.I)}


def _degree_hits(person: CandidateInfo, label: str) -> list[EducationEntry | ExperienceEntry]:
    """Education entries of the degree, and positions held as a student of it ("Ph.D. Student"
    at a university listed among the jobs: doing a PhD)."""
    wanted = _degree_labels(label)
    studying = _STUDENT_OF.get(label)
    return [e for e in person.education if e.degree in wanted] + \
        [x for x in person.experience if studying and studying.search(x.title or "")]


def _location_hit(person: CandidateInfo, place: str) -> bool:
    """The person's location is the place, or inside it ("Berlin" is in Germany; "Seattle, WA"
    is in the United States: a two-letter state code counts only after a comma)."""
    if person.location is None:
        return False
    text = person.location.text
    inside = places_within(place)
    codes = [c for c in inside if re.fullmatch(r"[A-Z]{2}", c)]
    if any(re.search(rf",\s*{c}\b", text) for c in codes):
        return True
    forms = list(organisation_forms(place, "places"))
    forms += [f for c in inside if c not in codes for f in organisation_forms(c, "places")]
    return same_organisation(forms, text)


def _degree_labels(label: str) -> set[str]:
    """The entry degrees a degree asked for accepts (an MBA is a master's)."""
    return {"MS": {"MS", "MBA"}}.get(label, {label})


def _graduation_hits(person: CandidateInfo, f: Filter) -> list[EducationEntry]:
    """The degrees (not a high school) whose end year lies in the years asked."""
    wanted = _degree_labels(f.of_degree) if f.of_degree else None
    hits = []
    for entry in person.education:
        year = re.match(r"(?:19|20)\d\d", entry.end or "")
        if entry.degree == "high-school" or year is None or wanted and entry.degree not in wanted:
            continue
        if (f.first_year is None or int(year.group()) >= f.first_year) and \
                (f.last_year is None or int(year.group()) <= f.last_year):
            hits.append(entry)
    return hits


def _cited_in_place(citations: list[Citation], place: str) -> bool:
    """Whether an entry the other filters matched is written with the place ("Google, Seattle
    WA" for "from Google in Seattle"): a job or a degree in that place counts as being there."""
    inside = [c for c in places_within(place) if not re.fullmatch(r"[A-Z]{2}", c)]
    forms = [f for p in [place, *inside] for f in organisation_forms(p, "places")]
    return any(mentions_organisation(forms, c.quote) for c in citations)


def match_filters(query: ListQuery, people: list[CandidateInfo],
                  today: date | None = None) -> list[Match]:
    """Every candidate whose entries satisfy every filter, in the order given."""
    out = []
    for person in people:
        match = Match(person)
        for f in query.filters:
            if not _satisfies(person, f, match, today):
                break
        else:
            out.append(match)
    return out


def _satisfies(person: CandidateInfo, f: Filter, match: Match, today: date | None) -> bool:
    if f.kind == "employer":
        cited = _employer_hits(person, f)
    elif f.kind == "school":
        cited = _school_hits(person, f)
    elif f.kind == "organisation":
        cited = [*_employer_hits(person, f), *_school_hits(person, f)]
    elif f.kind == "degree":
        cited = _degree_hits(person, f.value)
    elif f.kind == "years":
        dated = [e for e in person.experience if e.start]
        if not dated:
            return False  # no dated position: how long they have worked is not written
        years = years_of_experience(person.experience, today, person.education)
        low_ok = f.min_years is None or (years > f.min_years if f.strict else years >= f.min_years)
        ok = low_ok and (f.max_years is None or years <= f.max_years)
        if ok:
            jobs = [e for e in dated if e.kind != "intern"] or dated
            match.citations.extend(e.citation for e in jobs[:3])
            match.evidence.append(f"{years:.1f} years of professional experience")
        return ok
    elif f.kind == "graduation":
        cited = _graduation_hits(person, f)
    elif f.kind == "location":
        if _location_hit(person, f.value):
            match.citations.append(person.location.citation)
            return True
        if _cited_in_place(match.citations, f.value):
            return True
        if not f.worked:
            return False
        there = [e.citation for e in person.experience if _cited_in_place([e.citation], f.value)]
        match.citations.extend(there)  # "worked in Hangzhou": a job written with the place
        return bool(there)
    else:
        return False
    if not cited:
        return False
    match.citations.extend(e.citation for e in cited)
    return True
