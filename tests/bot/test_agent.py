"""The bot as an AI app, over real HTTP against the fake Slack (a workspace that streams): the
Messages tab's greeting and suggested prompts, the status line, streamed answers and their
fallback, feedback with its modal and export, and the App Home tab."""

from __future__ import annotations

import json
import os
import stat
import time
from typing import Any, Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from typer.testing import CliRunner

from bot import blocks as bk
from bot import views
from bot.cli import app as cli
from retrieval.errors import RecruitError
from tests.bot.conftest import (ALICE, BOB, DM_ALICE, HIRING, INTAKE, MALLORY, Bot, SpyAssistant,
                                answer_in, bot_settings, in_thread, message_ts, new_ts, run_bot)
from bot.delivery import documents_in
from tests.bot.fake_slack import (BOT_TOKEN, TEAM, FakeSlack, action_body, buttons_of, post_to_bot,
                                  view_submission_body)
from tests.bot.test_app import giant_answer
from tests import fixtures as fx


@pytest.fixture(scope="module")
def bot(fake_slack: FakeSlack, corpus: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    settings = bot_settings(fake_slack, tmp_path_factory.mktemp("agent"),
                            allowed_users=[ALICE, BOB], intake_channels=[INTAKE])
    yield from run_bot(fake_slack, settings, SpyAssistant(corpus))


def home_opened(bot: Bot, tab: str, user: str = ALICE, channel: str = "DAGENT001") -> None:
    status, _, _ = bot.event({"type": "app_home_opened", "user": user, "channel": channel,
                              "tab": tab, "event_ts": new_ts()})
    assert status == 200


def statuses(bot: Bot, channel: str, thread: str) -> list[str]:
    return bot.slack.statuses.get((channel, thread), [])


def submit(bot: Bot, view: dict, values: dict, user: str = ALICE) -> None:
    status, _, _ = post_to_bot(bot.events_url, view_submission_body(view, values, user=user),
                               "application/x-www-form-urlencoded")
    assert status == 200


# --- the Messages tab --------------------------------------------------------------------------


def test_messages_tab_greets_once_with_prompts_from_the_store(bot: Bot, corpus: Any) -> None:
    home_opened(bot, "messages", channel="DAGENT001")
    call = bot.slack.wait_for(lambda c: c.method == "assistant.threads.setSuggestedPrompts"
                              and c.params.get("channel_id") == "DAGENT001")[0]
    assert "thread_ts" not in call.params  # agent messaging: prompts without a thread
    titles = [p["title"] for p in call.params["prompts"]]
    assert len(titles) == 3 and titles[2] == "Paste a job description"
    topic = titles[0].removeprefix("Who has worked on ").rstrip("?")
    assert titles[0].startswith("Who has worked on ") and topic
    texts = [corpus.document_text(s) or "" for p in corpus.candidates() for s in p.sources]
    assert any(topic in t for t in texts)  # a topic that really occurs
    assert titles[1].removeprefix("Summarize ") in {p.name for p in corpus.candidates()}
    bot.slack.wait_for(lambda c: c.method == "chat.postMessage" and c.params["channel"] == "DAGENT001"
                       and "Hi!" in c.all_text)

    home_opened(bot, "messages", channel="DAGENT001")  # once per user
    calls = bot.slack.quiet(lambda c: c.params.get("channel_id") == "DAGENT001"
                            or c.params.get("channel") == "DAGENT001", 0.5)
    assert len([c for c in calls if c.method == "chat.postMessage"]) == 1


def test_messages_tab_of_a_refused_user_shows_no_candidates(bot: Bot) -> None:
    home_opened(bot, "messages", user=MALLORY, channel="DMALLORY1")
    refusal = bot.slack.wait_for(lambda c: c.method == "chat.postMessage"
                                 and c.params["channel"] == "DMALLORY1")[0]
    assert "don't have access" in refusal.all_text
    assert not [c for c in bot.slack.quiet(lambda c: c.params.get("channel_id") == "DMALLORY1", 0.3)]


def test_job_description_prompt_asks_for_the_text(bot: Bot) -> None:
    ts = bot.message("Paste a job description", channel=DM_ALICE, channel_type="im")
    hint = bot.slack.wait_for(lambda c: c.method == "chat.postMessage" and in_thread(DM_ALICE, ts)(c))[0]
    assert "job description" in hint.all_text and "next message" in hint.all_text


# --- status and streamed answers ------------------------------------------------------------


def test_dm_question_streams_into_its_thread_with_a_status_line(bot: Bot) -> None:
    ts = bot.message("Who has shipped iOS apps with Swift and SwiftUI?", channel=DM_ALICE,
                     channel_type="im")
    answer = answer_in(bot, DM_ALICE, ts, needle="Samuel Okafor")
    start = bot.slack.wait_for(lambda c: c.method == "chat.startStream"
                               and c.params.get("thread_ts") == ts)[0]
    assert "recipient_user_id" not in start.params  # a DM needs no recipient
    appends = [c for c in bot.slack.calls_to("chat.appendStream")
               if c.params["ts"] == message_ts(answer)]
    assert appends and all(len(c.params["markdown_text"]) <= bk.MAX_MARKDOWN for c in appends)
    assert "**1. Samuel Okafor**" in answer.all_text and "“" in answer.all_text
    labels = {b["text"]["text"] for b in buttons_of(answer.blocks)}
    assert {"Summarize Samuel Okafor", "Share [1]", "👍", "👎"} <= labels
    shown = bot.slack.quiet(lambda c: c.method == "assistant.threads.setStatus"
                            and c.params["thread_ts"] == ts, 0.3)
    assert shown[0].params["status"] == f"Searching {documents_in(bot.assistant.real):,} resumes…"
    assert "Checking quotes…" in shown[0].params["loading_messages"]
    assert statuses(bot, DM_ALICE, ts)[-1] == ""  # cleared when the answer landed

    # the DM thread is a conversation: a follow-up there is about its candidates
    bot.message("tell me more about the first one", channel=DM_ALICE, channel_type="im",
                thread_ts=ts)
    card = bot.slack.wait_for(lambda c: c.method == "chat.postMessage" and in_thread(DM_ALICE, ts)(c)
                              and "*Samuel Okafor* — summary" in c.all_text)[0]
    assert card


def test_channel_mention_streams_to_its_asker(bot: Bot) -> None:
    ts = bot.mention("who knows React and TypeScript?")
    answer = answer_in(bot, HIRING, ts)
    start = bot.slack.wait_for(lambda c: c.method == "chat.startStream"
                               and c.params.get("thread_ts") == ts)[0]
    assert start.params["recipient_user_id"] == ALICE and start.params["recipient_team_id"] == TEAM
    assert "Jane Q. Example" in answer.all_text
    assert "+1 555 0100" not in answer.all_text  # a channel: contacts masked in the stream too
    bot.click(next(b for b in buttons_of(answer.blocks) if b["action_id"].startswith(bk.SUMMARIZE)),
              message={"ts": message_ts(answer), "thread_ts": ts})
    bot.slack.wait_for(lambda c: c.method == "chat.postMessage" and in_thread(HIRING, ts)(c)
                       and "*Jane Q. Example* — summary" in c.all_text)


def test_streamed_markup_from_a_document_is_inert(bot: Bot) -> None:
    ts = bot.mention("who knows COBOL and JCL on the mainframe?")
    text = bot.slack.stream_text(message_ts(answer_in(bot, HIRING, ts)))
    assert "Mallory Injector" in text
    for raw in ("<!channel>", "<!here>", "<@U123>", "<https://evil", "<b>"):
        assert raw not in text
    assert "&lt;!channel&gt;" in text


def test_an_older_workspace_gets_post_and_update(bot: Bot) -> None:
    bot.slack.streaming = False
    try:
        ts = bot.mention("who knows Kubernetes and Helm?")
        answer = answer_in(bot, HIRING, ts)
    finally:
        bot.slack.streaming = True
    assert answer.method == "chat.update" and "Marcus Feld" in answer.all_text
    refused = [c for c in bot.slack.calls if c.method == "chat.startStream"
               and c.params.get("thread_ts") == ts]
    assert [c.status for c in refused] == [400]
    bot.slack.wait_for(lambda c: c.method == "assistant.threads.setStatus"
                       and c.params["thread_ts"] == ts and c.params["status"] == "")


def test_a_failing_question_clears_the_status_and_says_why(bot: Bot) -> None:
    bot.assistant.raising["who breaks the search?"] = RecruitError("the store is unreachable")
    ts = bot.mention("who breaks the search?")
    stop = bot.slack.wait_for(lambda c: c.method == "chat.stopStream"
                              and "unreachable" in bot.slack.stream_text(c.params["ts"]))[0]
    assert "Sorry" in bot.slack.stream_text(stop.params["ts"])
    assert statuses(bot, HIRING, ts)[-1] == ""  # cleared before the failure was said


def test_a_giant_answer_streams_within_the_limits(bot: Bot) -> None:
    question = "who has built distributed systems at scale?"
    bot.assistant.canned[question] = giant_answer(question)
    ts = bot.mention(question)
    answer = answer_in(bot, HIRING, ts)  # the fake rejects any call over its limits
    ranks = bk.first_page_ranks(giant_answer(question), "k", mask=True)
    assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) > 3
    last, after = f"Person {len(ranks) - 1:02d}", f"Person {len(ranks):02d}"
    assert f"**{len(ranks)}. {last}**" in answer.all_text and after not in answer.all_text
    more = next(b for b in buttons_of(answer.blocks) if b["action_id"] == bk.SHOW_MORE)
    bot.click(more, message={"ts": message_ts(answer), "thread_ts": ts})
    bot.slack.wait_for(lambda c: c.method == "chat.postMessage" and in_thread(HIRING, ts)(c)
                       and f"*{len(ranks) + 1}. {after}*" in c.all_text)


def test_the_fake_enforces_the_stream_contract(fake_slack: FakeSlack) -> None:
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    with pytest.raises(SlackApiError) as e:  # a channel needs the recipient's ids
        client.chat_startStream(channel=HIRING, thread_ts="1.2")
    assert e.value.response["error"] == "missing_recipient_ids"
    with pytest.raises(SlackApiError) as e:
        client.chat_startStream(channel=DM_ALICE, thread_ts="1.2", markdown_text="x" * 12_001)
    assert e.value.response["error"] == "msg_too_long"
    ts = client.chat_startStream(channel=DM_ALICE, thread_ts="1.2", markdown_text="a")["ts"]
    client.chat_appendStream(channel=DM_ALICE, ts=ts, markdown_text="b" * 12_000)
    client.chat_stopStream(channel=DM_ALICE, ts=ts)
    with pytest.raises(SlackApiError) as e:
        client.chat_appendStream(channel=DM_ALICE, ts=ts, markdown_text="c")
    assert e.value.response["error"] == "message_not_in_streaming_state"
    with pytest.raises(SlackApiError):
        client.api_call("assistant.threads.setStatus", json={"channel_id": DM_ALICE, "thread_ts": ts})
    with pytest.raises(SlackApiError):
        client.assistant_threads_setStatus(channel_id=DM_ALICE, thread_ts=ts, status="x",
                                           loading_messages=[str(i) for i in range(11)])
    with pytest.raises(SlackApiError):  # feedback_buttons belong in context_actions
        client.chat_postMessage(channel=DM_ALICE, text="x", blocks=[{"type": "actions", "elements": [
            bk.feedback("k", "q", [])["elements"][0]]}])


# --- feedback that teaches ------------------------------------------------------------------


def logged_until(log: Any, wanted: Any, timeout: float = 15.0) -> list[dict]:
    """The feedback log's entries once one of them is `wanted`: the bot writes a submission after
    it has acknowledged it, so a busy machine may take a moment."""
    deadline = time.monotonic() + timeout
    while True:
        entries = ([json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
                   if log.exists() else [])
        if any(wanted(e) for e in entries) or time.monotonic() > deadline:
            return entries
        time.sleep(0.05)


def test_thumbs_down_reasons_are_logged_privately_and_exported(bot: Bot, corpus: Any,
                                                               tmp_path: Any) -> None:
    question = "who has built speech recognition systems?"
    ts = bot.mention(question)
    answer = answer_in(bot, HIRING, ts)
    down = next(b for b in buttons_of(answer.blocks) if b.get("half") == "negative_button")
    bot.click(down, user=BOB, message={"ts": message_ts(answer), "thread_ts": ts})
    form = bot.slack.wait_for(lambda c: c.method == "views.open"
                              and c.view.get("callback_id") == views.FEEDBACK_VIEW)[-1]
    view = form.view
    missed = next(o for b in view["blocks"] if b.get("block_id") == "missed"
                  for o in b["element"]["options"] if o["text"]["text"] == "Samuel Okafor")
    submit(bot, view, {
        "reasons": {"reasons": {"type": "checkboxes", "selected_options": [
            {"value": "missed_someone"}, {"value": "bad_quote"}]}},
        "missed": {"missed": {"type": "multi_static_select", "selected_options": [missed]}},
        "note": {"note": {"type": "plain_text_input",
                          "value": "mail boss@example.com or call +1 555 0199"}}}, user=BOB)
    log = bot.settings.data_dir / "feedback" / "feedback.jsonl"
    entries = logged_until(log, lambda e: e.get("kind") == "reasons")  # written after the ack
    reasons = next(e for e in entries if e.get("kind") == "reasons")
    vote = next(e for e in entries if e["id"] == reasons["id"] and e["kind"] == "vote")
    assert vote["verdict"] == "down" and reasons["reasons"] == ["missed_someone", "bad_quote"]
    assert reasons["missed"] == [{"id": "samuel-okafor", "files": ["samuel_okafor_resume.txt"]}]
    raw = log.read_text(encoding="utf-8")
    assert "boss@example.com" not in raw and "555 0199" not in raw  # contacts masked
    wang = corpus.document_text(next(p for p in corpus.candidates() if p.name == "王静怡").sources[0])
    assert not any(line.strip() and len(line.strip()) > 20 and line.strip() in raw
                   for line in wang.splitlines())  # no resume text
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(log.parent).st_mode) == 0o700

    out = tmp_path / "feedback-eval.jsonl"
    result = CliRunner().invoke(cli, ["feedback", "export", "--data-dir", str(bot.settings.data_dir),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    questions = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    mine = next(q for q in questions if "speech recognition" in q["question"])
    assert set(mine) == {"id", "question", "type", "relevant", "acceptable"}
    assert mine["type"] == "who_has" and mine["relevant"] == ["samuel_okafor_resume.txt"]
    assert "wang_jingyi_resume.docx" in mine["acceptable"]


def test_feedback_log_is_appended_not_rewritten(bot: Bot) -> None:
    log = bot.settings.data_dir / "feedback" / "feedback.jsonl"
    before = log.read_bytes() if log.exists() else b""
    ts = bot.mention("who knows Prometheus and Grafana?")
    answer = answer_in(bot, HIRING, ts)
    up = next(b for b in buttons_of(answer.blocks) if b.get("half") == "positive_button")
    name = bot.click(up, message={"ts": message_ts(answer), "thread_ts": ts})
    bot.slack.wait_for(lambda c: c.kind == "response_url" and c.method == name)
    after = log.read_bytes()
    assert after.startswith(before) and len(after.splitlines()) == len(before.splitlines()) + 1
    assert json.loads(after.splitlines()[-1])["verdict"] == "up"


# --- App Home -----------------------------------------------------------------------------------


def test_home_tab_shows_the_store_settings_and_uploads(bot: Bot, corpus: Any, tmp_path: Any) -> None:
    home_opened(bot, "home")
    home = bot.slack.wait_for(lambda c: c.method == "views.publish" and c.params["user_id"] == ALICE)[-1]
    text = json.dumps(home.view, ensure_ascii=False)
    assert f"*{documents_in(corpus)}* documents · *{len(corpus.candidates())}* candidates" in text
    assert f"<@{ALICE}>" in text and "<#CINTAKE01>" in text and "only in DMs" in text
    upload = next(b for b in buttons_of(home.view["blocks"]) if b["action_id"] == views.UPLOAD)

    count = len(bot.slack.calls_to("views.open"))
    status, _, _ = post_to_bot(bot.events_url, action_body(upload, user=ALICE, channel="",
                                                           response_url="", message=None),
                               "application/x-www-form-urlencoded")
    assert status == 200
    form = bot.slack.wait_for(lambda c: c.method == "views.open", count=count + 1)[-1].view
    assert form["callback_id"] == views.UPLOAD_VIEW
    path = fx.write_text(tmp_path / "nadia_example_resume.txt")
    meta = bot.slack.add_file("F0HOME01", "nadia_resume.txt", path.read_bytes())
    broken = bot.slack.add_file("F0HOME02", "scan.png", b"\x89PNG")
    submit(bot, form, {"files": {"files": {"type": "file_input", "files": [meta, broken]}}})
    report = bot.slack.wait_for(lambda c: c.method == "chat.postMessage" and c.params["channel"] == ALICE
                                and "files stored" in c.params.get("text", ""))[0]
    assert "nadia_resume.txt" in report.all_text and "❌" in report.all_text
    refreshed = bot.slack.wait_for(lambda c: c.method == "views.publish"
                                   and "nadia_resume.txt" in json.dumps(c.view))[-1]
    assert "scan.png" in json.dumps(refreshed.view) and "uploads failed" in json.dumps(refreshed.view)


def test_home_tab_of_a_refused_user_is_a_refusal(bot: Bot) -> None:
    home_opened(bot, "home", user=MALLORY)
    home = bot.slack.wait_for(lambda c: c.method == "views.publish" and c.params["user_id"] == MALLORY)[0]
    text = json.dumps(home.view)
    assert "don't have access" in text and "documents" not in text
