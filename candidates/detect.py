"""Find the person a document is about: a `Name:` field, a personal-details line
("王小明 / 男 / 1994"), a page title (front matter, "王小明的简历", "# Jane Doe — CV"), or the name
heading the first lines, written alone (or as the heading's link), followed by contact details,
beside a sidebar heading, or over two lines. The line that opens the document may join the name
with a role or places ("# Jane Doe | Data Engineer"), and the line under a bare document title
may write the surname first ("# CV" then "DOE, Jane."). A Chinese name may carry the person's
Latin name in brackets ("王小明(Leo)"). An "about" page with no name line may introduce its author
in the first person ("Hi, I'm Jane Doe, …", "我叫王小明，…").

Only the name is returned, never an offset, so the head is read decoded (HTML entities such as
`&emsp;` become spaces, NFKC) without touching the stored text citations are cut from.

Never invents a name: when nothing looks like one, `detect_name` returns None and the caller
labels the document by its file name and says no name was found.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from functools import lru_cache

from wordfreq import zipf_frequency

from candidates.names import (is_credential, name_slug, name_words, pinyin_words, surname_of,
                              surname_readings)
from candidates.sections import is_document_title, is_heading
from retrieval.aliases import aliases_of, is_place
from retrieval.text import ICON_MARKUP

# How many non-empty lines (front matter and markup removed) may come before the name.
# Real set: every name shown on a first line sits within the first 4; 8 leaves room for a
# title, a date or contact lines above it without reaching into the body.
MAX_LINES = 8
# How many non-empty lines a personal-details line ("王小明 / 男 / 1994") may sit below the top:
# it follows a title, a contact block and a 个人信息 heading (the held-out set's two such lines sit
# 5th and 7th); 30 leaves room for a longer contact block without reading deep into the body.
MAX_DETAIL_LINES = 30
# A word jieba's dictionary knows this often, with a tag other than a person's name (nr…), is
# a word, not a name: 简历, 项目, 高级 (frequencies in the thousands), while names it lists as
# words are tagged nr (高峰, 白雪). A longer dictionary entry not tagged as a name is a term
# (项目经理) whatever its frequency. Only applied to a name-shaped token on a line of its own.
COMMON_WORD_FREQ = 100
# How many words a role or a place joined to the name on the opening line may have: "Senior
# Machine Learning Engineer" is four; a longer field is a sentence or a list, not a label.
MAX_LABEL_WORDS = 4
# An e-mail user name this frequent in English (wordfreq's Zipf scale: about once in three
# million words) is an English word or given name, not a name spelt in pinyin: English given
# names score 2.9-4.6 (selina, angela, kevin), pinyin given names below 2 (xiaoming 1.8, yifan
# 1.8); set on those, no eval figure.
PINYIN_NOT_ENGLISH_ZIPF = 2.5
# A name read off an opening line with no mark between it and a role ("Jane Doe Kernel Engineer")
# has a word rarer than this in English (wordfreq's Zipf scale: "Safonov" 1.1, "Doe" 3.8;
# "Passionate" 4.1, "Building" 5.3, "Better" 5.8): a line whose every word is this common opens
# with a phrase. Set on those examples, no eval figure; "John Smith Engineer" stays unread.
EVERYDAY_ZIPF = 4.0

_CJK_CHARS = r"\u3400-\u9fff"
_CJK_TOKEN = re.compile(rf"^[{_CJK_CHARS}]{{2,4}}$")
_HAS_CJK = re.compile(rf"[{_CJK_CHARS}]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060\ufeff\ufe0e\ufe0f]")
_HTML_LINK = re.compile(r"<a\b[^>]*>.*?</a>", re.I | re.S)
_HTML_TAG = re.compile(r"<[^>]+>")
_MD_LINK = re.compile(r"!?\[[^\]]*\]\([^)]*\)")
# A Markdown heading whose text opens with a link: "# [Jane Doe](https://…)". A link to a
# place in the page ("[Projects](#projects)") is navigation, not a heading's text; links on
# other lines (a project's, an employer's) are dropped as before.
_HEADING_LINK = re.compile(r"^(\s{0,3}#{1,6}\s*[*_]*)\[([^\]]+)\]\((?!#)[^)]*\)")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_MARKUP = re.compile(r"^[#>*\s\-–—=_]+|[*_\s]+$")
_GLUED_INITIAL = re.compile(r"\b([A-Z]\.)(?=[A-Z][a-z])")  # "Z.Luo" → "Z. Luo"
# A Chinese name with its Latin-script name or nickname in brackets after it: "王小明(Leo)",
# "王小明 (Xiaoming Wang)". The bracket is the same person's other name, not part of this one.
_LATIN_ALIAS = re.compile(rf"(?<=[{_CJK_CHARS}])\s*\([A-Za-z][A-Za-z .'’-]{{0,38}}\)")
# A name with the full name the person goes by in brackets after it: "Hsiang-Jui Lin (Jerry
# Lin)". Read without it; a one-word nickname ("Robert (Bob) Doe") stays part of the name.
_GOES_BY_NAME = r"\([A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2}\)"
_GOES_BY = re.compile(rf"(?<=[A-Za-z])\s+{_GOES_BY_NAME}")
# A first-person introduction opening an "about" page: "Hi, I'm Jane Doe, a …", "I am Jane Doe.",
# "My name is Jane Doe and …", "我叫王小明，", "我是王小明。". The name is the capitalised words
# after it up to a comma, a full stop or "and"; "I am a software engineer" names no one.
_INTRODUCTION = re.compile(r"(?:^|(?<=[\s,.!;:]))(?:I['’]m|I am|[Mm]y name is|[Mm]y name['’]s)\s+"
                           r"(?P<name>[^\W\d_][^,.;:!?()\n]{1,40}?)\s*(?=[,.;!]|\s+and\b|$)")
_INTRODUCTION_ZH = re.compile(rf"(?:我叫|我的名字是|我是)\s*(?P<name>[{_CJK_CHARS}]{{2,4}})(?=[，,。.！!、；;\s]|$)")
_FIELD_SEPARATOR = re.compile(r"\s*(?:[|·•§;，,\t]|\s{2,}|\s[-–—]\s)\s*")
_CONTACT = re.compile(r"@|https?:|www\.|\d{3}|[/:]|[a-z]\.(?:[a-z]{2,})\b|^[(+]*\d", re.I)
_LABEL = re.compile(r"^([^\W\d_][\w\-]*)\s*[:：]$")
# A name field, its key in bold or a bullet ("- **Name:** Jane Doe", "**姓名**：张伟").
_NAME_FIELD = re.compile(r"^[\s*_\-•#>|]*(?:name|full name|姓\s*名|名\s*字)[*_]*\s*[:：][*_\s]*(.+?)\s*$",
                         re.I | re.M)
_EMPHASIS = re.compile(r"^[*_\s]+|[*_\s]+$")
# The fields of a personal-details line: "王小明 / 男 / 1994", "王小明｜女｜28岁｜杭州".
_DETAIL_SEPARATOR = re.compile(r"\s*[/／|｜丨]\s*")
_BIRTH_YEAR = re.compile(r"^(?:19|20)\d{2}(?:\s*[.\-年]\s*\d{1,2}\s*月?)?\s*(?:年|生|出生|年生|年出生)?$")
# An age or a birth date marked as one ("28岁", "1994年生"): a bare year may be a project's.
_MARKED_AGE = re.compile(r"^(?:\d{1,2}\s*(?:岁|周岁)|(?:age|aged)\s*\d{1,2}|"
                         r"(?:19|20)\d{2}.*(?:生|出生)|(?:生于|出生于?)\s*(?:19|20)\d{2}.*)$", re.I)
_SHORT_WORD = re.compile(rf"^[{_CJK_CHARS}]{{2,8}}$")  # a place, a degree, an ethnicity: 杭州, 本科
_NEXT_FIELD = re.compile(r"\t|\s{2,}|\||\s+\S{1,8}[:：]")
_FRONT_MATTER = re.compile(r"^\s*(---|\+\+\+)\s*\n(.*?)\n\1\s*(?:\n|$)", re.S)
# Two or more "key: value" lines opening a page, one of them its title, author or name.
_METADATA_BLOCK = re.compile(r"^(\s*)((?:[ \t]*(?:#\+)?[A-Za-z][\w-]{0,20}[ \t]*:[ \t]*\S[^\n]*\n){2,})",
                             re.I)
_FRONT_KEY = re.compile(r"^(?:#\+)?(title|name|author)\s*[:=]\s*[\"']?(.*?)[\"']?\s*$", re.M | re.I)
_TITLE_WORDS = re.compile(
    r"(?:\s*[-–—|:：·]?\s*(?:的)?(?:个人|求职)?(?:简历|履历)|\s*(?:-{1,3}|[–—|:：·,])\s*"
    r"(?:cv|resume|résumé|curriculum vitae)|\s+(?:cv|resume|résumé))\s*$", re.I)
_TITLE_PREFIX = re.compile(r"^(?:(?:cv|resume|résumé|curriculum vitae)\s*[-–—|:：·]\s*|"
                           r"(?:个\s*人\s*|求\s*职\s*)?(?:简\s*历|履\s*历)(?:\s*[-–—|:：·]\s*|\s+))", re.I)
# A name written surname first: "DOE, Jane.", "Doe, Jane Q." (a full stop may end the line).
_SURNAME_FIRST = re.compile(r"^(?P<family>[^,]+),\s*(?P<given>[^,]+?)(?:(?<=[^\W\d_]{2})\.)?$")
# What joins a name with labels on the opening line: a pipe, a bullet, a spaced dash.
_LABEL_SEPARATOR = re.compile(r"\s*(?:[|·•§]|\s[-–—]\s)\s*")
_EMAIL = re.compile(r"(?<![A-Za-z0-9.+-])([A-Za-z][\w.+-]{0,63})@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Words that end a role ("Kernel Engineer", "Data Scientist") on an opening line.
_ROLE_WORD = re.compile(r"(?:Engineer|Developer|Scientist|Researcher|Architect|Programmer|Designer|"
                        r"Analyst|Consultant|Manager|Student|Candidate|Professor|Lead)s?", re.I)
_ORG_ENDINGS = ("大学", "学院", "学校", "公司", "集团", "科技", "中心", "研究所", "医院", "银行",
                "省", "市", "县")


def detect_name(text: str, max_lines: int = MAX_LINES) -> str | None:
    """The display name of the person a document is about, or None when none is visible."""
    head = unicodedata.normalize("NFKC", html.unescape(_ZERO_WIDTH.sub("", text[:6000])))
    head = ICON_MARKUP.sub(" ", _without_symbols(head))
    body, front = _split_front_matter(head)
    lines = [c for c in (_clean(line) for line in body.splitlines()) if c]
    name = (_from_name_field(head) or _from_details_line(lines) or _from_front_matter(front)
            or _from_first_lines(lines[:max_lines]) or _from_introduction(lines[:max_lines])
            or _from_details_after_gender(lines) or _from_name_before_role(lines[:1])
            or _from_email(head) or _from_bold_author(text))
    return _with_the_name_gone_by(name, head) if name else None


def _with_the_name_gone_by(name: str, head: str) -> str:
    """The name with the full name the person goes by, where the document writes it in
    brackets right after their name ("Hsiang-Jui Lin (Jerry Lin)"): a look-up by either finds
    them (`candidates.names`). Read without it, so put back here."""
    latin = " ".join(w for w in name.split() if not _HAS_CJK.search(w))
    if not latin:
        return name
    found = re.search(rf"{re.escape(latin)}\s*({_GOES_BY_NAME})", head)
    return name.replace(latin, f"{latin} {found.group(1)}", 1) if found else name


def _without_symbols(text: str) -> str:
    """The text without pictographs and other symbols ("🧑‍💻 王小明", "📞 …"): a name never holds one."""
    return "".join(" " if unicodedata.category(ch) == "So" else ch for ch in text)


def name_key(name: str) -> str:
    """A stable, script-independent id part for a name (see `candidates.names.name_slug`)."""
    return name_slug(name)


# --- where a name is written ---------------------------------------------------------------

def _from_name_field(head: str) -> str | None:
    """`Name: Jane Doe`, `姓名：张伟  性别：男`, `姓名: 张伟 <br>`: the value up to the next field
    (an HTML tag ends a field too) without the emphasis around it."""
    for match in _NAME_FIELD.finditer(head[:3000]):
        value = _EMPHASIS.sub("", _HTML_TAG.sub("\t", match.group(1)))
        value = _EMPHASIS.sub("", _NEXT_FIELD.split(value)[0])
        name = _cjk_name(value, strong=True) or _latin_name(value.split())
        if name:
            return name
    return None


def _from_details_line(lines: list[str]) -> str | None:
    """A line of personal details whose first field is a Chinese name: "王小明 / 男 / 1994"
    (often a bullet under 个人信息, with no name heading). The other fields must all be details
    (gender, birth year or age, phone, a place) and one of them a gender or a marked age ("28岁",
    "1994年生"): a project line "周报系统 / 后台 / 2019" has a surname-initial first field and a
    bare year, and is not read as one."""
    for line in lines[:MAX_DETAIL_LINES]:
        fields = [f.strip() for f in _DETAIL_SEPARATOR.split(line) if f.strip()]
        name = _detail_field_name(fields, 0)
        if name:
            return name
    return None


def _from_details_after_gender(lines: list[str]) -> str | None:
    """A personal-details line that puts the name after the gender ("男 / 王小明 / 138…"), read
    only when nothing else names the person: the field right after a gender or a marked age,
    never a word the dictionary knows (文员, a company's name)."""
    for line in lines[:MAX_DETAIL_LINES]:
        fields = [f.strip() for f in _DETAIL_SEPARATOR.split(line) if f.strip()]
        for i in range(1, len(fields)):
            before = fields[i - 1]
            if _is_gender(before) or _MARKED_AGE.match(before):
                name = _detail_field_name(fields, i)
                if name:
                    return name
    return None


def _detail_field_name(fields: list[str], i: int) -> str | None:
    """Field `i` of a details line as a name, when every other field is a detail and one of them
    a gender or a marked age; the first field may be any name (rare surnames), a later one only a
    name-shaped token that is no dictionary word and no place."""
    if len(fields) < 2 or i >= len(fields):
        return None
    field, rest = fields[i], fields[:i] + fields[i + 1:]
    if surname_of(field) is None or is_place(field) or \
            not any(_is_gender(f) or _MARKED_AGE.match(f) for f in rest) or \
            not all(_is_personal_detail(f) for f in rest):
        return None
    return _cjk_name(field, strong=True) if i == 0 else _cjk_name(field, strong=False, alone=False)


def _is_gender(field: str) -> bool:
    return field.strip().lower() in name_words()["genders"]


def _is_personal_detail(field: str) -> bool:
    """A gender, a birth year or age, a phone number, or a short word such as a place ("杭州")."""
    field = field.strip()
    return bool(_is_gender(field) or _BIRTH_YEAR.match(field) or _MARKED_AGE.match(field)
                or _CONTACT.search(field) or _SHORT_WORD.match(field))


def _split_front_matter(head: str) -> tuple[str, str]:
    """A Markdown page's YAML (---) or TOML (+++) front matter, or the unfenced metadata block a
    page may open with (MultiMarkdown's "Title: …" lines, org-mode's "#+AUTHOR: …"), and the
    text after it."""
    match = _FRONT_MATTER.match(head) or _METADATA_BLOCK.match(head)
    return (head[match.end():], match.group(2)) if match else (head, "")


def _from_front_matter(front: str) -> str | None:
    """A page whose `title:` (or `name:`, `author:`) is the person's name."""
    for match in _FRONT_KEY.finditer(front):
        name = _name_in_title(match.group(2))
        if name:
            return name
    return None


def _name_in_title(title: str) -> str | None:
    """The name in a page or document title: "王小明-简历", "Jane Doe — CV", "Jane Doe"."""
    stripped = _TITLE_PREFIX.sub("", _TITLE_WORDS.sub("", title.strip())).strip()
    if not stripped:
        return None
    titled = stripped != title.strip()
    return _cjk_name(stripped, strong=titled) or _latin_name(stripped.split()) or \
        _name_in_two_scripts(stripped.split())


def _from_first_lines(lines: list[str]) -> str | None:
    half: str | None = None  # the first word of a name printed over two lines
    after_title = False  # the line before was the document's bare title ("# CV")
    for i, line in enumerate(lines):
        name = _name_in_line(line, opening=i == 0 or after_title) or \
            (_surname_first(line) if after_title else None)
        if name:
            return name
        word = _lone_word(line)
        if half and word and _latin_name([half, word]) and _same_case(half, word):
            return f"{half} {word}"
        half = word
        if is_heading(line):
            break  # the document opens straight with a section: no name line
        after_title = is_document_title(line)
    return None


def _from_introduction(lines: list[str]) -> str | None:
    """A page that introduces its author in the first person in its opening lines ("Hi, I'm
    Jane Doe, a data engineer …", "我叫王小明，…"), when no line is headed by the name: an
    "about" page. Read only when nothing else names the person."""
    for line in lines:
        for match in _INTRODUCTION.finditer(line):
            name = _latin_name(match.group("name").split())
            if name and not is_place(name):
                return name
        for match in _INTRODUCTION_ZH.finditer(line):
            name = _cjk_name(match.group("name"), strong=False)
            if name:
                return name
    return None


def _from_email(head: str) -> str | None:
    """The name the first e-mail address spells in pinyin ("zhouyifan.z0@…" → Zhou Yifan,
    "xiaoming.zhang@…" → Xiaoming Zhang), in a document written in Chinese that no other reading
    found a name in: its name line did not extract (a PDF whose name is set in a font with no
    Unicode map reads as "(cid:1201)(cid:2302)"). Only when the user name's letters are two or
    three pinyin syllables, the first or the last a surname, and no English word or name
    ("angela", "mina": `PINYIN_NOT_ENGLISH_ZIPF`)."""
    address = _EMAIL.search(head)
    if not address or not _HAS_CJK.search(_EMAIL.sub("", head)):
        return None
    parts = [p for p in re.split(r"[^a-z]+", address.group(1).lower()) if len(p) >= 2][:2]
    spelt = [pinyin_words(p) for p in parts]
    if not spelt or None in spelt or any(zipf_frequency(p, "en") >= PINYIN_NOT_ENGLISH_ZIPF
                                         for p, words in zip(parts, spelt) if len(words) > 1):
        return None
    syllables = [s for words in spelt for s in words]
    if not 2 <= len(syllables) <= 3:
        return None
    family = surname_readings()
    if syllables[0] + syllables[1] in family and len(syllables) == 3:  # ouyang feng
        syllables = [syllables[0] + syllables[1], syllables[2]]
    if syllables[0] not in family and syllables[-1] not in family:
        return None
    given_part_first = len(spelt) == 2 and len(spelt[1]) == 1 < len(spelt[0])  # "xiaoming.zhang"
    if syllables[-1] in family and (syllables[0] not in family or given_part_first):
        return f"{''.join(syllables[:-1]).capitalize()} {syllables[-1].capitalize()}"
    return f"{syllables[0].capitalize()} {''.join(syllables[1:]).capitalize()}"


# A name set in bold inside a list of authors: "**Jane Q. Doe**, Ann Roe, …", "Ann Roe, __Jane Doe__*".
_BOLD_AUTHOR = re.compile(r"(\*\*|__)(?P<name>[^*_\n]{3,40}?)\1\*?(?=\s*(?:[,;.]|and\b|$))", re.M)
_CITATION_MARK = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\bet al\b|,.*,")
# How many author lists must set the same name in bold: one may be a co-author's emphasis.
MIN_BOLD_AUTHOR_LISTS = 2


def _from_bold_author(text: str) -> str | None:
    """An academic page that never writes its author's name on a line of its own sets it in bold
    in every author list of its publications ("**Jane Q. Doe**, Ann Roe, Bo Li"): the name in bold
    in most such lists, when at least two and no other name is as often."""
    counts: dict[str, int] = {}
    for match in _BOLD_AUTHOR.finditer(text[:60000]):
        if not _CITATION_MARK.search(_line_around(text, match.start(), match.end())):
            continue  # not a list of authors: a year, "et al." or two commas
        name = _latin_name(match.group("name").split()) or _cjk_name(match.group("name"), strong=False)
        if name and not _named_by_the_tables(name):
            counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < MIN_BOLD_AUTHOR_LISTS or len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def _line_around(text: str, start: int, end: int) -> str:
    line_end = text.find("\n", end)
    return text[text.rfind("\n", 0, start) + 1:line_end if line_end >= 0 else len(text)]


def _clean(line: str) -> str:
    line = _HEADING_LINK.sub(r"\1\2", line)  # a heading that links the name reads as its text
    line = _GOES_BY.sub("", _LATIN_ALIAS.sub("", line))
    line = _HTML_LINK.sub(" | ", line)
    line = _HTML_TAG.sub(" ", line)
    line = _MD_LINK.sub(" | ", line)
    line = _GLUED_INITIAL.sub(r"\1 ", line)
    return _MARKUP.sub("", line).strip(" |")


# --- one line ------------------------------------------------------------------------------

def _name_in_line(line: str, opening: bool = False) -> str | None:
    """The name a line is headed by. On the line that `opens` the document (its first, or the
    first under its bare title) a role or places may follow the name."""
    if is_heading(line):
        return None
    titled = _TITLE_WORDS.search(line) or _TITLE_PREFIX.match(line)
    if titled:
        return _name_in_title(line)
    fields = [f for f in _FIELD_SEPARATOR.split(line) if f]
    if not fields:
        return None
    if _HAS_CJK.search(line):
        return _cjk_name_in(fields) or (_name_in_two_scripts(" ".join(fields[:2]).split())
                                        if len(fields) >= 2 else None)  # "Jane Doe | 王小明"
    return _latin_name_heading(fields) or (_name_with_labels(line) if opening else None)


def _from_name_before_role(lines: list[str]) -> str | None:
    """The opening line's name followed by the person's role with no mark between them, as a
    LaTeX header reads once its layout is gone: "Jane Doe Kernel Engineer Last update …". Read
    only when nothing else names the person. The role is a few capitalised words ending in a role
    word (`_ROLE_WORD`) with more text after it; no word of the name is a field's or an
    organisation's ("Embedded Firmware Engineer" is a title)."""
    if not lines:
        return None
    fields = [f for f in _FIELD_SEPARATOR.split(lines[0]) if f]
    return _name_before_role(fields[0]) if fields and not _HAS_CJK.search(lines[0]) else None


def _name_before_role(field: str) -> str | None:
    words = field.split()
    for size in (2, 3):  # a role qualifier ("Kernel") is likelier than a middle name, not an initial
        if size == 2 and len(words) > 2 and _INITIAL.match(words[1]):
            continue
        name = _latin_name(words[:size])
        rest = words[size:size + MAX_LABEL_WORDS]
        if not name or not rest or all(zipf_frequency(w.lower(), "en") >= EVERYDAY_ZIPF for w in words[:size]):
            continue  # "Passionate Full Stack Developer": everyday words, no name
        ends = [i for i, w in enumerate(rest) if _ROLE_WORD.fullmatch(w.strip(",.;:"))]
        if ends and all(w[:1].isupper() for w in rest[:ends[0] + 1]) and \
                len(words) > size + ends[0] + 1 and not any(_named_by_the_tables(w) for w in words[:size]):
            return name
    return None


def _cjk_name_in(fields: list[str]) -> str | None:
    """A Chinese name heading a line ("张伟 某某大学 2014 届", "徐 赞 工作经历"), or standing as
    one field among contact details ("(+86) 176… | 周伟林 | wl@…")."""
    tokens = fields[0].split()
    if 2 <= len(tokens) <= 4 and all(len(t) == 1 and _HAS_CJK.match(t) for t in tokens):
        tokens = ["".join(tokens)]  # "李 华 乾": a name spaced out character by character
    both = _name_with_its_latin_form(tokens, fields)
    if both:
        return both
    heads = [tokens[0]] + (["".join(tokens[:2])] if len(tokens) > 1 else [])
    if len(tokens) > 1 and surname_of(tokens[0]) is not None and len(tokens[0]) <= 2:
        heads.reverse()  # "徐 赞": a surname, then the given name after a space
    alone = len(fields) == 1 and len(tokens) <= 2
    for head in heads:
        name = _cjk_name(head, strong=False, alone=alone)
        if name:
            return name
    tokens = [t for f in fields for t in f.split()]
    for i, token in enumerate(tokens):
        if all(_CONTACT.search(t) for t in tokens[:i] + tokens[i + 1:]):
            name = _cjk_name(token, strong=False)
            if name:
                return name
    return None


def _name_with_its_latin_form(tokens: list[str], fields: list[str]) -> str | None:
    """A line of one field that is a name in two scripts ("Eric Tsu 曲强"), or of two fields, a
    Chinese name and its Latin form ("李华乾 | Andy Lee")."""
    if len(fields) == 1:
        return _name_in_two_scripts(tokens)
    if len(fields) == 2 and len(tokens) == 1:
        return _name_in_two_scripts(tokens + fields[1].split())
    return None


def _name_in_two_scripts(tokens: list[str]) -> str | None:
    """A line that is one name written twice, Latin and Chinese ("Eric Tsu 曲强", "曲强 Eric Tsu"):
    as written, so either form finds the person."""
    chinese = [t for t in tokens if _HAS_CJK.search(t)]
    latin = [t for t in tokens if not _HAS_CJK.search(t)]
    if len(chinese) != 1 or not latin or tokens.index(chinese[0]) not in (0, len(tokens) - 1):
        return None
    written = " ".join(latin)
    if _latin_name(latin) and _cjk_name(chinese[0], strong=False) and not is_place(written) \
            and not _named_by_the_tables(written):
        return " ".join(tokens)
    return None


def _named_by_the_tables(text: str) -> bool:
    """An organisation of the alias table or a field of the topic table ("Google Brain", "Spring
    Boot", "Firmware"): not a person's name."""
    from retrieval.lexicon import names_a_field  # the tables: loaded only when a reading needs them

    return bool(aliases_of(text)) or names_a_field(text) or \
        any(bool(aliases_of(w)) or names_a_field(w) for w in text.split() if len(w) > 2)


def _latin_name_heading(fields: list[str]) -> str | None:
    """A Latin-script name heading a line, alone or followed by contact details, a degree or a
    heading beside it. "Go, Kubernetes" or "Portland, Oregon" are lists, not names."""
    words = fields[0].split()
    for size in range(min(len(words), 5), 1, -1):
        name = _latin_name(words[:size])
        if name and _only_details(words[size:], fields[1:]):
            return name
    return None


def _name_with_labels(line: str) -> str | None:
    """A name joined by pipes, bullets or dashes with the person's role or places, on the line
    that opens the document: "Jane Doe | Data Engineer", "JANE DOE | ESTONIA | TARTU". A place
    opening the line ("San Francisco | CA") is not a name."""
    fields = [f for f in _LABEL_SEPARATOR.split(line) if f]
    if len(fields) == 1 and line.count(",") == 1:  # "Jane Doe, Senior Data Engineer"
        name, role = (part.strip() for part in line.split(","))
        words = role.split()
        return _latin_name(name.split()) if not is_place(name) and 1 <= len(words) <= MAX_LABEL_WORDS \
            and all(w[:1].isupper() for w in words) and _ROLE_WORD.fullmatch(words[-1]) else None
    if len(fields) < 2 or "," in fields[0] or is_place(fields[0]):
        return None
    name = _latin_name(fields[0].split())
    return name if name and all(_is_label_field(f) for f in fields[1:]) else None


def _is_label_field(field: str) -> bool:
    """A role, a place or contact details: a few capitalised words ("Data Engineer", "Tartu,
    Estonia"), or contact tokens only; never a year."""
    words = [w.strip(",") for w in field.split() if w.strip(",")]
    if _YEAR.search(field):
        return False  # a date: the line is a job's or a school's
    if _CONTACT.search(field):
        return all(_is_detail(w) for w in words)
    return 1 <= len(words) <= MAX_LABEL_WORDS and \
        all(_name_word(w) or is_credential(w) or not re.search(r"\w", w) for w in words)


def _surname_first(line: str) -> str | None:
    """A name written surname first on the line under the document's bare title ("# CV", then
    "DOE, Jane." or "Doe, Jane Q."), as "Jane Doe". A place written the same way ("TORONTO, ON",
    "Berlin, Germany") is not one: a known place, or a region's two-capital code after it."""
    match = _SURNAME_FIRST.match(line)
    if not match:
        return None
    family, given = match.group("family").split(), match.group("given").split()
    if not 1 <= len(family) <= 3 or not 1 <= len(given) <= 3:
        return None
    if is_place(match.group("family")) or is_place(match.group("given")) or \
            (len(given) == 1 and len(given[0]) == 2 and given[0].isupper()):
        return None
    if _latin_name(given + family) is None and _latin_name(family + given) is None:
        return None  # as written too: "LI, Wei" is a surname, not a region's code at the end
    return " ".join(given + family)


def _only_details(rest_words: list[str], rest_fields: list[str]) -> bool:
    """Whether what follows a name on its line is contact details, credentials or a heading."""
    rest = " ".join(rest_words)
    if rest and is_heading(rest):
        return True
    tokens = rest_words + [w for f in rest_fields for w in ([f] if _CONTACT.search(f) else f.split())]
    return all(_is_detail(t) for t in tokens) or _contact_with_noise(tokens)


def _is_detail(token: str) -> bool:
    return bool(is_credential(token) or _CONTACT.search(token) or _is_label(token)
                or not re.search(r"\w", token))


def _is_label(token: str) -> bool:
    match = _LABEL.match(token)
    return bool(match) and match.group(1).lower() in name_words()["contact_labels"]


def _contact_with_noise(tokens: list[str]) -> bool:
    """Contact details that the text layer garbled (icons and links interleaved into letters):
    at least one contact token, and no capitalised word among the rest."""
    return any(_CONTACT.search(t) for t in tokens) and \
        not any(t[:1].isupper() and not _is_detail(t) for t in tokens)


def _lone_word(line: str) -> str | None:
    """A single capitalised word heading a line, with only contact details after it: one half
    of a name printed over two lines."""
    fields = [f for f in _FIELD_SEPARATOR.split(line) if f]
    words = fields[0].split() if fields else []
    if not words or not _name_word(words[0]) or len(words[0]) < 2:
        return None
    if words[0].lower() in name_words()["not_name"] or is_heading(words[0]):
        return None
    return words[0] if _only_details(words[1:], fields[1:]) else None


def _same_case(a: str, b: str) -> bool:
    return a.isupper() == b.isupper()


# --- is it a name --------------------------------------------------------------------------

_NAME_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’\-])*$")
_INITIAL = re.compile(r"^[^\W\d_]\.?$")
_NICKNAME_MARKS = "“”\"‘’'()"  # Jane “JJ” Doe, Jane (JJ) Doe


def _name_word(word: str) -> bool:
    return bool(_NAME_WORD.match(word)) and word[0].isupper() and not _HAS_CJK.search(word)


def _latin_name(words: list[str]) -> str | None:
    """The words as a name ("Andrew Z. Luo", "JAN KÜSTER", "Maria de la Cruz, PhD"), or None."""
    words = [w.strip(",") for w in words if w.strip(",")]
    while words and is_credential(words[-1]) and len(words) > 2:
        words.pop()
    lexicon = name_words()
    # a particle comes before a surname ("Maria das Dores"); a capitalised one ending the name is
    # the surname itself (Das, Le, Du are surnames)
    last_is_surname = bool(words) and words[-1][:1].isupper()
    core = [w.strip(_NICKNAME_MARKS) for i, w in enumerate(words)
            if w.lower() not in lexicon["particles"] or (i == len(words) - 1 and last_is_surname)]
    if not 2 <= len(core) <= 4 or len(" ".join(words)) > 40:
        return None
    if not all(_name_word(w) or (_INITIAL.match(w) and w[0].isupper()) for w in core):
        return None
    if not any(len(w.rstrip(".")) > 1 for w in core) or not last_is_surname and \
            words[-1].lower() in lexicon["particles"]:
        return None
    if any(w.lower().strip(".") in lexicon["not_name"] for w in words):
        return None
    last = core[-1]
    if len(last) == 2 and last.isupper() and not all(w.isupper() for w in core):
        return None  # "San Francisco CA": a place with its state code
    return " ".join(words)


def _cjk_name(token: str, strong: bool, alone: bool = True) -> str | None:
    """A Chinese name of 2-4 characters. In a title or a name field (`strong`) any such token
    that is not a resume word is a name (rare surnames included); on a line of its own it must
    start with a known surname and not be an everyday word (or be a name in jieba's dictionary)."""
    token = re.sub(r"\s+", "", token)
    if not _CJK_TOKEN.match(token) or token in name_words()["not_name_zh"]:
        return None
    if any(token.endswith(e) for e in _ORG_ENDINGS) and len(token) > 2:
        return None
    if strong:
        return token
    tag, freq = _dictionary_entry(token)
    if tag.startswith("nr"):
        return token
    if tag and (freq >= COMMON_WORD_FREQ or len(token) > 2 or not alone):
        return None  # an everyday word or term (简历, 项目经理), not a name
    if surname_of(token) is None:
        return None
    return None if _is_phrase(token) else token


@lru_cache(maxsize=1)
def _jieba():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab


def _is_phrase(token: str) -> bool:
    """Whether jieba reads the token as two or more everyday words (项目 + 经理), none a name."""
    pieces = _jieba_module().lcut(token, HMM=False)
    return len(pieces) > 1 and all(
        len(p) > 1 and _dictionary_entry(p)[0] and not _dictionary_entry(p)[0].startswith("nr")
        for p in pieces)


def _jieba_module():
    _jieba()
    import jieba

    return jieba


def _dictionary_entry(word: str) -> tuple[str, int]:
    """jieba's part-of-speech tag of a dictionary word ("" when it is not one) and its frequency."""
    freq, tags = _jieba()
    return tags.get(word, ""), freq.get(word, 0)
