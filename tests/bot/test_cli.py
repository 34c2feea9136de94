"""`recruit serve`: configuration problems are one line naming the variable (exit 2); the
manifest asks for what the bot uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

SLACK_VARS = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET",
              "RECRUIT_SLACK_BOT_TOKEN", "RECRUIT_SLACK_APP_TOKEN", "RECRUIT_SLACK_SIGNING_SECRET"]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in SLACK_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env file
    monkeypatch.setenv("RECRUIT_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


@pytest.mark.parametrize("env, args, variable", [
    ({}, [], "SLACK_BOT_TOKEN is not set"),
    ({"SLACK_BOT_TOKEN": "xoxp-123-user-token"}, [], "SLACK_BOT_TOKEN is malformed"),
    ({"SLACK_BOT_TOKEN": "xoxb-123-456-abc"}, [], "SLACK_APP_TOKEN is not set"),
    ({"SLACK_BOT_TOKEN": "xoxb-123-456-abc", "SLACK_APP_TOKEN": "xoxb-wrong-kind"}, [],
     "SLACK_APP_TOKEN is malformed"),
    ({"SLACK_BOT_TOKEN": "xoxb-123-456-abc"}, ["--http", "--port", "0"], "SLACK_SIGNING_SECRET is not set"),
])
def test_missing_or_malformed_tokens_are_one_clear_line(clean_env: pytest.MonkeyPatch, env: dict,
                                                        args: list[str], variable: str) -> None:
    for name, value in env.items():
        clean_env.setenv(name, value)
    result = CliRunner().invoke(app, ["serve", *args])
    assert result.exit_code == 2
    assert variable in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    for value in env.values():
        assert value not in result.output  # never echo a token


def test_rejected_token_is_reported_without_a_stack_trace(clean_env: pytest.MonkeyPatch) -> None:
    from tests.bot.fake_slack import FakeSlack

    slack = FakeSlack()
    try:
        clean_env.setenv("SLACK_BOT_TOKEN", "xoxb-not-the-right-one")
        clean_env.setenv("SLACK_APP_TOKEN", "xapp-1-abc")
        clean_env.setenv("RECRUIT_SLACK_API_URL", slack.api_url)
        result = CliRunner().invoke(app, ["serve"])
    finally:
        slack.stop()
    assert result.exit_code == 2
    assert "SLACK_BOT_TOKEN was rejected by Slack (invalid_auth)" in result.output
    assert "xoxb-not-the-right-one" not in result.output and "Traceback" not in result.output


def test_manifest_asks_for_what_the_bot_uses() -> None:
    yaml = pytest.importorskip("yaml")
    manifest = yaml.safe_load((Path(__file__).parents[2] / "deploy" / "manifest.yml").read_text())
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "im:history", "im:read", "im:write",
            "channels:history", "groups:history", "files:read", "assistant:write"} <= scopes
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_mention", "message.im", "message.channels", "app_home_opened",
            "assistant_thread_started"} <= events
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] is True and home["messages_tab_enabled"] is True
    assert manifest["features"]["assistant_view"]["assistant_description"]
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/recruit"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
