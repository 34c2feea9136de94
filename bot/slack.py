"""The Slack app: mentions, DMs, thread follow-ups, /recruit, buttons, resume intake, the
Messages tab's greeting and suggested prompts, the App Home tab, and feedback with its modal.

`build_app` registers thin handlers over one `Bot` that holds the assistant and the bot's memory.
Every listener acks at once; the work runs in a bolt lazy listener (so the same code serves HTTP
mode, where `process_before_response=True` keeps the HTTP response for the ack alone, and Socket
Mode). Rendering is `bot.blocks` (messages) and `bot.views` (home, modals); how an answer reaches
Slack (streamed, or posted and updated) and the status line are `bot.delivery`; downloads and
ingest are `bot.intake`.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (ConnectionErrorRetryHandler,
                                                   RateLimitErrorRetryHandler)
from slack_sdk.webhook import WebhookClient

from bot import blocks as bk
from bot import views
from bot.blocks import Message
from bot.conversation import (follow_up_query, is_chatter, is_dm, is_job_prompt, mentions,
                              pick_candidate, question_of, refers_back, wants_summary)
from bot.delivery import (SEARCHING, Reply, Status, StreamedReply, Target, documents_in, open_reply,
                          status_lines)
from bot.intake import DownloadError, download, intake_files
from bot.match import Matcher, asks_for_match, compare_request, is_job_description
from bot.prompts import TITLE as PROMPTS_TITLE
from bot.prompts import suggested_prompts
from bot.state import (AnswerCache, Deliveries, FeedbackLog, Intake, IntakeLog, JsonSet,
                       ThreadContext, ThreadMemory)
from candidates.contacts import mask_contacts
from retrieval.errors import RecruitError
from retrieval.settings import Settings
from retrieval.types import Answer, CandidateInfo, FileOutcome

if TYPE_CHECKING:
    from bot.protocol import Responder

__all__ = ["SEARCHING", "build_app", "make_client", "Bot"]

log = logging.getLogger("recruit.slack")

NO_ACCESS = ("Sorry — you don't have access to the recruiting assistant. "
             "Ask a workspace admin to add you.")
NO_CHANNEL = ("Sorry — I don't answer in this channel. "
              "Ask me in a DM, or in a channel where I'm enabled.")
FAILED = "Sorry — something went wrong on my side; the error was logged."
NOT_IN_CHANNEL = "I can't post in this channel yet: invite me with `/invite @recruit`."
GREETING = ("Hi! I answer questions about the candidates in the resumes I have read, quoting the "
            "documents. Ask away, pick a suggestion, or send me resumes as files.")
FIND_CANDIDATES = "find_candidates"  # the message shortcut "Find candidates for this job"
MATCH_EXPIRED = "That shortlist has expired; please paste the job description again."
JOB_HINT = ("Paste the job description in your next message (here, in this thread) and I will "
            "list the candidates who fit it best, with quotes.")


def retry_handlers() -> list:
    """Connection errors once, HTTP 429 up to 5 times after the `Retry-After` it names."""
    return [ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=5)]


def make_client(settings: Settings) -> WebClient:
    """The bot's Web API client, aimed at `settings.slack_api_url`."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    base = settings.slack_api_url if settings.slack_api_url.endswith("/") else settings.slack_api_url + "/"
    return WebClient(token=token, base_url=base, retry_handlers=retry_handlers())


def build_app(settings: Settings, assistant: Responder, client: WebClient | None = None) -> App:
    """The bolt `App` with every listener registered; `client` defaults to `make_client`."""
    client = client or make_client(settings)
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    bolt_log = logging.getLogger("recruit.bolt")
    if not any(isinstance(f, _QuietTokenWarning) for f in bolt_log.filters):
        bolt_log.addFilter(_QuietTokenWarning())
    app = App(client=client, signing_secret=secret, process_before_response=True, name="recruit",
              logger=bolt_log,
              listener_executor=ThreadPoolExecutor(max_workers=8, thread_name_prefix="recruit"))
    bot = Bot(settings, assistant, client)
    app.middleware(bot.skip_duplicates)
    app.event("app_mention")(ack=acknowledge, lazy=[bot.on_mention])
    app.event("message")(ack=acknowledge, lazy=[bot.on_message])
    app.event("app_home_opened")(ack=acknowledge, lazy=[bot.on_home_opened])
    app.event("assistant_thread_started")(ack=acknowledge, lazy=[bot.on_thread_started])
    app.event("assistant_thread_context_changed")(acknowledge)
    app.command("/recruit")(ack=bot.ack_command, lazy=[bot.on_command])
    app.shortcut(FIND_CANDIDATES)(ack=acknowledge, lazy=[bot.on_find_candidates])
    for action_id, handler in ((bk.SHARE_SNIPPET, bot.on_share_snippet),
                               (bk.SUMMARIZE, bot.on_summarize),
                               (bk.SHARE_ANSWER, bot.on_share_answer),
                               (bk.FEEDBACK, bot.on_feedback),
                               (bk.SHOW_MORE, bot.on_show_more),
                               (bk.MATCH_EDIT, bot.on_match_edit),
                               (bk.MATCH_MORE, bot.on_match_more),
                               (bk.MATCH_SHARE, bot.on_match_share),
                               (bk.MATCH_COMPARE, bot.on_match_compare),
                               (views.UPLOAD, bot.on_upload)):
        app.action(re.compile(rf"^{action_id}(:|$)"))(ack=acknowledge, lazy=[handler])
    app.view(views.FEEDBACK_VIEW)(ack=acknowledge, lazy=[bot.on_feedback_reasons])
    app.view(views.UPLOAD_VIEW)(ack=acknowledge, lazy=[bot.on_upload_submitted])
    app.error(bot.on_error)
    app.bot = bot  # type: ignore[attr-defined]  # for tests and operators
    return app


def pasted_text(text: str, bot_user_id: str | None) -> str:
    """A message as pasted, lines kept (a job description is read by its lines): the bot's
    mention removed, Slack's escaping undone."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    text = re.sub(r"<(?:mailto:|https?://)?([^<>|]+)\|([^<>]+)>", r"\2", text)
    text = re.sub(r"<(?:mailto:|https?://)?([^<>|@!#]+)>", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def acknowledge(ack: Callable[..., Any]) -> None:
    ack()


def team_of(event: dict, context: Any) -> str | None:
    """The asking user's team: theirs in a shared channel, else the workspace's."""
    return event.get("user_team") or event.get("team") or getattr(context, "team_id", None)


class _QuietTokenWarning(logging.Filter):
    """bolt warns that SLACK_BOT_TOKEN is "unused" when a client is passed: the client holds it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


# ---------------------------------------------------------------------------------------------
# The bot


class Bot:
    def __init__(self, settings: Settings, assistant: Responder, client: WebClient):
        self.settings = settings
        self.assistant = assistant
        self.client = client
        self.threads = ThreadMemory(settings.data_dir / "slack" / "threads.json")
        self.answers = AnswerCache()
        self.deliveries = Deliveries()
        self.feedback = FeedbackLog(settings.data_dir / "feedback" / "feedback.jsonl")
        self.greeted = JsonSet(settings.data_dir / "slack" / "greeted.json")
        self.intakes = IntakeLog(settings.data_dir / "slack" / "intakes.json")

    # --- who may see what --------------------------------------------------------------
    def user_allowed(self, user: str | None) -> bool:
        return not self.settings.allowed_users or user in self.settings.allowed_users

    def channel_allowed(self, channel: str | None) -> bool:
        return is_dm(channel) or not self.settings.allowed_channels \
            or channel in self.settings.allowed_channels

    def refusal(self, user: str | None, channel: str | None) -> str | None:
        if not self.user_allowed(user):
            return NO_ACCESS
        if not self.channel_allowed(channel):
            return NO_CHANNEL
        return None

    def mask_for(self, channel: str | None, user: str | None) -> bool:
        """Mask contact details unless the setting allows them here."""
        mode = self.settings.show_contacts
        if mode == "always":
            return False
        return not (mode == "dm" and is_dm(channel) and self.user_allowed(user))

    # --- Slack I/O -----------------------------------------------------------------------
    def post(self, channel: str, message: Message, thread_ts: str | None = None) -> str:
        result = self.client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                              unfurl_links=False, unfurl_media=False,
                                              **message.payload())
        return str(result.get("ts"))

    def update(self, channel: str, ts: str, message: Message) -> None:
        self.client.chat_update(channel=channel, ts=ts, **message.payload())

    def whisper(self, channel: str, user: str, message: Message, thread_ts: str | None = None) -> None:
        self.client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts,
                                       **message.payload())

    def respond(self, response_url: str | None, message: Message, *, ephemeral: bool = True,
                replace_original: bool = False) -> None:
        """Post to an interaction's response_url (429s retried like Web API calls)."""
        if not response_url:
            log.warning("no response_url to answer on")
            return
        hook = WebhookClient(response_url, retry_handlers=retry_handlers())
        hook.send(response_type="ephemeral" if ephemeral else "in_channel",
                  replace_original=replace_original, **message.payload())

    @contextmanager
    def reporting(self, reply: Callable[[str], None], what: str) -> Iterator[None]:
        """Expected problems become a short reply; anything else is logged once and apologised for."""
        try:
            yield
        except RecruitError as e:
            log.warning("%s: %s", what, e)
            reply(f"Sorry — {bk.escape(str(e))}")
        except SlackApiError as e:
            error = e.response.get("error", "error")
            log.warning("%s: Slack API error %s", what, error)
            try:
                reply(NOT_IN_CHANNEL if error in ("not_in_channel", "channel_not_found") else FAILED)
            except Exception:
                log.exception("could not report the failure to Slack")
        except Exception:
            log.exception("%s failed", what)
            try:
                reply(FAILED)
            except Exception:
                log.exception("could not report the failure to Slack")

    # --- middleware ----------------------------------------------------------------------
    def skip_duplicates(self, body: dict, request: Any, next: Callable[[], Any]) -> Any:
        """Slack re-sends an event it thinks was missed (X-Slack-Retry-Num): answer it once."""
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if request.lazy_only or not event_id or self.deliveries.first(f"event:{event_id}"):
            return next()
        retry = (request.headers.get("x-slack-retry-num") or ["-"])[0]
        log.info("duplicate delivery of event %s ignored (retry %s)", event_id, retry)
        return BoltResponse(status=200, body="")

    # --- events --------------------------------------------------------------------------
    def on_mention(self, event: dict, context: Any) -> None:
        channel, user, ts = event.get("channel", ""), event.get("user", ""), event.get("ts", "")
        if event.get("files") and channel in self.settings.intake_channels:
            return  # on_message ingests the files
        if not self.deliveries.first(f"msg:{channel}:{ts}"):
            return
        thread = event.get("thread_ts") or ts
        refusal = self.refusal(user, channel)
        if refusal:
            self.whisper(channel, user, bk.render_notice(refusal), thread_ts=event.get("thread_ts"))
            return
        ctx = self.threads.get(channel, event["thread_ts"]) if event.get("thread_ts") else None
        self.converse(channel, user, question_of(event.get("text", ""), context.bot_user_id),
                      reply_ts=thread, ctx=ctx, remember=[thread], ts=ts,
                      team=team_of(event, context), dm=is_dm(channel),
                      raw=pasted_text(event.get("text", ""), context.bot_user_id))

    def on_message(self, event: dict, context: Any) -> None:
        if event.get("bot_id") or event.get("subtype") not in (None, "file_share", "thread_broadcast"):
            return
        channel, user, ts = event.get("channel", ""), event.get("user", ""), event.get("ts", "")
        thread_ts = event.get("thread_ts")
        dm = is_dm(channel, event.get("channel_type"))
        text = event.get("text", "")
        mentioned = mentions(text, context.bot_user_id)
        intake = event.get("files") and (dm or channel in self.settings.intake_channels)
        if intake:
            if self.deliveries.first(f"msg:{channel}:{ts}"):
                self.take_files(event, dm)
            return
        if dm:
            ctx = self.threads.get(channel, thread_ts) if thread_ts else None
            question = question_of(text, context.bot_user_id)
            if refers_back(question):
                ctx = ctx or self.threads.get(channel, None)
            remember = [thread_ts] if thread_ts else [None]
        else:
            ctx = self.threads.get(channel, thread_ts) if thread_ts else None
            if mentioned or ctx is None:
                return  # not for us (mentions are on_mention's)
            question = question_of(text, context.bot_user_id)
            remember = [thread_ts]
        if not question or is_chatter(question) and ctx is not None:
            return
        if not self.deliveries.first(f"msg:{channel}:{ts}"):
            return
        refusal = self.refusal(user, channel)
        if refusal:
            if dm:
                self.post(channel, bk.render_notice(refusal), thread_ts=thread_ts)
            else:
                self.whisper(channel, user, bk.render_notice(refusal), thread_ts=thread_ts)
            return
        self.converse(channel, user, question, reply_ts=thread_ts, ctx=ctx, remember=remember,
                      ts=ts, team=team_of(event, context), dm=dm,
                      raw=pasted_text(text, context.bot_user_id))

    def converse(self, channel: str, user: str, question: str, *, reply_ts: str | None,
                 ctx: ThreadContext | None, remember: list[str | None], ts: str | None = None,
                 team: str | None = None, dm: bool = False, raw: str | None = None) -> None:
        """Answer a question (or a follow-up about the thread's candidates) where it was asked:
        streamed into the thread where Slack streams, else posted and updated; the thread shows
        a status line meanwhile, cleared when the answer lands or the question fails."""
        mask = self.mask_for(channel, user)
        if not question or question.lower() in ("help", "?"):
            self.post(channel, bk.render_help(), thread_ts=reply_ts)
            return
        if is_job_prompt(question):
            self.post(channel, bk.render_notice(JOB_HINT), thread_ts=reply_ts or ts)
            return
        job = raw if raw and is_job_description(raw) else None
        if job or compare_request(question):  # a pasted job description keeps its lines
            with self.reporting(lambda t: self.post(channel, bk.render_notice(t), reply_ts or ts),
                                "matching"):
                self.post(channel, self.job_or_compare(job or question, mask),
                          thread_ts=reply_ts or ts)
            return
        place = Target(channel, user, team, dm, reply_ts, reply_ts or ts)
        status = Status(self.client, channel, place.stream_ts)
        opened: list[Reply] = []

        def report(text: str) -> None:
            status.clear()
            if opened:
                opened[0].fail(text)
            else:
                self.post(channel, bk.render_notice(text), reply_ts)

        with self.reporting(report, "answering"):
            target = pick_candidate(question, ctx) if ctx else None
            if ctx and target is not None and wants_summary(question):
                name = ctx.names[target]
                summary = self.assistant.summary_of(ctx.candidate_ids[target])
                self.post(channel, bk.render_summary(summary, name, mask=mask), thread_ts=reply_ts)
                return
            only = None
            if ctx:
                only = {ctx.candidate_ids[target]} if target is not None else set(ctx.candidate_ids)

            def searching() -> None:  # the reply and its status appear as the search starts
                opened.append(open_reply(self.client, place, question))
                status.show(status_lines(documents_in(self.assistant)))

            response = self.assistant.respond(follow_up_query(question) if ctx else question,
                                              only=only, before_search=searching)
            if response.kind == "summary":  # "summarize NAME" anywhere: the card, as /recruit summary
                self.post(channel, bk.render_summary(response.summary, response.name, mask=mask),
                          thread_ts=reply_ts)
                return
            reply, answer = opened[0], response.answer
            if answer.question != question:
                answer = answer.model_copy(update={"question": question})
            key = self.answers.put(answer)
            note = None
            if ctx:
                names = [ctx.names[target]] if target is not None else ctx.names
                note = "Among the candidates of this thread: " + ", ".join(names)
            if not answer.no_match:  # remembered before it is shown: follow-ups may come fast
                remembered = ThreadContext(question=question,
                                           candidate_ids=[c.id for c in answer.candidates],
                                           names=[c.name for c in answer.candidates])
                key_ts = place.stream_ts if isinstance(reply, StreamedReply) else reply.ts
                for at in remember + ([key_ts] if reply_ts is None else []):
                    self.threads.put(channel, at, remembered)
            reply.finish(answer, key, mask=mask, note=note)
            status.clear()

    def job_or_compare(self, text: str, mask: bool, ephemeral: bool = False) -> Message:
        """A shortlist for a job description, or "compare A and B" side by side."""
        names = compare_request(text)
        if names is not None:
            return bk.render_comparison(self.matcher.compare(names), mask=mask)
        answer = self.matcher.match(text)
        return bk.render_match(answer, self.answers.put(answer), mask=mask)

    @property
    def matcher(self) -> Matcher:
        return Matcher(self.assistant)

    def take_job_file(self, event: dict, files: list[dict]) -> None:
        """A job description shared as a file ("match this job" + a PDF): read, not ingested."""
        channel, user = event.get("channel", ""), event.get("user", "")
        thread = event.get("thread_ts") or event.get("ts")
        with self.reporting(lambda t: self.post(channel, bk.render_notice(t), thread), "job file"):
            text = self.read_job_file(str(files[0].get("id")))
            self.post(channel, self.job_or_compare(text, self.mask_for(channel, user)),
                      thread_ts=thread)

    def read_job_file(self, file_id: str) -> str:
        """The text of a shared file (PDF, DOCX, text) through the ingest readers; not stored."""
        import tempfile
        from pathlib import Path

        from ingest.readers import PARSERS, parse_document

        info = self.client.files_info(file=file_id)["file"]
        name = Path(str(info.get("name") or file_id)).name
        suffix = Path(name).suffix.lower()
        url = info.get("url_private_download") or info.get("url_private")
        if suffix not in PARSERS or not url:
            raise RecruitError(f"I cannot read {name} as a job description (send PDF, DOCX or text)")
        limit = int(self.settings.max_file_mb * 1_000_000)
        try:
            data = download(str(url), token=self.client.token or "",
                            api_url=self.settings.slack_api_url, limit=limit)
        except DownloadError as e:
            raise RecruitError(str(e)) from e
        with tempfile.TemporaryDirectory(prefix="recruit-job-") as tmp:
            path = Path(tmp) / f"job{suffix}"
            path.write_bytes(data)
            return parse_document(path, source=name).text

    def take_files(self, event: dict, dm: bool) -> None:
        channel, user = event.get("channel", ""), event.get("user", "")
        thread = event.get("thread_ts") or event.get("ts")
        if not self.user_allowed(user):
            if dm:
                self.post(channel, bk.render_notice(NO_ACCESS), thread_ts=thread)
            else:
                self.whisper(channel, user, bk.render_notice(NO_ACCESS), thread_ts=thread)
            return
        files = [f for f in event.get("files", []) if isinstance(f, dict)]
        if len(files) == 1 and asks_for_match(event.get("text", "")):
            self.take_job_file(event, files)
            return
        note = f"_Reading {len(files)} file{'s' if len(files) != 1 else ''}…_"
        placeholder = self.post(channel, bk.render_notice(note), thread_ts=thread)
        with self.reporting(lambda text: self.update(channel, placeholder, bk.render_notice(text)),
                            "intake"):
            outcomes = intake_files(files, client=self.client, settings=self.settings,
                                    assistant=self.assistant)
            self.log_intakes(outcomes)
            self.update(channel, placeholder,
                        bk.render_intake(outcomes, mask=self.mask_for(channel, user)))

    def log_intakes(self, outcomes: list[FileOutcome]) -> None:
        for o in outcomes:
            log.info("intake %s: %s %s", o.source, o.status, o.message or "")
        self.intakes.add([Intake(at=time.time(), name=o.source.rsplit("/", 1)[-1], status=o.status,
                                 candidate=o.candidate_name, message=o.message) for o in outcomes])

    # --- /recruit ------------------------------------------------------------------------
    def ack_command(self, ack: Callable[..., Any], command: dict) -> None:
        sub = (command.get("text") or "").strip().split(" ", 1)[0].lower()
        refusal = self.refusal(command.get("user_id"), command.get("channel_id"))
        if refusal:
            ack(text=refusal, response_type="ephemeral")
        elif sub in ("", "help"):
            help_ = bk.render_help()
            ack(text=help_.text, blocks=help_.blocks, response_type="ephemeral")
        else:
            ack()

    def on_command(self, command: dict) -> None:
        user, channel = command.get("user_id", ""), command.get("channel_id", "")
        text = (command.get("text") or "").strip()
        sub, _, rest = text.partition(" ")
        if "\n" in sub:  # "match" and a pasted job description on the next line
            sub, _, more = sub.partition("\n")
            rest = more + (" " + rest if rest else "")
        sub = sub.lower()
        if self.refusal(user, channel) or sub in ("", "help"):
            return  # answered by the ack
        url = command.get("response_url")
        mask = self.mask_for(channel, user)
        with self.reporting(lambda t: self.respond(url, bk.render_notice(t)), "/recruit"):
            if sub == "summary":
                name = rest.strip()
                message = (bk.render_summary(self.assistant.summary(name), name, mask=mask) if name
                           else bk.render_notice("Usage: `/recruit summary NAME`"))
            elif sub == "candidates":
                message = bk.render_candidates(self.assistant.candidates(), mask=mask)
            elif sub in ("match", "compare"):
                body = rest.strip() if sub == "match" else text
                message = (self.job_or_compare(body, mask) if body.strip()
                           else bk.render_notice("Usage: `/recruit match JOB DESCRIPTION` or "
                                                 "`/recruit compare NAME and NAME`"))
            else:
                question = rest.strip() if sub == "ask" else text
                response = self.assistant.respond(question) if question else None
                if response is None:
                    message = bk.render_notice("Usage: `/recruit ask QUESTION`")
                elif response.kind == "summary":
                    message = bk.render_summary(response.summary, response.name, mask=mask)
                else:
                    message = bk.render_answer(response.answer, self.answers.put(response.answer),
                                               mask=mask, ephemeral=True)
            self.respond(url, message)

    # --- buttons -------------------------------------------------------------------------
    def _where(self, body: dict) -> tuple[str, str, bool, str | None]:
        """(user, channel, ephemeral?, thread of the clicked message) of a block action."""
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
        message = body.get("message") or {}
        ephemeral = bool(container.get("is_ephemeral")) or not message
        thread = None if ephemeral else (message.get("thread_ts") or message.get("ts"))
        return (body.get("user") or {}).get("id", ""), channel, ephemeral, thread

    def _deliver(self, body: dict, message: Message) -> None:
        """Into the clicked message's thread, or privately when that message was ephemeral."""
        user, channel, ephemeral, thread = self._where(body)
        if ephemeral:
            self.respond(body.get("response_url"), message)
        else:
            self.post(channel, message, thread_ts=thread)

    @contextmanager
    def clicked(self, body: dict, what: str) -> Iterator[tuple[str, str] | None]:
        user, channel, _, _ = self._where(body)
        refusal = self.refusal(user, channel)
        if refusal:
            self.respond(body.get("response_url"), bk.render_notice(refusal))
            yield None
            return
        with self.reporting(lambda t: self.respond(body.get("response_url"), bk.render_notice(t)),
                            what):
            yield user, channel

    def on_share_snippet(self, body: dict, action: dict) -> None:
        with self.clicked(body, "share snippet") as who:
            if who is None:
                return
            user, channel = who
            v = bk.decode_value(action.get("value", ""))
            found = self.cited(v)
            if found is None:
                self.respond(body.get("response_url"),
                             bk.render_notice("That passage is no longer in the documents."))
                return
            name, quote, source, page, section = found
            self.post(channel, bk.render_snippet(user=user, name=name, quote=quote, source=source,
                                                 page=page, section_name=section,
                                                 mask=self.mask_for(channel, user)))

    def cited(self, v: dict) -> tuple[str, str, str, int | None, str | None] | None:
        """The shared citation: from the answer on screen, else re-read from the document."""
        answer = self.answers.get(v.get("a"))
        try:
            hit = answer.candidates[int(v["r"]) - 1] if answer else None
            if hit is not None and hit.id == v.get("id", hit.id):
                c = hit.citations[int(v["n"]) - 1]
                return hit.name, c.display_quote(), c.source, c.page, c.section
        except (KeyError, IndexError, ValueError, TypeError):
            pass
        source, start, end = v.get("s"), v.get("b"), v.get("e")
        if not isinstance(source, str) or not isinstance(start, int) or not isinstance(end, int):
            return None
        text = self.assistant.document_text(source)
        if not text or not 0 <= start < end <= len(text):
            return None
        return str(v.get("m") or "a candidate"), text[start:end], source, v.get("p"), v.get("x")

    def on_summarize(self, body: dict, action: dict) -> None:
        with self.clicked(body, "summarize") as who:
            if who is None:
                return
            user, channel = who
            value = bk.decode_value(action.get("value", ""))
            name = str(value.get("m") or "")
            summary = self.assistant.summary_of(str(value["id"])) if value.get("id") else None
            if summary is None or summary.candidate is None:  # an old button, or a renamed person
                summary = self.assistant.summary(name)
            self._deliver(body, bk.render_summary(summary, name, mask=self.mask_for(channel, user)))

    def _answer_for(self, v: dict) -> tuple[Answer | None, str]:
        answer = self.answers.get(v.get("a"))
        if answer is not None:
            return answer, str(v.get("a"))
        question = v.get("q")
        if not isinstance(question, str) or not question.strip():
            return None, ""
        answer = self.assistant.ask(question)  # the bot restarted since: ask again
        return answer, self.answers.put(answer)

    def on_share_answer(self, body: dict, action: dict) -> None:
        with self.clicked(body, "share with channel") as who:
            if who is None:
                return
            user, channel = who
            answer, key = self._answer_for(bk.decode_value(action.get("value", "")))
            if answer is None:
                self.respond(body.get("response_url"), bk.render_notice("That answer has expired; "
                                                                        "please ask again."))
                return
            ts = self.post(channel, bk.render_answer(answer, key, mask=self.mask_for(channel, user),
                                                     shared_by=user))
            if not answer.no_match:
                self.threads.put(channel, ts, ThreadContext(
                    question=answer.question, candidate_ids=[c.id for c in answer.candidates],
                    names=[c.name for c in answer.candidates]))
            self.respond(body.get("response_url"), bk.render_notice("Shared with the channel."))

    def on_feedback(self, body: dict, action: dict) -> None:
        """👍/👎 (`feedback_buttons`): the vote is appended at once; 👎 then opens a modal asking
        what was wrong, whose answer is appended under the same id."""
        with self.clicked(body, "feedback") as who:
            if who is None:
                return
            user, channel = who
            v = bk.decode_value(action.get("value", ""))
            vote = "up" if v.get("v") == "up" else "down"
            answer = self.answers.get(v.get("a"))
            question = answer.question if answer else str(v.get("q") or "")
            ids = [c.id for c in answer.candidates] if answer else [str(i) for i in v.get("c") or []]
            people = self.people(answer, ids)
            fid = uuid.uuid4().hex[:12]
            self.feedback.append({
                "id": fid, "kind": "vote", "verdict": vote, "question": mask_contacts(question),
                "answer": people, "user": user, "channel": channel,
                "message_ts": (body.get("container") or {}).get("message_ts")})
            if vote == "down" and body.get("trigger_id"):
                self.open_reasons(body["trigger_id"], fid, question, people)
            self.respond(body.get("response_url"), bk.render_notice(
                f"Thanks — your {'👍' if vote == 'up' else '👎'} was recorded."))

    def people(self, answer: Answer | None, ids: list[str]) -> list[dict]:
        """[{"id", "files"}] of the candidates of an answer: ids and file names, no text."""
        if answer is not None:
            return [{"id": c.id, "files": [s.rsplit("/", 1)[-1] for s in c.sources]}
                    for c in answer.candidates]
        known = {p.id: p for p in self.assistant.candidates()}
        return [{"id": i, "files": [s.rsplit("/", 1)[-1] for s in known[i].sources] if i in known
                 else []} for i in ids]

    def open_reasons(self, trigger_id: str, fid: str, question: str, people: list[dict]) -> None:
        everyone = self.assistant.candidates()
        shown_ids = [p["id"] for p in people]
        by_id = {p.id: p for p in everyone}
        shown = [by_id[i] for i in shown_ids if i in by_id]
        others = [p for p in everyone if p.id not in set(shown_ids)]
        view = views.feedback_modal(meta={"f": fid, "q": mask_contacts(question), "c": shown_ids},
                                    question=question, shown=shown, others=others)
        try:
            self.client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as e:  # the vote is kept; only the reasons are lost
            log.warning("could not open the feedback form (%s)", e.response.get("error", "error"))

    def on_feedback_reasons(self, body: dict, view: dict) -> None:
        user = (body.get("user") or {}).get("id", "")
        if not self.user_allowed(user):
            return
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            return
        values = (view.get("state") or {}).get("values") or {}
        shown = [str(i) for i in meta.get("c") or []]
        missed = views.selected(values, "missed", "missed")
        self.feedback.append({
            "id": str(meta.get("f") or uuid.uuid4().hex[:12]), "kind": "reasons", "verdict": "down",
            "question": str(meta.get("q") or ""), "answer": self.people(None, shown),
            "reasons": [r for r in views.selected(values, "reasons", "reasons") if r in views.REASONS],
            "wrong": [i for i in views.selected(values, "wrong", "wrong") if i in shown],
            "missed": self.people(None, missed),
            "note": mask_contacts(views.typed(values, "note", "note"))[:1000], "user": user})

    def on_show_more(self, body: dict, action: dict) -> None:
        with self.clicked(body, "show more") as who:
            if who is None:
                return
            user, channel = who
            v = bk.decode_value(action.get("value", ""))
            page = int(v.get("p") or 1)
            if v.get("k") == "candidates":
                self._deliver(body, bk.render_candidates(self.assistant.candidates(), page,
                                                         mask=self.mask_for(channel, user)))
                return
            answer, key = self._answer_for(v)
            if answer is None:
                self.respond(body.get("response_url"), bk.render_notice("That answer has expired; "
                                                                        "please ask again."))
                return
            self._deliver(body, bk.render_answer(answer, key, mask=self.mask_for(channel, user),
                                                 page=page))

    # --- job descriptions ------------------------------------------------------------------
    def on_find_candidates(self, body: dict) -> None:
        """The message shortcut "Find candidates for this job": the message is the job."""
        user = (body.get("user") or {}).get("id", "")
        channel = (body.get("channel") or {}).get("id", "")
        url = body.get("response_url")
        refusal = self.refusal(user, channel)
        if refusal:
            self.respond(url, bk.render_notice(refusal))
            return
        text = (body.get("message") or {}).get("text") or ""
        with self.reporting(lambda t: self.respond(url, bk.render_notice(t)), "find candidates"):
            if not text.strip():
                self.respond(url, bk.render_notice("That message has no text to read as a job "
                                                   "description."))
                return
            answer = self.matcher.match(text)
            self.respond(url, bk.render_match(answer, self.answers.put(answer),
                                              mask=self.mask_for(channel, user)))

    def _shortlist(self, body: dict, v: dict):
        answer = self.answers.get(v.get("a"))
        if answer is None or not hasattr(answer, "requirements"):
            self.respond(body.get("response_url"), bk.render_notice(MATCH_EXPIRED))
            return None
        return answer

    @contextmanager
    def shortlist_clicked(self, body: dict, action: dict, what: str) -> Iterator[tuple | None]:
        """A button on a shortlist: (user, channel, the button's value, the shortlist), or None
        when the user may not ask or the shortlist has expired (both already answered)."""
        with self.clicked(body, what) as who:
            if who is None:
                yield None
                return
            v = bk.decode_value(action.get("value", ""))
            answer = self._shortlist(body, v)
            yield None if answer is None else (who[0], who[1], v, answer)

    def on_match_edit(self, body: dict, action: dict) -> None:
        """Drop a requirement or flip it must ↔ nice, and re-rank: the shortlist is replaced."""
        with self.shortlist_clicked(body, action, "re-rank") as clicked:
            if clicked is None:
                return
            user, channel, v, answer = clicked
            rid = str(v.get("r") or "")
            op = {"drop": "drop", "flip": "flip"}.get(str(v.get("op")), "drop")
            edits = {"drop": [rid]} if op == "drop" else {"flip": [rid]}
            redone = self.matcher.match(answer.question, requirements=answer.requirements, **edits)
            redone.dropped = answer.dropped + redone.dropped
            message = bk.render_match(redone, self.answers.put(redone),
                                      mask=self.mask_for(channel, user))
            _, _, ephemeral, _ = self._where(body)
            if ephemeral:
                self.respond(body.get("response_url"), message, replace_original=True)
            else:
                ts = (body.get("message") or {}).get("ts") or \
                    (body.get("container") or {}).get("message_ts")
                self.update(channel, str(ts), message)

    def on_match_more(self, body: dict, action: dict) -> None:
        with self.shortlist_clicked(body, action, "more candidates") as clicked:
            if clicked is not None:
                user, channel, v, answer = clicked
                self._deliver(body, bk.render_match(answer, str(v.get("a")), page=int(v.get("p") or 1),
                                                    mask=self.mask_for(channel, user)))

    def on_match_share(self, body: dict, action: dict) -> None:
        with self.shortlist_clicked(body, action, "share candidate") as clicked:
            if clicked is None:
                return
            user, channel, v, answer = clicked
            rank = int(v.get("r") or 0)
            if not 1 <= rank <= len(answer.candidates) or answer.candidates[rank - 1].id != v.get("id"):
                self.respond(body.get("response_url"), bk.render_notice(MATCH_EXPIRED))
                return
            self.post(channel, bk.render_match_row(answer, rank, mask=self.mask_for(channel, user),
                                                   shared_by=user))
            self.respond(body.get("response_url"), bk.render_notice("Shared with the channel."))

    def on_match_compare(self, body: dict, action: dict) -> None:
        with self.shortlist_clicked(body, action, "compare") as clicked:
            if clicked is None:
                return
            user, channel, v, answer = clicked
            ids = [str(i) for i in v.get("c") or []][:3]
            comparison = self.matcher.compare(ids, requirements=answer.requirements,
                                              job=answer.question)
            self._deliver(body, bk.render_comparison(comparison, mask=self.mask_for(channel, user)))

    # --- the Messages tab and the App Home tab -------------------------------------------
    def on_home_opened(self, event: dict) -> None:
        user, tab = event.get("user", ""), event.get("tab")
        if tab == "home":
            self.publish_home(user)
        elif tab == "messages" and event.get("channel"):
            self.greet(user, event["channel"])

    def greet(self, user: str, channel: str) -> None:
        """Once per user: a hello and three suggested prompts drawn from the store."""
        if not user or not self.greeted.add(user):
            return
        if not self.user_allowed(user):
            self.post(channel, bk.render_notice(NO_ACCESS))
            return
        with self.reporting(lambda t: log.warning("greeting: %s", t), "greeting"):
            self.post(channel, bk.render_notice(GREETING))
            self.suggest(channel, None)

    def suggest(self, channel: str, thread_ts: str | None) -> None:
        try:
            self.client.assistant_threads_setSuggestedPrompts(
                channel_id=channel, thread_ts=thread_ts, title=PROMPTS_TITLE,
                prompts=suggested_prompts(self.assistant))
        except SlackApiError as e:
            log.info("no suggested prompts here (%s)", e.response.get("error", "error"))

    def on_thread_started(self, event: dict) -> None:
        thread = event.get("assistant_thread") or {}
        if thread.get("channel_id") and thread.get("thread_ts") \
                and self.user_allowed(thread.get("user_id")):
            self.suggest(thread["channel_id"], thread["thread_ts"])

    def publish_home(self, user: str) -> None:
        if not user:
            return
        if not self.user_allowed(user):
            view = views.render_home(documents=0, candidates=0, intakes=[], settings=self.settings,
                                     refused=NO_ACCESS)
        else:
            people = self.assistant.candidates()
            documents = documents_in(self.assistant) or sum(len(p.sources) for p in people)
            view = views.render_home(documents=documents, candidates=len(people),
                                     intakes=self.intakes.recent(), settings=self.settings)
        try:
            self.client.views_publish(user_id=user, view=view)
        except SlackApiError as e:
            log.warning("could not publish the home tab (%s)", e.response.get("error", "error"))

    def on_upload(self, body: dict) -> None:
        user = (body.get("user") or {}).get("id", "")
        if not self.user_allowed(user) or not body.get("trigger_id"):
            return
        try:
            self.client.views_open(trigger_id=body["trigger_id"], view=views.upload_modal())
        except SlackApiError as e:
            log.warning("could not open the upload form (%s)", e.response.get("error", "error"))

    def on_upload_submitted(self, body: dict, view: dict) -> None:
        """Files from the upload modal: ingested, reported in the user's DM, home refreshed."""
        user = (body.get("user") or {}).get("id", "")
        if not self.user_allowed(user):
            return
        files = views.uploaded((view.get("state") or {}).get("values") or {})
        with self.reporting(lambda t: self.post(user, bk.render_notice(t)), "upload"):
            outcomes = intake_files(files, client=self.client, settings=self.settings,
                                    assistant=self.assistant)
            self.log_intakes(outcomes)
            self.post(user, bk.render_intake(outcomes, mask=self.mask_for(user, user)))
            self.publish_home(user)

    # --- errors --------------------------------------------------------------------------
    def on_error(self, error: Exception, body: dict) -> None:
        kind = body.get("type") if isinstance(body, dict) else None
        log.error("unhandled error in a %s request: %s", kind or "Slack", error.__class__.__name__,
                  exc_info=error)
