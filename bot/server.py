"""Running the Slack app: Socket Mode (default) or HTTP with a health endpoint.

`serve` checks the configuration first, so a missing or malformed token is one clear line naming
the variable (a `ConfigError`), then warms the assistant, builds the app and serves until stopped.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
import urllib.error
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Callable

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from retrieval.errors import ConfigError
from retrieval.settings import Settings

if TYPE_CHECKING:
    from bot.protocol import Responder

log = logging.getLogger("recruit.server")

EVENTS_PATH = "/slack/events"
HEALTH_PATHS = ("/health", "/healthz")
MAX_BODY = 1_000_000  # Slack's payloads are far smaller
READ_TIMEOUT = 10.0  # seconds a client may take to send its request: a half-sent body frees its thread
REPLAY_WINDOW = 300.0  # Slack refuses timestamps older than 5 minutes; a signature seen within it is a replay


def _secret(value: Any) -> str:
    return value.get_secret_value().strip() if value is not None else ""


def check_tokens(settings: Settings, http: bool) -> None:
    """Raise a `ConfigError` naming the first missing or malformed variable (never its value)."""
    bot = _secret(settings.slack_bot_token)
    if not bot:
        raise ConfigError("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) "
                          "from your Slack app's OAuth & Permissions page")
    if not bot.startswith("xoxb-") or any(ch.isspace() for ch in bot):
        raise ConfigError("SLACK_BOT_TOKEN is malformed: a bot token starts with xoxb- "
                          "(user tokens xoxp- and app tokens xapp- do not work here)")
    if http:
        secret = _secret(settings.slack_signing_secret)
        if not secret:
            raise ConfigError("SLACK_SIGNING_SECRET is not set: HTTP mode needs the Signing Secret "
                              "from your Slack app's Basic Information page")
        if any(ch.isspace() for ch in secret) or len(secret) < 16:
            raise ConfigError("SLACK_SIGNING_SECRET is malformed: copy the Signing Secret "
                              "from your Slack app's Basic Information page")
    else:
        app_token = _secret(settings.slack_app_token)
        if not app_token:
            raise ConfigError("SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token "
                              "(xapp-…) with the connections:write scope, or run with --http")
        if not app_token.startswith("xapp-") or any(ch.isspace() for ch in app_token):
            raise ConfigError("SLACK_APP_TOKEN is malformed: an app-level token starts with xapp-")


def check_connection(client: Any, settings: Settings) -> dict:
    """auth.test: is the token accepted, and is the API reachable?"""
    try:
        return dict(client.auth_test().data)
    except SlackApiError as e:
        raise ConfigError(f"SLACK_BOT_TOKEN was rejected by Slack "
                          f"({e.response.get('error', 'error')})") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", None) or e.__class__.__name__
        raise ConfigError(f"cannot reach the Slack API at {settings.slack_api_url} ({reason}); "
                          "check RECRUIT_SLACK_API_URL") from None


# ---------------------------------------------------------------------------------------------
# HTTP mode


class _SeenSignatures:
    """Signatures of requests accepted in the last REPLAY_WINDOW seconds: the same signed request
    sent twice (a replayed slash command) is acknowledged once and not run again."""

    def __init__(self, window: float = REPLAY_WINDOW, most: int = 100_000):
        self.window, self.most = window, most
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_time(self, signature: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._seen) >= self.most:  # oldest first: dicts keep insertion order
                for key in [k for k, at in self._seen.items() if now - at > self.window] or \
                        list(self._seen)[: self.most // 10]:
                    del self._seen[key]
            if signature in self._seen and now - self._seen[signature] <= self.window:
                return False
            self._seen[signature] = now
            return True


def signed_by_slack(verifier: SignatureVerifier, body: str, headers: Any) -> bool:
    """The request carries a valid, fresh Slack signature (a malformed timestamp is simply not
    valid: no exception, no traceback)."""
    timestamp = headers.get("X-Slack-Request-Timestamp") or ""
    signature = headers.get("X-Slack-Signature") or ""
    if not timestamp.strip().isdigit() or not signature:
        return False
    try:
        return verifier.is_valid(body=body, timestamp=timestamp.strip(), signature=signature)
    except (ValueError, TypeError):
        return False


def make_http_server(app: App, host: str = "0.0.0.0", port: int = 3000,
                     path: str = EVENTS_PATH, signing_secret: str | None = None) -> ThreadingHTTPServer:
    """POST `path` → the bolt app; GET /health → 200. With `signing_secret`, a request is checked
    before bolt sees it: an unsigned, stale or malformed one gets 401 and one short log line (never
    its body), a replay of an accepted one is acknowledged without running again, a body bolt
    cannot parse gets 400, and a client that stops sending is dropped after READ_TIMEOUT."""
    verifier = SignatureVerifier(signing_secret) if signing_secret else None
    seen = _SeenSignatures()

    class Handler(BaseHTTPRequestHandler):
        server_version = "recruit"
        protocol_version = "HTTP/1.1"
        timeout = READ_TIMEOUT

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            log.debug("%s %s", self.address_string(), format % args)

        def do_GET(self) -> None:  # noqa: N802
            if self.path.partition("?")[0] in HEALTH_PATHS:
                self._send(200, json.dumps({"ok": True}), "application/json")
            else:
                self._send(404, "not found")

        def do_POST(self) -> None:  # noqa: N802
            request_path, _, query = self.path.partition("?")
            if request_path != path:
                self._send(404, "not found")
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_BODY:
                self._send(413, "payload too large")
                return
            try:
                body = self.rfile.read(length).decode("utf-8", errors="replace")
            except OSError:  # the client stopped sending: its thread is free again
                self.close_connection = True
                return
            if verifier is not None:
                if not signed_by_slack(verifier, body, self.headers):
                    log.info("rejected a request without a valid Slack signature (%d bytes)", length)
                    self._send(401, "invalid signature")
                    return
                retry = self.headers.get("X-Slack-Retry-Num")  # Slack's own retries: the app dedupes events
                if not retry and not seen.first_time(self.headers.get("X-Slack-Signature", "")):
                    log.info("ignored a replayed request")
                    self._send(200, "")
                    return
            headers = {k.lower(): [v] for k, v in self.headers.items()}
            try:
                response = app.dispatch(BoltRequest(body=body, query=query, headers=headers))
            except Exception:  # noqa: BLE001 - a body bolt cannot parse: the sender's problem
                log.info("rejected a malformed request (%d bytes)", length)
                self._send(400, "bad request")
                return
            content = response.body if isinstance(response.body, str) else json.dumps(response.body)
            extra = {k: vs for k, vs in response.headers.items() if k.lower() != "content-length"}
            self._send(response.status, content, None, extra)

        def _send(self, status: int, body: str, content_type: str | None = "text/plain",
                  headers: dict[str, Any] | None = None) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for k, values in (headers or {}).items():
                for v in values if isinstance(values, (list, tuple)) else [values]:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


# ---------------------------------------------------------------------------------------------
# The `recruit serve` entry point


def serve(settings: Settings, *, http: bool = False, host: str = "0.0.0.0", port: int = 3000,
          assistant: Responder | None = None, on_ready: Callable[[Any, App], None] | None = None,
          stop: threading.Event | None = None) -> None:
    """Check tokens, warm the assistant, then serve until `stop` is set (or Ctrl-C).

    `on_ready(server_or_socket_handler, app)` is called once requests can arrive (tests use it
    to learn the bound port)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.assistant import Assistant
    from bot.process import tune_for_questions
    from bot.slack import build_app, make_client

    check_tokens(settings, http)
    client = make_client(settings)
    identity = check_connection(client, settings)
    if assistant is None:
        assistant = Assistant(settings)
    tune_for_questions(assistant)
    log.info("warming the assistant (embedder and keyword index)…")
    assistant.warm()
    app = build_app(settings, assistant, client)
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())  # container stop: finish cleanly
    who = f"{identity.get('user', 'bot')} in {identity.get('team', 'workspace')}"
    if http:
        server = make_http_server(app, host, port,
                                  signing_secret=_secret(settings.slack_signing_secret))
        bound = server.server_address[1]
        log.info("%s: HTTP mode on http://%s:%s%s (health: /health)", who, host, bound, EVENTS_PATH)
        worker = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                  name="recruit-http", daemon=True)
        worker.start()
        if on_ready:
            on_ready(server, app)
        try:
            stop.wait()
        finally:
            log.info("stopping")
            server.shutdown()
            server.server_close()
    else:
        handler = SocketModeHandler(app, _secret(settings.slack_app_token), web_client=client)
        handler.connect()
        log.info("%s: connected in Socket Mode", who)
        if on_ready:
            on_ready(handler, app)
        try:
            stop.wait()
        finally:
            handler.close()
