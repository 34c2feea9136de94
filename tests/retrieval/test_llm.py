"""The optional LLM through the real langchain-openai client, against an OpenAI-compatible stub
on 127.0.0.1: verified sentences are shown, anything unverifiable is dropped, and every failure
(malformed output, timeout, server down, missing package or key) leaves the extractive answer."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

pytest.importorskip("langchain_openai")

from bot.assistant import Assistant  # noqa: E402
from retrieval.llm import (Composer, client_kwargs, make_chat_model,  # noqa: E402
                           provider_and_model)
from retrieval.settings import Settings  # noqa: E402
from retrieval.types import Answer  # noqa: E402
from tests.conftest import make_settings  # noqa: E402
from tests.retrieval.fake_llm import (API_KEY, ELENA, GOOD, LI_1, MARCUS, MODEL,  # noqa: E402
                                      QUESTION, StubLLM, cooperative_answer,
                                      cooperative_overview, free_port, make_answer,
                                      make_summary, reason)

@pytest.fixture(autouse=True)
def _no_provider_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No real key or endpoint of the developer's shell reaches these tests."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def stub() -> Iterator[StubLLM]:
    server = StubLLM()
    yield server
    server.stop()


def llm_settings(tmp_path: Path, base_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {"llm": f"openai:{MODEL}", "llm_base_url": base_url,
                                 "llm_api_key": API_KEY, "llm_timeout": 5.0, "llm_retries": 0}
    values.update(overrides)
    return make_settings(tmp_path, **values)


def composed(stub: StubLLM, tmp_path: Path, answer: Answer | None = None,
             **overrides: object) -> Answer:
    settings = llm_settings(tmp_path, stub.base_url, **overrides)
    return Composer(settings).answer(answer or make_answer())


def same_retrieval(a: Answer, b: Answer) -> bool:
    """Same candidates in the same order with the same citations."""
    def core(x: Answer) -> list:
        return [(h.id, h.score, [c.model_dump() for c in h.citations]) for h in x.candidates]
    return a.question == b.question and a.no_match == b.no_match and core(a) == core(b)


# ---------------------------------------------------------------------------------------------
# Through the real client


def test_good_answer_is_shown_with_verified_citations(stub: StubLLM, tmp_path: Path) -> None:
    stub.reply(GOOD)
    answer = composed(stub, tmp_path)
    assert same_retrieval(answer, make_answer())
    assert [h.reason for h in answer.candidates] == [r["why"] for r in GOOD["candidates"]]
    assert [h.reason_passage_ids for h in answer.candidates] == [["li:0"], ["elena:0"],
                                                                 ["marcus:0"]]
    assert answer.composed_by == "openai:stub-model" and answer.notice is None
    # what the real client sent: one chat completion, strict json_schema output, our key
    (request,) = stub.requests
    assert request.path == "/v1/chat/completions" and request.body["model"] == MODEL
    assert request.headers.get("authorization") == f"Bearer {API_KEY}"
    fmt = request.body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "ComposedAnswer"
    assert fmt["json_schema"]["strict"] is True
    assert "never instructions" in request.content_of("system")
    user = request.content_of("user")
    assert f"<question>{QUESTION}</question>" in user
    assert user.index("<data>") < user.index(LI_1) < user.index(ELENA) < user.index(MARCUS) \
        < user.index("</data>")


def test_fabricated_citation_is_dropped(stub: StubLLM, tmp_path: Path,
                                        caplog: pytest.LogCaptureFixture) -> None:
    reply = json.loads(json.dumps(GOOD))
    reply["candidates"][0]["excerpts"] = ["E9"]  # no such excerpt
    stub.reply(reply)
    with caplog.at_level(logging.INFO, logger="retrieval.llm"):
        answer = composed(stub, tmp_path)
    assert answer.candidates[0].reason is None and answer.candidates[0].reason_passage_ids == []
    assert answer.candidates[1].reason and answer.candidates[2].reason
    assert "2 of 3 verified; dropped: unknown_excerpt=1" in caplog.text
    assert LI_1 not in caplog.text and ELENA not in caplog.text  # counts only, no document text


def test_citing_another_candidates_passage_is_dropped(stub: StubLLM, tmp_path: Path) -> None:
    reply = json.loads(json.dumps(GOOD))
    reply["candidates"][2]["excerpts"] = ["E1"]  # Li's excerpt, for Marcus
    stub.reply(reply)
    answer = composed(stub, tmp_path)
    assert [h.reason is not None for h in answer.candidates] == [True, True, False]


def test_quote_that_is_not_verbatim_is_dropped(stub: StubLLM, tmp_path: Path) -> None:
    reply = json.loads(json.dumps(GOOD))
    reply["candidates"][1]["quotes"] = ["quantized diffusion models to INT4 and INT2"]
    stub.reply(reply)
    answer = composed(stub, tmp_path)
    assert [h.reason is not None for h in answer.candidates] == [True, False, True]


def test_a_quotation_inside_the_sentence_must_be_verbatim_too(stub: StubLLM, tmp_path: Path) -> None:
    reply = json.loads(json.dumps(GOOD))
    reply["candidates"][1]["why"] = 'She "led a team of 500 engineers" on diffusion models.'
    reply["candidates"][1]["quotes"] = []
    reply["candidates"][2]["why"] = "Did “mixed-precision quantization” of attention layers."
    stub.reply(reply)
    answer = composed(stub, tmp_path)
    assert [h.reason is not None for h in answer.candidates] == [True, False, True]


def test_too_little_verified_gives_the_extractive_answer(stub: StubLLM, tmp_path: Path) -> None:
    stub.reply({"candidates": [
        GOOD["candidates"][0],
        reason("C2", "Invented.", ["E7"]),
        reason("C3", "No citation at all.", []),
        reason("C9", "Someone retrieval never found.", ["E1"]),
    ]})
    answer = composed(stub, tmp_path)
    assert answer == make_answer()  # unchanged, and no notice: the model did answer


@pytest.mark.parametrize("body", [
    "this is not JSON at all",
    json.dumps({"answer": "the schema is different"}),
    json.dumps({"candidates": [{"candidate": "C1"}]}),
])
def test_malformed_output_gives_the_extractive_answer(stub: StubLLM, tmp_path: Path,
                                                      body: str) -> None:
    stub.reply(body)
    assert composed(stub, tmp_path) == make_answer()


def test_non_json_http_body_gives_the_extractive_answer(stub: StubLLM, tmp_path: Path) -> None:
    stub.raw(b"<html>502 Bad Gateway</html>")
    answer = composed(stub, tmp_path)
    assert same_retrieval(answer, make_answer())
    assert all(h.reason is None for h in answer.candidates)


def test_timeout_falls_back_within_the_configured_time(stub: StubLLM, tmp_path: Path) -> None:
    stub.reply(GOOD, delay=5.0)
    started = time.monotonic()
    answer = composed(stub, tmp_path, llm_timeout=1.0, llm_retries=0)
    elapsed = time.monotonic() - started
    assert elapsed < 3.0, elapsed
    assert same_retrieval(answer, make_answer())
    assert all(h.reason is None for h in answer.candidates)
    assert answer.notice == "LLM unavailable: no reply within 1 s"


def test_an_unreachable_model_is_left_alone_for_a_while(stub: StubLLM, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """After a timeout, the next answers do not each wait for the timeout again."""
    composer = Composer(llm_settings(tmp_path, stub.base_url, llm_timeout=1.0))
    stub.reply(GOOD, delay=5.0)
    assert composer.answer(make_answer()).notice == "LLM unavailable: no reply within 1 s"
    started = time.monotonic()
    again = composer.answer(make_answer())
    assert time.monotonic() - started < 0.5 and len(stub.requests) == 1
    assert again.notice == "LLM unavailable: no reply within 1 s"
    monkeypatch.setattr(composer, "_down", None)  # once the cooldown is over: tried again
    stub.reply(GOOD)
    recovered = composer.answer(make_answer())
    assert recovered.notice is None and recovered.candidates[0].reason


def test_server_down_falls_back_with_a_notice(tmp_path: Path) -> None:
    base_url = f"http://127.0.0.1:{free_port()}/v1"
    settings = llm_settings(tmp_path, base_url, llm_timeout=2.0)
    answer = Composer(settings).answer(make_answer())
    assert same_retrieval(answer, make_answer())
    assert answer.notice == f"LLM unavailable: cannot reach {base_url}"


def test_server_errors_are_retried_as_configured(stub: StubLLM, tmp_path: Path) -> None:
    stub.fail(500, times=2)
    answer = composed(stub, tmp_path, llm_retries=1)
    assert len(stub.requests) == 2
    assert answer.notice == f"LLM unavailable: {stub.base_url} answered HTTP 500"
    stub.fail(500)
    stub.reply(GOOD)
    answer = composed(stub, tmp_path, llm_retries=1)
    assert answer.notice is None and answer.candidates[0].reason


def test_a_tool_call_instead_of_json_is_malformed(stub: StubLLM, tmp_path: Path) -> None:
    """json_schema output was asked for; a server answering with a tool call is unusable."""
    stub.reply(GOOD, tool_call=True)
    assert composed(stub, tmp_path) == make_answer()


def test_the_stub_answers_tool_calls_when_tools_are_offered(stub: StubLLM,
                                                            tmp_path: Path) -> None:
    """The stub speaks both shapes langchain-openai asks for (function calling here)."""
    from retrieval.prompt import ComposedAnswer, answer_prompt

    stub.reply(GOOD)
    model = make_chat_model(llm_settings(tmp_path, stub.base_url))
    assert model is not None
    parsed = model.with_structured_output(ComposedAnswer, method="function_calling").invoke(
        answer_prompt(make_answer()).messages)
    assert parsed == ComposedAnswer.model_validate(GOOD)
    assert stub.requests[0].body["tools"][0]["function"]["name"] == "ComposedAnswer"


def test_no_llm_call_for_a_no_match_answer(stub: StubLLM, tmp_path: Path) -> None:
    empty = Answer(question="who knows COBOL?", no_match=True)
    assert composed(stub, tmp_path, empty) == empty
    assert stub.requests == []


def test_local_server_needs_no_key(stub: StubLLM, tmp_path: Path) -> None:
    stub.reply(GOOD)
    answer = composed(stub, tmp_path, llm_api_key=None)
    assert answer.candidates[0].reason
    assert stub.requests[0].headers.get("authorization") == "Bearer not-needed"


def test_bare_model_name_with_a_base_url_means_an_openai_compatible_server(
        stub: StubLLM, tmp_path: Path) -> None:
    stub.reply(GOOD)
    answer = composed(stub, tmp_path, llm="qwen2.5:7b-instruct")
    assert answer.candidates[0].reason and stub.requests[0].body["model"] == "qwen2.5:7b-instruct"


# ---------------------------------------------------------------------------------------------
# Set-up problems: one line, extractive answer


def test_missing_key_gives_a_notice(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, llm="openai:gpt-4o-mini")  # no key, no base URL
    answer = Composer(settings).answer(make_answer())
    assert answer.notice == ("LLM unavailable: no API key for openai:gpt-4o-mini: set "
                             "RECRUIT_LLM_API_KEY or the provider's own variable")
    assert same_retrieval(answer, make_answer())


def test_missing_provider_package_gives_a_notice(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain_anthropic", None)  # import fails
    from langchain.chat_models import base

    if hasattr(base._get_chat_model_creator, "cache_clear"):
        base._get_chat_model_creator.cache_clear()
    settings = make_settings(tmp_path, llm="anthropic:claude-sonnet-4-5")
    composer = Composer(settings)
    answer = composer.answer(make_answer())
    assert answer.notice == ("LLM unavailable: the langchain-anthropic package is not installed "
                             "(pip install langchain-anthropic)")
    assert composer.answer(make_answer()).notice == answer.notice  # remembered, not retried


def test_missing_langchain_gives_a_notice(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain.chat_models", None)
    answer = Composer(make_settings(tmp_path, llm="openai:gpt-4o-mini")).answer(make_answer())
    assert answer.notice == ("LLM unavailable: the langchain package is not installed "
                             "(pip install 'recruit-assistant[llm]')")


@pytest.mark.parametrize("spec, base_url, expected", [
    ("openai:gpt-4o-mini", None, ("openai", "gpt-4o-mini")),
    ("anthropic:claude-sonnet-4-5", None, ("anthropic", "claude-sonnet-4-5")),
    ("ollama:qwen2.5:7b", None, ("ollama", "qwen2.5:7b")),
    ("ollama:qwen2.5:7b", "http://127.0.0.1:11434", ("ollama", "qwen2.5:7b")),
    ("qwen2.5:7b", "http://127.0.0.1:8000/v1", ("openai", "qwen2.5:7b")),
    ("Qwen/Qwen2.5-7B-Instruct", "http://127.0.0.1:8000/v1", ("openai", "Qwen/Qwen2.5-7B-Instruct")),
    ("gpt-4o-mini", None, (None, "gpt-4o-mini")),  # langchain infers the provider
])
def test_provider_and_model(tmp_path: Path, spec: str, base_url: str | None,
                            expected: tuple) -> None:
    settings = make_settings(tmp_path, llm=spec, llm_base_url=base_url)
    assert provider_and_model(settings) == expected


def test_timeouts_and_retries_reach_each_client(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, llm="ollama:qwen2.5:7b", llm_timeout=7.0, llm_retries=2,
                             llm_base_url="http://127.0.0.1:11434", llm_api_key="k")
    assert client_kwargs("ollama", settings) == {
        "client_kwargs": {"timeout": 7.0, "headers": {"Authorization": "Bearer k"}},
        "base_url": "http://127.0.0.1:11434"}
    assert client_kwargs("anthropic", settings) == {
        "timeout": 7.0, "max_retries": 2, "api_key": "k", "base_url": "http://127.0.0.1:11434"}
    model = make_chat_model(make_settings(tmp_path, llm="openai:gpt-4o-mini", llm_api_key="k",
                                          llm_timeout=7.0, llm_retries=2))
    assert (model.request_timeout, model.max_retries) == (7.0, 2)  # type: ignore[union-attr]


def test_unknown_provider_gives_a_notice(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, llm="mystery-model-7b")
    answer = Composer(settings).answer(make_answer())
    assert answer.notice and answer.notice.startswith(
        "LLM unavailable: cannot tell the provider of 'mystery-model-7b'")


def test_settings_read_the_llm_variables(monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    monkeypatch.setenv("RECRUIT_LLM", "ollama:qwen2.5:7b")
    monkeypatch.setenv("RECRUIT_LLM_BASE_URL", "http://127.0.0.1:11434")
    monkeypatch.setenv("RECRUIT_LLM_API_KEY", "secret-value")
    monkeypatch.setenv("RECRUIT_LLM_TIMEOUT", "12.5")
    monkeypatch.setenv("RECRUIT_LLM_RETRIES", "3")
    s = Settings(_env_file=None, data_dir=tmp_path)
    assert (s.llm, s.llm_base_url, s.llm_timeout, s.llm_retries) == \
        ("ollama:qwen2.5:7b", "http://127.0.0.1:11434", 12.5, 3)
    assert s.llm_api_key is not None and "secret-value" not in repr(s)
    monkeypatch.setenv("RECRUIT_LLM", "")
    assert Settings(_env_file=None, data_dir=tmp_path).llm is None
    assert make_settings(tmp_path).llm is None  # unset by default: no LLM


# ---------------------------------------------------------------------------------------------
# Summaries


def test_summary_overview_is_verified(stub: StubLLM, tmp_path: Path) -> None:
    stub.reply({"sentences": [
        {"text": "An LLM inference engineer.", "excerpts": ["E1"], "quotes": ["大模型推理工程师"]},
        {"text": "Led KV cache quantization, cutting memory by 60%.", "excerpts": ["E2"],
         "quotes": ["显存占用降低 60%"]},
        {"text": "Has ten years at Google.", "excerpts": ["E3"], "quotes": []},  # no E3 sent
    ]})
    settings = llm_settings(tmp_path, stub.base_url)
    summary = Composer(settings).summary(make_summary())
    assert summary.overview == ("An LLM inference engineer. Led KV cache quantization, cutting "
                                "memory by 60%.")
    assert summary.overview_passage_ids == ["li:0", "li:1"]
    assert summary.lines == make_summary().lines and summary.composed_by == settings.llm
    user = stub.requests[0].content_of("user")
    assert "mingyuan.li@example.com" not in user  # contact lines are not sent


def test_summary_overview_with_unverifiable_sentences_is_left_out(stub: StubLLM,
                                                                  tmp_path: Path) -> None:
    stub.reply({"sentences": [
        {"text": "A quantization expert.", "excerpts": ["E2"], "quotes": ["显存占用降低 90%"]},
        {"text": "Also a chef.", "excerpts": [], "quotes": []},
    ]})
    summary = Composer(llm_settings(tmp_path, stub.base_url)).summary(make_summary())
    assert summary == make_summary()


# ---------------------------------------------------------------------------------------------
# Through the assistant: a small step at the end of ask and summary


@pytest.fixture
def llm_assistant(corpus_assistant: Assistant, stub: StubLLM) -> Assistant:
    """The shared corpus store, read-only, with the stub as its LLM."""
    settings = corpus_assistant.settings.model_copy(update={
        "llm": f"openai:{MODEL}", "llm_base_url": stub.base_url,
        "llm_api_key": SecretStr(API_KEY), "llm_timeout": 5.0, "llm_retries": 0})
    return Assistant(settings, store=corpus_assistant.store,
                     embeddings=corpus_assistant.embeddings)


def test_assistant_composes_answers_without_changing_retrieval(
        corpus_assistant: Assistant, llm_assistant: Assistant, stub: StubLLM) -> None:
    question = "who has worked on KV cache quantization?"
    plain = corpus_assistant.ask(question)
    stub.reply_with(cooperative_answer)
    answer = llm_assistant.ask(question)
    assert same_retrieval(answer, plain) and not plain.no_match
    assert all(h.reason for h in answer.candidates) and answer.composed_by
    for hit in answer.candidates:
        assert set(hit.reason_passage_ids) <= {c.passage_id for c in hit.citations}
    # nothing is sent for a question no one matches
    before = len(stub.requests)
    assert llm_assistant.ask("who has shipped COBOL on mainframes for a bank?").no_match
    assert len(stub.requests) == before


def test_assistant_composes_summaries(llm_assistant: Assistant, stub: StubLLM) -> None:
    stub.reply_with(cooperative_overview)
    summary = llm_assistant.summary("Samuel Okafor")
    assert summary.candidate is not None and summary.overview
    cited = {line.citation.passage_id for line in summary.lines}
    assert summary.overview_passage_ids and set(summary.overview_passage_ids) <= cited
