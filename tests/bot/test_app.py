"""The real bolt app over real HTTP (`recruit serve --http` machinery), driven by requests signed
as Slack signs them, talking to a fake Slack Web API that records every call."""

from __future__ import annotations

import html
import json
import logging
import time
import urllib.request
from typing import Any, Iterator

import pytest

from bot import blocks as bk
from bot.slack import NO_ACCESS, NO_CHANNEL
from retrieval.types import Answer, CandidateHit, Citation
from tests.bot.conftest import (ALICE, BOB, DM_ALICE, HIRING, MALLORY, RANDOM, Bot, SpyAssistant,
                                answer_in, bot_settings, in_thread, message_ts, new_ts, run_bot)
from tests.bot.fake_slack import (BOT_TOKEN, SIGNING_SECRET, Call, FakeSlack, buttons_of,
                                  event_body, post_to_bot, sign)


@pytest.fixture(scope="module")
def bot(fake_slack: FakeSlack, corpus: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    # A workspace that does not stream yet: these tests pin the post-and-update path (streamed
    # answers, status lines, the Messages and Home tabs are tests/bot/test_agent.py).
    fake_slack.streaming = False
    settings = bot_settings(fake_slack, tmp_path_factory.mktemp("bot"),
                            allowed_users=[ALICE, BOB], allowed_channels=[HIRING])
    yield from run_bot(fake_slack, settings, SpyAssistant(corpus))


# --- helpers -------------------------------------------------------------------------------


def button(call: Call | dict, prefix: str, nth: int = 0) -> dict:
    blocks = call.blocks if isinstance(call, Call) else call.get("blocks", [])
    found = [b for b in buttons_of(blocks) if b["action_id"].startswith(prefix)]
    assert len(found) > nth, f"no {prefix} button in {[b['action_id'] for b in buttons_of(blocks)]}"
    return found[nth]


def unescaped(text: str) -> str:
    return html.unescape(text)


def quotes_of(call: Call) -> list[str]:
    """The verbatim quotes (between “ and ”) of an answer message."""
    out = []
    for text in [b["text"]["text"] for b in call.blocks if b.get("type") == "section"]:
        if "“" in text:
            out.append(unescaped(text.split("“", 1)[1].rsplit("”", 1)[0]).strip("…"))
    return out


def norm(text: str) -> str:
    return " ".join(text.split())


# --- HTTP mode basics ----------------------------------------------------------------------


def test_health_endpoint(bot: Bot) -> None:
    with urllib.request.urlopen(bot.base_url + "/health", timeout=5) as r:
        assert r.status == 200 and json.loads(r.read()) == {"ok": True}
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(bot.base_url + "/nope", timeout=5)
    assert e.value.code == 404


def test_url_verification_challenge(bot: Bot) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"}).encode()
    status, response, _ = post_to_bot(bot.events_url, body, "application/json")
    assert status == 200 and b"abc123" in response


def test_bad_signature_is_rejected(bot: Bot) -> None:
    ts = new_ts()
    body = event_body({"type": "app_mention", "user": ALICE, "text": "<@UBOT0001> who knows Go?",
                       "ts": ts, "channel": HIRING})
    status, _, _ = post_to_bot(bot.events_url, body, "application/json",
                               signature=sign(body, int(time.time()), "not-the-secret"))
    assert status == 401
    tampered = body.replace(b"who knows Go?", b"who knows Rust")
    status, _, _ = post_to_bot(bot.events_url, tampered, "application/json",
                               signature=sign(body, int(time.time())))
    assert status == 401
    assert not bot.slack.quiet(in_thread(HIRING, ts), 0.3)


def test_stale_timestamp_is_rejected(bot: Bot) -> None:
    ts = new_ts()
    body = event_body({"type": "app_mention", "user": ALICE, "text": "<@UBOT0001> who knows Go?",
                       "ts": ts, "channel": HIRING})
    stale = int(time.time()) - 10 * 60  # correctly signed, but replayed ten minutes later
    status, _, _ = post_to_bot(bot.events_url, body, "application/json", timestamp=stale)
    assert status == 401
    assert not bot.slack.quiet(in_thread(HIRING, ts), 0.3)


# --- asking ----------------------------------------------------------------------------------


def test_mention_gets_a_cited_answer_in_its_thread(bot: Bot, corpus: Any) -> None:
    started = time.monotonic()
    ts = bot.mention("who knows React and TypeScript?")
    assert time.monotonic() - started < 3.0  # acked within Slack's limit, work continues after
    call = answer_in(bot, HIRING, ts)
    text = call.all_text
    assert "Jane Q. Example" in text
    assert "*[1]*" in text and "jane_example_resume.pdf" in text and "p. " in text
    jane = next(c for c in corpus.candidates() if c.name == "Jane Q. Example")
    document = corpus.document_text(jane.sources[0])
    quotes = quotes_of(call)
    assert quotes and all(norm(q) in norm(document) for q in quotes)  # verbatim
    assert {"Summarize", "Share snippet", "👍", "👎"} <= {b["text"]["text"] for b in buttons_of(call.blocks)}
    assert all(b["text"].get("verbatim") for b in call.blocks if b.get("type") == "section")
    assert bot.state.threads.get(HIRING, ts).candidate_ids[0] == "jane-q-example"


def test_dm_question_is_answered_in_the_dm(bot: Bot) -> None:
    bot.message("Who has shipped iOS apps with Swift and SwiftUI?", channel=DM_ALICE,
                channel_type="im")
    call = answer_in(bot, DM_ALICE, None, needle="iOS apps")
    assert "Samuel Okafor" in call.all_text


def test_slash_command_is_ephemeral_then_shared_with_the_channel(bot: Bot) -> None:
    started = time.monotonic()
    name, status, _ = bot.command("ask who writes Kubernetes operators in Go?")
    assert status == 200 and time.monotonic() - started < 3.0
    reply = bot.slack.wait_for(lambda c: c.kind == "response_url" and c.method == name)[0]
    assert reply.params["response_type"] == "ephemeral"
    assert "Marcus Feld" in reply.all_text
    assert not [c for c in bot.slack.calls_to("chat.postMessage") if "Marcus Feld" in c.all_text]

    share = button(reply.params, bk.SHARE_ANSWER)
    confirm = bot.click(share, message=None)  # the answer was ephemeral: no message in the payload
    posted = bot.slack.wait_for(lambda c: c.method == "chat.postMessage" and c.kind == "api"
                                and "Marcus Feld" in c.all_text)[0]
    assert posted.params["channel"] == HIRING and "thread_ts" not in posted.params
    assert f"Shared by <@{ALICE}>" in posted.all_text
    assert not [b for b in buttons_of(posted.blocks) if b["action_id"] == bk.SHARE_ANSWER]
    bot.slack.wait_for(lambda c: c.kind == "response_url" and c.method == confirm
                       and "Shared with the channel" in c.all_text)


def test_slash_summary_candidates_and_help(bot: Bot) -> None:
    name, _, _ = bot.command("summary Marcus Feld")
    summary = bot.slack.wait_for(lambda c: c.kind == "response_url" and c.method == name)[0]
    assert "Marcus Feld" in summary.all_text and "summary" in summary.all_text
    assert "+31 6 5550 0199" not in summary.all_text  # a channel reply: contacts masked

    name, _, _ = bot.command("candidates")
    people = bot.slack.wait_for(lambda c: c.kind == "response_url" and c.method == name)[0]
    for who in ("Jane Q. Example", "Marcus Feld", "李明远", "王静怡", "Hana Sato"):
        assert who in people.all_text
    hana = next(b for b in buttons_of(people.params["blocks"]) if "Hana Sato" in b["value"])
    clicked = bot.click(hana, message=None)  # from the ephemeral list: answered privately
    card = bot.slack.wait_for(lambda c: c.kind == "response_url" and c.method == clicked)[0]
    assert "*Hana Sato* — summary" in card.all_text and card.params["response_type"] == "ephemeral"

    _, status, body = bot.command("help")  # answered in the ack itself
    assert status == 200 and b"/recruit summary" in body


def test_thread_follow_ups_keep_the_candidates_of_the_thread(bot: Bot) -> None:
    spy: SpyAssistant = bot.assistant
    root = bot.mention("who works on quantization?")
    first = answer_in(bot, HIRING, root)
    ctx = bot.state.threads.get(HIRING, root)
    shown = set(ctx.candidate_ids)
    assert {"elena-voss", "li-ming-yuan"} <= shown and "hana-sato" not in shown, first.all_text

    # "tell me more about the second one" → the summary of the second candidate shown
    bot.message("tell me more about the second one", channel=HIRING, thread_ts=root)
    second = ctx.names[1]
    bot.slack.wait_for(lambda c: c.method == "chat.postMessage" and in_thread(HIRING, root)(c)
                       and f"*{second}* — summary" in c.all_text)

    # "what about their publications?" → asked only about the thread's candidates
    bot.message("what about their publications?", channel=HIRING, thread_ts=root)
    scoped = answer_in(bot, HIRING, root, needle="their publications")
    assert spy.asks[-1][1] == shown
    assert "Hana Sato" not in scoped.all_text  # she has publications, but is not in this thread

    # "only those with a PhD" → 李明远 (清华大学 博士), not Elena Voss
    bot.message("only those with a PhD", channel=HIRING, thread_ts=root)
    phd = answer_in(bot, HIRING, root, needle="only those with a PhD")
    assert spy.asks[-1][1] == shown
    assert "*1. 李明远*" in phd.all_text and "*2. " not in phd.all_text
    assert bot.state.threads.get(HIRING, root).candidate_ids == ["li-ming-yuan"]

    # chatter in the thread is not a question
    bot.message("thanks!", channel=HIRING, thread_ts=root)
    count = len(spy.asks)
    bot.slack.quiet(in_thread(HIRING, root), 0.3)
    assert len(spy.asks) == count


def test_share_snippet_posts_the_cited_passage_for_everyone(bot: Bot) -> None:
    ts = bot.mention("who knows React and TypeScript?")
    answer = answer_in(bot, HIRING, ts)
    quote = quotes_of(answer)[0]
    snippet = button(answer, bk.SHARE_SNIPPET)
    bot.click(snippet, user=BOB, message={"ts": message_ts(answer), "thread_ts": ts})
    shared = bot.slack.wait_for(lambda c: c.method == "chat.postMessage"
                                and f"<@{BOB}> shared a snippet" in c.all_text)[0]
    assert shared.params["channel"] == HIRING and "thread_ts" not in shared.params
    assert "*Jane Q. Example*" in shared.all_text and "jane_example_resume.pdf" in shared.all_text
    assert norm(quote) in norm(unescaped(shared.all_text))


def test_shared_snippet_masks_contacts_even_after_a_restart(bot: Bot, corpus: Any) -> None:
    jane = next(c for c in corpus.candidates() if c.name == "Jane Q. Example")
    text = corpus.document_text(jane.sources[0])
    end = text.index("Portland") + len("Portland")
    assert "+1 555 0100" in text[:end]
    # a button from before a restart: the answer is no longer cached, the passage is re-read
    value = {"a": "gone", "r": 1, "n": 1, "id": jane.id, "m": jane.name, "s": jane.sources[0],
             "b": 0, "e": end, "p": 1, "x": None}
    old = bk.button("Share snippet", f"{bk.SHARE_SNIPPET}:1:1", value)
    bot.click(old, user=BOB, message={"ts": new_ts()})
    shared = bot.slack.wait_for(lambda c: c.method == "chat.postMessage"
                                and f"<@{BOB}> shared a snippet" in c.all_text
                                and "Portland" in c.all_text)[0]
    assert "+1 555 0100" not in shared.all_text and "jane.example@example.com" not in shared.all_text
    assert "[phone hidden]" in shared.all_text and "[email hidden]" in shared.all_text


def test_summarize_button_posts_the_summary_in_the_thread(bot: Bot) -> None:
    ts = bot.mention("who has built speech recognition systems?")
    answer = answer_in(bot, HIRING, ts)
    assert "王静怡" in answer.all_text
    bot.click(button(answer, bk.SUMMARIZE), message={"ts": message_ts(answer), "thread_ts": ts})
    summary = bot.slack.wait_for(lambda c: c.method == "chat.postMessage" and in_thread(HIRING, ts)(c)
                                 and "*王静怡* — summary" in c.all_text)[0]
    assert "wang_jingyi_resume.docx" in summary.all_text
    assert "138-0000-0000" not in summary.all_text and "[phone hidden]" in summary.all_text


def test_contacts_are_shown_in_a_dm_to_an_allowed_user(bot: Bot) -> None:
    bot.message("who has built speech recognition systems?", channel=DM_ALICE, channel_type="im")
    answer = answer_in(bot, DM_ALICE, None, needle="speech recognition")
    bot.click(button(answer, bk.SUMMARIZE), channel=DM_ALICE, message={"ts": message_ts(answer)})
    summary = bot.slack.wait_for(lambda c: c.method == "chat.postMessage"
                                 and c.params.get("channel") == DM_ALICE
                                 and "*王静怡* — summary" in c.all_text)[0]
    assert "138-0000-0000" in summary.all_text


def feedback_half(call: Call, half: str = "negative_button") -> dict:
    """One half of the answer's `feedback_buttons` (👍 positive_button, 👎 negative_button)."""
    found = [b for b in buttons_of(call.blocks) if b.get("half") == half]
    assert found, f"no feedback_buttons in {call.blocks}"
    return found[0]


def test_feedback_vote_is_recorded(bot: Bot) -> None:
    ts = bot.mention("who knows Kubernetes and Helm?")
    answer = answer_in(bot, HIRING, ts)
    [element] = [e for b in answer.blocks if b["type"] == "context_actions" for e in b["elements"]]
    assert element["type"] == "feedback_buttons"
    name = bot.click(feedback_half(answer), user=BOB,
                     message={"ts": message_ts(answer), "thread_ts": ts})
    bot.slack.wait_for(lambda c: c.kind == "response_url" and c.method == name
                       and "recorded" in c.all_text)
    lines = (bot.settings.data_dir / "feedback" / "feedback.jsonl").read_text(
        encoding="utf-8").splitlines()
    entry = json.loads(lines[-1])
    assert entry["question"] == "who knows Kubernetes and Helm?"
    assert entry["verdict"] == "down" and entry["user"] == BOB and entry["channel"] == HIRING
    assert "marcus-feld" in [p["id"] for p in entry["answer"]]
    assert ["marcus_feld_cv.pdf"] in [p["files"] for p in entry["answer"]]
    # 👎 asks what was wrong, in a modal
    form = bot.slack.wait_for(lambda c: c.method == "views.open"
                              and entry["id"] in c.view.get("private_metadata", ""))[-1]
    assert form.view["title"]["text"] == "What went wrong?"


# --- who may see what ------------------------------------------------------------------------


def test_refused_user_gets_a_polite_refusal_and_nothing_else(bot: Bot) -> None:
    spy: SpyAssistant = bot.assistant
    count = len(spy.asks)
    ts = bot.mention("who knows React and TypeScript?", user=MALLORY)
    refusal = bot.slack.wait_for(lambda c: c.method == "chat.postEphemeral"
                                 and c.params.get("user") == MALLORY)[0]
    assert NO_ACCESS in refusal.all_text and "Jane" not in refusal.all_text
    assert not [c for c in bot.slack.quiet(in_thread(HIRING, ts), 0.3)
                if c.method != "chat.postEphemeral"]

    _, status, body = bot.command("ask who knows React?", user=MALLORY)
    assert status == 200 and json.loads(body) == {"text": NO_ACCESS, "response_type": "ephemeral"}

    answer = bot.slack.calls_to("chat.update")[-1]
    bot.click(button(answer, bk.SUMMARIZE), user=MALLORY, message={"ts": message_ts(answer)})
    bot.slack.wait_for(lambda c: c.kind == "response_url" and NO_ACCESS in c.all_text)
    assert len(spy.asks) == count


def test_channel_outside_the_allow_list_is_refused(bot: Bot) -> None:
    bot.mention("who knows Swift?", channel=RANDOM)
    refusal = bot.slack.wait_for(lambda c: c.method == "chat.postEphemeral"
                                 and c.params.get("channel") == RANDOM)[0]
    assert NO_CHANNEL in refusal.all_text and "Samuel" not in refusal.all_text


def test_document_markup_is_quoted_harmlessly(bot: Bot) -> None:
    ts = bot.mention("who knows COBOL and JCL on the mainframe?")
    answer = answer_in(bot, HIRING, ts)
    assert "Mallory Injector" in answer.all_text
    text = answer.all_text
    for raw in ("<!channel>", "<!here>", "<@U123>", "<https://evil", "<b>"):
        assert raw not in text
    assert "&lt;!channel&gt;" in text and "&lt;https://evil.example/login|click here&gt;" in text
    assert "&amp;" in text
    bot.click(button(answer, bk.SHARE_SNIPPET), message={"ts": message_ts(answer), "thread_ts": ts})
    shared = bot.slack.wait_for(lambda c: c.method == "chat.postMessage"
                                and "Mallory Injector" in c.all_text and "shared a snippet" in c.all_text)[0]
    assert "<!channel>" not in shared.all_text and "&lt;!channel&gt;" in shared.all_text
    assert "<!" not in shared.all_text.replace(f"<@{ALICE}>", "")


# --- delivery ----------------------------------------------------------------------------------


def test_duplicate_delivery_is_answered_once(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="recruit.slack")
    spy: SpyAssistant = bot.assistant
    ts = new_ts()
    event = {"type": "app_mention", "user": ALICE, "text": "<@UBOT0001> who knows Terraform?",
             "ts": ts, "channel": HIRING}
    first = bot.event(dict(event), event_id="EvDUPLICATE1")
    retry = bot.event(dict(event), event_id="EvDUPLICATE1",
                      headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert first[0] == retry[0] == 200
    # the same message as a second event (message.channels) is not answered again either
    bot.event({"type": "message", "channel": HIRING, "user": ALICE, "ts": ts,
               "text": "<@UBOT0001> who knows Terraform?", "channel_type": "channel"})
    answer = answer_in(bot, HIRING, ts)
    calls = bot.slack.quiet(lambda c: in_thread(HIRING, ts)(c)
                            or c.params.get("ts") == answer.params["ts"], 0.5)
    assert len([c for c in calls if c.method == "chat.postMessage"]) == 1
    assert len([c for c in calls if c.method == "chat.update"]) == 1
    assert [q for q, _ in spy.asks].count("who knows Terraform?") == 1
    assert "duplicate delivery of event EvDUPLICATE1 ignored (retry 1)" in caplog.text


def test_rate_limited_post_is_retried_after_retry_after(bot: Bot) -> None:
    bot.slack.fail_next("chat.postMessage", 429, retry_after=1)
    ts = bot.mention("who knows Prometheus and Grafana?")
    answer = answer_in(bot, HIRING, ts)
    assert "Marcus Feld" in answer.all_text
    attempts = [c for c in bot.slack.calls if c.method == "chat.postMessage"
                and c.params.get("thread_ts") == ts]
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0  # Retry-After honoured


def test_rate_limited_response_url_is_retried(bot: Bot) -> None:
    bot.slack.fail_next("response:cmd-limited", 429, retry_after=1)
    bot.command("ask who knows SwiftUI?", name="cmd-limited")
    bot.slack.wait_for(lambda c: c.kind == "response_url" and c.method == "cmd-limited")
    attempts = [c for c in bot.slack.calls if c.kind == "response_url" and c.method == "cmd-limited"]
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0 and "Samuel Okafor" in attempts[1].all_text


def giant_answer(question: str) -> Answer:
    """30 candidates × 3 citations of 5,000 characters: far beyond one Slack message."""
    hits = []
    for i in range(30):
        quote = f"Candidate {i} & <friends> " + "built distributed systems " * 200
        cites = [Citation(passage_id=f"d{i}:{n}", quote=quote, source=f"/docs/person_{i}.pdf",
                          page=n + 1, section="Experience", start=0, end=len(quote))
                 for n in range(3)]
        hits.append(CandidateHit(id=f"person-{i}", name=f"Person {i:02d}", sources=[f"/docs/person_{i}.pdf"],
                                 score=1.0 - i / 100, citations=cites))
    return Answer(question=question, no_match=False, candidates=hits, prose="Long prose. " * 1500)


def test_answer_beyond_slack_limits_is_cut_with_show_more(bot: Bot) -> None:
    question = "who has built distributed systems at scale?"
    bot.assistant.canned[question] = giant_answer(question)
    ts = bot.mention(question)
    page = answer_in(bot, HIRING, ts)  # the fake Slack rejects anything over the limits
    seen: set[str] = set()
    for n in range(2, 60):
        assert len(page.blocks) <= 50
        assert not [b for b in page.blocks if len(b.get("text", {}).get("text", "")) > 3000]
        assert all(len(b.get("value", "")) <= 2000 for b in buttons_of(page.blocks))
        seen |= {f"Person {i:02d}" for i in range(30) if f"*{i + 1}. Person {i:02d}*" in page.all_text}
        more = [b for b in buttons_of(page.blocks) if b["action_id"] == bk.SHOW_MORE]
        if not more:
            break
        bot.click(more[0], message={"ts": message_ts(page), "thread_ts": ts})
        page = bot.slack.wait_for(lambda c: c.method == "chat.postMessage"
                                  and in_thread(HIRING, ts)(c)
                                  and f"continued — page {n} of" in c.all_text)[0]
    assert n > 3 and seen == {f"Person {i:02d}" for i in range(30)}


def test_tokens_never_reach_logs_or_messages(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    ts = bot.mention("who knows React and TypeScript?")
    answer_in(bot, HIRING, ts)
    for call in bot.slack.calls:
        if call.kind != "file":
            assert BOT_TOKEN not in json.dumps(call.params)
        assert SIGNING_SECRET not in json.dumps(call.params)
    assert BOT_TOKEN not in caplog.text and SIGNING_SECRET not in caplog.text


def test_summarize_in_a_mention_answers_with_the_card(bot: Bot) -> None:
    ts = bot.mention("summarize Marcus Feld")
    card = bot.slack.wait_for(lambda c: c.method == "chat.postMessage" and in_thread(HIRING, ts)(c)
                              and "*Marcus Feld* — summary" in c.all_text)[0]
    assert "marcus_feld_cv.pdf" in card.all_text
    assert "+31 6 5550 0199" not in card.all_text  # a channel reply: contacts masked


def test_a_message_naming_one_candidate_in_other_words_gets_the_card(bot: Bot) -> None:
    ts = bot.mention("before my call with Marcus Feld at 3, give me the highlights")
    card = bot.slack.wait_for(lambda c: c.method == "chat.postMessage" and in_thread(HIRING, ts)(c)
                              and "*Marcus Feld* — summary" in c.all_text)[0]
    assert "marcus_feld_cv.pdf" in card.all_text


def test_who_is_question_that_names_nobody_is_answered_as_a_question(bot: Bot) -> None:
    name, _, _ = bot.command("who is a licensed commercial pilot?")
    reply = bot.slack.wait_for(lambda c: c.kind == "response_url" and c.method == name)[0]
    assert "— summary" not in reply.all_text and "No candidate named" not in reply.all_text
