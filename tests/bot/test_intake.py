"""Resume intake over Slack: files shared in an intake channel or a DM are downloaded with the
bot token and ingested into a fresh store; bad files get a clear reason each."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from bot.intake import allowed_host
from bot.slack import NO_ACCESS
from bot.assistant import Assistant
from tests import fixtures as fx
from tests.bot.conftest import (ALICE, DM_ALICE, HIRING, INTAKE, MALLORY, Bot, answer_in,
                                bot_settings, make_settings, run_bot)
from tests.bot.fake_slack import BOT_TOKEN, Call, FakeSlack


@pytest.fixture(scope="module")
def bot(fake_slack: FakeSlack, embeddings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """A bot over an empty store of its own (the shared corpus stays untouched)."""
    data = tmp_path_factory.mktemp("intake")
    assistant = Assistant(make_settings(data / "store"), embeddings=embeddings)
    settings = bot_settings(fake_slack, data / "bot", allowed_users=[ALICE],
                            intake_channels=[INTAKE], max_file_mb=1)
    yield from run_bot(fake_slack, settings, assistant)


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docs")


def share(bot: Bot, docs: Path, files: list[tuple[str, str, Any]], *, channel: str,
          user: str = ALICE, channel_type: str = "channel") -> str:
    """Put files on the fake Slack and post the file_share message that announces them."""
    shared = []
    for file_id, name, content in files:
        if callable(content):
            data = content(docs / name).read_bytes()
            bot.slack.add_file(file_id, name, data)
        else:
            bot.slack.add_file(file_id, name, content[0], size=content[1])
        shared.append({"id": file_id, "name": name})
    return bot.message("", channel=channel, user=user, channel_type=channel_type, files=shared)


def report(bot: Bot, channel: str, ts: str, files: int) -> Call:
    """The thread reply: "Reading N files…", updated in place with one line per file."""
    placeholder = bot.slack.wait_for(lambda c: c.method == "chat.postMessage"
                                     and c.params.get("channel") == channel
                                     and c.params.get("thread_ts") == ts)[0]
    assert "Reading" in placeholder.all_text
    return bot.slack.wait_for(lambda c: c.method == "chat.update"
                              and c.params.get("ts") == placeholder.response["ts"]
                              and f"of {files} files stored" in c.params.get("text", ""),
                              timeout=60)[0]


def test_pdf_shared_in_the_intake_channel_is_stored_and_answerable(bot: Bot, docs: Path) -> None:
    ts = share(bot, docs, [("F0PDF001", "jane_example_resume.pdf", fx.write_wordwise_pdf)],
               channel=INTAKE)
    done = report(bot, INTAKE, ts, 1)
    assert "✅" in done.all_text and "Jane Q. Example" in done.all_text
    assert "jane_example_resume.pdf" in done.all_text and "passages stored" in done.all_text
    assert "Experience" in done.all_text  # its sections
    info = bot.slack.wait_for(lambda c: c.method == "files.info")[0]
    assert info.params["file"] == "F0PDF001"
    download = bot.slack.wait_for(lambda c: c.kind == "file" and c.method == "F0PDF001")[0]
    assert download.headers["authorization"] == f"Bearer {BOT_TOKEN}"

    ask = bot.mention("who knows React and TypeScript?", channel=HIRING)
    answer = answer_in(bot, HIRING, ask)  # searchable at once, cited by its Slack file name
    assert "Jane Q. Example" in answer.all_text and "jane_example_resume.pdf" in answer.all_text


def test_dm_files_good_and_bad_get_one_line_each(bot: Bot, docs: Path) -> None:
    ts = share(bot, docs, [
        ("F0DOCX01", "wang_jingyi_resume.docx", fx.write_docx),
        ("F0TEXT01", "samuel_okafor_resume.txt", fx.write_text),
        ("F0BROKEN", "broken_resume.pdf", fx.write_corrupt_pdf),
        ("F0PNG001", "photo.png", fx.write_unsupported),
        ("F0HUGE01", "huge_resume.pdf", (b"%PDF-1.4 tiny", 5_000_000)),
    ], channel=DM_ALICE, channel_type="im")
    done = report(bot, DM_ALICE, ts, 5)
    lines = {line.split("*")[1]: line for line in done.all_text.splitlines() if line.count("*") >= 2}
    assert "✅" in lines["wang_jingyi_resume.docx"] and "王静怡" in lines["wang_jingyi_resume.docx"]
    assert "✅" in lines["samuel_okafor_resume.txt"] and "Samuel Okafor" in lines["samuel_okafor_resume.txt"]
    assert "❌" in lines["broken_resume.pdf"]
    assert "❌" in lines["photo.png"] and "unsupported file type (.png)" in lines["photo.png"]
    assert "❌" in lines["huge_resume.pdf"] and "5.0 MB" in lines["huge_resume.pdf"] \
        and "limit is 1 MB" in lines["huge_resume.pdf"]
    assert "2 of 5 files stored" in done.params["text"]
    downloaded = {c.method for c in bot.slack.calls if c.kind == "file"}
    assert "F0HUGE01" not in downloaded and "F0PNG001" not in downloaded  # refused before download


def test_same_file_again_is_not_stored_twice(bot: Bot, docs: Path) -> None:
    ts = share(bot, docs, [("F0TEXT02", "samuel_again.txt", fx.write_text)], channel=DM_ALICE,
               channel_type="im")
    done = report(bot, DM_ALICE, ts, 1)
    assert "already stored" in done.all_text and "Samuel Okafor" in done.all_text


def test_upload_by_someone_not_allowed_is_refused(bot: Bot, docs: Path) -> None:
    before = len(bot.slack.calls_to("files.info"))
    share(bot, docs, [("F0MAL001", "mallory.txt", fx.write_text)], channel=INTAKE, user=MALLORY)
    refusal = bot.slack.wait_for(lambda c: c.method == "chat.postEphemeral"
                                 and c.params.get("user") == MALLORY)[0]
    assert NO_ACCESS in refusal.all_text
    assert len(bot.slack.calls_to("files.info")) == before


def test_files_in_other_channels_are_left_alone(bot: Bot, docs: Path) -> None:
    before = len(bot.slack.calls_to("files.info"))
    ts = share(bot, docs, [("F0ELSE01", "elena.md", fx.write_markdown)], channel=HIRING)
    assert not bot.slack.quiet(lambda c: c.params.get("thread_ts") == ts, 0.3)
    assert len(bot.slack.calls_to("files.info")) == before


def test_token_only_goes_to_slack_hosts() -> None:
    api = "https://slack.com/api/"
    assert allowed_host("https://files.slack.com/files-pri/T1-F1/a.pdf", api)
    assert not allowed_host("http://files.slack.com/files-pri/T1-F1/a.pdf", api)  # not https
    assert not allowed_host("https://evil.example/a.pdf", api)
    assert not allowed_host("https://slack.com.evil.example/a.pdf", api)
    assert allowed_host("http://127.0.0.1:8080/files-pri/x", "http://127.0.0.1:8080/api/")
    assert not allowed_host("http://127.0.0.1:9999/files-pri/x", "http://127.0.0.1:8080/api/")
