"""HTTP mode before and around the signature check (issue: rejected bodies logged in full, a
malformed body or timestamp answered with a traceback, a replayed slash command run twice,
half-sent bodies holding a thread each forever). Real HTTP on 127.0.0.1."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from slack_bolt import App

import bot.server as server_module
from bot.server import make_http_server
from slack_sdk import WebClient

from tests.bot.fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, command_body, post_to_bot


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.stop()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, slack: FakeSlack) -> Iterator[tuple[str, list[str], object]]:
    monkeypatch.setattr(server_module, "READ_TIMEOUT", 1.0)
    app = App(client=WebClient(token=BOT_TOKEN, base_url=slack.api_url), signing_secret=SIGNING_SECRET)
    ran: list[str] = []

    @app.command("/recruit")
    def on_command(ack, command):  # noqa: ANN001 - bolt injects by name
        ran.append(command["text"])
        ack()

    server = make_http_server(app, "127.0.0.1", 0, signing_secret=SIGNING_SECRET)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    yield url, ran, server
    server.shutdown()
    server.server_close()


def _command(text: str) -> bytes:
    return command_body(text, user="U1", channel="C1", response_url="http://127.0.0.1:9/r")


FORM = "application/x-www-form-urlencoded"


def test_an_unsigned_request_gets_401_and_its_body_is_not_logged(served, caplog) -> None:
    url, ran, _ = served
    body = b"secret-payload-" + b"x" * 900_000
    with caplog.at_level(logging.DEBUG):
        status, _, _ = post_to_bot(url, body, FORM, signature="v0=forged")
    assert status == 401 and ran == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "secret-payload" not in logged and len(logged) < 2000
    print(f"unsigned 900 KB body: 401, {len(logged)} characters logged")


@pytest.mark.parametrize("timestamp", ["yesterday", "", "1e9", "-5"])
def test_a_malformed_timestamp_gets_401_without_a_traceback(served, caplog, timestamp: str) -> None:
    url, ran, _ = served
    with caplog.at_level(logging.DEBUG):
        status, _, _ = post_to_bot(url, _command("hi"), FORM,
                                   headers={"X-Slack-Request-Timestamp": timestamp})
    assert status == 401 and ran == []
    assert not any(r.exc_info for r in caplog.records)


def test_a_signed_but_malformed_body_gets_400(served, caplog) -> None:
    url, ran, _ = served
    with caplog.at_level(logging.DEBUG):
        status, _, _ = post_to_bot(url, b"payload=%7Bnot-json", FORM)
    assert status in (400, 404) and ran == []
    assert not any(r.exc_info for r in caplog.records if r.name == "recruit.server")


def test_a_replayed_slash_command_runs_once(served) -> None:
    url, ran, _ = served
    body, ts = _command("who knows Rust?"), int(time.time())
    first = post_to_bot(url, body, FORM, timestamp=ts)
    again = post_to_bot(url, body, FORM, timestamp=ts)
    assert first[0] == again[0] == 200
    time.sleep(0.2)
    assert ran == ["who knows Rust?"]


def _serving() -> int:
    """Threads the HTTP server started for connections (other tests' threads come and go)."""
    return sum("process_request" in t.name for t in threading.enumerate())


def test_half_sent_bodies_do_not_hold_threads(served) -> None:
    url, _, server = served
    host, port = server.server_address
    before = _serving()
    clients = []
    for _ in range(20):
        s = socket.create_connection((host, port))
        s.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\npartial")
        clients.append(s)
    time.sleep(0.5)
    held = _serving()
    assert held > before  # being served by threads ...
    deadline = time.monotonic() + 6.0  # ... until READ_TIMEOUT (1 s here) drops each one
    while _serving() > before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _serving() <= before
    status, _, _ = post_to_bot(url, _command("still answering?"), FORM)
    assert status == 200
    for s in clients:
        s.close()
    print(f"20 half-sent bodies: connection threads {before} -> {held} -> {_serving()}")
