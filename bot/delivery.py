"""Where an answer goes: streamed into its thread where Slack streams (`chat.startStream` →
`chat.appendStream` per candidate → `chat.stopStream` with the buttons), else the older
post-and-update ("Searching…" posted, then replaced by the answer). And the thread's status line
(`assistant.threads.setStatus`) while the question runs.

Streaming is tried only where Slack's contract allows it: in a thread, and outside a DM with the
asking user's `recipient_user_id` and `recipient_team_id`. A workspace that refuses it (any error
from `chat.startStream`) gets the post-and-update path for that question. A stream that breaks
half-way is stopped and its message replaced by the answer's blocks with `chat.update`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import blocks as bk
from retrieval.types import Answer

if TYPE_CHECKING:
    from bot.protocol import Responder

log = logging.getLogger("recruit.slack")

SEARCHING = "_Searching the resumes…_"
CHECKING = "Checking quotes…"
RANKING = "Ranking candidates…"


def _error(e: SlackApiError) -> str:
    return str(e.response.get("error", "error"))


@dataclass
class Target:
    """Who asked where: the reply's thread (None: top level) and the stream's thread."""

    channel: str
    user: str | None
    team: str | None
    dm: bool
    reply_ts: str | None  # where a posted reply goes
    stream_ts: str | None  # the thread a stream (and the status) goes into

    def may_stream(self) -> bool:
        return bool(self.stream_ts) and (self.dm or bool(self.user and self.team))


def status_lines(documents: int) -> list[str]:
    what = f"Searching {documents:,} resume{'s' if documents != 1 else ''}…" if documents \
        else "Searching the resumes…"
    return [what, CHECKING, RANKING]


class Status:
    """The thread's status line; best effort (a surface without one just has none)."""

    def __init__(self, client: WebClient, channel: str, thread_ts: str | None):
        self.client, self.channel, self.thread_ts = client, channel, thread_ts
        self.shown = False

    def show(self, lines: list[str]) -> None:
        if not self.thread_ts:
            return
        try:
            self.client.assistant_threads_setStatus(channel_id=self.channel, thread_ts=self.thread_ts,
                                                    status=lines[0], loading_messages=lines[:10])
            self.shown = True
        except SlackApiError as e:
            log.info("no status line here (%s)", _error(e))

    def clear(self) -> None:
        if not self.shown:
            return
        try:
            self.client.assistant_threads_setStatus(channel_id=self.channel,
                                                    thread_ts=self.thread_ts or "", status="")
        except SlackApiError as e:
            log.info("could not clear the status line (%s)", _error(e))
        self.shown = False


class Reply:
    """An answer on its way; `ts` is its message (and the thread key of a top-level reply)."""

    ts: str | None = None

    def finish(self, answer: Answer, key: str, *, mask: bool, note: str | None) -> None:
        raise NotImplementedError

    def fail(self, text: str) -> None:
        raise NotImplementedError


class UpdatedReply(Reply):
    """The post-and-update path: the placeholder is replaced by the answer (or the failure)."""

    def __init__(self, client: WebClient, target: Target):
        self.client, self.target = client, target
        result = client.chat_postMessage(channel=target.channel, thread_ts=target.reply_ts,
                                         unfurl_links=False, unfurl_media=False,
                                         **bk.render_notice(SEARCHING).payload())
        self.ts = str(result.get("ts"))

    def finish(self, answer: Answer, key: str, *, mask: bool, note: str | None) -> None:
        message = bk.render_answer(answer, key, mask=mask, note=note)
        self.client.chat_update(channel=self.target.channel, ts=self.ts, **message.payload())

    def fail(self, text: str) -> None:
        self.client.chat_update(channel=self.target.channel, ts=self.ts,
                                **bk.render_notice(text).payload())


class StreamedReply(Reply):
    """The stream: the question at once, then each candidate as it is written, then the buttons."""

    def __init__(self, client: WebClient, target: Target, question: str):
        self.client, self.target = client, target
        extra = {} if target.dm else {"recipient_user_id": target.user,
                                       "recipient_team_id": target.team}
        result = client.chat_startStream(channel=target.channel, thread_ts=target.stream_ts,
                                         markdown_text=bk.stream_header(question), **extra)
        self.ts = str(result.get("ts"))
        self.open = True

    def finish(self, answer: Answer, key: str, *, mask: bool, note: str | None) -> None:
        try:
            for part in bk.answer_markdown(answer, key, mask=mask, note=note):
                self.client.chat_appendStream(channel=self.target.channel, ts=self.ts,
                                              markdown_text=part)
            self.client.chat_stopStream(channel=self.target.channel, ts=self.ts,
                                        blocks=bk.stream_blocks(answer, key, mask=mask, note=note))
            self.open = False
        except SlackApiError as e:  # e.g. the stream expired: the whole answer as blocks instead
            log.warning("stream broke (%s): replacing it with the answer's blocks", _error(e))
            self._stop()
            message = bk.render_answer(answer, key, mask=mask, note=note)
            self.client.chat_update(channel=self.target.channel, ts=self.ts, **message.payload())

    def fail(self, text: str) -> None:
        try:
            self.client.chat_stopStream(channel=self.target.channel, ts=self.ts,
                                        markdown_text=bk.md_escape(text.replace("_", "")))
            self.open = False
        except SlackApiError:
            self._stop()
            self.client.chat_update(channel=self.target.channel, ts=self.ts,
                                    **bk.render_notice(text).payload())

    def _stop(self) -> None:
        if not self.open:
            return
        self.open = False
        try:
            self.client.chat_stopStream(channel=self.target.channel, ts=self.ts)
        except SlackApiError:
            pass


def open_reply(client: WebClient, target: Target, question: str) -> Reply:
    """A stream where Slack takes one, else the post-and-update placeholder."""
    if target.may_stream():
        try:
            return StreamedReply(client, target, question)
        except SlackApiError as e:
            log.info("streaming refused here (%s): posting and updating instead", _error(e))
    return UpdatedReply(client, target)


def documents_in(assistant: Responder) -> int:
    """How many documents the store holds (the assistant's current snapshot, read-only)."""
    return assistant.document_count()
