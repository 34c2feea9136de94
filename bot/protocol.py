"""What the Slack layer and the terminal need from the assistant, as a type: the bot is written
against this, and `bot.assistant.Assistant` is the implementation (tests may pass a spy that
wraps one)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Protocol

from retrieval.settings import Settings
from retrieval.types import Answer, CandidateInfo, Response, Summary

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from candidates.names import NameMention
    from retrieval.store import Store


class Responder(Protocol):
    settings: Settings
    store: Store            # ingest from Slack writes through it (bot/intake.py)
    embeddings: Embeddings  # and embeds with the assistant's model

    def respond(self, text: str, only: set[str] | None = None,
                before_search: Callable[[], None] | None = None) -> Response:
        """A message's card or answer (`Assistant.respond`)."""
        ...

    def ask(self, question: str, only: set[str] | None = None,
            limit: int | None = None, relax: bool = True) -> Answer: ...

    def search(self, question: str, only: set[str] | None = None,
               limit: int | None = None, relax: bool = True) -> Answer: ...

    def summary(self, name: str) -> Summary: ...

    def summary_of(self, candidate_id: str) -> Summary: ...

    def find(self, name: str) -> list[CandidateInfo]: ...

    def suggestions(self, name: str) -> list[CandidateInfo]: ...

    def candidates(self, entries: bool = False) -> list[CandidateInfo]: ...

    def people_named_in(self, text: str) -> list[NameMention]: ...

    def candidate(self, candidate_id: str) -> CandidateInfo | None: ...

    def document_text(self, source: str) -> str | None: ...

    def document_count(self) -> int: ...

    def term_counts(self) -> tuple[dict[str, int], int]: ...

    def warm(self) -> None: ...

    def refresh(self, force: bool = False) -> object:
        """Catch up with the store now (`force`) or soon; after an ingest from Slack."""
        ...
