"""A topic question is read the same however a recruiter words it: the words that only carry the
request ("looking for", "any resumes mentioning", 有没有, 背景) never become its terms, the words
of a field never become stop words, and a translation the embedder guessed does not alone make
someone a match."""

from __future__ import annotations

import pytest

from retrieval.lexicon import Concept, question_terms
from retrieval.search import Evidence, Query, fuse
from retrieval.tokens import CHINESE, ENGLISH
from retrieval.types import Passage


def specific_terms(question: str) -> set[str]:
    """The question's terms that are words of their own (not phrases built from them)."""
    return {t.text.rstrip("\u0000") for t in question_terms(question) if not t.parts}


@pytest.mark.parametrize("question", [
    "Who has worked on Kubernetes?",
    "Looking for Kubernetes engineers",
    "Any resumes mentioning Kubernetes?",
    "Find me someone with hands-on Kubernetes experience",
    "Which applicants have strong Kubernetes skills?",
    "I need a Kubernetes expert",
    "who've we got with Kubernetes?",
    "Who has shipped Kubernetes before?",
    "Kubernetes",
])
def test_english_request_wording_leaves_only_the_topic(question: str) -> None:
    assert specific_terms(question) == {"Kubernetes"}


@pytest.mark.parametrize("question", [
    "谁做过强化学习？",
    "有没有人熟悉强化学习？",
    "哪些候选人有强化学习背景？",
    "强化学习方向的候选人",
    "帮我找一下懂强化学习的人",
    "谁擅长强化学习？",
])
def test_chinese_request_wording_leaves_only_the_topic(question: str) -> None:
    assert specific_terms(question) == {"强化学习"}


@pytest.mark.parametrize("question, topic", [
    ("Who has done deep learning?", {"deep", "learning"}),
    ("Looking for engineers who have managed a team", {"managed", "team"}),
    ("Who has worked on time series forecasting?", {"series", "forecasting"}),
])
def test_words_of_a_field_stay_terms(question: str, topic: set[str]) -> None:
    assert topic <= specific_terms(question)


@pytest.mark.parametrize("word", ["deep", "team", "time", "security", "design", "推荐", "系统", "数据"])
def test_request_vocabulary_holds_no_domain_word(word: str) -> None:
    assert word not in ENGLISH.stop and word not in CHINESE.stop


# --- a guessed translation alone -------------------------------------------------------------


def _distillation_query() -> Query:
    """"distillation", with its alias 蒸馏 and a neighbour the embedder guessed (沉淀, "to settle":
    close in vector space, another meaning)."""
    concept = Concept("distillation", (frozenset({"distil"}), frozenset({"蒸馏"}), frozenset({"沉淀"})),
                      exact=2)
    return Query("Who has worked on distillation?", [[concept]], {"distillation": 1.0})


def _lone(text: str, relative: float) -> Evidence:
    passage = Passage(id="p:0", document_id="d", candidate_id="c", candidate_name="C",
                      source="c.md", text=text, start=0, end=len(text))
    [ev] = fuse([(passage, 0.2)], [], {"p:0": 0.2}, _distillation_query(), {})
    ev.mentions, ev.relative_similarity = 1, relative
    return ev


def test_a_lone_guessed_translation_needs_the_meaning_too() -> None:
    """One passage whose only match is a guessed neighbour supports a candidate only when its
    meaning is at least at the pool's median; the question's own word or an alias is trusted
    down to lone_mention_similarity."""
    guessed_far = _lone("逐渐沉淀与主导公司产品研发", relative=-0.5)
    guessed_close = _lone("逐渐沉淀与主导公司产品研发", relative=0.3)
    own_word = _lone("Led model distillation for on-device ranking", relative=-0.5)
    alias = _lone("负责模型蒸馏与压缩", relative=-0.5)

    assert guessed_far.guessed and not guessed_far.supports
    assert guessed_close.supports
    assert not own_word.guessed and own_word.supports
    assert not alias.guessed and alias.supports
