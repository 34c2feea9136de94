"""Text normalisation shared by every reader: the canonical text citations slice."""

from __future__ import annotations

import re
import unicodedata
# ---------------------------------------------------------------------------------------------
# Text normalisation (shared by every format)

_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
)
_NEWLINE_LIKE = re.compile(r"\r\n?|[\v\f\u2028\u2029\x85]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\u200b]")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_MANY_BLANK_LINES = re.compile(r"\n{4,}")  # 3+ blank lines


def normalize_text(text: str) -> str:
    """NFC, unify newlines, drop control characters and ligatures, at most 2 blank lines in a row."""
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES)
    text = _NEWLINE_LIKE.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _MANY_BLANK_LINES.sub("\n\n\n", text)
    return text.strip()


def is_cjk_char(ch: str) -> bool:
    """Chinese/Japanese characters and CJK punctuation: scripts written without spaces between words."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x2FDF  # radicals
        or 0x3000 <= o <= 0x30FF  # CJK punctuation, kana
        or 0x3100 <= o <= 0x312F  # bopomofo
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x20000 <= o <= 0x3FFFF
    )



_LIST_LABEL = re.compile(r"^[^,，、;；:：]{1,30}[:：]\s*")
_LIST_SEPARATORS = re.compile(r"\s*(?:[,，、;；|•·/]|\s-\s|\band\b|和|及)\s*")
LIST_ITEMS = 3  # items before a line reads as a list
LIST_ITEM_WORDS = 4  # an item of a list is a name: a few words ...
LIST_ITEM_CHARS = 12  # ... or a few Chinese characters


def is_enumeration(line: str) -> bool:
    """Whether a line is a list of names ("Languages: C++, Python, Go", "主要课程：操作系统、
    计算机网络、编译原理", "React / Vue / Angular") rather than a sentence saying what was done:
    after an optional label, at least LIST_ITEMS short items between separators."""
    body = _LIST_LABEL.sub("", line.strip(), count=1)
    items = [i for i in _LIST_SEPARATORS.split(body) if i and i.strip("()（）.。")]
    if len(items) < LIST_ITEMS:
        return False
    return all(len(i.split()) <= LIST_ITEM_WORDS and len(CJK.findall(i)) <= LIST_ITEM_CHARS
               for i in items)


def short_error(error: BaseException, limit: int = 120) -> str:
    message = " ".join(str(error).split()) or type(error).__name__
    return message if len(message) <= limit else message[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Helpers every layer shares: one definition each

# Icons a Markdown page writes beside a field: emoji shortcodes (":phone:", ":student:") and a
# resume template's "icon:user" tokens. Markup, not text: the Markdown reader drops them, and so
# does name detection on text read before this (a stored document is not re-read).
ICON_MARKUP = re.compile(r"(?<![\w:/]):[a-z][a-z0-9_+-]*:(?![a-z0-9/])|(?<![\w/])icon:[a-z][\w-]*", re.I)

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han ideographs, for regex classes
CJK = re.compile(f"[{CJK_CHARS}]")


def has_cjk(text: str) -> bool:
    """Whether the text holds any Chinese character."""
    return bool(CJK.search(text))


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) narrowed so that text[start:end] has no leading or trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The non-blank lines of text[start:end] as absolute (start, end), whitespace trimmed."""
    end = len(text) if end is None else end
    spans, pos = [], start
    for raw in text[start:end].split("\n"):
        s, e = strip_span(text, pos, pos + len(raw))
        pos += len(raw) + 1
        if e > s:
            spans.append((s, e))
    return spans
