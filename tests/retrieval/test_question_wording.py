"""A topic question is read the same however a recruiter words it: the words that only carry the
request ("looking for", "any resumes mentioning", 有没有, 背景) never become its terms, and the
words of a field never become stop words."""

from __future__ import annotations

import pytest

from retrieval.lexicon import question_terms
from retrieval.tokens import CHINESE, ENGLISH


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
