"""Resume sections: which lines are headings, and what kind of section a heading names
(education, experience, …), in English and Chinese.

The words are data (`sections.toml` beside this module). A heading is a short line that is a
known heading phrase, or is built like one: English nouns that name sections with their
qualifiers ("Industry Research Experience", "Awards and Accolades"), Chinese words ending in a
section word ("个人项目", "自我描述").
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

from retrieval.text import CJK, has_cjk

_DATA = Path(__file__).with_name("sections.toml")
_STRIP = re.compile(r"[^\w\s&/\u4e00-\u9fff]")
_TAG = re.compile(r"<[^>]+>")
_YEAR = re.compile(r"(?:19|20)\d\d")
_JOINERS_EN = re.compile(r"\s*(?:&|/|,|\band\b)\s*")
_JOINERS_ZH = "/&、与和及 "
# A line that is nothing but the document's title: "CV", "Résumé", "Curriculum Vitae", "简历".
_DOCUMENT_TITLE = re.compile(r"cv|resume|résumé|curriculum vitae|(?:个人|求职)?(?:简历|履历)", re.IGNORECASE)


def is_document_title(text: str) -> bool:
    """Whether a line, as written, is only the document's title (not a section, not a name)."""
    return bool(_DOCUMENT_TITLE.fullmatch(text))


MAX_HEADING_CHARS = 48  # longer lines are content (the longest real-set heading is 38 characters)
MAX_EN_WORDS = 6  # "Selected Invited Talks and Interviews" is five words
MAX_ZH_CHARS = 10  # "语言沟通能力", "职业发展经历": six; a sentence is longer


@lru_cache(maxsize=1)
def _tables() -> dict:
    with _DATA.open("rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=1)
def _phrases() -> frozenset[str]:
    data = _tables()
    return frozenset(p.replace(" ", "") for p in data["english"]["phrases"] + data["chinese"]["phrases"])


def _load_fields() -> list[tuple[str, tuple[str, ...]]]:
    return [(field, tuple(words)) for field, words in _tables()["fields"].items()]


# (field, words that name such a section), in the order a summary card shows them.
FIELDS: list[tuple[str, tuple[str, ...]]] = _load_fields()
HEADINGS: list[str] = sorted(_phrases(), key=len, reverse=True)


def heading_text(line: str) -> str:
    """A line without markdown marks, HTML tags, icons, numbering and trailing colons."""
    text = unicodedata.normalize("NFKC", _TAG.sub(" ", line)).strip()
    text = re.sub(r"^(#+|\d+[.)、]|[一二三四五六七八九十]+[、.])\s*", "", text)
    text = _STRIP.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def is_heading(line: str) -> bool:
    """True when a short line names a resume section ("教育背景", "WORK EXPERIENCE", "## Skills")."""
    raw = line.strip()
    if not raw or len(_TAG.sub("", raw)) > MAX_HEADING_CHARS or " | " in raw or "\t" in raw:  # joined cells
        return False
    markdown = raw.startswith("#")
    if not markdown and _has_value_after_colon(raw):  # "Skills: Go, Rust" is a line of content
        return False
    text = heading_text(raw).lower()
    if not text:
        return False
    squeezed = text.replace(" ", "")
    if squeezed in _phrases():
        return True
    if has_cjk(text):
        if _chinese_heading(squeezed) or _extended_phrase(squeezed, text):
            return True
    elif _english_heading(text, raw):
        return True
    return bool(re.match(r"^#{2,3}\s", raw)) and len(text) <= 30 and not _YEAR.search(raw) and \
        not re.search(r"[,.;:，。；]", _TAG.sub("", raw).lstrip("#").strip()[:-1])


def _has_value_after_colon(raw: str) -> bool:
    plain = _TAG.sub("", raw).replace("*", "").strip()
    match = re.search(r"[:：]", plain)
    return bool(match) and bool(plain[match.end():].strip())


def _extended_phrase(squeezed: str, text: str) -> bool:
    """A known Chinese heading followed by a few characters and no date ("工作经验 4年", "技能树")."""
    return not _YEAR.search(text) and any(
        squeezed.startswith(key) and len(squeezed) <= len(key) + 8
        for key in _phrases() if _is_cjk(key))


def _english_heading(text: str, raw: str) -> bool:
    """Section nouns with their qualifiers and joiners, nothing else: "Technical Strengths"."""
    words = [w for w in re.split(r"[\s&/,]+", text) if w]
    if not words or len(words) > MAX_EN_WORDS or _YEAR.search(text):
        return False
    english = _tables()["english"]
    nouns, qualifiers = set(english["nouns"]), set(english["qualifiers"])
    if not all(w in nouns or w in qualifiers for w in words):
        return False
    if not any(w in nouns for w in words):
        return False
    # a sentence fragment in lower case ("work and research") is not a heading
    return raw.isupper() or raw.startswith(("#", "*")) or heading_text(raw)[:1].isupper()


def _chinese_heading(squeezed: str) -> bool:
    """Chinese section words ending in a section head: "个人项目", "关键/重点项目", "IT技能"."""
    text = re.sub(r"^[a-z]{1,4}", "", squeezed)  # a leading acronym ("IT 技能")
    text = "".join(ch for ch in text if ch not in _JOINERS_ZH)
    if not text or len(text) > MAX_ZH_CHARS or not all(_is_cjk(ch) for ch in text):
        return False
    chinese = _tables()["chinese"]
    head = next((h for h in sorted(chinese["heads"], key=len, reverse=True) if text.endswith(h)), None)
    if head is None:
        return False
    return _segments(text[:-len(head)], tuple(chinese["qualifiers"]) + tuple(chinese["heads"]))


def _segments(text: str, words: tuple[str, ...]) -> bool:
    """`text` is a run of `words` (possibly empty)."""
    if not text:
        return True
    return any(text.startswith(w) and _segments(text[len(w):], words) for w in words)


def _is_cjk(text: str) -> bool:
    """Whether the text starts with a Chinese character."""
    return bool(CJK.match(text))


def field_of(section: str | None) -> str | None:
    """"工作经历" → "experience", "Selected Publications" → "publications", unknown → None."""
    if not section:
        return None
    lowered = heading_text(section).lower()
    if _is_cjk(lowered):
        return next((field for field, words in FIELDS if any(w in lowered for w in words)), None)
    for part in _JOINERS_EN.split(lowered):
        field = _field_of_part(part)
        if field is not None:
            return field
    return None


OTHER_KIND = "other"  # a section that is none of a resume's main kinds: talks, service, …


def section_kind(section: str | None) -> str | None:
    """The kind of a passage's section ("experience", "skills", …, as `field_of` reads
    headings); OTHER_KIND when the heading names a section that is none of them ("Invited
    Talks", "Academic Service", "Languages"); None without a heading or for one it does not know.
    Search weighs a passage of an "other" section less (Settings.minor_section_weight)."""
    if not section:
        return None
    kind = field_of(section)
    if kind is not None:
        return kind
    other = set(_tables()["other_sections"]["words"])
    return OTHER_KIND if other & set(heading_text(section).lower().split()) else None


def _field_of_part(part: str) -> str | None:
    """The last word that names a kind decides ("Industry Research Experience" → experience)."""
    other = set(_tables()["other_sections"]["words"])
    for word in reversed(part.split()):
        if word in other:  # "Languages" is other; "Programming Languages" a phrase of skills
            return _field_of_phrase(part)
        for field, words in FIELDS:
            if any(" " not in w and word.startswith(w) for w in words):
                return field
    return _field_of_phrase(part)


def _field_of_phrase(part: str) -> str | None:
    return next((field for field, words in FIELDS if any(" " in w and w in part for w in words)), None)
