"""How verified LLM sentences, LLM notices and ingest warnings are shown: Block Kit and terminal."""

from __future__ import annotations

from rich.console import Console

from bot import blocks as bk
from bot.terminal import print_answer, print_summary
from retrieval.types import Answer, FileOutcome
from tests.bot.fake_slack import block_problems, texts_of
from tests.retrieval.fake_llm import make_answer, make_summary

EVIL = "Strong fit <!channel> <https://evil.example|click> — call +1 555 0100 *now*"


def composed() -> Answer:
    answer = make_answer()
    first = answer.candidates[0].model_copy(update={"reason": EVIL,
                                                    "reason_passage_ids": ["li:1", "li:0"]})
    return answer.model_copy(update={"candidates": [first, *answer.candidates[1:]],
                                     "composed_by": "openai:gpt-4o-mini"})


def test_block_kit_shows_the_verified_sentence_escaped_and_masked() -> None:
    message = bk.render_answer(composed(), "k1", mask=True)
    text = "\n".join(texts_of(message.blocks))
    assert "_Why:_ Strong fit &lt;!channel&gt; &lt;https://evil.example|click&gt;" in text
    assert "<!channel>" not in text and "+1 555 0100" not in text and "[phone hidden]" in text
    assert "[2][1]" in text  # the quotes it rests on, by their numbers
    assert "“why” lines by openai:gpt-4o-mini, checked against the quotes" in text
    assert text.count("_Why:_") == 1  # only candidates with a verified sentence
    assert not block_problems(message.blocks)
    assert "+1 555 0100" in "\n".join(texts_of(bk.render_answer(composed(), "k", mask=False).blocks))


def test_block_kit_shows_the_llm_notice() -> None:
    answer = make_answer().model_copy(update={"notice": "LLM unavailable: cannot reach <http://x>"})
    text = "\n".join(texts_of(bk.render_answer(answer, "k1", mask=True).blocks))
    assert ":warning: LLM unavailable: cannot reach &lt;http://x&gt;" in text
    assert "_Why:_" not in text and "“why” lines" not in text


def test_block_kit_summary_overview() -> None:
    summary = make_summary().model_copy(update={
        "overview": "Leads <b>KV cache</b> work; mail mingyuan.li@example.com.",
        "overview_passage_ids": ["li:1"], "composed_by": "openai:gpt-4o-mini"})
    message = bk.render_summary(summary, "李明远", mask=True)
    text = "\n".join(texts_of(message.blocks))
    assert "*overview:* Leads &lt;b&gt;KV cache&lt;/b&gt; work; mail [email hidden]." in text
    assert "_by openai:gpt-4o-mini, from: experience_" in text
    assert not block_problems(message.blocks)
    notice = make_summary().model_copy(update={"notice": "LLM unavailable: no reply within 5 s"})
    assert ":warning: LLM unavailable: no reply within 5 s" in "\n".join(
        texts_of(bk.render_summary(notice, "x", mask=True).blocks))


def test_intake_reply_shows_ingest_warnings() -> None:
    warning = "page 1: 120 characters of invisible text (tiny, off-page or white-on-white) were excluded"
    message = bk.render_intake([FileOutcome(
        source="slack:F1/dana.pdf", status="added", candidate_name="Dana Whitlock", passages=3,
        warnings=[warning, "no candidate name found in the document; labelled by its file name"])])
    text = "\n".join(texts_of(message.blocks))
    assert f":warning: {warning}" in text and "no candidate name found" not in text


def test_terminal_shows_the_sentence_the_notice_and_the_overview() -> None:
    console = Console(record=True, width=200)
    print_answer(console, composed())
    print_answer(console, make_answer().model_copy(update={"notice": "LLM unavailable: [boom]"}))
    summary = make_summary().model_copy(update={"overview": "An LLM inference engineer.",
                                                "overview_passage_ids": ["li:0"],
                                                "composed_by": "openai:gpt-4o-mini"})
    print_summary(console, summary, "李明远")
    out = console.export_text()
    assert f"why: {EVIL} [2][1]" in out
    assert "“why” lines are written by openai:gpt-4o-mini" in out
    assert "LLM unavailable: [boom]" in out
    assert "overview: An LLM inference engineer." in out and "from the lines headline" in out
