"""Fake chat models for tests: an OpenAI-compatible HTTP stub on 127.0.0.1 (port 0) that the
real langchain-openai client talks to, and a langchain fake chat model that records its prompts.

The stub answers `POST /v1/chat/completions` the way an OpenAI-compatible server does: a
`chat.completion` object whose message carries the reply as `content` (what `response_format`
json_schema asks for), or as a tool call when the request offered tools. Replies are queued per
test (`StubLLM.reply(...)`, `StubLLM.fail(...)`); every request body and its headers are
recorded. A reply can be delayed (timeouts); a stopped stub frees its port (server down).
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult

from retrieval.types import (Answer, CandidateHit, CandidateInfo, Citation, Summary,
                             SummaryLine)

API_KEY = "sk-test-dummy-key"
MODEL = "stub-model"

# ---------------------------------------------------------------------------------------------
# An answer and a summary as retrieval would give them (fictional people, verbatim quotes)

QUESTION = "who has worked on KV cache quantization?"
LI_1 = "负责大模型推理引擎的性能优化，主导 KV Cache 量化方案的设计与落地，显存占用降低 60%。"
LI_2 = "设计 INT4 权重量化与 FP8 KV Cache 混合方案，长上下文推理延迟降低 35%。"
ELENA = ("Quantized latent diffusion models to INT8 and INT4 with post-training quantization, "
         "keeping image quality within 2% FID.")
MARCUS = "Calibration of mixed-precision quantization for attention layers on edge devices."


def cite(doc: str, n: int, quote: str) -> Citation:
    return Citation(passage_id=f"{doc}:{n}", quote=quote, source=f"/docs/{doc}.pdf", page=1,
                    section="Experience", start=100 * n, end=100 * n + len(quote))


def make_answer() -> Answer:
    """Three candidates as retrieval ranked them: excerpts E1, E2 (C1), E3 (C2), E4 (C3)."""
    return Answer(question=QUESTION, no_match=False, candidates=[
        CandidateHit(id="li-mingyuan", name="李明远", sources=["/docs/li.pdf"], score=3.0,
                     citations=[cite("li", 0, LI_1), cite("li", 1, LI_2)]),
        CandidateHit(id="elena-voss", name="Elena Voss", sources=["/docs/elena.pdf"], score=2.0,
                     citations=[cite("elena", 0, ELENA)]),
        CandidateHit(id="marcus-feld", name="Marcus Feld", sources=["/docs/marcus.pdf"],
                     score=1.0, citations=[cite("marcus", 0, MARCUS)]),
    ])


def reason(candidate: str, why: str, excerpts: list[str], quotes: list[str] | None = None) -> dict:
    return {"candidate": candidate, "why": why, "excerpts": excerpts, "quotes": quotes or []}


GOOD = {"candidates": [
    reason("C1", "Led the design of KV cache quantization, cutting GPU memory by 60%.", ["E1"],
           ["主导 KV Cache 量化方案的设计与落地", "显存占用降低 60%"]),
    reason("C2", "Quantized latent diffusion models to INT8 and INT4.", ["E3"],
           ["“INT8 and INT4”"]),
    reason("C3", "Calibrated mixed-precision quantization of attention layers.", ["[e4]"],
           ["mixed-precision\n quantization"]),
]}


def make_summary() -> Summary:
    person = CandidateInfo(id="li-mingyuan", name="李明远", name_found=True,
                           sources=["/docs/li.pdf"], document_ids=["li"])
    return Summary(candidate=person, lines=[
        SummaryLine(field="headline", text="大模型推理工程师", citation=cite("li", 0, "大模型推理工程师")),
        SummaryLine(field="experience", text=LI_1, citation=cite("li", 1, LI_1)),
        SummaryLine(field="contact", text="mingyuan.li@example.com",
                    citation=cite("li", 2, "mingyuan.li@example.com")),
    ])


@dataclass
class Request:
    path: str
    headers: dict[str, str]  # names in lower case
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    def content_of(self, role: str) -> str:
        return "\n".join(str(m.get("content")) for m in self.messages if m.get("role") == role)


@dataclass
class Reply:
    content: str | None = None  # the assistant message text (JSON for structured output)
    status: int = 200
    delay: float = 0.0  # seconds before answering
    raw: bytes | None = None  # a body sent as is (not a chat.completion)
    make: Callable[[Request], str] | None = None  # content computed from the request
    tool_call: bool = False  # answer with a tool call even if the request offered no tools


@dataclass
class StubLLM:
    """An OpenAI-compatible chat completions server on 127.0.0.1, port 0."""

    requests: list[Request] = field(default_factory=list)
    _replies: deque[Reply] = field(default_factory=deque)
    _stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = {}
                headers = {k.lower(): v for k, v in self.headers.items()}
                stub.requests.append(Request(self.path, headers, body))
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._send(404, {"error": {"message": "not found"}})
                reply = stub._replies.popleft() if stub._replies else Reply(
                    status=500, raw=b'{"error": {"message": "no reply queued"}}')
                if reply.delay and stub._stopping.wait(reply.delay):
                    return
                if reply.raw is not None:
                    return self._send(reply.status, reply.raw)
                if reply.status != 200:
                    return self._send(reply.status, {"error": {"message": "stub failure",
                                                               "type": "server_error"}})
                content = reply.make(stub.requests[-1]) if reply.make else reply.content
                self._send(200, completion(body, content or "", reply.tool_call))

            def _send(self, status: int, payload: Any) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout test)
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def reply(self, content: Any, delay: float = 0.0, tool_call: bool = False) -> None:
        """Queue one reply; a dict or list is sent as its JSON text."""
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        self._replies.append(Reply(content=text, delay=delay, tool_call=tool_call))

    def reply_with(self, make: Callable[[Request], Any]) -> None:
        """Queue one reply computed from the request (a dict or list is sent as JSON)."""
        def text(request: Request) -> str:
            value = make(request)
            return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        self._replies.append(Reply(make=text))

    def raw(self, body: bytes, status: int = 200) -> None:
        """Queue one reply whose body is sent as is."""
        self._replies.append(Reply(status=status, raw=body))

    def fail(self, status: int, times: int = 1) -> None:
        for _ in range(times):
            self._replies.append(Reply(status=status))

    def stop(self) -> None:
        self._stopping.set()
        self.server.shutdown()
        self.server.server_close()


def completion(request: dict[str, Any], content: str, tool_call: bool = False) -> dict[str, Any]:
    """A `chat.completion` carrying `content`, as a tool call if the request offered tools."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    finish = "stop"
    tools = request.get("tools") or []
    if tools or tool_call:
        name = tools[0].get("function", {}).get("name", "tool") if tools else "ComposedAnswer"
        message = {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function",
             "function": {"name": name, "arguments": content}}]}
        finish = "tool_calls"
    return {"id": "chatcmpl-stub", "object": "chat.completion", "created": 0,
            "model": request.get("model", MODEL),
            "choices": [{"index": 0, "message": message, "finish_reason": finish,
                         "logprobs": None}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}}


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RecordingChatModel(GenericFakeChatModel):
    """langchain's generic fake chat model, keeping every prompt it was given."""

    prompts: list[list[BaseMessage]] = []

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: Any = None, **kwargs: Any) -> ChatResult:
        self.prompts.append(list(messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def recording_model(*replies: Any) -> RecordingChatModel:
    texts: Iterator[str] = iter(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                                for r in replies)
    return RecordingChatModel(messages=texts, prompts=[])


_CANDIDATE = re.compile(r'<candidate id="(C\d+)"[^>]*>(.*?)</candidate>', re.DOTALL)
_EXCERPT = re.compile(r'<excerpt id="(E\d+)"[^>]*>\n(.*?)\n</excerpt>', re.DOTALL)


def excerpts_in(text: str) -> dict[str, str]:
    """Excerpt id -> text, as the prompt shows them."""
    return dict(_EXCERPT.findall(text))


def cooperative_answer(request: Request) -> dict[str, Any]:
    """What a well-behaved model returns: for each candidate, a sentence resting on its first
    excerpt, with its first words as a verbatim quote."""
    items = []
    for key, block in _CANDIDATE.findall(request.content_of("user")):
        first = _EXCERPT.findall(block)[0]
        words = " ".join(first[1].split()[:4])
        items.append({"candidate": key, "why": f"Their documents say: {words}.",
                      "excerpts": [first[0]], "quotes": [words]})
    return {"candidates": items}


def cooperative_overview(request: Request) -> dict[str, Any]:
    """A well-behaved overview: one sentence per excerpt (at most three), each quoting it."""
    sentences = []
    for key, text in list(excerpts_in(request.content_of("user")).items())[:3]:
        words = " ".join(text.split()[:4])
        sentences.append({"text": f"The documents say {words}.", "excerpts": [key],
                          "quotes": [words]})
    return {"sentences": sentences}
