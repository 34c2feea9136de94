"""Keyword tokenization for mixed Chinese/English text ("KV Cache 稀疏与量化的联合压缩").

Latin words are lower-cased and stemmed; runs of CJK characters become overlapping bigrams
(a lone character stays a unigram), so no dictionary segmenter is needed and a query term like
"量化" matches inside "稀疏与量化的联合压缩".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

from retrieval.text import CJK, has_cjk

_TOKEN = re.compile(r"[a-z0-9]+(?:[+#]+|(?:[.\-_][a-z0-9]+)+)?|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_STEMMER = Stemmer.Stemmer("english")

# Words that say nothing about what a candidate did: question scaffolding and resume filler.
STOPWORDS = frozenset("""
a an and any anyone anybody are as at be been being by can could did do does done for from had has
have having he her him his how i in into is it its me my of on or our she so some someone than that
the their them they this those to us was we were what when where which who whom whose why will with
would you your there here about also other such used using use experience experienced worked work
working works built build building done doing know knows knowledge familiar skill skills
candidate candidates person people list show find me please tell year years
written write wrote writing develop developed developing implement implemented implementing
design designed designing create created creating make made publish published doing deploy
deployed deploying apply applied led lead involved contributed contributing hands hand
development developer developers engineering good strong solid background expertise expert
field area areas related relevant practical professional research researched researching
makes making builds creates writes uses works worked knows system systems solution solutions
studied study studying graduated attended
""".split())

CJK_STOPWORDS = frozenset("""
谁有 有谁 哪位 哪些 谁做 做过 过大 谁发 发表 表过 关于 方面 面的 的经 经验 验或 或其 相关 关的 开发 发经 经历
有经 有过 什么 哪个 一下 的论 论文 是否 谁是 谁在 在读 的人 候选 选人
""".split())


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word) if word.isalpha() and len(word) > 3 else word


def _cjk_grams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def tokenize(text: str) -> list[str]:
    """All keyword tokens of a text, in order (used to index passages)."""
    tokens: list[str] = []
    # NFKC: full-width Latin and digits in Chinese documents ("Ｐｙｔｈｏｎ") are the same words
    for match in _TOKEN.finditer(unicodedata.normalize("NFKC", text).lower()):
        piece = match.group(0)
        if CJK.match(piece):
            tokens.extend(_cjk_grams(piece))
        elif "-" in piece or "_" in piece:  # "front-end": "frontend" and "front", "end"
            parts = [p for p in re.split(r"[-_]", piece) if p]
            tokens.append(_stem("".join(parts)))
            tokens.extend(_stem(p) for p in parts)
        else:
            tokens.append(_stem(piece))
    return tokens


is_cjk = has_cjk  # the shared definition (retrieval/text.py)
