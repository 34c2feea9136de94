"""`run_eval` can keep its store: a second run over the same corpus skips the ingest."""

from __future__ import annotations

import json
from pathlib import Path

from bot.evaluate import run_eval
from tests.conftest import make_settings


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    (folder / "mira-holt.md").write_text(
        "# Mira Holt\n\n## Experience\n\n### Site Reliability Engineer, Corvane (2017 - 2024)\n\n"
        "- Ran the Kubernetes clusters and the Terraform modules of the payments platform\n", encoding="utf-8")
    (folder / "owen-price.md").write_text(
        "# Owen Price\n\n## Experience\n\n### Pastry Chef, Blue Fern Bakery (2015 - 2024)\n\n"
        "- Planned the seasonal menu and trained four apprentices\n", encoding="utf-8")
    return folder


def test_a_kept_store_is_reused_and_answers_the_same(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "docs")
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "k8s", "question": "Who has Kubernetes experience?",
                                     "type": "who_has", "relevant": ["mira-holt.md"]}) + "\n",
                         encoding="utf-8")
    kept = tmp_path / "store"
    settings = make_settings(tmp_path / "unused")

    first = run_eval(questions, corpus, settings, data_dir=kept)
    second = run_eval(questions, corpus, settings, data_dir=kept)

    assert first.recall_at_5 == second.recall_at_5 == 1.0
    assert first.results[0].shown == second.results[0].shown == ["mira-holt.md"]
    assert (kept / "chroma").is_dir()  # the store stayed where it was asked to be
    assert not (tmp_path / "unused").exists()
