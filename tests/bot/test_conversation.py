"""What a message asks, and what a thread follow-up refers to."""

from __future__ import annotations

from bot.conversation import (follow_up_query, is_chatter, mentions, pick_candidate, question_of,
                              refers_back, wants_summary)
from bot.state import ThreadContext

CTX = ThreadContext(question="who works on quantization?", candidate_ids=["elena-voss", "li-ming-yuan"],
                    names=["Elena Voss", "李明远"])


def test_question_of_strips_the_mention_and_slack_markup() -> None:
    text = "<@UBOT0001> who knows <https://react.dev|React> &amp; <mailto:a@b.c|a@b.c>?"
    assert question_of(text, "UBOT0001") == "who knows React & a@b.c?"
    assert mentions("<@UBOT0001> hi", "UBOT0001") and not mentions("hi", "UBOT0001")


def test_follow_ups_name_a_candidate_of_the_thread() -> None:
    assert pick_candidate("tell me more about the second one", CTX) == 1
    assert pick_candidate("and the first candidate?", CTX) == 0
    assert pick_candidate("the last one", CTX) == 1
    assert pick_candidate("what about #1", CTX) == 0
    assert pick_candidate("more on Elena please", CTX) == 0
    assert pick_candidate("李明远的项目经历", CTX) == 1
    assert pick_candidate("the fifth one", CTX) is None
    assert pick_candidate("who was first author?", CTX) is None
    assert pick_candidate("what about their publications?", CTX) is None


def test_follow_up_intent() -> None:
    assert wants_summary("tell me more about the second one")
    assert not wants_summary("what about the second one's publications at NeurIPS?")
    assert follow_up_query("only those with a PhD") == "with a PhD"
    assert follow_up_query("what about their publications?") == "publications?"
    assert follow_up_query("those") == "those"
    assert refers_back("what about their publications?") and refers_back("the second one")
    assert not refers_back("who knows Kubernetes?")
    assert is_chatter("thanks!") and is_chatter("ok") and not is_chatter("who knows Go?")
