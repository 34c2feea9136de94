"""Job descriptions in Slack, over real HTTP to the bot and a fake Slack: /recruit match, a
pasted multi-line job, the message shortcut, the drop / flip buttons, Share, Compare."""

from __future__ import annotations

import json
import time
from typing import Any, Iterator
from urllib.parse import urlencode

import pytest

from bot import blocks as bk
from bot.slack import FIND_CANDIDATES
from tests.bot.conftest import ALICE, DM_ALICE, HIRING, Bot, bot_settings, run_bot
from tests.bot.fake_slack import TEAM, FakeSlack, buttons_of, post_to_bot
from tests.bot.test_match import IOS_JOB


@pytest.fixture(scope="module")
def bot(fake_slack: FakeSlack, corpus: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    fake_slack.streaming = False
    settings = bot_settings(fake_slack, tmp_path_factory.mktemp("matchbot"),
                            allowed_users=[ALICE], allowed_channels=[HIRING])
    yield from run_bot(fake_slack, settings, corpus)


def reply_to(bot: Bot, name: str) -> Any:
    return bot.slack.wait_for(lambda c: c.kind == "response_url" and c.method == name)[0]


def button(params_or_call: Any, prefix: str) -> dict:
    blocks = params_or_call.get("blocks", []) if isinstance(params_or_call, dict) \
        else params_or_call.blocks
    found = [b for b in buttons_of(blocks) if b["action_id"].startswith(prefix)]
    assert found, [b["action_id"] for b in buttons_of(blocks)]
    return found[0]


def test_slash_match_shows_requirements_and_a_shortlist(bot: Bot) -> None:
    name, status, _ = bot.command("match " + IOS_JOB)
    assert status == 200
    reply = reply_to(bot, name)
    text = reply.all_text
    assert "Requirements read" in text and "Senior iOS Engineer" in text
    assert "*1. Samuel Okafor* ★" in text and "✅" in text
    assert "B.S. Computer Science" in text  # the degree's quote
    ids = {b["action_id"].split(":")[0] for b in buttons_of(reply.params["blocks"])}
    assert {bk.MATCH_EDIT, bk.SUMMARIZE, bk.MATCH_SHARE, bk.MATCH_COMPARE} <= ids


def test_drop_button_reranks_without_the_requirement(bot: Bot) -> None:
    name, _, _ = bot.command("match " + IOS_JOB)
    reply = reply_to(bot, name)
    drop = next(b for b in buttons_of(reply.params["blocks"])
                if b["action_id"] == f"{bk.MATCH_EDIT}:drop:r1")
    clicked = bot.click(drop, message=None)
    redone = reply_to(bot, clicked)
    assert redone.params.get("replace_original") is True
    assert "(dropped)" in redone.all_text and "Drop r1" not in redone.all_text


def test_compare_and_share_buttons(bot: Bot) -> None:
    name, _, _ = bot.command("match " + IOS_JOB)
    reply = reply_to(bot, name)
    compared = reply_to(bot, bot.click(button(reply.params, bk.MATCH_COMPARE), message=None))
    assert "Samuel Okafor" in compared.all_text and "✅" in compared.all_text
    shared = bot.click(button(reply.params, bk.MATCH_SHARE), message=None)
    posted = bot.slack.wait_for(lambda c: c.method == "chat.postMessage"
                                and "shortlist for" in c.all_text)[0]
    assert posted.params["channel"] == HIRING and "Samuel Okafor" in posted.all_text
    reply_to(bot, shared)


def test_a_pasted_job_description_in_a_dm_gets_a_shortlist(bot: Bot) -> None:
    bot.message(IOS_JOB, channel=DM_ALICE, channel_type="im")
    posted = bot.slack.wait_for(lambda c: c.method == "chat.postMessage"
                                and c.params.get("channel") == DM_ALICE
                                and "Requirements read" in c.all_text)[0]
    assert "Samuel Okafor" in posted.all_text


def test_compare_in_a_dm(bot: Bot) -> None:
    bot.message("compare Samuel Okafor and Marcus Feld", channel=DM_ALICE, channel_type="im")
    posted = bot.slack.wait_for(lambda c: c.method == "chat.postMessage"
                                and c.params.get("channel") == DM_ALICE
                                and "Marcus Feld" in c.all_text and "Samuel Okafor" in c.all_text)
    assert posted


def test_message_shortcut_finds_candidates_for_the_message(bot: Bot) -> None:
    name = "shortcut1"
    payload = {"type": "message_action", "callback_id": FIND_CANDIDATES,
               "team": {"id": TEAM, "domain": "fake"}, "user": {"id": ALICE, "team_id": TEAM},
               "channel": {"id": HIRING, "name": "hiring"}, "api_app_id": "A0FAKE",
               "token": "legacy-verification-token", "trigger_id": "1337.42.mnop",
               "message_ts": "1700000000.000100", "response_url": bot.slack.response_url(name),
               "message": {"type": "message", "user": "UBOB0001", "ts": "1700000000.000100",
                           "text": IOS_JOB}, "action_ts": str(time.time())}
    status, _, _ = post_to_bot(bot.events_url, urlencode({"payload": json.dumps(payload)}).encode(),
                               "application/x-www-form-urlencoded")
    assert status == 200
    reply = reply_to(bot, name)
    assert "Requirements read" in reply.all_text and "Samuel Okafor" in reply.all_text
