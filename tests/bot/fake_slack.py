"""A fake Slack for tests: the Web API, private file downloads, response_urls and Socket Mode,
served on 127.0.0.1 (port 0), recording every call.

Like bolt-python's own `tests/mock_web_api_server`, but stricter where it matters here: it checks
the bearer token, rejects messages that break Slack's Block Kit limits (as Slack does, with
`invalid_blocks`), serves file downloads only with the bot token (a login page otherwise), and can
answer the next call to a method with HTTP 429 + Retry-After.

The AI-app methods enforce their documented contracts (docs.slack.dev/reference/methods/...):
`chat.startStream` needs `channel` and `thread_ts`, and outside a DM `recipient_user_id` and
`recipient_team_id`; `markdown_text` (start, append, stop, and each markdown chunk) is at most
12,000 characters; `chat.appendStream`/`chat.stopStream` need `channel` and `ts` of a message still
streaming (`message_not_found`, `message_not_in_streaming_state`); `chat.stopStream` blocks pass the
Block Kit checks. `assistant.threads.setStatus` needs `channel_id`, `thread_ts` and `status` ("" clears
it), with at most 10 `loading_messages`; `assistant.threads.setSuggestedPrompts` needs `channel_id`
and 1-4 prompts with a title and a message. `views.publish` needs `user_id` and a home view, and
`views.open` a `trigger_id` and a modal (title at most 24 characters, `submit` when it has inputs,
`private_metadata` at most 3,000). Error names Slack does not document are this fake's own
(`streaming_not_enabled`, `missing_recipient_ids`); the bot reacts to any failure the same way.
A workspace that does not stream yet is `FakeSlack(streaming=False)` (or `.streaming = False`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl, urlencode, urlsplit

BOT_TOKEN = "xoxb-1111-2222-fakebottoken"
APP_TOKEN = "xapp-1-A111-2222-fakeapptoken"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_USER = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM = "T00FAKE01"


@dataclass
class Call:
    kind: str  # "api" | "file" | "response_url"
    method: str  # Web API method, file id, or response_url name
    params: dict[str, Any]
    headers: dict[str, str]
    status: int
    response: dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)

    @property
    def blocks(self) -> list[dict]:
        blocks = self.params.get("blocks") or []
        return json.loads(blocks) if isinstance(blocks, str) else blocks

    @property
    def view(self) -> dict:
        """The view of a views.open / views.publish call."""
        return _json(self.params.get("view")) or {}

    @property
    def all_text(self) -> str:
        """The message's text and every text in its blocks, joined."""
        return self.params.get("text", "") + "\n" + "\n".join(texts_of(self.blocks))


def texts_of(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [node["text"]] if isinstance(node.get("text"), str) else []
        for value in node.values():
            if isinstance(value, (dict, list)):
                out.extend(texts_of(value))
        return out
    if isinstance(node, list):
        return [t for item in node for t in texts_of(item)]
    return []


def buttons_of(blocks: list[dict]) -> list[dict]:
    """Every clickable button; each half of a `feedback_buttons` element is one, shaped as its
    click reports it (type `feedback_buttons`, the element's action_id, the half's value)."""
    out = []
    for block in blocks:
        if block.get("accessory", {}).get("type") == "button":
            out.append(block["accessory"])
        for e in block.get("elements", []):
            if e.get("type") == "button":
                out.append(e)
            elif e.get("type") == "feedback_buttons":
                for half in ("positive_button", "negative_button"):
                    b = e.get(half) or {}
                    out.append({"type": "feedback_buttons", "action_id": e.get("action_id", ""),
                                "text": b.get("text", {}), "value": b.get("value", ""),
                                "half": half})
    return out


MAX_MARKDOWN = 12_000  # chat.startStream / appendStream / stopStream: markdown_text


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def feedback_problems(element: dict) -> list[str]:
    problems = []
    for half in ("positive_button", "negative_button"):
        b = element.get(half)
        if not isinstance(b, dict):
            problems.append(f"feedback_buttons without {half}")
            continue
        text = b.get("text") or {}
        if text.get("type") != "plain_text" or not 0 < len(text.get("text", "")) <= 75:
            problems.append(f"{half} text must be plain_text of 1-75 chars")
        if not isinstance(b.get("value"), str) or not 0 < len(b["value"]) <= 2000:
            problems.append(f"{half} value must be 1-2000 chars")
    if len(element.get("action_id", "")) > 255:
        problems.append("action_id over 255 chars")
    return problems


def block_problems(blocks: list[dict], max_blocks: int = 50) -> list[str]:
    """What Slack would reject in a message's blocks (the limits this bot must respect)."""
    problems = []
    if not isinstance(blocks, list):
        return ["blocks is not an array"]
    if len(blocks) > max_blocks:
        problems.append(f"{len(blocks)} blocks (max {max_blocks})")
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    if len(block_ids) != len(set(block_ids)):
        problems.append("duplicate block_id")
    action_ids = []
    for block in blocks:
        text = block.get("text", {})
        if block.get("type") == "section" and len(text.get("text", "")) > 3000:
            problems.append(f"section text of {len(text['text'])} chars (max 3000)")
        if block.get("type") == "context" and len(block.get("elements", [])) > 10:
            problems.append("context with more than 10 elements")
        if block.get("type") == "actions" and len(block.get("elements", [])) > 25:
            problems.append("actions with more than 25 elements")
        if block.get("type") == "context_actions":
            elements = block.get("elements", [])
            if not 0 < len(elements) <= 5:
                problems.append("context_actions needs 1-5 elements")
            for e in elements:
                if e.get("type") not in ("feedback_buttons", "icon_button"):
                    problems.append(f"{e.get('type')} is not allowed in context_actions")
                if e.get("type") == "feedback_buttons":
                    problems.extend(feedback_problems(e))
                    action_ids.append(e.get("action_id"))
        for element in block.get("elements", []):
            if element.get("type") == "feedback_buttons" and block.get("type") != "context_actions":
                problems.append("feedback_buttons outside a context_actions block")
            if isinstance(element.get("text"), str) and len(element["text"]) > 3000:
                problems.append("context text over 3000 chars")
    for b in buttons_of(blocks):
        if b.get("type") == "feedback_buttons":
            continue  # checked with its element above
        action_ids.append(b.get("action_id"))
        if len(b.get("value", "")) > 2000:
            problems.append(f"button value of {len(b['value'])} chars (max 2000)")
        if len(b["text"]["text"]) > 75:
            problems.append("button text over 75 chars")
        if len(b.get("action_id", "")) > 255:
            problems.append("action_id over 255 chars")
    if len(action_ids) != len(set(action_ids)):
        problems.append("duplicate action_id")
    return problems


class FakeSlack:
    """Start with `FakeSlack()`; `.api_url` is the Web API base; `.stop()` when done."""

    def __init__(self, streaming: bool = True) -> None:
        self.calls: list[Call] = []
        self.files: dict[str, tuple[dict, bytes]] = {}
        self.streaming = streaming  # False: an older workspace, chat.startStream is refused
        self.streams: dict[str, dict[str, Any]] = {}  # ts -> channel, markdown, state, blocks
        self.statuses: dict[tuple[str, str], list[str]] = {}  # (channel, thread) -> statuses set
        self.socket_url: str | None = None
        self._fail: dict[str, list[tuple[int, int]]] = {}
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.api_url = self.url + "api/"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- test controls ---------------------------------------------------------------------
    def add_file(self, file_id: str, name: str, data: bytes, *, size: int | None = None,
                 mimetype: str = "application/octet-stream") -> dict:
        """Serve a private file; `size` may claim more than `data` (oversize checks)."""
        meta = {"id": file_id, "name": name, "title": name, "mimetype": mimetype,
                "filetype": name.rsplit(".", 1)[-1], "size": len(data) if size is None else size,
                "url_private": f"{self.url}files-pri/{TEAM}-{file_id}/{name}",
                "url_private_download": f"{self.url}files-pri/{TEAM}-{file_id}/download/{name}"}
        self.files[file_id] = (meta, data)
        return meta

    def fail_next(self, method: str, status: int = 429, retry_after: int = 1) -> None:
        """The next call to `method` gets `status` (with Retry-After for 429)."""
        with self._lock:
            self._fail.setdefault(method, []).append((status, retry_after))

    def response_url(self, name: str) -> str:
        return f"{self.url}response/{name}"

    def calls_to(self, method: str, kind: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and (kind is None or c.kind == kind)
                    and c.status == 200]

    def wait_for(self, predicate: Callable[[Call], bool], count: int = 1,
                 timeout: float = 20.0) -> list[Call]:
        """Block until `count` recorded calls satisfy `predicate` (or fail after `timeout`)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self.calls if c.status == 200 and predicate(c)]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.kind, c.method, c.params.get("text", "")[:60]) for c in self.calls]
                    raise AssertionError(f"timed out waiting for {count} matching call(s); "
                                         f"calls so far: {seen}")
                self._lock.wait(left)

    def quiet(self, predicate: Callable[[Call], bool], seconds: float = 0.5) -> list[Call]:
        """The matching calls after nothing new has matched for `seconds` (bounded wait)."""
        with self._lock:
            count = -1
            while True:
                found = [c for c in self.calls if c.status == 200 and predicate(c)]
                if len(found) == count:
                    return found
                count = len(found)
                self._lock.wait(seconds)

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    # --- the HTTP side -------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                self._route()

            def do_POST(self) -> None:  # noqa: N802
                self._route()

            def _route(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                params: dict[str, Any] = dict(parse_qsl(parts.query))
                kind = self.headers.get("Content-Type", "")
                if raw and "json" in kind:
                    params.update(json.loads(raw))
                elif raw:
                    params.update(parse_qsl(raw.decode("utf-8")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                path = parts.path
                if path.startswith("/api/"):
                    fake._api(self, path[len("/api/"):], params, headers)
                elif path.startswith("/files-pri/"):
                    fake._download(self, path, headers)
                elif path.startswith("/response/"):
                    fake._response_url(self, path[len("/response/"):], params, headers)
                else:
                    self.send(404, b"not found", "text/plain")

            def send(self, status: int, body: bytes, content_type: str,
                     headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def send_json(self, data: dict, status: int = 200,
                          headers: dict[str, str] | None = None) -> None:
                self.send(status, json.dumps(data).encode(), "application/json; charset=utf-8",
                          headers)

        return Handler

    def _injected_failure(self, method: str) -> tuple[int, int] | None:
        with self._lock:
            queue = self._fail.get(method)
            return queue.pop(0) if queue else None

    def _api(self, h: Any, method: str, params: dict, headers: dict) -> None:
        failure = self._injected_failure(method)
        if failure:
            status, retry_after = failure
            self._record(Call("api", method, params, headers, status))
            h.send_json({"ok": False, "error": "ratelimited"}, status,
                        {"Retry-After": str(retry_after)} if status == 429 else None)
            return
        token = headers.get("authorization", "").removeprefix("Bearer ")
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != expected:
            self._record(Call("api", method, params, headers, 401))
            h.send_json({"ok": False, "error": "invalid_auth"})
            return
        if method.startswith("chat.") and "blocks" in params:
            blocks = params["blocks"]
            problems = block_problems(json.loads(blocks) if isinstance(blocks, str) else blocks)
            if problems:
                self._record(Call("api", method, params, headers, 400))
                h.send_json({"ok": False, "error": "invalid_blocks", "errors": problems})
                return
        with self._lock:
            refusal = self._contract(method, params)
            if refusal:
                response = {"ok": False, "error": refusal}
                self._record(Call("api", method, params, headers, 400, response))
            else:
                response = self._answer(method, params)
                self._record(Call("api", method, params, headers, 200, response))
        h.send_json(response)

    # --- the documented argument rules of the AI-app and view methods ----------------------
    def _contract(self, method: str, params: dict) -> str | None:
        """The error Slack answers for these arguments, or None when the call is accepted."""
        check = {"chat.startStream": self._start_stream, "chat.appendStream": self._append_stream,
                 "chat.stopStream": self._stop_stream, "assistant.threads.setStatus": self._status,
                 "assistant.threads.setSuggestedPrompts": self._prompts,
                 "views.publish": self._publish, "views.open": self._open}.get(method)
        return check(params) if check else None

    @staticmethod
    def _markdown_problem(params: dict) -> str | None:
        texts = [params.get("markdown_text") or ""]
        texts += [c.get("text", "") for c in _json(params.get("chunks")) or []
                  if isinstance(c, dict) and c.get("type") == "markdown_text"]
        return "msg_too_long" if any(len(t) > MAX_MARKDOWN for t in texts) else None

    def _start_stream(self, params: dict) -> str | None:
        if not params.get("channel") or not params.get("thread_ts"):
            return "invalid_arguments"
        if not self.streaming:
            return "streaming_not_enabled"
        in_dm = str(params["channel"]).startswith("D")
        if not in_dm and not (params.get("recipient_user_id") and params.get("recipient_team_id")):
            return "missing_recipient_ids"
        return self._markdown_problem(params)

    def _streaming(self, params: dict) -> str | None:
        if not params.get("channel") or not params.get("ts"):
            return "invalid_arguments"
        stream = self.streams.get(str(params["ts"]))
        if stream is None or stream["channel"] != params["channel"]:
            return "message_not_found"
        if stream["state"] != "streaming":
            return "message_not_in_streaming_state"
        return self._markdown_problem(params)

    def _append_stream(self, params: dict) -> str | None:
        if params.get("markdown_text") is None and not params.get("chunks"):
            return "invalid_arguments"
        return self._streaming(params)

    def _stop_stream(self, params: dict) -> str | None:
        return self._streaming(params)

    @staticmethod
    def _status(params: dict) -> str | None:
        if not params.get("channel_id") or not params.get("thread_ts") or "status" not in params:
            return "invalid_arguments"
        if len(_json(params.get("loading_messages")) or []) > 10:
            return "invalid_arguments"
        return None

    @staticmethod
    def _prompts(params: dict) -> str | None:
        prompts = _json(params.get("prompts"))
        if not params.get("channel_id") or not isinstance(prompts, list) or not 0 < len(prompts) <= 4:
            return "invalid_arguments"
        if not all(isinstance(p, dict) and p.get("title") and p.get("message") for p in prompts):
            return "invalid_arguments"
        return None

    @staticmethod
    def _publish(params: dict) -> str | None:
        view = _json(params.get("view"))
        if not params.get("user_id") or not isinstance(view, dict) or view.get("type") != "home":
            return "invalid_arguments"
        return "invalid_blocks" if block_problems(view.get("blocks", []), 100) else None

    @staticmethod
    def _open(params: dict) -> str | None:
        view = _json(params.get("view"))
        if not params.get("trigger_id") or not isinstance(view, dict) or view.get("type") != "modal":
            return "invalid_arguments"
        title = (view.get("title") or {}).get("text", "")
        blocks = view.get("blocks", [])
        has_inputs = any(b.get("type") == "input" for b in blocks)
        if not 0 < len(title) <= 24 or (has_inputs and not view.get("submit")):
            return "invalid_arguments"
        if len(view.get("private_metadata", "")) > 3000:
            return "invalid_arguments"
        return "invalid_blocks" if block_problems(blocks, 100) else None

    def stream_text(self, ts: str) -> str:
        """Everything streamed into the message `ts` so far (markdown_text and markdown chunks)."""
        with self._lock:
            return self.streams.get(ts, {}).get("markdown", "")

    def _stream_into(self, ts: str, params: dict) -> None:
        stream = self.streams[ts]
        stream["markdown"] += params.get("markdown_text") or ""
        for chunk in _json(params.get("chunks")) or []:
            if isinstance(chunk, dict) and chunk.get("type") == "markdown_text":
                stream["markdown"] += chunk.get("text", "")

    def _answer(self, method: str, params: dict) -> dict:
        ts = f"1700000000.{next(self._ts):06d}"
        if method == "auth.test":
            return {"ok": True, "url": "https://fake.slack.example/", "team": "Fake Team",
                    "user": "recruit", "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID,
                    "is_enterprise_install": False}
        if method == "chat.postMessage":
            return {"ok": True, "channel": params.get("channel"), "ts": ts,
                    "message": {"text": params.get("text"), "ts": ts, "bot_id": BOT_ID}}
        if method == "chat.update":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts"),
                    "text": params.get("text")}
        if method == "chat.startStream":
            self.streams[ts] = {"channel": params["channel"], "thread_ts": params["thread_ts"],
                                "markdown": "", "state": "streaming", "blocks": None}
            self._stream_into(ts, params)
            return {"ok": True, "channel": params["channel"], "ts": ts}
        if method == "chat.appendStream":
            self._stream_into(str(params["ts"]), params)
            return {"ok": True, "channel": params["channel"], "ts": params["ts"]}
        if method == "chat.stopStream":
            stream = self.streams[str(params["ts"])]
            self._stream_into(str(params["ts"]), params)
            stream.update(state="completed", blocks=_json(params.get("blocks")))
            return {"ok": True, "channel": params["channel"], "ts": params["ts"],
                    "message": {"text": stream["markdown"], "ts": params["ts"], "bot_id": BOT_ID}}
        if method == "assistant.threads.setStatus":
            key = (str(params["channel_id"]), str(params["thread_ts"]))
            self.statuses.setdefault(key, []).append(str(params["status"]))
            return {"ok": True}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "files.info":
            meta = self.files.get(str(params.get("file")))
            return {"ok": True, "file": meta[0]} if meta else {"ok": False, "error": "file_not_found"}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method.startswith("views."):
            return {"ok": True, "view": {"id": "V1"}}
        return {"ok": True}

    def _download(self, h: Any, path: str, headers: dict) -> None:
        file_id = path.split("/")[2].split("-", 1)[-1]
        authorized = headers.get("authorization") == f"Bearer {BOT_TOKEN}"
        self._record(Call("file", file_id, {"path": path}, headers, 200 if authorized else 401))
        if not authorized or file_id not in self.files:  # what Slack does: a login page
            h.send(200, b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>",
                   "text/html; charset=utf-8")
            return
        meta, data = self.files[file_id]
        h.send(200, data, meta["mimetype"])

    def _response_url(self, h: Any, name: str, params: dict, headers: dict) -> None:
        failure = self._injected_failure(f"response:{name}")
        if failure:
            self._record(Call("response_url", name, params, headers, failure[0]))
            h.send(failure[0], b"rate_limited", "text/plain", {"Retry-After": str(failure[1])})
            return
        problems = block_problems(params.get("blocks") or [])
        status = 400 if problems else 200
        self._record(Call("response_url", name, params, headers, status))
        h.send(status, b"invalid_blocks" if problems else b"ok", "text/html")


# ---------------------------------------------------------------------------------------------
# Requests as Slack sends them


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    """Slack's v0 signature: HMAC-SHA256 over `v0:{timestamp}:{body}`."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def post_to_bot(url: str, body: bytes, content_type: str, *, timestamp: int | None = None,
                signature: str | None = None, headers: dict[str, str] | None = None,
                secret: str = SIGNING_SECRET) -> tuple[int, bytes, float]:
    """POST a signed request to the bot; returns (status, body, seconds it took)."""
    ts = int(time.time()) if timestamp is None else timestamp
    all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(ts),
                   "X-Slack-Signature": signature or sign(body, ts, secret),
                   "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)"}
    all_headers.update(headers or {})
    request = urllib.request.Request(url, data=body, headers=all_headers, method="POST")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as e:
        return e.code, e.read(), time.monotonic() - started


_event_ids = itertools.count(1)


def event_body(event: dict, *, event_id: str | None = None) -> bytes:
    """An Events API `event_callback` envelope, as Slack POSTs it."""
    return json.dumps({
        "token": "legacy-verification-token", "team_id": TEAM, "api_app_id": "A0FAKE",
        "event": event, "type": "event_callback",
        "event_id": event_id or f"Ev{next(_event_ids):08d}", "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    }).encode()


def command_body(text: str, *, user: str, channel: str, response_url: str,
                 command: str = "/recruit") -> bytes:
    """A slash command, form-encoded as Slack POSTs it."""
    return urlencode({
        "token": "legacy-verification-token", "team_id": TEAM, "team_domain": "fake",
        "channel_id": channel, "channel_name": "hiring", "user_id": user, "user_name": "someone",
        "command": command, "text": text, "api_app_id": "A0FAKE",
        "response_url": response_url, "trigger_id": "1337.42.abcd",
    }).encode()


def action_body(button: dict, *, user: str, channel: str, response_url: str,
                message: dict | None = None) -> bytes:
    """A block_actions interaction for a clicked button, as form `payload=` JSON.

    `message` is the clicked message (with ts/thread_ts); None means it was ephemeral.
    """
    container = {"type": "message", "channel_id": channel, "is_ephemeral": message is None,
                 "message_ts": (message or {}).get("ts", "1700000000.999999")}
    payload = {
        "type": "block_actions", "team": {"id": TEAM, "domain": "fake"},
        "user": {"id": user, "username": "someone", "team_id": TEAM},
        "api_app_id": "A0FAKE", "token": "legacy-verification-token", "container": container,
        "trigger_id": "1337.42.efgh", "channel": {"id": channel, "name": "hiring"},
        "response_url": response_url,
        "actions": [{"type": button.get("type", "button"), "block_id": "b",
                     "action_id": button["action_id"],
                     "text": button["text"], "value": button.get("value", ""),
                     "action_ts": str(time.time())}],
    }
    if message is not None:
        payload["message"] = {"type": "message", "bot_id": BOT_ID, **message}
    return urlencode({"payload": json.dumps(payload)}).encode()


def view_submission_body(view: dict, values: dict[str, dict[str, dict]], *, user: str,
                         view_id: str = "V1") -> bytes:
    """A modal's `view_submission`, as form `payload=` JSON: `values` is block_id -> action_id ->
    the element's state (e.g. {"type": "checkboxes", "selected_options": [...]})."""
    payload = {
        "type": "view_submission", "team": {"id": TEAM, "domain": "fake"},
        "user": {"id": user, "username": "someone", "team_id": TEAM}, "api_app_id": "A0FAKE",
        "token": "legacy-verification-token", "trigger_id": "1337.42.ijkl",
        "view": {**view, "id": view_id, "team_id": TEAM, "state": {"values": values},
                 "hash": "1.abc", "app_id": "A0FAKE", "bot_id": BOT_ID},
        "response_urls": [],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


# ---------------------------------------------------------------------------------------------
# Socket Mode: a minimal WebSocket server (RFC 6455) on loopback


class FakeSocketMode:
    """Accepts the bot's Socket Mode connection, says hello, sends envelopes, records acks."""

    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/?ticket=fake"
        self.received: list[dict] = []
        self._conn: socket.socket | None = None
        self._cond = threading.Condition()
        self._send_lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(1024)
            if not chunk:
                return
            request += chunk
        key = next(line.split(":", 1)[1].strip() for line in request.decode().split("\r\n")
                   if line.lower().startswith("sec-websocket-key:"))
        accept = base64.b64encode(hashlib.sha1((key + self.GUID).encode()).digest()).decode()
        conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        with self._cond:
            self._conn = conn
            self._cond.notify_all()
        self.send({"type": "hello", "num_connections": 1,
                   "connection_info": {"app_id": "A0FAKE"}})
        buffer = b""
        try:
            while True:
                frame, buffer = self._read_frame(conn, buffer)
                if frame is None:
                    return
                opcode, payload = frame
                if opcode == 0x8:  # close
                    return
                if opcode == 0x9:  # ping → pong
                    self._send_frame(conn, 0xA, payload)
                elif opcode == 0x1:
                    with self._cond:
                        self.received.append(json.loads(payload.decode()))
                        self._cond.notify_all()
        except OSError:
            return

    @staticmethod
    def _read_frame(conn: socket.socket, buffer: bytes) -> tuple[tuple[int, bytes] | None, bytes]:
        def need(n: int) -> bool:
            nonlocal buffer
            while len(buffer) < n:
                chunk = conn.recv(4096)
                if not chunk:
                    return False
                buffer += chunk
            return True

        if not need(2):
            return None, buffer
        opcode, length = buffer[0] & 0x0F, buffer[1] & 0x7F
        masked, offset = buffer[1] & 0x80, 2
        if length == 126:
            if not need(4):
                return None, buffer
            length, offset = struct.unpack("!H", buffer[2:4])[0], 4
        elif length == 127:
            if not need(10):
                return None, buffer
            length, offset = struct.unpack("!Q", buffer[2:10])[0], 10
        mask = b""
        if masked:
            if not need(offset + 4):
                return None, buffer
            mask, offset = buffer[offset:offset + 4], offset + 4
        if not need(offset + length):
            return None, buffer
        data = buffer[offset:offset + length]
        if mask:
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        return (opcode, data), buffer[offset + length:]

    def _send_frame(self, conn: socket.socket, opcode: int, payload: bytes) -> None:
        head = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([n])
        elif n < 65536:
            head += bytes([126]) + struct.pack("!H", n)
        else:
            head += bytes([127]) + struct.pack("!Q", n)
        with self._send_lock:
            conn.sendall(head + payload)

    def wait_connected(self, timeout: float = 10.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self._conn is not None, timeout):
                raise AssertionError("the bot never connected over Socket Mode")

    def send(self, envelope: dict) -> None:
        assert self._conn is not None
        self._send_frame(self._conn, 0x1, json.dumps(envelope).encode())

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict:
        with self._cond:
            ok = self._cond.wait_for(lambda: any(m.get("envelope_id") == envelope_id
                                                 for m in self.received), timeout)
            if not ok:
                raise AssertionError(f"no ack for envelope {envelope_id}: {self.received}")
            return next(m for m in self.received if m.get("envelope_id") == envelope_id)

    def stop(self) -> None:
        self._closed = True
        self._listener.close()
        if self._conn is not None:
            try:
                self._conn.close()
            except OSError:
                pass
