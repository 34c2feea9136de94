"""Cross-lingual term expansion from the corpus's own vocabulary.

Every word of the stored passages (Chinese words segmented with jieba, English words and
adjacent content-word pairs) is embedded once with the configured multilingual embedder. A
question's terms are expanded with the nearest words of the *other* script ("Tencent" → 腾讯,
"量子计算" → "quantum"), so keyword search and the relevance bar work across languages.

A question that names a broad field ("mobile app development", 移动端, "finance") also reaches
the specific words resumes use for it instead (iOS, Android, 安卓; bank, hedge fund): the field's
terms in `topics.toml`, domain knowledge kept as data, count as the question's own word. The
embedder does not bring "iPhone application" close to "mobile", so without them a person whose
every bullet is about iOS apps was missed (real set, 62 topic questions: recall@5 0.645 -> 0.757,
MRR 0.895 -> 0.960, false positives 45 -> 36; with a random quarter, half, three quarters of the
terms: recall@5 0.69, 0.71-0.73, 0.75, false positives 36-38 throughout, so each term adds recall
and none adds noise on average). Terms count as the word itself: at the neighbours' 0.8 credit the
figures are the same (0.751 / 0.960).
"""

from __future__ import annotations

import logging
import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

import numpy as np

from retrieval.aliases import aliases_of, cased_forms, is_place, known_names, rows
from retrieval.text import CJK
from retrieval.tokens import CHINESE, CJK_STOPWORDS, ENGLISH, STOPWORDS, is_cjk, phrase_tokens, tokenize

EXPANSION_SIMILARITY = 0.6
EXPANSIONS_PER_TERM = 3
MUTUAL_MARGIN = 0.05
RUNNER_UP_MARGIN = 0.06  # 量子计算: "Quantum Computation" 0.85, "quantization" 0.75 (dropped)
VARIANT_SIMILARITY = 0.85  # same family and meaning ("finance" ~ "Financial" 0.89); real set: 0.8-0.85
# recall@5 +0.003, 0.75 one more false positive and MRR -0.011
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]*[A-Za-z0-9+#]|[A-Za-z]{2,}")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Chinese function words, question scaffolding and soft words (retrieval/stopwords.toml): a
# Chinese question is cut into phrases at them, and they are not words of the vocabulary.
ZH_STOPWORDS = CHINESE.stop | CHINESE.soft

Embed = Callable[[list[str]], np.ndarray]
_WORDING_DATA = Path(__file__).with_name("stopwords.toml")  # also [grammar] and [lead_in]
_MEMO_LIMIT = 100_000  # question terms whose expansions a lexicon remembers


def _jieba():
    """jieba, imported at the first Chinese text: a cold English question skips its 0.25 s."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where the words of a Chinese text lie: jieba's cut, neighbours joined where together
    they are a name of the tables (强化 + 学习, as `_join_known`)."""
    spans: list[tuple[str, int, int]] = []
    for word, start, end in _jieba().tokenize(text):
        if spans and _is_known(spans[-1][0] + word):
            spans[-1] = (spans[-1][0] + word, spans[-1][1], end)
        else:
            spans.append((word, start, end))
    return [(start, end) for _, start, end in spans]


def _segment_cjk(text: str, fine: bool = False) -> list[str]:
    """Chinese words; `fine` adds the shorter words inside long ones (清华大学 → 清华, 大学)."""
    runs = _CJK_RUN.findall(text)
    if not runs:
        return []
    jieba = _jieba()
    cut = jieba.lcut_for_search if fine else jieba.lcut
    words: list[str] = []
    for run in runs:
        words.extend(w for w in cut(run) if len(w) >= 2 and w not in ZH_STOPWORDS)
    return words


def acronym(term: str) -> str | None:
    """"Mixture-of-Experts" → "MoE", "Network Function Virtualization" → "NFV": a hyphenated
    word, or three or more capitalised words, written by their initials."""
    parts = [p for p in re.split(r"[\s\-]+", term) if p]
    hyphenated = "-" in term and " " not in term
    capitalised = all(p[0].isupper() for p in parts if len(p) > 3)
    if len(parts) < 3 or not (hyphenated or capitalised):
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


@dataclass(frozen=True)
class Term:
    """A piece of a question: a word, or a phrase made of `parts` (which are words)."""

    text: str
    parts: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _question_grammar() -> dict:
    """The [grammar], [lead_in], [topic_clause] and [preferences] tables of stopwords.toml."""
    with _WORDING_DATA.open("rb") as f:
        raw = tomllib.load(f)
    return {k: raw.get(k, {}) for k in ("grammar", "lead_in", "topic_clause", "preferences")}


def _either(words: list[str]) -> str:
    """An alternation of words, longest first; a Latin word only whole."""
    latin = sorted((w for w in words if not is_cjk(w)), key=len, reverse=True)
    cjk = sorted((w for w in words if is_cjk(w)), key=len, reverse=True)
    whole = "|".join(re.escape(w) for w in latin)
    return "|".join(([rf"(?<![A-Za-z])(?:{whole})(?![A-Za-z])"] if latin else [])
                    + [re.escape(w) for w in cjk])


@lru_cache(maxsize=1)
def _lead_in() -> re.Pattern[str]:
    """A lead-in clause (stopwords.toml [lead_in]): up to 50 characters, an opening word, up to
    20 more; or an aside (group "aside") and up to 40 more; then a comma, colon, semicolon or
    dash."""
    table = _question_grammar()["lead_in"]
    return re.compile(rf"(?:[^,:;?，：；？—–]{{0,50}}?(?:{_either(table['openings'])})[^,:;?，：；？—–]{{0,20}}|"
                      rf"(?P<aside>{_either(table['asides'])})[^,:;?，：；？—–]{{0,40}})"
                      rf"(?:\s*[,:;，：；]|\s*[—–]+|\s+-+\s)\s*", re.I)


@lru_cache(maxsize=1)
def _asks() -> re.Pattern[str]:
    return re.compile(_either(_question_grammar()["lead_in"]["asks"]), re.I)


@lru_cache(maxsize=1)
def _topic_cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The cues of a topic clause and what ends one (stopwords.toml [topic_clause])."""
    table = _question_grammar()["topic_clause"]
    starts = _either(table["clause_starts"])  # after a comma only: "someone who has X" goes on
    end = rf"\s*(?:[.?!;？。！；]+(?=\s|$)|\s[-–—]+\s|,\s*(?:{starts})|,?\s*(?:{_either(table['ends'])}))"
    return re.compile(_either(table["cues"]), re.I), re.compile(end, re.I)


_JOINER_AT_END = re.compile(r"\s*(?:,|\band\b|\bor\b|&)\s*$", re.I)
_TRAILING_AUXILIARY = re.compile(r"(?:\s+(?:has|have|had|is|are|was|were|also|with|a|an|the|some|any|"
                                 r"got))+\s*$", re.I)
_JOINED_BEFORE = re.compile(r"^(.*?)\s*(?:,|\band\b|&)\s*$", re.I)


def _joined_before(before: str, ends: re.Pattern[str]) -> str:
    """A requirement joined to the first cue's by "and" or a comma ("has built X and worked on
    Y" → "has built X"): the words of the cue's clause before it, when they end so ("a new team
    focused on", "a role that needs" are not joined); "" otherwise."""
    before = before[max((m.end() for m in ends.finditer(before)), default=0):]
    joined = _JOINED_BEFORE.search(_TRAILING_AUXILIARY.sub("", before))
    return joined.group(1) if joined else ""


def topic_clause(question: str) -> str:
    """What a message asks people to have done, when a cue introduces it: the clause after each
    cue, up to the clause's end or the next cue ("We're spinning up a new team focused on
    recommender systems. Who from the pipeline could we talk to?" → "recommender systems"). The
    whole message when it has no such cue, when no clause names anything, or when nothing of the
    message is left out."""
    cues, ends = _topic_cues()
    found = list(cues.finditer(question))
    names_anything = bool(found) and bool(_terms(question, soft_counts=False))  # beyond request words
    pieces = [_joined_before(question[:found[0].start()], ends)] if found else []
    for i, cue in enumerate(found):
        stop = found[i + 1].start() if i + 1 < len(found) else len(question)
        end = ends.search(question, cue.end(), stop)
        piece = _JOINER_AT_END.sub("", question[cue.end():end.start() if end else stop].strip(" ,;:-–—"))
        if _terms(piece, soft_counts=False) or question_terms(piece) and not names_anything:
            pieces.append(piece)  # a clause of request words ("Go experience in this batch") names nothing
    pieces = [p for p in pieces if p]
    clause = " and ".join(pieces)  # each a requirement; few meeting all: either (`either_of_joined`)
    if not pieces or {t.text for t in question_terms(clause)} == {t.text for t in question_terms(question)}:
        return question
    return clause


# What ends a clause of a message: what ends a sentence, a comma, or a dash between spaces (a
# hyphen inside a word, "hands-on", ends none); each clause keeps its end, so the clauses put
# back together are the message as written
_CLAUSE_END = re.compile(r"[,，;；。.!?！？]+\s*|\s[-–—]+\s")


def _clauses(question: str) -> list[str]:
    cuts = [0] + [m.end() for m in _CLAUSE_END.finditer(question)] + [len(question)]
    return [question[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


@lru_cache(maxsize=1)
def _preference_marks() -> tuple[re.Pattern[str], re.Pattern[str]]:
    table = _question_grammar()["preferences"]
    opening = table["openers"] + table.get("exclusions", [])  # a nice-to-have, or what is not asked
    return (re.compile(rf"^\s*(?:{_either(opening)})", re.I),
            re.compile(rf"(?:{_either(table['closers'])})\s*[,，;；。.!?！？]*\s*$", re.I))


def without_preferences(question: str) -> str:
    """The message without the clauses that state a preference ("Who has worked on Kafka?
    Ideally in production." → "Who has worked on Kafka?"; 谁做过推荐系统？有论文加分 → 谁做过推荐系统？):
    a nice-to-have does not decide who matches. The whole message when nothing else asks."""
    opens, closes = _preference_marks()
    clauses = _clauses(question)
    kept = [c for c in clauses if not (opens.search(c) or closes.search(c))]
    if len(kept) == len(clauses):
        return question
    rest = "".join(kept).strip(" ,，;；-–—")
    return rest if question_terms(rest) else question


# A question's own end with more of the message after it: "?" before a space (not a link's
# "?id="), or Chinese "？".
_QUESTION_END = re.compile(r"\?(?=\s+\S)|？(?=\s*\S)")


def without_trailing_statement(question: str) -> str:
    """The question without the statement that follows it ("Who has mentored interns? we are
    starting a mentoring programme" → "Who has mentored interns?";
    有没有做过推荐的？我们在招排序工程师 → 有没有做过推荐的？): after a question that names
    something, a sentence that asks nothing says why it is asked or says it again in other
    words, and its words are no further requirements. The whole message when the question names
    nothing ("Who fits? We need a Rust expert": the statement holds the topic), when what
    follows asks too, or when nothing follows."""
    ends = list(_QUESTION_END.finditer(question))
    if len(ends) != 1:
        return question
    asked, after = question[:ends[0].end()], question[ends[0].end():]
    if "?" in after or "？" in after or not question_terms(asked):
        return question
    return asked


_TYPED_WORD = re.compile(r"(?<![\w+#.\-])[A-Za-z]{5,}(?![\w+#\-])")


@lru_cache(maxsize=1)
def _table_words() -> dict[str, str]:
    """Every English word of the topic table's fields and terms and of the alias table's
    fields (lower case → as written), five letters or more: what a slip of typing in a topic is
    read back to. Organisations and places are not (a topic question names neither; "settle"
    is not Seattle)."""
    names = [n for field, terms in _topic_index().items() for n in (field, *terms)]
    names += [form for row in rows("fields") for form in row]
    words: dict[str, str] = {}
    for name in names:
        for word in re.findall(r"[A-Za-z]{5,}", name):
            words.setdefault(word.lower(), word if word.isupper() or word[1:].islower() else word.lower())
    return words


SLIPS_ALLOWED = 1  # letters a typed word may have wrong: one slip (a transposition is one);
# two let ordinary words through on the real set's store ("negative" → Native, "unlisted" →
# United, "excerpts" → experts) while every typo of a topic word seen there was one slip


def respelled(question: str, seen: Callable[[str], bool]) -> tuple[str, list[tuple[str, str]]]:
    """The question with each English word that no stored passage has (`seen` is False), no
    table knows and no stop list holds, but that is one slip of typing from exactly one word of
    the topic and alias tables with the same first letter, written as that word ("computer
    vison" → "computer vision", "kubernates" → "Kubernetes"); and the (typed, read) pairs. A
    word the documents have is never changed, nor one two table words are equally close to,
    nor another form of the same word. Typing slips rarely touch a word's first letter, and
    ordinary words one letter from a table word mostly differ there ("fails" / Rails,
    "identity" / entity)."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    table, changes = _table_words(), []

    def fix(match: re.Match[str]) -> str:
        typed = match.group()
        low = typed.lower()
        if low in table or low in STOPWORDS or seen(typed):
            return typed
        near = process.extract(low, [w for w in table if w[0] == low[0]], scorer=OSA.distance,
                               score_cutoff=SLIPS_ALLOWED, limit=2)  # closest first
        if not near or len(near) > 1 and near[0][1] == near[1][1]:
            return typed
        read = table[near[0][0]]
        if tokenize(read) == tokenize(typed):
            return typed  # the same word inflected ("instructions"): its stem already matches
        changes.append((typed, read))
        return read

    return _TYPED_WORD.sub(fix, question), changes


def without_context(question: str) -> str:
    """The question without what surrounds what it asks: a lead-in clause naming the opening
    (`without_lead_in`) and the clauses stating a preference (`without_preferences`); read the
    same way by topic and list questions. A separable Chinese verb is read whole (创过业 = 创业)."""
    return without_preferences(without_lead_in(joined_separable_verbs(question)))


_SEPARATED = re.compile(r"([\u4e00-\u9fff])[过了]([\u4e00-\u9fff]{1,2})")


def joined_separable_verbs(question: str) -> str:
    """Chinese verbs whose two characters an aspect marker splits (创过业, 留过学: "has started a
    business", "has studied abroad") written whole, when the whole is a name the tables know
    (创业, 留学): jieba cuts 创过业 into pieces no resume says. Chinese grammar (离合词), read
    only where the tables vouch for the word."""
    def whole(match: re.Match[str]) -> str:
        verb, after = match.group(1), match.group(2)
        for n in range(len(after), 0, -1):  # the longest object the tables know: 开过公司 = 开公司
            word = verb + after[:n]
            if _in_the_tables(word):
                return word + after[n:]
        return match.group()

    return _SEPARATED.sub(whole, question)


def without_lead_in(question: str) -> str:
    """The question without the clauses before it that name the opening it is asked for or who
    asks ("for the infra req, who has worked on recsys?" → "who has worked on recsys?"; "hey,
    for the infra req — who …": up to three, one after another); the whole question when nothing
    of a question is left after them."""
    for _ in range(3):  # "hey, for the perception req — who …": one lead-in after another
        m = _lead_in().match(question)
        if not m or m.end() >= len(question) or _asks().search(m.group()):
            return question  # none, or the clause is the question itself ("who has held a role at X,")
        if _holds_a_condition(m.group()):
            return question  # "for a role in Seattle, …", "for the 5+ years req, …"
        rest = question[m.end():]
        if not question_terms(rest) or _aside_holds_the_topic(m, rest):
            return question
        question = rest
    return question


def _aside_holds_the_topic(lead_in: re.Match[str], rest: str) -> bool:
    """Whether an aside's clause says what is asked, the comma after it one of a list's: "hey
    what about Rust, Go?" asks for Rust too, where "hi Sam, who knows Rust?" greets Sam. An
    aside with words of its own ends a lead-in only before a question that opens by asking
    ("who …", "anyone …", 谁 …)."""
    if lead_in.group("aside") is None:
        return False
    own = lead_in.group()[lead_in.end("aside") - lead_in.start():]
    return bool(question_terms(own)) and not _asks().match(rest.lstrip())


def _holds_a_condition(clause: str) -> bool:
    """Whether a lead-in clause asks something of the people itself: a number (years) or a
    place the tables know ("for a role in Seattle", "New York team", 北京的岗位)."""
    if re.search(r"\d", clause):
        return True
    latin = re.findall(r"[A-Za-z][A-Za-z.'-]*", clause)
    if any(is_place(w) for w in latin) or any(is_place(f"{a} {b}") for a, b in zip(latin, latin[1:])):
        return True
    return any(is_place(run[i:j]) for run in re.findall(r"[\u4e00-\u9fff]{2,}", clause)
               for i in range(len(run)) for j in range(i + 2, min(i + 5, len(run) + 1)))


def question_terms(question: str) -> list[Term]:
    """Words and phrases a question asks about: English content words and the pairs/triples
    they form, Chinese words and the phrases they form between function words. Soft words
    ("development", "research", 运维) count only when the question asks nothing more specific."""
    question = _roles_as_fields(question)
    terms = _terms(question, soft_counts=False)
    return terms or _terms(question, soft_counts=True)


# A person named by their role ("a data engineer", "game developers") asks for the work the role
# does: the field the tables name so ("data engineering", "game development"). Left as it is,
# the role noun is soft and what stays ("data", "game") says far less.
_ROLE_FIELDS = {"engineer": ("engineering",), "developer": ("development",),
                "scientist": ("science",), "researcher": ("research",),
                "analyst": ("analysis", "analytics")}
_ROLE = re.compile(r"\b((?:[A-Za-z][\w+#.-]*\s+)?[A-Za-z][\w+#.-]*)\s+(engineer|developer|scientist|"
                   r"researcher|analyst)s?\b", re.IGNORECASE)


@lru_cache(maxsize=4096)  # every reading of a question asks for its terms again
def _roles_as_fields(question: str) -> str:
    """"need a data engineer" → "need a data engineering": the role's field when the tables know
    it (with one or two words before the role); the question as asked otherwise, and when the
    words before the role name the field already ("compiler engineer", "mobile developer")."""
    def field(match: re.Match[str]) -> str:
        words = match.group(1).split()
        for before in (words, words[-1:]) if len(words) > 1 else (words,):
            if _in_the_tables(" ".join(before)):
                return match.group(0)
            for noun in _ROLE_FIELDS[match.group(2).lower()]:
                name = f"{' '.join(before)} {noun}"
                if _in_the_tables(name):
                    return f"{' '.join(words[:len(words) - len(before)] + [name])}"
        return match.group(0)
    return _ROLE.sub(field, question)


def _as_the_tables_write(word: str) -> str:
    """A hyphenated word as the tables write it when only that form is known ("knowledge-graph"
    is the name "knowledge graph"); the word as typed otherwise ("open-source" is a name itself)."""
    if "-" not in word.strip("-") or _in_the_tables(word):
        return word
    spaced = word.replace("-", " ")
    return spaced if _in_the_tables(spaced) else word


def _terms(question: str, soft_counts: bool) -> list[Term]:
    terms: list[Term] = []
    words = [w for w in _latin_words(question) if w.lower() not in ENGLISH.stop and len(w) > 1]
    terms.extend(Term(_as_the_tables_write(w)) for i, w in enumerate(words)
                 if soft_counts or w.lower() not in ENGLISH.soft or _modifies_next(words, i, question))
    terms.extend(_known_phrases(question))
    terms.extend(_mixed_names(question))
    for n in (3, 2):  # a phrase may hold a soft word: it is kept only as a known name
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i:i + n])
            if phrase in question:
                terms.append(Term(phrase, tuple(words[i:i + n])))
    drop = CHINESE.stop if soft_counts else ZH_STOPWORDS
    for phrase in _cjk_phrases(question, drop):
        parts = _question_cjk_words(phrase, drop)
        for word in parts:
            inner = tuple(w for w in _question_cjk_words(word, drop, fine=True) if w != word)
            terms.append(Term(word))
            if inner and _keeps_its_head(word, inner, drop):
                # 前端开发 ⊃ 前端 (开发 says little), 大模型 ⊃ 模型, 贡献者 ⊃ 贡献; never without the
                # head, the last character (`suffixes_zh` aside): 大型机 is a mainframe, 大型 "large"
                terms.append(Term(word + "\u0000", inner))
        if 1 <= len(parts) <= 3 and parts != [phrase]:
            terms.append(Term(phrase, tuple(parts)))  # 区块链 ⊃ 区块 (链 alone is dropped)
    if not soft_counts and not any(not t.parts for t in terms):
        return []  # nothing specific: the soft words are the question
    return list(dict.fromkeys(terms))


def _modifies_next(words: list[str], i: int, question: str) -> bool:
    """Whether a soft word stands right before another content word that is not soft, as the
    first word of a noun phrase ("Slack integrations", "email delivery", "job scheduling"): it
    then says which thing, as a head noun ("mobile development") does not."""
    if i + 1 >= len(words) or words[i + 1].lower() in ENGLISH.soft or _is_known(words[i]):
        return False
    return f"{words[i]} {words[i + 1]}" in question


_TOPIC_DATA = Path(__file__).with_name("topics.toml")


@lru_cache(maxsize=1)
def _topic_table() -> tuple[dict, ...]:
    """The rows of `topics.toml`, read once; a field's venues count as its terms (a paper at
    SIGMOD is database work)."""
    with _TOPIC_DATA.open("rb") as f:
        rows = tomllib.load(f).get("topic", [])
    return tuple({**row, "terms": [*row["terms"], *row.get("venues", [])]} for row in rows)


@lru_cache(maxsize=1)
def _topic_index() -> dict[str, tuple[str, ...]]:
    """A field's name (lower case) → the specific terms resumes use for it (`topics.toml`)."""
    index: dict[str, tuple[str, ...]] = {}
    for row in _topic_table():
        for name in row["names"]:
            index[name.lower()] = tuple(dict.fromkeys(index.get(name.lower(), ()) + tuple(row["terms"])))
    return index


def narrower_terms(term: str) -> tuple[str, ...]:
    """The specific words a resume uses for the field `term` names ("mobile" → iOS, Android,
    安卓, …): of the term, its singular, or one of its aliases; empty for anything else."""
    index = _topic_index()
    for form in (term, _singular(term), *aliases_of(term)):
        found = index.get(form.lower().strip())
        if found:
            return tuple(t for t in found if t.lower() != term.lower())
    return ()


def field_names() -> list[tuple[str, str]]:
    """Every name of every field of the topic table, as (the field's first name, the name)."""
    return [(row["names"][0], name) for row in _topic_table() for name in row["names"]]


def field_by_meaning(similarities: list[tuple[str, float]], floor: float, margin: float) -> str | None:
    """The field whose closest name is at least `floor` close to a question's topic words and
    `margin` closer than any other field's (`similarities`: (field, similarity) per name); None
    when no field stands out so. A question that describes the work ("apps for phones", "turns
    spoken words into text") names no field's words, but its meaning is near one field's names."""
    best: dict[str, float] = {}
    for field, similarity in similarities:
        best[field] = max(best.get(field, -1.0), similarity)
    ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < floor:
        return None
    runner_up = ranked[1][1] if len(ranked) > 1 else -1.0
    return ranked[0][0] if ranked[0][1] - runner_up >= margin else None


def fields_named_by(term: str) -> frozenset[str]:
    """The fields (by first name) whose names or specific terms include `term` (知识蒸馏 → the
    field of model compression): what a question that uses the term already asks about."""
    key = term.lower().strip()
    return frozenset(row["names"][0] for row in _topic_table()
                     if key in (n.lower() for n in row["names"]) or key in (t.lower() for t in row["terms"]))


def names_a_field(term: str) -> bool:
    """Whether `term` is a field's name or one of its specific terms in the topic table
    ("Spark", "mobile"): a topic, whatever else it may also be the name of."""
    key = term.lower().strip()
    return key in _topic_index() or key in _field_terms()


def _is_known(term: str) -> bool:
    """A name of the alias table or a field of the topic table: a phrase worth keeping whole."""
    return bool(aliases_of(term)) or term.lower().strip() in _topic_index()


def _in_the_tables(term: str) -> bool:
    """A name of the alias table, or a field's name or specific term in the topic table."""
    return _is_known(term) or names_a_field(term)


def _join_known(words: list[str]) -> list[str]:
    """Neighbouring Chinese words joined where together they are a known name or a field's
    term: jieba cuts 机器学习 into 机器 + 学习 and 联合创始人 into 联合 + 创始人, and "machine" and
    "learning", or "joint", alone say something else."""
    out: list[str] = []
    for word in words:
        if out and _in_the_tables(out[-1] + word):  # 机器+学习, 联合+创始人
            out[-1] += word
        else:
            out.append(word)
    return out


@lru_cache(maxsize=1)
def _frame_edges() -> tuple[str, ...]:
    """The words a question's frame is cut by, longest first: stop words only (a soft word may
    begin a compound: 推荐系统, 业务中台), and the question word with a short verb (谁有, 谁做过)."""
    asks = {"谁" + w for w in CHINESE.stop if len(w) <= 2}
    return tuple(sorted({w for w in CHINESE.stop if len(w) > 1} | asks | {"谁"},
                        key=lambda w: (-len(w), w)))


def _strip_frame(run: str) -> str:
    """A Chinese run without the question's frame at its ends ("谁做过" … "经验"), cut before
    segmenting: jieba would otherwise glue a frame character to the topic (做过端到端 → 过端)."""
    drop, edges = CHINESE.stop, _frame_edges()
    while run:  # the longest frame word first, every time: 我们 + 人才库 + 里, not 人才 + 库里
        word = next((w for w in edges if len(run) > len(w) and (run.startswith(w) or run.endswith(w))),
                    None)
        if word is not None:
            run = run[len(word):] if run.startswith(word) else run[:-len(word)]
        elif run[:1] in drop and _frames(run[1:], edges, str.startswith):  # 里 + 有谁做过: a
            run = run[1:]                              # one-character frame word, a longer one next
        elif run[-1:] in drop and _frames(run[:-1], edges, str.endswith):
            run = run[:-1]
        else:
            return run
    return run


def _frames(rest: str, edges: tuple[str, ...], at_edge: Callable[[str, str], bool]) -> bool:
    """Whether a frame word shorter than `rest` starts (or ends) it."""
    return any(len(rest) > len(w) and at_edge(rest, w) for w in edges)


@lru_cache(maxsize=1)
def _known_cjk_names() -> re.Pattern[str]:
    """Every Chinese name of the topic and alias tables, longest first, as one pattern (one
    that matches nothing when the tables have none: an empty pattern matches everywhere)."""
    names = {n for n in (*_topic_index(), *known_names()) if len(n) >= 2 and _CJK_RUN.fullmatch(n)}
    return re.compile("|".join(map(re.escape, sorted(names, key=lambda n: (-len(n), n)))) or "(?!)")


def _known_name_spans(run: str) -> list[tuple[int, int]]:
    """Where the tables' names lie in a Chinese run, in order: from the left, the longest name
    that starts at each place (大数据平台: 大数据, as jieba and `_join_known` read it), except a
    two-character name that a longer one overlaps (有没有人大模型经验: 大模型, not the university
    人大; 管理大数据: 大数据, not 理大): short abbreviations sit inside many words."""
    names = _known_cjk_names()
    found = [(m.start(), m.end()) for at in range(len(run)) if (m := names.match(run, at))]
    kept: list[tuple[int, int]] = []
    for start, end in found:
        if kept and start < kept[-1][1]:
            continue  # inside the name kept before
        if end - start == 2 and any(s < end and e - s > 2 for s, e in found if start < s):
            continue  # a short name that a longer one overlaps
        kept.append((start, end))
    return kept


def _cut_keeping_names(run: str) -> list[str]:
    """jieba's cut of a Chinese run, the names the tables know kept whole: jieba reads
    找一下有后端开发 as 有后 ("to have heirs") + 端 + 开发, losing 后端开发."""
    words: list[str] = []
    at = 0
    for start, end in _known_name_spans(run):
        words.extend(_jieba().lcut(run[at:start]) if start > at else [])
        words.append(run[start:end])
        at = end
    words.extend(_jieba().lcut(run[at:]) if at < len(run) else [])
    return words


def _question_cjk_words(text: str, drop: frozenset[str], fine: bool = False) -> list[str]:
    """Chinese words of a question but `drop` (like `_segment_cjk`, with a chosen stop list),
    the tables' names kept whole and neighbours that make a known name joined (大 + 模型 → 大模型)."""
    cut = _jieba().lcut_for_search if fine else _cut_keeping_names
    words = [w for run in _CJK_RUN.findall(text) for w in (cut(run) if fine else _join_known(cut(run)))]
    return [w for w in words if len(w) >= 2 and w not in drop]


_ANY_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]*")


def _known_phrases(question: str, longest: int = 6) -> list[Term]:
    """Names in the tables that span function words: "University of Hong Kong", "managing a
    team" (one-letter words included), "people managers" (a stop word and a plural)."""
    found: list[Term] = []
    words = [w.strip(".-") for w in _ANY_LATIN_WORD.findall(question)]
    for n in range(longest, 1, -1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i:i + n])
            if n == 2 and (words[i].lower() not in STOPWORDS or words[i + 1].lower() in STOPWORDS):
                continue  # two content words are a pair of `_terms`; a carrier last ("teaching
                # experience") is the frame around a word, not a compound ("people manager")
            known = phrase if _is_known(phrase) else _singular(phrase)
            if _is_known(known) and phrase in question:
                parts = tuple(w for w in words[i:i + n] if w.lower() not in STOPWORDS and len(w) > 1)
                found.append(Term(known, parts))
    return found


_MIXED = re.compile(r"(?=([A-Za-z][A-Za-z0-9]*)\s?([\u3400-\u4dbf\u4e00-\u9fff]+))"
                    r"|(?=([\u3400-\u4dbf\u4e00-\u9fff]+)\s?([A-Za-z][A-Za-z0-9]*))")


def _mixed_names(question: str) -> list[Term]:
    """Names the tables know across scripts (AI安全, GPU编程, 可信AI): a Latin word and the
    nearest Chinese characters, which the rest of the reading keeps apart."""
    found: list[Term] = []
    for m in _MIXED.finditer(question):
        latin, cjk, after = (m.group(1), m.group(2), True) if m.group(1) else (m.group(4), m.group(3), False)
        for n in range(2, len(cjk) + 1):
            piece = cjk[:n] if after else cjk[-n:]
            name = latin + piece if after else piece + latin
            if _is_known(name):
                found.append(Term(name, (latin, piece) if after else (piece, latin)))
                break
    return found


def _cjk_phrases(text: str, drop: frozenset[str] | None = None) -> list[str]:
    """Runs of Chinese between function words (`drop`): the phrases a question is made of."""
    drop = ZH_STOPWORDS if drop is None else drop
    phrases: list[str] = []
    for run in _CJK_RUN.findall(text):
        current = ""
        for word in _join_known(_cut_keeping_names(_strip_frame(run))):  # 推荐 + 系统: a name
            if word in drop or not _CJK_RUN.match(word):
                if current:
                    phrases.append(current)
                current = ""
            else:
                current += word
        if current:
            phrases.append(current)
    return phrases


_ACROSS_BLOCK_CELLS = 8_000_000  # similarities per block of `learn_across` (32 MB of float32)


@dataclass
class Lexicon:
    terms: list[str] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), dtype=np.float32))
    cjk: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # Per word, the closest any word of the other script comes to it, and which row that is
    # (`learn_across`); None until then, when each question works out what it needs.
    across: np.ndarray | None = None
    partner: np.ndarray | None = None

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
        vectors = np.vstack([cache[t] for t in terms], dtype=np.float32)  # one copy, not two
        return cls(terms=terms, vectors=vectors, cjk=np.array([is_cjk(t) for t in terms]))

    def expand(self, term: str, vector: np.ndarray) -> list[str]:
        """Words of the other script whose meaning is closest to `term`: near the best match, and
        kept only when `term` is about as close to them as any word of its own script in the
        corpus (a mutual match: "quantization" is nearer to 量化 than to 量子计算).

        `vector` is the term's own (the embedder's for that text), so the answer is remembered
        by term for the life of this lexicon; `prepare` works out several terms at once."""
        if not self.terms:
            return []
        known = self._cached("_expansions").get(term)  # another thread may clear the memo:
        if known is None:                              # read it once, never index it
            known = self._work_out({term: vector})[term]
        return list(known)

    def prepare(self, vectors: dict[str, np.ndarray]) -> None:
        """Work out the expansions of these terms together: each matrix of word vectors is read
        once for all of them, which is most of the cost on a large vocabulary."""
        memo = self._cached("_expansions")
        todo = {t: v for t, v in vectors.items() if t not in memo}
        if self.terms and todo:
            self._work_out(todo)

    def _work_out(self, vectors: dict[str, np.ndarray]) -> dict[str, tuple[str, ...]]:
        """The expansions of these terms, also remembered."""
        todo = list(vectors)
        near = {}
        for cjk in (False, True):
            terms = [t for t in todo if is_cjk(t) == cjk]
            if terms:
                near.update(zip(terms, self._nearest_of_other_script(
                    cjk, np.stack([vectors[t] for t in terms]))))
        across = self._best_across({row for found in near.values() for row, _ in found})
        worked_out = {term: tuple(dict.fromkeys(
            self.terms[row] for row, sim in found if sim >= across[row] - MUTUAL_MARGIN))
            for term, found in near.items()}
        memo = self._cached("_expansions")
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        memo.update(worked_out)
        return worked_out

    def _nearest_of_other_script(self, cjk: bool, vectors: np.ndarray) -> list[list[tuple]]:
        """For each vector, the (row, similarity) of the closest words of the other script, best
        first: at most EXPANSIONS_PER_TERM, and none far below the best or the bar."""
        rows, matrix = self._script(not cjk)
        if not len(rows):
            return [[] for _ in vectors]
        columns = self._cached("_columns").get(not cjk)  # `keep_columns`; one vector: as ever
        out = []
        for sims in (vectors @ columns if columns is not None and len(vectors) > 1 else vectors @ matrix.T):
            kth = min(EXPANSIONS_PER_TERM, len(sims)) - 1
            top = np.argpartition(-sims, kth)[:EXPANSIONS_PER_TERM]
            top = top[np.argsort(-sims[top], kind="stable")]
            bar = max(EXPANSION_SIMILARITY, sims[top[0]] - RUNNER_UP_MARGIN)
            out.append([(int(rows[i]), sims[i]) for i in top if sims[i] >= bar])
        return out

    def keep_columns(self) -> None:
        """Keep each script's vectors also by column (a transposed copy in memory: 80 MB at
        10,000 resumes, 44,000 words, made in 0.2 s), for a process that answers many questions.
        The nearest-word pass of a question's several terms then takes half the time (Chinese
        terms against 40,000 Latin words: 16-19 ms -> 7-11 ms on this machine) with the same
        similarities up to float32 rounding (bit for bit with some OpenBLAS builds, within 1e-6
        with others; a single vector goes another way in BLAS, so it keeps the row-wise product)."""
        columns = self._cached("_columns")
        for cjk in (False, True):
            if cjk not in columns:
                columns[cjk] = np.ascontiguousarray(self._script(cjk)[1].T)

    def drop_columns(self) -> None:
        """Let go of the copy `keep_columns` made (its memory is freed once no question under
        way still reads it): questions then take the row-wise product, same similarities."""
        self.__dict__.pop("_columns", None)

    def _best_across(self, rows: set[int]) -> dict[int, float]:
        """For each of these words, the closest any word of the other script comes to it (a
        property of the lexicon alone): from `learn_across` when it ran, else worked out now,
        once per word (a pass over the other script's vectors: at 10,000 resumes, some 8 ms
        of an English question's first time)."""
        across = self.across
        if across is not None:
            return {r: across[r] for r in rows}
        best = self._cached("_across")
        for cjk in (False, True):
            todo = sorted(r for r in rows if r not in best and bool(self.cjk[r]) == cjk)
            if todo:
                _, matrix = self._script(not cjk)
                sims = self.vectors[todo] @ matrix.T
                best.update(zip(todo, sims.max(axis=1, initial=-1.0)))
        return best

    def learn_across(self, earlier: "Lexicon | None" = None) -> None:
        """Every word's best match in the other script, at once (`across`, `partner`): one
        blocked product of the two scripts' vectors (about 2.5 s at 10,000 resumes, 44,000
        words), or, from an `earlier` lexicon that has them, only what its changed words change:
        a kept word keeps its best match unless that word is gone, and is compared with the new
        words of the other script."""
        n = len(self.terms)
        across = np.full(n, -1.0, dtype=np.float32)
        partner = np.full(n, -1, dtype=np.int64)
        todo = np.ones(n, dtype=bool)
        if earlier is not None and earlier.across is not None and n:
            todo = self._carry_across(earlier, across, partner)
        latin, chinese = self._script(False)[0], self._script(True)[0]
        if todo.all() and len(latin) and len(chinese):  # one product gives both ways
            self._best_both_ways(latin, chinese, across, partner)
        else:
            for cjk in (False, True):
                rows = self._script(cjk)[0]
                self._best_of_rows(rows[todo[rows]] if len(rows) else rows, cjk, across, partner)
        self.partner, self.across = partner, across  # `across` last: it is what readers check

    def _best_of_rows(self, rows: np.ndarray, cjk: bool, across: np.ndarray,
                      partner: np.ndarray) -> None:
        other, matrix = self._script(not cjk)
        if not len(rows) or not len(other):
            return
        step = max(1, _ACROSS_BLOCK_CELLS // len(other))
        for i in range(0, len(rows), step):
            block = rows[i:i + step]
            sims = self.vectors[block] @ matrix.T
            best = sims.argmax(axis=1)
            across[block] = sims[np.arange(len(block)), best]
            partner[block] = other[best]

    def _best_both_ways(self, latin: np.ndarray, chinese: np.ndarray, across: np.ndarray,
                        partner: np.ndarray) -> None:
        """Every Latin word against every Chinese one, block by block: a block's row maxima
        are its words' best, and the running column maxima the Chinese words' best."""
        _, matrix = self._script(True)
        column_best = np.full(len(chinese), -np.inf, dtype=np.float32)
        column_partner = np.full(len(chinese), -1, dtype=np.int64)
        step = max(1, _ACROSS_BLOCK_CELLS // len(chinese))
        for i in range(0, len(latin), step):
            block = latin[i:i + step]
            sims = self.vectors[block] @ matrix.T
            best = sims.argmax(axis=1)
            across[block] = sims[np.arange(len(block)), best]
            partner[block] = chinese[best]
            down = sims.argmax(axis=0)
            value = sims[down, np.arange(len(chinese))]
            closer = value > column_best
            column_best[closer] = value[closer]
            column_partner[closer] = block[down[closer]]
        across[chinese] = column_best
        partner[chinese] = column_partner

    def _carry_across(self, earlier: "Lexicon", across: np.ndarray, partner: np.ndarray) -> np.ndarray:
        """Fill `across`/`partner` for the words whose best match is still a word of this
        lexicon (compared with the other script's new words too); the rows left to work out."""
        old_row, new_row = earlier._positions(), self._positions()
        rows = np.asarray([old_row.get(t, -1) for t in self.terms], dtype=np.int64)
        kept = rows >= 0
        held = np.zeros(len(self.terms), dtype=bool)
        where = np.flatnonzero(kept)
        old_partner = earlier.partner[rows[where]]
        partner_row = np.asarray([new_row.get(earlier.terms[p], -1) if p >= 0 else -1
                                  for p in old_partner], dtype=np.int64)
        ok = partner_row >= 0
        held[where[ok]] = True
        across[where[ok]] = earlier.across[rows[where[ok]]]
        partner[where[ok]] = partner_row[ok]
        for cjk in (False, True):  # the new words of the other script may come closer
            other = np.flatnonzero(~kept & (self.cjk == (not cjk)))
            mine = np.flatnonzero(held & (self.cjk == cjk))
            if len(other) and len(mine):
                self._closer_of(mine, other, across, partner)
        return ~held

    def _closer_of(self, mine: np.ndarray, other: np.ndarray, across: np.ndarray,
                   partner: np.ndarray) -> None:
        """Where a word of `other` comes closer to a word of `mine` than its best so far, it
        becomes the best. A block of `mine` at a time: their vectors are copied to be multiplied
        (all of one script's at once: some 75 MB at 10,000 resumes, during a refresh)."""
        others = self.vectors[other].T
        step = max(1, _ACROSS_BLOCK_CELLS // max(len(other), self.vectors.shape[1]))
        for i in range(0, len(mine), step):
            block = mine[i:i + step]
            sims = self.vectors[block] @ others
            best = sims.argmax(axis=1)
            value = sims[np.arange(len(block)), best]
            closer = value > across[block]
            across[block[closer]] = value[closer]
            partner[block[closer]] = other[best[closer]]

    def _script(self, cjk: bool) -> tuple[np.ndarray, np.ndarray]:
        """The lexicon rows of one script and their vectors (a view when they are contiguous,
        as sorting puts every Chinese word after the Latin ones)."""
        split = self._cached("_scripts")
        if cjk not in split:
            rows = np.flatnonzero(self.cjk == cjk)
            contiguous = len(rows) and rows[-1] - rows[0] + 1 == len(rows)
            vectors = self.vectors[rows[0]:rows[-1] + 1] if contiguous else self.vectors[rows]
            split[cjk] = (rows, vectors)
        return split[cjk]

    def _cached(self, name: str) -> dict:
        """A per-lexicon memo (the lexicon never changes; a new one is built instead)."""
        return self.__dict__.setdefault(name, {})

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}  # memos stay out

    def variants(self, term: str, vector: np.ndarray, similarity: float) -> list[str]:
        """Words of the corpus of the same family as an English `term`: they begin with its stem
        but a letter ("finance" → "financial", "Financially") and mean nearly the same
        (`similarity`). Found by bisecting the sorted vocabulary, so a question reads only the
        few words of the family."""
        stem = tokenize(term)
        if not self.terms or len(stem) != 1 or len(stem[0]) < 4 or not stem[0].isalpha():
            return []
        root = stem[0][:-1] if len(stem[0]) > 4 else stem[0]
        rows = [i for prefix in {root, root.capitalize(), root.upper()}
                for i in range(bisect_left(self.terms, prefix), bisect_right(self.terms, prefix + "\uffff"))
                if " " not in self.terms[i] and self.terms[i].lower() != term.lower()]
        if not rows:
            return []
        sims = self.vectors[rows] @ vector
        return [self.terms[i] for i, sim in zip(rows, sims) if sim >= similarity]

    def vector_of(self, term: str) -> np.ndarray | None:
        i = self._positions().get(term)
        return None if i is None else self.vectors[i]

    def _positions(self) -> dict[str, int]:
        """Term → row, built whole before it is published: questions in other threads share the
        lexicon, and a map filled in place could be read half built."""
        found = self.__dict__.get("_position")
        if found is None:
            found = self.__dict__.setdefault("_position", {t: i for i, t in enumerate(self.terms)})
        return found


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
    specific: tuple[frozenset[str], ...] = ()  # the field's own terms (topics.toml) among them

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


# "5 or more engineers", "3 years or longer" are one amount, not alternatives
_OR = re.compile(r"\s+or\s+(?!(?:more|above|less|fewer|so|longer|higher|better|later|earlier)\b)|"
                 r"或者|或是|或(?!以上|以下|更)|、|\s+and/or\s+|\s+/\s*|\s*/\s+", re.I)
# "ETL and stream processing": what joins two phrases of one topic (`either_of_joined`; the
# Chinese conjunctions are stopwords.toml's [grammar] conjunctions_zh)
_AND_LATIN = re.compile(r"\s+(?:and|&)\s+", re.I)
# "INT8/INT4 model quantization": a slash inside a word offers that word's alternatives, the rest
# of the phrase shared ("INT8 model quantization" or "INT4 model quantization")
_SLASHED = re.compile(r"[\w+#.\-]+(?:/[\w+#.\-]+)+")
_MAX_SLASHED = 8
_LIST_COMMA = re.compile(r"\s*[,，]\s*")
# "pipelines like Spark, Hadoop or Kafka": the examples are alternatives to what they illustrate
_EXAMPLES = re.compile(r"\s+(?:like|such as|e\.g\.?|including|for example)\s+|[,，]?\s*(?:比如|例如|诸如|包括)",
                       re.I)
_PARENTHESES = re.compile(r"[(（]([^()（）]*)[)）]")


# A break after which a message may list examples of what it asks ("an embedded engineer:
# firmware, microcontrollers, RTOS"; "who's done CV work? detection, face rec"; 做过数据库内核的？优化器、执行器)
_BREAK = re.compile(r"\s*(?:[:：？?]|\s[-–—]+\s|[—–]+)\s*")
_LIST_ITEM = re.compile(r"\s*[,，、/]\s*|\s+(?:and|or)\s+", re.I)
_ITEM_WORDS = 4  # an example is a name: a few words ...
_ITEM_CHARS = 8  # ... or a few Chinese characters


def examples_after_break(question: str) -> str:
    """The message with a list that follows a colon, a dash or a question mark read as
    examples of what comes before it ("… engineer: firmware, microcontrollers, RTOS" → "…
    engineer such as firmware, microcontrollers, RTOS"): two or more short items up to the
    sentence's end. Anything else after the break (a second request, a preference) is left, and
    so is a list after words that name nothing ("Need someone with: Python, SQL, Airflow" asks
    for all three: there is nothing they would be examples of)."""
    for m in _BREAK.finditer(question):
        if not question[:m.start()].strip():
            continue
        after = _example_opener().sub("", question[m.end():], count=1)
        sentence = after[:re.search(r"[.!。！；;]\s|[.!。！；;?？]*$", after).start()]
        items = [i for i in _LIST_ITEM.split(sentence)
                 if i.strip() and not all(w.lower() in ENGLISH.stop for w in i.split())]  # "etc"
        listed = re.search(r"[,，、/]", sentence)  # a list, not "A or B" alone
        if listed and len(items) >= 2 and all(_names_something(i) for i in items) \
                and question_terms(question[:m.start()]):
            return question[:m.start()] + " such as " + after
    return question


@lru_cache(maxsize=1)
def _example_opener() -> re.Pattern[str]:
    """The words that open a list of examples after a break ("search engines? think
    Elasticsearch, Vespa"; "CV: e.g. detection, tracking"): stopwords.toml [grammar]."""
    openers = _question_grammar()["grammar"].get("example_openers", [])
    return re.compile(rf"^\s*(?:{_either(openers)})[\s,:：]*", re.I) if openers else re.compile(r"^\b$")


def _names_something(item: str) -> bool:
    """Whether a list item is a name ("face rec", "RTOS", 低比特): a few words, not opening with
    a function word ("at scale", "in production" qualify; they name nothing)."""
    words, said = item.split(), topic_text(item)  # measured without chat: "三维视觉这些做过的都算"
    return (len(said.split()) <= _ITEM_WORDS and len(CJK.findall(said)) <= _ITEM_CHARS
            and bool(words) and words[0].lower() not in ENGLISH.stop)


def alternatives_of(question: str) -> list[str]:
    """"A or B" → ["A", "B"]; "A, B or C" → ["A", "B", "C"] (commas separate alternatives in a
    list that has an "or"); examples ("X like A or B") and a parenthesis ("speech recognition
    (ASR)") are alternatives too. A lone modifier before the "or" shares what follows the other
    alternative's first word: "programming or ML competitions" is "programming competitions" or
    "ML competitions", not "programming" alone (`shares_head`)."""
    question = examples_after_break(question)
    inner = [m.group(1) for m in _PARENTHESES.finditer(question)]
    outer = _PARENTHESES.sub(" ", question)
    pieces = _EXAMPLES.split(outer)
    listed = len(pieces) > 1 or bool(_OR.search(outer)) or bool(_SLASHED.search(outer))
    out: list[str] = []
    for piece in pieces:
        group = [seg for part in (_LIST_COMMA.split(piece) if listed else [piece])
                 for seg in _OR.split(part) if seg.strip()]
        out.extend(_share_head(group))
    examples = [seg for text in inner for seg in _examples(text)]
    return [alt for seg in out + examples if seg.strip() for alt in _slashed_words(seg)]


def either_of_joined(question: str) -> str | None:
    """The question with the phrases it joins by "and" read as alternatives: "large-scale ETL
    and stream processing" → "… ETL or stream processing", 视觉感知与图像理解 → 视觉感知或图像理解;
    None when it joins none. A recruiter who names a topic by two of its sides asks for the
    topic: someone who says one side is a match, after those who say both (`Query.relax`).
    Both sides must ask something specific: "… in X and send me their names" joins a request,
    not a second topic. Chinese conjunctions count only as words of their own (jieba's cut),
    so 参与 or 和平 do not."""
    if _CJK_RUN.search(question):
        joiners = frozenset(_question_grammar()["grammar"].get("conjunctions_zh", "").split())
        pieces = _jieba().lcut(question)
        cuts = [i for i, w in enumerate(pieces) if w in joiners]
    else:
        pieces = _AND_LATIN.split(question)
        pieces = [x for pair in zip(pieces, [" and "] * len(pieces)) for x in pair][:-1]
        cuts = list(range(1, len(pieces), 2))
    either = [i for i in cuts if _asks_something("".join(pieces[:i])) and _asks_something(
        "".join(pieces[i + 1:next((c for c in cuts if c > i), len(pieces))]))]
    if not either:
        return None
    for i in either:
        pieces[i] = "或" if is_cjk(pieces[i]) else " or "
    return "".join(pieces)


# A message that names the people it wants, then asks who did the work: "distributed systems
# engineers - who has built large-scale backend infra?". The dash or colon between them.
_NAMED_THEN_ASKED = re.compile(r"^(?P<named>[^?？\n]{3,80}?)\s+[-–—:]\s+(?P<asked>(?:who|anyone|any|谁|有没有)\b.*)$",
                               re.I | re.S)


def either_of_named_and_asked(question: str) -> str | None:
    """The people a message names and the work it asks them for, read as alternatives when few
    say both: "distributed systems engineers - who has built large-scale backend infra?" is
    "distributed systems engineers" or "who has built large-scale backend infra?" (the second
    restates the first); None when the message is not so built or one side names nothing."""
    match = _NAMED_THEN_ASKED.match(question.strip())
    if match is None or not _asks_something(match.group("named")) or not _asks_something(match.group("asked")):
        return None
    return f"{match.group('named').strip()} or {match.group('asked').strip()}"


_EVERYDAY_SHAPE = re.compile(r"[a-z]+(?:[-'][a-z]+)*")


@lru_cache(maxsize=1)
def _english_frequency() -> Callable[[str], float]:
    """wordfreq's Zipf frequency of an English word (its small list: the words common enough to
    matter here, 4 MB, loaded once on first use)."""
    from wordfreq import zipf_frequency

    return partial(zipf_frequency, lang="en", wordlist="small")


def is_everyday(label: str, zipf: float) -> bool:
    """Whether a question's concept is a word of everyday English and nothing more: one
    lower-case word as typed, at least `zipf` common in general English, and neither a field of
    the topic table nor a name of the alias table ("piece", "own", "strongest" but not "mobile",
    "security" or "Rust"). Such a word carries the question, not its topic."""
    word = label.strip()
    if not _EVERYDAY_SHAPE.fullmatch(word) or _is_known(word) or names_a_field(word):
        return False
    return _english_frequency()(word) >= zipf


def everyday_labels(segments: list[list[Concept]], zipf: float, question: str) -> frozenset[str]:
    """The everyday words (`is_everyday`) of each alternative that also asks for something
    that is not everyday: the labels a wider reading may leave out. A word written right before
    one of the specific words is its modifier, part of the topic's name ("knowledge
    distillation", "payment fraud"), and stays: an English noun phrase ends in its head."""
    spare: set[str] = set()
    for segment in segments:
        specific = [c.label for c in segment if not is_everyday(c.label, zipf)]
        everyday = {c.label for c in segment if c.label not in specific
                    and not _modifies(c.label, specific, question)}
        if everyday and specific:
            spare |= everyday
    return frozenset(spare)


def detail_labels(segments: list[list[Concept]], question: str) -> frozenset[str]:
    """The concepts a question names only in a detail of its topic: after a preposition
    (stopwords.toml `detail_prepositions`) written after a field the tables know, naming no
    such field themselves ("distributed training across many GPUs": GPUs; "recommender
    systems at scale": scale). A wider reading may leave them out; the topic before the
    preposition always stays. When what follows is a field ("NLP for healthcare", "ML
    engineers with knowledge distillation") or what precedes is none ("models with …"), the
    question asks for both: nothing is a detail."""
    spare: set[str] = set()
    for segment in segments:
        at = {c.label: _written_at(c.label, question) for c in segment}
        for cut in _detail_preposition().finditer(question):
            before = [c.label for c in segment if at[c.label] and at[c.label][1] <= cut.start()]
            after = [c.label for c in segment if at[c.label] and at[c.label][0] >= cut.end()]
            if before and after and len(before) + len(after) == len(segment):
                if any(map(_is_known, before)) and not any(map(_is_known, after)):
                    spare.update(after)
                break
    return frozenset(spare)


@lru_cache(maxsize=1)
def _detail_preposition() -> re.Pattern[str]:
    words = _question_grammar()["grammar"]["detail_prepositions"].split()
    return re.compile(rf"\s(?:{_either(words)})\s", re.I)


def _written_at(label: str, question: str) -> tuple[int, int] | None:
    """Where a concept's label is written in the question (start, end), if it is."""
    found = re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", question, re.I)
    return found.span() if found else None


def _modifies(word: str, specific: list[str], question: str) -> bool:
    """Whether `word` is written right before a specific word that may take a modifier: not
    a field's whole name of two or more words ("cover computer vision": a verb and its
    object), which is complete as it stands."""
    return any(re.search(rf"(?<![\w-]){re.escape(word)}\s+{re.escape(label)}", question, re.I)
               for label in specific if " " not in label.strip() or not _is_known(label))


def _asks_something(text: str) -> bool:
    """Whether a piece of a question names something specific (more than soft words)."""
    return bool(_terms(text, soft_counts=False))


def _examples(text: str) -> list[str]:
    """A parenthesis's list: names or phrases are alternatives each ("Stable Diffusion, GANs";
    "vLLM / TensorRT-LLM"); plain single words qualify what precedes them together ("charts
    (bar, pie, line)"), where "line" alone would be a topic of its own."""
    items = [seg for part in _LIST_COMMA.split(text) for seg in _OR.split(part) if seg.strip()]
    named = all(len(_latin_words(i)) != 1 or _latin_words(i)[0] != _latin_words(i)[0].lower()
                for i in items)
    return items if named else [text]


def _slashed_words(segment: str) -> list[str]:
    """The segment once per alternative of its slashed words ("CUDA/Triton kernels" → "CUDA
    kernels", "Triton kernels"). A slashed name stays whole: one the alias or topic table knows
    ("TCP/IP"), or one of short capitals ("CI/CD", "I/O", "UI/UX"), which are not alternatives."""
    done, todo = [], [segment]
    while todo:
        text = todo.pop(0)
        match = next((m for m in _SLASHED.finditer(text) if not _slashed_name(m.group())), None)
        if match is None:
            done.append(text)
            continue
        words = [w for w in match.group().split("/") if w]
        if len(done) + len(todo) + len(words) > _MAX_SLASHED:  # too many to spell out: the
            done.extend(w for w in text.split("/") if w.strip())  # pieces alone, as "or" reads
            continue
        todo.extend(text[:match.start()] + word + text[match.end():] for word in words)
    return done


def _slashed_name(word: str) -> bool:
    parts = word.split("/")
    return _is_known(word) or word.lower() in _field_terms() \
        or all(len(p) <= 2 and p.isupper() for p in parts)


@lru_cache(maxsize=1)
def _field_terms() -> frozenset[str]:
    """Every specific term of the topic table (lower case): "TCP/IP" is a name there."""
    return frozenset(t.lower() for terms in _topic_index().values() for t in terms)



def _keeps_its_head(word: str, inner: tuple[str, ...], drop: frozenset[str]) -> bool:
    """Whether a Chinese word's inner words (with the words that say little, 开发) keep its head,
    the last character, or drop only a suffix of the same topic (`_cjk_suffixes`)."""
    if word[-1] in _cjk_suffixes():
        return True
    said = inner + tuple(w for w in _question_cjk_words(word, frozenset(), fine=True) if w in drop)
    return any(word.endswith(w) for w in said)


@lru_cache(maxsize=1)
def _cjk_suffixes() -> frozenset[str]:
    """Chinese suffixes that keep a word's topic (`suffixes_zh` in stopwords.toml: 者, 师, 化)."""
    return frozenset(_question_grammar()["grammar"].get("suffixes_zh", "").split())


@lru_cache(maxsize=1)
def _modifier_endings() -> tuple[str, ...]:
    """English endings of words that modify a noun rather than name a topic ("programming",
    "statistical", "distributed"): `modifier_endings` in stopwords.toml."""
    return tuple(_question_grammar()["grammar"].get("modifier_endings", "").split())


def shares_head(word: str) -> bool:
    """Whether an English word before "or" modifies the next alternative's head noun rather
    than standing alone: a hyphenated compound ("high-performance") or a modifier ending."""
    if is_cjk(word) or not word.isascii() or not word[:1].islower():
        return False  # a name ("Beijing or Shanghai offices") stands alone
    return "-" in word.strip("-") or len(word) > 4 and word.endswith(_modifier_endings())


def _share_head(group: list[str]) -> list[str]:
    """In a run of alternatives whose last one is a phrase ("ML competitions"), an alternative
    whose topic is one modifier ("… with programming") takes the rest of that phrase; so does
    one generic word ("research or work in X" is research in X or work in X: alone, "research"
    would ask for every researcher)."""
    if len(group) < 2:
        return group
    last = _latin_words(group[-1])
    if len(last) < 2 or is_cjk(group[-1]):
        return group
    after_first = group[-1].index(last[0]) + len(last[0])  # the second word, whole ("in", not
    second = re.compile(rf"(?<![\w+#.\-]){re.escape(last[1])}(?![\w+#])")  # teach-in-g's)
    found = second.search(group[-1], after_first)
    if found is None:
        return group
    head = group[-1][after_first:].strip().lstrip(",;:/(").strip()  # with its article: "co-founded a company"
    out = []
    for seg in group[:-1]:
        words = _latin_words(seg)
        lone = bool(words) and seg.rstrip().endswith(words[-1]) and \
            (len(words) == 1 or words[-2].lower() in ENGLISH.stop)
        generic = lone and words[-1].lower() in ENGLISH.soft  # "research or work in X"
        out.append(f"{seg.rstrip()} {head}" if lone and shares_head(words[-1]) or generic else seg)
    return out + [group[-1]]


def concepts_for(question: str, lexicon: Lexicon, embed: Embed) -> list[list[Concept]]:
    """The question's concepts, in alternatives: "A or B" gives [[A...], [B...]]."""
    segments = [question_terms(seg) for seg in alternatives_of(question)]
    texts = list(dict.fromkeys(x.rstrip("\u0000") for terms in segments for t in terms
                               for x in (t.text,) + t.parts))
    if not texts:
        return []
    vectors = _term_vectors(texts, lexicon, embed)
    lexicon.prepare(vectors)  # every expansion below in one pass over the vocabulary
    out: list[list[Concept]] = []
    for terms in segments:
        base = {t.text: _word_concept(t.text, lexicon, vectors[t.text]) for t in terms
                if not t.parts and not _cut_from_chat(t.text, lexicon)}
        concepts = {k: c for k, c in base.items() if c is not None}
        for term in sorted((t for t in terms if t.parts), key=lambda t: -len(t.parts)):
            if any(part in base and part not in concepts for part in term.parts):
                continue  # a part already belongs to a longer phrase
            text = term.text.rstrip("\u0000")
            if len(term.parts) == 1 and _cut_from_chat(text, lexicon):
                continue  # 都 + 列出来: a piece of chat around a dropped character
            parts = [concepts.get(p) or _word_concept(p, lexicon, vectors[p]) for p in term.parts]
            combined = _phrase_concept(text, [p for p in parts if p is not None], lexicon,
                                       vectors.get(text), [vectors[p] for p in term.parts])
            if combined is not None:
                for part in term.parts + (text,):
                    concepts.pop(part, None)
                concepts[text] = combined
        _read_unseen_compounds(terms, concepts, lexicon, vectors)
        if concepts:
            out.append(_without_named_by_others(list(concepts.values()), question))
    return out


def _without_named_by_others(concepts: list[Concept], question: str = "") -> list[Concept]:
    """The concepts less those another one already names, so that one idea is one requirement:
    - a word that is a piece of another concept's name or term ("core" of "core maintainer", 社区
      of 开源社区), or one of its names, asks for that concept again: it goes;
    - two names of one field ("DevOps and cloud infrastructure", "competitive programming
      contests") are one concept, either name expressing it;
    - a word that is one of another concept's field terms is the narrower of the two ("Flutter
      mobile development", "Kubernetes DevOps", "startup founder"): the broad one goes, since
      the narrower word implies it and is what was asked; but joined to it by "and", a comma
      or 和 ("firmware and embedded software", 嵌入式和固件) the term is one side of the field the
      recruiter names, and the field stays, which the term already expresses.
    Kept, either would be a second requirement that one or two lines rarely meet together. A part
    of another concept's phrase is no such name: 大模型 beside 大模型推理优化 still counts for itself
    (a line on LLMs covers part of the question). Of two names of one thing, the first stays."""
    concepts = list(concepts)
    dropped: set[int] = set()
    for i, concept in enumerate(concepts):
        own = _spellings(concept.label)
        for j, other in enumerate(concepts):
            if i == j or i in dropped or j in dropped or concept.label.lower() in other.label.lower():
                continue
            if i < j and _name_one_field(concept.label, other.label):
                concept = concepts[i] = _merged(concept, other)  # what follows merges all of it
                dropped.add(j)
            elif any(spelled in other.specific for spelled in own):
                if _joined(concept.label, other.label, question) or \
                        _in_other_clauses(concept.label, other.label, question):
                    concepts[j] = _merged(other, concept)
                    dropped.add(i)  # the field stays, the term one of its sides
                else:
                    dropped.add(j)  # the field goes, its term stays
            elif any(spelled <= name for spelled in own for name in other.alternatives[:other.exact]):
                dropped.add(i)
    return [c for k, c in enumerate(concepts) if k not in dropped]


@lru_cache(maxsize=1)
def _topic_rows() -> dict[str, frozenset[int]]:
    """A field's name (lower case) → the rows of the topic table that name it."""
    index: dict[str, set[int]] = {}
    for k, row in enumerate(_topic_table()):
        for name in row["names"]:
            index.setdefault(name.lower(), set()).add(k)
    return {name: frozenset(ks) for name, ks in index.items()}


def _name_one_field(a: str, b: str) -> bool:
    """Whether both are names the topic table gives one field."""
    rows = _topic_rows()
    return bool(rows.get(a.lower(), frozenset()) & rows.get(b.lower(), frozenset()))


@lru_cache(maxsize=1)
def _joiner() -> re.Pattern[str]:
    """What joins two things of one list: "and", "&", a comma, a slash, and the Chinese
    conjunctions of stopwords.toml's [grammar] (和, 与, 及 …)."""
    chinese = _question_grammar()["grammar"].get("conjunctions_zh", "").split()
    return re.compile(rf"\s*(?:and|&|,|，|、|/|{_either(chinese)})\s*", re.I)


def _joined(a: str, b: str, question: str) -> bool:
    """Whether the question writes `a` and `b` side by side with only a joiner between them
    ("firmware and embedded software", 固件、嵌入式)."""
    text = question.lower()
    spans = sorted((text.find(x.lower()), len(x)) for x in (a, b))
    if spans[0][0] < 0:
        return False
    (first, length), (second, _) = spans
    return bool(_joiner().fullmatch(text[first + length:second]))


_CLAUSE_BREAK = re.compile(r"[,，;；。.!?！？:：、]|\s[-–—]+\s|[—–]")


def _in_other_clauses(a: str, b: str, question: str) -> bool:
    """Whether the question writes `a` and `b` in clauses of their own, a comma, a question
    mark or a dash between them ("distributed training, multi-node multi-GPU kind of thing";
    "search engines? think Elasticsearch"): the term then illustrates the field the recruiter
    names, and does not narrow it the way "Kubernetes DevOps" or "Flutter mobile development"
    do."""
    text = question.lower()
    spans = sorted((text.find(x.lower()), len(x)) for x in (a, b))
    if spans[0][0] < 0:
        return False
    (first, length), (second, _) = spans
    return bool(_CLAUSE_BREAK.search(text[first + length:second]))


def _merged(kept: Concept, other: Concept) -> Concept:
    """`kept`, expressed also by what expresses `other` (its exact alternatives rank with
    `kept`'s own, its neighbours with `kept`'s)."""
    exact = tuple(dict.fromkeys(kept.alternatives[:kept.exact] + other.alternatives[:other.exact]))
    loose = tuple(a for a in dict.fromkeys(kept.alternatives[kept.exact:] + other.alternatives[other.exact:])
                  if a not in exact)
    return Concept(kept.label, exact + loose, tuple(dict.fromkeys(kept.expansions + other.expansions)),
                   exact=len(exact), specific=tuple(dict.fromkeys(kept.specific + other.specific)))


def _cut_from_chat(word: str, lexicon: Lexicon) -> bool:
    """A Chinese piece that is no word at all: in no stored passage, in neither table, and not
    in jieba's own dictionary of the language (350,000 words). jieba cuts such pieces from the
    chat around a topic (业务方要 → 方要, 我们组在招 → 组在, 帮我拉个 → 拉个), and as concepts
    they would ask every resume for something none can say. A word the corpus has, a table's
    name or term (点云, 小程序), or a dictionary word (剪枝, 会计师) is kept, found or not."""
    if not is_cjk(word) or not lexicon.terms or lexicon.vector_of(word) is not None \
            or _is_known(word) or word.lower() in _field_terms():
        return False
    return _jieba().dt.FREQ.get(word, 0) <= 0


def _read_unseen_compounds(terms: list[Term], concepts: dict[str, Concept], lexicon: Lexicon,
                           vectors: dict[str, np.ndarray]) -> None:
    """A Chinese word no stored passage contains (分布式服务, 网络通信) and no table names is read by
    the words it is made of (分布式 + 服务), each its own concept like the words of an English
    phrase: as one word it could only match its own spelling."""
    for term in terms:
        word = term.text.rstrip("\u0000")
        if not term.text.endswith("\u0000") or word not in concepts or not lexicon.terms \
                or lexicon.vector_of(word) is not None or _is_known(word):
            continue
        pieces = [p for p in term.parts if not any(p != q and p in q for q in term.parts)]
        found = [c for p in pieces if (c := concepts.get(p) or _word_concept(p, lexicon, vectors[p]))]
        if len(found) > 1:
            del concepts[word]
            concepts.update((c.label, c) for c in found)


def _term_vectors(texts: list[str], lexicon: Lexicon, embed: Embed) -> dict[str, np.ndarray]:
    """Normalized vectors of a question's terms: the lexicon already holds those of the corpus's
    words (embedded the same way), so only the others are embedded now."""
    vectors = {t: v for t in texts if (v := lexicon.vector_of(t)) is not None}
    missing = [t for t in texts if t not in vectors]
    if missing:
        vectors.update(zip(missing, _normalized(embed(missing))))
    return vectors


def _known_names(term: str) -> tuple[str, ...]:
    """Aliases (of the term, or of its singular: "operating systems" → "operating system") and
    the acronym of the term."""
    short = acronym(term)
    known = aliases_of(term) or aliases_of(_singular(term))
    return known + ((short,) if short else ())


_ACRONYM_PLURAL = re.compile(r"^([A-Z][A-Z0-9]+)s$")


def _singular(term: str) -> str:
    """The term with its last English word in the singular, by rule ("systems" → "system")."""
    if re.search(r"[a-z]{3,}[^s]s$", term) and not term.endswith(("ss", "us", "is")):
        return term[:-1]
    return term


def _word_concept(term: str, lexicon: Lexicon, vector: np.ndarray) -> Concept | None:
    own = _spellings(term)
    plural = _ACRONYM_PLURAL.match(term)  # "GPUs" is "GPU" (the stemmer keeps "gpus")
    own += _spellings(plural.group(1)) if plural else ()
    if not own:
        return None
    names = _known_names(term)
    known = names + tuple(lexicon.variants(term, vector, VARIANT_SIMILARITY)) + narrower_terms(term)
    exact = own + tuple(alt for e in known for alt in _spellings(e))
    neighbours = tuple(e for e in lexicon.expand(term, vector) if e not in known) \
        if term not in cased_forms() and not names else ()  # "CV" reads as 简历 (a resume); a
    # name of the alias table has its translations there (量子计算 is "quantum computing", where
    # the embedder also guesses "quantization")
    alts = exact + tuple(alt for e in neighbours for alt in _spellings(e))
    return Concept(term, tuple(dict.fromkeys(alts)), known + neighbours, exact=len(set(exact)),
                   specific=_field_spellings(term))


_MAX_COMBINATIONS = 40


def _phrase_concept(text: str, parts: list[Concept], lexicon: Lexicon,
                    vector: np.ndarray | None, part_vectors: list[np.ndarray]) -> Concept | None:
    """One concept for a phrase that has a name of its own ("speech recognition" = ASR = 语音识别;
    "区块链" ≈ "Blockchain"): its parts must then appear together, or one of its names."""
    names = _known_names(text)
    known = names + narrower_terms(text)
    neighbours = tuple(e for e in lexicon.expand(text, vector) if e not in known
                       and _names_the_whole(lexicon.vector_of(e), vector, part_vectors)) \
        if vector is not None and is_cjk(text) and not names else ()
    if not known and not neighbours and not (is_cjk(text) and len(parts) == 1):
        return None
    exact = [alt for e in (text,) + known for alt in _spellings(e)]
    loose = [alt for e in neighbours for alt in _spellings(e)]
    for tokens, all_exact in _combinations(parts):
        if all_exact and (len(parts) > 1 or not known):  # 图学习 is not 学习 alone (图 is dropped)
            exact.append(tokens)
        elif len(parts) > 1:  # 区块链 is not 区块's neighbour "block"
            loose.append(tokens)
    exact = list(dict.fromkeys(exact))
    loose = [alt for alt in dict.fromkeys(loose) if alt not in exact]
    return Concept(text, tuple(exact + loose), known + neighbours, exact=len(exact),
                   specific=_field_spellings(text))


def _field_spellings(term: str) -> tuple[frozenset[str], ...]:
    """The token sets of the specific terms the topic table gives the field `term` names, but
    the term's own and its aliases' ("statistics" is no specific term of statistics, though
    "statistical" is one)."""
    own = {alt for e in (term,) + _known_names(term) for alt in _spellings(e)}
    return tuple(dict.fromkeys(alt for e in narrower_terms(term) for alt in _spellings(e)
                               if alt not in own))


def _names_the_whole(candidate: np.ndarray | None, whole: np.ndarray,
                     parts: list[np.ndarray]) -> bool:
    """A phrase's neighbour must be closer to the phrase than to any of its parts: 对抗训练 may
    expand to "Adversarial Training", not to "training" (that is 训练's neighbour)."""
    if candidate is None:
        return False
    return all(float(candidate @ whole) > float(candidate @ part) for part in parts)


def _combinations(parts: list[Concept]) -> list[tuple[frozenset[str], bool]]:
    """Every way of writing all the parts together: (tokens, whether every part is exact). A
    part that names a field is written by its own words here, not by the field's terms: 语音
    names speech, but 语音识别 is not "TTS" + 识别."""
    combos: list[tuple[frozenset[str], bool]] = [(frozenset(), True)]
    for part in parts:
        own = [(i, alt) for i, alt in enumerate(part.alternatives) if alt not in part.specific]
        combos = [(tokens | alt, ok and i < part.exact) for tokens, ok in combos for i, alt in own]
        combos = combos[:_MAX_COMBINATIONS]
    return combos


def _spellings(term: str) -> tuple[frozenset[str], ...]:
    """Token sets that each spell the term: "front-end" is "frontend" or "front" + "end"; a cased
    form ("CV") is its own capitals, found only by `cased_tokens`."""
    if term in cased_forms():
        return (frozenset({term}),)
    tokens = tokenize(term)
    if not tokens:
        return ()
    if re.search(r"\w[-_]\w", term):
        joined = tokenize(re.sub(r"[-_]", "", term))
        parts = tokenize(re.sub(r"[-_]", " ", term))
        return tuple(dict.fromkeys(_phrase(t) for t in (joined, parts) if t))
    return (_phrase(tokens),)


def _phrase(tokens: list[str]) -> frozenset[str]:
    """A spelling's tokens, with its words' phrase tokens when it is a phrase of Latin words
    ("continuous batching" is found where the two words stand together, `phrase_tokens`)."""
    return frozenset(tokens) | phrase_tokens(tokens, reach=1)





_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_QUESTION_WORD = re.compile(rf"[{_CJK}]+|(?:(?![{_CJK}])[\w+#.\-/])+")  # "Société", "5G", "C++"


def topic_text(question: str) -> str:
    """What a question asks about, in its own order, without the words that only carry it ("OK so
    which people have actually worked on X, not just listed it?" → "X"); soft words stay."""
    out: list[str] = []
    for match in _QUESTION_WORD.finditer(question):
        word = match.group()
        if is_cjk(word):
            out.extend(_cjk_phrases(word, CHINESE.stop))
        elif word.strip(".-/_") and word.lower().strip(".-") not in ENGLISH.stop:
            out.append(word)
    return " ".join(out) or question


__all__ = ["Lexicon", "Concept", "concepts_for", "vocabulary_of", "question_terms", "topic_text",
           "CJK_STOPWORDS"]
