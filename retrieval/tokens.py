"""Keyword tokenization for mixed Chinese/English text ("KV Cache 稀疏与量化的联合压缩").

Latin words are lower-cased and stemmed; runs of CJK characters become overlapping bigrams
(a lone character stays a unigram), so no dictionary segmenter is needed and a query term like
"量化" matches inside "稀疏与量化的联合压缩"; Traditional characters are read as their Simplified
forms (醫療 = 医疗).
"""

from __future__ import annotations

import logging
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import Stemmer

from retrieval.aliases import cased_forms, document_words
from retrieval.text import CJK, has_cjk

_TOKEN = re.compile(r"[a-z0-9]+(?:[+#]+|(?:[.\-_][a-z0-9]+)+)?|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_STEMMER = Stemmer.Stemmer("english")

_STOPWORD_DATA = Path(__file__).with_name("stopwords.toml")


@dataclass(frozen=True)
class Stopwords:
    """The words a question is carried by (`stopwords.toml`): `stop` words never count, `soft`
    ones only when nothing more specific is asked."""

    stop: frozenset[str]
    soft: frozenset[str]
    bigrams: frozenset[str] = frozenset()  # Chinese scaffolding as keyword-token bigrams


def _words(table: dict, key: str) -> frozenset[str]:
    return frozenset(table.get(key, "").split())


@lru_cache(maxsize=1)
def stopword_tables() -> dict[str, Stopwords]:
    """Language ("english", "chinese") → its stop and soft words."""
    with _STOPWORD_DATA.open("rb") as f:
        raw = tomllib.load(f)
    return {lang: Stopwords(_words(table, "stop"), _words(table, "soft"), _words(table, "cjk_bigrams"))
            for lang, table in raw.items() if "stop" in table}  # [grammar] is not a language


ENGLISH = stopword_tables()["english"]
CHINESE = stopword_tables()["chinese"]
# Not keyword terms of a passage's vocabulary (the lexicon): stop and soft words alike.
STOPWORDS = ENGLISH.stop | ENGLISH.soft
CJK_STOPWORDS = CHINESE.bigrams


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word) if word.isalpha() and len(word) > 3 else word


@lru_cache(maxsize=1)
def _simplified() -> dict[int, str]:
    """Traditional Chinese characters → their Simplified forms (OpenCC's character table, the
    first form where it gives several): 醫療 and 医疗 are one word to keyword search, as they are
    to a reader from Taipei or Beijing."""
    from importlib.resources import files

    table: dict[int, str] = {}
    try:
        text = files("opencc").joinpath("dictionary/TSCharacters.txt").read_text("utf-8")
    except (ModuleNotFoundError, OSError) as error:  # another "opencc" (the C++ bindings) installed
        logging.getLogger("recruit.tokens").warning(
            "Traditional Chinese is read as written: OpenCC's character table was not found (%s); "
            "pip install opencc-python-reimplemented", error)
        return table
    for line in text.splitlines():
        traditional, _, simplified = line.partition("\t")
        simplified = simplified.split(" ")[0]
        if len(traditional) == 1 and len(simplified) == 1 and traditional != simplified:
            table[ord(traditional)] = simplified
    return table


def simplified(text: str) -> str:
    """The text with Traditional Chinese characters written in their Simplified forms."""
    return text.translate(_simplified())


def _cjk_grams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


# Latin letters that carry no mark to drop (NFKD leaves them whole): read as their usual spellings.
_LATIN_LETTERS = {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "ı": "i", "þ": "th",
                  "ð": "d", "ŋ": "n", "ħ": "h", "Ø": "O", "Æ": "AE", "Œ": "OE", "Đ": "D", "Ł": "L",
                  "Þ": "TH", "Ð": "D", "Ŋ": "N", "Ħ": "H"}


@lru_cache(maxsize=1)
def _bare_letters() -> dict[int, str]:
    """Latin letters with diacritics → their bare letters, case kept (ü → u, Ğ → G, ệ → e), so
    "Zürich" and "Zurich", "Boğaziçi" and "Bogazici", "Nguyễn" and "Nguyen" are one word."""
    table = {ord(k): v for k, v in _LATIN_LETTERS.items()}
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        if code in table:
            continue
        letter = chr(code)
        bare = "".join(c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.combining(c))
        if bare != letter and bare.isascii() and bare.isalpha():
            table[code] = bare
    return table


def without_diacritics(text: str) -> str:
    """The text with its Latin letters' diacritics dropped (`_bare_letters`); everything else,
    Chinese included, as it is."""
    return text.translate(_bare_letters())


def tokenize(text: str) -> list[str]:
    """All keyword tokens of a text, in order (used to index passages). Diacritics are dropped:
    a question typed without them ("Bogazici", "Zurich") finds the words written with them."""
    tokens: list[str] = []
    # NFKC: full-width Latin and digits in Chinese documents ("Ｐｙｔｈｏｎ") are the same words
    for match in _TOKEN.finditer(without_diacritics(unicodedata.normalize("NFKC", text)).lower()):
        piece = match.group(0)
        if CJK.match(piece):
            tokens.extend(_cjk_grams(simplified(piece)))
        elif "-" in piece or "_" in piece:  # "front-end": "frontend" and "front", "end"
            parts = [p for p in re.split(r"[-_]", piece) if p]
            tokens.append(_stem("".join(parts)))
            tokens.extend(_stem(p) for p in parts)
        else:
            tokens.append(_stem(piece))
    return tokens


# A word of a phrase ("model parallelism", "continuous batching") may follow the one before it
# by this many keyword tokens ("model and data parallelism": model, and, data, parallel). Two
# words met further apart, or in the other order, are two things said, not the phrase: "dataflow
# graphs across heterogeneous modules" is no heterogeneous graph. Lucene's phrase slop, read in
# tokens; general English grammar (an adjective or two, "X and Y Z"), set on no figure.
PHRASE_REACH = 3
PHRASE_JOIN = " "  # joins the two words of a phrase token ("model parallel"); never in a token


def phrase_tokens(tokens: list[str], reach: int = PHRASE_REACH) -> set[str]:
    """Ordered pairs of Latin tokens at most `reach` apart, as tokens of their own ("model
    parallel"), so a phrase of the topic table is found only where its words stand together.
    Chinese needs none: its bigrams already hold the words together (a token is Chinese from its
    first character on: `_TOKEN` spells Latin tokens in ASCII)."""
    latin = [t if t < _FIRST_CJK else "" for t in tokens]
    pairs: set[str] = set()
    for apart in range(1, reach + 1):
        pairs.update(first + PHRASE_JOIN + second
                     for first, second in zip(latin, latin[apart:]) if first and second)
    return pairs


_FIRST_CJK = "\u3400"  # the lowest character `_TOKEN` reads as Chinese


def sentence_tokens(text: str) -> frozenset[str]:
    """What a sentence says, as the topic's terms are matched against it: its keyword tokens,
    its cased forms ("CV") and its phrase tokens ("model parallel": two words that stand
    together)."""
    tokens = tokenize(text)
    return frozenset(tokens) | phrase_tokens(tokens) | cased_tokens(text)


def sentence_words(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """A sentence's keyword and cased tokens, and its keyword tokens in order, from which only
    the phrases a question asks are read (`held_phrases`): every pair of words a sentence holds,
    made ahead, costs three times its words, for the few a question asks."""
    tokens = tokenize(text)
    return frozenset(tokens) | cased_tokens(text), tuple(tokens)


def held_phrases(words: tuple[str, ...], tokens: frozenset[str], phrases: frozenset[str],
                 reach: int = PHRASE_REACH) -> set[str]:
    """Which of these phrase tokens ("model parallel") a sentence holds: its two words in order,
    at most `reach` tokens apart (the same as `phrase_tokens`, for the phrases asked only)."""
    held: set[str] = set()
    for phrase in phrases:
        first, second = phrase.split(PHRASE_JOIN)
        if first in tokens and second in tokens and any(
                word == first and second in words[i + 1:i + 1 + reach] for i, word in enumerate(words)):
            held.add(phrase)
    return held


_LINE_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+|[\u3400-\u4dbf\u4e00-\u9fff]+")


def cased_tokens(text: str) -> set[str]:
    """The cased forms (`aliases.toml`: "CV") written in capitals in this text, as tokens of their
    own (their capitals: `tokenize` never gives an upper-case token, so "cv" never matches one).
    A form does not count where it names the document: alone on its line, or beside a document
    word ("Download CV", "CV.pdf", "layout: CV")."""
    forms = cased_forms()
    if not forms or not any(f in text for f in forms):
        return set()
    found: set[str] = set()
    for line in text.splitlines():
        words = _LINE_WORD.findall(line)
        here = forms.intersection(words)
        if not here or len(words) == 1:
            continue
        lowered = line.casefold()
        if any(w.casefold() in document_words() for w in words) or \
                any(has_cjk(d) and d in lowered for d in document_words()):
            continue
        found |= here
    return found


is_cjk = has_cjk  # the shared definition (retrieval/text.py)
