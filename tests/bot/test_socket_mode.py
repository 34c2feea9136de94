"""Socket Mode: `recruit serve` (no --http) connects through bolt's SocketModeHandler to a fake
Socket Mode WebSocket server on loopback, acks each envelope and answers with the same handlers."""

from __future__ import annotations

import json
import threading
from typing import Any, Iterator

import pytest

from bot.server import serve
from tests.bot.conftest import ALICE, HIRING, SpyAssistant, bot_settings, new_ts
from tests.bot.fake_slack import APP_TOKEN, TEAM, FakeSlack, FakeSocketMode


@pytest.fixture(scope="module")
def socket_bot(fake_slack: FakeSlack, corpus: Any,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSocketMode, Any]]:
    ws = FakeSocketMode()
    fake_slack.socket_url = ws.url
    settings = bot_settings(fake_slack, tmp_path_factory.mktemp("socket"), slack_app_token=APP_TOKEN,
                            slack_signing_secret=None)
    stop, ready = threading.Event(), threading.Event()
    spy = SpyAssistant(corpus)
    thread = threading.Thread(target=serve, daemon=True, kwargs=dict(
        settings=settings, http=False, assistant=spy, stop=stop,
        on_ready=lambda handler, app: ready.set()))
    thread.start()
    assert ready.wait(60)
    ws.wait_connected()
    yield ws, spy
    stop.set()
    thread.join(10)
    ws.stop()


def test_connects_with_the_app_token(socket_bot: tuple[FakeSocketMode, Any], fake_slack: FakeSlack) -> None:
    call = fake_slack.wait_for(lambda c: c.method == "apps.connections.open")[0]
    assert call.headers["authorization"] == f"Bearer {APP_TOKEN}"


def test_mention_envelope_is_acked_and_answered(socket_bot: tuple[FakeSocketMode, Any],
                                                fake_slack: FakeSlack) -> None:
    ws, _ = socket_bot
    ts = new_ts()
    ws.send({"envelope_id": "env-mention-1", "type": "events_api", "accepts_response_payload": False,
             "retry_attempt": 0, "retry_reason": "",
             "payload": {"type": "event_callback", "team_id": TEAM, "event_id": "EvSOCKET0001",
                         "event_time": 1, "event": {
                             "type": "app_mention", "user": ALICE, "channel": HIRING, "ts": ts,
                             "event_ts": ts, "text": "<@UBOT0001> who writes iOS apps in Swift?"}}})
    assert ws.wait_ack("env-mention-1") == {"envelope_id": "env-mention-1"}
    # a workspace that streams: the answer is streamed into the mention's thread, to its asker
    start = fake_slack.wait_for(lambda c: c.method == "chat.startStream"
                                and c.params.get("thread_ts") == ts)[0]
    assert start.params["recipient_user_id"] == ALICE and start.params["recipient_team_id"] == TEAM
    stop = fake_slack.wait_for(lambda c: c.method == "chat.stopStream"
                               and c.params.get("ts") == start.response["ts"])[0]
    assert "Samuel Okafor" in fake_slack.stream_text(start.response["ts"])
    assert any(b["type"] == "context_actions" for b in stop.blocks)


def test_retried_envelope_is_acked_but_answered_once(socket_bot: tuple[FakeSocketMode, Any],
                                                     fake_slack: FakeSlack) -> None:
    ws, spy = socket_bot
    ts = new_ts()
    payload = {"type": "event_callback", "team_id": TEAM, "event_id": "EvSOCKET0002", "event_time": 1,
               "event": {"type": "app_mention", "user": ALICE, "channel": HIRING, "ts": ts,
                         "event_ts": ts, "text": "<@UBOT0001> who knows Vitis HLS?"}}
    ws.send({"envelope_id": "env-a", "type": "events_api", "retry_attempt": 0, "payload": payload})
    ws.send({"envelope_id": "env-b", "type": "events_api", "retry_attempt": 1,
             "retry_reason": "timeout", "payload": payload})
    ws.wait_ack("env-a")
    ws.wait_ack("env-b")
    fake_slack.wait_for(lambda c: c.method == "chat.stopStream"
                        and "Elena Voss" in fake_slack.stream_text(c.params["ts"])
                        and "Vitis HLS" in fake_slack.stream_text(c.params["ts"]))
    streams = fake_slack.quiet(lambda c: c.method == "chat.startStream"
                               and c.params.get("thread_ts") == ts)
    assert len(streams) == 1
    assert [q for q, _ in spy.asks].count("who knows Vitis HLS?") == 1


def test_slash_command_envelope_answers_on_the_response_url(socket_bot: tuple[FakeSocketMode, Any],
                                                            fake_slack: FakeSlack) -> None:
    ws, _ = socket_bot
    ws.send({"envelope_id": "env-cmd-1", "type": "slash_commands", "accepts_response_payload": True,
             "payload": {"token": "x", "team_id": TEAM, "channel_id": HIRING, "user_id": ALICE,
                         "command": "/recruit", "text": "ask who studies graph neural networks?",
                         "response_url": fake_slack.response_url("socket-cmd"),
                         "trigger_id": "1.2.3"}})
    ws.wait_ack("env-cmd-1")
    reply = fake_slack.wait_for(lambda c: c.kind == "response_url" and c.method == "socket-cmd")[0]
    assert reply.params["response_type"] == "ephemeral" and "Hana Sato" in reply.all_text

    ws.send({"envelope_id": "env-cmd-2", "type": "slash_commands", "accepts_response_payload": True,
             "payload": {"token": "x", "team_id": TEAM, "channel_id": HIRING, "user_id": ALICE,
                         "command": "/recruit", "text": "help",
                         "response_url": fake_slack.response_url("socket-help"),
                         "trigger_id": "1.2.4"}})
    ack = ws.wait_ack("env-cmd-2")  # help comes back in the ack's payload itself
    assert "/recruit summary" in json.dumps(ack["payload"])


def test_messages_tab_greets_with_prompts_over_socket_mode(socket_bot: tuple[FakeSocketMode, Any],
                                                           fake_slack: FakeSlack) -> None:
    ws, _ = socket_bot
    ws.send({"envelope_id": "env-home-1", "type": "events_api", "retry_attempt": 0,
             "payload": {"type": "event_callback", "team_id": TEAM, "event_id": "EvSOCKET0003",
                         "event_time": 1, "event": {"type": "app_home_opened", "user": ALICE,
                                                    "channel": "DSOCKET01", "tab": "messages",
                                                    "event_ts": new_ts()}}})
    ws.wait_ack("env-home-1")
    prompts = fake_slack.wait_for(lambda c: c.method == "assistant.threads.setSuggestedPrompts"
                                  and c.params.get("channel_id") == "DSOCKET01")[0]
    assert "thread_ts" not in prompts.params and len(prompts.params["prompts"]) == 3
