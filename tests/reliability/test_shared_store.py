"""A running assistant keeps answering after another process ingests into the same embedded
store (issue: every question then raised chromadb's "Error finding id" until a restart)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.assistant import Assistant
from ingest.pipeline import ingest_paths
from tests.conftest import make_settings
from tests.fixtures import CORPUS_FACTS, write_corpus

pytestmark = pytest.mark.slow


def test_an_ingest_by_another_process_is_seen_and_nothing_fails(tmp_path: Path) -> None:
    keys = list(CORPUS_FACTS)
    first, later = write_corpus(tmp_path / "first", keys[:2]), write_corpus(tmp_path / "later", keys[2:])
    settings = make_settings(tmp_path / "data", embedding="fake")
    serving = Assistant(settings)
    ingest_paths(list(first.values()), settings, serving.store, serving.embeddings)
    serving.warm()
    assert len(serving.candidates()) == 2
    serving.ask("who knows React and TypeScript?")

    env = dict(os.environ, RECRUIT_DATA_DIR=str(settings.data_dir), RECRUIT_EMBEDDING="fake")
    done = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(tmp_path / "later")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]

    serving.refresh(force=True)
    for question in ("who has shipped iOS apps with Swift?", "who writes Kubernetes operators in Go?",
                     "who knows React and TypeScript?"):
        serving.ask(question)  # raised "Error finding id" before the store was reopened
    assert len(serving.candidates()) == len(keys)
    print(f"after another process ingested {len(keys) - 2} files: "
          f"{len(serving.candidates())} candidates, questions answered")
