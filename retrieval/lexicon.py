"""Cross-lingual term expansion from the corpus's own vocabulary.

Every word of the stored passages (Chinese words segmented with jieba, English words and
adjacent content-word pairs) is embedded once with the configured multilingual embedder. A
question's terms are expanded with the nearest words of the *other* script ("Tencent" → 腾讯,
"量子计算" → "quantum"), so keyword search and the relevance bar work across languages.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from retrieval.aliases import aliases_of
from retrieval.tokens import CJK_STOPWORDS, STOPWORDS, is_cjk, tokenize

EXPANSION_SIMILARITY = 0.6
EXPANSIONS_PER_TERM = 3
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]*[A-Za-z0-9+#]|[A-Za-z]{2,}")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Chinese function words and question scaffolding that never carry a skill or an employer.
ZH_STOPWORDS = frozenset("""
谁 有 有过 做过 做 过 或 或者 和 与 及 以及 的 了 在 是 哪些 哪位 什么 方面 相关 经验 经历 能力 熟悉 掌握 了解
具有 具备 使用 用过 参与 负责 其他 其它 等 一些 发表 过的 关于 哪个 请问 一下 是否 人 候选人 开发 工作 项目
""".split())

Embed = Callable[[list[str]], np.ndarray]


def _segment_cjk(text: str, fine: bool = False) -> list[str]:
    """Chinese words; `fine` adds the shorter words inside long ones (清华大学 → 清华, 大学)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    cut = jieba.lcut_for_search if fine else jieba.lcut
    words: list[str] = []
    for run in _CJK_RUN.findall(text):
        words.extend(w for w in cut(run) if len(w) >= 2 and w not in ZH_STOPWORDS)
    return words


def acronym(term: str) -> str | None:
    """"Mixture-of-Experts" → "MoE", "network function virtualization" → "nfv" (3+ letters)."""
    parts = [p for p in re.split(r"[\s\-]+", term) if p]
    if len(parts) < 3:
        return None
    letters = "".join(p[0] for p in parts if p[0].isalpha())
    return letters if len(letters) >= 3 else None


def _latin_words(text: str) -> list[str]:
    """English words in their written case (the embedder tells "PhD" from "phd")."""
    return [w.strip(".-") for w in _LATIN_WORD.findall(text)]


def vocabulary_of(texts: Iterable[str]) -> set[str]:
    """The words worth embedding: CJK words, English content words and content-word pairs."""
    vocab: set[str] = set()
    for text in texts:
        vocab.update(_segment_cjk(text, fine=True))
        words = _latin_words(text)
        keep = [w.lower() not in STOPWORDS and len(w) > 1 for w in words]
        vocab.update(w for w, k in zip(words, keep) if k and len(w) > 2)
        vocab.update(f"{a} {b}" for (a, ka), (b, kb) in zip(zip(words, keep), zip(words[1:], keep[1:]))
                     if ka and kb and len(b) > 2)
    return vocab


def question_terms(question: str) -> list[str]:
    """The concepts a question asks about, as surface strings (English words/pairs, Chinese words)."""
    terms: list[str] = []
    words = [w for w in _latin_words(question) if w.lower() not in STOPWORDS and len(w) > 1]
    terms.extend(words)
    terms.extend(f"{a} {b}" for a, b in zip(words, words[1:]) if f"{a} {b}" in question)
    triples = (" ".join(words[i:i + 3]) for i in range(len(words) - 2))
    terms.extend(t for t in triples if t in question)
    for phrase in _cjk_phrases(question):
        words = _segment_cjk(phrase)
        if len(phrase) <= 8 and phrase not in words:
            terms.append(phrase)  # "区块链" as well as jieba's "区块"
        terms.extend(words)
    return list(dict.fromkeys(terms))


def _cjk_phrases(text: str) -> list[str]:
    """Runs of Chinese between function words: the phrases a question is made of."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    phrases: list[str] = []
    for run in _CJK_RUN.findall(text):
        current = ""
        for word in jieba.lcut(run):
            if word in ZH_STOPWORDS or len(word) == 1 and not current:
                if current:
                    phrases.append(current)
                current = ""
            else:
                current += word
        if current:
            phrases.append(current)
    return phrases


@dataclass
class Lexicon:
    terms: list[str] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), dtype=np.float32))
    cjk: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @classmethod
    def build(cls, vocabulary: set[str], embed: Embed, cache: dict[str, np.ndarray]) -> "Lexicon":
        """Embed the vocabulary, reusing vectors already in `cache` (which is updated)."""
        terms = sorted(vocabulary)
        missing = [t for t in terms if t not in cache]
        for i in range(0, len(missing), 512):
            batch = missing[i:i + 512]
            for term, vec in zip(batch, _normalized(embed(batch))):
                cache[term] = vec
        if not terms:
            return cls()
        vectors = np.vstack([cache[t] for t in terms]).astype(np.float32)
        return cls(terms=terms, vectors=vectors, cjk=np.array([is_cjk(t) for t in terms]))

    def expand(self, term: str, vector: np.ndarray) -> list[str]:
        """Words of the other script whose meaning is closest to `term`."""
        if not self.terms:
            return []
        other = ~self.cjk if is_cjk(term) else self.cjk
        sims = np.where(other, self.vectors @ vector, -1.0)
        top = np.argsort(-sims)[:EXPANSIONS_PER_TERM]
        return list(dict.fromkeys(self.terms[i] for i in top if sims[i] >= EXPANSION_SIMILARITY))


def _normalized(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


EXPANSION_CREDIT = 0.8  # a match through an embedding neighbour counts a little less than the word


@dataclass(frozen=True)
class Concept:
    """One thing a question asks about, with the keyword-token sets that express it.

    The first `exact` alternatives are the term itself and its known aliases; the rest are
    embedding neighbours from the corpus vocabulary."""

    label: str
    alternatives: tuple[frozenset[str], ...]
    expansions: tuple[str, ...] = ()
    exact: int = 1

    @property
    def tokens(self) -> set[str]:
        return set().union(*self.alternatives) if self.alternatives else set()

    def found_in(self, tokens: frozenset[str] | set[str]) -> float:
        """1 when the term or an alias is in the tokens, less for a neighbour, else 0."""
        best = 0.0
        for i, alt in enumerate(self.alternatives):
            if alt and alt <= tokens:
                if i < self.exact:
                    return 1.0
                best = EXPANSION_CREDIT
        return best


_OR = re.compile(r"\s+or\s+|或者|或是|或|、|\s+and/or\s+|/", re.I)
_PARENTHESES = re.compile(r"[(（]([^()（）]*)[)）]")


def alternatives_of(question: str) -> list[str]:
    """"A or B" → ["A", "B"]; a parenthesis ("speech recognition (ASR)") is an alternative too."""
    inner = [m.group(1) for m in _PARENTHESES.finditer(question)]
    outer = _PARENTHESES.sub(" ", question)
    return [seg for seg in _OR.split(outer) + inner if seg.strip()]


def concepts_for(question: str, lexicon: Lexicon, embed: Embed) -> list[list[Concept]]:
    """The question's concepts, in alternatives: "A or B" gives [[A...], [B...]]."""
    segments = alternatives_of(question)
    per_segment = [question_terms(seg) for seg in segments]
    all_terms = list(dict.fromkeys(t for terms in per_segment for t in terms))
    if not all_terms:
        return []
    vectors = dict(zip(all_terms, _normalized(embed(all_terms))))
    out: list[list[Concept]] = []
    for terms in per_segment:
        concepts = []
        for term in terms:
            own = _spellings(term)
            if not own:
                continue
            known = aliases_of(term) + ((acronym(term),) if acronym(term) else ())
            exact = own + tuple(alt for e in known for alt in _spellings(e))
            neighbours = tuple(e for e in lexicon.expand(term, vectors[term]) if e not in known)
            alts = exact + tuple(alt for e in neighbours for alt in _spellings(e))
            concepts.append(Concept(term, alts, known + neighbours, exact=len(exact)))
        concepts = _drop_covered_pairs(concepts)
        if concepts:
            out.append(concepts)
    return out


def _spellings(term: str) -> tuple[frozenset[str], ...]:
    """Token sets that each spell the term: "front-end" is "frontend" or "front" + "end"."""
    tokens = tokenize(term)
    if not tokens:
        return ()
    if re.search(r"\w[-_]\w", term):
        joined = tokenize(re.sub(r"[-_]", "", term))
        parts = tokenize(re.sub(r"[-_]", " ", term))
        return tuple(dict.fromkeys(frozenset(t) for t in (joined, parts) if t))
    return (frozenset(tokens),)


def _drop_covered_pairs(concepts: list[Concept]) -> list[Concept]:
    """A word pair ("speech recognition") only adds its expansions, not a second requirement."""
    singles = [c for c in concepts if " " not in c.label]
    pairs = [c for c in concepts if " " in c.label]
    out = list(singles)
    for pair in pairs:
        if not pair.expansions:
            continue
        words = pair.label.split()
        for i, c in enumerate(out):
            if c.label in words:  # the pair's spellings are neighbours of each of its words
                out[i] = Concept(c.label, c.alternatives + pair.alternatives[1:],
                                 c.expansions + pair.expansions, exact=c.exact)
    return out


__all__ = ["Lexicon", "Concept", "concepts_for", "vocabulary_of", "question_terms",
           "CJK_STOPWORDS"]
