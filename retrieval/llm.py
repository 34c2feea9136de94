"""Optional LLM: a verified "why" sentence per candidate, a verified overview per summary.

Retrieval decides who is in an answer and in which order; the model only writes sentences
about them from the quotes the answer already shows (`retrieval.prompt`). Nothing it writes is
shown before verification:

- every excerpt id it cites was given to it, and belongs to the candidate the sentence is about;
- every quote it gives is verbatim (up to whitespace) in one of the excerpts it cites;
- a sentence that fails either check, or cites nothing, is dropped and counted in the log;
- when fewer than half of the candidates (or of the overview's sentences) survive, the
  extractive answer is returned unchanged.

The quotes on screen are always the store's citations, never the model's text. When the model
cannot be used at all (package or key missing, server down, timeout), the extractive answer
comes back with a one-line `notice`; nothing here raises to the caller.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage
from langchain_core.output_parsers import PydanticOutputParser
from pydantic import BaseModel

from retrieval.errors import RecruitError
from retrieval.prompt import (ComposedAnswer, ComposedOverview, Excerpt, answer_prompt,
                              summary_prompt)
from retrieval.settings import Settings
from retrieval.types import Answer, Summary

logger = logging.getLogger(__name__)

MAX_SENTENCE_CHARS = 400  # longer is not "one short sentence": dropped
MAX_OVERVIEW_SENTENCES = 4
MIN_VERIFIED_SHARE = 0.5  # fewer candidates (or overview sentences) verified: extractive answer
NO_KEY = "not-needed"  # local OpenAI-compatible servers accept any key, the client wants one

# provider -> its langchain package (what `pip install` needs)
PACKAGES = {"openai": "langchain-openai", "anthropic": "langchain-anthropic",
            "ollama": "langchain-ollama", "azure_openai": "langchain-openai",
            "google_genai": "langchain-google-genai", "mistralai": "langchain-mistralai",
            "groq": "langchain-groq", "deepseek": "langchain-deepseek",
            "fireworks": "langchain-fireworks", "together": "langchain-together",
            "xai": "langchain-xai", "openrouter": "langchain-openrouter"}

Schema = TypeVar("Schema", bound=BaseModel)
Composed = TypeVar("Composed", Answer, Summary)


class LLMUnavailable(RecruitError):
    """The configured chat model cannot be used; the message says why, in one line."""


# ---------------------------------------------------------------------------------------------
# The model


def provider_and_model(settings: Settings) -> tuple[str | None, str]:
    """("openai", "gpt-4o-mini") from 'openai:gpt-4o-mini'; with a base URL a spec without a
    known provider ('qwen2.5:7b') names a model of an OpenAI-compatible server; otherwise the
    provider is left for langchain to infer from the model name ('gpt-…', 'claude-…')."""
    spec = (settings.llm or "").strip()
    head, sep, rest = spec.partition(":")
    if sep and head.lower() in PACKAGES and rest:
        return head.lower(), rest
    if settings.llm_base_url:
        return "openai", spec
    return None, spec


def client_kwargs(provider: str | None, settings: Settings) -> dict[str, object]:
    """The timeout, retries, key and base URL, as the provider's chat model takes them."""
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    if provider == "ollama":  # ChatOllama passes httpx options through client_kwargs
        client: dict[str, object] = {"timeout": settings.llm_timeout}
        if key:
            client["headers"] = {"Authorization": f"Bearer {key}"}
        kwargs: dict[str, object] = {"client_kwargs": client}
    else:  # langchain's standard chat model parameters
        kwargs = {"timeout": settings.llm_timeout, "max_retries": settings.llm_retries}
        if key:
            kwargs["api_key"] = key
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    return kwargs


def make_chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model `settings.llm` names (None when unset), through langchain's
    `init_chat_model`. Raises `LLMUnavailable` with a one-line reason when it cannot be built."""
    if not settings.llm:
        return None
    provider, model = provider_and_model(settings)
    try:
        from langchain.chat_models import init_chat_model
    except ImportError as e:
        raise LLMUnavailable("the langchain package is not installed "
                             "(pip install 'recruit-assistant[llm]')") from e
    kwargs = client_kwargs(provider, settings)
    try:
        try:
            return init_chat_model(model, model_provider=provider, **kwargs)
        except Exception as e:
            if not (provider == "openai" and settings.llm_base_url and not settings.llm_api_key
                    and _about_key(e)):
                raise
            return init_chat_model(model, model_provider=provider, **kwargs, api_key=NO_KEY)
    except ImportError as e:
        package = _missing_package(e, provider)
        raise LLMUnavailable(f"the {package} package is not installed "
                             f"(pip install {package})") from e
    except Exception as e:
        if _about_key(e):
            raise LLMUnavailable(f"no API key for {settings.llm}: set RECRUIT_LLM_API_KEY or "
                                 "the provider's own variable") from e
        if provider is None and "infer" in str(e).lower():
            raise LLMUnavailable(f"cannot tell the provider of '{model}': write RECRUIT_LLM as "
                                 "provider:model (openai:…, anthropic:…, ollama:…)") from e
        raise LLMUnavailable(f"cannot set up {settings.llm}: {_first_line(e)}") from e


def _missing_package(error: ImportError, provider: str | None) -> str:
    """The pip name of the provider package an import failed on."""
    for e in _chain(error):
        name = getattr(e, "name", None)
        if isinstance(e, ImportError) and name and name.startswith("langchain_"):
            return name.split(".")[0].replace("_", "-")
    return PACKAGES.get(provider or "", f"langchain-{(provider or 'PROVIDER').replace('_', '-')}")


def _about_key(error: BaseException) -> bool:
    text = str(error).lower()
    return "api_key" in text or "api key" in text or "credentials" in text


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    e: BaseException | None = error
    while e is not None and e not in seen:
        seen.append(e)
        e = e.__cause__ or e.__context__
    return seen


def unavailable_reason(error: BaseException, settings: Settings) -> str | None:
    """Why a call failed, when the model could not be reached or refused (one line); None when
    the call went through and the reply was unusable (malformed output)."""
    where = settings.llm_base_url or f"the {provider_and_model(settings)[0] or 'provider'} API"
    for e in _chain(error):
        name = type(e).__name__
        if "Timeout" in name:
            return f"no reply within {settings.llm_timeout:g} s"
        if "Connect" in name or isinstance(e, ConnectionError):
            return f"cannot reach {where}"
        status = getattr(e, "status_code", None)
        if isinstance(status, int):
            if status in (401, 403):
                return f"{where} refused the API key (HTTP {status})"
            if status == 404:
                return f"{where} does not know the model (HTTP 404)"
            if status == 400:
                return (f"{where} refused the request (HTTP 400; does the model support "
                        "structured output?)")
            return f"{where} answered HTTP {status}"
    return None


def invoke_structured(model: BaseChatModel, messages: list[BaseMessage],
                      schema: type[Schema]) -> Schema:
    """The model's reply as `schema`: native structured output where the model has it, else
    JSON asked for in the prompt and parsed. Raises on anything unusable."""
    try:
        runnable = model.with_structured_output(schema)
    except NotImplementedError:
        parser = PydanticOutputParser(pydantic_object=schema)
        last = messages[-1]
        messages = [*messages[:-1],
                    HumanMessage(f"{last.content}\n\n{parser.get_format_instructions()}")]
        runnable = model | parser
    result = runnable.invoke(messages)
    return result if isinstance(result, schema) else schema.model_validate(result)


# ---------------------------------------------------------------------------------------------
# Verification


@dataclass
class Verified:
    text: str
    passage_ids: list[str]


def _squeeze(text: str) -> str:
    return " ".join(text.split())


_OUTER_MARKS = "\"'“”‘’「」『』«»…. "


_QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|「([^」]+)」|『([^』]+)』|«([^»]+)»')


def _quoted_in(text: str) -> list[str]:
    """Phrases the sentence itself puts in quotation marks: they claim to be the document's
    words, so they are checked like the `quotes` list."""
    return [next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)]


def _key(raw: str) -> str:
    return raw.strip().strip("[]()").strip().upper()


def verify(text: str, keys: list[str], quotes: list[str], excerpts: dict[str, Excerpt],
           owner: str) -> tuple[Verified | None, str | None]:
    """A sentence the user may see, or None and why it was dropped."""
    text = _squeeze(text)
    if not text:
        return None, "empty"
    if len(text) > MAX_SENTENCE_CHARS:
        return None, "too_long"
    cited = list(dict.fromkeys(_key(k) for k in keys if _key(k)))
    if not cited:
        return None, "no_citation"
    for key in cited:
        if key not in excerpts:
            return None, "unknown_excerpt"
        if excerpts[key].owner != owner:
            return None, "other_candidate"
    sources = [_squeeze(excerpts[k].text) for k in cited]
    for quote in [*quotes, *_quoted_in(text)]:  # outer marks and ellipses are not part of it
        q = _squeeze(quote).strip(_OUTER_MARKS)
        if q and not any(q in s for s in sources):
            return None, "quote_not_verbatim"
    return Verified(text, list(dict.fromkeys(excerpts[k].passage_id for k in cited))), None


def _log(kind: str, kept: int, total: int, dropped: Counter[str], used: bool) -> None:
    detail = ", ".join(f"{reason}={n}" for reason, n in sorted(dropped.items())) or "none"
    logger.info("llm %s: %d of %d verified; dropped: %s; %s", kind, kept, total, detail,
                "shown" if used else "too little verified, extractive answer kept")


def _failed(error: BaseException, settings: Settings, kind: str) -> str | None:
    reason = unavailable_reason(error, settings)
    if reason:
        logger.warning("LLM unavailable for %s: %s", kind, reason)
    else:  # the message may quote the model's output (document text): type only here
        logger.warning("LLM output for %s unusable (%s); extractive answer kept", kind,
                       type(error).__name__)
        logger.debug("unusable LLM output", exc_info=error)
    return f"LLM unavailable: {reason}" if reason else None


# ---------------------------------------------------------------------------------------------
# Composition


def compose_answer(answer: Answer, model: BaseChatModel, settings: Settings) -> Answer:
    """`answer` with a verified "why" sentence on (at least half of) its candidates, or
    unchanged (with a notice when the model could not be reached). Candidates, their order and
    their citations are never changed."""
    if answer.no_match or not answer.candidates:
        return answer
    prompt = answer_prompt(answer)
    try:
        reply = invoke_structured(model, prompt.messages, ComposedAnswer)
    except Exception as e:  # noqa: BLE001 - any failure leaves the extractive answer
        notice = _failed(e, settings, "answer")
        return answer.model_copy(update={"notice": notice}) if notice else answer
    reasons: dict[str, Verified] = {}
    dropped: Counter[str] = Counter()
    for item in reply.candidates:
        owner = _key(item.candidate)
        if owner not in prompt.candidates:
            dropped["unknown_candidate"] += 1
            continue
        if owner in reasons:
            dropped["duplicate"] += 1
            continue
        verified, why_not = verify(item.why, item.excerpts, item.quotes, prompt.excerpts, owner)
        if verified is None:
            dropped[why_not or "invalid"] += 1
        else:
            reasons[owner] = verified
    total = len(prompt.candidates)
    used = len(reasons) >= MIN_VERIFIED_SHARE * total
    _log("answer", len(reasons), total, dropped, used)
    if not used:
        return answer
    hits = []
    for key, hit in prompt.candidates.items():
        reason = reasons.get(key)
        hits.append(hit.model_copy(update={"reason": reason.text,
                                           "reason_passage_ids": reason.passage_ids})
                    if reason else hit)
    return answer.model_copy(update={"candidates": hits, "composed_by": settings.llm})


def compose_summary(summary: Summary, model: BaseChatModel, settings: Settings) -> Summary:
    """`summary` with a verified overview of a few sentences, or unchanged (with a notice when
    the model could not be reached). The card's lines are never changed."""
    if summary.candidate is None:
        return summary
    prompt = summary_prompt(summary)
    if not prompt.excerpts:
        return summary
    try:
        reply = invoke_structured(model, prompt.messages, ComposedOverview)
    except Exception as e:  # noqa: BLE001 - any failure leaves the extractive summary
        notice = _failed(e, settings, "summary")
        return summary.model_copy(update={"notice": notice}) if notice else summary
    kept: list[Verified] = []
    dropped: Counter[str] = Counter()
    for sentence in reply.sentences:
        verified, why_not = verify(sentence.text, sentence.excerpts, sentence.quotes,
                                   prompt.excerpts, "")
        if verified is None:
            dropped[why_not or "invalid"] += 1
        elif len(kept) >= MAX_OVERVIEW_SENTENCES:
            dropped["too_many"] += 1
        else:
            kept.append(verified)
    total = len(reply.sentences)
    used = bool(kept) and len(kept) >= MIN_VERIFIED_SHARE * total
    _log("summary", len(kept), total, dropped, used)
    if not used:
        return summary
    ids = list(dict.fromkeys(pid for v in kept for pid in v.passage_ids))
    return summary.model_copy(update={"overview": " ".join(v.text for v in kept),
                                      "overview_passage_ids": ids,
                                      "composed_by": settings.llm})


class Composer:
    """The configured chat model, built at first use and kept, and the two composition steps.
    Safe to share between threads; never raises.

    After the model could not be reached (server down, timeout, HTTP error), it is left alone for
    `cooldown` seconds: answers come back at once with the same notice instead of each waiting
    for the timeout again."""

    cooldown = 60.0

    def __init__(self, settings: Settings, model: BaseChatModel | None = None):
        self.settings = settings
        self._model = model
        self._problem: str | None = None  # a setup problem: remembered for good
        self._down: tuple[float, str] | None = None  # (until, notice) after an unreachable call
        self._lock = threading.Lock()

    def model(self) -> BaseChatModel:
        """The chat model; `LLMUnavailable` (remembered: it is a setup problem) if none."""
        with self._lock:
            if self._model is None and self._problem is None:
                try:
                    self._model = make_chat_model(self.settings)
                except LLMUnavailable as e:
                    self._problem = str(e)
                except Exception as e:  # noqa: BLE001 - a setup problem must not break answers
                    self._problem = f"cannot set up {self.settings.llm}: {_first_line(e)}"
                if self._problem:
                    logger.warning("LLM unavailable: %s", self._problem)
                if self._model is None and self._problem is None:
                    self._problem = "no LLM configured (RECRUIT_LLM)"
            if self._model is None:
                raise LLMUnavailable(self._problem or "no LLM configured")
            return self._model

    def _usable(self) -> tuple[BaseChatModel | None, str | None]:
        """The model, or None and the notice to show instead."""
        down = self._down
        if down and time.monotonic() < down[0]:
            return None, down[1]
        try:
            return self.model(), None
        except LLMUnavailable as e:
            return None, f"LLM unavailable: {e}"

    def _note(self, notice: str | None) -> None:
        self._down = (time.monotonic() + self.cooldown, notice) if notice else None

    def answer(self, answer: Answer) -> Answer:
        if answer.no_match or not answer.candidates:
            return answer
        return self._compose(answer, compose_answer)

    def summary(self, summary: Summary) -> Summary:
        if summary.candidate is None or not summary.lines:
            return summary
        return self._compose(summary, compose_summary)

    def _compose(self, item: Composed, compose: Callable[[Composed, BaseChatModel, Settings],
                                                          Composed]) -> Composed:
        """`compose` with the model, or `item` with a notice when the model cannot be used."""
        model, notice = self._usable()
        if model is None:
            return item.model_copy(update={"notice": notice})
        result = compose(item, model, self.settings)
        self._note(result.notice)
        return result
